"""Dask collections in the input layer: validation, row blocks and their reductions.

Everything skinfo computes from binned data is a sum over rows (contingency counts,
per-class histograms, per-class moments), so a fit on a dask collection runs each
such sum as one distributed pass: every row block is reduced on its worker by the
same numpy/numba code as in memory, and only the small results travel, added by a
fixed tree (so a given chunking always gives the same floating-point result).
Quantile-type summaries come from a bounded subsample of rows drawn on the workers.
The client never holds ``X``.

dask is an optional dependency (``pip install "skinfo[dask]"``); this module is the
only one that imports it, and only once a dask collection has been passed in.
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from skinfo._binning import (
    sample_row_index,
)
from skinfo._input import (
    auto_discrete_mask,
    check_no_text,
)

__all__ = [
    "DaskInput",
    "as_output",
    "block_list",
    "block_reduce",
    "block_sum",
    "check_block",
    "is_dask",
    "map_blocks_rows",
    "persist",
    "sample_rows",
    "set_input_attributes",
    "to_dask_input",
    "to_dask_vector",
    "token",
]

#: Results of this many blocks are added in one task of the reduction tree.
SPLIT_EVERY = 8
#: Largest integer a float64 holds exactly: larger ones would merge when cast.
EXACT_INT = 2**53

INSTALL_HINT = 'Install the Dask extra: pip install "skinfo[dask]".'


def is_dask(obj) -> bool:
    """Whether ``obj`` is a dask Array, DataFrame or Series (dask is not imported)."""
    if "dask" not in sys.modules:  # no dask collection can exist yet
        return False
    import dask

    if not dask.is_dask_collection(obj):
        return False
    import dask.array as da
    import dask.dataframe as dd

    return isinstance(obj, da.Array | dd.DataFrame | dd.Series)


def _modules():
    """``(dask, dask.array, dask.dataframe)``, with a clear error when missing."""
    try:
        import dask
        import dask.array as da
        import dask.dataframe as dd
    except ImportError as exc:  # pragma: no cover - dask collections imply dask
        raise ImportError(
            f"Dask input needs dask[array,dataframe]. {INSTALL_HINT}"
        ) from exc
    return dask, da, dd


@dataclass
class DaskInput:
    """A validated dask ``X``: float64 row blocks and what the estimators need."""

    array: object  #: dask array, float64, chunked along rows only
    original: object  #: the collection the caller passed
    feature_names: NDArray | None
    categorical: NDArray[np.bool_]
    auto_discrete: NDArray[np.bool_]
    categories: dict = field(default_factory=dict)
    is_frame: bool = False

    @property
    def n_samples(self) -> int:
        """Number of rows."""
        return int(self.array.shape[0])

    @property
    def n_features(self) -> int:
        """Number of columns."""
        return int(self.array.shape[1])

    @property
    def chunks(self) -> tuple[int, ...]:
        """Row chunk sizes."""
        return tuple(int(c) for c in self.array.chunks[0])

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_samples, n_features)``."""
        return self.n_samples, self.n_features


# ----------------------------------------------------------------- validation
def check_block(block: NDArray, *, allow_nan: bool, name: str = "X") -> NDArray:
    """Raise on inf (and on NaN unless ``allow_nan``) in one block; return it.

    Runs on the workers inside lazy ``transform`` graphs, where no eager pass can
    check the data first; the error reaches the caller when the result is computed.
    """
    if block.size and not np.isfinite(block).all():
        if np.isinf(block).any():
            raise ValueError(f"Input {name} contains infinity or a value too large.")
        if not allow_nan:
            raise ValueError(
                f"Input {name} contains NaN. Impute missing values first (for "
                "example with sklearn.impute.SimpleImputer)."
            )
    return block


