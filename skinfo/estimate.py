"""Estimate entropy and mutual information from samples.

Every function takes samples, one row per sample, and returns a Python ``float``. The
names match :mod:`skinfo.measures`, which computes the same quantities exactly from
given distributions: ``measures.entropy([0.5, 0.5])`` is the entropy of a fair coin,
``estimate.entropy(["h", "t", "t", "h"])`` an estimate from four tosses.

**Variables.** A 1-D input (list, array, :class:`pandas.Series`,
:class:`pandas.Categorical`) is one variable. A 2-D input of shape
``(n_samples, n_columns)`` (array or :class:`pandas.DataFrame`) is one *joint* variable
whose values are its rows, so ``entropy(X)`` is the joint entropy of the columns of
``X`` and ``conditional_mutual_info(x, y, Z)`` conditions on all columns of ``Z`` at
once. A scipy sparse matrix of shape ``(n_samples, n_columns)`` (for example one
column ``X[:, [j]]`` of a CSR/CSC matrix) is read like the dense array: its implicit
zeros are values, and the result equals that of ``X.toarray()``. Inputs are never
modified.

**Dask.** A :class:`dask.array.Array` (1-D, or 2-D chunked along rows), a
:class:`dask.dataframe.Series` or a :class:`dask.dataframe.DataFrame` is read like
its in-memory counterpart, and may be mixed with in-memory inputs of the same
length. The discrete estimators and ``"binned"`` then never gather the samples:
every row block counts its distinct (joint) rows on its worker, and only these
small tables are merged on the client, so the result equals that of the same data
in memory. ``"binned"`` places uniform cuts from the exact ranges and quantile cuts
from at most 200 000 rows drawn on the workers (all rows, hence the in-memory
cuts, below that). The ``"knn"`` estimators, which need every sample at once,
refuse Dask input with a ``TypeError``: estimate from a subsample computed into
memory, or bin (``method="binned"``). For example::

    >>> import dask.array as da
    >>> from skinfo.estimate import entropy
    >>> entropy(da.from_array(np.array([0, 1, 1, 0]), chunks=3), base=2)
    1.0

**Units.** Results are in nats (natural logarithm) unless ``base`` is given:
``base=2`` gives bits. Bias corrections are computed in nats and converted with the
estimate, never added to a value already in bits.

**Discrete or continuous.** Each variable is either discrete (counted) or continuous
(measured). With ``discrete=None`` the kind is read from the dtype: booleans,
integers, strings, objects and pandas categoricals are discrete; floating-point numbers
are continuous. A float column holding only whole numbers (``[0.0, 1.0, 1.0]``) is
still continuous: pass ``discrete=True`` to count its values. A 2-D variable mixing
float columns with integer or boolean columns is continuous; mixing float columns with
string or categorical columns raises ``ValueError``. ``discrete=True``/``False``
overrides the detection for every variable, and a tuple such as
``discrete=(True, False)`` sets it per variable, in argument order.

Missing values (NaN, None) are a category of their own in discrete variables. In
continuous variables they are an error for ``method="knn"`` and get a bin of their own
with ``method="binned"``. Infinite values in floating-point columns are always an
error (a column of objects counts them as a label like any other).

**Methods.** ``method`` selects the estimator. The discrete estimators count the
observed (joint) values and apply one of the entropy estimators below; mutual
information and its relatives follow from entropy identities such as
``I(X;Y) = H(X) + H(Y) - H(X,Y)``, so a bias correction applies to every term.

==================  ==================================================================
``"plugin"``        maximum likelihood: the entropy of the observed frequencies
``"miller_madow"``  plug-in plus ``(m - 1) / (2N)``, ``m`` observed categories
``"grassberger"``   Grassberger's (2003) digamma-based estimator
``"shrinkage"``     James-Stein shrinkage of the frequencies towards uniform
``"dirichlet"``     frequencies with ``alpha`` pseudocounts added to ``K`` categories
``"binned"``        bin the continuous variables (``n_bins``, ``strategy``), plug-in
``"knn"``           nearest-neighbour estimators for continuous variables
``"auto"``          ``"plugin"`` if all variables are discrete, else ``"knn"``
==================  ==================================================================

The discrete estimators need every variable to be discrete. ``"knn"`` needs at least
one continuous variable and uses the Kozachenko-Leonenko entropy, the
Kraskov-Stögbauer-Grassberger (KSG) mutual information between continuous variables,
Ross's estimator between a continuous and a discrete variable and the Frenzel-Pompe
conditional mutual information; other mixtures reduce to these through the chain
rule (see each function's Notes). :func:`normalized_mutual_info` and
:func:`variation_of_information` compare discrete variables (clusterings) and do not
accept ``"knn"``; use ``"binned"`` or ``discrete=True`` for continuous data.

Bias-corrected and nearest-neighbour estimates can be negative and are returned as
they are. Plug-in quantities that are 0 in exact arithmetic (mutual information of
independent samples, variation of information of identical labelings) come out of
floating point as about ``1e-16``; plug-in values within ``1e-10`` of zero, of either
sign, are set to ``0.0``, and plug-in normalized scores within ``1e-10`` of 0 or 1 to
that bound.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, replace
from numbers import Integral, Real

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import sparse
from sklearn.utils import check_random_state

from skinfo._binning import (
    BINNING_CONSTRAINTS,
    apply_bin_edges,
    auto_n_bins,
    encode_labels,
    encode_rows,
    fit_bin_edges,
)
from skinfo._compat import Interval, StrOptions, validate_params
from skinfo._dask import is_dask
from skinfo._info import (
    DIRICHLET_PRIORS,
    ENTROPY_METHODS,
    average_entropy,
    check_base,
    entropy_from_counts,
    roundoff_sum,
    snap_ratio,
    to_base,
)
from skinfo._input import (
    CATEGORICAL,
    CONTINUOUS,
    as_pandas,
    as_pandas_1d,
    float_column,
    variable_kind,
)
from skinfo._knn import (
    frenzel_pompe_cmi,
    knn_entropy,
    ksg_mutual_info,
    mixed_mutual_info,
)

__all__ = [
    "conditional_entropy",
    "conditional_mutual_info",
    "entropy",
    "joint_entropy",
    "mutual_info",
    "normalized_mutual_info",
    "variation_of_information",
]

METHODS = ("auto", *ENTROPY_METHODS, "binned", "knn")

#: Methods whose estimate depends on the number of categories ``K``.
_K_METHODS = ("shrinkage", "dirichlet")

_AVERAGE_METHODS = ("arithmetic", "geometric", "min", "max")

# --------------------------------------------------------------------------------------
# Parameter constraints and shared docstring fragments
# --------------------------------------------------------------------------------------

#: Accepted sample containers: arrays, frames, lists, and scipy sparse matrices.
_SAMPLES = ["array-like", "sparse matrix"]

_OPTIONS = {
    "method": [StrOptions(set(METHODS))],
    "base": [Interval(Real, 0, None, closed="neither"), None],
    "discrete": ["boolean", tuple, list, None],
    "n_categories": [Interval(Integral, 1, None, closed="left"), tuple, list, None],
    "alpha": [
        Interval(Real, 0, None, closed="neither"),
        StrOptions(set(DIRICHLET_PRIORS)),
        None,
    ],
    "n_bins": BINNING_CONSTRAINTS["n_bins"],
    "strategy": BINNING_CONSTRAINTS["strategy"],
    "n_neighbors": [Interval(Integral, 1, None, closed="left")],
    "random_state": ["random_state"],
}

_DOCS = {
    "method": """\
method : {"auto", "plugin", "miller_madow", "grassberger", "shrinkage", \
"dirichlet", "binned", "knn"}, default="auto"
    Estimator. ``"auto"`` uses ``"plugin"`` when every variable is discrete and
    ``"knn"`` otherwise. The discrete estimators ``"plugin"``, ``"miller_madow"``,
    ``"grassberger"``, ``"shrinkage"`` and ``"dirichlet"`` need discrete variables;
    ``"binned"`` bins the continuous variables and counts with the plug-in
    estimator; ``"knn"`` uses nearest-neighbour estimators and needs a continuous
    variable. See the module documentation and Notes.""",
    "base": """\
