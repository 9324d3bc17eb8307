import itertools
import sys
import tracemalloc
import warnings

import numpy as np
import pandas as pd
import pytest
import sklearn
from scipy.linalg import subspace_angles
from scipy.special import rel_entr
from sklearn.base import clone
from sklearn.covariance import ledoit_wolf_shrinkage
from sklearn.datasets import make_classification
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.dummy import DummyClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

from skinfo._binning import apply_bin_edges
from skinfo._bottleneck import (
    InformationBottleneckReducer,
    _apply_row_index,
    _fit_row_index,
    _gaussian_solution,
    _unit_variance_components,
    information_curve,
    plot_information_plane,
)
from skinfo._info import mutual_info_from_table

# --------------------------------------------------------------------------- helpers
RHO = np.array([0.9, 0.6, 0.3])  # canonical correlations of the constructed model


def _exact_sample(cov, n, seed):
    """Rows whose (1/n) empirical covariance is exactly ``cov`` (and mean 0)."""
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((n, cov.shape[0]))
    Z -= Z.mean(axis=0)
    Z = Z @ np.linalg.inv(np.linalg.cholesky(Z.T @ Z / n)).T
    return Z @ np.linalg.cholesky(cov).T


def _canonical_model(seed=0):
    """Joint covariance of X (5-d) and Y (3-d) with canonical correlations RHO.

    In canonical coordinates X~ and Y~ are white with cross-covariance diag(RHO);
    X = M X~ and Y = N Y~, so the canonical direction i of X is row i of M^-1.
    """
    rng = np.random.default_rng(seed)
    d, q = 5, 3
    M = rng.normal(size=(d, d)) + 3 * np.eye(d)
    N = rng.normal(size=(q, q)) + 3 * np.eye(q)
    C = np.zeros((d, q))
    C[:3, :3] = np.diag(RHO)
    cov = np.block([[M @ M.T, M @ C @ N.T], [N @ C.T @ M.T, N @ N.T]])
    return cov, np.linalg.inv(M), d


def _constructed_data(n=400, seed=0):
    cov, m_inv, d = _canonical_model(seed)
    Z = _exact_sample(cov, n, seed + 1) + 5.0  # an offset: the fit must centre
    return Z[:, :d], Z[:, d:], cov, m_inv


def _gaussian_mi_of_projection(A, cov, d):
    """I(T;X), I(T;Y) of T = A X + N(0, I) from log-determinants (ALGORITHMS 2.1)."""
    sx, sxy, sy = cov[:d, :d], cov[:d, d:], cov[d:, d:]
    sx_y = sx - sxy @ np.linalg.solve(sy, sxy.T)
    eye = np.eye(A.shape[0])
    logdet_t = np.linalg.slogdet(A @ sx @ A.T + eye)[1]
    logdet_t_y = np.linalg.slogdet(A @ sx_y @ A.T + eye)[1]
    return 0.5 * logdet_t, 0.5 * (logdet_t - logdet_t_y)


def _table_data(counts):
    """One integer column x and labels y realising a table of counts n(x, y)."""
    counts = np.asarray(counts)
    xs, ys = np.nonzero(counts)
    reps = counts[xs, ys]
    X = np.repeat(xs, reps).astype(float)[:, None]
    y = np.repeat(ys, reps)
    return X, y


def _exact_codes(n_values):
    """Parameters under which integer values 0..n_values-1 keep one bin each."""
    return {"n_bins": n_values, "strategy": "uniform"}


def _maximal_correlation(counts):
    p = np.asarray(counts, dtype=float) / np.sum(counts)
    s = np.linalg.svd(p / np.sqrt(np.outer(p.sum(1), p.sum(0))), compute_uv=False)
    return s[1]


# ----------------------------------------------------------------------- Gaussian IB
def test_critical_betas_are_inverse_one_minus_lambda():
    X, Y, _, _ = _constructed_data()
    ib = InformationBottleneckReducer(3, beta=100.0, shrinkage=None).fit(X, Y)
    expected_lambda = np.r_[1 - RHO**2, 1.0, 1.0]
    np.testing.assert_allclose(ib.eigenvalues_, expected_lambda, atol=1e-10)
    np.testing.assert_allclose(ib.critical_betas_[:3], 1 / RHO**2, rtol=1e-8)
    assert np.all(np.isinf(ib.critical_betas_[3:]))


def test_components_switch_on_exactly_at_critical_betas():
    X, Y, _, m_inv = _constructed_data()
    critical = 1 / RHO**2
    for i, beta_c in enumerate(critical):
        below = InformationBottleneckReducer(
            3, beta=beta_c * (1 - 1e-6), shrinkage=None
        )
        above = clone(below).set_params(beta=beta_c * (1 + 1e-6))
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "No component is active")
            below.fit(X, Y)
        above.fit(X, Y)
        assert below.n_active_ == i and above.n_active_ == i + 1
        # inactive components are dropped, not kept as zero rows
        assert below.components_.shape == (i, X.shape[1])
        assert above.components_.shape == (i + 1, X.shape[1])
        assert below.transform(X).shape == (X.shape[0], i)
        # the component that switches on is canonical direction i
        v = above.components_[i]
        cos = abs(v @ m_inv[i]) / (np.linalg.norm(v) * np.linalg.norm(m_inv[i]))
        assert cos == pytest.approx(1.0, abs=1e-8)


def _ib_projection(ib, sigma_x):
    """The IB projection ``A`` (Chechik et al.): directions times their scales."""
    v = ib.components_
    lam = ib.eigenvalues_[: v.shape[0]]
    r = np.einsum("ij,jk,ik->i", v, sigma_x, v)
    alpha = np.sqrt((ib.beta * (1 - lam) - 1) / (lam * r))
    return v * alpha[:, None]


