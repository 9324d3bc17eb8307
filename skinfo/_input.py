"""The input layer: what an estimator accepts as ``X``, decided in one place.

Every estimator, :mod:`skinfo.estimate` and the command line ask this module what the
columns of their input are, and get numbers from it. The first call of their ``fit``,
``transform`` and ``inverse_transform`` is :func:`as_pandas`: a dataframe of any
other library narwhals knows (polars, pyarrow, ...) becomes the pandas DataFrame that
means the same (nulls missing, integers exact, categoricals categorical, names kept),
so that from there on one pandas/NumPy path serves every input, and scikit-learn's
``validate_data`` records the feature names as for pandas. The helpers of that path
(:func:`frame_to_numeric`, :func:`exact_integer_columns`, :func:`integer_columns`,
:func:`recode_categoricals`, ... and the column kinds of :mod:`skinfo.estimate` and
of the command line) live here too, with the text/date check every estimator runs
first (:func:`check_no_text`) and the ``discrete_features="auto"`` mask
(:func:`auto_discrete_mask`). Dask collections enter through :mod:`skinfo._dask`,
which asks this module the same questions of their metadata; scipy sparse matrices
keep their stored entries (see :mod:`skinfo._sparse`).

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
Missing values (NaN, None, null) are a value of their own: NaN for numbers, the last
code for discrete columns.
"""

from __future__ import annotations

import warnings

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from skinfo._binning import encode_labels

__all__ = [
    "BOOLEAN",
    "CATEGORICAL",
    "CONTINUOUS",
    "INTEGER",
    "as_pandas",
    "as_pandas_1d",
    "auto_discrete_mask",
    "category_levels",
    "check_no_text",
    "column_problem",
    "exact_column",
    "exact_integer_columns",
    "float_column",
    "frame_to_numeric",
    "has_text_categories",
    "integer_columns",
    "is_dataframe",
    "is_discrete_dtype",
    "recode_categoricals",
    "recode_exact",
    "variable_kind",
]

CONTINUOUS, INTEGER, BOOLEAN, CATEGORICAL = (
    "continuous",
    "integer",
    "boolean",
    "categorical",
)
_TEMPORAL = (nw.Datetime, nw.Date, nw.Duration, nw.Time)


def is_dataframe(X) -> bool:
    """Whether ``X`` is a dataframe of a library narwhals supports."""
    return nw.dependencies.is_into_dataframe(X)


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


def _series_values(series: nw.Series, missing: NDArray[np.bool_]) -> NDArray:
    """Return the values of ``series`` as an object array, ``None`` where missing."""
    values = np.empty(len(series), dtype=object)
    values[:] = series.to_list()
    values[missing] = None
    return values


def _pandas_column(series: nw.Series):
    """One column of a non-pandas dataframe as the pandas column that means the same.

    Floats become float64 with NaN for null, integers and booleans their numpy dtype
    (a pandas nullable array when nulls are present, so integers stay exact),
    categorical columns a pandas ``Categorical`` (an ``Enum``'s declared order, else
    the present values sorted), dates numpy datetimes and text an object column
    (both refused later with the message pandas input gets).
    """
    kind, categories = _frame_column_kind(series)
    missing = np.asarray(series.is_null().to_numpy(), dtype=bool)
    any_missing = bool(missing.any())
    if kind == CONTINUOUS:
        if series.dtype.is_decimal():
            series = series.cast(nw.Float64)
        values = series.fill_null(float("nan")) if any_missing else series
        return np.asarray(values.to_numpy(), dtype=np.float64)
    if kind in (INTEGER, BOOLEAN):
        filler = 0 if kind == INTEGER else False
        values = np.asarray(
            (series.fill_null(filler) if any_missing else series).to_numpy()
        )
        if kind == BOOLEAN:
            values = values.astype(bool, copy=False)
            return pd.arrays.BooleanArray(values, missing) if any_missing else values
        return pd.arrays.IntegerArray(values, missing) if any_missing else values
    if kind == CATEGORICAL:
        return pd.Categorical(
            _series_values(series, missing), categories=pd.Index(categories)
        )
    if kind == "datetime":
        values = series.to_numpy()
        if np.asarray(values).dtype.kind in "Mm":
            return values
    return _series_values(series, missing)


