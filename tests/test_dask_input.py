"""The dask input layer (skinfo._dask) on a real two-worker LocalCluster."""

import numpy as np
import pandas as pd
import pytest

da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")

from skinfo._dask import (  # noqa: E402
    as_output,
    block_list,
    block_reduce,
    block_sum,
    is_dask,
    map_blocks_rows,
    sample_rows,
    set_input_attributes,
    to_dask_input,
    to_dask_vector,
    token,
)


def _data(n=101, d=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d))


def test_is_dask_recognises_collections_only():
    X = _data()
    assert is_dask(da.from_array(X))
    assert is_dask(dd.from_pandas(pd.DataFrame(X), npartitions=2))
    assert not is_dask(X)
    assert not is_dask(pd.DataFrame(X))


def test_block_sum_equals_numpy_and_is_deterministic(dask_client):
    X = _data(1001)
    dX = da.from_array(X, chunks=(97, -1))
    total = block_sum(lambda b: b.sum(axis=0), dX)
    np.testing.assert_allclose(total, X.sum(axis=0), rtol=1e-13)
    again = block_sum(lambda b: b.sum(axis=0), dX)
    assert np.array_equal(total, again)  # a fixed tree: bit-for-bit the same
    counts, sums = block_sum(
        lambda b, w: (np.array([b.shape[0]]), w.sum(keepdims=True)),
        dX,
        da.from_array(np.ones(1001), chunks=50),
    )
    assert counts[0] == 1001 and sums[0] == 1001.0


def test_block_reduce_and_list(dask_client):
    x = np.array([5, 1, 5, 2, 9, 1, 2])
    dx = da.from_array(x, chunks=3)
    assert np.array_equal(block_reduce(np.unique, np.union1d, dx), np.unique(x))
    assert block_list(len, dx) == [3, 3, 1]


def test_sample_rows_all_rows_in_order_when_small(dask_client):
    X = _data(50)
    y = np.arange(50)
    Xs, ys, ws = sample_rows(
        [da.from_array(X, chunks=(7, -1)), da.from_array(y, chunks=9), None], 100, 0
    )
    assert np.array_equal(Xs, X) and np.array_equal(ys, y) and ws is None


def test_sample_rows_bounded_deterministic_and_chunking_free(dask_client):
    X = _data(1000)
    y = np.arange(1000)
    a = sample_rows(
        [da.from_array(X, chunks=(100, -1)), da.from_array(y, chunks=100)], 64, 3
    )
    b = sample_rows(
        [da.from_array(X, chunks=(333, -1)), da.from_array(y, chunks=333)], 64, 3
    )
    assert a[0].shape == (64, 3)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert np.all(np.diff(a[1]) > 0)  # row order kept, no repeats
    assert np.array_equal(a[0], X[a[1]])  # rows stay whole and aligned
    c = sample_rows([da.from_array(X, chunks=(100, -1))], 64, 4)[0]
    assert not np.array_equal(a[0], c)


def test_frame_input_codes_categories_and_names(dask_client):
    df = pd.DataFrame(
        {
            "a": [1.5, np.nan, 3.0, 4.0, 0.5],
            "b": pd.Categorical(["x", "y", None, "x", "z"]),
            "c": [1, 2, 3, 4, 5],
            "d": [True, False, True, True, False],
        }
    )
    info = to_dask_input(dd.from_pandas(df, npartitions=2))
    values = info.array.compute()
    expected = np.column_stack([df.a, [0, 1, np.nan, 0, 2], df.c, df.d.astype(float)])
    np.testing.assert_array_equal(values, expected)
    assert list(info.feature_names) == ["a", "b", "c", "d"]
    assert info.categorical.tolist() == [False, True, False, False]
    assert info.auto_discrete.tolist() == [False, True, True, True]
    assert info.is_frame and info.shape == (5, 4)


def test_bad_inputs_get_clear_errors(dask_client):
    with pytest.raises(TypeError, match="'t'"):
        to_dask_input(
            dd.from_pandas(
                pd.DataFrame({"t": ["a", "b"], "x": [1.0, 2.0]}), npartitions=1
            )
        )
    with pytest.raises(ValueError, match="2-D"):
        to_dask_input(da.from_array(np.arange(4.0)))
    X = _data(20)
    X[3, 1] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        to_dask_input(da.from_array(X, chunks=(6, -1)))
    X[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        to_dask_input(da.from_array(X, chunks=(6, -1)), allow_nan=False)
    with pytest.raises(ValueError, match="y has 19 samples but X has 20"):
        to_dask_vector(np.arange(19), (10, 10), name="y")
    big = da.from_array(np.array([[2**60], [2**60 + 1]], dtype=np.int64))
    with pytest.raises(ValueError, match="2\\*\\*53"):
        to_dask_input(big).array.compute()
    with pytest.raises(TypeError, match="dates"):
        to_dask_input(da.from_array(np.array([["2020-01-01"]], dtype="datetime64[D]")))


def test_vector_alignment_and_attributes(dask_client):
    info = to_dask_input(
        dd.from_pandas(pd.DataFrame(_data(30), columns=list("abc")), npartitions=3)
    )
    y = to_dask_vector(pd.Series(np.arange(30)), info.chunks, name="y")
    assert y.chunks[0] == info.chunks
    assert to_dask_vector(None, info.chunks, name="sample_weight") is None

    class Est:
        pass

    est = Est()
    set_input_attributes(est, info, reset=True)
    assert est.n_features_in_ == 3 and list(est.feature_names_in_) == ["a", "b", "c"]
    other = to_dask_input(da.from_array(_data(30, d=2)))
    with pytest.raises(ValueError, match="X has 2 features"):
        set_input_attributes(est, other, reset=False)


def test_lazy_map_and_output(dask_client):
    df = pd.DataFrame(_data(30), columns=list("abc"))
    info = to_dask_input(dd.from_pandas(df, npartitions=3), check_finite=False)
    mapped = map_blocks_rows(
        lambda b, k: b[:, :k] * 2, info, n_columns=2, dtype=np.float64, k=2
    )
    out = as_output(mapped, info, ["a2", "b2"])
    assert is_dask(out)
    result = out.compute()
    assert list(result.columns) == ["a2", "b2"]
    np.testing.assert_array_equal(result.to_numpy(), df.to_numpy()[:, :2] * 2)
    assert token(info.array) == token(info.array)


def test_closures_over_different_data_never_share_a_result(dask_client):
    # two block functions with the same code but different captured values: a
    # result cached under a key derived from the code would be handed back twice
    x = da.from_array(np.arange(10.0), chunks=4)

    def times(k):
        return lambda b: np.array([b.sum() * k])

    assert block_sum(times(1.0), x)[0] == 45.0
    assert block_sum(times(2.0), x)[0] == 90.0
    assert block_reduce(times(3.0), np.add, x)[0] == 135.0


def test_nullable_big_integers_are_refused_not_rounded(dask_client):
    column = pd.array([2**60, None, 2**60 + 1], dtype="Int64")
    frame = dd.from_pandas(pd.DataFrame({"n": column}), npartitions=1)
    with pytest.raises(ValueError, match=r"'n'.*2\*\*53"):
        to_dask_input(frame).array.compute()
    small = dd.from_pandas(
        pd.DataFrame({"n": pd.array([1, None, 3], dtype="Int64")}), npartitions=1
    )
    np.testing.assert_array_equal(
        to_dask_input(small).array.compute()[:, 0], [1, np.nan, 3]
    )
