"""The input layer: what an estimator accepts as ``X``, decided in one place.

Every estimator, :mod:`skinfo.estimate` and the command line ask this module what the
columns of their input are, and get numbers from it; none of them inspects dtypes
itself. Dataframes of every library narwhals knows (pandas, polars, pyarrow, ...) take
one code path, NumPy arrays and nested lists another, and scipy sparse matrices keep
their stored entries (see :mod:`skinfo._sparse`).

Column kinds
------------
``"continuous"``
    Floats: binned (or used as numbers by the kNN estimators and the bottleneck).
``"integer"``
    Integers, signed or unsigned: discrete under ``discrete_features="auto"``, coded
    from their exact values (no float cast, so values above 2**53 stay distinct).
``"boolean"``
    Booleans: discrete, two levels.
``"categorical"``
    pandas ``Categorical``, polars ``Categorical``/``Enum``, arrow dictionaries:
    discrete, coded by the position of their value in the column's categories.

Text, dates, times and durations are refused with a ``TypeError`` naming the column.
Missing values (NaN, None, null) are a value of their own: NaN in :func:`float_matrix`
and the last code in :func:`discrete_codes`.
"""

from __future__ import annotations

from dataclasses import dataclass

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd
import scipy.sparse as sp
from numpy.typing import NDArray

from skinfo._binning import encode_labels

__all__ = [
    "BOOLEAN",
    "CATEGORICAL",
    "CONTINUOUS",
    "INTEGER",
    "ColumnInfo",
    "describe_columns",
    "discrete_codes",
    "float_matrix",
    "is_dataframe",
]

CONTINUOUS, INTEGER, BOOLEAN, CATEGORICAL = (
    "continuous",
    "integer",
    "boolean",
    "categorical",
)
_TEMPORAL = (nw.Datetime, nw.Date, nw.Duration, nw.Time)


@dataclass(frozen=True)
class ColumnInfo:
    """What the columns of an input are.

    Attributes
    ----------
    kinds : tuple of str
        One of ``"continuous"``, ``"integer"``, ``"boolean"``, ``"categorical"`` per
        column.
    labels : tuple
        The column labels for messages: dataframe column names, else indices.
    categories : tuple
        For categorical columns, the category values in code order (``None`` for the
        other columns).
    """

    kinds: tuple[str, ...]
    labels: tuple
    categories: tuple

    @property
    def n_features(self) -> int:
        """Number of columns."""
        return len(self.kinds)

    @property
    def discrete(self) -> NDArray[np.bool_]:
        """The ``discrete_features="auto"`` mask: every column that is not a float."""
        return np.array([k != CONTINUOUS for k in self.kinds], dtype=bool)

    @property
    def categorical(self) -> NDArray[np.bool_]:
        """Mask of the categorical columns."""
        return np.array([k == CATEGORICAL for k in self.kinds], dtype=bool)


def is_dataframe(X) -> bool:
    """Whether ``X`` is a dataframe of a library narwhals supports."""
    return nw.dependencies.is_into_dataframe(X)


def _refuse(name: str, label, what: str, dtype) -> TypeError:
    column = f"Column {label!r}" if isinstance(label, str) else f"Column {label}"
    if what == "datetime":
        return TypeError(
            f"{column} of {name} holds dates or times (dtype {dtype}), which have no "
            "meaning as a feature here. Convert them to numbers first (for example "
            "seconds since a reference date, or the day of week as a category), or "
            "drop the column."
        )
    return TypeError(
        f"{column} of {name} holds text (dtype {dtype}). Encode it as numbers, or "
        f"make it categorical (pandas: {name}[col].astype('category'); polars: "
        "pl.col(col).cast(pl.Categorical)) where the estimator takes discrete "
        "features."
    )


