import itertools
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import load_iris, make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline

from skinfo._discretization import EntropyDiscretizer, mdlp_cut_points


# --------------------------------------------------------------------- reference
def _ent2(counts):
    counts = counts[counts > 0]
    p = counts / counts.sum()
    return float(-(p * np.log2(p)).sum())


def reference_mdlp(x, y, weights=None, min_samples_leaf=1):
    """The paper's recursion written plainly: a loop over every distinct midpoint."""
    x, y = np.asarray(x, float), np.asarray(y)
    weights = np.ones(x.size) if weights is None else np.asarray(weights, float)
    keep = weights > 0
    x, y, weights = x[keep], y[keep], weights[keep]
    classes = np.unique(y)

    def counts(idx):
        return np.array([weights[idx][y[idx] == c].sum() for c in classes])

    def split(idx):
        values = np.unique(x[idx])
        if values.size < 2:
            return [], []
        c_all = counts(idx)
        n = c_all.sum()
        best = None
        for lo, hi in itertools.pairwise(values):
            left, right = idx[x[idx] <= lo], idx[x[idx] > lo]
            if min(left.size, right.size) < min_samples_leaf:
                continue
            c1, c2 = counts(left), counts(right)
            e = (c1.sum() * _ent2(c1) + c2.sum() * _ent2(c2)) / n
            if best is None or e < best[0] - 1e-12:
                best = (e, (lo + hi) / 2, left, right, c1, c2)
        if best is None:
            return [], []
        e, cut, left, right, c1, c2 = best
        gain = _ent2(c_all) - e
        k, k1, k2 = (np.count_nonzero(c) for c in (c_all, c1, c2))
        delta = np.log2(3.0**k - 2) - (
            k * _ent2(c_all) - k1 * _ent2(c1) - k2 * _ent2(c2)
        )
        if not gain > (np.log2(n - 1) + delta) / n:
            return [], []
        cuts_l, gains_l = split(left)
        cuts_r, gains_r = split(right)
        return [*cuts_l, cut, *cuts_r], [*gains_l, gain, *gains_r]

    cuts, gains = split(np.arange(x.size))
    return np.array(cuts), np.array(gains)


# ------------------------------------------------------------------------ MDLP
def test_iris_published_cut_points():
    X, y = load_iris(return_X_y=True)
    disc = EntropyDiscretizer().fit(X, y)
    expected = [[5.55, 6.15], [2.95, 3.35], [2.45, 4.75], [0.8, 1.75]]
    for cuts, want in zip(disc.cut_points_, expected, strict=True):
        assert_allclose(cuts, want)
    assert_array_equal(disc.n_bins_, [3, 3, 3, 3])
    for j in range(4):
        assert_allclose(disc.bin_edges_[j][1:-1], expected[j])
        assert disc.bin_edges_[j][0] == X[:, j].min()
        assert disc.bin_edges_[j][-1] == X[:, j].max()
    # First petal-length cut isolates setosa: gain = H(1/3, 1/3, 1/3) - 2/3 bits.
    assert_allclose(disc.cut_gains_[2][0], np.log2(3) - 2 / 3)


def test_separable_feature_gets_one_cut_at_class_boundary():
    # Ent(S) = 1, E = 0, gain 1 > (log2 9 + log2 7 - 2) / 10 ~ 0.398: accepted;
    # both sides are then pure and stay whole.
    x = np.arange(10.0)
    y = np.array([0] * 5 + [1] * 5)
    cuts, gains = mdlp_cut_points(x, y, 2)
    assert_array_equal(cuts, [4.5])
    assert_allclose(gains, [1.0])


def test_noise_feature_gets_no_cut_hand_computed():
    # Best cut 1.5 (tied with 3.5): gain = 1 - 0.75 H(1/3) = 0.311 bits, below
    # (log2 3 + log2 7 - (2 - 2 H(1/3))) / 4 = 1.057.
    cuts, gains = mdlp_cut_points([1.0, 2.0, 3.0, 4.0], [0, 1, 0, 1], 2)
    assert cuts.size == 0 and gains.size == 0


def test_random_noise_feature_gets_no_cut():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 3))
    y = rng.randint(0, 3, size=300)
    disc = EntropyDiscretizer().fit(X, y)
    assert_array_equal(disc.n_bins_, [1, 1, 1])
    assert_array_equal(disc.transform(X), np.zeros_like(X))


def test_equal_entropy_cuts_resolve_to_lowest():
    # Cuts 2.5 and 4.5 both give E = 2/3 bits; with weight 100 per row the cut is
    # accepted, and max_bins=2 keeps only the first one chosen.
    x = np.arange(1.0, 7.0)
    y = np.array([0, 0, 1, 1, 0, 0])
    w = np.full(6, 100.0)
    cuts, gains = mdlp_cut_points(x, y, 2, sample_weight=w, max_bins=2)
    assert_array_equal(cuts, [2.5])
    assert_allclose(gains, [_ent2(np.array([4, 2])) - 2 / 3])
    # Uncapped, the right part [1, 1, 0, 0] is then cut at 4.5 as well.
    cuts, _ = mdlp_cut_points(x, y, 2, sample_weight=w)
    assert_array_equal(cuts, [2.5, 4.5])


def test_ties_are_never_split():
    # Classes mix inside x = 1: splitting between tied rows would look attractive.
    x = np.array([1.0] * 4 + [2.0] * 4)
    y = np.array([0, 0, 1, 1, 1, 1, 1, 1])
    assert mdlp_cut_points(x, y, 2)[0].size == 0  # gain 0.311 < 0.749
    cuts, _ = mdlp_cut_points(x, y, 2, sample_weight=np.full(8, 100))
    assert_array_equal(cuts, [1.5])

    rng = np.random.RandomState(1)
    x = rng.randint(0, 6, size=400).astype(float)
    y = (x + rng.randint(0, 3, size=400) > 4).astype(int)
    cuts, _ = mdlp_cut_points(x, y, 2)
    assert cuts.size > 0
    midpoints = (np.arange(5) + np.arange(1, 6)) / 2
    assert np.isin(cuts, midpoints).all()


@pytest.mark.parametrize("seed", range(12))
def test_matches_plain_reference_recursion(seed):
    rng = np.random.RandomState(seed)
    n = rng.randint(20, 90)
    if seed % 3 == 0:
        x = rng.randint(0, 12, size=n).astype(float)  # many ties
    else:
        x = np.round(rng.normal(size=n), 2)
    y = np.clip((x > np.median(x)).astype(int) + rng.randint(0, 3, size=n) - 1, 0, 2)
    weights = rng.randint(0, 4, size=n) if seed % 2 else None
    msl = 1 if seed % 4 else 3
    cuts, gains = mdlp_cut_points(x, y, 3, sample_weight=weights, min_samples_leaf=msl)
    want_cuts, want_gains = reference_mdlp(x, y, weights, min_samples_leaf=msl)
    assert_allclose(cuts, want_cuts)
    assert_allclose(gains, want_gains)


