"""The ``skinfo`` command line: rank features, discretize them, trace the bottleneck.

Three subcommands, each a thin layer over one public estimator:

* ``skinfo rank``: :class:`~skinfo.MIFeatureSelector`, a table of the selected
  features with their relevance ``I(X_j; Y)``, the information each adds, the
  p-value of that gain and whether it is significant at ``--alpha`` (plug-in gains
  of pure noise are far from 0, most of all with a binned continuous target);
* ``skinfo discretize``: :class:`~skinfo.EntropyDiscretizer` (MDLP), the cut points
  of every feature;
* ``skinfo bottleneck``: :func:`~skinfo.information_curve` of an
  :class:`~skinfo.InformationBottleneckReducer`, ``I(X;T)`` and ``I(T;Y)`` per beta.

Input is a CSV or Parquet file, read with polars when it is installed (and handed
over through the input layer, :func:`skinfo._input.as_pandas`) or else with pandas,
with the same columns either way; ``--target`` names the class column. Without a file
each subcommand uses a dataset that ships with scikit-learn.
Integer columns reach the estimators as integers (a missing value makes them a
categorical of their exact values, never float64). All information is printed in
bits. Every failure is one line on stderr, never a traceback: usage errors
(``skinfo SUBCOMMAND: error: ...``, checked by option types shared by all
subcommands) exit with status 2, data errors (``skinfo: error: ...``: a missing
file, an unknown column, an unusable target or column) with status 1.

``skinfo rank FILE --dask [--scheduler ADDRESS]`` reads the file lazily with
:mod:`dask.dataframe` and fits the selector on the Dask DataFrame, on a
:class:`distributed.LocalCluster` started (and closed) for the run or on the running
scheduler at ``ADDRESS``; it prints the same table, and on a terminal the progress
bar also shows the tasks the cluster is running. This process reads only the column
types, the target's summary (missing values, number of classes) and, to describe a
text column in an error, its first rows. ``--dask`` needs the ``skinfo[dask]``
extra.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import math
import os
import re
import sys
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.utils.multiclass import type_of_target

from skinfo._greedy import CRITERIA
from skinfo._input import as_pandas, column_problem, exact_column
from skinfo._progress import listen

__all__ = ["main"]

_PROG = "skinfo"
_LN2 = math.log(2.0)
_READERS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}


class CLIError(Exception):
    """An expected failure, reported as one ``skinfo: error:`` line."""


# --------------------------------------------------------------------------------------
# Progress bar
# --------------------------------------------------------------------------------------


class _Progress:
    """A one-line progress indicator on stderr, drawn only when stderr is a terminal.

    Shows a label, a bar of ``done / total`` steps when ``total`` is known (a
    spinner otherwise) and the elapsed time, redrawn by a background thread until
    the ``with`` block ends; then the line is erased, so nothing is left in logs.

    Parameters
    ----------
    label : str
        What is being computed.
    total : int, default=None
        Number of steps, or ``None`` when unknown.
    enabled : bool, default=None
        Draw the indicator; ``None`` means "if the stream is a terminal".
    stream : file-like, default=None
        Where to draw; ``None`` means ``sys.stderr``.
    """

    _FRAMES = "|/-\\"

    def __init__(self, label, total=None, *, enabled=None, stream=None, interval=0.2):
        self.stream = sys.stderr if stream is None else stream
        if enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            enabled = bool(isatty and isatty())
        self.enabled = enabled
        self.label = label
        self.total = total
        self.done = 0
        self.interval = interval
        self._stop = threading.Event()
        self._thread = None
        self._width = 0
        self._start = time.perf_counter()

    def update(self, steps=1):
        """Count ``steps`` more steps as done."""
        self.done += steps

    def _text(self, frame, elapsed):
        if self.total:
            done = min(self.done, self.total)
            filled = int(20 * done / self.total)
            bar = f"[{'#' * filled}{'.' * (20 - filled)}] {done}/{self.total}"
        else:
            bar = self._FRAMES[frame % len(self._FRAMES)]
        return f"{_PROG}: {self.label} {bar} {elapsed:.1f}s"

    def _draw(self, text):
        pad = max(self._width - len(text), 0)
        self._width = len(text)
        self.stream.write("\r" + text + " " * pad)
        self.stream.flush()

    def _run(self):
        frame = 0
        while True:
            self._draw(self._text(frame, time.perf_counter() - self._start))
            frame += 1
            if self._stop.wait(self.interval):
                break

    def __enter__(self):
        self._start = time.perf_counter()
        if self.enabled:
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc_info):
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self._draw(self._text(0, time.perf_counter() - self._start))
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
        return False


# --------------------------------------------------------------------------------------
# Input
# --------------------------------------------------------------------------------------


def _default_frame(name):
    """Load a dataset shipped with scikit-learn as a DataFrame with ``target``."""
    from sklearn import datasets

    loader = {"breast_cancer": datasets.load_breast_cancer, "iris": datasets.load_iris}
    return loader[name](as_frame=True).frame


#: Cells that pandas' ``read_csv`` reads as missing by default; the polars reader
#: gets the same list, so that both read the same cells as missing.
_NA_STRINGS = (
    "",
    "#N/A",
    "#N/A N/A",
    "#NA",
    "-1.#IND",
    "-1.#QNAN",
    "-NaN",
    "-nan",
    "1.#IND",
    "1.#QNAN",
    "<NA>",
    "N/A",
    "NA",
    "NULL",
    "NaN",
    "None",
    "n/a",
    "nan",
    "null",
)
_PANDAS_INDEX = re.compile(r"^__index_level_\d+__$")


def _polars():
    """Return the polars module, or ``None`` when it is not installed."""
    try:
        import polars
    except ImportError:
        return None
    return polars


def _checked_path(path):
    """``path`` as a :class:`~pathlib.Path`, checked to be a readable data file."""
    path = Path(path)
    if path.suffix.lower() not in _READERS:
        raise CLIError(
            f"cannot read '{path}': unsupported file type '{path.suffix or '(none)'}' "
            "(use .csv, .parquet or .pq)"
        )
    if not path.exists():
        raise CLIError(f"no such file: '{path}'")
    if path.is_dir():
        raise CLIError(f"'{path}' is a directory, not a data file")
    return path


def _read_table(path):
    """Read a CSV or Parquet file into a pandas DataFrame, with one-line errors.

    With polars installed, the file is read by polars (every row of a CSV file
    inspected to guess the column types) and handed over through
    :func:`skinfo._input.as_pandas`, the input layer every polars table goes
    through; otherwise pandas reads it with its nullable dtypes. Either way an
    integer column with a missing value is not turned into float64 (which rounds
    integers above 2**53), and :func:`skinfo._input.exact_column` then gives
    every column a numpy or categorical dtype. Both readers give the same columns
    (see :func:`_read_csv_polars`).
    """
    path = _checked_path(path)
    kind = _READERS[path.suffix.lower()]
    pl = _polars()
    errors = (pd.errors.ParserError, UnicodeDecodeError, OSError, ValueError)
    if pl is not None:
        errors = (*errors, pl.exceptions.PolarsError)
    try:
        if pl is not None:
            frame = _read_polars(pl, path, kind)
            if frame is not None:
                return frame
        if kind == "csv":
            return pd.read_csv(path, dtype_backend="numpy_nullable")
        return pd.read_parquet(path, dtype_backend="numpy_nullable")
    except ImportError as exc:
        raise CLIError(
            "reading Parquet needs pyarrow (pip install pyarrow, or skinfo's "
            "parquet extra): " + str(exc)
        ) from exc
    except pd.errors.EmptyDataError as exc:
        raise CLIError(f"'{path}' is empty") from exc
    except errors as exc:
        if pl is not None and isinstance(exc, pl.exceptions.NoDataError):
            raise CLIError(f"'{path}' is empty") from exc
        raise CLIError(f"cannot read '{path}': {exc}") from exc


def _read_polars(pl, path, kind):
    """Read ``path`` with polars into a pandas DataFrame, or ``None`` to use pandas."""
    if kind == "csv":
        frame = _read_csv_polars(pl, path)
        if frame is None:
            return None
    else:
        frame = pl.read_parquet(path)
        # pandas stores its index as columns, which pandas reads back as the index
        index = _pandas_index_columns(pl, path)
        frame = frame.drop(
            [c for c in frame.columns if c in index or _PANDAS_INDEX.match(c)]
        )
    return as_pandas(frame.with_columns(_retyped(pl, frame)))


def _pandas_index_columns(pl, path):
    """Names of the columns a Parquet file written by pandas stores its index in."""
    try:
        metadata = pl.read_parquet_metadata(path).get("pandas")
        columns = json.loads(metadata)["index_columns"] if metadata else []
    except (ValueError, KeyError, TypeError):
        return set()
    return {c for c in columns if isinstance(c, str)}


def _csv_header(data):
    """Column names of a CSV file (``data``: its bytes) as pandas names them.

    An empty name becomes ``Unnamed: j`` and a repeated name ``name.1``,
    ``name.2``, ... (pandas' rules), where polars would use ``""`` and
    ``name_duplicated_0``.
    """
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    header = next(csv.reader(text), [])
    names, seen = [], set(header)
    counts = {}
    for j, name in enumerate(header):
        if name == "":
            name = f"Unnamed: {j}"
        if name in counts:
            count = counts[name]
            while f"{name}.{count}" in seen:
                count += 1
            counts[name] = count + 1
            seen.add(new := f"{name}.{count}")
            names.append(new)
        else:
            counts[name] = 1
            names.append(name)
    return names


#: Rows polars first guesses the column types from (its default).
_GUESS_ROWS = 100


def _read_csv_polars(pl, path):
    """Read a CSV file with polars, reading it as pandas would; ``None``: use pandas.

    The column types are guessed from every row, as pandas does, so that a column
    of ``"1"``, ``"2"``, ``"x"`` is text: polars first guesses from the first
    ``_GUESS_ROWS`` rows and checks the guess on every row while parsing; a row
    that does not fit (``x`` in a column of integers) fails the parse, and the
    file is read again with the types guessed from all rows
    (``infer_schema_length=None``, several times slower, hence not the first
    try). polars also takes pandas' default missing-value markers (``NA``,
    ``nan``, ``NULL``, ...) as missing and gets pandas' column names. pandas skips
    blank lines, which polars reads as rows of missing values: a file with a blank
    line is left to pandas.
    """
    data = path.read_bytes()
    if re.match(rb"\s*\Z", data):  # stops at the first non-space byte
        raise pd.errors.EmptyDataError("No columns to parse from file")
    if b"\n\n" in data or b"\n\r\n" in data or data.startswith((b"\n", b"\r\n")):
        return None
    options = {
        "null_values": list(_NA_STRINGS),
        "new_columns": _csv_header(data) or None,
    }
    try:
        return pl.read_csv(data, infer_schema_length=_GUESS_ROWS, **options)
    except pl.exceptions.ComputeError:  # a value the first rows' types do not fit
        return pl.read_csv(data, infer_schema_length=None, **options)


def _retyped(pl, frame):
    """Columns whose polars type differs from the one pandas would give them.

    pandas reads numbers with spaces around them or a leading ``+`` as numbers
    (polars as text), and integers beyond the 64-bit range as text (polars as
    128-bit integers); unsigned 64-bit integers stay exact in both.
    """
    out = []
    for name, dtype in frame.schema.items():
        column = frame[name]
        if dtype == pl.String:
            stripped = column.str.strip_chars()
            n_missing = column.null_count()
            if stripped.cast(pl.Float64, strict=False).null_count() > n_missing:
                continue  # text (any number parses as a float too)
            for target in (pl.Int64, pl.UInt64, pl.Float64):
                cast = stripped.cast(target, strict=False)
                if cast.null_count() == n_missing:
                    out.append(cast.alias(name))
                    break
        elif dtype in (pl.Int128, pl.UInt128):
            present = column.drop_nulls()
            fits = present.is_empty() or (present.min() >= 0 and present.max() < 2**64)
            out.append(column.cast(pl.UInt64 if fits else pl.String))
    return out


def _split_columns(text):
    """Parse a comma-separated list of column names."""
    if not text:
        return []
    return [name.strip() for name in text.split(",") if name.strip()]


def _categorical_hint(name):
    """Say what to do with a text column where categorical features are accepted."""
    return f"declare it with --categorical {name} or remove it"


def _load(args, default, text_hint=_categorical_hint):
    """Return the features ``X`` (DataFrame) and the target ``y`` (Series).

    Numeric, boolean and pandas categorical columns are kept with their dtypes, so
    the estimators' ``discrete_features="auto"`` sees integer, boolean and
    categorical columns as discrete, and integers reach them as integers. Columns
    named with ``--categorical`` become categorical; any other column (text, dates,
    ...) is an error naming it, ``text_hint(name)`` saying what to do with text.
    """
    if args.input is None:
        frame = _default_frame(default)
    else:
        frame = _read_table(args.input)
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        raise CLIError("the input has no rows or no columns")
    columns = [str(c) for c in frame.columns]
    if len(set(columns)) != len(columns):
        dupes = sorted({c for c in columns if columns.count(c) > 1})
        raise CLIError(f"duplicate column names: {', '.join(dupes)}")
    frame = frame.set_axis(columns, axis=1)

    target = args.target
    if target is None:
        if "target" not in columns:
            raise CLIError(
                f"name the class column with --target (columns: {_preview(columns)})"
            )
        target = "target"
    categorical = _split_columns(args.categorical)
    for name in [target, *categorical]:
        if name not in columns:
            raise CLIError(f"unknown column '{name}' (columns: {_preview(columns)})")

    y = exact_column(frame[target])
    n_missing = int(y.isna().sum())
    if n_missing:
        raise CLIError(
            f"target column '{target}' has {n_missing} missing value(s); drop those "
            "rows first"
        )
    n_values = y.nunique(dropna=True)
    if n_values < 2:
        what = "only missing values" if n_values == 0 else "a single value"
        raise CLIError(
            f"target column '{target}' has {what}; it needs at least two classes"
        )

    features = {}
    for name in columns:
        if name == target:
            continue
        column = exact_column(frame[name])
        if name in categorical:
            column = column.astype("category")
        else:
            problem = column_problem(name, column, text_hint)
            if problem is not None:
                raise CLIError(problem)
        features[name] = column
    if not features:
        raise CLIError("no feature columns besides the target")
    return pd.DataFrame(features, index=frame.index), y


def _require_complete(X, why):
    """Fail, naming every column with missing values, when ``X`` has any."""
    counts = X.isna().sum()
    if hasattr(counts, "compute"):  # a Dask DataFrame: one pass
        counts = counts.compute()
    counts = counts[counts > 0]
    if counts.empty:
        return
    n = X.shape[0]
    named = [f"'{name}' ({int(c)} of {n} rows)" for name, c in counts.items()]
    if len(named) == 1:
        head = f"column {named[0]} has missing values"
    else:
        head = f"columns {_preview(named, 5)} have missing values"
    raise CLIError(f"{head}; {why}")


def _preview(names, limit=8):
    """Comma-separated names, shortened after ``limit``."""
    shown = ", ".join(names[:limit])
    return shown + (f", ... ({len(names)} in all)" if len(names) > limit else "")


# --------------------------------------------------------------------------------------
# Dask: ``skinfo rank --dask [--scheduler ADDRESS]``
# --------------------------------------------------------------------------------------

_DASK_HINT = 'pip install "skinfo[dask]"'


def _dask_modules():
    """Import dask.dataframe and distributed, or fail naming the extra to install."""
    try:
        import dask.dataframe as dd
        import distributed
    except ImportError as exc:
        raise CLIError(
            f"--dask needs dask[array,dataframe] and distributed ({_DASK_HINT}): {exc}"
        ) from exc
    return dd, distributed


@contextlib.contextmanager
def _dask_client(scheduler):
    """Give a distributed client for the run; close the cluster it starts at the end.

    Without ``scheduler`` a :class:`distributed.LocalCluster` (worker processes,
    no dashboard, quiet logs) is started and closed when the block ends; with a
    scheduler address the client connects to that cluster and leaves it running.
    The client is the default one inside the block, so every Dask computation of
    the fit runs on that cluster.
    """
    import logging

    _, distributed = _dask_modules()
    import dask

    cluster = None
    try:
        if scheduler is None:
            cluster = distributed.LocalCluster(
                dashboard_address=":0", silence_logs=logging.ERROR
            )
            client = distributed.Client(cluster, set_as_default=False)
        else:
            # not the process-wide default: a client that fails to connect would
            # otherwise stay registered and hang every later computation
            client = distributed.Client(scheduler, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError, ValueError, RuntimeError) as exc:
        if cluster is not None:
            cluster.close()
        where = (
            "start a local Dask cluster"
            if scheduler is None
            else (f"connect to the Dask scheduler at '{scheduler}'")
        )
        raise CLIError(f"cannot {where}: {_one_line(exc)}") from exc
    try:
        with dask.config.set(scheduler=client):
            yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _read_table_dask(path):
    """Read a CSV or Parquet file lazily with :mod:`dask.dataframe`.

    As the pandas reader, with nullable dtypes (an integer column with a missing
    value stays integer). dask guesses the dtypes of a CSV file from its first
    bytes; a later row that does not fit them is reported when the fit reads it.
    """
    dd, _ = _dask_modules()
    path = _checked_path(path)
    kind = _READERS[path.suffix.lower()]
    try:
        if kind == "csv":
            return dd.read_csv(str(path), dtype_backend="numpy_nullable")
        return dd.read_parquet(str(path), dtype_backend="numpy_nullable")
    except ImportError as exc:
        raise CLIError(
            "reading Parquet needs pyarrow (pip install pyarrow, or skinfo's "
            "parquet extra): " + str(exc)
        ) from exc
    except pd.errors.EmptyDataError as exc:
        raise CLIError(f"'{path}' is empty") from exc
    except (pd.errors.ParserError, UnicodeDecodeError, OSError, ValueError) as exc:
        raise CLIError(f"cannot read '{path}': {exc}") from exc


def _is_feature_dtype(dtype):
    """Whether a column of this dtype can be a feature as it is (no values needed)."""
    if isinstance(dtype, pd.CategoricalDtype):
        return True
    if pd.api.types.is_bool_dtype(dtype):
        return True
    return pd.api.types.is_numeric_dtype(dtype) and dtype.kind not in "mM"


def _numpy_target(y):
    """Give a nullable target column (checked complete) the numpy dtype it means."""
    dtype = y.dtype
    if isinstance(dtype, np.dtype | pd.CategoricalDtype):
        return y
    numpy_dtype = getattr(dtype, "numpy_dtype", None)
    if pd.api.types.is_string_dtype(dtype) or numpy_dtype is None:
        return y.astype(object)
    return y.astype(numpy_dtype)


def _load_dask(args, text_hint=_categorical_hint):
    """:func:`_load` for ``--dask``: a lazy Dask DataFrame ``X`` and Series ``y``.

    The same checks and messages as in memory, from the column dtypes and a few
    reductions (the target's missing values and classes: one pass over that
    column); a text column is described from its first rows. ``--categorical``
    columns become categoricals (their categories are learnt by the fit).
    """
    dd, _ = _dask_modules()
    if args.input is None:
        frame = dd.from_pandas(_default_frame("breast_cancer"), npartitions=4)
    else:
        frame = _read_table_dask(args.input)
    columns = [str(c) for c in frame.columns]
    if not columns:
        raise CLIError("the input has no rows or no columns")
    if len(set(columns)) != len(columns):
        dupes = sorted({c for c in columns if columns.count(c) > 1})
        raise CLIError(f"duplicate column names: {', '.join(dupes)}")
    frame.columns = columns
    target = args.target
    if target is None:
        if "target" not in columns:
            raise CLIError(
                f"name the class column with --target (columns: {_preview(columns)})"
            )
        target = "target"
    categorical = _split_columns(args.categorical)
    for name in [target, *categorical]:
        if name not in columns:
            raise CLIError(f"unknown column '{name}' (columns: {_preview(columns)})")
    y = frame[target]
    import dask

    # distinct values by a tree reduction (no shuffle): one pass over the column
    n_rows, n_missing, n_values = dask.compute(
        y.size, y.isna().sum(), y.dropna().drop_duplicates(split_out=1).size
    )
    if int(n_rows) == 0:
        raise CLIError("the input has no rows or no columns")
    if n_missing:
        raise CLIError(
            f"target column '{target}' has {int(n_missing)} missing value(s); drop "
            "those rows first"
        )
    if n_values < 2:
        what = "only missing values" if n_values == 0 else "a single value"
        raise CLIError(
            f"target column '{target}' has {what}; it needs at least two classes"
        )
    features = [name for name in columns if name != target]
    if not features:
        raise CLIError("no feature columns besides the target")
    dtypes = frame._meta.dtypes
    bad = [
        name
        for name in features
        if name not in categorical and not _is_feature_dtype(dtypes[name])
    ]
    if bad:  # described from its first values, as in memory
        name = bad[0]
        head = frame[[name]].head(100, npartitions=-1)
        problem = column_problem(name, exact_column(head[name]), text_hint)
        raise CLIError(
            problem
            or f"column '{name}' has dtype {dtypes[name]}, which is neither numeric "
            "nor categorical; convert it to numbers or remove it"
        )
    X = frame[features]
    if categorical:
        X = X.assign(**{name: X[name].astype("category") for name in categorical})
    return X, _numpy_target(y)


class _DaskProgress(_Progress):
    """The step bar, followed by the tasks the Dask cluster is running.

    The distributed client is asked for the tasks in progress on each worker at
    every redraw (only while the bar is drawn, that is on a terminal).
    """

    def __init__(self, label, total=None, *, client, **kwargs):
        super().__init__(label, total, **kwargs)
        self.client = client

    def _text(self, frame, elapsed):
        text = super()._text(frame, elapsed)
        try:
            processing = self.client.processing()
        except Exception:  # a drawing aid never fails the run
            return text
        n_tasks = sum(len(keys) for keys in processing.values())
        workers = _plural(len(processing), "worker")
        return f"{text} [dask: {_plural(n_tasks, 'task')} on {workers}]"


# --------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------


def _format_cell(value, digits):
    if value is None:
        return "-"
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, float | np.floating):
        if np.isnan(value):
            return "nan"
        return f"{value:.{digits}f}" if isinstance(digits, int) else f"{value:{digits}}"
    if isinstance(value, list | tuple | np.ndarray):
        return " ".join(f"{float(v):.6g}" for v in value) or "-"
    return str(value)


def _format_table(frame, digits=4):
    """Format an aligned table: text left-aligned, numbers right-aligned."""
    headers = [str(c) for c in frame.columns]
    formats = [".3g" if h == "pvalue" else digits for h in headers]
    rows = [
        [_format_cell(v, f) for v, f in zip(row, formats, strict=True)]
        for row in frame.itertuples(index=False, name=None)
    ]
    numeric = [
        pd.api.types.is_numeric_dtype(frame[c])
        and not pd.api.types.is_bool_dtype(frame[c])
        for c in frame.columns
    ]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells):
        parts = [
            cell.rjust(w) if num else cell.ljust(w)
            for cell, w, num in zip(cells, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    out.extend(line(r) for r in rows)
    return "\n".join(out) + "\n"


def _write(frame, fmt, stream):
    """Write ``frame`` as an aligned table, CSV or JSON (list of records)."""
    if fmt == "table":
        stream.write(_format_table(frame))
    elif fmt == "csv":
        flat = frame.copy()
        for name in flat.columns:
            if flat[name].dtype == object:
                flat[name] = [
                    " ".join(f"{float(v):.12g}" for v in cell)
                    if isinstance(cell, list | tuple | np.ndarray)
                    else cell
                    for cell in flat[name]
                ]
        buffer = io.StringIO()
        flat.to_csv(buffer, index=False, lineterminator="\n")
        stream.write(buffer.getvalue())
    else:
        records = [
            {key: _jsonable(value) for key, value in row.items()}
            for row in frame.to_dict(orient="records")
        ]
        stream.write(json.dumps(records, indent=2) + "\n")


def _jsonable(value):
    if isinstance(value, list | tuple | np.ndarray):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.integer | bool | np.bool_):
        return value.item() if hasattr(value, "item") else value
    if isinstance(value, float | np.floating):
        value = float(value)
        return value if math.isfinite(value) else None
    return value


def _bits(values):
    """Convert nats to bits."""
    return np.asarray(values, dtype=float) / _LN2


def _save_figure(fig, path):
    """Save a figure, turning a bad path into a one-line error."""
    try:
        fig.savefig(path, dpi=100, bbox_inches="tight")
    except (OSError, ValueError) as exc:
        raise CLIError(f"cannot write the plot to '{path}': {exc}") from exc
    finally:
        import matplotlib.pyplot as plt

        plt.close(fig)


def _pyplot():
    """Import pyplot with a non-interactive backend, or fail with one line."""
    try:
        import matplotlib
    except ImportError as exc:
        raise CLIError(
            "--plot needs matplotlib (pip install matplotlib, or skinfo's plot extra)"
        ) from exc
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _check_plot_dir(path):
    """Fail early, before any long computation, when ``--plot`` cannot be written.

    The file name itself was checked by :func:`_plot_path` while parsing.
    """
    if path is None:
        return
    _pyplot()
    parent = Path(path).resolve().parent
    if not parent.is_dir():
        raise CLIError(f"cannot write the plot to '{path}': no such directory")


def _plural(count, word):
    """``"1 bin"``, ``"2 bins"``, ``"0 cuts"``."""
    return f"{count} {word}" + ("" if count == 1 else "s")


# --------------------------------------------------------------------------------------
# Option types, shared by every subcommand
# --------------------------------------------------------------------------------------

#: Suffixes accepted by ``--plot``; each selects the image format.
_PLOT_SUFFIXES = (".png", ".pdf", ".svg")

#: Options whose value may start with "-" (``--betas -1,2``): main() attaches such a
#: value to its option (``--betas=-1,2``) so that argparse reads it as a value and
#: the option's type reports what is wrong with it.
_VALUE_OPTIONS = frozenset(
    {
        "-k",
        "--n-features-to-select",
        "--alpha",
        "--n-bins",
        "--max-bins",
        "--max-plot-features",
        "--n-components",
        "--betas",
        "--random-state",
    }
)
_LOOKS_NEGATIVE = re.compile(r"^-(\d|\.\d|inf|nan)", re.IGNORECASE)


def _attach_negative_values(argv):
    """Rewrite ``OPTION -VALUE`` as ``OPTION=-VALUE`` for the options above."""
    out = []
    tokens = iter(argv)
    for token in tokens:
        if token == "--":
            out.append(token)
            out.extend(tokens)
            break
        if token in _VALUE_OPTIONS:
            value = next(tokens, None)
            if value is None:
                out.append(token)
            elif _LOOKS_NEGATIVE.match(value):
                out.append(f"{token}={value}")
            else:
                out.extend([token, value])
            continue
        out.append(token)
    return out


def _int_or_auto(minimum):
    """Return an argparse type accepting "auto" or an integer >= ``minimum``."""

    def parse(text):
        if text == "auto":
            return "auto"
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected an integer >= {minimum} or 'auto', got {text!r}"
            ) from None
        if value < minimum:
            raise argparse.ArgumentTypeError(
                f"expected an integer >= {minimum} or 'auto', got {text!r}"
            )
        return value

    return parse


def _positive_int(text):
    """Parse an integer >= 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _seed(text):
    """Parse a seed numpy accepts: an integer from 0 to 2**32 - 1."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(
            f"expected an integer from 0 to {2**32 - 1} (a numpy seed), got {text!r}"
        )
    return value


def _level(text):
    """Parse a significance level in (0, 1]."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(
            f"expected a significance level in (0, 1], got {text!r}"
        )
    return value


