"""The greedy step's paired counting kernels give the tables of ``batch_counts``."""

import numpy as np
import pytest

import skinfo._autostop as autostop
from skinfo._autostop import _blocks, _context_cells, _step_terms
from skinfo._binned_greedy import _binned_path
from skinfo._counting import (
    PAIR_CELLS,
    batch_counts,
    numba_enabled,
    pack_pairs,
    paired_counts,
    pairs_fit,
)
from skinfo._greedy import CRITERIA, _TableEntropy

needs_numba = pytest.mark.skipif(not numba_enabled(), reason="numba is switched off")


def _codes(seed, n, d, levels, dtype=np.uint8):
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, levels, size=(n, d)).astype(dtype)
    return np.asfortranarray(codes), rng


def _reference(codes, ctx, n_levels, n_ctx):
    """One np.add.at per column: obviously correct integer tables."""
    out = np.zeros((codes.shape[1], n_levels, n_ctx), dtype=np.int64)
    for j in range(codes.shape[1]):
        np.add.at(out[j], (codes[:, j], ctx), 1)
    return out


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.intp])
@pytest.mark.parametrize("d", [1, 2, 3, 4, 5, 8, 9])
@pytest.mark.parametrize(("levels", "n_ctx"), [(2, 1), (5, 7), (16, 32), (16, 64)])
def test_paired_counts_equal_batch_counts(dtype, d, levels, n_ctx):
    codes, rng = _codes(d, 700, d, levels, dtype)
    ctx = rng.integers(0, n_ctx, size=700)
    expected = _reference(codes, ctx, levels, n_ctx)
    got = paired_counts(codes, ctx, levels, n_ctx)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(batch_counts(codes, ctx, levels, n_ctx), expected)
    packed = pack_pairs(codes, levels)
    got = paired_counts(codes, ctx, levels, n_ctx, packed=packed)
    np.testing.assert_array_equal(got, expected)


@needs_numba
@pytest.mark.parametrize("n_jobs", [1, 2, None])
def test_paired_counts_identical_for_any_thread_count(n_jobs):
    codes, rng = _codes(1, 5000, 13, 16)
    ctx = rng.integers(0, 32, size=5000)
    expected = _reference(codes, ctx, 16, 32)
    packed = pack_pairs(codes, 16, n_jobs=n_jobs)
    for pk in (None, packed):
        got = paired_counts(codes, ctx, 16, 32, packed=pk, n_jobs=n_jobs)
        np.testing.assert_array_equal(got, expected)


def test_pack_pairs_codes_two_columns_per_byte():
    codes, _ = _codes(2, 300, 7, 11)
    packed = pack_pairs(codes, 11)
    assert packed.dtype == np.uint8 and packed.shape == (300, 3)
    assert packed.flags.f_contiguous
    expected = codes[:, 0:6:2].astype(np.int64) * 11 + codes[:, 1:6:2]
    np.testing.assert_array_equal(packed, expected)
    with pytest.raises(ValueError, match="width"):
        pack_pairs(codes, 17)


def test_pack_pairs_numpy_fallback(monkeypatch):
    codes, _ = _codes(3, 200, 6, 16)
    compiled = pack_pairs(codes, 16)
    monkeypatch.setenv("SKINFO_DISABLE_NUMBA", "1")
    np.testing.assert_array_equal(pack_pairs(codes, 16), compiled)
    assert not pairs_fit(16, 2, 200)  # the paired kernels need numba


