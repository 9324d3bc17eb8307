import os
import subprocess
import sys

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


# ------------------------------------------------ compiled kernels and numpy twins
def _messy(seed=0, n=240):
    """Columns of every kind the kernels treat apart (dense, then made sparse)."""
    rng = np.random.default_rng(seed)
    counts = np.where(rng.random((n, 4)) < 0.3, rng.integers(1, 4, (n, 4)), 0)
    cols = [
        counts[:, 0],  # zeros heavy, small integer counts
        counts[:, 1] * (rng.random(n) < 0.2),  # very sparse
        np.where(rng.random(n) < 0.5, 1.0, 0.0),  # binary: two heavy runs
        np.where(rng.random(n) < 0.7, rng.normal(size=n), 0.0),  # negatives
        np.where(rng.random(n) < 0.2, rng.exponential(size=n), 0.0),  # continuous
        rng.normal(size=n),  # fully stored, no zero
        np.zeros(n),  # nothing stored
        np.where(rng.random(n) < 0.4, 3.0, 0.0),  # one stored value
        np.where(rng.random(n) < 0.1, np.nan, counts[:, 2]),  # stored NaN
        np.where(rng.random(n) < 0.2, np.inf, counts[:, 3]),  # +inf
        np.full(n, np.nan),  # all NaN
        np.where(rng.random(n) < 0.6, -2.0, np.where(rng.random(n) < 0.5, 0.0, 5.0)),
        # integers sorted by comparison, not counted: too large a range, too large
        np.where(rng.random(n) < 0.3, rng.integers(1, 10**6, n), 0),
        np.where(rng.random(n) < 0.3, 2.0**21, counts[:, 0]),
    ]
    dense = np.column_stack(cols).astype(float)
    X = sp.csc_array(dense)
    X.data[::7] = np.where(np.isnan(X.data[::7]), np.nan, 0.0)  # stored zeros
    return X, X.toarray()


def _assert_same_codes(a, b):
    for name in ("indptr", "rows", "codes", "zero_code", "n_levels"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype, name
        np.testing.assert_array_equal(x, y, err_msg=name)
    assert a.n_rows == b.n_rows


@pytest.mark.parametrize("backend", ["numba", "numpy"])
@pytest.mark.parametrize("method", ["averaged_inverted_cdf", "inverted_cdf"])
@pytest.mark.parametrize("n_bins", [2, 3, 4, 7, 16])
def test_edges_of_every_column_kind_equal_dense_edges(backend, method, n_bins):
    X, dense = _messy(n_bins)
    for n_jobs in (1, 2):
        _assert_same_edges(
            sparse_bin_edges(
                X,
                n_bins,
                "quantile",
                quantile_method=method,
                n_jobs=n_jobs,
                backend=backend,
            ),
            fit_bin_edges(dense, n_bins, "quantile", quantile_method=method),
        )
    _assert_same_edges(
        sparse_bin_edges(X, n_bins, "uniform", backend=backend),
        fit_bin_edges(dense, n_bins, "uniform"),
    )


@pytest.mark.parametrize("backend", ["numba", "numpy"])
def test_edges_with_bins_per_column_and_subsample_equal_dense(backend):
    X, dense = _messy(3, n=400)
    n_bins = np.arange(2, 2 + X.shape[1])
    for kw in ({}, {"subsample": 150, "random_state": 1}):
        _assert_same_edges(
            sparse_bin_edges(X, n_bins, "quantile", backend=backend, **kw),
            fit_bin_edges(dense, n_bins, "quantile", **kw),
        )
    w = np.random.default_rng(0).integers(0, 3, size=400).astype(float)
    _assert_same_edges(  # weighted uniform cuts: compiled; weighted quantile: loop
        sparse_bin_edges(X, 6, "uniform", sample_weight=w, backend=backend),
        fit_bin_edges(dense, 6, "uniform", sample_weight=w),
    )
    _assert_same_edges(
        sparse_bin_edges(X, 6, "quantile", sample_weight=w, backend=backend),
        fit_bin_edges(dense, 6, "quantile", sample_weight=w),
    )


def test_compiled_edges_equal_numpy_edges_on_a_bag_of_words():
    X = _bag_of_words(n=2000, d=40, density=0.05, seed=9)
    for n_bins in (3, 5, 10):
        _assert_same_edges(
            sparse_bin_edges(X, n_bins, "quantile", backend="numba"),
            sparse_bin_edges(X, n_bins, "quantile", backend="numpy"),
        )


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 80),
    st.integers(2, 12),
    st.floats(0.0, 1.0),
    st.sampled_from([(0, 3), (-3, 4), (1, 2)]),
    st.booleans(),
    st.integers(0, 2**31 - 1),
)
def test_compiled_edges_and_codes_equal_dense_property(
    n, n_bins, density, value_range, with_nan, seed
):
    rng = np.random.default_rng(seed)
    dense = np.where(
        rng.random((n, 3)) < density, rng.integers(*value_range, size=(n, 3)), 0
    ).astype(float)
    dense[:, 2] += np.where(dense[:, 2] != 0, rng.random(n) / 4, 0.0)  # no ties
    if with_nan:
        dense[rng.random((n, 3)) < 0.1] = np.nan
    X = sp.csr_array(dense)
    for method in ("averaged_inverted_cdf", "inverted_cdf"):
        edges = sparse_bin_edges(X, n_bins, "quantile", quantile_method=method)
        _assert_same_edges(
            edges, fit_bin_edges(dense, n_bins, "quantile", quantile_method=method)
        )
    codes = code_sparse(X, edges, backend="numba")
    _assert_same_codes(codes, code_sparse(X, edges, backend="numpy"))
    expected, n_levels = apply_bin_edges(dense, edges)
    np.testing.assert_array_equal(codes.toarray(), expected)
    np.testing.assert_array_equal(codes.n_levels, n_levels)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