def _n_features(text):
    """``-k``: "auto", a count >= 1, or a fraction of the features in (0, 1]."""
    if text == "auto":
        return "auto"
    try:
        value = int(text)
    except ValueError:
        pass
    else:
        if value >= 1:
            return value
        raise argparse.ArgumentTypeError(
            f"expected a count >= 1, a fraction in (0, 1] or 'auto', got {text!r}"
        )
    try:
        fraction = float(text)
    except ValueError:
        fraction = math.nan
    if not 0 < fraction <= 1:
        raise argparse.ArgumentTypeError(
            f"expected a count >= 1, a fraction in (0, 1] or 'auto', got {text!r}"
        )
    return fraction


def _betas_arg(text):
    """``"1,2,5"`` (a list) or ``"START:STOP:NUM"`` (NUM log-spaced values), all > 0."""
    usage = "'B1,B2,...' or 'START:STOP:NUM' (NUM log-spaced values)"
    try:
        if ":" in text:
            start, stop, num = text.split(":")
            start, stop, num = float(start), float(stop), int(num)
            if not (0 < start < stop and math.isfinite(stop)) or num < 1:
                raise ValueError
            return [float(b) for b in np.geomspace(start, stop, num)]
        values = [float(b) for b in text.split(",") if b.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected {usage} with 0 < START < STOP and NUM >= 1, got {text!r}"
        ) from None
    bad = [b for b in values if not (math.isfinite(b) and b > 0)]
    if bad:
        raise argparse.ArgumentTypeError(
            f"every beta must be a finite number > 0, got {bad[0]:g} in {text!r}"
        )
    if not values:
        raise argparse.ArgumentTypeError(f"expected {usage}, got {text!r}")
    return values