def _object_kind(values: NDArray) -> str:
    """Kind of a column of Python objects: numbers are floats, text is refused."""
    inferred = pd.api.types.infer_dtype(values, skipna=True)
    if inferred in ("string", "bytes"):
        return "text"
    if inferred in ("datetime", "datetime64", "date", "time", "timedelta", "period"):
        return "datetime"
    if inferred in ("mixed", "mixed-integer") and any(
        isinstance(v, str | bytes) for v in values
    ):
        return "text"
    if inferred == "boolean":
        return BOOLEAN
    return CONTINUOUS  # numbers (and odd objects, which validate_data explains)


def _numpy_kind(dtype: np.dtype) -> str:
    if dtype.kind == "f" or dtype.kind == "c":
        return CONTINUOUS
    if dtype.kind in "iu":
        return INTEGER
    if dtype.kind == "b":
        return BOOLEAN
    if dtype.kind in "SU":
        return "text"
    if dtype.kind in "Mm":
        return "datetime"
    return "object"


def _frame_column_kind(series: nw.Series) -> tuple[str, object]:
    dtype = series.dtype
    if dtype.is_float() or dtype.is_decimal():
        return CONTINUOUS, None
    if dtype.is_integer():
        return INTEGER, None
    if dtype == nw.Boolean:
        return BOOLEAN, None
    if isinstance(dtype, nw.Enum):
        return CATEGORICAL, np.asarray(list(dtype.categories), dtype=object)
    if dtype == nw.Categorical:
        return CATEGORICAL, _frame_categories(series)
    if isinstance(dtype, _TEMPORAL):
        return "datetime", None
    if dtype == nw.String:
        return "text", None
    return _object_kind(np.asarray(series.to_numpy(), dtype=object)), None


def _frame_categories(series: nw.Series) -> NDArray:
    """Category values of a categorical column, in its own code order."""
    native = series.to_native()
    if isinstance(native, pd.Series):  # pandas keeps declared, ordered categories
        return np.asarray(native.cat.categories, dtype=object)
    # polars and arrow: the distinct values, sorted so that codes do not depend on
    # the order in which rows arrive
    values = series.drop_nulls().unique().to_list()
    try:
        values = sorted(values)
    except TypeError:  # pragma: no cover - categories of mixed types
        pass
    return np.asarray(values, dtype=object)


def describe_columns(X, name: str = "X") -> ColumnInfo:
    """Say what every column of ``X`` is, refusing text and dates.

    Parameters
    ----------
    X : array-like, dataframe or sparse matrix of shape (n_samples, n_features)
        The input, as the user passed it (before any conversion).
    name : str, default="X"
        The parameter name that messages use.

    Returns
    -------
    ColumnInfo
        Kinds, labels and categories of the columns.

    Raises
    ------
    TypeError
        Naming the first column that holds text, dates or times.
    """
    if sp.issparse(X):
        kind = INTEGER if X.dtype.kind in "iu" else _numpy_kind(X.dtype)
        d = X.shape[1]
        return ColumnInfo((kind,) * d, tuple(range(d)), (None,) * d)
    if is_dataframe(X):
        frame = nw.from_native(X, eager_only=True)
        kinds, categories = [], []
        for label in frame.columns:
            kind, levels = _frame_column_kind(frame[label])
            if kind in ("text", "datetime"):
                raise _refuse(name, label, kind, frame.schema[label])
            kinds.append(kind)
            categories.append(levels)
        return ColumnInfo(tuple(kinds), tuple(frame.columns), tuple(categories))
    values = X if isinstance(X, np.ndarray) else np.asarray(X, dtype=object)
    if values.ndim == 1:  # validate_data gives the "reshape" message later
        values = values[:, None]
    if values.ndim != 2:
        d = values.shape[1] if values.ndim > 1 else 0
        return ColumnInfo((CONTINUOUS,) * d, tuple(range(d)), (None,) * d)
    kind = _numpy_kind(values.dtype)
    if kind in ("text", "datetime"):
        raise _refuse(name, 0, kind, values.dtype)
    d = values.shape[1]
    if kind != "object":
        return ColumnInfo((kind,) * d, tuple(range(d)), (None,) * d)
    kinds = []
    for j in range(d):
        col_kind = _object_kind(values[:, j])
        if col_kind in ("text", "datetime"):
            raise _refuse(name, j, col_kind, values.dtype)
        kinds.append(col_kind)
    return ColumnInfo(tuple(kinds), tuple(range(d)), (None,) * d)


