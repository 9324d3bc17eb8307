import itertools
import os
import subprocess
import sys

import numpy as np
import pytest

from skinfo._counting import batch_counts, digitize, numba_enabled


def _random_codes(seed, n=2000, d=7, levels=6):
    rng = np.random.default_rng(seed)
    codes = np.asfortranarray(rng.integers(0, levels, size=(n, d)).astype(np.uint8))
    ctx = rng.integers(0, 5, size=n)
    weights = rng.random(n)
    return codes, ctx, weights


def _reference_tables(codes, ctx, n_levels, n_ctx, weights=None):
    """Obviously-correct tables: one np.add.at per column."""
    out = np.zeros((codes.shape[1], n_levels, n_ctx))
    w = np.ones(codes.shape[0]) if weights is None else weights
    for j in range(codes.shape[1]):
        np.add.at(out[j], (codes[:, j], ctx), w)
    return out


@pytest.mark.parametrize("backend", ["numba", "numpy"])
def test_batch_counts_match_reference(backend):
    codes, ctx, weights = _random_codes(0)
    got = batch_counts(codes, ctx, 6, 5, backend=backend)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, _reference_tables(codes, ctx, 6, 5))
    got_w = batch_counts(codes, ctx, 6, 5, sample_weight=weights, backend=backend)
    np.testing.assert_allclose(got_w, _reference_tables(codes, ctx, 6, 5, weights))


@pytest.mark.parametrize("seed", range(5))
def test_numba_and_numpy_twins_are_identical(seed):
    codes, ctx, weights = _random_codes(seed, n=3000, d=11, levels=9)
    for w in (None, weights):
        a = batch_counts(codes, ctx, 9, 5, sample_weight=w, backend="numba")
        b = batch_counts(codes, ctx, 9, 5, sample_weight=w, backend="numpy")
        np.testing.assert_array_equal(a, b)  # bit-identical, weights included


# blocks of four columns and the rest; one column per task when columns are few
@pytest.mark.parametrize("d", range(1, 10))
@pytest.mark.parametrize("n_ctx", [5, 70_000])  # narrow and wide context codes
@pytest.mark.parametrize("n_jobs", [1, 2])
def test_twins_identical_for_any_column_count(d, n_ctx, n_jobs):
    codes, _, weights = _random_codes(d, n=500, d=d, levels=3)
    ctx = np.random.default_rng(d).integers(0, n_ctx, size=500)
    ctx[0] = n_ctx - 1
    for w in (None, weights):
        a = batch_counts(
            codes, ctx, 3, n_ctx, sample_weight=w, n_jobs=n_jobs, backend="numba"
        )
        b = batch_counts(codes, ctx, 3, n_ctx, sample_weight=w, backend="numpy")
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, _reference_tables(codes, ctx, 3, n_ctx, weights))


def test_results_identical_for_any_n_jobs():
    codes, ctx, weights = _random_codes(3, n=5000, d=16)
    base = batch_counts(codes, ctx, 6, 5, sample_weight=weights, n_jobs=1)
    for n_jobs in (2, -1, None):
        np.testing.assert_array_equal(
            batch_counts(codes, ctx, 6, 5, sample_weight=weights, n_jobs=n_jobs), base
        )


def test_tables_are_sums_over_row_chunks():
    codes, ctx, weights = _random_codes(4)
    full = batch_counts(codes, ctx, 6, 5, sample_weight=weights)
    a = batch_counts(codes[:700], ctx[:700], 6, 5, sample_weight=weights[:700])
    b = batch_counts(codes[700:], ctx[700:], 6, 5, sample_weight=weights[700:])
    np.testing.assert_allclose(a + b, full, rtol=1e-12)


def test_integer_weights_equal_repeated_rows():
    codes, ctx, _ = _random_codes(5, n=300)
    reps = np.random.default_rng(5).integers(0, 4, size=300)
    weighted = batch_counts(codes, ctx, 6, 5, sample_weight=reps.astype(float))
    repeated = batch_counts(np.repeat(codes, reps, axis=0), np.repeat(ctx, reps), 6, 5)
    np.testing.assert_array_equal(weighted, repeated)