def _plot_path(text):
    """``--plot``: a non-empty file name ending in .png, .pdf or .svg."""
    suffixes = ", ".join(_PLOT_SUFFIXES[:-1]) + " or " + _PLOT_SUFFIXES[-1]
    if not text.strip():
        raise argparse.ArgumentTypeError(
            f"expected an image file name ending in {suffixes}, got an empty name"
        )
    if Path(text).suffix.lower() not in _PLOT_SUFFIXES:
        raise argparse.ArgumentTypeError(
            f"expected an image file name ending in {suffixes} (the suffix selects "
            f"the format), got {text!r}"
        )
    return text


# --------------------------------------------------------------------------------------
# Subcommands
# --------------------------------------------------------------------------------------


def _run_rank(args, out):
    if not args.dask:
        return _rank(args, out, *_load(args, "breast_cancer"))
    with _dask_client(args.scheduler) as client:
        X, y = _load_dask(args)
        return _rank(args, out, X, y, client=client)


def _rank(args, out, X, y, client=None):
    """Fit the selector on ``X`` and ``y`` (in memory, or Dask with ``client``)."""
    from skinfo import MIFeatureSelector

    _check_plot_dir(args.plot)
    n_features = X.shape[1]
    k = args.n_features_to_select
    if isinstance(k, int) and k > n_features:
        raise CLIError(f"-k {k} is larger than the number of features ({n_features})")
    if args.method == "knn":
        if k == "auto" and args.criterion != "mim":
            raise CLIError(
                "--method knn stops on its own (-k auto) only with --criterion mim; "
                "pass -k N, or --criterion mim"
            )
        _require_complete(
            X,
            "--method knn needs complete rows: drop or impute them, or use a "
            "counting --method (plugin, miller_madow, grassberger), which gives a "
            "missing value its own bin",
        )
    selector = MIFeatureSelector(
        n_features_to_select=k,
        criterion=args.criterion,
        alpha=args.alpha,
        method=args.method,
        n_bins=args.n_bins,
        strategy=args.strategy,
        random_state=args.random_state,
    )
    if k == "auto":
        label = f"{args.criterion} steps (auto, at most {n_features})"
        total = n_features
    else:  # a count, or a fraction as the selector rounds it
        total = k if isinstance(k, int) else max(1, int(k * n_features))
        label = f"{args.criterion} steps"
    if client is None:
        progress = _Progress(label, total, enabled=args.progress)
    else:
        label += f" on Dask ({client.scheduler.address})"
        progress = _DaskProgress(label, total, enabled=args.progress, client=client)
    with progress, listen(progress.update):
        selector.fit(X, y)

    n_selected = selector.n_features_to_select_
    order = np.asarray(selector.ranking_)[:n_selected]
    pvalues = np.asarray(selector.pvalues_, dtype=float)[:n_selected]
    table = pd.DataFrame(
        {
            "rank": np.arange(1, n_selected + 1),
            "feature": np.asarray(X.columns)[order],
            "relevance_bits": _bits(selector.relevance_)[order],
            "gain_bits": _bits(selector.gains_)[:n_selected],
            "pvalue": pvalues,
            "significant": pd.Series(_significant(pvalues, args.alpha), dtype=object),
        }
    )
    _write(table, args.format, out)
    if args.plot is not None:
        _plot_rank(table, args.plot, args.criterion, args.alpha)
    return 0


