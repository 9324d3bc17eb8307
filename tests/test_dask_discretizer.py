"""EntropyDiscretizer on Dask collections, on a real two-worker LocalCluster."""

import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import make_classification

from skinfo import EntropyDiscretizer

da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")


def _data(n=900, seed=0):
    X, y = make_classification(
        n, 4, n_informative=3, n_redundant=0, n_classes=3, random_state=seed
    )
    X[:, 0] = np.round(X[:, 0], 1)  # ties
    X[::11, 1] = np.nan
    return X, y


def _chunked(X):
    n = X.shape[0]
    return da.from_array(X, chunks=(n // 3 + 1, -1) if X.ndim == 2 else n // 3 + 1)


def _weights(kind, n, seed=0):
    rng = np.random.default_rng(seed)
    return {
        "none": None,
        "integer": rng.integers(0, 4, n).astype(float),
        "fractional": rng.random(n),
    }[kind]


def assert_same_fit(a, b, gains_rtol=1e-9):
    for name in ("n_bins_", "has_missing_", "discrete_features_", "n_features_in_"):
        assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    assert hasattr(a, "feature_names_in_") == hasattr(b, "feature_names_in_")
    if hasattr(a, "feature_names_in_"):
        assert_array_equal(a.feature_names_in_, b.feature_names_in_)
    for j in range(a.n_features_in_):
        assert_array_equal(a.bin_edges_[j], b.bin_edges_[j], err_msg=f"column {j}")
        assert_array_equal(a.cut_points_[j], b.cut_points_[j])
        assert_allclose(a.cut_gains_[j], b.cut_gains_[j], rtol=gains_rtol, atol=0)
        if a.categories_[j] is None:
            assert b.categories_[j] is None
        else:
            assert_array_equal(a.categories_[j], b.categories_[j])
            assert a.categories_[j].dtype == b.categories_[j].dtype


PARAMS = {
    "mdlp": {},
    "mdlp-grid": {"n_candidates": 24},
    "mdlp-grid-leaf": {"n_candidates": 24, "min_samples_leaf": 15, "max_bins": 4},
    "uniform": {"strategy": "uniform", "n_bins": "auto"},
    "quantile": {"strategy": "quantile", "n_bins": 6},
}


@pytest.mark.parametrize("weights", ["none", "integer", "fractional"])
@pytest.mark.parametrize("params", PARAMS.values(), ids=PARAMS.keys())
def test_every_strategy_equals_in_memory(dask_client, params, weights):
    X, y = _data()
    w = _weights(weights, y.size)
    memory = EntropyDiscretizer(**params).fit(X, y, sample_weight=w)
    distributed = EntropyDiscretizer(**params).fit(
        _chunked(X), _chunked(y), sample_weight=None if w is None else _chunked(w)
    )
    assert_same_fit(memory, distributed)
    assert memory.n_bins_[:3].max() >= 3  # the data do get cut
    out = distributed.transform(_chunked(X))
    assert isinstance(out, da.Array)
    assert_array_equal(out.compute(), memory.transform(X))


@pytest.mark.parametrize(
    "params",
    [
        {"n_candidates": 16},
        {"strategy": "uniform"},
        {"strategy": "quantile", "quantile_method": "linear"},
    ],
    ids=["mdlp-grid", "uniform", "quantile"],
)
@pytest.mark.parametrize("weights", ["none", "fractional"])
def test_more_rows_than_subsample_draw_the_in_memory_rows(dask_client, params, weights):
    X, y = _data(n=1200, seed=1)
    w = _weights(weights, y.size, seed=1)
    kwargs = {"subsample": 300, "random_state": 7, **params}
    memory = EntropyDiscretizer(**kwargs).fit(X, y, sample_weight=w)
    distributed = EntropyDiscretizer(**kwargs).fit(_chunked(X), y, sample_weight=w)
    assert_same_fit(memory, distributed)
    # and the subsample matters: another seed moves the edges
    other = EntropyDiscretizer(**{**kwargs, "random_state": 8}).fit(
        X, y, sample_weight=w
    )
    assert any(
        not np.array_equal(other.bin_edges_[j], memory.bin_edges_[j]) for j in range(4)
    )


def _frame(n=600, seed=2):
    X, y = _data(n, seed)
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(X[:, :3], columns=["a", "b", "c"])
    df["colour"] = pd.Categorical(rng.choice(["red", "green", "blue"], n))
    df.loc[::17, "colour"] = None
    df["count"] = rng.integers(0, 6, n)
    df["flag"] = rng.random(n) < 0.3
    return df, y


@pytest.mark.parametrize("encode", ["ordinal", "onehot-dense"])
def test_dataframe_with_names_categorical_and_integer_columns(dask_client, encode):
    df, y = _frame()
    ddf = dd.from_pandas(df, npartitions=3)
    params = {"n_candidates": 32, "encode": encode}
    memory = EntropyDiscretizer(**params).fit(df, y)
    distributed = EntropyDiscretizer(**params).fit(
        ddf, dd.from_pandas(pd.Series(y), npartitions=3)
    )
    assert_same_fit(memory, distributed)
    assert_array_equal(distributed.discrete_features_, [0, 0, 0, 1, 1, 1])
    assert distributed.categories_[4].dtype == np.int64  # integers stay integers
    out = distributed.transform(ddf)
    assert isinstance(out, dd.DataFrame)
    assert list(out.columns) == list(memory.get_feature_names_out())
    assert_array_equal(out.compute().to_numpy(), memory.transform(df))
    # lazy inverse of a dask array of codes
    codes = _chunked(memory.transform(df))
    back = distributed.inverse_transform(codes)
    assert isinstance(back, da.Array)
    assert_array_equal(back.compute(), memory.inverse_transform(memory.transform(df)))


def test_discrete_features_by_name_and_categories_of_numbers(dask_client):
    df, y = _frame(seed=3)
    df["level"] = pd.Categorical(np.where(df["a"] > 0, 2.5, 7.5))
    ddf = dd.from_pandas(df, npartitions=3)
    # "level" is categorical with numbers and not listed: binned by its values
    params = {"discrete_features": ["count", "colour"], "n_candidates": 16}
    memory = EntropyDiscretizer(**params).fit(df, y)
    distributed = EntropyDiscretizer(**params).fit(ddf, y)
    assert_same_fit(memory, distributed)
    assert_array_equal(distributed.bin_edges_[6][[0, -1]], [2.5, 7.5])
    assert_array_equal(distributed.transform(ddf).compute(), memory.transform(df))


def test_unseen_categories_follow_handle_unknown(dask_client):
    df, y = _frame(seed=4)
    params = {"n_candidates": 16, "handle_unknown": "ignore"}
    memory = EntropyDiscretizer(**params).fit(df, y)
    distributed = EntropyDiscretizer(**params).fit(dd.from_pandas(df, npartitions=3), y)
    new = df.copy()
    new["colour"] = pd.Categorical(
        df["colour"].astype(object).where(df["a"] <= 1, "violet")
    )
    new["count"] = new["count"] + 3  # unseen levels too
    got = distributed.transform(dd.from_pandas(new, npartitions=2)).compute()
    assert_array_equal(got, memory.transform(new))
    assert (got["colour"] == -1).any() and (got["count"] == -1).any()
    error = EntropyDiscretizer(n_candidates=16, handle_unknown="error").fit(df, y)
    with pytest.raises(ValueError, match="colour"):
        error.transform(dd.from_pandas(new, npartitions=2)).compute()


def test_fit_in_memory_transform_dask_and_back(dask_client):
    X, y = _data()
    memory = EntropyDiscretizer(encode="onehot-dense").fit(X, y)
    out = memory.transform(_chunked(X))
    assert isinstance(out, da.Array)
    assert out.shape == (X.shape[0], int((memory.n_bins_ + memory.has_missing_).sum()))
    assert_array_equal(out.compute(), memory.transform(X))
    back = memory.inverse_transform(out)
    assert_array_equal(back.compute(), memory.inverse_transform(memory.transform(X)))
    # and a dask fit transforms numpy as usual
    distributed = EntropyDiscretizer(n_candidates=20).fit(_chunked(X), y)
    assert_array_equal(
        distributed.transform(X),
        EntropyDiscretizer(n_candidates=20).fit(X, y).transform(X),
    )


def test_float32_input_keeps_its_dtype_and_edges(dask_client):
    X, y = _data()
    X = X.astype(np.float32)
    for params in ({"strategy": "uniform"}, {"strategy": "quantile"}, {}):
        memory = EntropyDiscretizer(**params).fit(X, y)
        distributed = EntropyDiscretizer(**params).fit(_chunked(X), y)
        assert_same_fit(memory, distributed)
        out = distributed.transform(_chunked(X))
        assert out.dtype == np.float32
        assert_array_equal(out.compute(), memory.transform(X))


def test_transform_is_lazy_and_checks_blocks_when_computed(dask_client):
    X, y = _data()
    disc = EntropyDiscretizer(n_candidates=16).fit(_chunked(X), y)
    bad = X.copy()
    bad[5, 2] = np.inf
    out = disc.transform(_chunked(bad))  # nothing computed yet: no error
    with pytest.raises(ValueError, match="infinity"):
        out.compute()


def test_errors_name_the_argument(dask_client):
    X, y = _data()
    Xd = _chunked(X)
    frame = pd.DataFrame({"a": X[:, 0], "name": np.where(y > 0, "yes", "no")})
    with pytest.raises(TypeError, match="name"):
        EntropyDiscretizer().fit(dd.from_pandas(frame, npartitions=3), y)
    with pytest.raises(ValueError, match="y has 899 samples"):
        EntropyDiscretizer().fit(Xd, y[:-1])
    with pytest.raises(ValueError, match="requires y"):
        EntropyDiscretizer().fit(Xd)
    with pytest.raises(ValueError, match="regression"):
        EntropyDiscretizer().fit(Xd, X[:, 0] + 0.5)
    with pytest.raises(ValueError, match="sample_weight"):
        EntropyDiscretizer().fit(Xd, y, sample_weight=np.zeros(y.size))
    with pytest.raises(ValueError, match="sample_weight"):
        EntropyDiscretizer().fit(Xd, y, sample_weight=-np.ones(y.size))
    with pytest.raises(ValueError, match="sample_weight has 10 samples"):
        EntropyDiscretizer().fit(Xd, y, sample_weight=np.ones(10))
    with pytest.raises(ValueError, match="quantile_method"):
        EntropyDiscretizer("quantile", quantile_method="linear").fit(
            Xd, y, sample_weight=np.ones(y.size)
        )
    bad = X.copy()
    bad[3, 0] = -np.inf
    with pytest.raises(ValueError, match="Input X contains infinity"):
        EntropyDiscretizer().fit(_chunked(bad), y)
    sparse = EntropyDiscretizer(encode="onehot", n_candidates=8).fit(Xd, y)
    with pytest.raises(ValueError, match="encode='onehot-dense'"):
        sparse.transform(Xd)
    assert sparse.transform(X).format == "csr"  # in memory it stays sparse
    fitted = EntropyDiscretizer(n_candidates=8).fit(Xd, y)
    with pytest.raises(ValueError, match="3 features"):
        fitted.transform(Xd[:, :3])
    with pytest.raises(ValueError, match="columns"):
        fitted.inverse_transform(Xd[:, :3])


@pytest.mark.parametrize(
    "params",
    [{"n_candidates": 16}, {"strategy": "uniform"}, {"strategy": "quantile"}],
    ids=["mdlp-grid", "uniform", "quantile"],
)
def test_fit_never_computes_x_whole(dask_client, monkeypatch, params):
    X, y = _data(n=1200, seed=5)
    kwargs = {"subsample": 200, "random_state": 0, **params}
    memory = EntropyDiscretizer(**kwargs).fit(X, y)
    Xd = _chunked(X)

    def refuse(*args, **kwargs):
        raise AssertionError("X was gathered on the client")

    monkeypatch.setattr(da.Array, "compute", refuse)
    monkeypatch.setattr(da.Array, "__array__", refuse)
    with pytest.raises(AssertionError, match="gathered"):  # the trap works
        np.asarray(Xd)
    distributed = EntropyDiscretizer(**kwargs).fit(Xd, y)
    assert_same_fit(memory, distributed)


def test_mdlp_without_a_grid_on_long_data_warns_naming_n_candidates(dask_client):
    X, y = _data(n=600, seed=6)
    with pytest.warns(UserWarning, match="n_candidates") as record:
        EntropyDiscretizer(subsample=200, random_state=0).fit(_chunked(X), y)
    assert record[0].filename == __file__  # points at the caller
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # every row sampled, or a grid: silent
        EntropyDiscretizer().fit(_chunked(X), y)
        EntropyDiscretizer(subsample=200, n_candidates=32).fit(_chunked(X), y)


def test_dask_target_and_weights_with_an_in_memory_x(dask_client):
    X, y = _data(seed=7)
    w = _weights("integer", y.size, seed=7)
    memory = EntropyDiscretizer().fit(X, y, sample_weight=w)
    mixed = EntropyDiscretizer().fit(X, _chunked(y), sample_weight=_chunked(w))
    assert_same_fit(memory, mixed, gains_rtol=0)


def test_unknown_categories_are_learned_and_work_in_memory_after(dask_client):
    rng = np.random.default_rng(8)
    n = 600
    df = pd.DataFrame({"a": rng.standard_normal(n), "t": rng.choice(list("xyz"), n)})
    y = (df["a"] > 0).to_numpy().astype(int)
    ddf = dd.from_pandas(df, npartitions=3)
    ddf["t"] = ddf["t"].astype("category")  # categories unknown to dask
    df["t"] = df["t"].astype("category")
    params = {"n_candidates": 8, "encode": "onehot-dense"}
    memory = EntropyDiscretizer(**params).fit(df, y)
    distributed = EntropyDiscretizer(**params).fit(ddf, y)
    assert_same_fit(memory, distributed)
    assert list(distributed.get_feature_names_out())[-3:] == ["t_x", "t_y", "t_z"]
    assert_array_equal(distributed.transform(df), memory.transform(df))
    assert_array_equal(distributed.transform(ddf).compute(), memory.transform(df))
