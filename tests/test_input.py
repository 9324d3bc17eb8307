import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import scipy.sparse as sp

pl = pytest.importorskip("polars")

BIG = 2**60


def _frames():
    """The same table in pandas, polars and pyarrow."""
    data = {
        "x": [0.5, None, 2.5, 3.5],
        "n": [BIG, BIG + 1, BIG + 2, BIG + 1],
        "b": [True, False, True, True],
        "c": ["lo", "hi", None, "lo"],
    }
    pandas = pd.DataFrame(
        {
            "x": pd.array(data["x"], dtype="float64"),
            "n": np.array(data["n"], dtype=np.int64),
            "b": data["b"],
            "c": pd.Categorical(data["c"], categories=["hi", "lo"]),
        }
    )
    polars = pl.DataFrame(
        {
            "x": data["x"],
            "n": data["n"],
            "b": data["b"],
            "c": pl.Series(data["c"], dtype=pl.Categorical),
        }
    )
    arrow = pa.table(
        {
            "x": data["x"],
            "n": data["n"],
            "b": data["b"],
            "c": pa.array(data["c"]).dictionary_encode(),
        }
    )
    return {"pandas": pandas, "polars": polars, "pyarrow": arrow}


def test_as_pandas_keeps_numpy_and_pandas_input_as_they_are():
    from skinfo._input import as_pandas

    X = np.ones((3, 2))
    frame = pd.DataFrame(X)
    assert as_pandas(X) is X
    assert as_pandas(frame) is frame
    lists = [[1, 2]]
    assert as_pandas(lists) is lists
    sparse = sp.csr_array(X)
    assert as_pandas(sparse) is sparse


@pytest.mark.parametrize("library", ["polars", "pyarrow"])
def test_as_pandas_means_the_same_as_the_table(library):
    from skinfo._input import as_pandas

    frame = as_pandas(_frames()[library])
    assert list(frame.columns) == ["x", "n", "b", "c"]
    # a null float is NaN, integers keep their exact int64 values
    np.testing.assert_array_equal(frame["x"].to_numpy(), [0.5, np.nan, 2.5, 3.5])
    assert frame["n"].dtype == np.int64
    assert frame["n"].tolist() == [BIG, BIG + 1, BIG + 2, BIG + 1]
    assert frame["b"].dtype == bool
    # categories: the present values, sorted; a null is a missing category (arrow's
    # dictionary arrays lose their nulls in narwhals' to_numpy, so they are read
    # with their null mask)
    assert frame["c"].cat.categories.tolist() == ["hi", "lo"]
    np.testing.assert_array_equal(frame["c"].cat.codes.to_numpy(), [1, 0, -1, 1])


def test_as_pandas_nulls_in_integers_and_booleans_stay_exact():
    from skinfo._input import as_pandas

    frame = as_pandas(
        pl.DataFrame(
            {
                "n": pl.Series([BIG + 1, None, BIG], dtype=pl.Int64),
                "u": pl.Series([2**64 - 1, None, 0], dtype=pl.UInt64),
                "b": [True, None, False],
                "e": pl.Series(["z", "a", None], dtype=pl.Enum(["z", "a"])),
                "s": ["u", None, "w"],
                "d": pl.Series([1, 2, None]).cast(pl.Datetime),
            }
        )
    )
    assert str(frame["n"].dtype) == "Int64"
    assert frame["n"].tolist() == [BIG + 1, pd.NA, BIG]
    assert str(frame["u"].dtype) == "UInt64"
    assert frame["u"].tolist() == [2**64 - 1, pd.NA, 0]
    assert frame["b"].tolist() == [True, pd.NA, False]
    # an Enum keeps its declared order
    assert frame["e"].cat.categories.tolist() == ["z", "a"]
    np.testing.assert_array_equal(frame["e"].cat.codes.to_numpy(), [0, 1, -1])
    # text and dates keep what they are, so that the estimators refuse them with
    # the message pandas input gets
    assert pd.api.types.infer_dtype(frame["s"], skipna=True) == "string"
    assert frame["d"].dtype.kind == "M"


def test_as_pandas_1d_converts_series():
    from skinfo._input import as_pandas_1d

    series = as_pandas_1d(pl.Series("y", [1, None, 3]))
    assert series.name == "y" and series.tolist() == [1, pd.NA, 3]
    values = np.array([1, 2])
    assert as_pandas_1d(values) is values