def test_compiled_codes_equal_twin_and_dense_codes(dtype):
    X, dense = _messy(5)
    if dtype is np.int64:
        dense = np.nan_to_num(np.round(dense), posinf=9, neginf=-9)
    X = sp.csc_array(dense.astype(dtype))
    dense = X.toarray().astype(float)
    discrete = np.arange(X.shape[1]) % 3 == 0
    edges = fit_bin_edges(dense, 4, "quantile")
    twin = code_sparse(X, edges, discrete=discrete, backend="numpy")
    for n_jobs in (1, 2):
        compiled = code_sparse(
            X, edges, discrete=discrete, n_jobs=n_jobs, backend="numba"
        )
        _assert_same_codes(compiled, twin)
    binned, n_levels = apply_bin_edges(dense, edges)
    for j in range(X.shape[1]):
        if discrete[j]:
            classes, expected = encode_labels(dense[:, j])
            assert compiled.n_levels[j] == classes.size
        else:
            expected = binned[:, j]
            assert compiled.n_levels[j] == n_levels[j]
        np.testing.assert_array_equal(compiled.column(j), expected)


def test_discrete_codes_of_large_integers_stay_exact():
    # beyond 2**53 float64 would merge these values: the exact numpy path codes them
    big = 2**60
    X = sp.csc_array(np.array([[big], [big + 1], [0], [big + 1]], dtype=np.int64))
    codes = code_sparse(X, discrete=np.array([True]))
    np.testing.assert_array_equal(codes.column(0), [1, 2, 0, 2])
    assert codes.n_levels[0] == 3


def test_codes_need_edges_for_continuous_columns():
    X = _bag_of_words()
    with pytest.raises(ValueError, match="edges is required"):
        code_sparse(X, discrete=np.zeros(12, dtype=bool))
    with pytest.raises(ValueError, match="edges must hold the cuts of all 12"):
        code_sparse(X, [np.array([0.5])] * 11)
    with pytest.raises(ValueError, match="discrete must be a boolean mask of the 12"):
        code_sparse(X, discrete=np.ones(3, dtype=bool))