def test_multiclass_matches_reference():
    X, y = make_classification(
        400, 3, n_informative=3, n_redundant=0, n_classes=4, random_state=3
    )
    X = np.round(X, 1)
    n_cuts = 0
    for j in range(3):
        cuts, gains = mdlp_cut_points(X[:, j], y, 4)
        want_cuts, want_gains = reference_mdlp(X[:, j], y)
        assert_allclose(cuts, want_cuts)
        assert_allclose(gains, want_gains)
        n_cuts += cuts.size
    assert n_cuts >= 3


def test_max_bins_caps_best_first():
    X, y = make_classification(
        2000, 4, n_informative=3, n_redundant=0, n_classes=3, random_state=0
    )
    full = EntropyDiscretizer().fit(X, y)
    capped = EntropyDiscretizer(max_bins=3).fit(X, y)
    assert (full.n_bins_ > 3).any()
    assert (capped.n_bins_ <= 3).all()
    for j in range(4):
        # Capped cuts are a subset of the uncapped ones, and include the root cut.
        assert np.isin(capped.cut_points_[j], full.cut_points_[j]).all()
    # The first cut of a cap-2 run is the best cut over the whole feature.
    one = EntropyDiscretizer(max_bins=2).fit(X, y)
    for j in range(4):
        if full.n_bins_[j] > 1:
            assert one.n_bins_[j] == 2
            x = X[:, j]
            e = [
                np.mean(x <= c) * _ent2(np.bincount(y[x <= c], minlength=3))
                + np.mean(x > c) * _ent2(np.bincount(y[x > c], minlength=3))
                for c in full.cut_points_[j]
            ]
            assert_allclose(one.cut_points_[j], [full.cut_points_[j][np.argmin(e)]])


def test_min_samples_leaf_skips_small_sides():
    x = np.arange(10.0)
    y = np.array([0, 0] + [1] * 8)
    assert_array_equal(mdlp_cut_points(x, y, 2)[0], [1.5])
    # A 2-row side is now too small: the remaining candidates are not accepted.
    cuts, _ = mdlp_cut_points(x, y, 2, min_samples_leaf=3)
    want, _ = reference_mdlp(x, y, min_samples_leaf=3)
    assert_array_equal(cuts, want)
    assert 1.5 not in cuts


def test_weighted_fit_equals_repeated_rows():
    rng = np.random.RandomState(0)
    X, y = make_classification(
        150, 4, n_informative=3, n_redundant=0, n_classes=3, random_state=0
    )
    X = np.round(X, 1)
    X[rng.rand(*X.shape) < 0.05] = np.nan
    w = rng.randint(0, 4, size=150)
    for strategy in ["mdlp", "quantile", "uniform"]:
        a = EntropyDiscretizer(strategy, n_bins="auto").fit(X, y, sample_weight=w)
        b = EntropyDiscretizer(strategy, n_bins="auto").fit(
            np.repeat(X, w, axis=0), np.repeat(y, w)
        )
        for j in range(4):
            assert_array_equal(a.cut_points_[j], b.cut_points_[j])
            assert_array_equal(a.cut_gains_[j], b.cut_gains_[j])
            assert_array_equal(a.bin_edges_[j], b.bin_edges_[j])
        assert_array_equal(a.has_missing_, b.has_missing_)
        assert_array_equal(a.transform(X), b.transform(X))


def test_sample_weight_validation():
    X, y = np.arange(8.0)[:, None], np.array([0, 1] * 4)
    disc = EntropyDiscretizer()
    with pytest.raises(ValueError, match="shape"):
        disc.fit(X, y, sample_weight=np.ones(3))
    with pytest.raises(ValueError, match=r"Negative values.*sample_weight"):
        disc.fit(X, y, sample_weight=-np.ones(8))
    with pytest.raises(ValueError, match="sample_weight is zero for every row"):
        disc.fit(X, y, sample_weight=np.zeros(8))
    with pytest.raises(ValueError, match="sample_weight contains NaN"):
        disc.fit(X, y, sample_weight=np.full(8, np.nan))


def test_mdlp_cut_points_validates_input():
    with pytest.raises(ValueError, match="finite"):
        mdlp_cut_points([1.0, np.nan], [0, 1], 2)
    with pytest.raises(ValueError, match="same length"):
        mdlp_cut_points([1.0, 2.0], [0], 2)
    with pytest.raises(ValueError, match="n_classes"):
        mdlp_cut_points([1.0, 2.0], [0, 2], 2)
    cuts, gains = mdlp_cut_points([], [], 2)
    assert cuts.size == 0 and gains.size == 0


# ---------------------------------------------------------------- estimator API
def test_single_class_target_gives_one_bin_per_feature():
    X = np.random.RandomState(0).normal(size=(30, 3))
    disc = EntropyDiscretizer().fit(X, np.ones(30))
    assert_array_equal(disc.n_bins_, [1, 1, 1])
    assert_array_equal(disc.transform(X), np.zeros((30, 3)))


def test_regression_target_is_rejected_with_alternatives():
    X = np.random.RandomState(0).normal(size=(30, 2))
    y = np.linspace(0, 1, 30) + 0.001
    with pytest.raises(ValueError, match=r"mdlp.*'uniform'.*'quantile'"):
        EntropyDiscretizer().fit(X, y)
    EntropyDiscretizer("quantile").fit(X, y)  # unsupervised: y ignored


def test_infinite_values_raise():
    X = np.array([[1.0], [np.inf], [3.0]])
    with pytest.raises(ValueError, match="infinity"):
        EntropyDiscretizer().fit(X, [0, 1, 1])
    disc = EntropyDiscretizer().fit([[1.0], [2.0], [3.0]], [0, 1, 1])
    with pytest.raises(ValueError, match="infinity"):
        disc.transform(X)


def test_constant_feature_gets_single_bin():
    X = np.column_stack([np.full(20, 3.0), np.arange(20.0)])
    y = (np.arange(20) >= 10).astype(int)
    for strategy in ["mdlp", "quantile", "uniform"]:
        disc = EntropyDiscretizer(strategy).fit(X, y)
        assert disc.n_bins_[0] == 1
        assert_array_equal(disc.bin_edges_[0], [3.0, 3.0])
        assert_array_equal(disc.inverse_transform(disc.transform(X))[:, 0], 3.0)