@pytest.mark.parametrize("beta", [1.5, 3.0, 12.0, 80.0])
def test_information_matches_closed_forms(beta):
    X, Y, cov, _ = _constructed_data()
    d = X.shape[1]
    ib = InformationBottleneckReducer(3, beta=beta, shrinkage=None).fit(X, Y)
    A = _ib_projection(ib, cov[:d, :d])
    info_x, info_y = _gaussian_mi_of_projection(A, cov, d)
    assert ib.information_xt_ == pytest.approx(info_x, rel=1e-8)
    assert ib.information_ty_ == pytest.approx(info_y, rel=1e-8)
    # the information curve of ALGORITHMS 5.5 with the active components
    n = ib.n_active_
    lam = ib.eigenvalues_[:n]
    curve_y = info_x - n / 2 * np.log(
        np.prod(1 - lam) ** (1 / n) + np.exp(2 * info_x / n) * np.prod(lam) ** (1 / n)
    )
    assert ib.information_ty_ == pytest.approx(curve_y, rel=1e-8)
    # transform is the noise-free mean of T, up to a per-column scale
    np.testing.assert_allclose(
        ib.transform(X), (X - X.mean(axis=0)) @ ib.components_.T, atol=1e-10
    )


def test_no_information_below_first_critical_beta():
    X, Y, _, _ = _constructed_data()
    beta = 0.99 / RHO[0] ** 2
    with pytest.warns(UserWarning, match=r"No component is active.*first critical"):
        ib = InformationBottleneckReducer(3, beta=beta, shrinkage=None).fit(X, Y)
    assert ib.n_active_ == ib.n_components_ == 0
    assert ib.components_.shape == (0, X.shape[1])
    assert ib.transform(X).shape == (X.shape[0], 0)
    assert ib.get_feature_names_out().size == 0
    assert ib.information_xt_ == 0 and ib.information_ty_ == 0


def test_components_approach_true_directions_as_n_grows():
    cov, m_inv, d = _canonical_model(seed=3)
    rng = np.random.default_rng(4)
    angles = []
    for n in (500, 50_000):
        Z = rng.multivariate_normal(np.zeros(cov.shape[0]), cov, size=n)
        ib = InformationBottleneckReducer(2, beta=100.0).fit(Z[:, :d], Z[:, d:])
        angles.append(np.max(subspace_angles(ib.components_.T, m_inv[:2].T)))
    assert angles[1] < angles[0]
    assert angles[1] < 0.05


def test_classification_directions_match_lda():
    X, y = make_classification(
        600, 6, n_informative=4, n_redundant=0, n_classes=4, random_state=0
    )
    ib = InformationBottleneckReducer(3, beta=1e4, shrinkage=None).fit(X, y)
    lda = LinearDiscriminantAnalysis(solver="eigen").fit(X, y)
    a = ib.components_ / np.linalg.norm(ib.components_, axis=1, keepdims=True)
    b = lda.scalings_[:, :3].T
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    np.testing.assert_allclose(np.abs(np.sum(a * b, axis=1)), 1.0, atol=1e-8)
    # only n_classes - 1 directions carry information about a label
    assert np.sum(np.isfinite(ib.critical_betas_)) == 3


@pytest.mark.parametrize("target", ["classes", "continuous"])
def test_ledoit_wolf_shrinkage_matches_scikit_learn(target):
    X, y = make_classification(300, 5, n_informative=3, n_classes=3, random_state=1)
    Xc = X - X.mean(axis=0)
    if target == "classes":
        means = np.array([Xc[y == k].mean(axis=0) for k in range(3)])
        residuals = Xc - means[y]
    else:
        y = X @ np.array([1.0, -2.0, 0.5, 0.0, 0.0]) + np.random.default_rng(0).normal(
            size=300
        )
        yc = y - y.mean()
        residuals = Xc - np.outer(yc, Xc.T @ yc / (yc @ yc))
    ib = InformationBottleneckReducer(2).fit(X, y)
    assert ib.shrinkage_ == pytest.approx(ledoit_wolf_shrinkage(residuals), rel=1e-10)


def test_shrinkage_keeps_rank_deficient_data_solvable():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(10, 30))  # fewer samples than features
    y = np.repeat([0, 1], 5)
    ib = InformationBottleneckReducer(2, beta=50.0).fit(X, y)
    assert np.all(np.isfinite(ib.components_))
    assert np.all((ib.eigenvalues_ > 0) & (ib.eigenvalues_ <= 1))
    with pytest.warns(UserWarning, match="floored"):  # lambda = 0 without shrinkage
        ib_none = InformationBottleneckReducer(2, beta=50.0, shrinkage=None).fit(X, y)
    assert np.all(np.isfinite(ib_none.transform(X)))


def test_zero_eigenvalue_warns_and_is_capped():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = X[:, 0] - X[:, 1]  # an exact linear function of X
    with pytest.warns(UserWarning, match="floored"):
        ib = InformationBottleneckReducer(2, beta=5.0, shrinkage=None).fit(X, y)
    assert np.all(np.isfinite(ib.components_))
    assert np.isfinite(ib.information_ty_)


def test_n_components_capped_at_number_of_active_directions():
    X, Y, _, _ = _constructed_data()  # 5 features, 3 canonical correlations
    ib = InformationBottleneckReducer(9, beta=100.0).fit(X, Y)
    assert ib.n_components_ == 3
    assert ib.transform(X).shape[1] == len(ib.get_feature_names_out()) == 3
    assert ib.components_.shape == (3, X.shape[1])


def test_gaussian_has_no_predict_and_rejects_infinite_beta():
    X, Y, _, _ = _constructed_data()
    assert not hasattr(InformationBottleneckReducer(), "predict")
    with pytest.raises(ValueError, match="'beta' parameter"):
        InformationBottleneckReducer(beta=np.inf).fit(X, Y)


# ----------------------------------------------------------------------- discrete IB
LEARN_COUNTS = [[30, 10], [10, 30], [20, 20]]