def as_pandas(X):
    """Return ``X``, with a dataframe of another library as a pandas DataFrame.

    NumPy arrays, nested lists, sparse matrices and pandas DataFrames come back as
    they are (no copy). A polars or pyarrow table (any eager dataframe narwhals
    knows) becomes the pandas DataFrame holding the same data, column names kept:
    nulls are missing values (NaN in floats, a nullable integer or boolean array,
    a missing category), integers keep their exact dtype, and categorical columns
    (polars ``Categorical``/``Enum``, arrow dictionaries) become pandas categoricals.

    polars ``Categorical`` columns and arrow dictionaries declare no order of their
    categories, so their categories are the values present in the column, sorted
    (for text: alphabetically); a polars ``Enum`` keeps its declared order.

    Parameters
    ----------
    X : object
        The input, as the user passed it.

    Returns
    -------
    object
        ``X`` itself, or a pandas DataFrame.

    Examples
    --------
    >>> import numpy as np
    >>> import pyarrow as pa
    >>> from skinfo._input import as_pandas
    >>> X = np.ones((2, 2))
    >>> as_pandas(X) is X
    True
    >>> table = pa.table({"n": [2**60, None], "c": ["b", "a"]})
    >>> table = table.set_column(1, "c", table["c"].dictionary_encode())
    >>> frame = as_pandas(table)
    >>> frame.dtypes.astype(str).tolist()
    ['Int64', 'category']
    >>> frame["n"].tolist()
    [1152921504606846976, <NA>]
    >>> frame["c"].cat.categories.tolist()
    ['a', 'b']
    """
    if isinstance(X, np.ndarray | pd.DataFrame) or not is_dataframe(X):
        return X
    frame = nw.from_native(X, eager_only=True)
    columns = {label: _pandas_column(frame[label]) for label in frame.columns}
    return pd.DataFrame(columns, index=pd.RangeIndex(frame.shape[0]))


def as_pandas_1d(values):
    """Return ``values``, with a polars or pyarrow series as a pandas Series.

    Examples
    --------
    >>> import pyarrow as pa
    >>> from skinfo._input import as_pandas_1d
    >>> as_pandas_1d(pa.chunked_array([[1, None]])).tolist()
    [1, <NA>]
    >>> as_pandas_1d([1, 2])
    [1, 2]
    """
    if isinstance(values, pd.Series) or not nw.dependencies.is_into_series(values):
        return values
    series = nw.from_native(values, series_only=True)
    return pd.Series(_pandas_column(series), name=series.name)


# ------------------------------------------- numpy and pandas input of the estimators
def has_text_categories(X) -> bool:
    """Whether ``X`` is a DataFrame with a categorical column of non-numbers."""
    return isinstance(X, pd.DataFrame) and any(
        isinstance(dtype, pd.CategoricalDtype)
        and not pd.api.types.is_numeric_dtype(dtype.categories.dtype)
        for dtype in X.dtypes
    )


