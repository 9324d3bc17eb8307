"""MIFeatureSelector on Dask collections: equal to the in-memory fit, X never gathered.

Every test runs on the real two-worker ``LocalCluster`` of the ``dask_client``
fixture; inputs are chunked along rows into several blocks with an uneven last one.
"""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from joblib import Memory
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import Pipeline

from skinfo import MIFeatureSelector
from skinfo._greedy import CRITERIA

dask = pytest.importorskip("dask")
da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")

from skinfo import _dask_selection  # noqa: E402
from skinfo._dask import is_dask  # noqa: E402

FITTED = ("relevance_", "scores_", "gains_", "pvalues_")


def _chunked(X):
    n = X.shape[0]
    return da.from_array(X, chunks=(n // 3 + 1, -1))


def _vector(v):
    n = v.shape[0]
    return da.from_array(v, chunks=n // 3 + 1)


def _data(n=450, d=8, seed=0):
    """Continuous features, three of them informative about a three-class y."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = (X[:, 0] + X[:, 3] > 0).astype(np.int64) + (X[:, 5] > 0.8)
    if d > 6:
        X[:, 6] = X[:, 3] + 0.3 * rng.normal(size=n)  # a noisy copy
    return X, y


def _discrete(n=450, d=7, seed=1):
    """Integer features of a few levels each; y depends on columns 1, 2 and 4."""
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 4, size=(n, d))
    y = ((X[:, 1] + X[:, 2]) % 3 + (X[:, 4] > 1)).astype(np.int64)
    flip = rng.random(n) < 0.2
    y[flip] = rng.integers(0, 4, flip.sum())
    X[:, 5] = X[:, 1]  # an exact copy
    return X, y


def _fit_both(X_mem, X_dask, y, y_dask=None, sample_weight=None, w_dask=None, **params):
    params.setdefault("random_state", 0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        ref = MIFeatureSelector(**params).fit(X_mem, y, sample_weight=sample_weight)
        got = MIFeatureSelector(**params).fit(
            X_dask,
            y if y_dask is None else y_dask,
            sample_weight=sample_weight if w_dask is None else w_dask,
        )
    return got, ref


def _assert_same(got, ref, edges=True, fitted=FITTED):
    assert_array_equal(got.ranking_, ref.ranking_)
    assert_array_equal(got.get_support(), ref.get_support())
    assert got.n_features_to_select_ == ref.n_features_to_select_
    assert got.n_features_in_ == ref.n_features_in_
    for name in fitted:
        assert_allclose(getattr(got, name), getattr(ref, name), rtol=0, atol=1e-9)
    if edges:
        assert len(got.bin_edges_) == len(ref.bin_edges_)
        for a, b in zip(got.bin_edges_, ref.bin_edges_, strict=True):
            if b is None:
                assert a is None
            else:
                assert_array_equal(a, b)


@pytest.mark.parametrize("criterion", CRITERIA)
def test_every_criterion_equals_in_memory_fit(dask_client, criterion):
    Xc, yc = _data()
    Xd, yd = _discrete()
    # each criterion meets both method families and both kinds of exact edges;
    # the four pairings alternate over the criteria
    methods = ["plugin", "miller_madow"]
    if CRITERIA.index(criterion) % 2:
        methods.reverse()
    params = {"n_features_to_select": 5, "criterion": criterion}
    # (p-values: in the tests below; each one gathers the path's columns)
    got, ref = _fit_both(Xd, _chunked(Xd), yd, method=methods[0], **params)
    _assert_same(got, ref, fitted=FITTED[:3])
    got, ref = _fit_both(
        Xc, _chunked(Xc), yc, strategy="uniform", method=methods[1], **params
    )
    _assert_same(got, ref, fitted=FITTED[:3])


@pytest.mark.parametrize("strategy", ["quantile", "mdlp"])
def test_subsampled_edges_equal_in_memory_when_n_is_small(dask_client, strategy):
    X, y = _data(n=500)
    got, ref = _fit_both(
        X, _chunked(X), y, n_features_to_select=4, strategy=strategy, n_bins="auto"
    )
    _assert_same(got, ref)
    assert X.shape[0] <= _dask_selection.SUBSAMPLE


def test_grassberger_with_integer_bins_and_continuous_target(dask_client):
    X, _ = _data()
    rng = np.random.default_rng(3)
    y = X[:, 2] + 0.5 * X[:, 4] + 0.1 * rng.normal(size=X.shape[0])
    for strategy in ("uniform", "quantile"):
        got, ref = _fit_both(
            X,
            _chunked(X),
            y,
            y_dask=_vector(y),
            n_features_to_select=3,
            method="grassberger",
            n_bins=5,
            strategy=strategy,
        )
        _assert_same(got, ref)
        assert set(got.ranking_[:2]) == {2, 4}


def test_dataframe_with_categorical_and_nan_equals_pandas_fit(dask_client):
    X, y = _data(n=420, d=6)
    rng = np.random.default_rng(4)
    frame = pd.DataFrame(X, columns=[f"f{j}" for j in range(6)])
    frame.loc[rng.random(420) < 0.1, "f1"] = np.nan
    frame["color"] = pd.Categorical(
        rng.choice(["red", "green", "blue"], 420), categories=["red", "green", "blue"]
    )
    frame.loc[y == 2, "color"] = "blue"
    frame.loc[rng.random(420) < 0.05, "color"] = None
    frame["count"] = rng.integers(0, 3, 420)
    ddf = dd.from_pandas(frame, npartitions=3)
    series = dd.from_pandas(pd.Series(y, name="y"), npartitions=3)
    got, ref = _fit_both(
        frame, ddf, y, y_dask=series, n_features_to_select=4, strategy="uniform"
    )
    _assert_same(got, ref)
    assert_array_equal(got.feature_names_in_, ref.feature_names_in_)
    assert "color" in got.feature_names_in_[got.get_support()]
    # the transform of a dask DataFrame is a lazy dask DataFrame of the kept names
    out = got.transform(ddf)
    assert is_dask(out)
    assert list(out.columns) == list(ref.get_feature_names_out())
    with pytest.raises(ValueError, match="feature names should match"):
        got.transform(ddf[list(frame.columns[::-1])])
    # the selected columns with their dtypes
    pd.testing.assert_frame_equal(out.compute(), frame.loc[:, list(out.columns)])


def test_sample_weight_equals_in_memory_fit(dask_client):
    X, y = _data()
    w = np.random.default_rng(5).integers(0, 4, X.shape[0]).astype(np.float64)
    for strategy in ("uniform", "quantile"):
        got, ref = _fit_both(
            X,
            _chunked(X),
            y,
            sample_weight=w,
            w_dask=_vector(w),
            n_features_to_select=4,
            strategy=strategy,
        )
        _assert_same(got, ref)
    # weights normalised to sum 1 select as unit weights do (n_eff rule)
    got, ref = _fit_both(
        X,
        _chunked(X),
        y,
        sample_weight=np.full(X.shape[0], 1 / X.shape[0]),
        w_dask=_vector(np.full(X.shape[0], 1 / X.shape[0])),
        n_features_to_select=4,
    )
    _assert_same(got, ref)


def test_auto_equals_in_memory_fit(dask_client):
    X, y = _data()
    for criterion in ("jmi", "mim"):
        got, ref = _fit_both(X, _chunked(X), y, criterion=criterion)
        _assert_same(got, ref)
        assert got.n_features_to_select_ >= 2


def test_lazy_pvalues_and_mim_gains_equal_in_memory(dask_client):
    X, y = _data()
    got, ref = _fit_both(X, _chunked(X), y, n_features_to_select=4, criterion="mim")
    # first access computes them (from the selected columns only), also after a
    # pickle round trip (the fitted selector keeps graphs, not persisted data)
    assert got._pvalues is None and got._gains_pending
    _assert_same(pickle.loads(pickle.dumps(got)), ref)
    _assert_same(got, ref)


def test_many_level_columns_counted_from_observed_cells(dask_client, monkeypatch):
    # an id-like column of 400 levels makes the step tables too wide to count
    # densely (as in memory, their observed cells are counted and merged)
    routed = []
    original = _dask_selection._observed_only

    def observed_only(cells, n_samples):
        routed.append(original(cells, n_samples))
        return routed[-1]

    monkeypatch.setattr(_dask_selection, "_observed_only", observed_only)
    X, y = _discrete(n=500)
    rng = np.random.default_rng(6)
    ids = y * 100 + rng.integers(0, 100, y.size)
    X = np.column_stack([X, ids])
    w = rng.integers(1, 3, y.size).astype(np.float64)
    for weights in (None, w):
        got, ref = _fit_both(
            X,
            _chunked(X),
            y,
            sample_weight=weights,
            w_dask=None if weights is None else _vector(weights),
            n_features_to_select=4,
            criterion="cmim",
        )
        _assert_same(got, ref, fitted=FITTED[:3])
        assert got.ranking_[0] == X.shape[1] - 1
    assert any(routed) and not all(routed)


def test_constant_column_warns_like_in_memory(dask_client):
    X, y = _data(n=300, d=6)
    X[:, 2] = 1.5
    X[:, 1] = np.nan
    with pytest.warns(UserWarning, match="Features column 1, column 2 are constant"):
        sel = MIFeatureSelector(2).fit(_chunked(X), y)
    assert sel.relevance_[1] == sel.relevance_[2] == 0.0


def test_memory_second_fit_makes_no_pass(dask_client, tmp_path):
    X, y = _data()
    Xd = _chunked(X)
    memory = Memory(tmp_path, verbose=0)
    first = MIFeatureSelector(3, memory=memory).fit(Xd, y)
    before = _dask_selection.PASSES["count"]
    second = MIFeatureSelector(3, memory=memory).fit(Xd, y)
    assert _dask_selection.PASSES["count"] == before  # edges and path from the cache
    assert_array_equal(second.ranking_, first.ranking_)
    # a longer path resumes the cached one: one pass per extra step
    longer = MIFeatureSelector(5, memory=memory).fit(Xd, y)
    assert _dask_selection.PASSES["count"] == before + 2
    ref = MIFeatureSelector(5).fit(X, y)
    _assert_same(longer, ref)
    # a dask DataFrame (and a dask y) is keyed by its collection's token too
    frame = dd.from_pandas(pd.DataFrame(X, columns=list("abcdefgh")), npartitions=3)
    series = dd.from_pandas(pd.Series(y), npartitions=3)
    first = MIFeatureSelector(3, memory=memory).fit(frame, series)
    before = _dask_selection.PASSES["count"]
    second = MIFeatureSelector(3, memory=memory).fit(frame, series)
    assert _dask_selection.PASSES["count"] == before
    assert_array_equal(second.ranking_, first.ranking_)


def test_transform_is_lazy_and_equal(dask_client):
    X, y = _data()
    Xd = _chunked(X)
    sel = MIFeatureSelector(3).fit(Xd, y)
    out = sel.transform(Xd)
    assert is_dask(out) and out.shape == (X.shape[0], 3)
    assert_array_equal(out.compute(), MIFeatureSelector(3).fit(X, y).transform(X))
    both = MIFeatureSelector(3).fit_transform(Xd, y)
    assert is_dask(both)
    assert_array_equal(both.compute(), out.compute())
    with pytest.raises(ValueError, match="X has 7 features"):
        sel.transform(Xd[:, :7])
    bad = X.copy()
    bad[7, 2] = np.inf
    lazy = sel.transform(_chunked(bad))  # checked when computed, as it is lazy
    with pytest.raises(ValueError, match="infinity"):
        lazy.compute()


def test_pipeline_keeps_data_distributed(dask_client):
    X, y = _data()
    pipe = Pipeline(
        [("wide", MIFeatureSelector(5)), ("narrow", MIFeatureSelector(2))]
    ).fit(_chunked(X), y)
    out = pipe.transform(_chunked(X))
    assert is_dask(out)
    ref = Pipeline(
        [("wide", MIFeatureSelector(5)), ("narrow", MIFeatureSelector(2))]
    ).fit(X, y)
    assert_array_equal(out.compute(), ref.transform(X))


def test_restarted_workers_mid_fit_give_the_right_result(dask_client, monkeypatch):
    X, y = _data()
    original = _dask_selection._DaskTerms.step_terms
    calls = []

    def restart_then_step(self, s):
        if not calls:
            # kill one worker process mid-fit and let its nanny start a new
            # one: the codes persisted on it for the relevance pass are lost
            worker = sorted(dask_client.scheduler_info()["workers"])[0]
            dask_client.restart_workers([worker])
        calls.append(s)
        return original(self, s)

    monkeypatch.setattr(_dask_selection._DaskTerms, "step_terms", restart_then_step)
    got, ref = _fit_both(X, _chunked(X), y, n_features_to_select=4)
    _assert_same(got, ref)
    assert len(calls) == 3
    dask_client.wait_for_workers(2, timeout=60)  # leave two workers behind


def test_workers_lost_on_every_pass_fail_clearly(dask_client, monkeypatch):
    X, y = _data(n=300, d=6)
    original = _dask_selection._DaskTerms.step_terms

    def restart_always(self, s):
        real_run = self.run

        def run(call):
            def lose(codes, yc):  # the persisted codes vanish before each pass
                dask_client.cancel([codes, yc])
                return call(codes, yc)

            return real_run(lose)

        self.run = run
        return original(self, s)

    monkeypatch.setattr(_dask_selection._DaskTerms, "step_terms", restart_always)
    sel = MIFeatureSelector(3)
    with pytest.raises(RuntimeError, match="lost the selector's data"):
        sel.fit(_chunked(X), y)
    with pytest.raises(NotFittedError):
        sel.get_support()


def test_knn_is_refused_with_alternatives(dask_client):
    X, y = _data(n=60, d=6)
    with pytest.raises(TypeError, match=r"method='plugin'.*subsample"):
        MIFeatureSelector(2, method="knn").fit(_chunked(X), y)


def test_bad_inputs_name_the_argument(dask_client):
    X, y = _data(n=90, d=6)
    with pytest.raises(ValueError, match="y"):
        MIFeatureSelector(2).fit(_chunked(X), y[:-1])
    bad = X.copy()
    bad[5, 1] = np.inf
    with pytest.raises(ValueError, match="X"):
        MIFeatureSelector(2).fit(_chunked(bad), y)
    frame = pd.DataFrame(X[:, :3], columns=["a", "b", "c"])
    frame["word"] = np.where(y > 0, "yes", "no")
    with pytest.raises(TypeError, match="word"):
        MIFeatureSelector(2).fit(dd.from_pandas(frame, npartitions=3), y)
    w = np.ones(X.shape[0])
    w[3] = -1.0
    with pytest.raises(ValueError, match="sample_weight"):
        MIFeatureSelector(2).fit(_chunked(X), y, sample_weight=_vector(w))
    with pytest.raises(ValueError, match="sample_weight"):
        MIFeatureSelector(2).fit(
            _chunked(X), y, sample_weight=_vector(np.zeros(X.shape[0]))
        )
    with pytest.raises(ValueError, match="y contains NaN"):
        MIFeatureSelector(2).fit(_chunked(X), np.where(y > 0, np.nan, 0.5))
    with pytest.raises(ValueError, match="only one class"):
        MIFeatureSelector(2).fit(_chunked(X), np.zeros(X.shape[0]))


def test_x_is_never_computed_whole(dask_client, monkeypatch):
    # with more rows than the subsample, nothing may compute or convert X (or any
    # dask array) as a whole on the client: only block results travel
    monkeypatch.setattr(_dask_selection, "SUBSAMPLE", 150)
    X, y = _data(n=600)

    def refuse(*args, **kwargs):
        raise AssertionError("a dask array was gathered whole")

    compute = dask.compute

    def compute_blocks(*args, **kwargs):
        if any(isinstance(a, da.Array) for a in args):
            refuse()
        return compute(*args, **kwargs)

    monkeypatch.setattr(dask, "compute", compute_blocks)
    monkeypatch.setattr(da.Array, "compute", refuse)
    monkeypatch.setattr(da.Array, "__array__", refuse)
    Xd = _chunked(X)
    for params in ({"n_features_to_select": 3}, {"criterion": "mim"}):
        sel = MIFeatureSelector(random_state=0, **params).fit(Xd, _vector(y))
        assert {0, 3} <= set(sel.ranking_[:3].tolist())
        assert sel.pvalues_[0] < 1e-6  # computed from gathered path columns only
        cuts = np.array([e.size for e in sel.bin_edges_])
        assert np.all(cuts <= 7)  # auto_n_bins(600) = 8 bins, from 150 rows


def test_empty_row_blocks_count_nothing(dask_client):
    X, y = _discrete(n=300)
    Xd = da.from_array(X, chunks=((100, 0, 150, 0, 50), X.shape[1]))
    yd = da.from_array(y, chunks=((100, 0, 150, 0, 50),))
    for params in ({"n_features_to_select": 4}, {"criterion": "mim"}):
        got, ref = _fit_both(X, Xd, y, y_dask=yd, **params)
        _assert_same(got, ref)