base : float, default=None
    Base of the logarithm: ``None`` gives nats, ``2`` bits. Must be positive and
    different from 1.""",
    "discrete": """\
discrete : bool, tuple of bool or None, default=None
    Whether the variables are discrete. ``None`` reads it from the dtype: booleans,
    integers, strings, objects and categoricals are discrete, floats continuous. A
    bool applies to every variable; a tuple gives one flag (or ``None``) per
    variable, in argument order.""",
    "discrete1": """\
discrete : bool or None, default=None
    Whether ``x`` is discrete. ``None`` reads it from the dtype: booleans, integers,
    strings, objects and categoricals are discrete, floats continuous.""",
    "n_categories": """\
n_categories : int, tuple of int or None, default=None
    Number of categories ``K`` of each discrete variable, unobserved ones included;
    used by ``"shrinkage"`` and ``"dirichlet"`` only. ``None`` takes, for each
    variable, the product over its columns of the number of distinct values
    observed (unused categories of a pandas categorical do not count). An int
    applies to every variable; a tuple gives one value (or ``None``) per variable.
    A joint variable has the product of their ``K``.""",
    "n_categories1": """\
n_categories : int or None, default=None
    Number of categories ``K`` of ``x``, unobserved ones included; used by
    ``"shrinkage"`` and ``"dirichlet"`` only. ``None`` takes the product over the
    columns of ``x`` of the number of distinct values observed in each (unused
    categories of a pandas categorical do not count).""",
    "alpha": """\
alpha : float or {"jeffreys", "laplace", "perks", "minimax"}, default=None
    Pseudocount ``a`` of ``"dirichlet"``: a positive number or a named prior,
    Jeffreys ``1/2``, Laplace ``1``, Perks ``1/K`` or minimax ``sqrt(N)/K``. ``None``
    means ``"jeffreys"``. Ignored by the other methods. Jeffreys and Laplace are
    strongly biased low when ``N`` is below about ``K**2`` (see Notes); use
    ``"grassberger"`` or ``"shrinkage"`` there.""",
    "n_bins": """\
n_bins : int or "auto", default="auto"
    Bins per continuous column for ``method="binned"``; ``"auto"`` uses
    ``floor(N ** (1/3))`` clipped to ``[2, 16]``.""",
    "strategy": """\
strategy : {"quantile", "uniform"}, default="quantile"
    Equal-frequency or equal-width bins for ``method="binned"``.""",
    "n_neighbors": """\
n_neighbors : int, default=3
    Number of neighbours ``k`` of the ``"knn"`` estimators; must be smaller than
    the number of samples.""",
    "random_state": """\
random_state : int, RandomState instance or None, default=None
    Seeds the tiny noise the ``"knn"`` estimators add to break ties, and the
    subsample that places quantile bins for ``"binned"`` on more than 200 000
    samples. Pass an int for reproducible results.""",
}

_DOCS["references"] = """\
.. [1] Miller, G. A. (1955). Note on the bias of information estimates. In
   H. Quastler (Ed.), *Information Theory in Psychology*, pp. 95-100.
.. [2] Grassberger, P. (2003). Entropy estimates from insufficient samplings.
   arXiv:physics/0307138.
.. [3] Hausser, J. & Strimmer, K. (2009). Entropy inference and the James-Stein
   estimator, with application to nonlinear gene association networks. *Journal of
   Machine Learning Research*, 10, 1469-1484.
.. [4] Kraskov, A., Stögbauer, H. & Grassberger, P. (2004). Estimating mutual
   information. *Physical Review E*, 69, 066138.
.. [5] Ross, B. C. (2014). Mutual information between discrete and continuous data
   sets. *PLoS ONE*, 9(2), e87357.
.. [6] Frenzel, S. & Pompe, B. (2007). Partial mutual information for coupling
   analysis of multivariate time series. *Physical Review Letters*, 99, 204101.
.. [7] Meilă, M. (2007). Comparing clusterings - an information based distance.
   *Journal of Multivariate Analysis*, 98(5), 873-895."""

_DOCS["estimators"] = """\
The discrete estimators count the observed values (distinct rows of a 2-D variable)
and compute the entropy of the counts ``n_i`` (``N`` samples, ``m`` observed
categories): plug-in ``-sum p_i log p_i`` with ``p_i = n_i / N``; Miller-Madow adds
``(m - 1) / (2N)`` nats [1]_; Grassberger uses
``log N - (1/N) sum n_i G(n_i)`` with
``G(n) = psi(n) + (-1)**n (psi((n+1)/2) - psi(n/2)) / 2`` [2]_; shrinkage takes the
plug-in entropy of the frequencies shrunk towards ``1/K`` with the James-Stein
intensity [3]_; Dirichlet that of ``(n_i + a) / (N + K a)``. ``K`` comes from
``n_categories``, else from the values observed (product over columns), and the
``K - m`` unobserved categories count too. ``"binned"`` discretizes each continuous
column (``n_bins``, ``strategy``; NaN gets its own bin) and uses the plug-in
estimator.