def frame_to_numeric(X: pd.DataFrame):
    """Numeric view of a DataFrame and the mask of its categorical columns.

    Categorical columns become their category codes (missing -> NaN). Columns that
    are neither numeric nor categorical raise a ``TypeError`` naming the column.
    """
    categorical = np.zeros(X.shape[1], dtype=bool)
    plain = True
    for j, (name, dtype) in enumerate(X.dtypes.items()):
        if isinstance(dtype, pd.CategoricalDtype):
            categorical[j] = True
            plain = False
        elif (
            pd.api.types.is_bool_dtype(dtype)
            or pd.api.types.is_integer_dtype(dtype)
            or pd.api.types.is_float_dtype(dtype)
        ):
            plain &= isinstance(dtype, np.dtype)
        else:
            raise TypeError(
                f"Column {name!r} of X has dtype {dtype}, which is neither numeric nor "
                "categorical. Convert it with X[col].astype('category') to use it as a "
                "discrete feature, or encode it as numbers."
            )
    if plain:
        return X, categorical
    values = np.empty(X.shape, dtype=np.float64)
    for j in range(X.shape[1]):
        column = X.iloc[:, j]
        if categorical[j]:
            codes = column.cat.codes.to_numpy()
            values[:, j] = np.where(codes < 0, np.nan, codes)
        else:
            values[:, j] = column.to_numpy(dtype=np.float64, na_value=np.nan)
    return pd.DataFrame(values, columns=X.columns, index=X.index), categorical


def exact_integer_columns(X) -> dict:
    """Integer columns of the raw input whose values a float64 cast would merge.

    Returns ``{j: values}`` for numpy integer arrays and integer DataFrame columns
    (nullable ones included) holding a value beyond ``2**53`` in magnitude, where
    neighbouring integers share one float64.
    """
    limit = 2**53
    if isinstance(X, pd.DataFrame):
        columns = {
            j: X.iloc[:, j]
            for j, dtype in enumerate(X.dtypes)
            if pd.api.types.is_integer_dtype(dtype)
        }
    else:
        dtype = getattr(X, "dtype", None)
        if dtype is None or np.dtype(dtype).kind not in "iu" or np.ndim(X) != 2:
            return {}
        columns = {j: X[:, j] for j in range(X.shape[1])}
    out = {}
    for j, col in columns.items():
        present = col.dropna() if isinstance(col, pd.Series) else col
        if len(present) and (int(present.max()) > limit or int(present.min()) < -limit):
            out[j] = col
    return out


def recode_exact(X: NDArray, exact: dict, discrete: NDArray) -> NDArray:
    """Replace discrete integer columns beyond ``2**53`` by their exact codes.

    A discrete feature is only ever used through the identity of its values, so
    its dense codes (from the raw integers, before any float cast) stand for it
    exactly; continuous columns keep their float values.
    """
    todo = [j for j in exact if discrete[j]]
    if not todo:
        return X
    X = np.array(X, dtype=np.float64, copy=True)
    for j in todo:
        X[:, j] = encode_labels(exact[j])[1]
    return X


def recode_categoricals(X: pd.DataFrame, levels: dict) -> pd.DataFrame:
    """Replace the listed pandas categorical columns by their category codes.

    Codes follow the categories in ``levels`` (those seen in fit); a missing value
    becomes NaN and a category outside ``levels`` becomes -1.
    """
    X = X.copy(deep=False)
    for j, categories in levels.items():
        if j >= X.shape[1]:
            continue
        column = X.iloc[:, j]
        if not isinstance(column.dtype, pd.CategoricalDtype):
            continue
        missing = column.isna().to_numpy()
        codes = pd.Index(categories).get_indexer(column.to_numpy(dtype=object))
        codes = codes.astype(np.float64)
        codes[missing] = np.nan
        X.isetitem(j, codes)
    return X