def _significant(pvalues, alpha):
    """``p <= alpha`` per step, ``None`` where the selector gives no p-value."""
    return [None if np.isnan(p) else bool(p <= alpha) for p in pvalues]


def _plot_rank(table, path, criterion, alpha):
    from matplotlib.patches import Patch

    plt = _pyplot()
    n = len(table)
    # the axes grow with the features shown and the legend sits right under them,
    # so no figure has an empty band, however many features it shows
    fig, ax = plt.subplots(figsize=(7.0, 1.6 + 0.3 * n), layout="constrained")
    pos = np.arange(n)
    ax.barh(pos - 0.2, table["relevance_bits"], height=0.4, color="C0")
    bars = ax.barh(pos + 0.2, table["gain_bits"], height=0.4, color="C1")
    handles = [
        Patch(color="C0", label="relevance I(X_j;Y)"),
        Patch(color="C1", label="information added"),
    ]
    weak = np.array([s is False for s in table["significant"]], dtype=bool)
    for bar, is_weak in zip(bars, weak, strict=True):
        if is_weak:
            bar.set(facecolor="white", edgecolor="C1", hatch="///")
    if weak.any():
        handles.append(
            Patch(
                facecolor="white",
                edgecolor="C1",
                hatch="///",
                label=f"added, not significant (p > {alpha:g})",
            )
        )
    ax.set_yticks(pos, table["feature"])
    ax.set_ylim(n - 0.5, -0.5)  # first selected on top, no margin band
    ax.set_xlabel("bits")
    ax.set_title(f"Features selected by {criterion}, in selection order")
    ax.grid(True, axis="x", alpha=0.3)
    fig.legend(handles=handles, loc="outside lower center", ncol=len(handles))
    _save_figure(fig, path)


