"""MIFeatureSelector on scipy sparse input: equal to the dense fit, never densified."""

import tracemalloc
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from joblib import Memory
from numpy.testing import assert_allclose, assert_array_equal
from scipy.stats import entropy as scipy_entropy

from skinfo import EntropyDiscretizer, InformationBottleneckReducer, MIFeatureSelector
from skinfo._binned_greedy import _mim_ranking
from skinfo._binning import fit_bin_edges
from skinfo._greedy import CRITERIA, _best, _TableEntropy

FITTED = ("ranking_", "relevance_", "gains_", "scores_", "pvalues_")


def _counts(n=200, d=14, seed=0):
    """Bag-of-words-like counts with two informative words and an empty column."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    dense = rng.poisson(0.4, size=(n, d)) * (rng.random((n, d)) < 0.4)
    dense[:, 3] += (y == 1) * rng.poisson(1.0, n)
    dense[:, 7] += (y == 2) * rng.poisson(2.0, n)
    dense[:, 10] = 0  # a word that never occurs
    return dense.astype(np.int64), y


def _tfidf(n=200, d=14, seed=0):
    dense, y = _counts(n, d, seed)
    rng = np.random.default_rng(seed + 1)
    return dense * rng.exponential(size=dense.shape), y


def _fit_both(X_dense, y, fmt=sp.csr_array, sample_weight=None, **params):
    params.setdefault("random_state", 0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        sparse = MIFeatureSelector(**params).fit(
            fmt(X_dense), y, sample_weight=sample_weight
        )
        dense = MIFeatureSelector(**params).fit(X_dense, y, sample_weight=sample_weight)
    return sparse, dense


def _assert_same_fit(sparse, dense, exact=True):
    assert_array_equal(sparse.ranking_, dense.ranking_)
    assert_array_equal(sparse.get_support(), dense.get_support())
    assert sparse.n_features_to_select_ == dense.n_features_to_select_
    for name in FITTED[1:]:
        if exact:
            assert_array_equal(getattr(sparse, name), getattr(dense, name), name)
        else:
            assert_allclose(
                getattr(sparse, name), getattr(dense, name), rtol=1e-12, atol=1e-12
            )
    assert len(sparse.bin_edges_) == len(dense.bin_edges_)
    for a, b in zip(sparse.bin_edges_, dense.bin_edges_, strict=True):
        if b is None:
            assert a is None
        else:
            assert_array_equal(a, b)


@pytest.mark.parametrize("k", [4, "auto"])
@pytest.mark.parametrize("criterion", CRITERIA)
@pytest.mark.parametrize("data", [_counts, _tfidf], ids=["counts", "tfidf"])
def test_sparse_fit_equals_dense_fit_exactly(data, criterion, k):
    X, y = data()
    sparse, dense = _fit_both(X, y, n_features_to_select=k, criterion=criterion)
    _assert_same_fit(sparse, dense)


@pytest.mark.parametrize("k", [4, "auto"])
@pytest.mark.parametrize("criterion", CRITERIA)
@pytest.mark.parametrize("data", [_counts, _tfidf], ids=["counts", "tfidf"])
def test_weighted_sparse_fit_equals_dense_fit(data, criterion, k):
    X, y = data(seed=1)
    w = np.random.default_rng(2).integers(0, 4, y.size).astype(np.float64)
    sparse, dense = _fit_both(
        X, y, sample_weight=w, n_features_to_select=k, criterion=criterion
    )
    _assert_same_fit(sparse, dense, exact=False)


@pytest.mark.parametrize("method", ["miller_madow", "grassberger"])
@pytest.mark.parametrize("weighted", [False, True])
def test_bias_corrected_methods_agree(method, weighted):
    # fractional weights: the zero cells come from a subtraction, and a round-off
    # residue there must not count as an observed cell for Miller-Madow
    X, y = _tfidf(seed=3)
    w = np.random.default_rng(4).random(y.size) if weighted else None
    sparse, dense = _fit_both(
        X, y, sample_weight=w, n_features_to_select=5, method=method
    )
    _assert_same_fit(sparse, dense, exact=not weighted)


@pytest.mark.parametrize("strategy", ["uniform", "mdlp"])
def test_other_binning_strategies_agree(strategy):
    X, y = _tfidf(seed=5)
    sparse, dense = _fit_both(X, y, n_features_to_select=5, strategy=strategy)
    _assert_same_fit(sparse, dense)


@pytest.mark.parametrize("fmt", [sp.csc_array, sp.csr_matrix, sp.coo_array])
def test_every_sparse_format_gives_the_dense_result(fmt):
    X, y = _counts(seed=6)
    sparse, dense = _fit_both(X, y, fmt=fmt, n_features_to_select=6)
    _assert_same_fit(sparse, dense)


@pytest.mark.filterwarnings("ignore:Feature column 10 is constant")
def test_count_matrix_is_discrete_and_tfidf_is_binned_with_zeros_apart():
    X, y = _counts(seed=7)
    sel = MIFeatureSelector(3, random_state=0).fit(sp.csr_array(X), y)
    assert all(edges is None for edges in sel.bin_edges_)
    Xf, y = _tfidf(seed=7)
    sel = MIFeatureSelector(3, n_bins=4, random_state=0).fit(sp.csr_array(Xf), y)
    for j, edges in enumerate(sel.bin_edges_):
        assert_array_equal(edges, fit_bin_edges(Xf[:, [j]], 4, "quantile")[0])
        column = Xf[:, j]
        if (column == 0).mean() > 0.25 and (column > 0).any():
            # the zeros fill more than a quarter: a bin of their own
            assert edges[0] == 0.5 * column[column > 0].min()
    # discrete_features=False bins the counts, as on the dense matrix
    sparse, dense = _fit_both(X, y, n_features_to_select=3, discrete_features=False)
    _assert_same_fit(sparse, dense)
    assert all(edges is not None for edges in sparse.bin_edges_)


def test_stored_nan_and_explicit_zeros_are_handled_as_dense():
    X, y = _tfidf(seed=8)
    X[::7, 2] = np.nan
    S = sp.csr_array(X)
    # explicit zeros stored in the matrix must act as implicit ones
    S = sp.csr_array(
        (np.r_[S.data, 0.0], (np.r_[S.nonzero()[0], 0], np.r_[S.nonzero()[1], 10])),
        shape=S.shape,
    )
    assert S.nnz > sp.csr_array(X).nnz - 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        sparse = MIFeatureSelector(5, random_state=0).fit(S, y)
        dense = MIFeatureSelector(5, random_state=0).fit(X, y)
    _assert_same_fit(sparse, dense)


def test_empty_column_gets_the_constant_warning():
    X, y = _counts(seed=9)
    with pytest.warns(UserWarning, match="column 10 is constant"):
        MIFeatureSelector(3).fit(sp.csr_array(X), y)
    w = np.ones(y.size)
    w[X[:, 3] > 0] = 0.0  # column 3 only holds zeros among the rows that count
    with pytest.warns(UserWarning, match="column 3, column 10 are constant"):
        MIFeatureSelector(3).fit(sp.csr_array(X), y, sample_weight=w)


@pytest.mark.filterwarnings("ignore:Feature column 10 is constant")
@pytest.mark.parametrize("fmt", [sp.csr_array, sp.csc_array, sp.csr_matrix])
def test_transform_keeps_the_sparse_format(fmt):
    X, y = _counts(seed=10)
    sel = MIFeatureSelector(4).fit(fmt(X), y)
    out = sel.transform(fmt(X))
    assert sp.issparse(out)
    assert out.format == fmt(X).format
    assert isinstance(out, sp.sparray) == isinstance(fmt(X), sp.sparray)
    assert_array_equal(out.toarray(), X[:, sel.get_support()])
    assert_array_equal(sel.transform(X), X[:, sel.get_support()])
    with pytest.raises(ValueError, match="features"):
        sel.transform(fmt(X[:, :5]))


def test_knn_refuses_sparse_input_and_points_to_the_binned_method():
    X, y = _tfidf(seed=11)
    with pytest.raises(TypeError, match=r"method='knn' needs dense X.*plugin"):
        MIFeatureSelector(2, method="knn").fit(sp.csr_array(X), y)


@pytest.mark.filterwarnings("ignore:Feature column 10 is constant")
def test_memory_cache_extends_a_sparse_path(tmp_path):
    X, y = _counts(seed=12)
    memory = Memory(tmp_path, verbose=0)
    S = sp.csr_array(X)
    short = MIFeatureSelector(2, memory=memory).fit(S, y)
    long = MIFeatureSelector(6, memory=memory).fit(S, y)
    fresh = MIFeatureSelector(6).fit(S, y)
    assert_array_equal(long.ranking_, fresh.ranking_)
    assert_array_equal(long.scores_, fresh.scores_)
    assert_array_equal(short.ranking_, fresh.ranking_[:2])


def test_fit_never_builds_a_dense_matrix():
    # densified, X would take 20000 x 1000 x 8 = 160 MB (its codes 20 MB)
    rng = np.random.default_rng(13)
    n, d = 20_000, 1_000
    X = sp.random_array(
        (n, d),
        density=0.002,
        format="csr",
        rng=rng,
        data_sampler=lambda size: rng.integers(1, 4, size=size),
    ).astype(np.int64)
    y = rng.integers(0, 2, n)
    tracemalloc.start()
    try:
        sel = MIFeatureSelector(3, criterion="jmi").fit(X, y)
        sel.transform(X)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8e6, peak
    assert sel.ranking_.size == 3


def test_table_entropy_does_not_depend_on_padding():
    # the dense path pads tables to a block's width, the sparse one does not
    rng = np.random.default_rng(14)
    table = rng.integers(0, 50, size=(5, 11, 3, 4))
    total = 8000  # one total for every table, as on the greedy path
    table[:, 0, 0, 0] += total - table.reshape(5, -1).sum(axis=1)
    padded = np.zeros((5, 40, 3, 4), dtype=table.dtype)
    padded[:, :11] = table
    for method in ("plugin", "miller_madow", "grassberger"):
        entropy = _TableEntropy(method, total, True)
        assert_array_equal(entropy(padded), entropy(table))
    expected = [
        np.sum([c * (np.log(total) - np.log(c)) for c in t.ravel() if c]) / total
        for t in table
    ]
    assert_allclose(_TableEntropy("plugin", total, True)(table), expected, rtol=1e-13)


def _greedy_best_order(relevance):
    """MIM's order by the step-by-step rule of the greedy path."""
    available = np.ones(relevance.size, dtype=bool)
    order = []
    for _ in range(relevance.size):
        k = _best(relevance, available)
        available[k] = False
        order.append(k)
    return np.array(order)