def test_three_way_tables_through_joint_context():
    codes, ctx, _ = _random_codes(6, n=1000, d=3)
    other = np.random.default_rng(6).integers(0, 2, size=1000)
    tables = batch_counts(codes, ctx * 2 + other, 6, 10).reshape(3, 6, 5, 2)
    ref = np.zeros((6, 5, 2))
    np.add.at(ref, (codes[:, 1], ctx, other), 1)
    np.testing.assert_array_equal(tables[1], ref)


def test_empty_inputs():
    assert batch_counts(np.zeros((0, 3), np.uint8), np.zeros(0), 2, 2).shape == (
        3,
        2,
        2,
    )
    assert batch_counts(np.zeros((4, 0), np.uint8), np.zeros(4), 2, 2).shape == (
        0,
        2,
        2,
    )
    assert digitize(np.zeros((0, 2)), [np.array([0.0])] * 2, np.uint8).shape == (0, 2)


@pytest.mark.parametrize("order", ["C", "F"])  # row- and column-parallel kernels
@pytest.mark.parametrize("n_cuts", [0, 3, 40])  # linear scan and binary search paths
def test_digitize_twins_agree_with_searchsorted(n_cuts, order):
    rng = np.random.default_rng(n_cuts)
    X = np.asarray(rng.normal(size=(5000, 4)), order=order)
    X[rng.random(X.shape) < 0.05] = np.nan
    edges = [np.sort(rng.normal(size=n_cuts)) for _ in range(4)]
    edges[0] = np.unique(np.round(edges[0], 1))
    X[: edges[0].size, 0] = edges[0]  # values exactly on cuts
    a = digitize(X, edges, np.uint8, backend="numba")
    b = digitize(X, edges, np.uint8, backend="numpy")
    np.testing.assert_array_equal(a, b)
    for j, cuts in enumerate(edges):
        finite = ~np.isnan(X[:, j])
        np.testing.assert_array_equal(
            a[finite, j], np.searchsorted(cuts, X[finite, j], side="right")
        )
        assert np.all(a[~finite, j] == cuts.size + 1)


def test_digitize_accepts_fortran_input():
    X = np.asfortranarray(np.random.default_rng(0).normal(size=(100, 3)))
    edges = [np.array([-1.0, 0.0, 1.0])] * 3
    np.testing.assert_array_equal(
        digitize(X, edges, np.uint8), digitize(X, edges, np.uint8, backend="numpy")
    )


def test_bad_backend_raises():
    with pytest.raises(ValueError, match="backend"):
        batch_counts(np.zeros((2, 1), np.uint8), np.zeros(2), 1, 1, backend="cuda")


def test_environment_variable_switches_numba_off(monkeypatch):
    monkeypatch.setenv("SKINFO_DISABLE_NUMBA", "1")
    assert not numba_enabled()
    codes, ctx, _ = _random_codes(7, n=100)
    np.testing.assert_array_equal(
        batch_counts(codes, ctx, 6, 5), _reference_tables(codes, ctx, 6, 5)
    )
    monkeypatch.setenv("SKINFO_DISABLE_NUMBA", "0")
    assert numba_enabled()


def test_compilation_is_cached_for_a_second_process():
    # The first process compiles (or loads) the kernels; a second one must find them
    # in numba's on-disk cache instead of compiling again.
    code = (
        "import numpy as np;"
        "from skinfo._counting import batch_counts;"
        "batch_counts(np.zeros((4, 2), np.uint8, order='F'), np.zeros(4), 1, 1);"
        "from skinfo._counting import _batch_counts_numba;"
        "print(len(_batch_counts_numba.stats.cache_hits))"
    )
    env = {k: v for k, v in os.environ.items() if k != "SKINFO_DISABLE_NUMBA"}
    run = lambda: subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    run()
    assert int(run().stdout.strip()) >= 1