def _run_discretize(args, out):
    from skinfo import EntropyDiscretizer

    X, y = _load(args, "iris")
    _check_plot_dir(args.plot)
    if type_of_target(y) == "continuous":
        raise CLIError(
            f"target column '{y.name}' is continuous; MDLP cuts need class labels "
            "(bin the target into classes first)"
        )
    discretizer = EntropyDiscretizer(
        strategy="mdlp",
        max_bins=args.max_bins,
        discrete_features="auto",
        random_state=args.random_state,
    )
    label = f"MDLP cuts of {X.shape[1]} features"
    with _Progress(label, enabled=args.progress):
        discretizer.fit(X, y)
    cuts = [np.asarray(c, dtype=float) for c in discretizer.cut_points_]
    discrete = np.asarray(discretizer.discrete_features_, dtype=bool)
    table = pd.DataFrame(
        {
            "feature": list(X.columns),
            "discrete": discrete,
            "n_bins": np.asarray(discretizer.n_bins_, dtype=int),
            "cut_points": [c.tolist() for c in cuts],
        }
    )
    _write(table, args.format, out)
    if args.plot is not None:
        _plot_discretize(
            X,
            y,
            discrete,
            cuts,
            table["n_bins"].tolist(),
            args.plot,
            args.max_plot_features,
        )
    return 0