def test_trivial_solution_below_learnability_threshold():
    X, y = _table_data(LEARN_COUNTS)
    beta_c = 1 / _maximal_correlation(LEARN_COUNTS) ** 2
    params = {"method": "ib", "tol": 1e-12, "max_iter": 20_000, "random_state": 0}
    low = InformationBottleneckReducer(
        2, beta=0.8 * beta_c, **_exact_codes(3), **params
    )
    high = clone(low).set_params(beta=1.25 * beta_c)
    assert low.fit(X, y).information_xt_ < 1e-8
    assert low.information_ty_ < 1e-8
    assert high.fit(X, y).information_xt_ > 1e-3
    assert high.information_ty_ > 1e-4


def test_dib_keeps_one_cluster_for_beta_at_most_one():
    X, y = _table_data(LEARN_COUNTS)
    dib = InformationBottleneckReducer(
        3, method="dib", beta=0.9, random_state=0, **_exact_codes(3)
    ).fit(X, y)
    assert dib.n_components_ == 1
    assert dib.information_xt_ == 0.0
    np.testing.assert_array_equal(dib.transform(X), 1.0)


# six symbols, three distinct p(y|x): {0, 1}, {2, 3}, {4, 5}
LIMIT_COUNTS = [[6, 2, 2], [3, 1, 1], [1, 4, 5], [2, 8, 10], [5, 5, 0], [2, 2, 0]]


@pytest.mark.parametrize("method", ["ib", "dib"])
@pytest.mark.parametrize("n_components", [3, 5])
def test_large_beta_is_hard_clustering_keeping_all_information(method, n_components):
    X, y = _table_data(LIMIT_COUNTS)
    est = InformationBottleneckReducer(
        n_components, method=method, beta=1e4, random_state=0, **_exact_codes(6)
    ).fit(X, y)
    info_xy = mutual_info_from_table(np.asarray(LIMIT_COUNTS, dtype=float))
    assert est.information_ty_ == pytest.approx(info_xy, abs=1e-9)
    assert est.information_xy_ == pytest.approx(info_xy, abs=1e-12)
    codes = est.transform(np.arange(6.0)[:, None])
    np.testing.assert_allclose(codes.max(axis=1), 1.0, atol=1e-9)  # hard
    labels = est.predict(np.arange(6.0)[:, None])
    assert labels[0] == labels[1] and labels[2] == labels[3] and labels[4] == labels[5]
    assert len(set(labels)) == 3


def test_fewer_clusters_than_distinct_rows_lose_information():
    X, y = _table_data(LIMIT_COUNTS)
    est = InformationBottleneckReducer(
        2, method="dib", beta=1e4, random_state=0, **_exact_codes(6)
    ).fit(X, y)
    assert est.information_ty_ < est.information_xy_ - 1e-3


def _dib_cost(counts, labels, beta):
    """``H(T) - beta I(T;Y)`` (nats) of the hard clustering ``labels`` of the rows."""
    counts = np.asarray(counts, dtype=float)
    joint = np.zeros((labels.max() + 1, counts.shape[1]))
    np.add.at(joint, labels, counts / counts.sum())
    p_t = joint.sum(axis=1)
    p_t = p_t[p_t > 0]
    return -np.sum(p_t * np.log(p_t)) - beta * mutual_info_from_table(joint)


# five symbols, distinct p(y|x); DIB's parallel updates stall at 2-cluster fixed
# points that moving a single symbol improves
STALL_COUNTS = [[1, 3, 4], [1, 2, 1], [1, 1, 4], [1, 3, 1], [5, 2, 4]]


@pytest.mark.parametrize("seed", range(5))
def test_dib_finds_best_two_cluster_partition(seed):
    X, y = _table_data(STALL_COUNTS)
    beta = 50.0
    # all 2^4 ways to put symbols 1..4 with or apart from symbol 0
    best = min(
        _dib_cost(STALL_COUNTS, np.array([0, *bits]), beta)
        for bits in itertools.product([0, 1], repeat=4)
    )
    dib = InformationBottleneckReducer(
        2, method="dib", beta=beta, n_init=1, random_state=seed, **_exact_codes(5)
    ).fit(X, y)
    labels = dib.predict(np.arange(5.0)[:, None])
    assert _dib_cost(STALL_COUNTS, labels, beta) == pytest.approx(best, abs=1e-12)
    got = dib.information_xt_ - beta * dib.information_ty_
    assert got == pytest.approx(best, abs=1e-12)


@pytest.mark.parametrize("seed", range(6))
def test_dib_result_is_a_local_minimum_under_single_moves(seed):
    rng = np.random.default_rng(seed)
    counts = rng.integers(0, 6, size=(7, 3))
    counts[:, 0] += 1
    cond = counts / counts.sum(axis=1, keepdims=True)
    assert np.unique(cond, axis=0).shape[0] == 7  # no two symbols alike
    X, y = _table_data(counts)
    for beta, k in [(8.0, 3), (50.0, 4)]:
        dib = InformationBottleneckReducer(
            k, method="dib", beta=beta, n_init=2, random_state=seed, **_exact_codes(7)
        ).fit(X, y)
        labels = dib.predict(np.arange(7.0)[:, None])
        cost = _dib_cost(counts, labels, beta)
        for x, t in itertools.product(range(7), range(k)):
            moved = labels.copy()
            moved[x] = t
            assert _dib_cost(counts, moved, beta) >= cost - 1e-12


def _small_discrete(seed=0, n=300):
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 3, size=(n, 2)).astype(float)
    logits = np.c_[X[:, 0], X[:, 1], 2 - X[:, 0]] + rng.normal(size=(n, 3))
    return X, np.argmax(logits, axis=1)