@pytest.mark.parametrize("seed", range(5))
def test_mim_ranking_follows_the_tie_rule_of_the_greedy_path(seed):
    rng = np.random.default_rng(seed)
    base = rng.choice([0.0, 0.3, 0.7, 1.5], size=60)
    # near-ties within 1e-10 (relative) of each other, and exact ties
    relevance = base + rng.choice([0.0, 1e-12, 3e-11, 5e-11], size=60)
    assert_array_equal(_mim_ranking(relevance, 60), _greedy_best_order(relevance))
    assert_array_equal(_mim_ranking(relevance, 7), _greedy_best_order(relevance)[:7])


def _plugin_cmi(x, y, z):
    def h(*cols):
        _, counts = np.unique(np.column_stack(cols), axis=0, return_counts=True)
        return scipy_entropy(counts)

    return h(x, z) + h(y, z) - h(x, y, z) - h(z)


@pytest.mark.parametrize("k", [4, "auto"])
@pytest.mark.parametrize("fmt", [np.asarray, sp.csr_array])
def test_mim_gains_are_conditional_mi_given_the_earlier_features(fmt, k):
    X, y = _counts(seed=15)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        sel = MIFeatureSelector(k, criterion="mim").fit(fmt(X), y)
    r = sel.ranking_
    assert_array_equal(r, np.argsort(-sel.relevance_, kind="stable")[: r.size])
    assert sel.gains_[0] == sel.relevance_[r[0]]
    assert_allclose(sel.gains_[1], _plugin_cmi(X[:, r[1]], y, X[:, r[0]]), atol=1e-12)
    want = min(_plugin_cmi(X[:, r[2]], y, X[:, j]) for j in r[:2])
    assert_allclose(sel.gains_[2], want, atol=1e-12)
    assert_allclose(sel.pvalues_, sel.pvalues_)  # available after the gains