# ------------------------------------------------------------------ kernel threads
def test_kernel_threads_follow_scikit_learn_openmp_default():
    import numba
    from sklearn.utils._openmp_helpers import _openmp_effective_n_threads
    from threadpoolctl import threadpool_limits

    from skinfo._counting import kernel_threads

    cores = min(_openmp_effective_n_threads(), numba.config.NUMBA_NUM_THREADS)
    assert kernel_threads() == cores  # every available core, like HistGradientBoosting
    assert kernel_threads(None) == cores
    assert kernel_threads(-1) == cores
    assert kernel_threads(1) == 1
    assert kernel_threads(10_000) == cores  # n_jobs caps, never raises the count
    with threadpool_limits(1):
        assert kernel_threads() == 1
        assert kernel_threads(-1) == 1  # a threadpoolctl limit wins over n_jobs


@pytest.mark.skipif(os.cpu_count() < 2, reason="needs two cores")
def test_kernels_run_on_every_core_by_default(monkeypatch):
    # Record the thread count the kernel is launched with (it was 1 unless n_jobs).
    import numba

    from skinfo import _counting

    _counting._kernels()
    seen = []
    original = numba.set_num_threads
    monkeypatch.setattr(
        numba, "set_num_threads", lambda n: (seen.append(n), original(n))[1]
    )
    codes, ctx, _ = _random_codes(4, n=100, d=3)
    batch_counts(codes, ctx, 6, 5, backend="numba")
    assert seen[0] == _counting.kernel_threads() >= 2
    seen.clear()
    batch_counts(codes, ctx, 6, 5, n_jobs=1, backend="numba")
    assert seen[0] == 1
    seen.clear()
    # digitize: every core on large inputs, one thread below SMALL_WORK values
    rows = _counting.SMALL_WORK // 2
    digitize(np.zeros((rows, 2)), [np.array([0.5]), np.array([])], np.uint8)
    assert seen[0] == _counting.kernel_threads()
    seen.clear()
    digitize(np.zeros((10, 2)), [np.array([0.5]), np.array([])], np.uint8)
    assert seen[0] == 1


def test_results_bit_identical_for_1_and_2_threads_and_threadpool_limits():
    from threadpoolctl import threadpool_limits

    codes, ctx, weights = _random_codes(8, n=20_000, d=9)
    X = np.random.default_rng(8).normal(size=(20_000, 5))
    edges = [np.sort(np.random.default_rng(j).normal(size=40)) for j in range(5)]
    counts, sums, bins = [], [], []
    for n_jobs in (1, 2, None):
        counts.append(batch_counts(codes, ctx, 6, 5, n_jobs=n_jobs, backend="numba"))
        sums.append(
            batch_counts(
                codes, ctx, 6, 5, sample_weight=weights, n_jobs=n_jobs, backend="numba"
            )
        )
        bins.append(digitize(X, edges, np.uint8, n_jobs=n_jobs, backend="numba"))
    with threadpool_limits(1):
        counts.append(batch_counts(codes, ctx, 6, 5, backend="numba"))
        sums.append(batch_counts(codes, ctx, 6, 5, sample_weight=weights))
        bins.append(digitize(X, edges, np.uint8, backend="numba"))
    reference = batch_counts(codes, ctx, 6, 5, sample_weight=weights, backend="numpy")
    for a in counts:
        np.testing.assert_array_equal(a, counts[0])
    for a in sums:
        np.testing.assert_array_equal(a, reference)  # bit-identical, not allclose
    for a in bins:
        np.testing.assert_array_equal(a, digitize(X, edges, np.uint8, backend="numpy"))


# ------------------------------------------------------------------- sparse kernels
def test_column_chunks_cover_every_column_once():
    from skinfo._counting import _column_chunks

    lengths = np.array([0, 3, 0, 12, 1, 1, 1, 0, 7, 2])
    indptr = np.r_[0, np.cumsum(lengths)]
    chunks = list(_column_chunks(indptr, 4))
    assert chunks[0][0] == 0 and chunks[-1][1] == lengths.size
    for (_, stop), (start, _) in itertools.pairwise(chunks):
        assert stop == start  # consecutive, no gap, no overlap
    for start, stop in chunks:
        assert stop > start
        # at most ``size`` entries, unless one column alone is longer
        assert indptr[stop] - indptr[start] <= 4 or stop == start + 1
    assert list(_column_chunks(np.zeros(1, dtype=np.int64), 4)) == []