@pytest.mark.parametrize("method", ["ib", "dib"])
@pytest.mark.parametrize("beta", [2.0, 5.0, 50.0])
def test_information_ty_agrees_with_encoder_and_never_exceeds_ixy(method, beta):
    X, y = _small_discrete()
    est = InformationBottleneckReducer(
        4,
        method=method,
        beta=beta,
        tol=1e-10,
        max_iter=5000,
        random_state=0,
        **_exact_codes(3),
    ).fit(X, y)
    q = est.transform(X)
    table_ty = q.T @ np.eye(3)[y]  # sum_i q(t|x_i) 1[y_i = y]
    assert est.information_ty_ == pytest.approx(
        mutual_info_from_table(table_ty), abs=1e-10
    )
    _, symbols = np.unique(X, axis=0, return_inverse=True)
    table_xy = np.zeros((symbols.max() + 1, 3))
    np.add.at(table_xy, (symbols.ravel(), y), 1.0)
    info_xy = mutual_info_from_table(table_xy)
    assert est.information_xy_ == pytest.approx(info_xy, abs=1e-12)
    assert est.information_ty_ <= info_xy + 1e-12
    if method == "dib":  # deterministic encoder: I(X;T) = H(T)
        p_t = q.mean(axis=0)
        assert est.information_xt_ == pytest.approx(-np.sum(p_t * np.log(p_t)))


@pytest.mark.parametrize("method", ["ib", "dib"])
def test_seen_rows_reproduce_encoder_unseen_rows_use_classifier(method):
    rng = np.random.default_rng(0)
    a = rng.integers(0, 3, size=400)
    X = np.c_[a, a].astype(float)  # only rows with equal columns are seen
    y = (a + (rng.random(400) < 0.3)) % 3
    est = InformationBottleneckReducer(
        3,
        method=method,
        beta=8.0,
        tol=1e-13,
        max_iter=10_000,
        random_state=0,
        classifier=DummyClassifier(strategy="prior"),
        **_exact_codes(3),
    ).fit(X, y)

    def encode(p_y_x, decoder):
        kl = rel_entr(p_y_x[:, None, :], decoder[None]).sum(axis=2)
        score = np.log(est.p_t_) - est.beta * kl
        if method == "dib":
            return np.eye(score.shape[1])[np.argmax(score, axis=1)]
        q = np.exp(score - score.max(axis=1, keepdims=True))
        return q / q.sum(axis=1, keepdims=True)

    seen = np.c_[[0, 1, 2], [0, 1, 2]].astype(float)
    empirical = np.array([np.bincount(y[a == v], minlength=3) for v in range(3)])
    p_y_x = empirical / empirical.sum(1, keepdims=True)
    np.testing.assert_allclose(
        est.transform(seen), encode(p_y_x, est.p_y_given_t_), atol=1e-9
    )
    # unseen rows: p(y|x) from the classifier (here the prior) and the decoder
    # regularised with one pseudo-sample from p(y)
    unseen = np.array([[0.0, 2.0], [2.0, 0.0]])
    prior = np.bincount(y, minlength=3) / y.size
    n_t = 400 * est.p_t_[:, None]
    decoder = (n_t * est.p_y_given_t_ + prior) / (n_t + 1)
    np.testing.assert_allclose(
        est.transform(unseen), encode(np.tile(prior, (2, 1)), decoder), atol=1e-12
    )
    np.testing.assert_array_equal(est.predict(seen), est.transform(seen).argmax(1))


def test_default_classifier_encodes_unseen_rows():
    X, y = make_classification(300, 4, n_informative=3, n_redundant=0, random_state=0)
    est = InformationBottleneckReducer(3, method="ib", random_state=0).fit(X, y)
    assert isinstance(est.classifier_[-1], LogisticRegression)
    X_new = np.random.default_rng(1).normal(scale=2.0, size=(40, 4))
    codes, _ = apply_bin_edges(X_new, est.bin_edges_)
    unseen = _apply_row_index(codes, est._row_index) < 0
    assert unseen.any() and not unseen.all()
    p = est.classifier_.predict_proba(X_new[unseen])
    n_t = 300 * est.p_t_[:, None]
    decoder = (n_t * est.p_y_given_t_ + np.bincount(y) / 300) / (n_t + 1)
    score = np.log(est.p_t_) - est.beta * rel_entr(p[:, None], decoder[None]).sum(2)
    q = np.exp(score - score.max(axis=1, keepdims=True))
    q /= q.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(est.transform(X_new)[unseen], q, atol=1e-12)
    np.testing.assert_allclose(est.transform(X_new).sum(axis=1), 1.0)


def test_discrete_methods_reject_continuous_targets():
    X, y = _small_discrete()
    with pytest.raises(ValueError, match=r"method='ib'.*'gaussian'"):
        InformationBottleneckReducer(method="ib").fit(X, y + 0.5)


def test_classifier_must_have_predict_proba():
    X, y = _small_discrete()
    with pytest.raises(TypeError, match="classifier"):
        InformationBottleneckReducer(method="ib", classifier=LinearSVC()).fit(X, y)


def test_convergence_warning_when_max_iter_is_hit():
    X, y = _small_discrete()
    est = InformationBottleneckReducer(
        4, method="ib", beta=20.0, max_iter=1, tol=0.0, random_state=0
    )
    with pytest.warns(ConvergenceWarning, match="max_iter=1"):
        est.fit(X, y)
    assert est.n_iter_ == 1


@pytest.mark.parametrize("method", ["ib", "dib"])
def test_random_state_reproduces_fit(method):
    X, y = make_classification(300, 3, n_informative=3, n_redundant=0, random_state=2)
    est = InformationBottleneckReducer(6, method=method, beta=20.0, random_state=7)
    a = clone(est).fit(X, y)
    b = clone(est).fit(X, y)
    np.testing.assert_array_equal(a.transform(X), b.transform(X))
    assert a.information_ty_ == b.information_ty_
    np.testing.assert_allclose(a.transform(X).sum(axis=1), 1.0)