def _level_codes(column):
    """Labels of a discrete column's levels (missing last, as "NaN") and row codes."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        labels = [str(c) for c in column.cat.categories]
        codes = column.cat.codes.to_numpy().astype(np.intp)
    else:
        values = column.to_numpy()
        missing = pd.isna(values)
        levels, inverse = np.unique(values[~missing], return_inverse=True)
        labels = [str(v) for v in levels]
        codes = np.full(values.shape[0], -1, dtype=np.intp)
        codes[~missing] = inverse
    if (codes < 0).any():
        codes = np.where(codes < 0, len(labels), codes)
        labels.append("NaN")
    return labels, codes


def _draw_levels(ax, column, y, classes):
    """Bars of the class counts of each level of a discrete column, named."""
    labels, codes = _level_codes(column)
    n_levels = len(labels)
    width = 0.8 / len(classes)
    for i, cls in enumerate(classes):
        counts = np.bincount(codes[y == cls], minlength=n_levels)
        left = np.arange(n_levels) - 0.4 + width * (i + 0.5)
        ax.bar(left, counts, width=width, color=f"C{i}", alpha=0.8, label=str(cls))
    step = max(1, math.ceil(n_levels / 12))  # at most 12 names fit the width
    shown = [label if i % step == 0 else "" for i, label in enumerate(labels)]
    long = max(len(label) for label in labels) > 6 or n_levels > 8
    ax.set_xticks(np.arange(n_levels), shown, rotation=45 if long else 0)
    if long:
        for tick in ax.get_xticklabels():
            tick.set_horizontalalignment("right")


def _draw_histogram(ax, column, y, classes, cuts):
    """Class histograms of a continuous column, its cuts, and a bar for NaN."""
    values = column.to_numpy(dtype=float, na_value=np.nan)
    missing = np.isnan(values)
    finite = np.isfinite(values)
    if finite.any():
        edges = np.histogram_bin_edges(values[finite], bins=30)
        for i, cls in enumerate(classes):
            ax.hist(
                values[finite & (y == cls)],
                bins=edges,
                color=f"C{i}",
                alpha=0.5,
                label=str(cls),
            )
        for cut in cuts:
            ax.axvline(cut, color="black", ls="--", lw=1)
        low, high = edges[0], edges[-1]
    else:
        low, high = 0.0, 1.0
    if not missing.any():
        return
    ticks = [t for t in ax.get_xticks() if low <= t <= high] if finite.any() else []
    names = ax.xaxis.get_major_formatter().format_ticks(ticks) if ticks else []
    span = high - low
    spot = high + 0.15 * span  # the NaN bar, apart from the histogram
    for i, cls in enumerate(classes):
        count = np.count_nonzero(missing & (y == cls))
        label = None if finite.any() else str(cls)
        ax.bar(spot, count, width=0.06 * span, color=f"C{i}", alpha=0.5, label=label)
    ax.set_xticks([*ticks, spot], [*names, "NaN"])


def _plot_discretize(X, y, discrete, cuts, n_bins, path, max_features):
    plt = _pyplot()
    n = min(X.shape[1], max_features)
    ncols = min(n, 2)
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(5.0 * ncols, 3.4 * nrows),
        squeeze=False,
        layout="constrained",
    )
    axes = axes.ravel()
    y_values = y.to_numpy()
    try:  # classes in order, as in the legend of any classifier
        classes = np.unique(y_values)
    except TypeError:  # labels that do not compare: order of appearance
        classes = pd.unique(y_values)
    for j, ax in enumerate(axes):
        if j >= n:
            ax.set_visible(False)
            continue
        column = X.iloc[:, j]
        if discrete[j]:
            _draw_levels(ax, column, y_values, classes)
            detail = "discrete"
        else:
            _draw_histogram(ax, column, y_values, classes, cuts[j])
            detail = _plural(len(cuts[j]), "cut")
        ax.set_title(f"{X.columns[j]}: {_plural(n_bins[j], 'bin')} ({detail})")
        ax.set_ylabel("count")
    axes[0].legend(title="class", fontsize="small")
    _save_figure(fig, path)


def _bottleneck_hint(name):
    """Say what to do with a text column: the bottleneck takes numbers only."""
    return "the bottleneck needs numeric features: encode it as numbers or remove it"


def _run_bottleneck(args, out):
    from skinfo import InformationBottleneckReducer, information_curve

    X, y = _load(args, "breast_cancer", text_hint=_bottleneck_hint)
    _check_plot_dir(args.plot)
    _require_complete(
        X, "the bottleneck needs complete rows: drop or impute them first"
    )
    for name, column in X.items():
        if isinstance(column.dtype, pd.CategoricalDtype):
            raise CLIError(
                f"column '{name}' is categorical; the bottleneck needs numeric "
                "features (one-hot encode it, or remove it)"
            )
    reducer = InformationBottleneckReducer(
        n_components=args.n_components,
        method=args.method,
        n_bins=args.n_bins,
        random_state=args.random_state,
    )
    n_betas = len(args.betas)
    if args.method == "gaussian":  # one fit, then a closed form per beta
        label, total = f"gaussian bottleneck, {n_betas} betas", None
    else:
        label, total = f"{args.method} bottleneck betas", n_betas
    with _Progress(label, total, enabled=args.progress) as progress:
        with listen(progress.update):
            curve = information_curve(reducer, X, y, betas=args.betas)
    table = pd.DataFrame(
        {
            "beta": curve["beta"].to_numpy(dtype=float),
            "information_xt_bits": _bits(curve["information_xt"]),
            "information_ty_bits": _bits(curve["information_ty"]),
        }
    )
    for name in ("n_active", "n_clusters"):
        if name in curve:
            table[name] = curve[name].to_numpy()
    _write(table, args.format, out)
    if args.plot is not None:
        from skinfo import plot_information_plane

        plt = _pyplot()
        fig, ax = plt.subplots(figsize=(5.5, 4.0), layout="constrained")
        plot_information_plane(curve, ax=ax, base=2)
        _save_figure(fig, args.plot)
    return 0


# --------------------------------------------------------------------------------------
# Parser and entry point
# --------------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line on stderr (status 2)."""

    def error(self, message):
        """Print ``PROG: error: MESSAGE`` and a pointer to ``--help``; exit 2."""
        self.exit(
            2,
            f"{self.prog}: error: {_one_line(Exception(message))} "
            f"(see '{self.prog} --help')\n",
        )