def test_mim_over_every_column_costs_one_pass():
    # 3000 columns: a greedy step per column would take minutes
    rng = np.random.default_rng(16)
    n, d = 2000, 3000
    X = sp.random_array(
        (n, d),
        density=0.01,
        format="csr",
        rng=rng,
        data_sampler=lambda size: rng.integers(1, 4, size=size),
    ).astype(np.int64)
    y = rng.integers(0, 2, n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        sparse = MIFeatureSelector(d, criterion="mim").fit(X, y)
    assert_array_equal(np.sort(sparse.ranking_), np.arange(d))
    assert_array_equal(sparse.scores_, sparse.relevance_[sparse.ranking_])


@pytest.mark.parametrize("fmt", [sp.csc_array, sp.csr_array])
def test_fit_leaves_the_input_matrix_untouched(fmt):
    X, y = _counts(seed=17)
    S = fmt(X)
    S.indices = S.indices.astype(np.int32)
    before = (S.data.copy(), S.indices.copy(), S.indptr.copy())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        MIFeatureSelector(3).fit(S, y)
    for old, new in zip(before, (S.data, S.indices, S.indptr), strict=True):
        assert new.dtype == old.dtype
        assert_array_equal(new, old)


def test_integers_beyond_2_53_stay_distinct():
    # 2**53 and 2**53 + 1 share one float64: a cast would merge two levels
    rng = np.random.default_rng(18)
    y = rng.integers(0, 2, 100)
    column = np.where(y == 1, 2**53 + 1, 2**53).astype(np.int64)
    column[::3] = 0
    X = np.column_stack([column, rng.integers(0, 2, 100)]).astype(np.int64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        sparse, dense = _fit_both(X, y, n_features_to_select=2)
    _assert_same_fit(sparse, dense)
    assert sparse.ranking_[0] == 0


@pytest.mark.parametrize("k", [3, "auto"])
def test_mixed_columns_and_continuous_target_agree(k):
    X, y = _tfidf(seed=19)
    target = y + np.random.default_rng(20).normal(size=y.size)  # regression
    mask = np.zeros(X.shape[1], dtype=bool)
    mask[[1, 3, 5]] = True  # these float columns are read as discrete values
    X[:, mask] = np.round(X[:, mask])
    sparse, dense = _fit_both(
        X, target, n_features_to_select=k, discrete_features=mask, criterion="cmim"
    )
    _assert_same_fit(sparse, dense)
    assert all(sparse.bin_edges_[j] is None for j in (1, 3, 5))


@pytest.mark.parametrize(
    "estimator",
    [EntropyDiscretizer(), InformationBottleneckReducer(n_components=1)],
    ids=lambda e: type(e).__name__,
)
def test_other_estimators_refuse_sparse_input_by_name(estimator):
    X, y = _tfidf(seed=21)
    with pytest.raises(TypeError, match=r"(?s)X.*dense data is required.*toarray"):
        estimator.fit(sp.csr_array(X), y)