def test_row_index_maps_seen_rows_and_flags_unseen_ones():
    rng = np.random.default_rng(0)
    codes = rng.integers(0, 7, size=(500, 40)).astype(np.uint8)  # 7**40 > 2**62
    codes[250:] = codes[:250]  # every row twice
    n_levels = np.full(40, 7)
    symbols, index = _fit_row_index(codes, n_levels)
    assert len(index["groups"]) > 1
    _, expected = np.unique(codes, axis=0, return_inverse=True)
    np.testing.assert_array_equal(symbols, expected.ravel())  # same dense order
    np.testing.assert_array_equal(_apply_row_index(codes, index), symbols)
    new = codes[:3].copy()
    new[:, 39] = (new[:, 39] + 1) % 7
    assert np.all(_apply_row_index(new, index) == -1)


# ------------------------------------------------------------------ pipeline tuning
@pytest.mark.parametrize("method", ["gaussian", "dib"])
def test_pipeline_tuned_with_grid_search(method):
    X, y = make_classification(
        300, 6, n_informative=3, n_redundant=0, n_classes=3, random_state=0
    )
    pipe = Pipeline(
        [
            ("ib", InformationBottleneckReducer(method=method, random_state=0)),
            ("clf", LogisticRegression()),
        ]
    )
    grid = {"ib__beta": [0.5, 30.0], "ib__n_components": [1, 3]}
    with warnings.catch_warnings():
        # beta <= 1 keeps nothing: the Gaussian reducer warns and returns 0 columns,
        # which the classifier refuses (those fits fail and score NaN)
        warnings.simplefilter("ignore", UserWarning)
        search = GridSearchCV(pipe, grid, cv=3).fit(X, y)
    assert search.best_params_["ib__beta"] == 30.0
    assert search.best_score_ > 0.7
    scores = pd.DataFrame(search.cv_results_)
    trivial = scores.loc[scores["param_ib__beta"] == 0.5, "mean_test_score"]
    if method == "gaussian":
        assert trivial.isna().all()
    else:
        assert trivial.max() < 0.45  # one cluster: chance level
    assert search.predict(X[:5]).shape == (5,)


# ------------------------------------------------------------- information curve
def test_gaussian_curve_is_analytic_per_beta():
    X, Y, _, _ = _constructed_data()
    est = InformationBottleneckReducer(3, shrinkage=None)
    betas = [40.0, 1.1, 2.0, 5.0, 20.0]
    curve = information_curve(est, X, Y, betas=betas)
    assert curve.columns.tolist() == [
        "beta",
        "information_xt",
        "information_ty",
        "n_active",
    ]
    np.testing.assert_array_equal(curve["beta"], sorted(betas))
    for row in curve.itertuples():
        fitted = clone(est).set_params(beta=row.beta).fit(X, Y)
        assert row.information_xt == pytest.approx(fitted.information_xt_, rel=1e-12)
        assert row.information_ty == pytest.approx(fitted.information_ty_, rel=1e-12)
        assert row.n_active == fitted.n_active_
    assert curve["n_active"].tolist() == [0, 1, 2, 3, 3]
    assert np.all(np.diff(curve["information_ty"]) >= 0)
    assert curve["information_ty"].max() < curve.attrs["information_xy"]
    assert est.get_params()["beta"] == 10.0  # the estimator is left untouched


@pytest.mark.parametrize("method", ["ib", "dib"])
def test_discrete_curve_from_trivial_to_all_information(method):
    X, y = _table_data(LIMIT_COUNTS)
    est = InformationBottleneckReducer(
        3, method=method, random_state=0, tol=1e-9, max_iter=3000, **_exact_codes(6)
    )
    curve = information_curve(est, X, y, betas=[1000.0, 0.5, 5.0])
    assert curve.columns.tolist()[-1] == "n_clusters"
    info_xy = mutual_info_from_table(np.asarray(LIMIT_COUNTS, dtype=float))
    assert curve.attrs["information_xy"] == pytest.approx(info_xy)
    first, last = curve.iloc[0], curve.iloc[-1]
    assert first["beta"] == 0.5 and first["information_xt"] < 1e-8
    assert last["information_ty"] == pytest.approx(info_xy, abs=1e-8)
    assert np.all(curve["information_ty"] <= info_xy + 1e-12)


def test_curve_rejects_bad_betas_and_estimators():
    X, Y, _, _ = _constructed_data()
    with pytest.raises(ValueError, match="betas"):
        information_curve(InformationBottleneckReducer(), X, Y, betas=[0.0, 1.0])
    with pytest.raises(ValueError, match="estimator"):
        information_curve(LogisticRegression(), X, Y)


def test_plot_information_plane_draws_curve_in_bits():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    X, Y, _, _ = _constructed_data()
    curve = information_curve(InformationBottleneckReducer(3), X, Y)
    ax = plot_information_plane(curve)
    line = ax.get_lines()[0]
    np.testing.assert_allclose(line.get_xdata(), curve["information_xt"] / np.log(2))
    np.testing.assert_allclose(line.get_ydata(), curve["information_ty"] / np.log(2))
    assert ax.get_xlabel() == "I(X;T) [bits]"
    _, ax2 = plt.subplots()
    assert plot_information_plane(curve, ax=ax2, base=None) is ax2
    assert ax2.get_ylabel() == "I(T;Y) [nats]"
    np.testing.assert_allclose(ax2.get_lines()[0].get_ydata(), curve["information_ty"])
    plt.close("all")


def test_plot_information_plane_names_plot_extra_without_matplotlib(monkeypatch):
    curve = pd.DataFrame({"information_xt": [0.0], "information_ty": [0.0]})
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match="pip install matplotlib, or skinfo's plot"):
        plot_information_plane(curve)


def test_transform_output_is_float64_for_float32_input():
    X, Y, _, _ = _constructed_data()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = InformationBottleneckReducer(2).fit(X.astype(np.float32), Y).transform(X)
    assert out.dtype == np.float64


@pytest.mark.parametrize("method", ["gaussian", "ib", "dib"])
def test_inputs_are_not_modified(method):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 4))
    y = (X[:, 0] + 0.3 * rng.normal(size=120) > 0).astype(int)
    X_before, y_before = X.copy(), y.copy()
    est = InformationBottleneckReducer(2, method=method, random_state=0).fit(X, y)
    est.transform(X)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)