def _sparse_example(seed):
    import scipy.sparse as sp

    rng = np.random.default_rng(seed)
    dense = np.where(rng.random((400, 9)) < 0.3, rng.integers(-2, 6, (400, 9)), 0)
    dense = dense.astype(float)
    dense[rng.random((400, 9)) < 0.02] = np.nan
    return sp.csc_array(dense)


def test_sparse_twins_give_the_same_results_in_small_chunks(monkeypatch):
    from skinfo import _counting
    from skinfo._sparse import code_sparse, sparse_batch_counts, sparse_bin_edges

    X = _sparse_example(0)
    edges = sparse_bin_edges(X, 4, "quantile")
    discrete = np.arange(9) % 2 == 0
    ctx = np.arange(400) % 7
    weights = np.random.default_rng(0).random(400)
    whole = code_sparse(X, edges, discrete=discrete, backend="numpy")
    width = int(whole.n_levels.max())
    tables = sparse_batch_counts(whole, ctx, width, 7, sample_weight=weights)
    monkeypatch.setattr(_counting, "SPARSE_CHUNK", 5)  # many chunks, some columns alone
    chunked = code_sparse(X, edges, discrete=discrete, backend="numpy")
    np.testing.assert_array_equal(chunked.codes, whole.codes)
    np.testing.assert_array_equal(chunked.zero_code, whole.zero_code)
    np.testing.assert_array_equal(chunked.n_levels, whole.n_levels)
    for w in (None, weights):
        np.testing.assert_array_equal(
            sparse_batch_counts(whole, ctx, width, 7, sample_weight=w, backend="numpy"),
            sparse_batch_counts(whole, ctx, width, 7, sample_weight=w, backend="numba"),
        )
    np.testing.assert_array_equal(
        sparse_batch_counts(
            whole, ctx, width, 7, sample_weight=weights, backend="numpy"
        ),
        tables,
    )


@pytest.mark.parametrize("averaged", [True, False])
@pytest.mark.parametrize("seed", range(6))
def test_sparse_column_cuts_equal_sorted_column_cuts(averaged, seed):
    # The kernel's per-column rule, run on one column given as its sorted non-zero
    # values and a count of zeros, against the binned layer's rule on the full column.
    from skinfo._binning import sorted_column_cuts
    from skinfo._counting import _column_quantile_cuts_py

    rng = np.random.default_rng(seed)
    method = "averaged_inverted_cdf" if averaged else "inverted_cdf"
    for _ in range(40):
        nonzero = rng.choice([-3.0, -1.0, 0.5, 1.0, 2.0, 7.0], size=rng.integers(0, 30))
        vals = np.sort(nonzero)
        n_zeros = int(rng.integers(0, 40))
        full = np.sort(np.r_[vals, np.zeros(n_zeros)])
        for k in (2, 3, 5, 9):
            out = np.empty(k)
            n = _column_quantile_cuts_py(
                vals, int(np.searchsorted(vals, 0.0)), n_zeros, k, averaged, out
            )
            np.testing.assert_array_equal(
                out[:n], sorted_column_cuts(full, None, k, method)
            )


@pytest.mark.skipif(os.cpu_count() < 2, reason="needs two cores")
def test_sparse_kernels_run_with_kernel_threads(monkeypatch):
    import numba

    from skinfo import _counting
    from skinfo._sparse import code_sparse, sparse_batch_counts, sparse_bin_edges

    _counting._kernels()
    seen = []
    original = numba.set_num_threads
    monkeypatch.setattr(
        numba, "set_num_threads", lambda n: (seen.append(n), original(n))[1]
    )
    X = _sparse_example(1)
    for n_jobs, expected in ((None, _counting.kernel_threads()), (1, 1)):
        seen.clear()
        edges = sparse_bin_edges(X, 4, "quantile", n_jobs=n_jobs, backend="numba")
        codes = code_sparse(X, edges, n_jobs=n_jobs, backend="numba")
        sparse_batch_counts(codes, np.zeros(400, int), 7, 1, n_jobs=n_jobs)
        assert seen[::2] == [expected] * 3  # set, then restored after each kernel