def _category_codes(values: NDArray, missing: NDArray, categories: NDArray):
    """Positions of ``values`` in ``categories``; -1 for a value not among them."""
    codes = pd.Index(categories).get_indexer(pd.Index(values, dtype=object))
    codes = np.asarray(codes, dtype=np.intp)
    codes[missing] = -1
    return codes


def float_matrix(
    X, info: ColumnInfo, *, categories: tuple | None = None, unknown=np.nan
) -> NDArray[np.float64]:
    """Return the numbers of ``X`` as a float matrix (a copy only where needed).

    Categorical columns become the position of their value in ``categories`` (the
    fitted ones at ``transform``; by default the column's own), booleans 0 and 1,
    missing values NaN, and a category not in ``categories`` ``unknown``.
    """
    if not is_dataframe(X):
        return np.asarray(X, dtype=np.float64)
    categories = info.categories if categories is None else categories
    frame = nw.from_native(X, eager_only=True)
    out = np.empty((frame.shape[0], info.n_features), dtype=np.float64)
    for j, label in enumerate(frame.columns):
        series = frame[label]
        missing = np.asarray(series.is_null().to_numpy(), dtype=bool)
        if info.kinds[j] == CATEGORICAL:
            values = np.asarray(series.to_numpy(), dtype=object)
            codes = _category_codes(values, missing, categories[j])
            column = codes.astype(np.float64)
            column[(codes < 0) & ~missing] = unknown
        else:
            column = np.asarray(
                series.fill_null(0).to_numpy() if missing.any() else series.to_numpy(),
                dtype=np.float64,
            )
        out[:, j] = column
        out[missing, j] = np.nan
    return out


def discrete_codes(X, info: ColumnInfo, j: int) -> tuple[NDArray, NDArray[np.intp]]:
    """Exact codes of discrete column ``j`` and the value each code stands for.

    Integers keep their own dtype (no float cast), categorical columns are coded in
    the order of their categories, and a missing value gets the last code, as
    :func:`skinfo._binning.encode_labels` does.
    """
    if is_dataframe(X):
        frame = nw.from_native(X, eager_only=True)
        series = frame[frame.columns[j]]
        missing = np.asarray(series.is_null().to_numpy(), dtype=bool)
        if info.kinds[j] == CATEGORICAL:
            values = np.asarray(series.to_numpy(), dtype=object)
            codes = _category_codes(values, missing, info.categories[j])
            classes = np.asarray(info.categories[j], dtype=object)
            present = np.unique(codes[codes >= 0])
            classes, codes = _dense(classes, codes, present)
        else:
            dense = series.drop_nulls().to_numpy()
            classes, observed = encode_labels(dense)
            codes = np.full(missing.size, -1, dtype=np.intp)
            codes[~missing] = observed
        if missing.any():
            codes = np.where(missing, classes.size, codes)
            classes = np.append(classes.astype(object), np.nan)
        return classes, codes
    if sp.issparse(X):
        column = X[:, [j]].toarray().ravel()
    else:
        values = X if isinstance(X, np.ndarray) else np.asarray(X)
        column = values[:, j]
    return encode_labels(column)


def _dense(classes: NDArray, codes: NDArray, present: NDArray):
    """Drop categories no row uses, so codes are dense (as for other columns)."""
    remap = np.full(classes.size, -1, dtype=np.intp)
    remap[present] = np.arange(present.size)
    out = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
    return classes[present], out