# ------------------------------------------------- trust: extreme and degenerate data
@pytest.mark.parametrize("exponent", [1018, -1000])
def test_gaussian_output_does_not_depend_on_a_power_of_two_scale(exponent):
    X, y = make_classification(
        200, 5, n_informative=3, n_redundant=0, n_classes=3, random_state=0
    )
    big = np.ldexp(X, exponent)  # values near 1e307 (or 1e-300)
    ref = InformationBottleneckReducer(2, beta=50.0).fit(X, y)
    ib = InformationBottleneckReducer(2, beta=50.0).fit(big, y)
    out = ib.transform(big)
    assert np.all(np.isfinite(out))
    np.testing.assert_allclose(out, ref.transform(X), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ib.eigenvalues_, ref.eigenvalues_, rtol=1e-12)
    np.testing.assert_allclose(ib.mean_, np.ldexp(ref.mean_, exponent), rtol=1e-12)
    assert ib.information_ty_ == pytest.approx(ref.information_ty_, rel=1e-12)


def test_gaussian_regression_target_near_float_limit():
    X, Y, _, _ = _constructed_data()
    ref = InformationBottleneckReducer(3, beta=20.0, shrinkage=None).fit(X, Y)
    ib = clone(ref).fit(X, np.ldexp(Y, 1018))
    np.testing.assert_allclose(ib.eigenvalues_, ref.eigenvalues_, atol=1e-12)
    np.testing.assert_allclose(ib.transform(X), ref.transform(X), atol=1e-10)


def test_gaussian_information_never_exceeds_entropy_of_labels():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(2, 5)), np.array([0, 1])
    with pytest.warns(UserWarning, match=r"n_samples = 2 <= n_features = 5"):
        ib = InformationBottleneckReducer(2, beta=50.0).fit(X, y)
    assert ib.information_ty_ <= np.log(2) + 1e-15
    assert ib.information_xy_ <= np.log(2) + 1e-15
    # iris: the Gaussian model's I(T;Y) exceeds H(y) = log 3 from beta ~1.5 on
    X, y = make_classification(
        150,
        4,
        n_informative=4,
        n_redundant=0,
        n_classes=3,
        class_sep=3.0,
        random_state=0,
    )
    weights = np.r_[np.ones(75), np.full(75, 3.0)]
    counts = np.bincount(y, weights=weights)
    h_y = -np.sum(counts / counts.sum() * np.log(counts / counts.sum()))
    ib = InformationBottleneckReducer(2, beta=1e3).fit(X, y, sample_weight=weights)
    assert -0.5 * np.sum(np.log(ib.eigenvalues_)) > h_y  # the model's value
    assert ib.information_xy_ == pytest.approx(h_y, abs=1e-12)
    assert ib.information_ty_ <= h_y + 1e-12
    curve = information_curve(InformationBottleneckReducer(2), X, y, [1.01, 1e3])
    assert np.all(curve["information_ty"] <= np.log(3) + 1e-12)


def test_gaussian_warns_with_no_more_rows_than_features():
    X, y = make_classification(10, 10, random_state=0)
    with pytest.warns(UserWarning, match="n_samples = 10 <= n_features = 10"):
        InformationBottleneckReducer(2).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        InformationBottleneckReducer(2).fit(X[:, :9], y)


@pytest.mark.parametrize("target", ["classes", "continuous"])
@pytest.mark.parametrize("shrinkage", ["auto", 0.3, None])
@pytest.mark.parametrize("shape", [(80, 6), (12, 30)])
def test_dual_solution_equals_primal(target, shrinkage, shape):
    rng = np.random.default_rng(1)
    n, p = shape
    X = rng.normal(size=(n, p)) @ rng.normal(size=(p, p)) + 3.0
    if target == "classes":
        y, kind = np.arange(n) % 3, "classification"
        X[:, 0] += 2.0 * y
    else:
        y, kind = X[:, :2] @ [1.0, -1.0] + rng.normal(size=n), "regression"
    w = rng.integers(0, 4, size=n).astype(float)
    w[:3] = 1.0
    primal = _gaussian_solution(X, y, kind, shrinkage, w, dual=False)
    dual = _gaussian_solution(X, y, kind, shrinkage, w, dual=True)
    assert dual["vectors"].shape[0] < p or n > p  # the dual problem is smaller
    assert dual["shrinkage"] == pytest.approx(primal["shrinkage"], rel=1e-10)
    k = 2 if target == "classes" else 1  # the informative directions
    np.testing.assert_allclose(
        dual["eigenvalues"][:k], primal["eigenvalues"][:k], rtol=1e-9, atol=1e-12
    )
    if shrinkage is not None:  # outside the data span, exactly lambda = 1
        np.testing.assert_allclose(
            dual["eigenvalues"], primal["eigenvalues"], atol=1e-9
        )
    if shrinkage is None and n < p:
        return  # W is singular in the data span: many lambda = 0, no unique vectors
    np.testing.assert_allclose(
        _unit_variance_components(dual, k),
        _unit_variance_components(primal, k),
        rtol=1e-7,
        atol=1e-9,
    )


def test_wide_data_never_forms_a_feature_by_feature_matrix():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(20, 4000)), np.repeat([0, 1], 10)
    X[:, :5] += 3.0 * y[:, None]
    tracemalloc.start()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # n_samples <= n_features
            ib = InformationBottleneckReducer(2, beta=1e3).fit(X, y)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4000**2 * 8 / 10  # a p x p float matrix would take 128 MB
    assert ib.n_components_ == 1 and ib.eigenvalues_.shape == (4000,)
    assert np.all(ib.eigenvalues_[20:] == 1.0)
    T = ib.transform(X)
    assert T[y == 1].mean() > T[y == 0].mean() + 1.0