@needs_numba
def test_pairs_fit_bounds_the_joint_table():
    assert pairs_fit(16, PAIR_CELLS // 256, 10)
    assert not pairs_fit(16, PAIR_CELLS // 256 + 1, 10)
    assert not pairs_fit(2, 2, 2**31)  # int32 cells could overflow


def _path(codes, n_levels, y, criterion, method, n_jobs=None, weights=None):
    return _binned_path(
        codes,
        n_levels,
        y,
        int(y.max()) + 1,
        weights,
        criterion,
        1.0,
        method,
        max_k=6,
        n_jobs=n_jobs,
    )


def _assert_same_state(a, b):
    assert a["ranking"] == b["ranking"]
    assert a["scores"] == b["scores"]  # bit for bit
    np.testing.assert_array_equal(np.asarray(a["gains"]), np.asarray(b["gains"]))
    for key in a["acc"]:
        np.testing.assert_array_equal(a["acc"][key], b["acc"][key])


@needs_numba
@pytest.mark.parametrize("criterion", [c for c in CRITERIA if c != "mim"])
@pytest.mark.parametrize("method", ["plugin", "miller_madow", "grassberger"])
def test_path_bit_identical_to_single_column_counting(monkeypatch, criterion, method):
    codes, rng = _codes(4, 3000, 11, 9)
    codes[:, 3] = codes[:, 0]  # a redundant copy
    y = ((codes[:, 0] + codes[:, 1] + rng.integers(0, 4, 3000)) % 3).astype(np.intp)
    n_levels = np.full(11, 9)
    new = _path(codes, n_levels, y, criterion, method)
    with monkeypatch.context() as m:
        m.setattr(autostop, "pairs_fit", lambda *args: False)
        old = _path(codes, n_levels, y, criterion, method)
    _assert_same_state(new, old)
    _assert_same_state(_path(codes, n_levels, y, criterion, method, n_jobs=1), new)


@needs_numba
def test_path_with_mixed_widths_bit_identical(monkeypatch):
    # three width groups: narrow (packed), 17-32 levels and wide (single columns)
    codes, rng = _codes(5, 4000, 9, 6, np.uint16)
    codes[:, 4] = rng.integers(0, 20, 4000)
    codes[:, 7] = rng.integers(0, 40, 4000)
    n_levels = np.array([6, 6, 6, 6, 20, 6, 6, 40, 6])
    y = (codes[:, 0] % 2 + (codes[:, 4] > 9)).astype(np.intp)
    new = _path(codes, n_levels, y, "jmi", "plugin")
    with monkeypatch.context() as m:
        m.setattr(autostop, "pairs_fit", lambda *args: False)
        old = _path(codes, n_levels, y, "jmi", "plugin")
    _assert_same_state(new, old)


@needs_numba
def test_weighted_path_keeps_single_column_kernel(monkeypatch):
    codes, rng = _codes(6, 2000, 6, 5)
    y = (codes[:, 0] > 2).astype(np.intp)
    w = rng.random(2000)
    calls = []
    original = autostop.paired_counts
    monkeypatch.setattr(
        autostop, "paired_counts", lambda *a, **k: calls.append(1) or original(*a, **k)
    )
    _path(codes, np.full(6, 5), y, "jmi", "plugin", weights=w)
    assert not calls  # weighted sums keep their row order: batch_counts
    _path(codes, np.full(6, 5), y, "jmi", "plugin")
    assert calls


@needs_numba
def test_blocks_pack_codes_from_the_second_step_on():
    codes, rng = _codes(7, 1000, 7, 16)
    y = rng.integers(0, 2, 1000)
    blocks = _blocks(codes, np.full(7, 16))
    entropy = _TableEntropy("plugin", 1000.0, True)

    def step(s):
        return _step_terms(blocks, codes[:, s], 16, y, 2, None, entropy, None)

    first = step(0)
    assert blocks.packed == {}  # one step does not pay for a copy
    second = step(0)
    np.testing.assert_array_equal(blocks.packed[0], pack_pairs(codes, 16))
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)
    # the packed codes are reused: same object at the next step
    packed = blocks.packed[0]
    step(1)
    assert blocks.packed[0] is packed


def test_context_cells_unchanged_by_pairs():
    # the step's own context entropies do not go through the table kernels
    ctx = np.array([0, 1, 1, 3, 3, 3])
    cells, counts = _context_cells(ctx, 2, 2, None)
    np.testing.assert_array_equal(cells, [0, 1, 3])
    np.testing.assert_array_equal(counts, [1, 2, 3])


# ----------------------------------------------------------- observed-cell kernel
def _cells_reference(codes, ctx, n_ctx, n_y, weights, method):
    """The numpy path: one _sparse_cells and entropy_from_counts per column."""
    from skinfo._autostop import _sparse_cells
    from skinfo._info import entropy_from_counts

    out = np.zeros((2, codes.shape[1]))
    for k in range(codes.shape[1]):
        c_ks, c_ksy = _sparse_cells(codes[:, k], ctx, n_ctx, n_y, weights)[:2]
        out[0, k] = entropy_from_counts(c_ks, method=method)
        out[1, k] = entropy_from_counts(c_ksy, method=method)
    return out


def _many_levels(seed, n=3000, m=5, levels=700, strata=300, n_y=3, skew=False):
    rng = np.random.default_rng(seed)
    if skew:  # heavy repeats of a few levels, as TF-IDF values have
        raw = np.floor(rng.pareto(2.0, (n, m)) * levels / 4) % levels
    else:
        raw = rng.integers(0, levels, (n, m))
    codes = np.asfortranarray(raw.astype(np.uint16))
    s = rng.integers(0, strata, n)
    y = rng.integers(0, n_y, n)
    return codes, s * n_y + y, strata * n_y, rng


@needs_numba
@pytest.mark.parametrize("method", ["plugin", "miller_madow", "grassberger"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("skew", [False, True])
def test_cell_entropies_match_numpy_cells(method, weighted, skew):
    codes, ctx, n_ctx, rng = _many_levels(8, skew=skew)
    weights = rng.random(codes.shape[0]) if weighted else None
    total = codes.shape[0] if weights is None else float(weights.sum())
    entropy = _TableEntropy(method, float(total), weights is None)
    if not autostop._compiled_cells(entropy, weights):
        assert method == "grassberger" and weighted  # digamma of weights: numpy
        return
    got = autostop._cell_entropies(codes, ctx, n_ctx, 3, weights, entropy, None)
    expected = _cells_reference(codes, ctx, n_ctx, 3, weights, method)
    np.testing.assert_allclose(got, expected, rtol=1e-13, atol=0)


@needs_numba
def test_cell_terms_count_cells_and_plugin_terms_by_hand():
    from skinfo._counting import cell_terms

    # column (x) and context (s, y), n_y = 2: rows (0,0,0) (0,0,0) (1,0,1) (1,1,0)
    codes = np.array([[0], [0], [1], [1]], dtype=np.uint8)
    ctx = np.array([0, 0, 1, 2])
    terms, cells, total = cell_terms(codes, ctx, 4, 2)
    log4 = np.log(4.0)
    # (x, s) cells: (0,0): 2, (1,0): 1, (1,1): 1; (x, s, y) cells: the same three
    expected = 2 * (log4 - np.log(2.0)) + 2 * log4
    np.testing.assert_allclose(terms, [[expected], [expected]], rtol=1e-15)
    np.testing.assert_array_equal(cells, [[3], [3]])
    np.testing.assert_array_equal(total, [4.0])
    lut = np.r_[0.0, [c * (log4 - np.log(c)) for c in range(1, 5)]]
    terms_lut, cells_lut, _ = cell_terms(codes, ctx, 4, 2, lut=lut)
    np.testing.assert_allclose(terms_lut, terms, rtol=1e-15)
    np.testing.assert_array_equal(cells_lut, cells)


@needs_numba
@pytest.mark.parametrize("weighted", [False, True])
def test_cell_terms_identical_for_any_thread_count(weighted):
    from skinfo._counting import cell_terms

    codes, ctx, n_ctx, rng = _many_levels(9, m=9, skew=True)
    w = rng.random(codes.shape[0]) if weighted else None
    lut = None if weighted else _TableEntropy("plugin", 3000.0, True).plugin_lut
    base = cell_terms(codes, ctx, n_ctx, 3, sample_weight=w, lut=lut, n_jobs=1)
    for n_jobs in (2, None):
        got = cell_terms(codes, ctx, n_ctx, 3, sample_weight=w, lut=lut, n_jobs=n_jobs)
        for a, b in zip(got, base, strict=True):
            np.testing.assert_array_equal(a, b)


@needs_numba
@pytest.mark.parametrize("method", ["plugin", "miller_madow", "grassberger"])
def test_many_level_path_matches_numpy_cells(monkeypatch, method):
    # discrete columns with hundreds of levels: steps against a many-level column
    # take the observed-cell route; the compiled kernel and the numpy one agree
    codes, _, _, _ = _many_levels(10, n=2000, m=8, levels=500, skew=True)
    y = (codes[:, 0] % 3 == 0).astype(np.intp) + (codes[:, 1] % 2 == 0)
    n_levels = codes.max(axis=0).astype(np.intp) + 1
    calls = []
    original = autostop.cell_terms
    with monkeypatch.context() as m:
        m.setattr(
            autostop, "cell_terms", lambda *a, **k: calls.append(1) or original(*a, **k)
        )
        new = _path(codes, n_levels, y, "jmi", method)
    assert calls  # the compiled route was taken
    with monkeypatch.context() as m:
        m.setattr(autostop, "_compiled_cells", lambda *args: False)
        old = _path(codes, n_levels, y, "jmi", method)
    assert new["ranking"] == old["ranking"]
    np.testing.assert_allclose(new["scores"], old["scores"], rtol=1e-12, atol=1e-14)
    for key in ("red_sum", "cond_sum", "jmi_sum"):
        np.testing.assert_allclose(
            new["acc"][key], old["acc"][key], rtol=1e-12, atol=1e-13
        )


@needs_numba
def test_cell_terms_of_a_huge_context_space_use_observed_codes_only():
    from skinfo._counting import cell_terms

    codes, ctx, n_ctx, _ = _many_levels(11, n=500, m=3)
    # the same context cells spread over 10**12 codes (a dense vector: 8 TB)
    scale = 10**12 // n_ctx
    wide = (ctx // 3) * scale * 3 + ctx % 3
    got = cell_terms(codes, wide, n_ctx * scale, 3)
    expected = cell_terms(codes, ctx, n_ctx, 3)
    for a, b in zip(got, expected, strict=True):
        np.testing.assert_array_equal(a, b)


def test_context_groups_list_rows_by_observed_context():
    from skinfo._counting import context_groups

    ctx = np.array([5, 0, 5, 3, 0, 4])  # n_y = 2: strata s = 0 (0), 1 (3), 2 (4, 5)
    order, bounds, strata = context_groups(ctx, 6, 2)
    np.testing.assert_array_equal(order, [1, 4, 3, 5, 0, 2])  # stable within codes
    np.testing.assert_array_equal(bounds, [0, 2, 3, 4, 6])  # codes 0, 3, 4, 5
    np.testing.assert_array_equal(strata, [0, 1, 2, 4])
    # a huge code space gives the same groups (no dense vector of n_ctx)
    wide = context_groups(ctx // 2 * 2 * 10**9 + ctx % 2, 6 * 10**9, 2)
    for a, b in zip(wide, (order, bounds, strata), strict=True):
        np.testing.assert_array_equal(a, b)


def test_compiled_cells_route_from_one_cell_per_sample():
    from skinfo._autostop import _mostly_empty
    from skinfo._greedy import SPARSE_MIN_CELLS

    n = SPARSE_MIN_CELLS  # above the floor of always-dense tables
    assert not _mostly_empty(2 * n, n)  # numpy cells: from 4 cells per sample
    assert _mostly_empty(2 * n, n, per_sample=1)  # compiled cells: from 1


@needs_numba
@pytest.mark.parametrize("weighted", [False, True])
def test_sparse_and_dense_many_level_fits_stay_identical(monkeypatch, weighted):
    # both layouts count many-level columns with the same compiled kernel
    import scipy.sparse as sp

    from skinfo import MIFeatureSelector

    monkeypatch.setattr(autostop, "SPARSE_MIN_CELLS", 64)  # observed cells early
    rng = np.random.default_rng(12)
    n, d = 400, 6
    X = rng.integers(0, 60, (n, d)) * (rng.random((n, d)) < 0.5)
    y = (X[:, 0] > 20).astype(int) + (X[:, 1] % 2)
    w = rng.random(n) if weighted else None
    calls = []
    original = autostop.cell_terms
    monkeypatch.setattr(
        autostop, "cell_terms", lambda *a, **k: calls.append(1) or original(*a, **k)
    )
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        kw = {"criterion": "jmi", "discrete_features": True}
        dense = MIFeatureSelector(4, **kw).fit(X.astype(float), y, sample_weight=w)
        n_dense = len(calls)
        sparse = MIFeatureSelector(4, **kw).fit(
            sp.csc_array(X.astype(float)), y, sample_weight=w
        )
    assert n_dense and len(calls) > n_dense  # both took the compiled route
    np.testing.assert_array_equal(sparse.ranking_, dense.ranking_)
    for name in ("scores_", "gains_", "relevance_"):
        if weighted:  # the sparse dense-table kernel fills zero cells by subtraction
            np.testing.assert_allclose(
                getattr(sparse, name), getattr(dense, name), rtol=1e-12
            )
        else:
            np.testing.assert_array_equal(getattr(sparse, name), getattr(dense, name))


@needs_numba
def test_cell_terms_reject_a_short_lookup_table():
    from skinfo._counting import cell_terms

    codes = np.zeros((5, 1), dtype=np.uint8)
    with pytest.raises(ValueError, match="lut must have at least"):
        cell_terms(codes, np.zeros(5, dtype=np.intp), 1, 1, lut=np.zeros(5))
