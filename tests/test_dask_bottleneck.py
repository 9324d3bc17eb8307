"""InformationBottleneckReducer on dask input equals the in-memory fit.

Every test runs on the real two-worker ``LocalCluster`` of the ``dask_client``
fixture; the inputs have several row chunks with an uneven last one.
"""

import warnings

import numpy as np
import pandas as pd
import pytest

from skinfo import InformationBottleneckReducer, information_curve

da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")

GAUSSIAN_ATTRS = (
    "eigenvalues_",
    "critical_betas_",
    "components_",
    "mean_",
    "shrinkage_",
    "information_xt_",
    "information_ty_",
    "information_xy_",
)
DISCRETE_ATTRS = (
    "p_t_",
    "p_y_given_t_",
    "information_xt_",
    "information_ty_",
    "information_xy_",
)


def _chunked(X):
    n = X.shape[0]
    return da.from_array(X, chunks=(n // 3 + 1, -1))


def _vector(v):
    n = v.shape[0]
    return da.from_array(v, chunks=(n // 3 + 1, *v.shape[1:]))


def _data(n=450, p=4, seed=0, offset=0.0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p)) @ rng.normal(size=(p, p)) + offset
    labels = rng.integers(0, 3, size=n)
    X[:, 0] += 1.5 * labels
    X[:, 1] -= 1.0 * (labels == 2)
    return X, labels


def _target(kind, X, labels, seed=1):
    rng = np.random.default_rng(seed)
    if kind == "classes":
        return labels
    centred = X - X.mean(axis=0)
    y1 = centred[:, 0] - 0.5 * centred[:, 2] + rng.normal(size=X.shape[0])
    if kind == "continuous":
        return y1
    y2 = centred[:, 1] + 0.3 * rng.normal(size=X.shape[0])
    return np.column_stack([y1, y2])


def _assert_same(a, b, attrs, tol=1e-9):
    assert a.n_components_ == b.n_components_
    assert a.n_features_in_ == b.n_features_in_
    for name in attrs:
        np.testing.assert_allclose(
            getattr(b, name), getattr(a, name), rtol=tol, atol=tol, err_msg=name
        )


def _fit_both(est, X, y, w=None, *, y_dask=True, w_dask=True):
    """Fit a clone in memory and one on dask input; return both."""
    from sklearn.base import clone

    mem = clone(est).fit(X, y, sample_weight=w)
    yd = _vector(np.asarray(y)) if y_dask else y
    wd = None if w is None else (_vector(w) if w_dask else w)
    dist = clone(est).fit(_chunked(X), yd, sample_weight=wd)
    return mem, dist


# ------------------------------------------------------------------- gaussian
@pytest.mark.parametrize(
    "target, shrinkage, weighted",
    [
        ("classes", "auto", False),
        ("classes", None, True),
        ("continuous", "auto", True),
        ("continuous", 0.3, False),
        ("outputs", "auto", False),
        ("outputs", None, True),
    ],
)
def test_gaussian_equals_in_memory(dask_client, target, shrinkage, weighted):
    # a large common offset: moments are centred by the exact means (two passes)
    X, labels = _data(offset=1e5)
    y = _target(target, X, labels)
    w = None
    if weighted:
        w = np.random.default_rng(2).integers(0, 4, size=X.shape[0]).astype(float)
    est = InformationBottleneckReducer(3, beta=30.0, shrinkage=shrinkage)
    # several outputs: a dask 2-D y when weighted, a numpy one otherwise
    mem, dist = _fit_both(est, X, y, w, y_dask=target != "outputs" or weighted)
    assert mem.n_components_ >= 1
    _assert_same(mem, dist, GAUSSIAN_ATTRS)
    out = dist.transform(_chunked(X))
    assert isinstance(out, da.Array)
    np.testing.assert_allclose(out.compute(), mem.transform(X), rtol=1e-9, atol=1e-8)


def test_gaussian_huge_values_equal_in_memory(dask_client):
    # raw sums of values near 1e306 overflow: the means come from scaled values
    X, labels = _data(n=450, seed=19)
    X = X * 2.0**1015  # exact
    est = InformationBottleneckReducer(2, beta=30.0)
    mem, dist = _fit_both(est, X, labels)
    assert np.all(np.isfinite(mem.components_)) and mem.n_components_ == 2
    for name in ("eigenvalues_", "shrinkage_", "information_ty_"):
        np.testing.assert_allclose(getattr(dist, name), getattr(mem, name), rtol=1e-9)
    for name in ("components_", "mean_"):
        np.testing.assert_allclose(getattr(dist, name), getattr(mem, name), rtol=1e-9)


def test_gaussian_fractional_weights_act_like_unit_weights(dask_client):
    X, labels = _data(n=300, seed=3)
    w = np.full(X.shape[0], 1.0 / X.shape[0])
    unit = InformationBottleneckReducer(2, beta=30.0).fit(_chunked(X), labels)
    normed = InformationBottleneckReducer(2, beta=30.0).fit(
        _chunked(X), labels, sample_weight=_vector(w)
    )
    _assert_same(unit, normed, GAUSSIAN_ATTRS, tol=1e-9)


def test_gaussian_never_gathers_x(dask_client, monkeypatch):
    X, labels = _data(n=300, seed=4)
    expected = InformationBottleneckReducer(2, beta=30.0).fit(X, labels)
    Xd = _chunked(X)

    def refuse(*args, **kwargs):
        raise AssertionError("X was gathered on the client")

    monkeypatch.setattr(da.Array, "__array__", refuse)
    monkeypatch.setattr(da.Array, "compute", refuse)
    fitted = InformationBottleneckReducer(2, beta=30.0).fit(Xd, labels)
    monkeypatch.undo()
    _assert_same(expected, fitted, GAUSSIAN_ATTRS)


def test_gaussian_more_features_than_rows_is_refused(dask_client):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(12, 20)), np.arange(12) % 2
    with pytest.raises(ValueError, match=r"X has 12 rows .* 20 features.*compute"):
        InformationBottleneckReducer(2).fit(_chunked(X), y)


@pytest.mark.parametrize("n_classes", [3, 250])
def test_centred_sums_per_class_match_bincount(n_classes):
    # 250 classes x 20,000 rows takes the sparse one-hot (no 5e6-entry matrix)
    from skinfo._bottleneck import _centred_sums

    rng = np.random.default_rng(21)
    n = 20_000
    codes = rng.integers(0, n_classes, size=n)
    Z, w = rng.normal(size=(n, 2)), rng.random(n)
    total, scatter, counts, class_sums = _centred_sums(
        Z, w, ("classification", codes, n_classes)
    )
    assert total[0] == pytest.approx(w.sum(), rel=1e-12)
    np.testing.assert_allclose(scatter, (Z * w[:, None]).T @ Z, rtol=1e-12)
    np.testing.assert_allclose(counts, np.bincount(codes, w, n_classes), rtol=1e-12)
    for j in range(2):
        expected = np.bincount(codes, w * Z[:, j], n_classes)
        np.testing.assert_allclose(class_sums[:, j], expected, rtol=1e-9, atol=1e-12)


# ------------------------------------------------------------------- discrete
@pytest.mark.parametrize("method", ["ib", "dib"])
@pytest.mark.parametrize("strategy", ["quantile", "uniform"])
@pytest.mark.parametrize("weighted", [False, True])
def test_discrete_equals_in_memory(dask_client, method, strategy, weighted):
    X, labels = _data(n=420, p=3, seed=5)
    w = None
    if weighted:
        w = np.random.default_rng(6).integers(0, 3, size=X.shape[0]).astype(float)
    est = InformationBottleneckReducer(
        3, method=method, beta=20.0, n_bins=3, strategy=strategy, random_state=0
    )
    mem, dist = _fit_both(est, X, labels, w)
    assert len(dist.bin_edges_) == len(mem.bin_edges_)
    for cuts_d, cuts_m in zip(dist.bin_edges_, mem.bin_edges_, strict=True):
        np.testing.assert_array_equal(cuts_d, cuts_m)  # exact edges
    np.testing.assert_array_equal(dist.classes_, mem.classes_)
    assert dist.n_iter_ == mem.n_iter_
    _assert_same(mem, dist, DISCRETE_ATTRS)
    # rows not seen in fit are encoded by the classifier, fitted on the same rows
    new = X + np.random.default_rng(7).normal(scale=3.0, size=X.shape)
    both = np.vstack([X, new])
    np.testing.assert_allclose(
        dist.transform(_chunked(both)).compute(),
        mem.transform(both),
        rtol=1e-9,
        atol=1e-9,
    )
    labels_d = dist.predict(_chunked(both))
    assert isinstance(labels_d, da.Array)
    np.testing.assert_array_equal(labels_d.compute(), mem.predict(both))


@pytest.mark.parametrize("big", [False, True])
def test_unique_pairs_adds_the_weights_of_equal_rows(big):
    from skinfo._dask_bottleneck import _merge_pairs, _unique_pairs

    rng = np.random.default_rng(20)
    pairs = rng.integers(0, 3, size=(300, 3))
    levels = np.array([3, 3, 3])
    if big:  # codes too wide for one 64-bit key: two keys per row
        pairs[:, :2] *= np.array([2**35, 2**25])
        levels = np.array([2**40, 2**30, 3])
    weights = rng.random(300)
    expected = {}
    for row, weight in zip(map(tuple, pairs), weights, strict=True):
        expected[row] = expected.get(row, 0.0) + weight
    uniq, counts = _merge_pairs(
        _unique_pairs(pairs[:120], weights[:120], levels),
        _unique_pairs(pairs[120:], weights[120:], levels),
        levels=levels,
    )
    assert len(uniq) == len(expected) == len(np.unique(pairs, axis=0))
    for row, count in zip(map(tuple, uniq), counts, strict=True):
        assert count == pytest.approx(expected[row], rel=1e-12)


def test_discrete_fractional_weights_equal_in_memory(dask_client):
    # weights summing to 1: the effective sample size is the number of rows
    X, labels = _data(n=300, p=2, seed=8)
    w = np.random.default_rng(9).integers(1, 4, size=X.shape[0]).astype(float)
    w /= w.sum()
    est = InformationBottleneckReducer(2, method="ib", n_bins="auto", random_state=0)
    mem, dist = _fit_both(est, X, labels, w, w_dask=False)
    assert [c.size for c in dist.bin_edges_] == [c.size for c in mem.bin_edges_]
    for cuts_d, cuts_m in zip(dist.bin_edges_, mem.bin_edges_, strict=True):
        np.testing.assert_array_equal(cuts_d, cuts_m)
    _assert_same(mem, dist, DISCRETE_ATTRS)


def test_discrete_string_labels_from_a_dask_series(dask_client):
    X, labels = _data(n=240, p=2, seed=10)
    names = np.array(["cat", "dog", "eel"], dtype=object)[labels]
    est = InformationBottleneckReducer(3, method="dib", n_bins=3, random_state=0)
    mem = est.fit(X, names)
    series = dd.from_pandas(pd.Series(names), npartitions=3)
    with warnings.catch_warnings():  # dask: "limited support ... string to object"
        warnings.simplefilter("ignore", UserWarning)
        dist = InformationBottleneckReducer(
            3, method="dib", n_bins=3, random_state=0
        ).fit(_chunked(X), series)
    np.testing.assert_array_equal(dist.classes_, ["cat", "dog", "eel"])
    _assert_same(mem, dist, DISCRETE_ATTRS)


# ------------------------------------------------------------------ dataframes
@pytest.mark.parametrize("method", ["gaussian", "ib"])
def test_dataframe_in_dataframe_out(dask_client, method):
    X, labels = _data(n=300, p=3, seed=11)
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    df["d"] = pd.Categorical((labels * 10 + np.arange(300) % 2).astype(float))
    y = pd.Series(labels, name="y")
    est = InformationBottleneckReducer(2, method=method, beta=30.0, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # memorising warning, if any
        mem = est.fit(df, y)
        dist = InformationBottleneckReducer(
            2, method=method, beta=30.0, random_state=0
        ).fit(dd.from_pandas(df, npartitions=3), dd.from_pandas(y, npartitions=3))
    np.testing.assert_array_equal(dist.feature_names_in_, ["a", "b", "c", "d"])
    attrs = GAUSSIAN_ATTRS if method == "gaussian" else DISCRETE_ATTRS
    _assert_same(mem, dist, attrs)
    out = dist.transform(dd.from_pandas(df, npartitions=3))
    assert isinstance(out, dd.DataFrame)
    names = list(dist.get_feature_names_out())
    assert list(out.columns) == names
    assert names[0] == "informationbottleneckreducer0"
    result = out.compute()
    np.testing.assert_allclose(
        result.to_numpy(), mem.transform(df), rtol=1e-9, atol=1e-9
    )


# ----------------------------------------------------------- information curve
@pytest.mark.parametrize("method", ["gaussian", "dib"])
def test_information_curve_equals_in_memory(dask_client, method):
    X, labels = _data(n=300, p=2, seed=12)
    est = InformationBottleneckReducer(3, method=method, n_bins=3, random_state=0)
    betas = [2.0, 10.0, 50.0]
    mem = information_curve(est, X, labels, betas)
    dist = information_curve(est, _chunked(X), _vector(labels), betas)
    pd.testing.assert_frame_equal(dist, mem, rtol=1e-9, atol=1e-9)
    assert dist.attrs["information_xy"] == pytest.approx(
        mem.attrs["information_xy"], rel=1e-9
    )


# ---------------------------------------------------------------------- errors
@pytest.mark.parametrize("method", ["gaussian", "ib"])
def test_nan_in_x_is_refused_as_in_memory(dask_client, method):
    X, labels = _data(n=90, p=2, seed=13)
    X[40, 1] = np.nan
    est = InformationBottleneckReducer(2, method=method)
    with pytest.raises(ValueError, match="Input X contains NaN"):
        est.fit(X, labels)
    with pytest.raises(ValueError, match="Input X contains NaN"):
        est.fit(_chunked(X), labels)


def test_nan_in_transform_raises_when_computed(dask_client):
    X, labels = _data(n=90, p=2, seed=14)
    est = InformationBottleneckReducer(1, beta=50.0).fit(_chunked(X), labels)
    bad = X.copy()
    bad[5, 0] = np.nan
    out = est.transform(_chunked(bad))  # lazy: nothing computed yet
    with pytest.raises(ValueError, match="Input X contains NaN"):
        out.compute()


def test_text_column_is_refused_with_its_name(dask_client):
    X, labels = _data(n=60, p=2, seed=15)
    df = pd.DataFrame(X, columns=["a", "b"])
    df["colour"] = np.array(["red", "blue", "green"], dtype=object)[labels]
    ddf = dd.from_pandas(df, npartitions=3)
    with pytest.raises(TypeError, match="colour"):
        InformationBottleneckReducer(2).fit(ddf, labels)
    df["colour"] = df["colour"].astype("category")
    ddf = dd.from_pandas(df, npartitions=3)
    with pytest.raises(TypeError, match=r"'colour'.*OneHotEncoder"):
        InformationBottleneckReducer(2).fit(ddf, labels)


@pytest.mark.parametrize("method", ["gaussian", "dib"])
def test_y_of_the_wrong_length_is_refused(dask_client, method):
    X, labels = _data(n=60, p=2, seed=16)
    est = InformationBottleneckReducer(2, method=method)
    with pytest.raises(ValueError, match="y has 59"):
        est.fit(_chunked(X), labels[:-1])
    with pytest.raises(ValueError, match="y has 59"):
        est.fit(_chunked(X), _vector(labels[:-1]))
    if method == "gaussian":  # several outputs
        outputs = np.column_stack([labels, -labels])[:-1].astype(float)
        with pytest.raises(ValueError, match="y has 59"):
            est.fit(_chunked(X), outputs)
        with pytest.raises(ValueError, match="y has 59"):
            est.fit(_chunked(X), _vector(outputs))


def test_bad_targets_and_weights_are_refused(dask_client):
    X, labels = _data(n=60, p=2, seed=17)
    Xd = _chunked(X)
    continuous = X[:, 0] * 0.37
    with pytest.raises(ValueError, match="classification target"):
        InformationBottleneckReducer(2, method="ib").fit(Xd, _vector(continuous))
    with_nan = labels.astype(float)
    with_nan[3] = np.nan
    with pytest.raises(ValueError, match="y contains NaN"):
        InformationBottleneckReducer(2).fit(Xd, _vector(with_nan))
    negative = np.ones(60)
    negative[7] = -1.0
    with pytest.raises(ValueError, match="sample_weight"):
        InformationBottleneckReducer(2).fit(Xd, labels, sample_weight=negative)
    with pytest.raises(ValueError, match="sample_weight is zero"):
        InformationBottleneckReducer(2).fit(Xd, labels, sample_weight=np.zeros(60))
    with pytest.raises(ValueError, match="sample_weight has 59"):
        InformationBottleneckReducer(2).fit(Xd, labels, sample_weight=np.ones(59))


def test_transform_checks_the_number_of_features(dask_client):
    X, labels = _data(n=60, p=3, seed=18)
    est = InformationBottleneckReducer(1, beta=50.0).fit(_chunked(X), labels)
    with pytest.raises(ValueError, match="X has 2 features"):
        est.transform(_chunked(X[:, :2]))
