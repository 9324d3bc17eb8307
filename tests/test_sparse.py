import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from skinfo._binning import apply_bin_edges, encode_labels, fit_bin_edges
from skinfo._counting import batch_counts
from skinfo._sparse import code_sparse, is_sparse, sparse_batch_counts, sparse_bin_edges


def _bag_of_words(n=300, d=12, density=0.1, seed=0, integer=True):
    rng = np.random.default_rng(seed)
    X = sp.random_array(
        (n, d),
        density=density,
        format="csr",
        rng=rng,
        data_sampler=(lambda size: rng.integers(1, 6, size=size))
        if integer
        else (lambda size: rng.exponential(size=size)),
    )
    X = sp.lil_array(X.astype(np.float64))
    X[:, 0] = 1.0  # a fully stored column: no implicit zeros
    return sp.csr_array(X)


def _assert_same_edges(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(x, y)


@pytest.mark.parametrize("integer", [True, False])
@pytest.mark.parametrize("strategy", ["quantile", "uniform"])
@pytest.mark.parametrize("n_bins", [2, 3, 5, 8])
def test_sparse_edges_equal_dense_edges(integer, strategy, n_bins):
    X = _bag_of_words(integer=integer)
    _assert_same_edges(
        sparse_bin_edges(X, n_bins, strategy),
        fit_bin_edges(X.toarray(), n_bins, strategy),
    )


def test_sparse_edges_equal_dense_with_negatives_nan_and_explicit_zeros():
    rng = np.random.default_rng(1)
    dense = np.where(rng.random((200, 6)) < 0.8, 0.0, rng.normal(size=(200, 6)))
    dense[::17, 2] = np.nan
    X = sp.csc_array(dense)
    X.data[::5] = 0.0  # stored zeros count as zeros
    dense = X.toarray()
    for method in ("averaged_inverted_cdf", "inverted_cdf"):
        _assert_same_edges(
            sparse_bin_edges(X, 5, "quantile", quantile_method=method),
            fit_bin_edges(dense, 5, "quantile", quantile_method=method),
        )


def test_sparse_edges_with_weights_and_subsample_equal_dense():
    X = _bag_of_words(n=400, integer=False, seed=3)
    w = np.random.default_rng(2).integers(0, 4, size=400).astype(float)
    _assert_same_edges(
        sparse_bin_edges(X, 4, "quantile", sample_weight=w),
        fit_bin_edges(X.toarray(), 4, "quantile", sample_weight=w),
    )
    _assert_same_edges(
        sparse_bin_edges(X, 6, "quantile", subsample=150, random_state=7),
        fit_bin_edges(X.toarray(), 6, "quantile", subsample=150, random_state=7),
    )
    _assert_same_edges(
        sparse_bin_edges(X, "auto", "uniform", sample_weight=w / w.sum()),
        fit_bin_edges(X.toarray(), "auto", "uniform", sample_weight=w / w.sum()),
    )


def test_sparse_edges_refuse_interpolating_quantiles():
    with pytest.raises(ValueError, match="Sparse X needs quantile_method"):
        sparse_bin_edges(_bag_of_words(), 4, "quantile", quantile_method="linear")


def test_sparse_codes_equal_dense_codes():
    X = _bag_of_words(integer=False, seed=4)
    dense = X.toarray()
    dense[3, 5] = np.nan
    X = sp.csr_array(dense)
    edges = fit_bin_edges(dense, 5, "quantile")
    codes = code_sparse(X, edges)
    expected, n_levels = apply_bin_edges(dense, edges)
    np.testing.assert_array_equal(codes.toarray(), expected)
    np.testing.assert_array_equal(codes.n_levels, n_levels)


def test_sparse_discrete_codes_follow_encode_labels():
    X = _bag_of_words(seed=5)
    dense = X.toarray()
    codes = code_sparse(X, discrete=np.ones(X.shape[1], dtype=bool))
    for j in range(X.shape[1]):
        classes, expected = encode_labels(dense[:, j])
        np.testing.assert_array_equal(codes.column(j), expected)
        assert codes.n_levels[j] == classes.size


@pytest.mark.parametrize("weighted", [False, True])
def test_sparse_tables_equal_dense_tables(weighted):
    X = _bag_of_words(seed=6)
    rng = np.random.default_rng(0)
    ctx = rng.integers(0, 6, size=X.shape[0])
    w = rng.uniform(0.5, 2.0, size=X.shape[0]) if weighted else None
    codes = code_sparse(X, discrete=np.ones(X.shape[1], dtype=bool))
    width = int(codes.n_levels.max())
    got = sparse_batch_counts(codes, ctx, width, 6, sample_weight=w)
    expected = batch_counts(codes.toarray(), ctx, width, 6, sample_weight=w)
    if weighted:
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)
    else:
        assert got.dtype == np.int64
        np.testing.assert_array_equal(got, expected)
    sub = codes.select(np.array([3, 0]))
    np.testing.assert_array_equal(sub.column(0), codes.column(3))
    np.testing.assert_array_equal(sub.toarray()[:, 1], codes.column(0))


def test_is_sparse():
    assert is_sparse(sp.csr_matrix((2, 2))) and is_sparse(sp.csc_array((2, 2)))
    assert not is_sparse(np.zeros((2, 2)))


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 60),
    st.integers(2, 9),
    st.floats(0.0, 1.0),
    st.integers(0, 2**31 - 1),
)
def test_sparse_quantile_edges_equal_dense_property(n, n_bins, density, seed):
    rng = np.random.default_rng(seed)
    dense = np.where(
        rng.random((n, 3)) < density, rng.integers(-3, 4, size=(n, 3)), 0
    ).astype(float)
    _assert_same_edges(
        sparse_bin_edges(sp.csr_array(dense), n_bins, "quantile"),
        fit_bin_edges(dense, n_bins, "quantile"),
    )
