import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import scipy.sparse as sp

from skinfo._binning import encode_labels
from skinfo._input import (
    BOOLEAN,
    CATEGORICAL,
    CONTINUOUS,
    INTEGER,
    describe_columns,
    discrete_codes,
    float_matrix,
    is_dataframe,
)

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


@pytest.mark.parametrize("library", ["pandas", "polars", "pyarrow"])
def test_every_dataframe_library_gives_the_same_answer(library):
    X = _frames()[library]
    assert is_dataframe(X)
    info = describe_columns(X)
    assert info.kinds == (CONTINUOUS, INTEGER, BOOLEAN, CATEGORICAL)
    assert info.labels == ("x", "n", "b", "c")
    np.testing.assert_array_equal(info.discrete, [False, True, True, True])
    np.testing.assert_array_equal(list(info.categories[3]), ["hi", "lo"])
    values = float_matrix(X, info)
    expected = np.array(
        [
            [0.5, BIG, 1, 1],
            [np.nan, BIG + 1, 0, 0],
            [2.5, BIG + 2, 1, np.nan],
            [3.5, BIG + 1, 1, 1],
        ]
    )
    np.testing.assert_array_equal(values, expected)
    # integers above 2**53 keep distinct codes (a float cast would merge them)
    classes, codes = discrete_codes(X, info, 1)
    np.testing.assert_array_equal(codes, [0, 1, 2, 1])
    assert [int(c) for c in classes] == [BIG, BIG + 1, BIG + 2]
    classes, codes = discrete_codes(X, info, 3)
    np.testing.assert_array_equal(codes, [1, 0, 2, 1])  # missing: last code
    assert list(classes[:2]) == ["hi", "lo"] and np.isnan(classes[2])


def test_unseen_categories_get_the_unknown_value():
    X = pd.DataFrame({"c": pd.Categorical(["a", "z", None])})
    info = describe_columns(X)
    fitted = (np.array(["a", "b"], dtype=object),)
    np.testing.assert_array_equal(
        float_matrix(X, info, categories=fitted, unknown=-1.0),
        [[0.0], [-1.0], [np.nan]],
    )


@pytest.mark.parametrize(
    ("X", "match"),
    [
        (
            pd.DataFrame({"a": [1.0, 2.0], "s": ["u", "v"]}),
            "Column 's' of X holds text",
        ),
        (
            pd.DataFrame({"t": pd.to_datetime(["2020", "2021"])}),
            "Column 't' of X holds dates",
        ),
        (np.array([["a", "b"]]), "Column 0 of X holds text"),
        (np.array([[1.0, "b"]], dtype=object), "Column 1 of X holds text"),
        (
            np.array([["2020-01-01"]], dtype="datetime64[D]"),
            "Column 0 of X holds dates",
        ),
        ([[1.0, "x"]], "Column 1 of X holds text"),
    ],
)
def test_text_and_dates_are_refused_naming_the_column(X, match):
    with pytest.raises(TypeError, match=match):
        describe_columns(X)


def test_polars_text_and_dates_are_refused():
    with pytest.raises(TypeError, match="Column 's' of X holds text"):
        describe_columns(pl.DataFrame({"s": ["a", "b"]}))
    with pytest.raises(TypeError, match="Column 'd' of X holds dates"):
        describe_columns(pl.DataFrame({"d": pl.Series([1, 2]).cast(pl.Datetime)}))


def test_arrays_and_sparse_matrices():
    info = describe_columns(np.arange(6).reshape(3, 2))
    assert info.kinds == (INTEGER, INTEGER)
    assert describe_columns(np.ones((2, 3))).kinds == (CONTINUOUS,) * 3
    assert describe_columns(np.ones((2, 1), dtype=bool)).kinds == (BOOLEAN,)
    assert describe_columns(np.array([[1, 2.5]], dtype=object)).kinds == (
        CONTINUOUS,
        CONTINUOUS,
    )
    assert (
        describe_columns(sp.csr_array(np.eye(3, dtype=np.int64))).kinds
        == (INTEGER,) * 3
    )
    big = np.array([[BIG], [BIG + 1]], dtype=np.uint64)
    _, codes = discrete_codes(big, describe_columns(big), 0)
    np.testing.assert_array_equal(codes, [0, 1])
    X = sp.csr_array(np.array([[0, 2], [1, 0], [0, 2]]))
    np.testing.assert_array_equal(
        discrete_codes(X, describe_columns(X), 1)[1], encode_labels([2, 0, 2])[1]
    )


def test_polars_enum_keeps_its_declared_order():
    X = pl.DataFrame({"e": pl.Series(["b", "a", "b"], dtype=pl.Enum(["b", "a"]))})
    info = describe_columns(X)
    assert list(info.categories[0]) == ["b", "a"]
    np.testing.assert_array_equal(float_matrix(X, info), [[0.0], [1.0], [0.0]])