``"dirichlet"`` (Jeffreys ``a = 1/2`` by default) is strongly biased low when the
sample is small against the number of cells: the pseudocounts ``K a`` pull the
frequencies towards uniform, and for mutual information the joint variable has
``K_x K_y`` cells. With ``K`` categories per variable, expect a large bias when
``N`` is below about ``K**2``, and prefer ``"grassberger"`` (or ``"shrinkage"``).
Measured for two standard normal variables with correlation 0.99, each cut at its
32 equal-probability quantiles (1024 joint cells, true ``I = 1.834`` nats), mean
of 20 samples of ``N = 1000``:
``"dirichlet"`` 0.832 (``-1.00`` nats, 45% of the true value), ``"shrinkage"``
1.458 (``-0.38``), ``"grassberger"`` 1.851 (``+0.02``)."""

_DOCS["sign"] = """\
Bias-corrected and nearest-neighbour estimates are returned as they are and can be
negative (a nearest-neighbour estimate of a differential entropy can be any real
number)."""


def _fill_doc(func):
    """Replace ``%(key)s`` placeholders in a docstring by the shared fragments."""
    doc = func.__doc__
    for key, text in _DOCS.items():
        placeholder = f"%({key})s"
        if placeholder not in doc:
            continue
        for line in doc.splitlines():
            if line.strip() == placeholder:
                indent = line[: len(line) - len(line.lstrip())]
                break
        block = "\n".join(
            indent + row if row and i else row
            for i, row in enumerate(text.splitlines())
        )
        doc = doc.replace(placeholder, block)
    func.__doc__ = doc
    return func


# --------------------------------------------------------------------------------------
# Input conversion
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Variable:
    """One (possibly joint) variable, validated and converted.

    ``values`` holds dense ``intp`` codes (``0 .. n_codes - 1``) of the distinct
    values (rows) when ``discrete``, else a float64 array of shape (n, d).
    ``n_categories`` is ``K``: the number of possible values (discrete only).
    ``weights``, when given, counts the samples each entry of ``values`` stands
    for: the variables of a Dask input are the rows of its reduced joint table
    (every variable of one call shares the same rows and weights).
    """

    name: str
    discrete: bool
    values: NDArray
    n_codes: int = 0
    n_categories: float = 0
    weights: NDArray | None = None

    @property
    def n_samples(self) -> int:
        return self.values.shape[0]


def _sparse_columns(value, name: str) -> list:
    """Split a scipy sparse matrix of shape (n_samples, n_columns) into 1-D columns.

    Implicit zeros are values like any other, so each column is expanded to its
    ``n_samples`` entries (the size of any other input of the same call): exactly
    the dense column, with the same dtype.
    """
    if value.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D sparse matrix of shape (n_samples, n_columns), "
            f"got shape {value.shape}."
        )
    n_samples, n_columns = value.shape
    if n_samples == 0 or n_columns == 0:
        raise ValueError(f"{name} is empty: at least one sample is needed.")
    if value.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} is a sparse matrix of dtype {value.dtype}; only numbers are "
            f"supported, use {name}.toarray()."
        )
    csc = sparse.csc_array(value)
    return [csc[:, [j]].toarray().ravel() for j in range(n_columns)]


def _split_columns(value, name: str) -> list:
    """Split an input into 1-D columns; raise on empty, 0-D or >2-D input."""
    if sparse.issparse(value):
        return _sparse_columns(value, name)
    if isinstance(value, pd.DataFrame):
        columns = [value.iloc[:, j] for j in range(value.shape[1])]
        n_samples = value.shape[0]
    elif isinstance(value, pd.Series | pd.Categorical):
        columns, n_samples = [value], len(value)
    else:
        try:
            array = np.asarray(value)
        except ValueError as exc:
            raise ValueError(f"{name} could not be read as an array: {exc}") from exc
        if array.ndim not in (1, 2):
            raise ValueError(
                f"{name} must be 1-D (one variable) or 2-D of shape (n_samples, "
                f"n_columns), got an array with {array.ndim} dimensions."
            )
        n_samples = array.shape[0]
        columns = [array] if array.ndim == 1 else list(array.T)
    if n_samples == 0 or not columns:
        raise ValueError(f"{name} is empty: at least one sample is needed.")
    return columns


def _column_labels(value, name: str, n_columns: int) -> list[str]:
    """Name each column in messages: ``x``, ``x column 2`` or ``x column 'age'``."""
    if isinstance(value, pd.DataFrame):
        return [f"{name} column {c!r}" for c in value.columns]
    if isinstance(value, pd.Series | pd.Categorical) or np.ndim(value) != 2:
        return [name] * n_columns
    return [f"{name} column {j}" for j in range(n_columns)]


def _to_variable(value, name: str, discrete) -> _Variable:
    """Validate one input and convert it to codes or a float matrix."""
    value = as_pandas_1d(as_pandas(value))  # polars and pyarrow: see skinfo._input
    columns = _split_columns(value, name)
    labels = _column_labels(value, name, len(columns))
    kinds = [
        variable_kind(column, label)
        for column, label in zip(columns, labels, strict=True)
    ]
    discrete = _resolve_discrete(name, kinds, discrete)
    if not discrete:
        matrix = np.column_stack(
            [float_column(c, label) for c, label in zip(columns, labels, strict=True)]
        )
        return _Variable(name, False, matrix)
    codes, sizes = [], []
    for column, kind, label in zip(columns, kinds, labels, strict=True):
        if kind == CONTINUOUS:
            column = float_column(column, label)
        classes, column_codes = encode_labels(column)
        codes.append(column_codes)
        sizes.append(len(classes))
    if len(codes) == 1:
        joint, n_codes = codes[0], sizes[0]
    else:
        joint, n_codes = _densify(encode_rows(np.column_stack(codes), sizes)[0])
    return _Variable(name, True, joint, n_codes, math.prod(sizes))


def _resolve_discrete(name: str, kinds: list[str], discrete) -> bool:
    """Whether a variable with columns of these kinds is discrete (``None``: guess)."""
    if discrete is not None:
        return bool(discrete)
    if CONTINUOUS not in kinds:
        return True
    if CATEGORICAL in kinds:
        raise ValueError(
            f"{name} mixes floating-point columns with label columns (strings, "
            "objects or categoricals); pass discrete=True to count every column, "
            "or pass the columns as separate variables."
        )
    return False


def _densify(codes: NDArray) -> tuple[NDArray[np.intp], int]:
    uniques, dense = np.unique(codes, return_inverse=True)
    return dense.astype(np.intp, copy=False).reshape(-1), int(uniques.size)


def _discrete_flags(discrete, n_variables: int, names: list[str]) -> list:
    if discrete is None or isinstance(discrete, bool | np.bool_):
        return [None if discrete is None else bool(discrete)] * n_variables
    flags = list(discrete)
    if len(flags) != n_variables or not all(
        f is None or isinstance(f, bool | np.bool_) for f in flags
    ):
        raise ValueError(
            f"discrete must be a bool, None or a sequence of {n_variables} bools "
            f"(one per variable: {', '.join(names)}), got {discrete!r}."
        )
    return flags


def _check_lengths(variables: list[_Variable]) -> None:
    lengths = {v.n_samples for v in variables}
    if len(lengths) > 1:
        detail = ", ".join(f"{v.name} has {v.n_samples}" for v in variables)
        raise ValueError(f"Inconsistent numbers of samples: {detail}.")


def _bin_variable(variable: _Variable, n_bins, strategy, random_state) -> _Variable:
    """Discretize a continuous variable with the shared binned layer."""
    values = variable.values
    edges = fit_bin_edges(values, n_bins, strategy, random_state=random_state)
    codes, n_levels = apply_bin_edges(values, edges)
    joint, n_codes = _densify(encode_rows(codes, n_levels)[0])
    return _Variable(variable.name, True, joint, n_codes, math.prod(map(int, n_levels)))


def _resolve_method(method: str, variables: list[_Variable], no_knn) -> str:
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}.")
    continuous = [v.name for v in variables if not v.discrete]
    if method == "auto":
        method = "knn" if continuous else "plugin"
    if method in ENTROPY_METHODS and continuous:
        verb = "is" if len(continuous) == 1 else "are"
        raise ValueError(
            f"method={method!r} needs discrete data, but {' and '.join(continuous)} "
            f"{verb} continuous (floating-point). Use method='binned' or 'knn', or "
            "pass discrete=True to count each distinct value as a category."
        )
    if method == "knn" and no_knn and not continuous:
        raise ValueError(
            f"{no_knn} compares discrete variables and has no nearest-neighbour "
            "estimator; use a discrete method such as 'plugin'."
        )
    if method == "knn" and no_knn:
        raise ValueError(
            f"{no_knn} compares discrete variables and has no nearest-neighbour "
            f"estimator, but {' and '.join(continuous)} "
            f"{'is' if len(continuous) == 1 else 'are'} continuous (floating-point). "
            "Use method='binned' to discretize, or pass discrete=True."
        )
    if method == "knn" and not continuous:
        raise ValueError(
            "method='knn' needs a continuous variable, but every variable is "
            "discrete; use a discrete method such as 'plugin', or pass "
            "discrete=False to treat numbers as continuous."
        )
    return method


@dataclass(frozen=True)
class _Options:
    method: str
    n_categories: object
    alpha: object
    n_bins: object
    strategy: str
    n_neighbors: int
    random_state: object


def _prepare(
    values: list, names: list[str], discrete, opts: _Options, *, no_knn=None
) -> tuple[list[_Variable], str]:
    """Validate and convert the inputs, resolve the method, bin if asked.

    ``no_knn`` names the calling function when it has no ``"knn"`` estimator.
    """
    flags = _discrete_flags(discrete, len(values), names)
    if any(is_dask(value) for value in values):
        return _prepare_dask(values, names, flags, opts, no_knn)
    variables = [
        _to_variable(value, name, flag)
        for value, name, flag in zip(values, names, flags, strict=True)
    ]
    _check_lengths(variables)
    method = _resolve_method(opts.method, variables, no_knn)
    if method == "binned":
        variables = [
            v
            if v.discrete
            else _bin_variable(v, opts.n_bins, opts.strategy, opts.random_state)
            for v in variables
        ]
        method = "plugin"
    elif method == "knn":
        for v in variables:
            if not v.discrete and np.isnan(v.values).any():
                raise ValueError(
                    f"{v.name} contains NaN; the 'knn' estimators need finite values "
                    "(method='binned' gives NaN a bin of its own)."
                )
        n_samples = variables[0].n_samples
        if n_samples <= opts.n_neighbors:
            raise ValueError(
                f"n_neighbors={opts.n_neighbors} must be smaller than the number of "
                f"samples ({n_samples})."
            )
    elif method in _K_METHODS:
        variables = _with_n_categories(variables, opts.n_categories)
    return variables, method


def _with_n_categories(variables: list[_Variable], n_categories) -> list[_Variable]:
    """Set ``K`` of each variable from ``n_categories`` (None keeps the observed)."""
    if n_categories is None or isinstance(n_categories, Integral):
        given = [n_categories] * len(variables)
    else:
        given = list(n_categories)
        if len(given) != len(variables):
            raise ValueError(
                f"n_categories must be an int, None or a sequence of {len(variables)} "
                f"values (one per variable), got {n_categories!r}."
            )
    result = []
    for variable, k in zip(variables, given, strict=True):
        if k is None:
            result.append(variable)
            continue
        if not isinstance(k, Integral) or isinstance(k, bool) or k < 1:
            raise ValueError(
                f"n_categories must hold positive integers or None, got {k!r}."
            )
        if k < variable.n_codes:
            raise ValueError(
                f"n_categories={int(k)} is smaller than the {variable.n_codes} "
                f"distinct values observed in {variable.name}."
            )
        result.append(replace(variable, n_categories=int(k)))
    return result


# --------------------------------------------------------------------------------------
# Dask input: the joint table is counted on the workers, never the samples gathered
# --------------------------------------------------------------------------------------

#: Rows that place the quantile bins of ``method="binned"`` (as in memory).
_QUANTILE_SUBSAMPLE = 200_000


@dataclass(frozen=True)
class _DaskColumn:
    """One column of a variable given with Dask input.

    ``data`` is a 1-D Dask array, or a NumPy column when the user passed this
    variable in memory (it is chunked like the Dask ones before counting).
    """

    label: str
    kind: str
    data: object

    @property
    def n_samples(self) -> int:
        return int(self.data.shape[0])


def _frame_lengths(value) -> tuple[int, ...]:
    """Rows of each partition of a Dask DataFrame or Series (one small pass)."""
    return tuple(int(n) for n in value.map_partitions(len).compute())


def _dask_series_array(series, lengths):
    """Return a Dask Series as a 1-D Dask array (categories and text as objects)."""
    with warnings.catch_warnings():  # "converting category to object dtype": wanted
        warnings.simplefilter("ignore", UserWarning)
        return series.to_dask_array(lengths=lengths)


def _dask_columns(value, name: str) -> list[_DaskColumn]:
    """Split one input of a call with Dask input into labelled columns."""
    if not is_dask(value):
        value = as_pandas_1d(as_pandas(value))
        columns = _split_columns(value, name)
        labels = _column_labels(value, name, len(columns))
        return [
            _DaskColumn(label, variable_kind(column, label), _numpy_column(column))
            for column, label in zip(columns, labels, strict=True)
        ]
    import dask.dataframe as dd

    if isinstance(value, dd.DataFrame):  # one column per column of the variable
        lengths = _frame_lengths(value)
        out = [
            _DaskColumn(
                f"{name} column {c!r}",
                variable_kind(value[c], f"{name} column {c!r}"),
                _dask_series_array(value[c], lengths),
            )
            for c in value.columns
        ]
        n_samples = sum(lengths)
    elif isinstance(value, dd.Series):
        lengths = _frame_lengths(value)
        data = _dask_series_array(value, lengths)
        out = [_DaskColumn(name, variable_kind(value, name), data)]
        n_samples = sum(lengths)
    else:  # a Dask array
        if value.ndim not in (1, 2):
            raise ValueError(
                f"{name} must be 1-D (one variable) or 2-D of shape (n_samples, "
                f"n_columns), got an array with {value.ndim} dimensions."
            )
        if any(math.isnan(c) for c in value.chunks[0]):
            value = value.compute_chunk_sizes()
        n_samples = value.shape[0]
        if value.ndim == 1:
            out = [_DaskColumn(name, variable_kind(value, name), value)]
        else:
            out = [
                _DaskColumn(
                    f"{name} column {j}",
                    variable_kind(value[:, j], f"{name} column {j}"),
                    value[:, j],
                )
                for j in range(value.shape[1])
            ]
    if n_samples == 0 or not out:
        raise ValueError(f"{name} is empty: at least one sample is needed.")
    return out


def _numpy_column(column) -> NDArray:
    """Return a column of an in-memory input as a NumPy array (labels as objects)."""
    if isinstance(column, pd.Series | pd.Categorical):
        if isinstance(column.dtype, np.dtype):
            return column.to_numpy()
        return np.asarray(column, dtype=object)
    return np.asarray(column)


def _check_numeric(column: _DaskColumn) -> None:
    """Refuse, like :func:`skinfo._input.float_column`, what cannot be a number."""
    dtype = column.data.dtype
    if dtype.kind in "mM":
        raise TypeError(
            f"{column.label} holds dates or time spans (dtype {dtype}), which cannot "
            "be a continuous variable; count them as labels (discrete=True) or "
            "convert them to numbers (for example seconds) first."
        )
    if dtype.kind not in "biuf":
        raise TypeError(
            f"{column.label} holds non-numeric values (such as strings) and cannot "
            "be continuous; pass discrete=True to count its values."
        )


def _range_block(*blocks):
    """Per column of a block: smallest and largest value, any inf, any NaN."""
    values = np.column_stack([np.asarray(b, dtype=np.float64) for b in blocks])
    nan = np.isnan(values)
    lo = np.where(nan, np.inf, values).min(axis=0, initial=np.inf)
    hi = np.where(nan, -np.inf, values).max(axis=0, initial=-np.inf)
    return lo, hi, np.isinf(values).any(axis=0), nan.any(axis=0)


def _range_combine(a, b):
    return (np.minimum(a[0], b[0]), np.maximum(a[1], b[1]), a[2] | b[2], a[3] | b[3])


def _group_rows(columns: list[NDArray], counts: NDArray | None) -> tuple:
    """Distinct rows of aligned columns and their total count (``None``: ones).

    Returns the columns of the distinct rows, then their counts (int64). Missing
    values (NaN, None) are a value of their own, as in :func:`encode_labels`.
    """
    frame = pd.DataFrame(dict(enumerate(columns)), copy=False)
    keys = list(range(len(columns)))
    if counts is None:
        grouped = frame.groupby(keys, dropna=False, sort=False).size()
    else:
        frame["_n"] = counts
        grouped = frame.groupby(keys, dropna=False, sort=False)["_n"].sum()
    index = grouped.index
    values = tuple(index.get_level_values(j).to_numpy() for j in keys)
    return (*values, grouped.to_numpy(dtype=np.int64))


def _count_block(*blocks, edges, floats, labels):
    """Count the distinct rows of one row block: the block's reduced joint table.

    Columns with ``edges`` are binned first (NaN gets the code after the last
    bin), float columns counted as labels are checked for infinity.
    """
    columns = []
    for block, cuts, is_float, label in zip(blocks, edges, floats, labels, strict=True):
        if cuts is not None:
            values = np.asarray(block, dtype=np.float64)[:, None]
            block = apply_bin_edges(values, [cuts])[0][:, 0].astype(np.intp)
        elif is_float:
            block = np.asarray(block, dtype=np.float64)
            if np.isinf(block).any():
                raise ValueError(f"{label} contains infinite values.")
        columns.append(block)
    return _group_rows(columns, None)


def _count_combine(a, b):
    columns = [np.concatenate([x, y]) for x, y in zip(a[:-1], b[:-1], strict=True)]
    return _group_rows(columns, np.concatenate([a[-1], b[-1]]))


def _knn_refused(names: list[str]) -> TypeError:
    return TypeError(
        f"method='knn' (the default for continuous variables) does not accept Dask "
        f"collections ({', '.join(names)}): the nearest-neighbour estimators need "
        "every sample in memory. Estimate from a subsample computed into memory "
        "(for example x[:100_000].compute(), or ddf.sample(frac=0.01).compute()), "
        "or use method='binned' (bins counted on the workers), or a discrete "
        "method such as 'plugin' with discrete=True."
    )


def _prepare_dask(
    values: list, names: list[str], flags: list, opts: _Options, no_knn
) -> tuple[list[_Variable], str]:
    """:func:`_prepare` for inputs of which at least one is a Dask collection.

    Every estimator but ``"knn"`` needs only the counts of the distinct joint
    rows of all variables: each row block of the Dask arrays is counted on the
    workers (continuous columns binned first, with cuts from exact ranges or
    from a subsample drawn on the workers) and the small tables are merged by
    :func:`skinfo._dask.block_reduce`. The variables are then the rows of that
    table, weighted by their counts, and the estimators run on them unchanged.
    """
    import dask.array as da

    from skinfo import _dask

    per_variable = [
        _dask_columns(value, name) for value, name in zip(values, names, strict=True)
    ]
    discrete = [
        _resolve_discrete(name, [c.kind for c in columns], flag)
        for name, columns, flag in zip(names, per_variable, flags, strict=True)
    ]
    for columns, is_discrete in zip(per_variable, discrete, strict=True):
        if not is_discrete:
            for column in columns:
                _check_numeric(column)
    shapes = [
        _Variable(name, flag, np.empty((columns[0].n_samples, 0)))
        for name, columns, flag in zip(names, per_variable, discrete, strict=True)
    ]
    _check_lengths(shapes)
    method = _resolve_method(opts.method, shapes, no_knn)
    if method == "knn":
        raise _knn_refused(
            [n for n, v in zip(names, values, strict=True) if is_dask(v)]
        )

    # One row chunking for all columns: that of the first Dask column.
    reference = next(
        c.data for columns in per_variable for c in columns if is_dask(c.data)
    )
    chunks = reference.chunks[0]
    columns = [c for cols in per_variable for c in cols]
    arrays = [
        c.data.rechunk({0: chunks})
        if is_dask(c.data)
        else da.from_array(c.data, chunks=(chunks,))
        for c in columns
    ]
    owner = [i for i, cols in enumerate(per_variable) for _ in cols]
    binned = [method == "binned" and not discrete[i] for i in owner]
    edges = [None] * len(columns)
    has_nan = np.zeros(len(columns), dtype=bool)
    todo = [j for j, b in enumerate(binned) if b]
    if todo:
        lo, hi, inf, nan = _dask.block_reduce(
            _range_block, _range_combine, *[arrays[j] for j in todo]
        )
        for j, is_inf in zip(todo, inf, strict=True):
            if is_inf:
                raise ValueError(f"{columns[j].label} contains infinite values.")
        has_nan[todo] = nan
        n_samples = columns[0].n_samples
        n_bins = auto_n_bins(n_samples) if opts.n_bins == "auto" else opts.n_bins
        if opts.strategy == "uniform":  # the exact ranges give the in-memory cuts
            lo = np.where(np.isinf(lo), np.nan, lo)
            hi = np.where(np.isinf(hi), np.nan, hi)
            sample = np.vstack([lo, hi])
        else:  # all rows, in order, up to the subsample size: then the same cuts
            sample = np.column_stack(
                _dask.sample_rows(
                    [arrays[j] for j in todo], _QUANTILE_SUBSAMPLE, opts.random_state
                )
            ).astype(np.float64)
        cuts = fit_bin_edges(
            sample, n_bins, opts.strategy, random_state=opts.random_state
        )
        for j, c in zip(todo, cuts, strict=True):
            edges[j] = c
    floats = [
        not binned[j] and columns[j].data.dtype.kind == "f" for j in range(len(columns))
    ]
    *table, counts = _dask.block_reduce(
        _count_block,
        _count_combine,
        *arrays,
        edges=edges,
        floats=floats,
        labels=[c.label for c in columns],
    )
    weights = counts.astype(np.float64)
    variables = []
    for i, name in enumerate(names):
        ids = [j for j, o in enumerate(owner) if o == i]
        codes, sizes = [], []
        for j in ids:
            classes, column_codes = encode_labels(table[j])
            codes.append(column_codes)
            sizes.append(len(classes))
        if len(codes) == 1:
            joint, n_codes = codes[0], sizes[0]
        else:
            joint, n_codes = _densify(encode_rows(np.column_stack(codes), sizes)[0])
        if discrete[i]:
            k = math.prod(sizes)
        else:  # the bins, plus one for NaN, as apply_bin_edges counts them
            k = math.prod(len(edges[j]) + 1 + int(has_nan[j]) for j in ids)
        variables.append(_Variable(name, True, joint, n_codes, k, weights))
    if method == "binned":
        method = "plugin"
    elif method in _K_METHODS:
        variables = _with_n_categories(variables, opts.n_categories)
    return variables, method


# --------------------------------------------------------------------------------------
# Estimation kernels (nats)
# --------------------------------------------------------------------------------------


def _joint(variables: list[_Variable]) -> _Variable:
    """One variable for several of the same kind (joint codes or stacked columns)."""
    if len(variables) == 1:
        return variables[0]
    name = " and ".join(v.name for v in variables)
    if not variables[0].discrete:
        return _Variable(name, False, np.hstack([v.values for v in variables]))
    codes, _ = encode_rows(
        np.column_stack([v.values for v in variables]), [v.n_codes for v in variables]
    )
    joint, n_codes = _densify(codes)
    k = math.prod(v.n_categories for v in variables)
    return _Variable(name, True, joint, n_codes, k, variables[0].weights)


def _entropy_discrete(variables: list[_Variable], method: str, alpha) -> float:
    """Entropy in nats of the joint of discrete variables, observed cells only."""
    if len(variables) == 1:
        codes = variables[0].values
    else:
        codes, _ = encode_rows(
            np.column_stack([v.values for v in variables]),
            [v.n_codes for v in variables],
        )
    # weighted: the rows of a reduced table; the sums of integer counts are exact
    counts = np.bincount(codes, weights=variables[0].weights)
    counts = counts[counts > 0]
    if method not in _K_METHODS:
        return float(entropy_from_counts(counts, method=method))
    # Unobserved categories count for K-dependent estimators; the kernel accounts
    # for the K - len(counts) empty ones analytically.
    k = math.prod(v.n_categories for v in variables)
    return float(
        entropy_from_counts(counts, method=method, n_categories=k, alpha=alpha)
    )


def _combine(terms: list[float], method: str) -> float:
    """Sum signed entropy terms; snap plug-in round-off around zero to 0."""
    return float(roundoff_sum(terms, method))


def _mi_discrete(x, y, method, alpha) -> float:
    h = _entropy_discrete
    terms = [h([x], method, alpha), h([y], method, alpha), -h([x, y], method, alpha)]
    value = _combine(terms, method)
    if method == "plugin":  # I(X;Y) <= min(H(X), H(Y)), also in floating point
        value = min(value, terms[0], terms[1])
    return value


def _entropy_knn(variable: _Variable, opts: _Options, rng) -> float:
    if variable.discrete:
        return _entropy_discrete([variable], "plugin", None)
    return float(
        knn_entropy(variable.values, n_neighbors=opts.n_neighbors, random_state=rng)
    )


def _is_constant(variable: _Variable) -> bool:
    """Whether every sample of the variable has the same value (row)."""
    if variable.discrete:
        return variable.n_codes <= 1
    values = variable.values
    return bool((values == values[:1]).all())


def _mi_knn(x: _Variable, y: _Variable, opts: _Options, rng) -> float:
    """I(X;Y): KSG, Ross for a discrete/continuous pair, plug-in for two discrete."""
    k = opts.n_neighbors
    if _is_constant(x) or _is_constant(y):  # a constant shares nothing: exactly 0
        return 0.0
    if x.discrete and y.discrete:
        return _mi_discrete(x, y, "plugin", None)
    if not x.discrete and not y.discrete:
        return float(
            ksg_mutual_info(x.values, y.values, n_neighbors=k, random_state=rng)
        )
    continuous, labels = (y, x) if x.discrete else (x, y)
    return float(
        mixed_mutual_info(
            continuous.values, labels.values, n_neighbors=k, random_state=rng
        )
    )


def _joint_entropy_knn(variables: list[_Variable], opts: _Options, rng) -> float:
    """H(D, C) = H(D) + h(C) - I(C; D) for discrete D and continuous C."""
    discrete = [v for v in variables if v.discrete]
    continuous = _joint([v for v in variables if not v.discrete])
    value = _entropy_knn(continuous, opts, rng)
    if discrete:
        labels = _joint(discrete)
        value += _entropy_knn(labels, opts, rng) - _mi_knn(
            continuous, labels, opts, rng
        )
    return value


def _subset(variable: _Variable, rows: NDArray) -> _Variable:
    values = variable.values[rows]
    if not variable.discrete:
        return replace(variable, values=values)
    codes, n_codes = _densify(values)
    return replace(variable, values=codes, n_codes=n_codes)


def _cmi_knn(x, y, z, opts: _Options, rng) -> float:
    """I(X;Y|Z) with nearest-neighbour estimators, for any mixture of kinds."""
    if _is_constant(x) or _is_constant(y):
        return 0.0
    if _is_constant(z):  # conditioning on a constant changes nothing
        return _mi_knn(x, y, opts, rng)
    if z.discrete:
        # Average of I(X;Y | Z=z) over the strata of z, weighted by p(z).
        counts = np.bincount(z.values)
        small = counts[counts > 0].min()
        if small <= opts.n_neighbors:
            raise ValueError(
                f"Every value of the discrete {z.name} must occur more than "
                f"n_neighbors={opts.n_neighbors} times for the 'knn' estimate, but "
                f"one occurs {small} time(s); use method='binned' or a smaller "
                "n_neighbors."
            )
        order = np.argsort(z.values, kind="stable")
        strata = np.split(order, np.cumsum(counts)[:-1])
        n_samples = z.n_samples
        return float(
            sum(
                rows.size
                / n_samples
                * _mi_knn(_subset(x, rows), _subset(y, rows), opts, rng)
                for rows in strata
                if rows.size
            )
        )
    if not x.discrete and not y.discrete:
        return float(
            frenzel_pompe_cmi(
                x.values,
                y.values,
                z.values,
                n_neighbors=opts.n_neighbors,
                random_state=rng,
            )
        )
    if x.discrete and y.discrete:
        # I(X;Y|Z) = I(X;Y) + I(XY;Z) - I(X;Z) - I(Y;Z)
        return (
            _mi_discrete(x, y, "plugin", None)
            + _mi_knn(_joint([x, y]), z, opts, rng)
            - _mi_knn(x, z, opts, rng)
            - _mi_knn(y, z, opts, rng)
        )
    # One discrete D, one continuous C: I(D;C|Z) = I(D; C,Z) - I(D; Z)
    labels, continuous = (x, y) if x.discrete else (y, x)
    return _mi_knn(labels, _joint([continuous, z]), opts, rng) - _mi_knn(
        labels, z, opts, rng
    )


def _options(**kwargs) -> _Options:
    defaults = {
        "n_categories": None,
        "alpha": None,
        "n_bins": "auto",
        "strategy": "quantile",
        "n_neighbors": 3,
        "random_state": None,
    }
    defaults.update(kwargs)
    return _Options(**defaults)


# --------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------


def _joint_entropy(values, names, discrete, opts: _Options) -> float:
    variables, method = _prepare(values, names, discrete, opts)
    if method == "knn":
        rng = check_random_state(opts.random_state)
        return _joint_entropy_knn(variables, opts, rng)
    return _entropy_discrete(variables, method, opts.alpha)


@validate_params(
    {
        "x": _SAMPLES,
        **_OPTIONS,
        "discrete": ["boolean", None],
        "n_categories": [Interval(Integral, 1, None, closed="left"), None],
    },
    prefer_skip_nested_validation=True,
)
@_fill_doc
def entropy(
    x,
    *,
    method="auto",
    base=None,
    discrete=None,
    n_categories=None,
    alpha=None,
    n_bins="auto",
    strategy="quantile",
    n_neighbors=3,
    random_state=None,
):
    """Estimate the entropy of a variable from samples.

    Parameters
    ----------
    x : array-like of shape (n_samples,) or (n_samples, n_columns)
        Samples of the variable; a 2-D input is the joint variable of its columns.
    %(method)s
    %(base)s
    %(discrete1)s
    %(n_categories1)s
    %(alpha)s
    %(n_bins)s
    %(strategy)s
    %(n_neighbors)s
    %(random_state)s

    Returns
    -------
    float
        Entropy ``H(X)`` in nats, or in units of ``base``; for continuous ``x`` with
        ``method="knn"`` the differential entropy.

    See Also
    --------
    joint_entropy : Entropy of several variables together.
    skinfo.measures.entropy : Exact entropy of a given distribution.

    Notes
    -----
    With ``method="auto"``, discrete ``x`` gets the plug-in estimate and continuous
    ``x`` the Kozachenko-Leonenko nearest-neighbour estimate of the differential
    entropy, ``psi(N) - psi(k) + log V_d + (d/N) sum_i log r_i`` with ``r_i`` the
    distance from sample ``i`` to its ``k``-th neighbour, in the form of [4]_.

    %(estimators)s

    %(sign)s

    References
    ----------
    %(references)s

    Examples
    --------
    >>> from skinfo.estimate import entropy
    >>> entropy(["a", "b", "a", "b"], base=2)
    1.0
    >>> round(entropy([0, 0, 0, 1, 1, 2], method="miller_madow"), 4)
    1.1781
    >>> round(entropy([0, 0, 0, 1], method="dirichlet", alpha="laplace"), 4)
    0.6365
    """
    check_base(base)
    opts = _options(
        method=method,
        n_categories=n_categories,
        alpha=alpha,
        n_bins=n_bins,
        strategy=strategy,
        n_neighbors=n_neighbors,
        random_state=random_state,
    )
    return float(to_base(_joint_entropy([x], ["x"], discrete, opts), base))


@validate_params(_OPTIONS, prefer_skip_nested_validation=True)
@_fill_doc
def joint_entropy(
    *variables,
    method="auto",
    base=None,
    discrete=None,
    n_categories=None,
    alpha=None,
    n_bins="auto",
    strategy="quantile",
    n_neighbors=3,
    random_state=None,
):
    """Estimate the joint entropy of several variables from samples.

    Parameters
    ----------
    *variables : array-like of shape (n_samples,) or (n_samples, n_columns)
        Samples of each variable, with the same number of rows. A single 2-D array
        or DataFrame is the joint variable of its columns.
    %(method)s
    %(base)s
    %(discrete)s
    %(n_categories)s
    %(alpha)s
    %(n_bins)s
    %(strategy)s
    %(n_neighbors)s
    %(random_state)s

    Returns
    -------
    float
        Joint entropy ``H(X_1, ..., X_m)`` in nats, or in units of ``base``.

    See Also
    --------
    entropy : Entropy of one variable.
    conditional_entropy : Entropy of one variable given another.

    Notes
    -----
    Discrete variables are counted together: each distinct combination of values is
    one category, and only observed combinations are stored. With ``"knn"`` the
    continuous variables are stacked into one and, when discrete variables ``D`` are
    present too, ``H(D, C) = H(D) + h(C) - I(C; D)`` combines the plug-in
    ``H(D)``, the Kozachenko-Leonenko ``h(C)`` [4]_ and Ross's ``I(C; D)`` [5]_.

    %(estimators)s

    %(sign)s

    References
    ----------
    %(references)s

    Examples
    --------
    >>> from skinfo.estimate import joint_entropy
    >>> x = [0, 0, 1, 1]
    >>> y = ["a", "b", "a", "b"]
    >>> joint_entropy(x, y, base=2)
    2.0
    >>> joint_entropy(x, x, base=2)
    1.0
    """
    if not variables:
        raise TypeError("joint_entropy needs at least one variable.")
    check_base(base)
    opts = _options(
        method=method,
        n_categories=n_categories,
        alpha=alpha,
        n_bins=n_bins,
        strategy=strategy,
        n_neighbors=n_neighbors,
        random_state=random_state,
    )
    names = [f"variables[{i}]" for i in range(len(variables))]
    return float(to_base(_joint_entropy(list(variables), names, discrete, opts), base))


@validate_params(
    {
        "x": _SAMPLES,
        "y": _SAMPLES,
        **_OPTIONS,
    },
    prefer_skip_nested_validation=True,
)
@_fill_doc
def conditional_entropy(
    x,
    y,
    *,
    method="auto",
    base=None,
    discrete=None,
    n_categories=None,
    alpha=None,
    n_bins="auto",
    strategy="quantile",
    n_neighbors=3,
    random_state=None,
):
    """Estimate the conditional entropy ``H(X|Y)`` from samples.

    Parameters
    ----------
    x : array-like of shape (n_samples,) or (n_samples, n_columns)
        Samples of the variable whose remaining uncertainty is measured.
    y : array-like of shape (n_samples,) or (n_samples, n_columns)
        Samples of the conditioning variable; 2-D conditions on all its columns.
    %(method)s
    %(base)s
    %(discrete)s
    %(n_categories)s
    %(alpha)s
    %(n_bins)s
    %(strategy)s
    %(n_neighbors)s
    %(random_state)s

    Returns
    -------
    float
        ``H(X|Y)`` in nats, or in units of ``base``.

    See Also
    --------
    entropy : Entropy of one variable.
    mutual_info : Mutual information ``I(X;Y) = H(X) - H(X|Y)``.

    Notes
    -----
    The discrete estimators use ``H(X|Y) = H(X,Y) - H(Y)``, each term with the
    chosen estimator. ``"knn"`` uses ``H(X|Y) = H(X) - I(X;Y)``, with the
    Kozachenko-Leonenko [4]_ (continuous ``x``) or plug-in (discrete ``x``) entropy
    and the KSG [4]_ or Ross [5]_ mutual information.

    %(estimators)s

    %(sign)s

    References
    ----------
    %(references)s

    Examples
    --------
    >>> from skinfo.estimate import conditional_entropy
    >>> x = [0, 1, 0, 1]
    >>> conditional_entropy(x, ["a", "a", "b", "b"], base=2)
    1.0
    >>> conditional_entropy(x, x)
    0.0
    """
    check_base(base)
    opts = _options(
        method=method,
        n_categories=n_categories,
        alpha=alpha,
        n_bins=n_bins,
        strategy=strategy,
        n_neighbors=n_neighbors,
        random_state=random_state,
    )
    (vx, vy), method = _prepare([x, y], ["x", "y"], discrete, opts)
    if method == "knn":
        rng = check_random_state(random_state)
        value = _entropy_knn(vx, opts, rng) - _mi_knn(vx, vy, opts, rng)
    else:
        h = _entropy_discrete
        value = _combine([h([vx, vy], method, alpha), -h([vy], method, alpha)], method)
    return float(to_base(value, base))


@validate_params(
    {
        "x": _SAMPLES,
        "y": _SAMPLES,
        **_OPTIONS,
    },
    prefer_skip_nested_validation=True,
)
@_fill_doc
def mutual_info(
    x,
    y,
    *,
    method="auto",
    base=None,
    discrete=None,
    n_categories=None,
    alpha=None,
    n_bins="auto",
    strategy="quantile",
    n_neighbors=3,
    random_state=None,
):
    """Estimate the mutual information ``I(X;Y)`` from samples.

    Parameters
    ----------
    x : array-like of shape (n_samples,) or (n_samples, n_columns)
        Samples of the first variable; 2-D is the joint variable of its columns.
    y : array-like of shape (n_samples,) or (n_samples, n_columns)
        Samples of the second variable.
    %(method)s
    %(base)s
    %(discrete)s
    %(n_categories)s
    %(alpha)s
    %(n_bins)s
    %(strategy)s
    %(n_neighbors)s
    %(random_state)s

    Returns
    -------
    float
        ``I(X;Y)`` in nats, or in units of ``base``.

    See Also
    --------
    conditional_mutual_info : Mutual information given a third variable.
    normalized_mutual_info : Mutual information scaled to ``[0, 1]``.
    sklearn.metrics.mutual_info_score : The plug-in estimate for two labelings.

    Notes
    -----
    Decision table of ``method="auto"``:

    ======================  ====================================================
    ``x`` and ``y``         estimator
    ======================  ====================================================
    both discrete           plug-in, ``H(X) + H(Y) - H(X,Y)`` (as
                            :func:`sklearn.metrics.mutual_info_score`)
    both continuous         KSG, algorithm 1 [4]_
    one of each             Ross [5]_ (as
                            :func:`sklearn.feature_selection.mutual_info_classif`)
    ======================  ====================================================

    The other discrete estimators use the same identity, so their corrections
    apply to each of the three entropies; ``"shrinkage"`` and ``"dirichlet"`` give
    the pair ``(X, Y)`` the support ``K_x K_y``, so for them ``I(X;X)`` is below
    ``H(X)``; the other estimators give ``I(X;X) = H(X)``.

    %(estimators)s

    The plug-in estimate is non-negative, and values within ``1e-10`` of zero (either
    sign, round-off) are set to ``0.0``. %(sign)s

    References
    ----------
    %(references)s

    Examples
    --------
    >>> from skinfo.estimate import mutual_info
    >>> x = ["a", "a", "b", "b"]
    >>> mutual_info(x, [0, 0, 1, 1], base=2)
    1.0
    >>> mutual_info(x, [0, 1, 0, 1])
    0.0
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> u = rng.normal(size=2000)
    >>> v = u + rng.normal(size=2000)
    >>> true = -0.5 * np.log(1 - 0.5)  # correlation 1/sqrt(2)
    >>> bool(abs(mutual_info(u, v, random_state=0) - true) < 0.05)
    True
    """
    check_base(base)
    opts = _options(
        method=method,
        n_categories=n_categories,
        alpha=alpha,
        n_bins=n_bins,
        strategy=strategy,
        n_neighbors=n_neighbors,
        random_state=random_state,
    )
    (vx, vy), method = _prepare([x, y], ["x", "y"], discrete, opts)
    if method == "knn":
        value = _mi_knn(vx, vy, opts, check_random_state(random_state))
    else:
        value = _mi_discrete(vx, vy, method, alpha)
    return float(to_base(value, base))


@validate_params(
    {
        "x": _SAMPLES,
        "y": _SAMPLES,
        "z": _SAMPLES,
        **_OPTIONS,
    },
    prefer_skip_nested_validation=True,
)
@_fill_doc
def conditional_mutual_info(
    x,
    y,
    z,
    *,
    method="auto",
    base=None,
    discrete=None,
    n_categories=None,
    alpha=None,
    n_bins="auto",
    strategy="quantile",
    n_neighbors=3,
    random_state=None,
):
    """Estimate the conditional mutual information ``I(X;Y|Z)`` from samples.

    Parameters
    ----------
    x : array-like of shape (n_samples,) or (n_samples, n_columns)
        Samples of the first variable.
    y : array-like of shape (n_samples,) or (n_samples, n_columns)
        Samples of the second variable.
    z : array-like of shape (n_samples,) or (n_samples, n_columns)
        Samples of the conditioning variable; a 2-D array or DataFrame conditions
        on all its columns jointly.
    %(method)s
    %(base)s
    %(discrete)s
    %(n_categories)s
    %(alpha)s
    %(n_bins)s
    %(strategy)s
    %(n_neighbors)s
    %(random_state)s

    Returns
    -------
    float
        ``I(X;Y|Z)`` in nats, or in units of ``base``.

    See Also
    --------
    mutual_info : Unconditional mutual information.

    Notes
    -----
    The discrete estimators use ``H(X,Z) + H(Y,Z) - H(X,Y,Z) - H(Z)``, each term
    with the chosen estimator (for the plug-in estimator this equals
    ``sum_z p(z) I(X;Y|Z=z)``, and ``I(X,Z;Y) = I(Z;Y) + I(X;Y|Z)`` holds exactly).

    ``"knn"`` (the default when a variable is continuous) uses:

    ==============================  ===========================================
    ``x``, ``y`` | ``z``            estimator
    ==============================  ===========================================
    continuous, continuous | cont.  Frenzel-Pompe [6]_
    any | discrete                  ``sum_z p(z) I(X;Y|Z=z)``, the inner terms
                                    by KSG [4]_ or Ross [5]_
    discrete, continuous | cont.    ``I(X; Y,Z) - I(X; Z)``, both by Ross
    discrete, discrete | cont.      ``I(X;Y) + I(X,Y; Z) - I(X;Z) - I(Y;Z)``,
                                    plug-in then Ross
    ==============================  ===========================================

    With a discrete ``z`` each of its values must occur more than ``n_neighbors``
    times.

    %(estimators)s

    The plug-in estimate is non-negative, and values within ``1e-10`` of zero (either
    sign, round-off) are set to ``0.0``. %(sign)s

    References
    ----------
    %(references)s

    Examples
    --------
    >>> from skinfo.estimate import conditional_mutual_info
    >>> x = [0, 0, 1, 1, 0, 0, 1, 1]
    >>> y = [0, 1, 0, 1, 0, 1, 0, 1]
    >>> z = [0, 1, 1, 0, 0, 1, 1, 0]  # z = x XOR y
    >>> round(conditional_mutual_info(x, y, z, base=2), 12)
    1.0
    """
    check_base(base)
    opts = _options(
        method=method,
        n_categories=n_categories,
        alpha=alpha,
        n_bins=n_bins,
        strategy=strategy,
        n_neighbors=n_neighbors,
        random_state=random_state,
    )
    (vx, vy, vz), method = _prepare([x, y, z], ["x", "y", "z"], discrete, opts)
    if method == "knn":
        value = _cmi_knn(vx, vy, vz, opts, check_random_state(random_state))
    else:
        h = _entropy_discrete
        terms = [
            h([vx, vz], method, alpha),
            h([vy, vz], method, alpha),
            -h([vx, vy, vz], method, alpha),
            -h([vz], method, alpha),
        ]
        value = _combine(terms, method)
    return float(to_base(value, base))


def _discrete_pair(x, y, discrete, opts: _Options, func: str):
    variables, method = _prepare([x, y], ["x", "y"], discrete, opts, no_knn=func)
    vx, vy = variables
    h = _entropy_discrete
    hx, hy = h([vx], method, opts.alpha), h([vy], method, opts.alpha)
    hxy = h([vx, vy], method, opts.alpha)
    return vx, vy, hx, hy, hxy, method


_PAIR_OPTIONS = {k: v for k, v in _OPTIONS.items() if k not in ("base", "n_neighbors")}


@validate_params(
    {
        "x": _SAMPLES,
        "y": _SAMPLES,
        "average_method": [StrOptions(set(_AVERAGE_METHODS))],
        **_PAIR_OPTIONS,
    },
    prefer_skip_nested_validation=True,
)
@_fill_doc
def normalized_mutual_info(
    x,
    y,
    *,
    method="auto",
    average_method="arithmetic",
    discrete=None,
    n_categories=None,
    alpha=None,
    n_bins="auto",
    strategy="quantile",
    random_state=None,
):
    """Estimate the normalized mutual information of two discrete variables.

    ``NMI = I(X;Y) / mean(H(X), H(Y))``, with the mean chosen by
    ``average_method``, as :func:`sklearn.metrics.normalized_mutual_info_score`.

    Parameters
    ----------
    x : array-like of shape (n_samples,) or (n_samples, n_columns)
        Samples of the first variable (e.g. class labels).
    y : array-like of shape (n_samples,) or (n_samples, n_columns)
        Samples of the second variable (e.g. cluster labels).
    method : {"auto", "plugin", "miller_madow", "grassberger", "shrinkage", \
"dirichlet", "binned"}, default="auto"
        Estimator of the three entropies. ``"auto"`` is ``"plugin"``; continuous
        variables need ``"binned"`` (or ``discrete=True``). ``"knn"`` is not
        accepted: differential entropies can be negative, so the ratio has no
        meaning.
    average_method : {"arithmetic", "geometric", "min", "max"}, \
