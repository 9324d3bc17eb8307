"""Tests of the kNN entropy and mutual-information estimators (skinfo._knn).

Reference values are Gaussian closed forms (ALGORITHMS.md 2.1), a quadrature of a
Gaussian mixture, or scikit-learn's own KSG/Ross implementation. Tolerances were set
from the measured errors (given next to each) with a safety margin; all seeds fixed.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, special, stats
from sklearn.feature_selection import mutual_info_classif, mutual_info_regression
from sklearn.metrics import mutual_info_score
from sklearn.utils import check_random_state

from skinfo import _knn
from skinfo._knn import (
    DEFAULT_JITTER,
    frenzel_pompe_cmi,
    knn_entropy,
    knn_relevance,
    ksg_mutual_info,
    mixed_mutual_info,
    multi_ksg_mutual_info,
    scale_and_jitter,
)


def logdet(S):
    return np.linalg.slogdet(np.atleast_2d(S))[1]


def gaussian_entropy(S):
    S = np.atleast_2d(S)
    return 0.5 * (S.shape[0] * np.log(2 * np.pi * np.e) + logdet(S))


def bivariate(rho, n, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    return x, rho * x + np.sqrt(1 - rho**2) * rng.normal(size=n)


# --------------------------------------------------------------------------------------
# scale_and_jitter
# --------------------------------------------------------------------------------------


def test_scale_and_jitter_standardises_without_touching_input():
    rng = np.random.default_rng(0)
    X = np.column_stack(
        [rng.normal(5, 3, 500), rng.exponential(2, 500), np.full(500, 7)]
    )
    before = X.copy()
    Z = scale_and_jitter(X, random_state=0)
    np.testing.assert_array_equal(X, before)
    assert Z.dtype == np.float64 and Z.shape == X.shape
    np.testing.assert_allclose(Z[:, :2].std(axis=0), 1.0, atol=1e-6)
    np.testing.assert_allclose(np.median(Z[:, :2], axis=0), 0.0, atol=1e-6)
    # The constant column is centred (to 0), not rescaled: only the noise is left.
    assert np.abs(Z[:, 2]).max() < 10 * DEFAULT_JITTER
    assert Z[:, 2].std() == pytest.approx(DEFAULT_JITTER, rel=0.1)


def test_scale_and_jitter_noise_is_relative_to_spread():
    x = np.random.default_rng(0).normal(size=300)
    exact = (x - np.median(x)) / (x - np.median(x)).std()
    for factor in (1e-3, 1.0, 1e6):  # same output in standard units at any scale
        Z = scale_and_jitter(factor * x, random_state=0, jitter=1e-3)
        noise = Z - exact
        assert noise.std() == pytest.approx(1e-3, rel=0.1)
    np.testing.assert_allclose(scale_and_jitter(x, jitter=0.0), exact, rtol=1e-12)


def test_scale_and_jitter_keeps_shape_and_is_deterministic():
    x = np.arange(10.0)
    assert scale_and_jitter(x, random_state=1).shape == (10,)
    np.testing.assert_array_equal(
        scale_and_jitter(x, random_state=1), scale_and_jitter(x, random_state=1)
    )
    assert not np.array_equal(
        scale_and_jitter(x, random_state=1), scale_and_jitter(x, random_state=2)
    )


def test_jitter_separates_a_large_tie_group_that_sklearn_noise_does_not():
    # 200k copies of one value (scikit-learn issue #30772's constant feature).
    n = 200_000
    x = np.full(n, 7.3)
    ours = scale_and_jitter(x, random_state=0)
    assert np.unique(ours).size == n
    # scikit-learn's recipe: no centring, noise 1e-10 * max(1, mean|x|), lands on a
    # grid of ulps around 7.3, so exact duplicates come back.
    noise = check_random_state(0).standard_normal(n)
    sklearn_style = x + 1e-10 * max(1.0, np.abs(x).mean()) * noise
    assert n - np.unique(sklearn_style).size > 1000


# --------------------------------------------------------------------------------------
# Kozachenko-Leonenko entropy
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("metric", ["euclidean", "chebyshev"])
def test_entropy_standard_normal(metric):
    x = np.random.default_rng(1).normal(size=5000)
    # measured error -0.007 nats
    assert knn_entropy(x, metric=metric, random_state=0) == pytest.approx(
        gaussian_entropy(1.0), abs=0.05
    )


@pytest.mark.parametrize("metric", ["euclidean", "chebyshev"])
def test_entropy_correlated_2d_gaussian(metric):
    S = np.array([[2.0, 0.8], [0.8, 0.5]])
    X = np.random.default_rng(2).multivariate_normal([0, 0], S, size=5000)
    # measured error -0.012 (euclidean), -0.009 (chebyshev)
    assert knn_entropy(X, metric=metric, random_state=0) == pytest.approx(
        gaussian_entropy(S), abs=0.05
    )


def test_entropy_uniform_unit_interval_is_zero():
    x = np.random.default_rng(3).uniform(size=5000)
    assert knn_entropy(x, random_state=0) == pytest.approx(0.0, abs=0.03)  # -0.002


def test_entropy_scaling_adds_log_factor():
    x = np.random.default_rng(4).normal(size=1000)
    h = knn_entropy(x, random_state=0)
    assert knn_entropy(3.0 * x + 10, random_state=0) == pytest.approx(
        h + np.log(3.0), abs=1e-9
    )


def test_entropy_hand_computation_on_three_points():
    # k=1, points 0, 1, 3: radii 1, 1, 2; H = psi(3) - psi(1) + log 2 + mean(log r),
    # computed on the standardised data and shifted back by log(std).
    from scipy.special import digamma

    x = np.array([0.0, 1.0, 3.0])
    radii = np.array([1.0, 1.0, 2.0])
    expected = digamma(3) - digamma(1) + np.log(2) + np.log(radii).mean()
    assert knn_entropy(x, n_neighbors=1, random_state=0) == pytest.approx(
        expected, abs=1e-6
    )


# --------------------------------------------------------------------------------------
# KSG mutual information
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", [1, 2])
@pytest.mark.parametrize("rho", [0.0, 0.5, 0.9])
def test_ksg_bivariate_gaussian(rho, algorithm):
    x, y = bivariate(rho, 10_000, seed=1)
    # measured |error| <= 0.018 nats at n=10_000 (largest: rho=0.9, algorithm 2)
    assert ksg_mutual_info(x, y, algorithm=algorithm, random_state=0) == pytest.approx(
        -0.5 * np.log(1 - rho**2), abs=0.03
    )


@pytest.mark.parametrize("algorithm", [1, 2])
def test_ksg_multivariate_block(algorithm):
    S = np.array([[1, 0.5, 0.3], [0.5, 1, 0.4], [0.3, 0.4, 1]])
    W = np.random.default_rng(5).multivariate_normal(np.zeros(3), S, size=5000)
    expected = 0.5 * (logdet(S[:2, :2]) + logdet(S[2, 2]) - logdet(S))
    # measured error -0.003 (alg 1), 0.005 (alg 2)
    assert ksg_mutual_info(
        W[:, :2], W[:, 2:], algorithm=algorithm, random_state=0
    ) == pytest.approx(expected, abs=0.03)
    total_correlation = -0.5 * logdet(S)
    # measured error -0.008 (alg 1), -0.007 (alg 2)
    assert multi_ksg_mutual_info(
        [W[:, 0], W[:, 1], W[:, 2]], algorithm=algorithm, random_state=0
    ) == pytest.approx(total_correlation, abs=0.03)


def test_multi_ksg_of_two_blocks_is_ksg():
    x, y = bivariate(0.5, 500, seed=2)
    for algorithm in (1, 2):
        assert multi_ksg_mutual_info(
            [x, y], algorithm=algorithm, random_state=3
        ) == ksg_mutual_info(x, y, algorithm=algorithm, random_state=3)


def test_ksg_kernel_equals_sklearn_on_the_same_data():
    # Feed scikit-learn our standardised, jittered data: its rescaling is a no-op and
    # its 1e-10 noise decides no neighbour, so algorithm 1 must agree to round-off.
    x, y = bivariate(0.6, 3000, seed=6)
    Z = scale_and_jitter(np.column_stack([x, y]), random_state=0)
    ours = _knn._ksg_kernel([Z[:, :1], Z[:, 1:]], 3, 1)
    theirs = mutual_info_regression(Z[:, :1], Z[:, 1], n_neighbors=3, random_state=0)
    assert ours > 0.1
    assert ours == pytest.approx(theirs[0], abs=1e-12)


def test_ksg_public_function_close_to_sklearn_on_raw_data():
    x, y = bivariate(0.6, 3000, seed=6)
    x = 50 + 4 * x  # sklearn does not centre; we do. No estimate may change.
    theirs = mutual_info_regression(x[:, None], y, n_neighbors=3, random_state=0)[0]
    assert ksg_mutual_info(x, y, random_state=0) == pytest.approx(theirs, abs=1e-3)


def test_ksg_algorithm_2_hand_computation():
    # n=4 points on a line in x and y, k=1: check against the formula by hand.
    from scipy.special import digamma

    x = np.array([0.0, 1.0, 3.0, 7.0])
    y = np.array([0.0, 2.0, 1.0, 5.0])
    # Exact scaled values (jitter 0) so we can reason on the standardised data.
    Z = scale_and_jitter(np.column_stack([x, y]), jitter=0.0)
    zx, zy = Z[:, 0], Z[:, 1]
    joint = np.maximum(
        np.abs(zx[:, None] - zx[None, :]), np.abs(zy[:, None] - zy[None, :])
    )
    np.fill_diagonal(joint, np.inf)
    nn = joint.argmin(axis=1)
    eps_x = np.abs(zx - zx[nn])
    eps_y = np.abs(zy - zy[nn])
    dx = np.abs(zx[:, None] - zx[None, :])
    dy = np.abs(zy[:, None] - zy[None, :])
    np.fill_diagonal(dx, np.inf)
    np.fill_diagonal(dy, np.inf)
    n_x = (dx <= eps_x[:, None]).sum(axis=1)
    n_y = (dy <= eps_y[:, None]).sum(axis=1)
    expected = digamma(1) - 1 + digamma(4) - np.mean(digamma(n_x) + digamma(n_y))
    assert _knn._ksg_kernel([Z[:, :1], Z[:, 1:]], 1, 2) == pytest.approx(expected)


# --------------------------------------------------------------------------------------
# Frenzel-Pompe conditional mutual information
# --------------------------------------------------------------------------------------


def test_cmi_gaussian_chain_closed_form():
    # Z = e2, X = Z + e1, Y = 0.5 X + Z + e3
    e = np.random.default_rng(7).normal(size=(5000, 3))
    z = e[:, 1]
    x = z + e[:, 0]
    y = 0.5 * x + z + e[:, 2]
    M = np.array([[1, 1, 0], [0.5, 1.5, 1], [0, 1, 0]])  # (x, y, z) = M @ e
    S = M @ M.T
    xz, yz = np.ix_([0, 2], [0, 2]), np.ix_([1, 2], [1, 2])
    expected = 0.5 * (logdet(S[xz]) + logdet(S[yz]) - logdet(S) - logdet(S[2, 2]))
    # measured error -0.005 nats (expected 0.112)
    assert frenzel_pompe_cmi(x, y, z, random_state=0) == pytest.approx(
        expected, abs=0.03
    )


def test_cmi_conditionally_independent_is_near_zero():
    rng = np.random.default_rng(8)
    z = rng.normal(size=5000)
    x, y = z + rng.normal(size=5000), z + rng.normal(size=5000)
    assert abs(frenzel_pompe_cmi(x, y, z, random_state=0)) < 0.03  # measured 0.013
    assert ksg_mutual_info(x, y, random_state=0) > 0.1  # but X, Y are dependent


# --------------------------------------------------------------------------------------
# Ross mixed estimator
# --------------------------------------------------------------------------------------


def test_mixed_far_apart_classes_is_log_two():
    rng = np.random.default_rng(9)
    labels = rng.integers(0, 2, size=2000)
    x = 20.0 * labels + rng.normal(size=2000)
    assert mixed_mutual_info(x, labels, random_state=0) == pytest.approx(
        np.log(2), abs=0.01
    )


def test_mixed_kernel_equals_sklearn_on_the_same_data():
    rng = np.random.default_rng(10)
    labels = np.r_[rng.integers(0, 3, size=1500), 3, 4, 4, 5, 5, 5]  # tiny classes
    x = 0.7 * labels + rng.normal(size=labels.size)
    z = scale_and_jitter(x, random_state=0)[:, None]
    theirs = mutual_info_classif(z, labels, n_neighbors=3, random_state=0)[0]
    ours = _knn._mixed_kernel(z, labels, 3)
    assert ours > 0.1
    # Exactly the brute-force reference; scikit-learn's value differs by 7e-6 on
    # this draw: its neighbour radius and its radius count compute one distance
    # in two ways, and a 1-ulp disagreement moves one sample's count.
    assert ours == pytest.approx(_ross_reference(z, labels, 3), abs=1e-12)
    assert ours == pytest.approx(theirs, abs=1e-4)
    # The public function on raw data, with its own noise, is close (and warns
    # about the tiny classes).
    with pytest.warns(UserWarning, match="n_neighbors=3"):
        public = mixed_mutual_info(x, labels, random_state=0)
    assert public == pytest.approx(theirs, abs=1e-3)


def test_mixed_accepts_string_labels_and_2d_x():
    rng = np.random.default_rng(11)
    codes = rng.integers(0, 2, size=600)
    x = np.column_stack([codes + rng.normal(size=600), rng.normal(size=600)])
    names = np.array(["neg", "pos"])[codes]
    assert mixed_mutual_info(x, names, random_state=0) == mixed_mutual_info(
        x, codes, random_state=0
    )


def test_mixed_all_unique_labels_gives_zero_and_warns():
    x = np.arange(10.0)
    with pytest.warns(UserWarning, match="n_neighbors=3") as record:
        assert mixed_mutual_info(x, np.arange(10), random_state=0) == 0.0
    message = str(record[0].message)
    assert "all 10 classes" in message and "smaller n_neighbors" in message
    assert "binned" in message
    assert record[0].filename == __file__  # points at the caller


def test_mixed_warns_when_classes_are_smaller_than_k_plus_one():
    rng = np.random.default_rng(3)
    x = rng.normal(size=40)
    labels = np.repeat(np.arange(10), 4)  # classes of 4 samples
    with pytest.warns(UserWarning, match="n_neighbors=4"):
        mixed_mutual_info(x, labels, n_neighbors=4, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # k + 1 = 4 members: enough, no warning
        mixed_mutual_info(x, labels, n_neighbors=3, random_state=0)
        # Callers that already warned can silence it.
        mixed_mutual_info(x, labels, n_neighbors=4, random_state=0, warn=False)


def test_relevance_warns_once_for_tiny_target_classes():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(30, 3))
    with pytest.warns(UserWarning, match="n_neighbors=3") as record:
        knn_relevance(
            X, np.arange(30), discrete_target=True, discrete_mask=None, random_state=0
        )
    assert len(record) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        knn_relevance(
            X,
            np.arange(30),
            discrete_target=True,
            discrete_mask=None,
            random_state=0,
            warn=False,
        )
    # A discrete column with rare levels against a continuous target.
    X[:, 2] = np.r_[0.0, 0.0, np.ones(28)]
    with pytest.warns(UserWarning, match="column 2"):
        knn_relevance(
            X, X[:, 0], discrete_target=False, discrete_mask=[2], random_state=0
        )


# --------------------------------------------------------------------------------------
# Brute-force references: every pairwise distance, written straight from the papers
# --------------------------------------------------------------------------------------


def _max_norm(a):
    """All pairwise max-norm distances of the rows of ``a``; inf on the diagonal."""
    d = np.abs(a[:, None, :] - a[None, :, :]).max(axis=-1)
    np.fill_diagonal(d, np.inf)
    return d


def _ksg_reference(blocks, k, algorithm):
    n, m = blocks[0].shape[0], len(blocks)
    joint = _max_norm(np.hstack(blocks))
    marginal = [_max_norm(b) for b in blocks]
    total = 0.0
    for i in range(n):
        nearest = np.argsort(joint[i])[:k]
        for d in marginal:
            if algorithm == 1:  # strictly inside the joint k-th distance
                total += special.digamma(np.sum(d[i] < joint[i, nearest[-1]]) + 1)
            else:  # within this block's largest distance to the k joint neighbours
                total += special.digamma(np.sum(d[i] <= d[i, nearest].max()))
    base = special.digamma(k) + (m - 1) * special.digamma(n) - total / n
    return base if algorithm == 1 else base - (m - 1) / k


def _frenzel_pompe_reference(x, y, z, k):
    eps = np.sort(_max_norm(np.hstack((x, y, z))), axis=1)[:, k - 1]
    n_xz = np.sum(_max_norm(np.hstack((x, z))) < eps[:, None], axis=1)
    n_yz = np.sum(_max_norm(np.hstack((y, z))) < eps[:, None], axis=1)
    n_z = np.sum(_max_norm(z) < eps[:, None], axis=1)
    terms = special.digamma(n_xz + 1) + special.digamma(n_yz + 1)
    return special.digamma(k) - np.mean(terms - special.digamma(n_z + 1))


def _ross_reference(c, labels, k):
    """Ross (2014) with k_c = min(k, N_c - 1) and singleton labels dropped."""
    _, inverse, sizes = np.unique(labels, return_inverse=True, return_counts=True)
    keep = sizes[inverse] > 1
    c, labels = c[keep], labels[keep]
    d = _max_norm(c)
    n, total = c.shape[0], 0.0
    for i in range(n):
        same = labels == labels[i]
        k_c = min(k, same.sum() - 1)
        radius = np.sort(d[i, same])[k_c - 1]
        m_i = np.sum(d[i] <= radius)  # others within d_i, the k_c-th neighbour too
        total += special.digamma(k_c) - special.digamma(same.sum())
        total -= special.digamma(m_i)
    return special.digamma(n) + total / n


def _kl_reference(x, k, metric):
    n, d = x.shape
    if metric == "chebyshev":
        dist, log_volume = _max_norm(x), d * np.log(2.0)
    else:
        dist = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=-1))
        np.fill_diagonal(dist, np.inf)
        log_volume = d / 2 * np.log(np.pi) - special.gammaln(d / 2 + 1)
    r = np.sort(dist, axis=1)[:, k - 1]
    return special.digamma(n) - special.digamma(k) + log_volume + d * np.log(r).mean()


@pytest.mark.parametrize("k", [1, 3, 5])
def test_kernels_equal_brute_force_references(k):
    rng = np.random.default_rng(30)
    n = 50
    x = rng.normal(size=(n, 2))
    y = x[:, :1] + rng.normal(size=(n, 1))
    z = rng.normal(size=(n, 1))
    for algorithm in (1, 2):
        for blocks in ([x, y], [x, y, z]):
            assert _knn._ksg_kernel(blocks, k, algorithm) == pytest.approx(
                _ksg_reference(blocks, k, algorithm), abs=1e-12
            )
    assert _knn._cmi_kernel(x, y, z, k) == pytest.approx(
        _frenzel_pompe_reference(x, y, z, k), abs=1e-12
    )
    w = rng.normal(size=(n, 3))
    for metric in ("euclidean", "chebyshev"):
        assert _knn._entropy_kernel(w, k, metric) == pytest.approx(
            _kl_reference(w, k, metric), abs=1e-12
        )
    # Ross: classes of 2 and 3 samples (k_c < k) and three singletons (dropped).
    labels = np.r_[rng.integers(0, 4, size=n - 8), 4, 4, 5, 5, 5, 6, 7, 8]
    c = (0.4 * labels)[:, None] + rng.normal(size=(n, 1))
    codes = np.unique(labels, return_inverse=True)[1]
    assert _knn._mixed_kernel(c, codes, k) == pytest.approx(
        _ross_reference(c, labels, k), abs=1e-12
    )


def test_extreme_magnitudes_neither_overflow_nor_vanish():
    # Standardising must survive data whose variance over- or underflows: the
    # estimates are scale-free (entropy shifts by log s), so the results must match.
    x, y = bivariate(0.6, 500, seed=31)
    labels = (x > 0).astype(int)
    h = knn_entropy(x, random_state=0)
    mi = ksg_mutual_info(x, y, random_state=0)
    ross = mixed_mutual_info(y, labels, random_state=0)
    assert mi > 0.1 and ross > 0.1
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        for s in (1e-170, 1e-300, 1e160, 1e300):
            assert knn_entropy(s * x, random_state=0) == pytest.approx(
                h + np.log(s), abs=1e-6
            )
            assert ksg_mutual_info(s * x, y, random_state=0) == pytest.approx(
                mi, abs=1e-6
            )
            assert mixed_mutual_info(s * y, labels, random_state=0) == pytest.approx(
                ross, abs=1e-6
            )
        huge = np.r_[1.7e308, -1.7e308, x]  # the range itself overflows
        assert np.isfinite(knn_entropy(huge, random_state=0))
        np.testing.assert_array_equal(
            scale_and_jitter([[3.0, 1e300], [3.0, -1e300]], jitter=0.0),
            [[0.0, 1.0], [0.0, -1.0]],
        )


# --------------------------------------------------------------------------------------
# Ties: the spread-scaled jitter keeps estimates sane
# --------------------------------------------------------------------------------------


def _mixture_mi(values, sd):
    """I(X; X + N(0, sd^2)) for X uniform on ``values``, by quadrature."""

    def density(t):
        return np.mean([stats.norm.pdf(t, v, sd) for v in values], axis=0)

    def integrand(t):
        f = density(t)
        return -f * np.log(f) if f > 0 else 0.0

    lo, hi = min(values) - 10 * sd, max(values) + 10 * sd
    h_y = integrate.quad(integrand, lo, hi, limit=500, points=list(values))[0]
    return h_y - 0.5 * np.log(2 * np.pi * np.e * sd**2)


def test_heavily_tied_feature_matches_quadrature():
    # x has one decimal (10 values, 2000 copies each), y = x + N(0, 0.03^2).
    rng = np.random.default_rng(12)
    digits = rng.integers(0, 10, size=20_000)
    x = digits / 10.0
    y = x + 0.03 * rng.normal(size=x.size)
    expected = _mixture_mi([d / 10 for d in range(10)], 0.03)  # 2.083 nats
    # measured errors: KSG alg 1 +0.0006, alg 2 +0.005, Ross +0.0006
    assert ksg_mutual_info(x, y, random_state=0) == pytest.approx(expected, abs=0.02)
    assert ksg_mutual_info(x, y, algorithm=2, random_state=0) == pytest.approx(
        expected, abs=0.02
    )
    assert mixed_mutual_info(y, digits, random_state=0) == pytest.approx(
        expected, abs=0.02
    )


def test_constant_and_few_valued_features_score_zero_at_large_n():
    # scikit-learn issue #30772: independent features that are constant or take
    # three values, against a binary target, n=100_000. True MI is 0.
    n = 100_000
    rng = np.random.default_rng(0)
    labels = (rng.random(n) < 0.1).astype(int)
    constant = np.full((n, 1), 5.0)
    three = (rng.integers(0, 3, size=n) + 10.0)[:, None]
    # Ours: measured 0.0005 (constant) and -0.0003 (three values).
    assert abs(mixed_mutual_info(constant, labels, random_state=0)) < 0.003
    assert abs(mixed_mutual_info(three, labels, random_state=0)) < 0.003
    # scikit-learn's noise recipe on the same kernel: the constant feature's copies
    # fall on a grid of ulps and the estimate is 0.02 (0.20 at n=10**6).
    noise = check_random_state(0).standard_normal((n, 1))
    sklearn_style = constant + 1e-10 * 5.0 * noise
    assert _knn._mixed_kernel(sklearn_style, labels, 3) > 0.01
    # Noise that is too small for the float grid fails the same way (0.0055).
    tiny = _knn._standardize(three, check_random_state(0), 1e-10)[0]
    assert _knn._mixed_kernel(tiny, labels, 3) > 0.003


# --------------------------------------------------------------------------------------
# knn_relevance
# --------------------------------------------------------------------------------------


def _relevance_data(seed=13, n=1000):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 3, size=n)
    X = np.column_stack(
        [
            labels + rng.normal(size=n),  # continuous, informative
            rng.normal(size=n),  # continuous, noise
            (labels + rng.integers(0, 2, size=n)) % 3,  # discrete, informative
            rng.integers(0, 4, size=n),  # discrete, noise
        ]
    ).astype(float)
    y_cont = labels + 0.5 * rng.normal(size=n)
    return X, labels, y_cont


def test_relevance_discrete_target_matches_sklearn():
    X, labels, _ = _relevance_data()
    mask = np.array([False, False, True, True])
    ours = knn_relevance(X, labels, discrete_target=True, discrete_mask=mask)
    theirs = mutual_info_classif(X, labels, discrete_features=mask, random_state=0)
    np.testing.assert_allclose(ours, theirs, atol=1e-3)
    # The discrete-discrete scores are plug-in MI: exactly scikit-learn's.
    for j in (2, 3):
        assert ours[j] == pytest.approx(mutual_info_score(X[:, j], labels), abs=1e-12)
    assert ours[0] > 0.2 and ours[2] > 0.3  # 0.251 and 0.407
    assert np.all(ours >= 0)


def test_relevance_continuous_target_matches_sklearn():
    X, _, y = _relevance_data()
    mask = np.array([False, False, True, True])
    ours = knn_relevance(
        X, y, discrete_target=False, discrete_mask=[2, 3], random_state=0
    )
    theirs = mutual_info_regression(X, y, discrete_features=mask, random_state=0)
    np.testing.assert_allclose(ours, theirs, atol=1e-3)
    assert ours[0] > 0.1 and ours[2] > 0.1  # 0.134 and 0.182; noise columns 0


@pytest.mark.parametrize("discrete_target", [True, False])
def test_relevance_is_identical_for_any_n_jobs(discrete_target):
    X, labels, y_cont = _relevance_data(n=600)
    y = labels if discrete_target else y_cont
    kwargs = {"discrete_target": discrete_target, "discrete_mask": [2, 3]}
    one = knn_relevance(X, y, random_state=7, n_jobs=1, **kwargs)
    two = knn_relevance(X, y, random_state=7, n_jobs=2, **kwargs)
    np.testing.assert_array_equal(one, two)
    np.testing.assert_array_equal(one, knn_relevance(X, y, random_state=7, **kwargs))


def test_relevance_discrete_mask_forms_agree():
    X, labels, _ = _relevance_data(n=300)
    X = X[:, 2:]  # the two discrete columns
    by_bool = knn_relevance(X, labels, discrete_target=True, discrete_mask=True)
    by_mask = knn_relevance(X, labels, discrete_target=True, discrete_mask=[True] * 2)
    by_index = knn_relevance(X, labels, discrete_target=True, discrete_mask=[0, 1])
    np.testing.assert_array_equal(by_bool, by_mask)
    np.testing.assert_array_equal(by_bool, by_index)


# --------------------------------------------------------------------------------------
# Determinism and bad input
# --------------------------------------------------------------------------------------


def test_same_random_state_same_value():
    x, y = bivariate(0.5, 400, seed=14)
    z = np.random.default_rng(15).normal(size=400)
    labels = (x > 0).astype(int)
    calls = [
        lambda rs: knn_entropy(x, random_state=rs),
        lambda rs: ksg_mutual_info(x, y, random_state=rs),
        lambda rs: ksg_mutual_info(x, y, algorithm=2, random_state=rs),
        lambda rs: frenzel_pompe_cmi(x, y, z, random_state=rs),
        lambda rs: mixed_mutual_info(y, labels, random_state=rs),
    ]
    for call in calls:
        assert call(0) == call(0)


def test_inputs_are_not_modified():
    x, y = bivariate(0.5, 200, seed=16)
    x0, y0 = x.copy(), y.copy()
    ksg_mutual_info(x, y, random_state=0)
    knn_relevance(x[:, None], y, discrete_target=False, discrete_mask=None)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(y, y0)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda x, y: knn_entropy(x[:3], n_neighbors=3), ValueError, "n_neighbors=3"),
        (lambda x, y: ksg_mutual_info(x, y, n_neighbors=50), ValueError, "n_neighbors"),
        (lambda x, y: ksg_mutual_info(x, y, n_neighbors=0), ValueError, "n_neighbors"),
        (lambda x, y: ksg_mutual_info(x, y, n_neighbors=2.5), TypeError, "n_neighbors"),
        (lambda x, y: ksg_mutual_info(x, y[:-1]), ValueError, "Inconsistent"),
        (lambda x, y: frenzel_pompe_cmi(x, y, y[:-2]), ValueError, "z has 48"),
        (lambda x, y: mixed_mutual_info(x, y[:-1] > 0), ValueError, "labels has 49"),
        (lambda x, y: ksg_mutual_info(np.r_[x[:-1], np.nan], y), ValueError, "x con"),
        (lambda x, y: ksg_mutual_info(x, np.r_[y[:-1], np.inf]), ValueError, "y con"),
        (lambda x, y: mixed_mutual_info(x, np.r_[y[:-1], np.nan]), ValueError, "labe"),
        (lambda x, y: knn_entropy([]), ValueError, "X is empty"),
        (lambda x, y: knn_entropy(np.ones((3, 0))), ValueError, "X has 0 columns"),
        (lambda x, y: knn_entropy(np.ones((2, 2, 2))), ValueError, "1-D or 2-D"),
        (lambda x, y: knn_entropy(x, metric="cosine"), ValueError, "metric"),
        (lambda x, y: ksg_mutual_info(x, y, algorithm=3), ValueError, "algorithm"),
        (lambda x, y: ksg_mutual_info(x, y, algorithm=1.0), ValueError, "algorithm"),
        (lambda x, y: multi_ksg_mutual_info([x]), ValueError, "at least 2"),
        (lambda x, y: multi_ksg_mutual_info(np.c_[x, y]), TypeError, "list"),
        (lambda x, y: scale_and_jitter(x, jitter=-1.0), ValueError, "jitter"),
        (lambda x, y: scale_and_jitter(["a", "b"]), TypeError, "X must"),
        (
            lambda x, y: knn_relevance(
                np.c_[x, y], y, discrete_target=False, discrete_mask=[True]
            ),
            ValueError,
            "discrete_mask",
        ),
        (
            lambda x, y: knn_relevance(
                np.c_[x, y], y, discrete_target=False, discrete_mask=[5]
            ),
            ValueError,
            "discrete_mask",
        ),
        (
            lambda x, y: knn_relevance(
                np.c_[x, y], y[:10], discrete_target=True, discrete_mask=None
            ),
            ValueError,
            "Inconsistent",
        ),
    ],
)
def test_bad_input_raises_naming_the_argument(call, error, match):
    x, y = bivariate(0.5, 50, seed=17)
    with pytest.raises(error, match=match):
        call(x, y)


# --------------------------------------------------------------------------------------
# Constant columns: exactly 0 mutual information, -inf differential entropy
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [3.7, 0.0, -1e300, 1.7e308])
def test_constant_column_has_exactly_zero_mi_and_minus_inf_entropy(value):
    rng = np.random.default_rng(20)
    x, y = bivariate(0.8, 200, seed=20)
    c = np.full(200, value)
    labels = rng.integers(0, 2, size=200)
    assert knn_entropy(c, random_state=0) == -np.inf
    assert knn_entropy(np.c_[x, c], random_state=0) == -np.inf
    for algorithm in (1, 2):
        assert ksg_mutual_info(c, y, algorithm=algorithm, random_state=0) == 0.0
        assert ksg_mutual_info(y, c, algorithm=algorithm, random_state=0) == 0.0
        assert multi_ksg_mutual_info([c, x, y[:, None] * 0 + 1.0]) == 0.0
    assert mixed_mutual_info(c, labels, random_state=0) == 0.0
    assert mixed_mutual_info(x, np.zeros(200, dtype=int), random_state=0) == 0.0
    assert frenzel_pompe_cmi(c, x, y, random_state=0) == 0.0
    assert frenzel_pompe_cmi(x, c, y, random_state=0) == 0.0
    # Conditioning on a constant is no conditioning; a constant column inside a
    # block changes nothing.
    assert frenzel_pompe_cmi(x, y, c, random_state=0) == ksg_mutual_info(
        x, y, random_state=0
    )
    assert ksg_mutual_info(np.c_[x, c], y, random_state=0) == ksg_mutual_info(
        x, y, random_state=0
    )
    rel = knn_relevance(
        np.c_[c, x], labels, discrete_target=True, discrete_mask=None, random_state=0
    )
    assert rel[0] == 0.0
    rel = knn_relevance(
        np.c_[c, x, labels],
        y,
        discrete_target=False,
        discrete_mask=None,
        random_state=0,
    )
    assert rel[0] == 0.0 and rel[1] > 0.3
    rel = knn_relevance(
        np.c_[x, labels], c, discrete_target=False, discrete_mask=[1], random_state=0
    )
    np.testing.assert_array_equal(rel, [0.0, 0.0])


def test_constant_column_is_never_ranked_above_an_informative_one():
    # Before the fix, a constant column got noise-driven scores up to 1e-2 nats.
    rng = np.random.default_rng(21)
    labels = rng.integers(0, 2, size=300)
    X = np.c_[np.full(300, 5.0), rng.normal(size=300)]
    scores = [
        knn_relevance(
            X, labels, discrete_target=True, discrete_mask=None, random_state=seed
        )[0]
        for seed in range(10)
    ]
    assert scores == [0.0] * 10


# --------------------------------------------------------------------------------------
# Row order: tied data give the same value after any row permutation
# --------------------------------------------------------------------------------------


def _tied_data(seed, n=60):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 4, size=n).astype(float)
    y = np.round(x + rng.normal(size=n), 0)
    z = rng.integers(0, 3, size=n).astype(float)
    labels = (x + rng.integers(0, 2, size=n)) % 3
    return x, y, z, labels.astype(int)


_ESTIMATORS = {
    "entropy": lambda x, y, z, c: knn_entropy(np.c_[x, y], random_state=0),
    "ksg1": lambda x, y, z, c: ksg_mutual_info(x, y, random_state=0),
    "ksg2": lambda x, y, z, c: ksg_mutual_info(x, y, algorithm=2, random_state=0),
    "multi": lambda x, y, z, c: multi_ksg_mutual_info([x, y, z], random_state=0),
    "cmi": lambda x, y, z, c: frenzel_pompe_cmi(x, y, z, random_state=0),
    "ross": lambda x, y, z, c: mixed_mutual_info(np.c_[x, y], c, random_state=0),
    "relevance_classif": lambda x, y, z, c: tuple(
        knn_relevance(
            np.c_[x, y, z],
            c,
            discrete_target=True,
            discrete_mask=[2],
            random_state=0,
        )
    ),
    "relevance_regression": lambda x, y, z, c: tuple(
        knn_relevance(
            np.c_[x, z, c],
            y,
            discrete_target=False,
            discrete_mask=[2],
            random_state=0,
        )
    ),
}


@pytest.mark.parametrize("name", list(_ESTIMATORS))
def test_tied_data_give_the_same_value_after_a_row_permutation(name):
    estimator = _ESTIMATORS[name]
    x, y, z, c = _tied_data(22)
    expected = estimator(x, y, z, c)
    for seed in range(3):
        p = np.random.default_rng(seed).permutation(x.size)
        assert estimator(x[p], y[p], z[p], c[p]) == expected


def test_ties_in_x_with_different_y_are_not_interchangeable():
    # Rows (0, 0) and (0, 1) tie in x only; jitter by sorted position of x alone
    # would swap their noise under a permutation. Here the whole row decides.
    x = np.r_[np.zeros(10), np.ones(10)]
    y = np.tile(np.arange(5.0), 4)
    values = {
        ksg_mutual_info(x[p], y[p], random_state=0)
        for p in (np.arange(20), np.arange(20)[::-1], np.roll(np.arange(20), 7))
    }
    assert len(values) == 1


def test_scale_and_jitter_noise_follows_the_rows():
    # Permuting the rows permutes the output (identical rows are interchangeable).
    X = np.c_[np.arange(12.0) % 3, np.arange(12.0) % 4]
    p = np.random.default_rng(0).permutation(12)
    np.testing.assert_array_equal(
        scale_and_jitter(X[p], random_state=0), scale_and_jitter(X, random_state=0)[p]
    )


_tied_column = st.lists(st.integers(0, 3), min_size=12, max_size=25)


@settings(max_examples=40, deadline=None)
@given(
    data=st.data(),
    name=st.sampled_from(sorted(_ESTIMATORS)),
)
def test_row_order_invariance_property(data, name):
    x = np.array(data.draw(_tied_column), dtype=float)
    n = x.size
    ints = st.lists(st.integers(0, 3), min_size=n, max_size=n)
    y = np.array(data.draw(ints), dtype=float) / 2.0
    z = np.array(data.draw(ints), dtype=float)
    c = np.array(data.draw(ints))
    p = np.array(data.draw(st.permutations(range(n))))
    estimator = _ESTIMATORS[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # tiny classes are fine here
        expected = estimator(x, y, z, c)
        permuted = estimator(x[p], y[p], z[p], c[p])
    assert permuted == expected or (np.isnan(permuted) and np.isnan(expected))


# --------------------------------------------------------------------------------------
# Bad input: clear TypeErrors naming the argument
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        np.array(["a", "b", "c", "d", "e"], dtype=object),
        np.array(["a", "b", "c", "d", "e"]),
        np.arange(5).astype("datetime64[D]"),
        np.arange(5).astype("timedelta64[s]"),
        np.arange(5) + 1j,
    ],
    ids=["object-str", "str", "datetime", "timedelta", "complex"],
)
def test_non_numeric_coordinates_raise_type_error_naming_the_argument(bad):
    y = np.arange(5.0)
    with pytest.raises(TypeError, match=r"^x "):
        ksg_mutual_info(bad, y)
    with pytest.raises(TypeError, match=r"^y "):
        ksg_mutual_info(y, bad)
    with pytest.raises(TypeError, match=r"^X "):
        knn_entropy(bad)
    with pytest.raises(TypeError, match=r"^z "):
        frenzel_pompe_cmi(y, y, bad)