_RANK_EPILOG = """\
columns:
  relevance_bits  I(X_j;Y), the information of the feature alone
  gain_bits       the information it adds to the features selected before it:
                  min over them of I(X_j;Y|X_s) (its relevance on the first row)
  pvalue          test of that gain (Pearson's chi-square, adjusted for the
                  candidates; NaN where the method has no test, e.g. knn -k N)
  significant     yes when pvalue <= --alpha, no otherwise, - without a test

Counted estimates are biased upward: a feature that carries no information
still shows a positive relevance and gain, on average about
(r - 1)(c - 1) / (2 N ln 2) bits for an r x c table of N rows (summed over the
strata of a conditional table). The gains come from three-way tables (feature x
selected feature x target) with many cells, more so when the target is
continuous and binned into --n-bins classes: there a pure-noise feature can show
several tenths of a bit. Trust a gain only where significant is yes; -k auto
stops before the first gain that is not (keeping at least one feature).
--method miller_madow and grassberger remove part of the bias.

With --dask the file is read by dask.dataframe and the selection runs on a
Dask cluster (a local one started for this run, or --scheduler ADDRESS); the
table is the one printed without --dask.

An option value may start with '-': -k -1 is read as a value (and rejected
with a message); --option=VALUE works too.
"""


def _add_common(parser, default_name):
    parser.add_argument(
        "input",
        nargs="?",
        default=None,
        help=(
            "CSV or Parquet file (.csv, .parquet, .pq); without it, scikit-learn's "
            f"{default_name} dataset is used"
        ),
    )
    parser.add_argument(
        "--target",
        metavar="COLUMN",
        help="the class column (default: a column named 'target')",
    )
    parser.add_argument(
        "--categorical",
        metavar="COLUMNS",
        help="comma-separated columns to treat as categorical (e.g. text columns)",
    )
    parser.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="output format (default: table)",
    )
    parser.add_argument(
        "--plot",
        type=_plot_path,
        metavar="FILE",
        help=(
            "also draw the result into FILE, whose suffix (.png, .pdf or .svg) "
            "selects the format"
        ),
    )
    parser.add_argument(
        "--random-state",
        type=_seed,
        default=0,
        metavar="SEED",
        help="seed, an integer from 0 to 2**32 - 1 (default: 0)",
    )
    progress = parser.add_mutually_exclusive_group()
    progress.add_argument(
        "--progress",
        dest="progress",
        action="store_const",
        const=True,
        default=None,
        help="draw the progress bar on stderr even when it is not a terminal",
    )
    progress.add_argument(
        "--no-progress",
        dest="progress",
        action="store_const",
        const=False,
        help="never draw the progress bar (default: only when stderr is a terminal)",
    )