def test_missing_values_take_no_part_and_get_own_bin():
    x = np.arange(10.0)
    y = np.array([0] * 5 + [1] * 5)
    X = np.append(x, [np.nan, np.nan])[:, None]
    y_nan = np.append(y, [0, 1])
    disc = EntropyDiscretizer().fit(X, y_nan)
    assert_array_equal(disc.cut_points_[0], [4.5])  # as without the NaN rows
    assert disc.has_missing_[0] and disc.n_bins_[0] == 2
    assert_array_equal(disc.transform([[1.0], [7.0], [np.nan]]).ravel(), [0, 1, 2])

    onehot = EntropyDiscretizer(encode="onehot-dense").fit(X, y_nan)
    assert_array_equal(
        onehot.transform([[1.0], [7.0], [np.nan]]),
        [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
    )
    assert_array_equal(onehot.get_feature_names_out(), ["x0_0.0", "x0_1.0", "x0_nan"])
    back = onehot.inverse_transform(onehot.transform([[1.0], [np.nan]]))
    assert_allclose(back.ravel(), [2.25, np.nan])


def test_all_missing_column_gets_one_bin_and_missing_code():
    X = np.column_stack([np.full(10, np.nan), np.arange(10.0)])
    y = np.array([0] * 5 + [1] * 5)
    for strategy in ["mdlp", "quantile"]:
        disc = EntropyDiscretizer(strategy).fit(X, y)
        assert disc.n_bins_[0] == 1 and disc.has_missing_[0]
        assert_array_equal(disc.transform(X[:2])[:, 0], [1, 1])
        assert np.isnan(disc.inverse_transform(disc.transform(X[:2]))[:, 0]).all()


def test_string_labels_give_same_cuts():
    X, y = load_iris(return_X_y=True)
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    a = EntropyDiscretizer().fit(X, y)
    b = EntropyDiscretizer().fit(X, names)
    for j in range(4):
        assert_array_equal(a.cut_points_[j], b.cut_points_[j])


def test_missing_value_unseen_in_fit():
    X, y = np.arange(10.0)[:, None], np.array([0] * 5 + [1] * 5)
    ordinal = EntropyDiscretizer().fit(X, y)
    assert not ordinal.has_missing_[0]
    assert_array_equal(ordinal.transform([[np.nan]]), [[2.0]])  # code n_bins_
    assert np.isnan(ordinal.inverse_transform([[2.0]])[0, 0])
    onehot = EntropyDiscretizer(encode="onehot-dense").fit(X, y)
    assert_array_equal(onehot.transform([[np.nan], [0.0]]), [[0, 0], [1, 0]])


def test_unsupervised_strategies_give_kbins_edges():
    from sklearn.preprocessing import KBinsDiscretizer

    rng = np.random.RandomState(0)
    X = rng.exponential(size=(500, 3))
    for strategy in ["quantile", "uniform"]:
        disc = EntropyDiscretizer(strategy, n_bins=4).fit(X)  # no y needed
        kbins = KBinsDiscretizer(n_bins=4, strategy=strategy).fit(X)
        for j in range(3):
            assert_array_equal(disc.bin_edges_[j], kbins.bin_edges_[j])
            assert_array_equal(disc.cut_points_[j], kbins.bin_edges_[j][1:-1])
            assert np.isnan(disc.cut_gains_[j]).all()
        assert_array_equal(disc.n_bins_, [4, 4, 4])
    counts = np.bincount(
        EntropyDiscretizer("quantile", n_bins=4).fit_transform(X)[:, 0].astype(int)
    )
    assert_array_equal(counts, [125, 125, 125, 125])  # maximum-entropy binning


def test_quantile_matches_kbins_edges_without_ties():
    from sklearn.preprocessing import KBinsDiscretizer

    X = np.random.RandomState(0).normal(size=(1001, 2))
    ours = EntropyDiscretizer("quantile", n_bins=5, quantile_method="linear").fit(X)
    theirs = KBinsDiscretizer(n_bins=5, encode="ordinal", quantile_method="linear").fit(
        X
    )
    for j in range(2):
        assert_allclose(ours.bin_edges_[j], theirs.bin_edges_[j])
    assert_array_equal(ours.transform(X), theirs.transform(X))


def test_n_bins_array_and_validation():
    X = np.random.RandomState(0).normal(size=(100, 2))
    disc = EntropyDiscretizer("uniform", n_bins=[2, 3]).fit(X)
    assert_array_equal(disc.n_bins_, [2, 3])
    with pytest.raises(ValueError, match="shape"):
        EntropyDiscretizer("uniform", n_bins=[2, 3, 4]).fit(X)
    with pytest.raises(ValueError, match="at least 2"):
        EntropyDiscretizer("uniform", n_bins=[2, 1]).fit(X)


def test_encodings_agree_and_invert():
    X, y = make_classification(300, 3, n_informative=3, n_redundant=0, random_state=0)
    ordinal = EntropyDiscretizer().fit(X, y)
    dense = EntropyDiscretizer(encode="onehot-dense").fit(X, y)
    sparse = EntropyDiscretizer(encode="onehot").fit(X, y)
    codes = ordinal.transform(X)
    Xd, Xs = dense.transform(X), sparse.transform(X)
    assert sp.issparse(Xs) and Xs.format == "csr"
    assert_array_equal(Xs.toarray(), Xd)
    assert Xd.shape[1] == ordinal.n_bins_.sum()
    assert_array_equal(Xd.sum(axis=1), 3)
    offsets = np.concatenate(([0], np.cumsum(ordinal.n_bins_)[:-1]))
    for j in range(3):
        assert_array_equal(np.flatnonzero(Xd[0])[j] - offsets[j], codes[0, j])
    centres = ordinal.inverse_transform(codes)
    assert_allclose(dense.inverse_transform(Xd), centres)
    assert_allclose(sparse.inverse_transform(Xs), centres)
    edges = ordinal.bin_edges_[0]
    assert_allclose(
        centres[:, 0], ((edges[1:] + edges[:-1]) / 2)[codes[:, 0].astype(int)]
    )
    with pytest.raises(ValueError, match="bin codes"):
        ordinal.inverse_transform(codes + 0.5)
    with pytest.raises(ValueError, match="columns"):
        dense.inverse_transform(codes)


def test_unseen_values_land_in_end_bins():
    X, y = np.arange(10.0)[:, None], np.array([0] * 5 + [1] * 5)
    disc = EntropyDiscretizer().fit(X, y)
    assert_array_equal(disc.transform([[-100.0], [4.5], [100.0]]).ravel(), [0, 1, 1])


def test_dtype_and_onehot_feature_names():
    X, y = load_iris(return_X_y=True, as_frame=True)
    disc = EntropyDiscretizer(encode="onehot", dtype=np.float32).fit(X, y)
    assert disc.transform(X).dtype == np.float32
    names = disc.get_feature_names_out()
    assert names[:3].tolist() == [
        "sepal length (cm)_0.0",
        "sepal length (cm)_1.0",
        "sepal length (cm)_2.0",
    ]
    assert len(names) == 12
    assert (
        EntropyDiscretizer()
        .fit(X.astype(np.float32), y)
        .transform(X.astype(np.float32))
        .dtype
        == np.float32
    )
    assert_array_equal(
        EntropyDiscretizer().fit(X, y).get_feature_names_out(), X.columns
    )


def test_set_output_pandas():
    X, y = load_iris(return_X_y=True, as_frame=True)
    out = EntropyDiscretizer().set_output(transform="pandas").fit_transform(X, y)
    assert isinstance(out, pd.DataFrame)
    assert out.columns.tolist() == X.columns.tolist()
    dense = EntropyDiscretizer(encode="onehot-dense").set_output(transform="pandas")
    out = dense.fit_transform(X, y)
    assert out.shape == (150, 12) and out.columns[-1] == "petal width (cm)_2.0"


def test_discrete_features_pass_through():
    rng = np.random.RandomState(0)
    codes = rng.randint(0, 4, size=60).astype(float)
    x = rng.normal(size=60)
    y = (x > 0).astype(int)
    X = np.column_stack([codes, x])
    ordinal = EntropyDiscretizer(discrete_features=[0]).fit(X, y)
    out = ordinal.transform(X)
    assert_array_equal(out[:, 0], codes)  # value unchanged
    assert_array_equal(ordinal.discrete_features_, [True, False])
    assert_array_equal(ordinal.categories_[0], [0, 1, 2, 3])
    assert ordinal.categories_[1] is None
    assert ordinal.n_bins_[0] == 4 and ordinal.bin_edges_[0].size == 0
    assert_array_equal(ordinal.inverse_transform(out)[:, 0], codes)

    onehot = EntropyDiscretizer(encode="onehot-dense", discrete_features=[True, False])
    with pytest.warns(UserWarning, match=r"Column 0 of X holds values not seen.*7"):
        Xt = onehot.fit(X, y).transform(np.array([[2.0, 0.0], [7.0, 0.0]]))
    assert_array_equal(Xt[:, :4], [[0, 0, 1, 0], [0, 0, 0, 0]])  # unseen: no one
    assert onehot.get_feature_names_out()[:4].tolist() == [
        "x0_0",
        "x0_1",
        "x0_2",
        "x0_3",
    ]
    back = onehot.inverse_transform(Xt)
    assert back[0, 0] == 2.0 and np.isnan(back[1, 0])


def test_discrete_features_auto_and_pandas_categorical():
    rng = np.random.RandomState(0)
    frame = pd.DataFrame(
        {
            "colour": pd.Categorical(rng.choice(["red", "blue", None], size=40)),
            "count": rng.randint(0, 3, size=40),
            "size": rng.normal(size=40),
        }
    )
    y = (frame["size"] > 0).astype(int)
    disc = EntropyDiscretizer(discrete_features="auto").fit(frame, y)
    assert_array_equal(disc.discrete_features_, [True, True, False])
    out = disc.transform(frame)
    codes = frame["colour"].cat.codes.to_numpy().astype(float)
    codes[codes < 0] = 2  # NaN: the code after the two categories
    assert_array_equal(out[:, 0], codes)
    assert_array_equal(out[:, 1], frame["count"])
    assert disc.has_missing_[0] and disc.n_bins_[0] == 2

    # A category unknown in fit: -1 in ordinal output, no one in one-hot output.
    new = frame.head(2).copy()
    new["colour"] = pd.Categorical(["green", "red"])
    with pytest.warns(UserWarning, match="Column 'colour' of X holds values not"):
        assert_array_equal(disc.transform(new)[:, 0], [-1, 1])
    onehot = EntropyDiscretizer(encode="onehot-dense", discrete_features=["colour"])
    onehot.fit(frame.drop(columns="count"), y)
    names = onehot.get_feature_names_out().tolist()
    assert names[:3] == ["colour_blue", "colour_red", "colour_nan"]
    with pytest.warns(UserWarning, match="not seen in fit"):
        assert_array_equal(
            onehot.transform(new.drop(columns="count"))[:, :3], [[0, 0, 0], [0, 1, 0]]
        )
    # An integer array is discrete under "auto", a float array is not.
    ints = rng.randint(0, 3, size=(20, 2))
    auto = EntropyDiscretizer(discrete_features="auto")
    assert auto.fit(ints, ints[:, 0]).discrete_features_.all()
    assert not auto.fit(ints.astype(float), ints[:, 0]).discrete_features_.any()
    assert (
        EntropyDiscretizer(discrete_features=True)
        .fit(ints, ints[:, 0])
        .discrete_features_.all()
    )


@pytest.mark.parametrize(
    "spec, match",
    [
        ([True], "boolean mask"),
        ([5], "indices"),
        (["nope"], "names"),
        ([[0, 1]], "1-D"),
        ([0.5], "dtype"),
    ],
)
def test_discrete_features_validation(spec, match):
    X = np.random.RandomState(0).normal(size=(10, 2))
    with pytest.raises((ValueError, TypeError), match=match):
        EntropyDiscretizer(discrete_features=spec).fit(X, [0, 1] * 5)


def test_n_jobs_and_subsample_reproducible():
    X, y = make_classification(
        3000, 5, n_informative=3, n_redundant=0, n_classes=3, random_state=0
    )
    a = EntropyDiscretizer().fit(X, y)
    b = EntropyDiscretizer(n_jobs=2).fit(X, y)
    for j in range(5):
        assert_array_equal(a.cut_points_[j], b.cut_points_[j])
    X_nan = X.copy()
    X_nan[::7, 2] = np.nan
    assert_array_equal(a.transform(X_nan), b.transform(X_nan))  # threads in transform
    c = EntropyDiscretizer(subsample=1000, random_state=0).fit(X, y)
    d = EntropyDiscretizer(subsample=1000, random_state=0, n_jobs=2).fit(X, y)
    rows = np.sort(np.random.RandomState(0).choice(3000, 1000, replace=False))
    e = EntropyDiscretizer().fit(X[rows], y[rows])
    for j in range(5):
        assert_array_equal(c.cut_points_[j], d.cut_points_[j])
        assert_array_equal(c.cut_points_[j], e.cut_points_[j])
        assert c.bin_edges_[j][0] == X[:, j].min()  # range from all rows


def test_grid_search_over_max_bins_in_pipeline():
    X, y = make_classification(
        300, 4, n_informative=3, n_redundant=0, n_classes=3, random_state=0
    )
    pipe = Pipeline(
        [
            ("disc", EntropyDiscretizer(encode="onehot")),
            ("clf", LogisticRegression(max_iter=500)),
        ]
    )
    search = GridSearchCV(pipe, {"disc__max_bins": [2, 4, None]}, cv=3).fit(X, y)
    assert search.best_params_["disc__max_bins"] in (2, 4, None)
    assert search.best_score_ > 0.6
    best = search.best_estimator_.named_steps["disc"]
    cap = search.best_params_["disc__max_bins"]
    if cap is not None:
        assert (best.n_bins_ <= cap).all()
    assert search.score(X, y) > 0.6


# ------------------------------------------------- drop-in for KBinsDiscretizer
QUANTILE_METHODS = [
    "inverted_cdf",
    "averaged_inverted_cdf",
    "closest_observation",
    "interpolated_inverted_cdf",
    "hazen",
    "weibull",
    "linear",
    "median_unbiased",
    "normal_unbiased",
]


def _kbins_datasets():
    rng = np.random.RandomState(0)
    normal = rng.normal(size=(210, 3))  # 210 rows: n * q lands on integers
    ties = np.column_stack(
        [
            np.round(rng.normal(size=150), 1),
            rng.randint(0, 3, size=150).astype(float),  # three values only
            np.where(rng.rand(150) < 0.7, 0.0, rng.exponential(size=150)),
        ]
    )
    constant = np.column_stack([np.full(60, 2.5), rng.uniform(size=60)])
    return {
        "normal": normal,
        "ties": ties,
        "constant": constant,
        "float32": rng.gamma(2.0, size=(97, 2)).astype(np.float32),
    }


KBINS_DATA = _kbins_datasets()


def _kbins(**params):
    from sklearn.preprocessing import KBinsDiscretizer

    return KBinsDiscretizer(**params)


def _fit_both(X, *, sample_weight=None, **params):
    """Fitted (skinfo, KBinsDiscretizer) with the same shared parameters."""
    import warnings

    ours = EntropyDiscretizer(discrete_features=None, **params)
    ours.fit(X, sample_weight=sample_weight)
    with warnings.catch_warnings():  # constant feature / merged bins
        warnings.simplefilter("ignore", UserWarning)
        theirs = _kbins(**params).fit(X, sample_weight=sample_weight)
    return ours, theirs


def _assert_same_edges(ours, theirs, X):
    for j in range(X.shape[1]):
        if np.ptp(X[:, j]) == 0:
            # Deliberate difference: KBins stores [-inf, inf] for a constant
            # feature; skinfo keeps [c, c] (one bin either way).
            assert_array_equal(theirs.bin_edges_[j], [-np.inf, np.inf])
            assert_array_equal(ours.bin_edges_[j], [X[0, j], X[0, j]])
        else:
            assert_array_equal(ours.bin_edges_[j], theirs.bin_edges_[j])
    assert_array_equal(ours.n_bins_, theirs.n_bins_)


# KBins' inverse of a constant feature: the centre of [-inf, inf]
KBINS_INF_CENTRE = "ignore:invalid value encountered in add:RuntimeWarning"


def _kbins_centres_agree(ours_back, theirs_back, X):
    for j in range(X.shape[1]):
        if np.ptp(X[:, j]) == 0:
            # Deliberate difference: KBins inverts a constant feature to NaN (the
            # centre of [-inf, inf]), skinfo to the constant.
            assert np.isnan(theirs_back[:, j]).all()
            assert_array_equal(ours_back[:, j], X[0, j])
        else:
            assert_array_equal(ours_back[:, j], theirs_back[:, j])


@pytest.mark.filterwarnings(KBINS_INF_CENTRE)
@pytest.mark.parametrize("data", sorted(KBINS_DATA))
@pytest.mark.parametrize(
    "strategy, quantile_method",
    [("uniform", "averaged_inverted_cdf")]
    + [("quantile", m) for m in QUANTILE_METHODS],
)
@pytest.mark.parametrize("n_bins", [3, 6])
def test_kbins_parity_edges_codes_inverse(data, strategy, quantile_method, n_bins):
    X = KBINS_DATA[data]
    params = {
        "strategy": strategy,
        "quantile_method": quantile_method,
        "n_bins": n_bins,
        "encode": "ordinal",
    }
    ours, theirs = _fit_both(X, **params)
    _assert_same_edges(ours, theirs, X)
    codes = ours.transform(X)
    assert_array_equal(codes, theirs.transform(X))
    assert codes.dtype == theirs.transform(X).dtype == X.dtype
    new = X[::7] * 1.5 - 0.25  # values between and beyond the training values
    assert_array_equal(ours.transform(new), theirs.transform(new))
    _kbins_centres_agree(
        ours.inverse_transform(codes), theirs.inverse_transform(codes), X
    )
    assert_array_equal(ours.get_feature_names_out(), theirs.get_feature_names_out())


@pytest.mark.filterwarnings(KBINS_INF_CENTRE)
@pytest.mark.filterwarnings("ignore:Feature .* is constant:UserWarning")
@pytest.mark.filterwarnings("ignore:Bins whose width are too small:UserWarning")
@pytest.mark.parametrize("data", sorted(KBINS_DATA))
@pytest.mark.parametrize("encode", ["ordinal", "onehot", "onehot-dense"])
@pytest.mark.parametrize("dtype", [None, np.float32, np.float64])
def test_kbins_parity_encode_and_dtype(data, encode, dtype):
    X = KBINS_DATA[data]
    n_bins = np.arange(2, 2 + X.shape[1])  # one number of bins per feature
    ours, theirs = _fit_both(
        X, strategy="quantile", n_bins=n_bins, encode=encode, dtype=dtype
    )
    _assert_same_edges(ours, theirs, X)
    a, b = ours.transform(X), theirs.transform(X)
    assert sp.issparse(a) == sp.issparse(b)
    if sp.issparse(a):
        assert a.format == b.format == "csr"
        a, b = a.toarray(), b.toarray()
    assert a.dtype == b.dtype
    if dtype is not None and X.dtype != dtype:
        # Deliberate difference: KBins casts X itself to dtype before binning (a
        # float64 value just below an edge can round onto it); skinfo bins X as
        # it is and casts the output.
        exact = _kbins(strategy="quantile", n_bins=n_bins, encode=encode).fit(X)
        b = exact.transform(X)
        b = (b.toarray() if sp.issparse(b) else b).astype(dtype)
    assert_array_equal(a, b)
    assert_array_equal(ours.get_feature_names_out(), theirs.get_feature_names_out())
    names = [f"f{j}" for j in range(X.shape[1])]
    assert_array_equal(
        ours.get_feature_names_out(names), theirs.get_feature_names_out(names)
    )
    codes = theirs.transform(X)  # the same codes for both
    back_ours = ours.inverse_transform(codes)
    back_theirs = theirs.inverse_transform(codes)
    assert back_ours.dtype == back_theirs.dtype
    _kbins_centres_agree(back_ours, back_theirs, X)


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
@pytest.mark.parametrize("weighted", [False, True])
def test_kbins_parity_subsample(strategy, weighted):
    rng = np.random.RandomState(1)
    X = rng.lognormal(size=(400, 2))
    w = rng.uniform(0.1, 3.0, size=400) if weighted else None
    for seed in [0, 7]:
        ours, theirs = _fit_both(
            X,
            sample_weight=w,
            strategy=strategy,
            n_bins=5,
            subsample=120,
            random_state=seed,
            encode="ordinal",
        )
        _assert_same_edges(ours, theirs, X)
        assert_array_equal(ours.transform(X), theirs.transform(X))
    # the subsample really is a subsample (the full data gives other edges)
    full = EntropyDiscretizer(strategy, n_bins=5, subsample=None).fit(X, None, w)
    assert not np.array_equal(full.bin_edges_[0], ours.bin_edges_[0])


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
@pytest.mark.parametrize("quantile_method", ["inverted_cdf", "averaged_inverted_cdf"])
@pytest.mark.parametrize("kind", ["float", "integer", "with zeros"])
def test_kbins_parity_sample_weight(strategy, quantile_method, kind):
    rng = np.random.RandomState(2)
    X = np.column_stack([rng.normal(size=120), np.round(rng.normal(size=120), 1)])
    if kind == "float":
        w = rng.uniform(0.05, 2.0, size=120)
    elif kind == "integer":
        w = rng.randint(1, 5, size=120).astype(float)
    else:
        w = rng.randint(0, 3, size=120).astype(float)
    ours, theirs = _fit_both(
        X,
        sample_weight=w,
        strategy=strategy,
        quantile_method=quantile_method,
        n_bins=4,
        encode="onehot-dense",
    )
    _assert_same_edges(ours, theirs, X)
    assert_array_equal(ours.transform(X), theirs.transform(X))


def test_kbins_parity_rejects_other_quantile_methods_with_weights():
    X = np.random.RandomState(0).normal(size=(50, 2))
    w = np.ones(50)
    with pytest.raises(ValueError, match="quantile_method"):
        _kbins(strategy="quantile", quantile_method="linear").fit(X, sample_weight=w)
    with pytest.raises(ValueError, match="quantile_method must be 'inverted_cdf'"):
        EntropyDiscretizer("quantile", quantile_method="linear").fit(X, None, w)
    # as in KBins, a subsample spends the weights, and any method works then
    ours, theirs = _fit_both(
        X,
        sample_weight=w,
        strategy="quantile",
        quantile_method="linear",
        subsample=20,
        random_state=0,
    )
    _assert_same_edges(ours, theirs, X)


def test_quantile_method_default_is_kbins_default():
    from sklearn.preprocessing import KBinsDiscretizer

    ours = EntropyDiscretizer().get_params()["quantile_method"]
    assert ours == KBinsDiscretizer().get_params()["quantile_method"]
    assert ours == "averaged_inverted_cdf"


def test_kbins_parity_integer_array_needs_discrete_features_none():
    # Deliberate difference: with the default discrete_features="auto" an integer
    # array is passed through (one code per value); None bins it as KBins does.
    X = np.random.RandomState(0).randint(0, 50, size=(80, 2))
    default = EntropyDiscretizer("quantile", n_bins=4).fit(X)
    assert default.discrete_features_.all()
    assert_array_equal(default.n_bins_, [np.unique(c).size for c in X.T])
    ours, theirs = _fit_both(X, strategy="quantile", n_bins=4, encode="ordinal")
    _assert_same_edges(ours, theirs, X)
    assert_array_equal(ours.transform(X), theirs.transform(X))


def test_kbins_difference_nan_gets_own_bin():
    # Deliberate difference: KBins rejects NaN; skinfo bins the rest and gives NaN
    # the code n_bins_ (and a column of its own in one-hot encoding).
    X = KBINS_DATA["normal"].copy()
    X[::10, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        _kbins(encode="ordinal").fit(X)
    ours = EntropyDiscretizer("quantile", encode="ordinal").fit(X)
    theirs = _kbins(encode="ordinal").fit(X[~np.isnan(X[:, 0])])
    assert_array_equal(ours.bin_edges_[0], theirs.bin_edges_[0])
    assert_array_equal(ours.transform(X)[::10, 0], 5)
    assert_array_equal(ours.has_missing_, [True, False, False])
    # a NaN outside the subsample still owns a one-hot column
    X = KBINS_DATA["normal"].copy()
    X[3, 1] = np.nan
    sub = EntropyDiscretizer("quantile", subsample=20, random_state=0).fit(X)
    assert_array_equal(sub.has_missing_, [False, True, False])


def test_kbins_difference_edges_closer_than_1e8_are_kept():
    # Deliberate difference: KBins drops edges within 1e-8 of the previous one,
    # which bins a feature measured in small units into one bin; skinfo only
    # merges equal edges, so the result does not depend on the units.
    X = KBINS_DATA["normal"][:, :1]
    ours_small = EntropyDiscretizer("quantile").fit(X * 1e-9)
    ours = EntropyDiscretizer("quantile").fit(X)
    with pytest.warns(UserWarning, match="too small"):
        theirs_small = _kbins(encode="ordinal").fit(X * 1e-9)
    assert theirs_small.n_bins_[0] <= 1  # (KBins 1.9 even leaves 0 bins)
    assert ours_small.n_bins_[0] == ours.n_bins_[0] == 5
    assert_array_equal(ours_small.transform(X * 1e-9), ours.transform(X))


# ------------------------------------------- categoricals, unknowns, exact ints
def _frame_with_categorical(n=60, seed=0):
    rng = np.random.RandomState(seed)
    size = rng.normal(size=n)
    colour = rng.choice(["red", "blue", "green"], size=n).astype(object)
    colour[::7] = None  # missing values
    frame = pd.DataFrame({"size": size, "colour": pd.Categorical(colour)})
    return frame, (size > 0).astype(int)


def test_discrete_features_default_is_auto_so_categoricals_work():
    frame, y = _frame_with_categorical()
    assert EntropyDiscretizer().get_params()["discrete_features"] == "auto"
    disc = EntropyDiscretizer().fit(frame, y)  # no extra argument needed
    assert_array_equal(disc.discrete_features_, [False, True])
    assert disc.transform(frame).shape == (60, 2)


@pytest.mark.parametrize("encode", ["ordinal", "onehot-dense"])
def test_categorical_nan_gets_its_own_code_never_nan(encode):
    frame, y = _frame_with_categorical()
    disc = EntropyDiscretizer(encode=encode).fit(frame, y)
    out = disc.transform(frame)
    assert not np.isnan(out).any()
    assert disc.has_missing_[1] and disc.n_bins_[1] == 3
    missing = frame["colour"].isna().to_numpy()
    if encode == "ordinal":
        # categories blue, green, red -> 0, 1, 2; NaN -> n_bins_ = 3, like the
        # missing-value code of a cut feature
        want = frame["colour"].cat.codes.to_numpy().astype(float)
        want[missing] = 3
        assert_array_equal(out[:, 1], want)
    else:
        block = out[:, disc.n_bins_[0] :]  # the colour block, NaN column last
        assert_array_equal(block[:, -1], missing)
        assert_array_equal(block.sum(axis=1), 1)
    back = disc.inverse_transform(out)
    assert np.isnan(back[missing, 1]).all()
    codes = frame["colour"].cat.codes.to_numpy()
    assert_array_equal(back[~missing, 1], codes[~missing])


def test_integer_column_nan_code_in_ordinal_output():
    X = np.array([[1.0, 0.5], [3.0, 0.1], [np.nan, 0.7], [3.0, 0.9]])
    disc = EntropyDiscretizer("uniform", n_bins=2, discrete_features=[0]).fit(X)
    assert_array_equal(disc.transform(X)[:, 0], [0, 1, 2, 1])


@pytest.mark.parametrize("handle_unknown", ["ignore", "warn", "error"])
def test_unseen_categories_and_integer_levels(handle_unknown):
    frame, y = _frame_with_categorical()
    frame["count"] = np.arange(60) % 4  # an integer column: passed through
    new = frame.head(3).copy()
    new["colour"] = pd.Categorical(["purple", "red", None])  # unseen, seen, NaN
    new["count"] = [9, 2, 3]  # unseen level 9
    fitted = {
        encode: EntropyDiscretizer(encode=encode, handle_unknown=handle_unknown).fit(
            frame, y
        )
        for encode in ["ordinal", "onehot-dense"]
    }
    if handle_unknown == "error":
        for disc in fitted.values():
            with pytest.raises(ValueError, match="Column 'colour' of X holds values"):
                disc.transform(new)
            with pytest.raises(ValueError, match=r"Column 'count'.*\[9\]"):
                disc.transform(new.assign(colour=frame["colour"].head(3)))
        return
    results = {}
    for encode, disc in fitted.items():
        if handle_unknown == "warn":
            with pytest.warns(UserWarning, match="handle_unknown") as record:
                results[encode] = disc.transform(new)
            text = " ".join(str(w.message) for w in record)
            assert "Column 'colour'" in text and "Column 'count'" in text
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                results[encode] = disc.transform(new)
    ordinal, onehot = results["ordinal"], results["onehot-dense"]
    # ordinal: -1 for an unseen value, the NaN code for NaN
    assert_array_equal(ordinal[:, 1], [-1, 2, 3])
    assert_array_equal(ordinal[:, 2], [-1, 2, 3])
    # one-hot: the same rows, -1 as an all-zero block
    disc = fitted["onehot-dense"]
    widths = disc.n_bins_ + disc.has_missing_
    start = np.concatenate(([0], np.cumsum(widths)))
    for j in (1, 2):
        block = onehot[:, start[j] : start[j + 1]]
        for row, code in enumerate(ordinal[:, j]):
            want = np.zeros(widths[j])
            if 0 <= code < widths[j]:
                want[int(code)] = 1
            assert_array_equal(block[row], want)
    # both invert an unseen value to NaN
    for encode, disc in fitted.items():
        back = disc.inverse_transform(results[encode])
        assert np.isnan(back[0, 1]) and np.isnan(back[0, 2])
        assert back[1, 2] == 2 and np.isnan(back[2, 1])


def test_handle_unknown_is_validated():
    with pytest.raises(ValueError, match="handle_unknown"):
        EntropyDiscretizer(handle_unknown="infrequent").fit([[0.0], [1.0]], [0, 1])


@pytest.mark.parametrize("strategy", ["mdlp", "quantile"])
def test_reordered_columns_get_the_feature_order_error(strategy):
    frame, y = _frame_with_categorical()
    disc = EntropyDiscretizer(strategy).fit(frame, y)
    with pytest.raises(ValueError, match="The feature names should match those"):
        disc.transform(frame[["colour", "size"]])
    numeric = pd.DataFrame({"a": np.arange(6.0), "b": np.arange(6.0) ** 2})
    disc = EntropyDiscretizer(strategy).fit(numeric, [0, 1] * 3)
    with pytest.raises(ValueError, match="The feature names should match those"):
        disc.transform(numeric[["b", "a"]])


@pytest.mark.parametrize("dtype", [np.int64, np.uint64])
@pytest.mark.parametrize("container", ["array", "frame"])
def test_integers_beyond_2_53_are_coded_exactly(dtype, container):
    big = np.iinfo(dtype).max if dtype is np.uint64 else 2**62
    levels = np.array([big - 2, big - 1, big], dtype=dtype)
    assert np.unique(levels.astype(np.float64)).size < 3  # float64 merges them
    column = levels[np.arange(30) % 3]
    X = np.column_stack([column, np.arange(30, dtype=dtype)])
    if container == "frame":
        X = pd.DataFrame(X, columns=["big", "small"])
    y = np.arange(30) % 2
    for encode in ["ordinal", "onehot-dense"]:
        disc = EntropyDiscretizer(encode=encode).fit(X, y)
        assert disc.discrete_features_.all()
        assert disc.n_bins_[0] == 3
        assert disc.categories_[0].dtype == dtype
        assert_array_equal(disc.categories_[0], levels)  # exact integers
        out = disc.transform(X)
        if encode == "ordinal":
            assert_array_equal(out[:, 0], np.arange(30) % 3)
        else:
            assert_array_equal(out[:, :3], np.eye(3)[np.arange(30) % 3])
        back = disc.inverse_transform(out)
        assert back.dtype == object  # float64 cannot hold these integers
        assert [int(v) for v in back[:3, 0]] == [int(v) for v in levels]
        assert_array_equal(back[:, 1].astype(np.int64), np.arange(30))
    # an unseen level next to the seen ones is unknown, not merged into one
    new = np.array([[big - 3, 0], [big, 1]], dtype=dtype)
    if container == "frame":
        new = pd.DataFrame(new, columns=["big", "small"])
    disc = EntropyDiscretizer(handle_unknown="ignore").fit(X, y)
    assert_array_equal(disc.transform(new)[:, 0], [-1, 2])
    names = EntropyDiscretizer(encode="onehot").fit(X, y).get_feature_names_out()
    prefix = "big" if container == "frame" else "x0"
    assert names[2] == f"{prefix}_{int(big)}"


def test_small_integers_still_invert_to_floats():
    X = np.array([[1, 5], [2, 5], [3, 6]])
    back = EntropyDiscretizer().fit(X, [0, 1, 0]).inverse_transform([[0, 1]])
    assert back.dtype == np.float64
    assert_array_equal(back, [[1.0, 6.0]])


@pytest.mark.parametrize("method", ["fit", "transform"])
def test_text_and_dates_get_a_type_error_naming_the_column(method):
    fitted = EntropyDiscretizer("uniform").fit(np.zeros((4, 1)) + np.arange(4)[:, None])
    cases = [
        (
            np.array([["a"], ["b"], ["a"], ["c"]], dtype=object),
            "Column 0 of X holds text",
        ),
        (
            pd.DataFrame({"when": pd.date_range("2020-01-01", periods=4)}),
            "Column 'when' of X holds dates",
        ),
        (
            pd.DataFrame({"gap": pd.to_timedelta(np.arange(4), unit="s")}),
            "Column 'gap' of X holds dates or times",
        ),
        (np.arange(4).astype("datetime64[D]")[:, None], "X holds dates or times"),
    ]
    for X, match in cases:
        with pytest.raises(TypeError, match=match):
            if method == "fit":
                EntropyDiscretizer("uniform").fit(X)
            else:
                fitted.transform(X)


# ---------------------------------------------------------------- sample weights
WEIGHT_STRATEGIES = [
    {"strategy": "mdlp"},
    {"strategy": "mdlp", "max_bins": 3},
    {"strategy": "quantile", "quantile_method": "averaged_inverted_cdf"},
    {"strategy": "quantile", "quantile_method": "inverted_cdf"},
    {"strategy": "quantile", "n_bins": "auto"},
    {"strategy": "uniform", "n_bins": "auto"},
]


def _informative_and_noise(n=400, seed=0):
    rng = np.random.RandomState(seed)
    y = rng.randint(0, 2, size=n)
    informative = y + rng.normal(scale=0.6, size=n)
    noise = rng.normal(size=n)
    ties = np.round(rng.normal(size=n), 1)
    X = np.column_stack([informative, noise, ties])
    X[rng.rand(n) < 0.05, 2] = np.nan
    return X, y


@pytest.mark.parametrize("params", WEIGHT_STRATEGIES, ids=str)
def test_fractional_weights_scaled_by_c_give_identical_edges(params):
    X, y = _informative_and_noise()
    u = np.random.RandomState(1).uniform(0.05, 1.0, size=y.size)  # sum < count
    u[::9] = 0.0  # zero weights: rows ignored, n_eff counts the positive ones
    reference = EntropyDiscretizer(**params).fit(X, y, sample_weight=u)
    for c in [1.0, 0.5, 0.3, 1e-3, 1.0 / y.size, 1e-12, 1e-200, 1e-300]:
        disc = EntropyDiscretizer(**params).fit(X, y, sample_weight=c * u)
        for j in range(X.shape[1]):
            assert_array_equal(disc.bin_edges_[j], reference.bin_edges_[j])
        assert_array_equal(disc.n_bins_, reference.n_bins_)


@pytest.mark.parametrize("params", WEIGHT_STRATEGIES, ids=str)
def test_weights_normalised_to_sum_one_act_like_unit_weights(params):
    X, y = _informative_and_noise()
    plain = EntropyDiscretizer(**params).fit(X, y)
    for w in [np.full(y.size, 1.0 / y.size), np.full(y.size, 0.1), np.ones(y.size)]:
        weighted = EntropyDiscretizer(**params).fit(X, y, sample_weight=w)
        for j in range(X.shape[1]):
            assert_array_equal(weighted.bin_edges_[j], plain.bin_edges_[j])
    if params == {"strategy": "mdlp"}:
        # MDLP cuts the informative feature and leaves the noise alone
        assert plain.n_bins_[0] >= 2 and plain.n_bins_[1] == 1
    if params.get("n_bins") == "auto":
        assert_array_equal(weighted.n_bins_[:2], 7)  # cube root of 400 rows


def test_n_bins_auto_counts_effective_samples():
    X, _ = _informative_and_noise(n=1000)
    w = np.full(1000, 1e-3)  # sums to 1, but there are 1000 rows
    disc = EntropyDiscretizer("uniform", n_bins="auto").fit(X, sample_weight=w)
    assert_array_equal(disc.n_bins_, 10)
    w = np.full(1000, 8.0)  # integer weights: 8000 rows' worth
    disc = EntropyDiscretizer("uniform", n_bins="auto").fit(X, sample_weight=w)
    assert_array_equal(disc.n_bins_, 16)  # cbrt(8000) = 20, capped at 16


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_weight_scale_invariance_property(data):
    n = data.draw(st.integers(3, 25), label="n")
    values = st.one_of(
        st.integers(-4, 4).map(float),  # ties
        st.floats(-100, 100, allow_nan=False, allow_infinity=False),
    )
    x = np.array(data.draw(st.lists(values, min_size=n, max_size=n)))
    y = np.array(data.draw(st.lists(st.integers(0, 2), min_size=n, max_size=n)))
    u = np.array(
        data.draw(st.lists(st.floats(0.01, 1.0), min_size=n, max_size=n)), float
    )
    c = data.draw(st.floats(1e-9, 1.0), label="c")
    params = data.draw(st.sampled_from(WEIGHT_STRATEGIES), label="params")
    X = x[:, None]
    a = EntropyDiscretizer(**params).fit(X, y, sample_weight=u)
    b = EntropyDiscretizer(**params).fit(X, y, sample_weight=c * u)
    assert_array_equal(a.bin_edges_[0], b.bin_edges_[0])


def _separable_with_noise(n=300, seed=3):
    rng = np.random.RandomState(seed)
    x = rng.normal(size=n)
    y = (x + rng.normal(scale=0.5, size=n) > 0).astype(int)
    w = rng.randint(1, 4, size=n).astype(float)
    return x, y, w


@pytest.mark.parametrize("scale", [1e17, 1e20, 2.0**1000])
def test_huge_integer_weights_follow_the_paper(scale):
    x, y, w = _separable_with_noise()
    # The paper's recursion written plainly, with float sums: N is huge, so the
    # MDL test accepts every split with positive gain.
    want, _ = reference_mdlp(x, y, weights=scale * w)
    cuts, gains = mdlp_cut_points(x, y, 2, sample_weight=scale * w)
    assert_allclose(cuts, want)
    assert np.isfinite(gains).all() and (gains > 0).all()
    small, _ = mdlp_cut_points(x, y, 2, sample_weight=w)
    assert set(small) <= set(cuts)  # more evidence never removes a cut
    assert cuts.size > small.size


def test_huge_weights_give_scale_free_unsupervised_edges():
    x, y, w = _separable_with_noise()
    X = np.column_stack([x, np.round(x, 1)])
    for params in [*WEIGHT_STRATEGIES[2:4], {"strategy": "uniform"}]:
        plain = EntropyDiscretizer(**params).fit(X, y, sample_weight=w)
        for scale in [1e17, 1e20, 1e300]:
            big = EntropyDiscretizer(**params).fit(X, y, sample_weight=scale * w)
            for j in range(2):
                assert_array_equal(big.bin_edges_[j], plain.bin_edges_[j])


def test_alternating_extreme_weights_do_not_crash():
    x, y, _ = _separable_with_noise(n=200)
    heavy = np.arange(200) % 2 == 1
    w = np.where(heavy, 1e300, 1e-300)
    cuts, _ = mdlp_cut_points(x, y, 2, sample_weight=w)
    # The light rows weigh nothing next to the heavy ones: the cuts split the
    # heavy rows as the heavy rows' own cuts do (with as huge an N).
    alone, _ = mdlp_cut_points(x[heavy], y[heavy], 2, sample_weight=w[heavy])
    assert cuts.size == alone.size > 0
    assert_array_equal(
        np.searchsorted(cuts, x[heavy], side="right"),
        np.searchsorted(alone, x[heavy], side="right"),
    )
    for w_mid in [np.where(heavy, 1e280, 1e-280), np.where(heavy, 1e150, 1e-150)]:
        mid, _ = mdlp_cut_points(x, y, 2, sample_weight=w_mid)
        assert_array_equal(
            np.searchsorted(mid, x[heavy], side="right"),
            np.searchsorted(alone, x[heavy], side="right"),
        )
    X = x[:, None]
    for params in WEIGHT_STRATEGIES:
        disc = EntropyDiscretizer(**params).fit(X, y, sample_weight=w)
        assert np.isfinite(disc.bin_edges_[0]).all()


def test_all_zero_weights_name_sample_weight():
    with pytest.raises(ValueError, match="sample_weight"):
        mdlp_cut_points([0.0, 1.0], [0, 1], 2, sample_weight=[0.0, 0.0])


def test_fractional_weight_quantiles_do_not_let_round_off_break_ties():
    # Weights 0.7 and 0.3 are 7 and 3 rows in proportion: the level 50% falls
    # exactly between two values, which sums of 0.7 * c and 0.3 * c only meet up
    # to round-off (a different one for every c).
    x = np.arange(20.0)[:, None]
    u = np.tile([0.7, 0.3], 10)
    rows = np.repeat(x[:, 0], np.tile([7, 3], 10))
    want = np.percentile(rows, [0, 25, 50, 75, 100], method="averaged_inverted_cdf")
    assert want[2] == 9.5  # the mean of the two values around the level
    for c in [1.0, 0.9, 0.7, 0.55, 0.3, 0.123, 1e-3]:
        disc = EntropyDiscretizer("quantile", n_bins=4).fit(x, sample_weight=c * u)
        assert_array_equal(disc.bin_edges_[0], want)
    ints = EntropyDiscretizer("quantile", n_bins=4).fit(x, sample_weight=10 * u)
    assert_array_equal(ints.bin_edges_[0], want)  # = repeated rows


def test_nullable_integers_beyond_2_53_stay_distinct():
    # a pandas Int64 column with a missing value is read exactly, not through
    # float64, where 2**60 and 2**60 + 1 are one number
    big = 2**60
    X = pd.DataFrame({"n": pd.array([big + 1, None, big, big + 1], dtype="Int64")})
    disc = EntropyDiscretizer().fit(X, [0, 1, 0, 0])
    assert disc.categories_[0].tolist() == [big, big + 1]
    assert disc.has_missing_.tolist() == [True]
    np.testing.assert_array_equal(disc.transform(X).ravel(), [1, 2, 0, 1])
    back = disc.inverse_transform(disc.transform(X)).ravel()
    assert back[0] == big + 1 and back[2] == big and np.isnan(back[1])