def integer_columns(X, mask) -> dict:
    """``{j: column}`` of the masked columns of raw ``X`` that hold integers.

    These are read as they are, not through float64, which cannot tell apart
    integers above ``2**53``. A pandas nullable integer column (``Int64``, ...,
    also what a polars or arrow integer column with nulls becomes) is a
    :class:`numpy.ma.MaskedArray` of its integers, masked where missing.
    """
    columns = {}
    if isinstance(X, pd.DataFrame):
        for j in np.flatnonzero(mask):
            dtype = X.dtypes.iloc[j]
            if isinstance(dtype, np.dtype) and dtype.kind in "iu":
                columns[int(j)] = X.iloc[:, j].to_numpy()
            elif not isinstance(dtype, np.dtype) and (
                pd.api.types.is_integer_dtype(dtype)
                and getattr(dtype, "numpy_dtype", None) is not None
            ):
                column = X.iloc[:, j]
                missing = column.isna().to_numpy()
                values = column.to_numpy(dtype=dtype.numpy_dtype, na_value=0)
                columns[int(j)] = np.ma.MaskedArray(values, mask=missing)
        return columns
    dtype = getattr(X, "dtype", None)
    if (
        isinstance(X, np.ndarray)
        and X.ndim == 2
        and dtype is not None
        and dtype.kind in "iu"
    ):
        columns = {int(j): X[:, j] for j in np.flatnonzero(mask)}
    return columns


def category_levels(X: pd.DataFrame, mask) -> dict:
    """``{j: categories}`` of the pandas categorical columns among the masked ones.

    These are what :func:`recode_categoricals` later codes new data against.
    """
    return {
        int(j): X.iloc[:, j].cat.categories
        for j in np.flatnonzero(mask)
        if isinstance(X.dtypes.iloc[j], pd.CategoricalDtype)
    }


def exact_column(column: pd.Series) -> pd.Series:
    """Give a column read from a file a numpy (or categorical) dtype, values exact.

    Nullable integers and booleans without missing values become numpy integers
    (int64, uint64, ...) or bools, never floats; with missing values they become a
    categorical of their exact values (missing stays missing), discrete like any
    integer column. Nullable floats become float64 with NaN, nullable text an
    object column; numpy and categorical columns are returned as they are.

    Examples
    --------
    >>> import pandas as pd
    >>> from skinfo._input import exact_column
    >>> column = exact_column(pd.Series([2**60 + 1, None, 2**60], dtype="Int64"))
    >>> column.cat.categories.tolist()
    [1152921504606846976, 1152921504606846977]
    >>> column.cat.codes.tolist()
    [1, -1, 0]
    """
    dtype = column.dtype
    missing = column.isna().to_numpy()
    if missing.all() and not isinstance(dtype, pd.CategoricalDtype):
        # an empty column: no type to keep, and all-NaN float is what it holds
        return pd.Series(np.nan, index=column.index, name=column.name)
    if isinstance(dtype, np.dtype | pd.CategoricalDtype):
        return column
    if pd.api.types.is_integer_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
        numpy_dtype = getattr(dtype, "numpy_dtype", None)
        if numpy_dtype is None:  # e.g. pyarrow-backed: let pandas pick
            numpy_dtype = column.dropna().to_numpy().dtype
        present = column[~missing].to_numpy(dtype=numpy_dtype)
        if not missing.any():
            return pd.Series(present, index=column.index, name=column.name)
        levels = np.unique(present)
        codes = np.full(column.size, -1, dtype=np.intp)
        codes[~missing] = np.searchsorted(levels, present)
        categorical = pd.Categorical.from_codes(codes, categories=levels)
        return pd.Series(categorical, index=column.index, name=column.name)
    if pd.api.types.is_float_dtype(dtype):
        values = column.to_numpy(dtype=np.float64, na_value=np.nan)
        return pd.Series(values, index=column.index, name=column.name)
    if pd.api.types.is_string_dtype(dtype):
        values = column.to_numpy(dtype=object, na_value=np.nan)
        return pd.Series(values, index=column.index, name=column.name, dtype=object)
    return column


def _looks_like_dates(values):
    """Whether text values all parse as ISO 8601 dates or times."""
    sample = pd.Series(values).dropna().astype(str).head(50)
    if sample.empty:
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pd.to_datetime(sample, format="ISO8601")
    except (ValueError, TypeError, OverflowError):
        return False
    return True