def _frame_block(frame: pd.DataFrame, columns) -> NDArray[np.float64]:
    """One partition of a DataFrame as float64 values (categoricals as codes)."""
    out = np.empty(frame.shape, dtype=np.float64)
    for j, column in enumerate(columns):
        series = frame[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            codes = series.cat.codes.to_numpy()
            out[:, j] = np.where(codes < 0, np.nan, codes)
        else:
            if pd.api.types.is_integer_dtype(series.dtype):
                # nullable Int64 gives objects with missing values: check the rest
                # as plain integers, or a value above 2**53 would round silently
                plain = getattr(series.dtype, "numpy_dtype", series.dtype)
                _check_exact_integers(
                    series.dropna().to_numpy(dtype=plain), f"Column {column!r} of X"
                )
            out[:, j] = series.to_numpy(dtype=np.float64, na_value=np.nan)
    return out


def _check_exact_integers(values: NDArray, label: str) -> None:
    """Refuse integers a float64 cast would merge (dask input is coded as floats)."""
    if values.size and values.dtype.kind in "iu":
        big = np.abs(values.astype(np.float64)).max() > EXACT_INT
        if big:
            raise ValueError(
                f"{label} holds integers above 2**53, which dask input cannot code "
                "exactly. Fit on the data in memory, or map the values to smaller "
                "codes (e.g. with factorize) first."
            )


def _array_block(block: NDArray) -> NDArray[np.float64]:
    """One block of a dask array as float64."""
    _check_exact_integers(block, "X")
    return np.asarray(block, dtype=np.float64)


def _frame_to_array(X, name: str):
    """Float64 dask array of a dask DataFrame, and what the columns are."""
    _, _, dd = _modules()
    if isinstance(X, dd.Series):
        X = X.to_frame()
    meta = X._meta
    check_no_text(meta, name)
    categorical = np.zeros(meta.shape[1], dtype=bool)
    unknown = []
    for j, (column, dtype) in enumerate(meta.dtypes.items()):
        if isinstance(dtype, pd.CategoricalDtype):
            categorical[j] = True
            if not X[column].cat.known:
                unknown.append(column)
        elif not (
            pd.api.types.is_bool_dtype(dtype)
            or pd.api.types.is_integer_dtype(dtype)
            or pd.api.types.is_float_dtype(dtype)
        ):
            raise TypeError(
                f"Column {column!r} of {name} has dtype {dtype}, which is neither "
                "numeric nor categorical. Convert it with X[col].astype('category') "
                "to use it as a discrete feature, or encode it as numbers."
            )
    if unknown:  # one pass to learn the categories (sorted, as dask defines them)
        X = X.categorize(columns=unknown)
        meta = X._meta
    categories = {
        column: dtype.categories
        for column, dtype in meta.dtypes.items()
        if isinstance(dtype, pd.CategoricalDtype)
    }
    auto = auto_discrete_mask(meta)
    columns = list(meta.columns)
    float_meta = pd.DataFrame(
        {c: pd.Series([], dtype=np.float64) for c in columns}, columns=meta.columns
    )
    numeric = X.map_partitions(
        lambda part: pd.DataFrame(
            _frame_block(part, columns), columns=part.columns, index=part.index
        ),
        meta=float_meta,
    )
    array = numeric.to_dask_array(lengths=True)
    names = np.asarray([str(c) for c in columns], dtype=object)
    if not all(isinstance(c, str) for c in columns):
        names = None
    return array, names, categorical, auto, categories


def to_dask_input(
    X, *, name: str = "X", allow_nan: bool = True, check_finite: bool = True
) -> DaskInput:
    """Validate a dask ``X`` and return it as float64 row blocks (:class:`DaskInput`).

    Parameters
    ----------
    X : dask Array of shape (n_samples, n_features), dask DataFrame or Series
        Numeric, bool or categorical columns; text and dates raise a ``TypeError``
        naming the column.
    name : str, default="X"
        Name of the argument, for messages.
    allow_nan : bool, default=True
        Whether NaN is accepted (it is a missing value for the binned estimators).
    check_finite : bool, default=True
        Check for inf (and NaN) now, in one distributed pass; ``transform`` passes
        False and checks inside its lazy blocks (:func:`check_block`).

    Returns
    -------
    DaskInput
    """
    _, da, dd = _modules()
    if isinstance(X, dd.DataFrame | dd.Series):
        array, names, categorical, auto, categories = _frame_to_array(X, name)
        is_frame = True
    elif isinstance(X, da.Array):
        if X.ndim != 2:
            raise ValueError(
                f"Expected a 2-D dask array for {name}, got {X.ndim} dimension(s). "
                "Reshape a single feature with X.reshape(-1, 1)."
            )
        dtype = X.dtype
        if dtype.kind in "OSUV" or dtype.kind in "mM":
            kind = "dates or durations" if dtype.kind in "mM" else "text or objects"
            raise TypeError(
                f"{name} has dtype {dtype} ({kind}), which skinfo cannot use as "
                "numbers. Encode it numerically first."
            )
        if dtype.kind not in "biuf":
            raise TypeError(f"{name} has unsupported dtype {dtype}.")
        array = X.map_blocks(_array_block, dtype=np.float64)
        names, categories, is_frame = None, {}, False
        categorical = np.zeros(X.shape[1], dtype=bool)
        auto = auto_discrete_mask(np.empty((0, X.shape[1]), dtype=dtype))
    else:
        raise TypeError(f"{name} must be a dask Array or DataFrame, got {type(X)}.")
    if any(np.isnan(c) for c in array.chunks[0]):
        array = array.compute_chunk_sizes()
    array = array.rechunk({1: -1})
    if array.shape[0] == 0:
        raise ValueError(
            f"Found array with 0 sample(s) in {name}; a minimum of 1 is required."
        )
    if array.shape[1] == 0:
        raise ValueError(
            f"Found array with 0 feature(s) in {name}; a minimum of 1 is required."
        )
    if check_finite:
        bad = block_sum(_nonfinite_counts, array)
        if bad[0].any():
            raise ValueError(f"Input {name} contains infinity or a value too large.")
        if not allow_nan and bad[1].any():
            raise ValueError(
                f"Input {name} contains NaN. Impute missing values first (for "
                "example with sklearn.impute.SimpleImputer)."
            )
    return DaskInput(
        array=array,
        original=X,
        feature_names=names,
        categorical=categorical,
        auto_discrete=np.asarray(auto, dtype=bool),
        categories=categories,
        is_frame=is_frame,
    )


def _nonfinite_counts(block: NDArray) -> NDArray[np.int64]:
    """Per column: the number of infinities and of NaNs in one block."""
    return np.stack([np.isinf(block).sum(axis=0), np.isnan(block).sum(axis=0)])


def to_dask_vector(v, chunks, *, name: str):
    """``y`` or ``sample_weight`` as a 1-D dask array with the row ``chunks`` of X.

    numpy, pandas and dask inputs are accepted; ``None`` stays ``None``. A wrong
    length raises a ``ValueError`` naming ``name``.
    """
    if v is None:
        return None
    _, da, dd = _modules()
    n = int(sum(chunks))
    if isinstance(v, dd.DataFrame):
        if len(v.columns) != 1:
            raise ValueError(
                f"{name} must be 1-D; got a DataFrame of {len(v.columns)} columns."
            )
        v = v[v.columns[0]]
    if isinstance(v, dd.Series):
        v = v.to_dask_array(lengths=True)
    if isinstance(v, da.Array):
        if v.ndim == 2 and v.shape[1] == 1:
            v = v[:, 0]
        if v.ndim != 1:
            raise ValueError(f"{name} must be 1-D; got shape {v.shape}.")
        if any(np.isnan(c) for c in v.chunks[0]):
            v = v.compute_chunk_sizes()
    else:
        values = np.asarray(v)
        if values.ndim == 2 and values.shape[1] == 1:
            values = values[:, 0]
        if values.ndim != 1:
            raise ValueError(f"{name} must be 1-D; got shape {values.shape}.")
        v = da.from_array(values, chunks=-1)
    if v.shape[0] != n:
        raise ValueError(
            f"{name} has {v.shape[0]} samples but X has {n}; they must have one "
            "entry per row of X."
        )
    return v.rechunk((tuple(chunks),))


def set_input_attributes(estimator, X: DaskInput, *, reset: bool) -> None:
    """Set (``reset``) or check ``n_features_in_`` and ``feature_names_in_``."""
    from sklearn.utils.validation import _check_feature_names

    # the empty pandas frame dask keeps as metadata carries the column names
    meta = X.original._meta if X.is_frame else np.empty((0, X.n_features))
    if isinstance(meta, pd.Series):
        meta = meta.to_frame()
    _check_feature_names(estimator, meta, reset=reset)
    if reset:
        estimator.n_features_in_ = X.n_features
        return
    expected = getattr(estimator, "n_features_in_", None)
    if expected is not None and X.n_features != expected:
        raise ValueError(
            f"X has {X.n_features} features, but {type(estimator).__name__} is "
            f"expecting {expected} features as input."
        )


# ------------------------------------------------------------------ row blocks
def _aligned_blocks(arrays) -> tuple[list[list], int]:
    """Delayed row blocks of aligned arrays (``None`` entries stay ``None``)."""
    present = [a for a in arrays if a is not None]
    if not present:
        raise ValueError("block functions need at least one dask array")
    chunks = tuple(present[0].chunks[0])
    columns = []
    for a in arrays:
        if a is None:
            columns.append(None)
            continue
        if a.shape[0] != sum(chunks):
            raise ValueError("arrays of a block reduction must have the same rows")
        a = a.rechunk({0: chunks, 1: -1}) if a.ndim == 2 else a.rechunk((chunks,))
        columns.append(a.to_delayed().ravel().tolist())
    n_blocks = len(chunks)
    rows = [[None if c is None else c[i] for c in columns] for i in range(n_blocks)]
    return rows, n_blocks


def _call(func, kwargs, *blocks):
    return func(*blocks, **kwargs)


def _add(*parts):
    """Add block results in their order (arrays, or tuples of arrays)."""
    total = parts[0]
    for part in parts[1:]:
        if isinstance(total, tuple):
            total = tuple(a + b for a, b in zip(total, part, strict=True))
        else:
            total = total + part
    return total


def _fold(combine, *parts):
    return functools.reduce(combine, parts)


def _tree(parts, combine):
    """Reduce delayed parts by a fixed tree of ``SPLIT_EVERY``-way combines."""
    import dask

    while len(parts) > 1:
        parts = [
            dask.delayed(combine, pure=False)(*parts[i : i + SPLIT_EVERY])
            for i in range(0, len(parts), SPLIT_EVERY)
        ]
    return parts[0]


def _block_tasks(func, arrays, kwargs):
    import dask

    rows, _ = _aligned_blocks(arrays)
    # Fresh keys on every call (pure=False): a key derived from the function could
    # be shared by two closures over different data, and the scheduler would then
    # hand back the result of the wrong one.
    shared = dask.delayed(kwargs, pure=False) if kwargs else {}
    return [dask.delayed(_call, pure=False)(func, shared, *row) for row in rows]


def block_sum(func, *arrays, **kwargs):
    """Sum of ``func(*blocks, **kwargs)`` over aligned row blocks, in one pass.

    ``func`` returns an ndarray, or a tuple of ndarrays, of the same shapes for
    every block; the results are added by a fixed tree on the workers and only the
    total reaches the client. ``kwargs`` travel once to each worker.

    Examples
    --------
    >>> import numpy as np, dask.array as da
    >>> x = da.from_array(np.arange(10.0).reshape(5, 2), chunks=(2, 2))
    >>> block_sum(lambda b: b.sum(axis=0), x)
    array([20., 25.])
    """
    import dask

    return dask.compute(_tree(_block_tasks(func, arrays, kwargs), _add))[0]


def block_reduce(func, combine, *arrays, **kwargs):
    """As :func:`block_sum`, with an associative ``combine(a, b)`` of two results.

    Examples
    --------
    >>> import numpy as np, dask.array as da
    >>> x = da.from_array(np.array([3, 1, 3, 2, 1]), chunks=2)
    >>> block_reduce(np.unique, np.union1d, x)
    array([1, 2, 3])
    """
    import dask

    tasks = _block_tasks(func, arrays, kwargs)
    return dask.compute(_tree(tasks, functools.partial(_fold, combine)))[0]


def block_list(func, *arrays, **kwargs) -> list:
    """Every block's ``func(*blocks, **kwargs)``, in block order.

    Examples
    --------
    >>> import numpy as np, dask.array as da
    >>> x = da.from_array(np.arange(5), chunks=2)
    >>> block_list(len, x)
    [2, 2, 1]
    """
    import dask

    return list(dask.compute(*_block_tasks(func, arrays, kwargs)))


def _take_rows(block, index):
    return None if block is None else block[index]


def sample_rows(arrays, subsample: int | None, random_state) -> list:
    """At most ``subsample`` rows of aligned arrays, drawn on the workers, in order.

    With ``n_samples <= subsample`` (or ``subsample=None``) every row is returned,
    in order, so that small data give exactly the in-memory input. Otherwise the
    row numbers are drawn on the client without replacement (from ``random_state``,
    independently of the chunking), each worker sends only its drawn rows, and they
    come back in row order. ``None`` entries stay ``None``.

    Examples
    --------
    >>> import numpy as np, dask.array as da
    >>> x = da.from_array(np.arange(10.0), chunks=3)
    >>> sample_rows([x], 4, random_state=0)[0].size
    4
    """
    import dask

    present = next(a for a in arrays if a is not None)
    n = int(present.shape[0])
    if subsample is None or n <= subsample:
        out = dask.compute(*[a for a in arrays if a is not None])
        it = iter(out)
        return [None if a is None else np.asarray(next(it)) for a in arrays]
    rows = sample_row_index(n, subsample, random_state)
    blocks, _ = _aligned_blocks(arrays)
    bounds = np.r_[0, np.cumsum(present.chunks[0])]
    parts = []
    for i, row in enumerate(blocks):
        lo, hi = np.searchsorted(rows, [bounds[i], bounds[i + 1]])
        if hi > lo:
            local = rows[lo:hi] - bounds[i]
            parts.append([dask.delayed(_take_rows)(b, local) for b in row])
    (parts,) = dask.compute(parts)
    out = []
    for k, a in enumerate(arrays):
        out.append(None if a is None else np.concatenate([p[k] for p in parts]))
    return out


def map_blocks_rows(func, X, *, n_columns: int | None, dtype, **kwargs):
    """Lazy ``func(block, **kwargs)`` of every row block of ``X``.

    ``X`` is a :class:`DaskInput` or a dask array chunked along rows; the result
    has shape ``(n_samples, n_columns)`` (1-D when ``n_columns`` is None). Nothing
    is computed.
    """
    array = X.array if isinstance(X, DaskInput) else X
    array = array.rechunk({1: -1}) if array.ndim == 2 else array
    task = functools.partial(func, **kwargs) if kwargs else func
    if n_columns is None:
        drop = 1 if array.ndim == 2 else []
        return array.map_blocks(
            task, dtype=dtype, drop_axis=drop, chunks=(array.chunks[0],)
        )
    new_axis = [1] if array.ndim == 1 else None
    return array.map_blocks(
        task,
        dtype=dtype,
        chunks=(array.chunks[0], (int(n_columns),)),
        new_axis=new_axis,
    )


def as_output(array, X: DaskInput, columns):
    """Return what ``transform`` gives: a dask DataFrame with ``columns`` for frames.

    For dask array input the lazy array itself; for a DataFrame, a lazy dask
    DataFrame on the input's index with the given column names.
    """
    if not X.is_frame:
        return array
    columns = [str(c) for c in columns]
    index = X.original.index
    try:
        return array.to_dask_dataframe(columns=columns, index=index)
    except ValueError:  # divisions unknown: a fresh index
        return array.to_dask_dataframe(columns=columns)


def persist(array):
    """Keep ``array`` computed in the workers' memory (codes reused every step)."""
    return array.persist()


def token(*objs) -> str:
    """Return dask's deterministic token of ``objs`` (a cheap ``memory`` key)."""
    from dask.base import tokenize

    return tokenize(*objs)
