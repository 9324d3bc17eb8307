"""MDLP on a grid of candidate cuts: ``EntropyDiscretizer(n_candidates=B)``."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import load_iris, make_classification
from sklearn.utils.estimator_checks import check_estimator

from skinfo._binning import sample_row_index
from skinfo._discretization import (
    EntropyDiscretizer,
    _candidate_cuts,
    _grid_codes,
)


# --------------------------------------------------------------------- reference
def _ent2(counts):
    counts = counts[counts > 0]
    p = counts / counts.sum()
    return float(-(p * np.log2(p)).sum())


def reference_grid_mdlp(x, y, candidates, weights=None, min_samples_leaf=1):
    """The paper's recursion written plainly, scoring only the given candidates.

    A value equal to a cut goes up (``x >= cut``); a candidate leaving a side
    empty is no split; among equal entropies the lowest candidate wins.
    """
    x, y = np.asarray(x, float), np.asarray(y)
    weights = np.ones(x.size) if weights is None else np.asarray(weights, float)
    keep = (weights > 0) & ~np.isnan(x)
    x, y, weights = x[keep], y[keep], weights[keep]
    classes = np.unique(y)

    def counts(idx):
        return np.array([weights[idx][y[idx] == c].sum() for c in classes])

    def split(idx):
        c_all = counts(idx)
        n = c_all.sum()
        best = None
        for cut in candidates:
            left, right = idx[x[idx] < cut], idx[x[idx] >= cut]
            if min(left.size, right.size) < max(min_samples_leaf, 1):
                continue
            c1, c2 = counts(left), counts(right)
            e = (c1.sum() * _ent2(c1) + c2.sum() * _ent2(c2)) / n
            if best is None or e < best[0] - 1e-12:
                best = (e, cut, left, right, c1, c2)
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


def reference_candidates(values, weights, n_candidates):
    """The placement rule by distinct values: just above each weighted quantile."""
    distinct, inverse = np.unique(values, return_inverse=True)
    if distinct.size - 1 <= n_candidates:
        return (distinct[:-1] + distinct[1:]) / 2
    w = np.ones(values.size) if weights is None else weights
    cdf = np.cumsum(np.bincount(inverse, weights=w, minlength=distinct.size))
    out = []
    for i in range(1, n_candidates + 1):
        # the smallest value whose cumulative weight reaches i / (B + 1) of the total
        k = np.flatnonzero(cdf * (n_candidates + 1) >= i * cdf[-1])[0]
        if k < distinct.size - 1:
            out.append((distinct[k] + distinct[k + 1]) / 2)
    return np.unique(out)


def _data(seed, n=400, n_classes=3, ties=False):
    X, y = make_classification(
        n,
        4,
        n_informative=3,
        n_redundant=0,
        n_classes=n_classes,
        random_state=seed,
    )
    if ties:
        X = np.round(X, 1)
    return X, y


def _assert_same_fit(a, b, gains_rtol=1e-12):
    for j in range(a.n_features_in_):
        assert_array_equal(a.cut_points_[j], b.cut_points_[j])
        assert_array_equal(a.bin_edges_[j], b.bin_edges_[j])
        assert_allclose(a.cut_gains_[j], b.cut_gains_[j], rtol=gains_rtol, atol=0)
    assert_array_equal(a.n_bins_, b.n_bins_)


# ------------------------------------------------------------ the placement rule
def test_candidates_hand_computed():
    # 10 distinct values, 4 candidates: levels 1/5 .. 4/5 reach rows 2, 4, 6, 8,
    # i.e. the values 1, 3, 5, 7; each cut is the midpoint to the next value.
    x = np.arange(10.0)
    assert_array_equal(_candidate_cuts(x, None, 4), [1.5, 3.5, 5.5, 7.5])
    # with at most B + 1 distinct values every midpoint is a candidate
    assert_array_equal(_candidate_cuts(x, None, 9), np.arange(9) + 0.5)
    # a heavy tie swallows quantiles: levels 1/3 and 2/3 reach rows 4 and 7,
    # both the value 0, so one candidate, never inside the tie
    x = np.array([0.0] * 7 + [1.0, 2.0, 3.0])
    assert_array_equal(_candidate_cuts(x, None, 2), [0.5])
    # 12 rows, levels 1/4, 2/4, 3/4 reach rows 3, 6, 9: the values 0, 0, 2
    x = np.array([0.0] * 7 + [1.0, 2.0, 3.0, 4.0, 5.0])
    assert_array_equal(_candidate_cuts(x, None, 3), [0.5, 2.5])


@pytest.mark.parametrize("seed", range(6))
def test_candidates_match_reference_rule(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 400))
    x = np.round(rng.standard_normal(n), int(rng.integers(0, 3)))
    weights = None if seed % 2 else rng.integers(1, 5, n).astype(float)
    for b in (1, 3, 17, 64):
        assert_array_equal(
            _candidate_cuts(x, weights, b), reference_candidates(x, weights, b)
        )


def test_candidate_integer_weights_equal_repeated_rows():
    rng = np.random.default_rng(1)
    x = rng.standard_normal(300)
    w = rng.integers(1, 4, 300)
    assert_array_equal(
        _candidate_cuts(x, w.astype(float), 20),
        _candidate_cuts(np.repeat(x, w), None, 20),
    )


def test_candidate_fractional_weights_are_scale_free():
    rng = np.random.default_rng(2)
    x = rng.standard_normal(500)
    w = rng.random(500) + 0.01
    want = _candidate_cuts(x, w, 30)
    for c in (1e-3, 0.1, 0.7, 1.0):
        assert_array_equal(_candidate_cuts(x, w * c, 30), want)


def test_grid_codes_equal_binary_search():
    rng = np.random.default_rng(3)
    columns = [
        rng.standard_normal(100_000),
        rng.standard_cauchy(100_000) * 1e300,
        np.round(rng.exponential(size=100_000) ** 4, 3),
    ]
    for x in columns:
        x[::9] = np.nan
        x[1], x[2] = 1.7e308, -1.7e308
        for b in (2, 40, 256):
            cuts = _candidate_cuts(x[~np.isnan(x)], None, b)
            want = np.searchsorted(np.append(cuts, np.inf), x, side="right")
            assert_array_equal(_grid_codes(cuts, x), want)
            # values exactly on a cut go up
            assert_array_equal(
                _grid_codes(cuts, cuts), np.arange(1, cuts.size + 1, dtype=np.intp)
            )


# ----------------------------------------------------------- MDLP on the grid
def test_iris_with_every_midpoint_gives_published_cuts():
    X, y = load_iris(return_X_y=True)
    disc = EntropyDiscretizer(n_candidates=256).fit(X, y)
    want = [[5.55, 6.15], [2.95, 3.35], [2.45, 4.75], [0.8, 1.75]]
    for j in range(4):
        assert_allclose(disc.cut_points_[j], want[j])


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("weights", ["none", "integer", "fractional"])
def test_every_midpoint_a_candidate_equals_exact_search(seed, weights):
    X, y = _data(seed, ties=seed % 2 == 0)
    X[seed::7, seed % 4] = np.nan
    rng = np.random.default_rng(seed)
    w = {
        "none": None,
        "integer": rng.integers(0, 4, y.size).astype(float),
        "fractional": rng.random(y.size),
    }[weights]
    n_distinct = max(np.unique(X[:, j]).size for j in range(4))
    for params in ({}, {"min_samples_leaf": 5}, {"max_bins": 3}):
        exact = EntropyDiscretizer(**params).fit(X, y, sample_weight=w)
        for b in (n_distinct, n_distinct + 50):
            grid = EntropyDiscretizer(n_candidates=b, **params)
            grid.fit(X, y, sample_weight=w)
            # integer counts are exact; fractional sums differ by round-off only
            rtol = 1e-9 if weights == "fractional" else 0
            _assert_same_fit(exact, grid, gains_rtol=rtol)
            assert_array_equal(exact.has_missing_, grid.has_missing_)


@pytest.mark.parametrize("seed", range(5))
def test_coarse_grid_is_mdlp_restricted_to_candidates(seed):
    rng = np.random.default_rng(seed)
    n = 150
    x = np.round(rng.standard_normal(n), 1 + seed % 2)
    y = np.clip((x > 0.3).astype(int) + rng.integers(-1, 2, n), 0, 2)
    weights = rng.integers(0, 3, n).astype(float) if seed % 2 else None
    msl = 1 if seed < 3 else 4
    for b in (3, 8, 20):
        disc = EntropyDiscretizer(n_candidates=b, min_samples_leaf=msl)
        disc.fit(x[:, None], y, sample_weight=weights)
        keep = None if weights is None else weights > 0
        grid = _candidate_cuts(
            x if keep is None else x[keep],
            None if weights is None else weights[keep],
            b,
        )
        want_cuts, want_gains = reference_grid_mdlp(x, y, grid, weights, msl)
        assert_allclose(disc.cut_points_[0], np.sort(want_cuts))
        assert_allclose(
            disc.cut_gains_[0], np.asarray(want_gains)[np.argsort(want_cuts)]
        )
        assert np.isin(disc.cut_points_[0], grid).all()


def test_subsample_places_the_grid_and_all_rows_are_counted():
    # A weak signal: 50 rows cannot pay for a cut, 20,000 can. The exact search
    # on a 50-row subsample finds nothing; the grid from those 50 rows with the
    # counts of every row does.
    rng = np.random.default_rng(0)
    n = 20_000
    x = rng.standard_normal(n)
    y = (rng.random(n) < 0.5 + 0.1 * np.sign(x)).astype(int)
    X = x[:, None]
    small = EntropyDiscretizer(subsample=50, random_state=0).fit(X, y)
    assert small.n_bins_[0] == 1
    grid = EntropyDiscretizer(subsample=50, n_candidates=16, random_state=0)
    grid.fit(X, y)
    assert grid.n_bins_[0] >= 2
    assert np.abs(grid.cut_points_[0]).min() < 0.3  # the class boundary at 0
    # and the grid itself came from the 50 subsampled rows only
    rows = sample_row_index(n, 50, 0)
    assert rows.size == 50
    assert np.isin(grid.cut_points_[0], _candidate_cuts(x[rows], None, 16)).all()


def test_integer_weights_equal_repeated_rows_on_a_grid():
    X, y = _data(5, n=300)
    w = np.random.default_rng(5).integers(0, 4, y.size)
    weighted = EntropyDiscretizer(n_candidates=12).fit(X, y, sample_weight=w)
    repeated = EntropyDiscretizer(n_candidates=12).fit(
        np.repeat(X, w, axis=0), np.repeat(y, w)
    )
    _assert_same_fit(weighted, repeated, gains_rtol=0)


def test_fractional_weights_scaled_by_c_give_identical_edges_on_a_grid():
    X, y = _data(6, n=600)
    w = np.random.default_rng(6).random(y.size) * 0.5  # sum(w) < count(w > 0)
    want = EntropyDiscretizer(n_candidates=20).fit(X, y, sample_weight=w)
    for c in (1e-6, 0.01, 0.5, 1.0):
        got = EntropyDiscretizer(n_candidates=20).fit(X, y, sample_weight=w * c)
        _assert_same_fit(want, got, gains_rtol=1e-9)


def test_huge_weights_on_a_grid_match_the_exact_search():
    X, y = _data(7, n=200, ties=True)
    w = np.random.default_rng(7).integers(1, 4, y.size) * 2.0**1000
    exact = EntropyDiscretizer().fit(X, y, sample_weight=w)
    grid = EntropyDiscretizer(n_candidates=10_000).fit(X, y, sample_weight=w)
    _assert_same_fit(exact, grid, gains_rtol=1e-9)


def test_float32_input_gets_the_exact_search_midpoints():
    # midpoints are taken in float64, as the exact search takes them
    X, y = _data(10, n=800)
    X = (X * 1e3).astype(np.float32)
    exact = EntropyDiscretizer().fit(X, y)
    grid = EntropyDiscretizer(n_candidates=10_000).fit(X, y)
    _assert_same_fit(exact, grid, gains_rtol=0)
    assert all(grid.bin_edges_[j].dtype == np.float64 for j in range(4))


def test_unsupervised_strategies_ignore_n_candidates():
    X, y = _data(8)
    for strategy in ("uniform", "quantile"):
        a = EntropyDiscretizer(strategy).fit(X, y)
        b = EntropyDiscretizer(strategy, n_candidates=3).fit(X, y)
        _assert_same_fit(a, b, gains_rtol=0)


@pytest.mark.parametrize("value", [0, -3, 2.5, "256"])
def test_n_candidates_is_validated(value):
    X, y = _data(9, n=50)
    with pytest.raises(ValueError, match="n_candidates"):
        EntropyDiscretizer(n_candidates=value).fit(X, y)


def test_check_estimator_with_a_grid():
    check_estimator(EntropyDiscretizer(n_candidates=4))