def column_problem(name, column, text_hint):
    """Why ``column`` cannot be a feature (one sentence), or ``None`` if it can.

    The command line's wording: ``name`` is the column name and ``text_hint(name)``
    says what to do with a text column.
    """
    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return None
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype):
        if dtype.kind not in "mM":  # numpy calls timedelta64 numeric
            return None
    if (
        pd.api.types.is_datetime64_any_dtype(dtype)
        or pd.api.types.is_timedelta64_dtype(dtype)
        or isinstance(dtype, pd.PeriodDtype)
    ):
        return (
            f"column '{name}' holds dates or times (dtype {dtype}); convert it to "
            "numbers (e.g. days since a start date) or remove it"
        )
    values = column.dropna()
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind in ("string", "mixed", "bytes") and not values.empty:
        example = str(values.iloc[0])
        if len(example) > 20:
            example = example[:17] + "..."
        if _looks_like_dates(values):
            return (
                f"column '{name}' holds dates as text (e.g. '{example}'); convert "
                "them to numbers (e.g. days since a start date) or remove the column"
            )
        return f"column '{name}' holds text (e.g. '{example}'); {text_hint(name)}"
    if kind in ("integer", "mixed-integer"):
        return (
            f"column '{name}' holds integers outside the 64-bit range or mixed "
            "values; store them as text and declare the column categorical, or "
            "remove it"
        )
    return (
        f"column '{name}' has dtype {dtype}, which is neither numeric nor "
        "categorical; convert it to numbers or remove it"
    )


# ------------------------------------------------ what an estimator can take
def _text_or_time_kind(values) -> str | None:
    """``"text"``, ``"datetime"`` or ``None`` for one column of raw input."""
    dtype = getattr(values, "dtype", None)
    kind = getattr(dtype, "kind", None)
    if kind in ("M", "m"):
        return "datetime"
    if kind not in ("O", "S", "U"):
        return None
    if kind in ("S", "U"):
        return "text"
    inferred = pd.api.types.infer_dtype(values, skipna=True)
    if inferred in ("string", "bytes"):
        return "text"
    if inferred in ("mixed", "mixed-integer") and any(
        isinstance(v, str | bytes) for v in np.asarray(values, dtype=object)
    ):
        return "text"  # other odd objects are left to scikit-learn's own message
    if inferred in ("datetime", "datetime64", "date", "time", "timedelta", "period"):
        return "datetime"
    return None


def _column_problem(name: str, column, kind: str, dtype) -> TypeError:
    if kind == "datetime":
        return TypeError(
            f"{column} of {name} holds dates or times (dtype {dtype}), which have no "
            "meaning as a feature here. Convert them to numbers first (for example "
            "seconds since a reference date, or the day of week as a category), or "
            "drop the column."
        )
    return TypeError(
        f"{column} of {name} holds text (dtype {dtype}). Encode it as numbers, or as "
        f"a discrete feature with {name}[col].astype('category') where the estimator "
        "takes discrete features."
    )


def check_no_text(X, name: str = "X", *, categorical_hint: str | None = None) -> None:
    """Raise a ``TypeError`` naming the column when ``X`` holds text or dates.

    Text has no order or distance, and dates no scale, so estimators that bin or
    project features cannot use them as numbers; a pandas categorical column is the
    explicit way to say that a text column is a discrete feature (where the estimator
    supports discrete ones). Numeric object arrays pass, as scikit-learn allows them.
    Categorical columns with text categories pass unless ``categorical_hint`` is
    given: the caller then cannot use them as they are, and the hint says what to do
    instead. NumPy arrays (and nested lists) are checked column by column, so the
    message names the first offending column.
    """
    if isinstance(X, pd.DataFrame):
        for column, dtype in X.dtypes.items():
            if isinstance(dtype, pd.CategoricalDtype):
                if categorical_hint is not None and not (
                    pd.api.types.is_numeric_dtype(dtype.categories.dtype)
                ):
                    raise TypeError(
                        f"Column {column!r} of {name} is categorical with text "
                        f"categories; {categorical_hint}"
                    )
                continue
            kind = _text_or_time_kind(X[column])
            if kind is not None:
                raise _column_problem(name, f"Column {column!r}", kind, dtype)
        return
    if hasattr(X, "tocsr") or not hasattr(X, "__len__"):  # sparse, or not data
        return
    values = X if hasattr(X, "dtype") else None
    if values is None:
        try:
            values = np.asarray(X, dtype=object)
        except ValueError:  # ragged lists: validate_data explains those
            return
    dtype = values.dtype
    if getattr(dtype, "kind", None) not in ("O", "S", "U", "M", "m"):
        return
    if values.ndim == 1:
        values = values[:, None]
    if values.ndim != 2:
        return
    for j in range(values.shape[1]):
        kind = _text_or_time_kind(values[:, j])
        if kind is not None:
            raise _column_problem(name, f"Column {j}", kind, dtype)