default="arithmetic"
        Mean of ``H(X)`` and ``H(Y)`` in the denominator.
    %(discrete)s
    %(n_categories)s
    %(alpha)s
    %(n_bins)s
    %(strategy)s
    %(random_state)s

    Returns
    -------
    float
        Normalized mutual information, a ratio without unit; within ``[0, 1]`` for
        the plug-in estimator.

    See Also
    --------
    mutual_info : Mutual information.
    variation_of_information : A metric between clusterings.

    Notes
    -----
    Edge cases follow scikit-learn: when both variables are constant the result
    is ``1.0`` (a perfect match); when only one is constant it is ``0.0``, as it is
    whenever the plug-in mutual information is zero. Bias-corrected estimators
    change numerator and denominator, and their ratio is no longer bounded by 1.

    %(estimators)s

    References
    ----------
    %(references)s

    Examples
    --------
    >>> from skinfo.estimate import normalized_mutual_info
    >>> normalized_mutual_info([0, 0, 1, 1], ["b", "b", "a", "a"])
    1.0
    >>> round(normalized_mutual_info([0, 0, 1, 1], [0, 0, 1, 2]), 4)
    0.8
    """
    opts = _options(
        method=method,
        n_categories=n_categories,
        alpha=alpha,
        n_bins=n_bins,
        strategy=strategy,
        random_state=random_state,
    )
    vx, vy, hx, hy, hxy, method = _discrete_pair(
        x, y, discrete, opts, "normalized_mutual_info"
    )
    if vx.n_codes == 1 and vy.n_codes == 1:
        return 1.0
    if vx.n_codes == 1 or vy.n_codes == 1:
        return 0.0
    mi = _combine([hx, hy, -hxy], method)
    if mi == 0:
        return 0.0
    normalizer = average_entropy(hx, hy, average_method)
    if normalizer <= 0:
        raise ValueError(
            f"The {method!r} entropy estimates give a non-positive normalizer "
            f"({normalizer!r}); use method='plugin'."
        )
    if method == "plugin":  # bounded by 1: round-off near the bounds snaps to them
        return snap_ratio(min(mi / normalizer, 1.0))
    return float(mi / normalizer)


@validate_params(
    {
        "x": _SAMPLES,
        "y": _SAMPLES,
        "normalized": ["boolean"],
        "base": _OPTIONS["base"],
        **_PAIR_OPTIONS,
    },
    prefer_skip_nested_validation=True,
)
@_fill_doc
def variation_of_information(
    x,
    y,
    *,
    method="auto",
    normalized=False,
    base=None,
    discrete=None,
    n_categories=None,
    alpha=None,
    n_bins="auto",
    strategy="quantile",
    random_state=None,
):
    """Estimate the variation of information between two discrete variables.

    ``VI(X,Y) = H(X|Y) + H(Y|X) = 2 H(X,Y) - H(X) - H(Y)``, a metric on
    partitions (clusterings) of the samples.

    Parameters
    ----------
    x : array-like of shape (n_samples,) or (n_samples, n_columns)
        Samples of the first variable (e.g. labels of one clustering).
    y : array-like of shape (n_samples,) or (n_samples, n_columns)
        Samples of the second variable.
    method : {"auto", "plugin", "miller_madow", "grassberger", "shrinkage", \
"dirichlet", "binned"}, default="auto"
        Estimator of the entropies. ``"auto"`` is ``"plugin"``; continuous
        variables need ``"binned"`` (or ``discrete=True``); ``"knn"`` is not
        accepted.
    normalized : bool, default=False
        Divide by the joint entropy ``H(X,Y)``, which maps the plug-in estimate to
        ``[0, 1]`` [7]_; ``base`` then has no effect.
    %(base)s
    %(discrete)s
    %(n_categories)s
    %(alpha)s
    %(n_bins)s
    %(strategy)s
    %(random_state)s

    Returns
    -------
    float
        ``VI(X,Y)`` in nats, or in units of ``base``; without unit when
        ``normalized=True``.

    See Also
    --------
    normalized_mutual_info : A similarity between clusterings.
    conditional_entropy : One of the two terms of ``VI``.

    Notes
    -----
    ``VI`` is 0 exactly when the two variables determine each other (one is a
    relabelling of the other); with ``normalized=True`` and two constant variables
    (``H(X,Y) = 0``) the result is ``0.0``. Plug-in values within ``1e-10`` of zero
    (either sign, round-off) are set to ``0.0``; bias-corrected estimates are
    returned as they are.

    %(estimators)s

    References
    ----------
    %(references)s

    Examples
    --------
    >>> from skinfo.estimate import variation_of_information
    >>> variation_of_information([0, 0, 1, 1], ["b", "b", "a", "a"])
    0.0
    >>> round(variation_of_information([0, 0, 1, 1], [0, 1, 0, 1], base=2), 12)
    2.0
    >>> x, y = [0, 0, 1, 1], [0, 1, 0, 1]
    >>> round(variation_of_information(x, y, normalized=True), 12)
    1.0
    """
    check_base(base)
    opts = _options(
        method=method,
        n_categories=n_categories,
        alpha=alpha,
        n_bins=n_bins,
        strategy=strategy,
        random_state=random_state,
    )
    _, _, hx, hy, hxy, method = _discrete_pair(
        x, y, discrete, opts, "variation_of_information"
    )
    value = _combine([2 * hxy, -hx, -hy], method)
    if normalized:
        if hxy <= 0:
            return 0.0
        if method == "plugin":
            return snap_ratio(min(value / hxy, 1.0))
        return float(value / hxy)
    return float(to_base(value, base))