# ------------------------------------------------ trust: the discrete bottleneck
@pytest.mark.parametrize("method", ["ib", "dib"])
def test_discrete_methods_warn_when_every_row_is_its_own_symbol(method):
    X, y = make_classification(200, 30, random_state=0)
    est = InformationBottleneckReducer(2, method=method, random_state=0)
    with pytest.warns(UserWarning, match=r"200 distinct rows out of 200.*n_bins"):
        est.fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clone(est).set_params(n_bins=2).fit(X[:, :3], y)


def test_transform_codes_new_rows_with_the_fitted_bins():
    X, y = _small_discrete()
    X = X + np.random.default_rng(0).uniform(0.0, 0.3, size=X.shape)
    est = InformationBottleneckReducer(
        3,
        method="ib",
        beta=20.0,
        random_state=0,
        n_bins=3,
        strategy="uniform",  # cuts near 0.77 and 1.53: far from every value
        classifier=DummyClassifier(strategy="prior"),
    ).fit(X, y)
    nudged = X + 0.01  # new values, same bins
    codes_new, _ = apply_bin_edges(nudged, est.bin_edges_)
    codes_fit, _ = apply_bin_edges(X, est.bin_edges_)
    assert np.array_equal(codes_new, codes_fit) and not np.array_equal(nudged, X)
    np.testing.assert_array_equal(est.transform(nudged), est.transform(X))
    assert not np.allclose(est.transform(X), est.transform(X + 10.0))


@pytest.mark.parametrize("method", ["ib", "dib"])
def test_discrete_methods_work_near_float_limit(method):
    X, y = make_classification(150, 3, n_informative=3, n_redundant=0, random_state=0)
    est = InformationBottleneckReducer(
        3, method=method, beta=20.0, n_bins=3, random_state=0
    )
    ref = clone(est).fit(X, y)
    big = np.ldexp(X, 1020)
    fitted = clone(est).fit(big, y)
    for cuts, ref_cuts in zip(fitted.bin_edges_, ref.bin_edges_, strict=True):
        np.testing.assert_array_equal(cuts, np.ldexp(ref_cuts, 1020))
    np.testing.assert_array_equal(fitted.transform(big), ref.transform(X))
    new = np.ldexp(np.random.default_rng(1).normal(scale=3.0, size=(30, 3)), 1020)
    out = fitted.transform(new)  # unseen rows go through the classifier
    assert np.all(np.isfinite(out))
    np.testing.assert_allclose(out, ref.transform(np.ldexp(new, -1020)), atol=1e-6)


def test_plot_information_plane_skips_non_finite_points_with_a_warning():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    curve = pd.DataFrame(
        {
            "beta": [1.0, 2.0, 3.0, 4.0],
            "information_xt": [0.0, np.nan, 1.0, 2.0],
            "information_ty": [0.0, 0.5, np.inf, 0.9],
        }
    )
    with pytest.warns(UserWarning, match=r"2 of 4 rows.*beta = \[2.0, 3.0\]"):
        ax = plot_information_plane(curve, base=None)
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), [0.0, 2.0])
    np.testing.assert_array_equal(ax.get_lines()[0].get_ydata(), [0.0, 0.9])
    empty = curve.assign(information_ty=np.nan)
    with pytest.raises(ValueError, match="no point where both"):
        plot_information_plane(empty)
    plt.close("all")


# ----------------------------------------------------- trust: text and date inputs
@pytest.mark.parametrize("method", ["gaussian", "ib", "dib"])
def test_dates_and_object_text_get_a_type_error_naming_the_column(method):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    y = np.arange(40) % 2
    est = InformationBottleneckReducer(1, method=method, random_state=0).fit(X, y)
    frame = pd.DataFrame(X, columns=["a", "b", "c"]).assign(
        when=pd.date_range("2020-01-01", periods=40)
    )
    text = X.astype(object)
    text[5, 2] = "oops"
    dates = np.arange(40 * 3).reshape(40, 3).astype("datetime64[D]")
    cases = [
        (frame, r"Column 'when' of X holds dates or times"),
        (text, r"Column 2 of X holds text"),
        (dates, r"Column 0 of X holds dates or times"),
    ]
    for bad, message in cases:
        with pytest.raises(TypeError, match=message):
            clone(est).fit(bad, y)
        if bad.shape[1] == 3:
            with pytest.raises(TypeError, match=message):
                est.transform(bad)
    # numeric object arrays stay accepted, as in scikit-learn
    np.testing.assert_allclose(est.transform(X.astype(object)), est.transform(X))


# ---------------------------------------------- drop-in: scale and width of output
@pytest.mark.parametrize("beta", [2.0, 1e6])
def test_output_columns_have_unit_variance_whatever_beta(beta):
    X, y = make_classification(
        400,
        8,
        n_informative=4,
        n_redundant=0,
        n_classes=3,
        class_sep=2.0,
        random_state=0,
    )
    ib = InformationBottleneckReducer(2, beta=beta)
    T = ib.fit_transform(X, y)
    assert T.shape[1] == ib.n_components_ >= 1
    np.testing.assert_allclose(T.std(axis=0), 1.0, atol=1e-8)
    np.testing.assert_allclose(T.mean(axis=0), 0.0, atol=1e-8)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        pipe = Pipeline([("ib", clone(ib)), ("clf", LogisticRegression())])
        assert pipe.fit(X, y).score(X, y) > 0.6


def test_weighted_output_has_unit_weighted_variance():
    X, y = make_classification(300, 5, n_informative=3, random_state=1)
    w = np.random.default_rng(0).uniform(0.0, 3.0, size=300)
    T = InformationBottleneckReducer(1, beta=50.0).fit_transform(X, y, sample_weight=w)
    mean = np.average(T[:, 0], weights=w)
    assert mean == pytest.approx(0.0, abs=1e-10)
    assert np.average(T[:, 0] ** 2, weights=w) == pytest.approx(1.0, rel=1e-10)


