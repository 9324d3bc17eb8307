"""``skinfo`` reads CSV and Parquet files with polars when it is installed.

Whatever the reader, the estimators must see the same columns: each test reads the
same file with polars and with pandas (polars hidden) and compares.
"""

import io
import json
import sys

import numpy as np
import pandas as pd
import pytest

from skinfo import _cli
from skinfo._cli import main
from skinfo._input import exact_column

pl = pytest.importorskip("polars")
BIG = 2**53


def run(capsys, *argv):
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def polars_calls(monkeypatch):
    """Record the polars readers' calls (they still read)."""
    calls = []
    for name in ("read_csv", "read_parquet"):
        real = getattr(pl, name)

        def spy(*args, _real=real, _name=name, **kwargs):
            calls.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(pl, name, spy)
    return calls


def read_both(path, monkeypatch):
    """The table as the estimators get it, read by polars, then by pandas."""
    with_polars = _cli._read_table(path)
    with monkeypatch.context() as m:
        m.setitem(sys.modules, "polars", None)  # import polars -> ImportError
        assert _cli._polars() is None
        with_pandas = _cli._read_table(path)
    return with_polars, with_pandas


def columns(frame):
    """Name, dtype and values (NaN as None) of each column after exact_column."""
    out = {}
    for name in frame.columns:
        column = exact_column(frame[name])
        values = [None if pd.isna(v) else v for v in column.tolist()]
        out[name] = (str(column.dtype), values)
        if isinstance(column.dtype, pd.CategoricalDtype):
            out[name] += (column.cat.categories.tolist(),)
    return out


# each: CSV text, and what the polars reader must not do differently from pandas
CSV_CASES = {
    "integers": "a,b\n1,-2\n3,4\n",
    "integers_with_empty_cell": "a,b\n1,2\n,4\n3,5\n",
    "numbers_then_text": "a,b\n1,0\n2,1\nx,0\n",  # text in both, not an error
    "floats_with_na_markers": "a,b\n1.5,NA\nnan,2\nNaN,N/A\n2.5,null\n",
    "infinity": "a\n1.5\n-inf\ninf\n",
    "booleans": "a,b\nTrue,true\nFalse,FALSE\n,True\n",
    "above_2_53": f"a,b\n{BIG + 1},1\n{BIG},2\n{BIG + 1},3\n",
    "above_2_63": f"a\n{2**64 - 1}\n{2**64 - 2}\n",
    "beyond_64_bits": f"a\n{-(2**63) - 1}\n1\n",
    "text_and_empty": "a,b\nred,1\n,2\nblue,3\nNone,4\n",
    "dates_as_text": "a,b\n2020-01-01,1\n2020-01-02,2\n",
    "all_empty_column": "a,b\n,1\n,2\n",
    "ints_and_floats": "a\n1\n2.5\n",
    "spaces_and_plus_signs": "a,b\n 1,+2\n2 ,3\n",
    "spaces_in_text": "a\n x\ny \n",
    "repeated_and_empty_names": ",a,a,a.1\n1,2,3,4\n5,6,7,8\n",
    "blank_lines": "a,b\n1,2\n\n3,4\n\n",
    "windows_line_ends": "a,b\r\n1,x\r\n2,y\r\n",
    "byte_order_mark": "\ufeffa,b\n1,2\n",
    "quoted_numbers": 'a,b\n"1","x, y"\n"2",z\n',
}


@pytest.mark.parametrize("text", CSV_CASES.values(), ids=CSV_CASES)
def test_polars_reads_csv_columns_as_pandas_does(
    text, tmp_path, monkeypatch, polars_calls
):
    path = tmp_path / "data.csv"
    path.write_bytes(text.encode())
    with_polars, with_pandas = read_both(path, monkeypatch)
    if "\n\n" not in text:  # a blank line is left to pandas
        assert polars_calls == ["read_csv"]
    assert list(with_polars.columns) == list(with_pandas.columns)
    assert columns(with_polars) == columns(with_pandas)


def test_blank_lines_are_skipped_as_pandas_does(tmp_path, monkeypatch):
    path = tmp_path / "blank.csv"
    path.write_bytes(b"a,b\n1,2\n\n3,4\n")
    frame, _ = read_both(path, monkeypatch)
    assert frame["a"].tolist() == [1, 3]


LATE_VALUES = {
    "text": ("x", "text"),
    "float": ("2.5", "float64"),
    "missing_marker": ("nan", "category"),  # integers with a missing value
    "beyond_int64": (str(2**63), "uint64"),
    "beyond_64_bits": (str(-(2**63) - 1), "object"),  # text in pandas
    "boolean": ("true", "text"),
}


@pytest.mark.parametrize("late", LATE_VALUES.values(), ids=LATE_VALUES)
def test_types_are_guessed_from_every_row(tmp_path, monkeypatch, polars_calls, late):
    # the first 300 rows are small integers; the last row decides the type
    value, kind = late
    rows = "\n".join(f"{i % 7},{i % 2}" for i in range(300))
    path = tmp_path / "late.csv"
    path.write_bytes(f"a,y\n{rows}\n{value},0\n".encode())
    with_polars, with_pandas = read_both(path, monkeypatch)
    if value != "nan":  # a type guessed from the first rows fails: all rows then
        assert polars_calls == ["read_csv", "read_csv"]
    assert columns(with_polars) == columns(with_pandas)
    column = exact_column(with_polars["a"])
    assert str(column.iloc[-1]) == ("nan" if value == "nan" else value)
    if kind == "text":
        assert column.tolist()[:2] == ["0", "1"]  # the numbers stay text too
    elif kind != "object":
        assert str(column.dtype) == kind