@pytest.mark.parametrize("n_ctx", [6, 70_000])  # narrow and wide context codes
def test_compiled_tables_bit_identical_to_twin_and_equal_dense(n_ctx):
    X, dense = _messy(6, n=500)
    edges = fit_bin_edges(dense, 5, "quantile")
    codes = code_sparse(X, edges)
    rng = np.random.default_rng(0)
    ctx = rng.integers(0, n_ctx, size=X.shape[0])
    w = rng.uniform(0.1, 3.0, size=X.shape[0])
    width = int(codes.n_levels.max())
    dense_codes, _ = apply_bin_edges(dense, edges)
    for sample_weight in (None, w):
        twin = sparse_batch_counts(
            codes, ctx, width, n_ctx, sample_weight=sample_weight, backend="numpy"
        )
        for n_jobs in (1, 2):
            compiled = sparse_batch_counts(
                codes,
                ctx,
                width,
                n_ctx,
                sample_weight=sample_weight,
                n_jobs=n_jobs,
                backend="numba",
            )
            assert compiled.dtype == twin.dtype
            np.testing.assert_array_equal(compiled, twin)  # bit for bit
        expected = batch_counts(
            dense_codes, ctx, width, n_ctx, sample_weight=sample_weight
        )
        if sample_weight is None:
            np.testing.assert_array_equal(compiled, expected)
        else:  # the zero row is a difference of sums: equal up to round-off
            np.testing.assert_allclose(compiled, expected, rtol=1e-12, atol=1e-9)


def test_integer_weighted_tables_equal_repeated_rows():
    X = _bag_of_words(seed=7)
    reps = np.random.default_rng(7).integers(0, 4, size=X.shape[0])
    codes = code_sparse(X, discrete=np.ones(X.shape[1], dtype=bool))
    ctx = np.arange(X.shape[0]) % 3
    weighted = sparse_batch_counts(codes, ctx, 6, 3, sample_weight=reps.astype(float))
    Xr = sp.csr_array(np.repeat(X.toarray(), reps, axis=0))
    codes_r = code_sparse(Xr, discrete=np.ones(X.shape[1], dtype=bool))
    repeated = sparse_batch_counts(codes_r, np.repeat(ctx, reps), 6, 3)
    np.testing.assert_array_equal(weighted, repeated)


def test_kernels_handle_empty_matrices():
    for shape in ((0, 3), (4, 0), (0, 0)):
        X = sp.csr_array(shape)
        for backend in ("numba", "numpy"):
            edges = sparse_bin_edges(X, 4, "quantile", backend=backend)
            assert len(edges) == shape[1] and all(e.size == 0 for e in edges)
            codes = code_sparse(X, edges, backend=backend)
            assert codes.shape == shape
            tables = sparse_batch_counts(
                codes, np.zeros(shape[0], int), 1, 2, backend=backend
            )
            assert tables.shape == (shape[1], 1, 2)
            assert not tables.any()


def test_numba_switched_off_gives_the_same_results():
    code = (
        "import sys, numpy as np, scipy.sparse as sp;"
        "from skinfo._sparse import code_sparse, sparse_bin_edges, "
        "sparse_batch_counts;"
        "X = sp.random_array((300, 20), density=0.1, rng=0, format='csr');"
        "e = sparse_bin_edges(X, 5, 'quantile');"
        "c = code_sparse(X, e);"
        "t = sparse_batch_counts(c, np.arange(300) % 3, 5, 3);"
        "print('numba' in sys.modules, repr(np.concatenate(e).tolist()),"
        " c.codes.tolist(), t.ravel().tolist())"
    )
    env = {k: v for k, v in os.environ.items() if k != "SKINFO_DISABLE_NUMBA"}
    runs = [
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**env, "SKINFO_DISABLE_NUMBA": flag},
        ).stdout
        for flag in ("1", "0")
    ]
    assert runs[0].startswith("False ")  # numba is not even imported
    assert runs[1].startswith("True ")
    assert runs[0][6:] == runs[1][5:]


def test_bad_backend_is_refused():
    with pytest.raises(ValueError, match="backend"):
        code_sparse(_bag_of_words(), discrete=np.ones(12, bool), backend="cuda")


def test_tables_refuse_codes_outside_the_table():
    codes = code_sparse(_bag_of_words(seed=8), discrete=np.ones(12, dtype=bool))
    ctx = np.zeros(codes.n_rows, dtype=int)
    width = int(codes.n_levels.max())
    with pytest.raises(ValueError, match="n_levels=2 is smaller"):
        sparse_batch_counts(codes, ctx, 2, 1)
    with pytest.raises(ValueError, match=r"ctx must hold codes in \[0, n_ctx=1\)"):
        sparse_batch_counts(codes, ctx + 1, width, 1)
    with pytest.raises(ValueError, match="ctx must hold one code per row"):
        sparse_batch_counts(codes, ctx[:-1], width, 1)
    with pytest.raises(ValueError, match="sample_weight must hold one weight"):
        sparse_batch_counts(codes, ctx, width, 1, sample_weight=np.ones(3))