def test_output_width_is_capped_by_active_directions_like_lda():
    X, y = make_classification(
        500, 8, n_informative=5, n_redundant=0, n_classes=3, random_state=0
    )
    ib = InformationBottleneckReducer(5, beta=1e4).fit(X, y)
    lda = LinearDiscriminantAnalysis(n_components=2).fit(X, y)
    assert ib.n_components_ == 2 == lda.transform(X).shape[1]
    T = ib.transform(X)
    assert T.shape == (500, 2)
    assert np.all(np.abs(T).max(axis=0) > 0)  # no all-zero column
    assert ib.get_feature_names_out().tolist() == [
        "informationbottleneckreducer0",
        "informationbottleneckreducer1",
    ]
    framed = clone(ib).set_output(transform="pandas").fit_transform(X, y)
    assert framed.shape == (500, 2)
    # the same directions as LDA (which whitens the within-class covariance)
    ib_none = InformationBottleneckReducer(5, beta=1e4, shrinkage=None).fit(X, y)
    lda_eigen = LinearDiscriminantAnalysis(solver="eigen").fit(X, y)
    a = ib_none.components_ / np.linalg.norm(ib_none.components_, axis=1)[:, None]
    b = lda_eigen.scalings_[:, :2].T
    b = b / np.linalg.norm(b, axis=1)[:, None]
    np.testing.assert_allclose(np.abs(np.sum(a * b, axis=1)), 1.0, atol=1e-8)


# ------------------------------------------------------------------- sample weight
@pytest.mark.parametrize("method", ["gaussian", "ib", "dib"])
def test_integer_weights_equal_repeated_rows(method):
    X, y = make_classification(120, 4, n_informative=3, n_redundant=0, random_state=3)
    w = np.random.default_rng(0).integers(0, 4, size=120)
    est = InformationBottleneckReducer(2, method=method, beta=20.0, random_state=0)
    weighted = clone(est).fit(X, y, sample_weight=w)
    repeated = clone(est).fit(np.repeat(X, w, axis=0), np.repeat(y, w))
    np.testing.assert_allclose(
        weighted.transform(X), repeated.transform(X), rtol=1e-7, atol=1e-9
    )
    for name in ("information_xt_", "information_ty_", "information_xy_"):
        assert getattr(weighted, name) == pytest.approx(
            getattr(repeated, name), rel=1e-9, abs=1e-12
        )
    unweighted = clone(est).fit(X, y)
    assert weighted.information_xy_ != pytest.approx(unweighted.information_xy_)


@pytest.mark.parametrize("method", ["gaussian", "ib", "dib"])
def test_fractional_weights_are_scale_free(method):
    X, y = make_classification(150, 3, n_informative=3, n_redundant=0, random_state=0)
    w = np.random.default_rng(1).uniform(0.1, 1.0, size=150)  # sum(w) < 150
    est = InformationBottleneckReducer(
        2, method=method, beta=20.0, n_bins="auto", pseudocount=0.5, random_state=0
    )
    ref = clone(est).fit(X, y, sample_weight=w)
    for factor in (0.5, 1e-3):
        other = clone(est).fit(X, y, sample_weight=w * factor)
        np.testing.assert_allclose(other.transform(X), ref.transform(X), atol=1e-10)
        assert other.information_ty_ == pytest.approx(ref.information_ty_, rel=1e-10)
    # weights normalised to sum 1 act as unit weights
    unit = clone(est).fit(X, y)
    normalised = clone(est).fit(X, y, sample_weight=np.full(150, 1 / 150))
    np.testing.assert_allclose(normalised.transform(X), unit.transform(X), atol=1e-10)
    if method != "gaussian":
        assert len(normalised.bin_edges_[0]) == 5 - 1  # auto_n_bins(150) = 5


def test_default_classifier_is_fitted_with_the_weights():
    X, y = make_classification(200, 4, n_informative=3, n_redundant=0, random_state=0)
    w = np.random.default_rng(0).integers(0, 3, size=200).astype(float)
    est = InformationBottleneckReducer(2, method="ib", random_state=0).fit(
        X, y, sample_weight=w
    )
    keep = w > 0
    scaled = StandardScaler().fit(
        X[keep] / np.abs(X[keep]).max(axis=0), sample_weight=w[keep]
    )
    Z = scaled.transform(X[keep] / np.abs(X[keep]).max(axis=0))
    lr = LogisticRegression(max_iter=1000).fit(Z, y[keep], sample_weight=w[keep])
    np.testing.assert_allclose(est.classifier_[-1].coef_, lr.coef_, rtol=1e-6)


@pytest.mark.parametrize("method", ["gaussian", "ib", "dib"])
def test_sample_weight_is_routed_through_a_pipeline(method):
    X, y = make_classification(150, 4, n_informative=3, n_redundant=0, random_state=0)
    w = np.random.default_rng(0).integers(0, 4, size=150).astype(float)
    direct = InformationBottleneckReducer(
        2, method=method, beta=20.0, random_state=0
    ).fit(X, y, sample_weight=w)
    with sklearn.config_context(enable_metadata_routing=True):
        pipe = Pipeline(
            [
                (
                    "ib",
                    InformationBottleneckReducer(
                        2, method=method, beta=20.0, random_state=0
                    ).set_fit_request(sample_weight=True),
                ),
                ("clf", LogisticRegression().set_fit_request(sample_weight=True)),
            ]
        ).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(pipe[0].transform(X), direct.transform(X), atol=1e-12)
    assert pipe[0].information_xy_ == direct.information_xy_


def test_bad_sample_weights_are_rejected():
    X, y = make_classification(50, 3, n_informative=3, n_redundant=0, random_state=0)
    est = InformationBottleneckReducer(1)
    with pytest.raises(ValueError, match=r"sample_weight.*positive"):
        est.fit(X, y, sample_weight=np.zeros(50))
    with pytest.raises(
        ValueError, match=r"[Nn]egative.*sample_weight|sample_weight.*[Nn]egative"
    ):
        est.fit(X, y, sample_weight=-np.ones(50))
    with pytest.raises(ValueError, match="sample_weight"):
        est.fit(X, y, sample_weight=np.ones(49))