def test_first_rows_missing_then_numbers(tmp_path, monkeypatch, polars_calls):
    rows = "\n".join(f",{i % 2}" for i in range(150))
    path = tmp_path / "late.csv"
    path.write_bytes(f"a,y\n{rows}\n5,0\n7,1\n".encode())
    with_polars, with_pandas = read_both(path, monkeypatch)
    assert polars_calls == ["read_csv"]
    assert columns(with_polars) == columns(with_pandas)
    assert exact_column(with_polars["a"]).cat.categories.tolist() == [5, 7]


def test_numbers_with_spaces_become_numbers(tmp_path, polars_calls):
    path = tmp_path / "spaces.csv"
    path.write_bytes(b"a,b,c\n 1,+2, 1.5\n2 ,3,2\n")
    frame = _cli._read_table(path)
    assert polars_calls == ["read_csv"]
    assert frame["a"].dtype == np.int64 and frame["a"].tolist() == [1, 2]
    assert frame["b"].tolist() == [2, 3]
    assert frame["c"].dtype == np.float64 and frame["c"].tolist() == [1.5, 2.0]


def test_ragged_rows_are_an_error(capsys, tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_bytes(b"a,y\n1,000,1\n2,0\n")
    status, out, err = run(capsys, "rank", str(path), "--target", "y")
    assert status == 1 and out == ""
    assert err.startswith(f"skinfo: error: cannot read '{path}'")
    assert err.count("\n") == 1


def test_empty_csv_file(capsys, tmp_path, polars_calls):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"\n")
    status, _, err = run(capsys, "rank", str(path))
    assert status == 1
    assert err == f"skinfo: error: '{path}' is empty\n"


def _mixed_frame(n=300, seed=0):
    rng = np.random.default_rng(seed)
    color = rng.choice(["red", "green", "blue"], n)
    level = rng.integers(0, 4, n)
    x = rng.normal(size=n)
    y = ((x + (color == "red") + 0.5 * level + 0.5 * rng.normal(size=n)) > 1).astype(
        int
    )
    gappy = x.copy()
    gappy[::7] = np.nan
    flag = pd.array(rng.random(n) < 0.5, dtype="boolean")
    flag[::11] = pd.NA
    count = pd.array(rng.integers(0, 5, n), dtype="Int64")
    count[::13] = pd.NA
    return pd.DataFrame(
        {
            "x": x,
            "gappy": gappy,
            "level": level,
            "big": (BIG + level).astype(np.int64),  # float64 would merge levels
            "flag": flag,
            "count": count,
            "color": color,
            "noise": rng.normal(size=n),
            "y": np.where(y == 1, "yes", "no"),
        }
    )


@pytest.mark.parametrize("kind", ["csv", "parquet"])
@pytest.mark.parametrize("criterion", ["jmi", "mim"])
def test_rank_output_is_the_same_with_either_reader(
    capsys, tmp_path, monkeypatch, polars_calls, kind, criterion
):
    frame = _mixed_frame()
    path = tmp_path / f"mixed.{kind}"
    if kind == "csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path)
    argv = ["rank", str(path), "--target", "y", "--categorical", "color"]
    argv += ["--criterion", criterion, "-k", "5", "--format", "json"]
    status, with_polars, err = run(capsys, *argv)
    assert status == 0, err
    assert polars_calls == [f"read_{kind}"]
    monkeypatch.setitem(sys.modules, "polars", None)
    status, with_pandas, err = run(capsys, *argv)
    assert status == 0, err
    assert polars_calls == [f"read_{kind}"]  # not called again
    assert with_polars == with_pandas  # same ranking, same scores to the last digit
    records = json.loads(with_polars)
    assert records[0]["feature"] in {"x", "color", "level", "big"}


def test_discretize_output_is_the_same_with_either_reader(
    capsys, tmp_path, monkeypatch
):
    frame = _mixed_frame().drop(columns="color")
    path = tmp_path / "mixed.csv"
    frame.to_csv(path, index=False)
    argv = ["discretize", str(path), "--target", "y", "--format", "csv"]
    status, with_polars, err = run(capsys, *argv)
    assert status == 0, err
    monkeypatch.setitem(sys.modules, "polars", None)
    status, with_pandas, err = run(capsys, *argv)
    assert status == 0, err
    assert with_polars == with_pandas
    table = pd.read_csv(io.StringIO(with_polars))
    assert table.set_index("feature").loc["big", "n_bins"] == 4


def test_text_column_is_the_same_error_with_either_reader(
    capsys, tmp_path, monkeypatch
):
    path = tmp_path / "text.csv"
    path.write_bytes(b"a,y\n1,0\n2,1\nx,0\n")
    errors = []
    for hide in (False, True):
        if hide:
            monkeypatch.setitem(sys.modules, "polars", None)
        status, out, err = run(capsys, "rank", str(path), "--target", "y")
        assert status == 1 and out == ""
        errors.append(err)
    assert errors[0] == errors[1]
    assert "column 'a' holds text (e.g. '1')" in errors[0]


def test_parquet_index_of_pandas_is_not_a_feature(tmp_path, monkeypatch, polars_calls):
    frame = _mixed_frame(40).set_index(pd.Index(np.arange(40) * 3, name="row_id"))
    path = tmp_path / "indexed.parquet"
    frame.to_parquet(path)
    with_polars, with_pandas = read_both(path, monkeypatch)
    assert polars_calls == ["read_parquet"]
    assert "row_id" not in with_polars.columns
    assert columns(with_polars) == columns(with_pandas)
    frame.reset_index(drop=True).iloc[:5].set_index(
        pd.Index([7, 3, 1, 0, 2])
    ).to_parquet(path)
    with_polars, with_pandas = read_both(path, monkeypatch)
    assert list(with_polars.columns) == list(frame.columns)
    assert columns(with_polars) == columns(with_pandas)