def is_discrete_dtype(dtype) -> bool:
    """Whether a column dtype holds discrete values: bool, integer or categorical."""
    return (
        isinstance(dtype, pd.CategoricalDtype)
        or pd.api.types.is_bool_dtype(dtype)
        or pd.api.types.is_integer_dtype(dtype)
    )


def auto_discrete_mask(X) -> NDArray[np.bool_]:
    """Return the ``discrete_features="auto"`` mask of raw input, before floats.

    DataFrame columns are judged one by one with :func:`is_discrete_dtype`; an array
    is all discrete or all continuous by its dtype; sparse input is continuous.
    """
    if isinstance(X, pd.DataFrame):
        return np.array([is_discrete_dtype(d) for d in X.dtypes], dtype=bool)
    shape = getattr(X, "shape", None)
    if shape is None:
        X = np.asarray(X)
        shape = X.shape
    n_features = shape[1] if len(shape) == 2 else 1
    if hasattr(X, "tocsr"):  # scipy sparse
        return np.zeros(n_features, dtype=bool)
    dtype = getattr(X, "dtype", None)
    return np.full(n_features, dtype is not None and is_discrete_dtype(dtype))


# ------------------------------------------------------- variables of skinfo.estimate
def variable_kind(column, name: str) -> str:
    """Kind of one column of a :mod:`skinfo.estimate` variable.

    Categorical and object columns are labels (``"categorical"``), booleans and
    integers ``"boolean"``/``"integer"``, floats ``"continuous"``; complex numbers
    raise a ``TypeError`` naming ``name``.
    """
    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return CATEGORICAL
    if pd.api.types.is_bool_dtype(dtype):
        return BOOLEAN
    if pd.api.types.is_integer_dtype(dtype):
        return INTEGER
    if pd.api.types.is_float_dtype(dtype):
        return CONTINUOUS
    if pd.api.types.is_complex_dtype(dtype):
        raise TypeError(f"{name} holds complex numbers, which are not supported.")
    return CATEGORICAL


def float_column(column, name: str) -> NDArray[np.float64]:
    """Float values of one column of a :mod:`skinfo.estimate` variable.

    Dates and text raise a ``TypeError``, infinity a ``ValueError``, naming ``name``.
    """
    dtype = column.dtype
    if pd.api.types.is_datetime64_any_dtype(dtype) or pd.api.types.is_timedelta64_dtype(
        dtype
    ):
        raise TypeError(
            f"{name} holds dates or time spans (dtype {dtype}), which cannot be a "
            "continuous variable; count them as labels (discrete=True) or convert "
            "them to numbers (for example seconds) first."
        )
    try:
        if isinstance(column, pd.Series):
            values = column.to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            values = np.asarray(column, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{name} holds non-numeric values (such as strings) and cannot be "
            "continuous; pass discrete=True to count its values."
        ) from exc
    if np.isinf(values).any():
        raise ValueError(f"{name} contains infinite values.")
    return values