def _build_parser():
    from skinfo import __version__

    parser = _Parser(
        prog=_PROG,
        description=(
            "Information theory for scikit-learn from the command line. All "
            "information is reported in bits."
        ),
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    rank = sub.add_parser(
        "rank",
        help="rank and select features by mutual information",
        description=(
            "Select features greedily with MIFeatureSelector and print them in\n"
            "selection order with their relevance I(X_j;Y), the information each\n"
            "adds, in bits, and whether that gain is significant."
        ),
        epilog=_RANK_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_common(rank, "breast cancer")
    rank.add_argument(
        "--criterion",
        choices=CRITERIA,
        default="jmi",
        help="selection criterion (default: jmi)",
    )
    rank.add_argument(
        "-k",
        "--n-features-to-select",
        type=_n_features,
        default="auto",
        metavar="K",
        help=(
            "number of features to select (an integer), a fraction of them (a "
            "number in (0, 1], e.g. 0.25; 1.0 means all), or 'auto' to stop when "
            "the next feature adds no significant information (default: auto)"
        ),
    )
    rank.add_argument(
        "--alpha",
        type=_level,
        default=0.05,
        help=(
            "significance level of -k auto and of the significant column "
            "(default: 0.05)"
        ),
    )
    rank.add_argument(
        "--method",
        choices=("plugin", "miller_madow", "grassberger", "knn"),
        default="plugin",
        help="mutual-information estimator (default: plugin)",
    )
    rank.add_argument(
        "--n-bins",
        type=_int_or_auto(2),
        default="auto",
        metavar="N",
        help="bins per continuous feature, or 'auto' (default: auto)",
    )
    rank.add_argument(
        "--strategy",
        choices=("quantile", "uniform", "mdlp"),
        default="quantile",
        help="how continuous features are binned (default: quantile)",
    )
    rank.add_argument(
        "--dask",
        action="store_true",
        help=(
            "read the file with dask.dataframe and fit on a Dask cluster, the data "
            "never gathered in this process: a LocalCluster started for this run "
            "(and closed after it), or the one of --scheduler; needs "
            f"{_DASK_HINT}"
        ),
    )
    rank.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help=(
            "with --dask: the address of a running Dask scheduler to use (e.g. "
            "tcp://10.0.0.5:8786) instead of a local cluster"
        ),
    )
    rank.set_defaults(run=_run_rank)

    disc = sub.add_parser(
        "discretize",
        help="MDLP cut points of every feature",
        description=(
            "Discretize every feature with EntropyDiscretizer (Fayyad and Irani's "
            "MDLP) and print the number of bins and the cut points."
        ),
    )
    _add_common(disc, "iris")
    disc.add_argument(
        "--max-bins",
        type=_int_or_auto(2),
        default=None,
        metavar="N",
        help="cap on the number of bins per feature (default: no cap, as in MDLP)",
    )
    disc.add_argument(
        "--max-plot-features",
        type=_positive_int,
        default=4,
        metavar="N",
        help="draw at most N features with --plot (default: 4)",
    )
    disc.set_defaults(run=_run_discretize)

    bott = sub.add_parser(
        "bottleneck",
        help="the information curve of the information bottleneck",
        description=(
            "Fit InformationBottleneckReducer over a range of beta and print "
            "I(X;T) and I(T;Y) in bits for each."
        ),
    )
    _add_common(bott, "breast cancer")
    bott.add_argument(
        "--method",
        choices=("gaussian", "ib", "dib"),
        default="gaussian",
        help="bottleneck variant (default: gaussian)",
    )
    bott.add_argument(
        "--betas",
        type=_betas_arg,
        default=_betas_arg("1:1000:31"),
        metavar="BETAS",
        help=(
            "trade-off values, each > 0: a list 'B1,B2,...' or 'START:STOP:NUM' for "
            "NUM log-spaced values (default: 1:1000:31); a value starting with "
            "'-' is read as a value, and rejected"
        ),
    )
    bott.add_argument(
        "--n-components",
        type=_positive_int,
        default=2,
        metavar="N",
        help="dimension (gaussian) or number of clusters (ib, dib) (default: 2)",
    )
    bott.add_argument(
        "--n-bins",
        type=_int_or_auto(2),
        default=5,
        metavar="N",
        help="bins per feature for ib and dib, or 'auto' (default: 5)",
    )
    bott.set_defaults(run=_run_bottleneck)
    return parser


def _one_line(exc):
    """Return the message of an exception on one line."""
    if isinstance(exc, KeyError) and exc.args:
        message = str(exc.args[0])
    else:
        message = str(exc) or type(exc).__name__
    return " ".join(message.split())


def _show_warning(message, category, filename, lineno, file=None, line=None):
    stream = sys.stderr if file is None else file
    stream.write(f"{_PROG}: warning: {_one_line(Exception(str(message)))}\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``skinfo`` command line.

    Parameters
    ----------
    argv : sequence of str, default=None
        Arguments without the program name; ``None`` reads ``sys.argv[1:]``.

    Returns
    -------
    status : int
        Exit status: 0 on success, 1 for a failure reported on stderr, 2 for a
        usage error. Either failure is one ``skinfo...: error: ...`` line.

    Examples
    --------
    >>> from skinfo._cli import main
    >>> main(["discretize", "--format", "csv"])  # MDLP cuts of the iris features
    feature,discrete,n_bins,cut_points
    sepal length (cm),False,3,5.55 6.15
    sepal width (cm),False,3,2.95 3.35
    petal length (cm),False,3,2.45 4.75
    petal width (cm),False,3,0.8 1.75
    0
    """
    parser = _build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = parser.parse_args(_attach_negative_values(argv))
    except SystemExit as exc:  # --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else 2
    if getattr(args, "scheduler", None) is not None and not args.dask:
        prog = f"{_PROG} {args.command}"
        sys.stderr.write(
            f"{prog}: error: --scheduler ADDRESS needs --dask (pass --dask to fit "
            f"on that Dask scheduler) (see '{prog} --help')\n"
        )
        return 2
    run: Callable = args.run
    out = sys.stdout
    with warnings.catch_warnings():
        warnings.showwarning = _show_warning
        try:
            status = run(args, out)
            out.flush()
            return status
        except BrokenPipeError:  # e.g. piped into `head`: stop quietly
            with contextlib.suppress(OSError, ValueError):  # no flush at exit
                os.dup2(os.open(os.devnull, os.O_WRONLY), out.fileno())
            return 1
        except CLIError as exc:
            message = _one_line(exc)
        except (ValueError, TypeError, KeyError, FileNotFoundError, OSError) as exc:
            message = _one_line(exc)
        except MemoryError:
            message = "out of memory; try fewer bins or a smaller input"
        except KeyboardInterrupt:
            sys.stderr.write(f"\n{_PROG}: interrupted\n")
            return 130
        except Exception as exc:  # a bug or an input nobody foresaw: still one line
            message = (
                f"unexpected {type(exc).__name__}: {_one_line(exc)} (please report "
                "this, with the command that caused it)"
            )
    sys.stderr.write(f"{_PROG}: error: {message}\n")
    sys.stderr.flush()
    return 1