def test_sparse_kernels_and_their_helpers_are_cached_for_a_second_process():
    # The quantile kernel calls compiled helpers; both must load from numba's cache.
    code = (
        "import numpy as np, scipy.sparse as sp;"
        "from skinfo._sparse import code_sparse, sparse_bin_edges;"
        "X = sp.random_array((50, 4), density=0.3, rng=0, format='csc');"
        "code_sparse(X, sparse_bin_edges(X, 3, 'quantile'));"
        "from skinfo._counting import _sparse_quantile_cuts_numba as q;"
        "from skinfo._counting import _sparse_code_numba as c;"
        "print(len(q.stats.cache_hits), len(c.stats.cache_hits))"
    )
    env = {k: v for k, v in os.environ.items() if k != "SKINFO_DISABLE_NUMBA"}
    run = lambda: subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    run()
    assert [int(v) >= 1 for v in run().stdout.split()] == [True, True]


def test_column_tasks_balance_entries_not_columns():
    from skinfo._counting import column_tasks

    lengths = np.r_[np.full(10, 1000), np.ones(990, dtype=int)]  # a heavy head
    indptr = np.r_[0, np.cumsum(lengths)]
    bounds = column_tasks(indptr, 2, per_column=1)
    assert bounds[0] == 0 and bounds[-1] == lengths.size
    assert np.all(np.diff(bounds) > 0)
    work = np.diff(indptr[bounds]) + np.diff(bounds)
    assert work.max() <= 2 * work.sum() / (bounds.size - 1)  # no task is a giant
    assert bounds[bounds.size // 2] < 500  # the head is shared, not given to one
    assert column_tasks(np.zeros(1, dtype=np.int64), 2).tolist() == [0]


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
@pytest.mark.parametrize("n", [1, 255, 256, 257, 1000])  # around the row block
def test_digitize_any_layout_and_cut_counts_match_searchsorted(layout, n):
    # Columns with 0, 1, 32 (last linear scan), 33 (first binary search) and 300
    # cuts (uint16 codes), values on the cuts, signed zeros, infinities and NaN.
    rng = np.random.default_rng(n)
    base = rng.normal(size=(2 * n, 10))
    base[rng.random(base.shape) < 0.05] = np.nan
    base[rng.random(base.shape) < 0.02] = np.inf
    base[rng.random(base.shape) < 0.02] = -np.inf
    base[rng.random(base.shape) < 0.05] = -0.0
    sizes = [0, 1, 32, 33, 300, 5, 31, 2, 64, 15]
    edges = [np.unique(np.round(rng.normal(size=s), 2)) for s in sizes]
    edges[1] = np.array([0.0])
    for j, cuts in enumerate(edges):  # some values exactly on the cuts
        base[: min(cuts.size, 2 * n), j] = cuts[: 2 * n]
    X = {
        "C": np.ascontiguousarray(base[:n]),
        "F": np.asfortranarray(base[:n]),
        "strided": base[::2, ::-1],
    }[layout]
    edges = edges if layout != "strided" else edges[::-1]
    got = digitize(X, edges, np.uint16, backend="numba")
    assert got.flags.f_contiguous and got.dtype == np.uint16
    np.testing.assert_array_equal(got, digitize(X, edges, np.uint16, backend="numpy"))
    for j, cuts in enumerate(edges):
        column = X[:, j]
        expected = np.searchsorted(cuts, column, side="right")
        expected[np.isnan(column)] = cuts.size + 1
        np.testing.assert_array_equal(got[:, j], expected, err_msg=f"column {j}")
