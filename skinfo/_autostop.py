"""Tests of independence behind ``n_features_to_select="auto"``, and their tables.

With ``"auto"`` the selector walks its greedy path and keeps a candidate while a test
rejects its independence of the target given the features already chosen: Pearson's
chi-squared test, the mean-score (van der Waerden) trend test for ordered features,
both summed over strata of the chosen features, with Holm's correction and a patience
rule (:func:`_walk_tests`). The conditional tables these tests and the path's
conditional terms need are counted here too, densely or from sparse cells within
:data:`~skinfo._greedy.TABLE_BUDGET`. The module is apart from the estimator so that
the statistics can be read, and tested, on their own.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.special import ndtri
from scipy.stats import chi2

from skinfo._binning import encode_rows, smallest_uint
from skinfo._counting import (
    batch_counts,
    cell_terms,
    context_groups,
    numba_enabled,
    pack_pairs,
    paired_counts,
    pairs_fit,
)
from skinfo._greedy import (
    COMPILED_CELLS_PER_SAMPLE,
    MIN_STRATUM,
    PATIENCE,
    SHARED_WIDTH,
    SMALL_KERNEL,
    SPARSE_CELLS_PER_SAMPLE,
    SPARSE_MIN_CELLS,
    TABLE_BUDGET,
    TREND_WEIGHT,
    _sum_last,
)
from skinfo._info import entropy_from_counts
from skinfo._sparse import SparseCodes, sparse_batch_counts

__all__ = [
    "_Blocks",
    "_CodeColumns",
    "_SortedSparseCodes",
    "_blocks",
    "_chi2_pvalue",
    "_code_range",
    "_context_cells",
    "_context_terms",
    "_independence_pvalues",
    "_mean_score_test",
    "_mostly_empty",
    "_normal_scores",
    "_pearson_dense",
    "_pvalue_given",
    "_read_columns",
    "_score_parts",
    "_select_columns",
    "_small_stratum_factor",
    "_sparse_cells",
    "_sparse_pearson",
    "_sparse_tables",
    "_step_terms",
    "_strata",
    "_walk_tests",
    "_width_groups",
]


def _chi2_pvalue(stat: NDArray, df: NDArray) -> NDArray:
    """Upper-tail chi-square p-value of ``stat``; 1 where there is no freedom."""
    with np.errstate(invalid="ignore"):
        p = chi2.sf(stat, np.maximum(df, 1))
    return np.where(df > 0, p, 1.0)


def _pearson_dense(table: NDArray, t_ks: NDArray, t_sy: NDArray) -> NDArray:
    """Pearson's ``X^2`` of ``X_k`` against ``Y`` within strata ``S``, per column.

    ``table`` holds the ``(k, x, s, y)`` counts, ``t_ks`` its sum over ``y`` and
    ``t_sy`` the ``(s, y)`` counts of the context. Expected counts are
    ``n(x,s) n(s,y) / n(s)``; cells whose expectation is 0 take no part. Each
    stratum's statistic is multiplied by ``(n(s) - 1) / n(s)`` (see
    :func:`_small_stratum_factor`).
    """
    n_s = t_sy.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = t_ks[..., None] * np.where(n_s > 0, t_sy / n_s, 0.0)
        terms = np.where(expected > 0, (table - expected) ** 2 / expected, 0.0)
    per_stratum = terms.sum(axis=(1, 3))  # (k, s)
    return per_stratum @ _small_stratum_factor(n_s[:, 0])


def _small_stratum_factor(n_s: NDArray) -> NDArray:
    """``(n - 1) / n`` per stratum (0 below 1): the "N - 1" chi-square.

    With both margins of a stratum fixed, Pearson's ``X^2`` has mean
    ``(r - 1)(c - 1) n / (n - 1)`` under independence, not the degrees of
    freedom: a stratum of two samples with two levels of each variable always
    gives ``X^2 = 2`` on one degree of freedom. Fine strata (``"auto"`` conditions
    on every selected feature at once) would add that bias up into false
    significance; the factor makes each stratum's mean exact (E. Pearson 1947,
    I. Campbell 2007).
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n_s > 1, (n_s - 1) / n_s, 0.0)


def _width_groups(n_levels: NDArray) -> list[tuple[NDArray, int]]:
    """Columns grouped by table width, and each group's widest column.

    A wide discrete column then cannot widen every candidate's table.
    """
    width = np.where(
        n_levels <= SHARED_WIDTH,
        SHARED_WIDTH,
        1 << np.ceil(np.log2(np.maximum(n_levels, 1))).astype(np.int64),
    )
    keys = np.unique(width)
    if keys.size <= 1:
        return [(np.arange(n_levels.size), int(n_levels.max(initial=1)))]
    out = []
    for key in keys:
        cols = np.flatnonzero(width == key)
        out.append((cols, int(n_levels[cols].max())))
    return out


class _Blocks(list):
    """The blocks of :func:`_blocks`, with a cache of their pair-packed codes.

    A greedy path counts the same columns at every step: from its second step on,
    :func:`_context_terms` reads the codes of narrow dense blocks packed two to a
    byte (:func:`~skinfo._counting.pack_pairs`, half a copy of the codes, made
    once), which halves the bytes each step reads.
    """

    def __init__(self, items=()):
        super().__init__(items)
        self.steps = 0
        self.packed: dict[int, NDArray] = {}


#: Widest dense block whose codes are packed two to a byte for the greedy steps.
PACK_WIDTH = 16

#: Codes of sparse columns read densely at a time by the observed-cell kernel.
CELL_CHUNK = 1 << 21


def _blocks(codes, n_levels: NDArray) -> list[tuple[NDArray, object, int, int]]:
    """Group columns by table width: ``(columns, codes, width, route_width)``.

    ``route_width`` is the width of the column's group in the dense layout, which
    decides whether its tables are counted densely or from observed cells only
    (:func:`_context_terms`), the same way for dense and sparse codes. Dense codes:
    the common case (all columns narrow) is one block and no copy; the list is a
    :class:`_Blocks`. Sparse codes (:class:`_SortedSparseCodes`): one block per
    group and number of levels, each a view of consecutive columns, so a table is
    no wider than its columns.
    """
    if isinstance(codes, _SortedSparseCodes):
        return codes.blocks
    groups = _width_groups(n_levels)
    if len(groups) == 1:
        return _Blocks([(groups[0][0], codes, groups[0][1], groups[0][1])])
    out = _Blocks()
    for cols, top in groups:
        # each block in its own smallest dtype: one wide column must not make every
        # narrow column's copy (and its kernel pass) four times larger
        block = codes[:, cols].astype(smallest_uint(top), order="F")
        out.append((cols, block, top, top))
    return out


def _read_columns(self, key):
    """Read ``codes[:, cols]`` of an object with ``shape`` and ``column(j)``.

    Dense codes of the columns; an int gives one 1-D column.
    """
    rows, cols = key
    if not (isinstance(rows, slice) and rows == slice(None)):
        raise IndexError("only whole columns of sparse codes can be read")
    if isinstance(cols, slice):
        cols = range(*cols.indices(self.shape[1]))
    elif np.ndim(cols) == 0:
        return self.column(int(cols))
    cols = np.asarray(cols, dtype=np.intp).ravel()
    out = np.empty((self.shape[0], cols.size), dtype=np.intp, order="F")
    for i, j in enumerate(cols):
        out[:, i] = self.column(int(j))
    return out


class _CodeColumns:
    """Some columns of sorted sparse codes, read by position (``codes[:, i]``).

    Holds a copy of the columns when they are few, else reads them from the
    full codes (the selection of every feature by MIM must not copy them all).
    """

    def __init__(self, codes, columns: NDArray):
        columns = np.asarray(columns, dtype=np.intp)
        positions = codes.position[columns]
        stored = np.diff(codes.codes.indptr)
        if 2 * stored[positions].sum() < stored.sum():
            self.codes, self.position = _select_columns(codes.codes, positions), None
        else:
            self.codes, self.position = codes.codes, positions
        self.shape = (codes.shape[0], columns.size)

    def column(self, j: int) -> NDArray[np.intp]:
        """Dense codes of the ``j``-th column."""
        return self.codes.column(int(j if self.position is None else self.position[j]))

    __getitem__ = _read_columns


def _code_range(codes: SparseCodes, start: int, stop: int) -> SparseCodes:
    """Return the columns ``start:stop`` of sparse codes, as views (no copy)."""
    lo, hi = int(codes.indptr[start]), int(codes.indptr[stop])
    return SparseCodes(
        indptr=codes.indptr[start : stop + 1] - lo,
        rows=codes.rows[lo:hi],
        codes=codes.codes[lo:hi],
        zero_code=codes.zero_code[start:stop],
        n_levels=codes.n_levels[start:stop],
        n_rows=codes.n_rows,
    )


def _select_columns(codes: SparseCodes, columns: NDArray) -> SparseCodes:
    """:meth:`SparseCodes.select` by scipy's compiled column indexing."""
    columns = np.asarray(columns, dtype=np.intp)
    matrix = sp.csc_array(
        (codes.codes, codes.rows, codes.indptr), shape=codes.shape, copy=False
    )[:, columns]
    return SparseCodes(
        indptr=matrix.indptr.astype(np.int64, copy=False),
        rows=matrix.indices.astype(np.intp, copy=False),
        codes=matrix.data,
        zero_code=codes.zero_code[columns],
        n_levels=codes.n_levels[columns],
        n_rows=codes.n_rows,
    )


class _SortedSparseCodes:
    """Sparse codes with their columns grouped by number of levels.

    The greedy path counts the tables of every candidate in blocks of columns that
    share a table width; for sparse codes a block must be consecutive columns, so
    the columns are stored once in the order of :func:`_width_groups` and, within a
    group, of their number of levels. Indexing by the original column numbers
    gives dense codes of a few columns (``codes[:, j]`` or ``codes[:, [j, k]]``),
    which is all that the tests of ``"auto"`` and the p-values read.
    """

    def __init__(self, codes: SparseCodes, n_levels: NDArray):
        n_levels = np.asarray(n_levels, dtype=np.intp)
        groups = _width_groups(n_levels)
        parts = [cols[np.argsort(n_levels[cols], kind="stable")] for cols, _ in groups]
        order = np.concatenate(parts) if parts else np.zeros(0, dtype=np.intp)
        identity = np.array_equal(order, np.arange(order.size))
        self.codes = codes if identity else _select_columns(codes, order)
        self.position = np.empty(order.size, dtype=np.intp)
        self.position[order] = np.arange(order.size)
        self.shape = codes.shape
        self.blocks = []
        start = 0
        for part, (_, top) in zip(parts, groups, strict=True):
            levels = n_levels[part]
            cuts = np.flatnonzero(np.diff(levels)) + 1
            for a, b in zip(np.r_[0, cuts], np.r_[cuts, levels.size], strict=True):
                view = _code_range(self.codes, start + a, start + b)
                self.blocks.append((part[a:b], view, int(levels[a]), top))
            start += part.size

    def column(self, j: int) -> NDArray[np.intp]:
        """Dense codes of column ``j``."""
        return self.codes.column(int(self.position[j]))

    __getitem__ = _read_columns


def _context_cells(ctx, n_s, n_y, weights) -> tuple[NDArray, NDArray]:
    """Sorted codes of the observed cells of ``ctx = s * n_y + y``, and their counts.

    Never builds a dense ``n_s * n_y`` table when that would be large.
    """
    n_ctx = n_s * n_y
    if n_ctx <= max(TABLE_BUDGET, ctx.size):
        counts = np.bincount(ctx, weights=weights, minlength=n_ctx)
        cells = np.flatnonzero(counts)
        return cells, counts[cells]
    cells, inverse = np.unique(ctx, return_inverse=True)
    counts = np.bincount(inverse.ravel(), weights=weights)
    keep = counts > 0
    return cells[keep], counts[keep]


def _mostly_empty(cells: int, n_samples: int, per_sample=None) -> bool:
    """Whether a column's table should be counted from its observed cells only.

    A table of more than :data:`TABLE_BUDGET` cells, or of many more cells than
    samples (at most ``n_samples`` of them observed; ``per_sample`` cells per
    sample, by default :data:`SPARSE_CELLS_PER_SAMPLE`): many-level discrete
    columns against a many-level context, where filling and summing the dense
    table costs far more than counting the samples' cells.
    """
    if per_sample is None:
        per_sample = SPARSE_CELLS_PER_SAMPLE
    return cells > TABLE_BUDGET or cells > max(per_sample * n_samples, SPARSE_MIN_CELLS)


def _context_terms(blocks, ctx, n_s, n_y, weights, entropy, n_jobs, cells, pack=False):
    """Entropies of every column jointly with a context ``(S, Y)``.

    ``ctx = s * n_y + y`` codes the context; ``cells`` is its
    :func:`_context_cells`. Returns, per column ``k``, ``H(X_k,S)`` and
    ``H(X_k,S,Y)`` for ``method`` (with ``n_s = 1``: ``H(X_k)`` and ``H(X_k, Y)``).
    No test statistic is computed here: the greedy path needs none, and the tests
    of ``"auto"`` (:func:`_independence_pvalues`) only concern the chosen features.
    Unweighted dense tables are counted two columns at a time
    (:func:`~skinfo._counting.paired_counts`, the same integer counts); ``pack``
    (a greedy step) lets a :class:`_Blocks` pack its codes from its second step on.
    """
    n_features = sum(cols.size for cols, _, _, _ in blocks)
    if ctx.size * n_features < SMALL_KERNEL:  # thread start-up would dominate
        n_jobs = 1
    n_ctx = n_s * n_y
    out = np.zeros((2, n_features))  # h_ks, h_ksy
    cache = blocks if isinstance(blocks, _Blocks) else None
    if pack and cache is not None:
        cache.steps += 1
    groups = None  # the rows by context, shared by the blocks of observed cells
    compiled = _compiled_cells(entropy, weights)
    for index, (cols, block, width, route) in enumerate(blocks):
        sparse = isinstance(block, SparseCodes)
        per_sample = COMPILED_CELLS_PER_SAMPLE if compiled else None
        if _mostly_empty(route * n_ctx, ctx.size, per_sample):  # observed cells
            if compiled:
                if groups is None:
                    groups = context_groups(ctx, n_ctx, n_y)
                # sparse columns are read densely a few at a time (about 16 MB)
                step = max(1, CELL_CHUNK // max(ctx.size, 1)) if sparse else cols.size
                for start in range(0, cols.size, step):
                    stop = min(cols.size, start + step)
                    if sparse:
                        part = np.empty((ctx.size, stop - start), np.intp, order="F")
                        for i in range(start, stop):
                            part[:, i - start] = block.column(i)
                    else:
                        part = block[:, start:stop]
                    out[:, cols[start:stop]] = _cell_entropies(
                        part, ctx, n_ctx, n_y, weights, entropy, n_jobs, groups
                    )
                continue
            for i, j in enumerate(cols):
                column = block.column(i) if sparse else block[:, i]
                c_ks, c_ksy = _sparse_cells(column, ctx, n_ctx, n_y, weights)[:2]
                out[:, j] = [
                    entropy_from_counts(c_ks, method=entropy.method),
                    entropy_from_counts(c_ksy, method=entropy.method),
                ]
            continue
        pairs = not sparse and weights is None and pairs_fit(width, n_ctx, ctx.size)
        packed = None
        if pairs and cache is not None and pack and width <= PACK_WIDTH:
            packed = cache.packed.get(index)
            if packed is None and cache.steps >= 2:
                packed = cache.packed[index] = pack_pairs(block, width, n_jobs=n_jobs)
        step = max(1, TABLE_BUDGET // (width * n_ctx))
        if pairs and step > 1:
            step -= step % 2  # chunks start on a pair of columns
        for start in range(0, cols.size, step):
            stop = min(cols.size, start + step)
            if sparse:
                part = _code_range(block, start, stop)
                # threads pay off over many stored entries only (not n * columns)
                threads = n_jobs if part.indptr[-1] >= SMALL_KERNEL else 1
                table = _sparse_tables(part, ctx, width, n_ctx, weights, threads)
            elif pairs:
                half = None if packed is None else packed[:, start // 2 : stop // 2]
                table = paired_counts(
                    block[:, start:stop], ctx, width, n_ctx, packed=half, n_jobs=n_jobs
                )
            else:
                table = batch_counts(
                    block[:, start:stop],
                    ctx,
                    width,
                    n_ctx,
                    sample_weight=weights,
                    n_jobs=n_jobs,
                )
            table = table.reshape(stop - start, width, n_s, n_y)
            out[:, cols[start:stop]] = [entropy(_sum_last(table)), entropy(table)]
    return out


def _compiled_cells(entropy, weights) -> bool:
    """Whether :func:`_cell_entropies` serves this estimator and these weights.

    Grassberger's terms of non-integer counts (weights, or more samples than the
    lookup table holds) need the digamma function, which the kernel lacks.
    """
    if not numba_enabled():
        return False
    if entropy.method in ("plugin", "miller_madow"):
        return True
    return (
        entropy.method == "grassberger"
        and weights is None
        and getattr(entropy, "method_lut", None) is not None
    )


def _cell_entropies(
    codes, ctx, n_ctx, n_y, weights, entropy, n_jobs, groups=None
) -> NDArray:
    """``H(X_k, S)`` and ``H(X_k, S, Y)`` of every column, from its observed cells.

    The compiled :func:`~skinfo._counting.cell_terms`; the same terms as
    :func:`_sparse_cells` and :func:`~skinfo._info.entropy_from_counts` give,
    summed in another order (equal within round-off, about 1e-16 relative).
    Unweighted counts use the lookup tables of ``entropy`` (a
    :class:`~skinfo._greedy._TableEntropy`).
    """
    method = entropy.method
    lut = None
    if weights is None:
        lut = getattr(entropy, "method_lut", None)
        if lut is None:
            lut = getattr(entropy, "plugin_lut", None)
    terms, cells, total = cell_terms(
        codes,
        ctx,
        n_ctx,
        n_y,
        sample_weight=weights,
        lut=lut,
        groups=groups,
        n_jobs=n_jobs,
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "grassberger":
            h = np.log(total) - terms / total
        else:
            h = terms / total
            if method == "miller_madow":
                h += (cells - 1) / (2 * total)
    return np.where(total > 0, h, 0.0)


def _sparse_tables(codes, ctx, width, n_ctx, weights, n_jobs) -> NDArray:
    """:func:`~skinfo._sparse.sparse_batch_counts`, weighted round-off removed.

    A weighted zero cell is the context's total minus the stored entries' sums, so
    it can be a round-off residue where the dense count is exactly 0: cells within
    a relative ``1e-10`` of the context's total become 0 (a residue must not count
    as an observed cell, for Miller-Madow's correction).
    """
    table = sparse_batch_counts(
        codes, ctx, width, n_ctx, sample_weight=weights, n_jobs=n_jobs
    )
    if weights is not None:
        context = np.bincount(ctx, weights=weights, minlength=n_ctx)
        rows = np.arange(table.shape[0])
        zero = table[rows, codes.zero_code, :]
        zero[zero <= 1e-10 * context] = 0.0
        table[rows, codes.zero_code, :] = zero
    return table


def _sparse_cells(column, ctx, n_ctx, n_y, weights):
    """Observed ``(x, s, y)`` cells of one column against a context, with counts.

    Returns the ``(x, s)`` counts, the ``(x, s, y)`` counts, the cell codes
    ``x * n_ctx + ctx`` and, per cell, the index of its ``(x, s)`` pair.
    """
    ksy = column.astype(np.int64) * n_ctx + ctx
    if weights is None:
        uniq, c_ksy = np.unique(ksy, return_counts=True)
        c_ksy = c_ksy.astype(np.float64)
    else:
        # a stable sort keeps each cell's rows in their order, so the sums below
        # add the same weights in the same order as a bincount would
        order = np.argsort(ksy, kind="stable")
        ksy = ksy[order]
        starts = np.flatnonzero(np.r_[True, ksy[1:] != ksy[:-1]])
        uniq = ksy[starts]
        c_ksy = np.add.reduceat(weights[order], starts) if starts.size else ksy[:0]
        keep = c_ksy > 0
        uniq, c_ksy = uniq[keep], c_ksy[keep].astype(np.float64)
    # the cells are sorted, so are their (x, s) pairs: groups without a sort
    ks_all = uniq // n_y
    new = np.r_[True, ks_all[1:] != ks_all[:-1]] if uniq.size else uniq.astype(bool)
    starts = np.flatnonzero(new)
    ks = ks_all[starts]
    ks_of_cell = np.cumsum(new, dtype=np.intp) - 1
    c_ks = np.add.reduceat(c_ksy, starts) if starts.size else c_ksy[:0]
    return c_ks, c_ksy, uniq, ks, ks_of_cell


# ------------------------------------------------------------------ tests of "auto"
def _sparse_pearson(column, ctx, n_s, n_y, weights, cells, y_per_stratum):
    """Pearson's ``X^2`` and df of one column against ``Y`` within strata ``S``.

    From the observed combinations only (the dense table could be huge).
    """
    n_ctx = n_s * n_y
    c_ks, c_ksy, uniq, ks, ks_of_cell = _sparse_cells(column, ctx, n_ctx, n_y, weights)
    # X^2 = sum over all cells of (n - e)^2 / e = sum of n^2 / e - N, where only
    # observed cells have n > 0. The ratios are formed pairwise so that no product
    # of two weighted counts can overflow or underflow.
    ctx_cells, ctx_counts = cells
    c_sy = ctx_counts[np.searchsorted(ctx_cells, uniq % n_ctx)]
    n_z = np.bincount(ctx_cells // n_y, weights=ctx_counts, minlength=n_s)
    stratum = ks[ks_of_cell] % n_s
    ratio = (c_ksy / c_ks[ks_of_cell]) * (c_ksy / c_sy) * n_z[stratum]
    per_stratum = np.bincount(stratum, weights=ratio, minlength=n_s) - n_z
    stat = max(0.0, float(per_stratum @ _small_stratum_factor(n_z)))
    x_per_stratum = np.maximum(np.bincount(ks % n_s, minlength=n_s) - 1, 0)
    return stat, float(x_per_stratum @ y_per_stratum)


def _normal_scores(x: NDArray, weights: NDArray | None) -> NDArray[np.float64]:
    """Van der Waerden scores of ``x``: ``Phi^-1(midrank / (N + 1))``.

    Weighted mid-ranks count an integer weight as repeated rows. With these scores
    the mean-score test is as efficient as the t-test on normal data and never
    much less efficient elsewhere (Chernoff and Savage 1958), where mid-ranks
    lose about 5% on normal data.
    """
    order = np.argsort(x, kind="stable")
    xs = x[order]
    w = np.ones(x.size) if weights is None else weights[order]
    new = np.concatenate([[True], xs[1:] != xs[:-1]])
    group = np.cumsum(new) - 1
    total = np.bincount(group, weights=w)
    before = np.concatenate([[0.0], np.cumsum(total)[:-1]])
    midrank = (before + (total + 1.0) / 2.0)[group]
    out = np.empty(x.size)
    out[order] = ndtri(midrank / (total.sum() + 1.0))
    return out


def _score_parts(scores, ctx, n_s, n_y, weights):
    """Return the sums of :func:`_mean_score_test` from per-row scores, per column."""
    n, m = scores.shape
    n_ctx = n_s * n_y
    w = np.ones(n) if weights is None else weights
    keys = (np.arange(m)[:, None] * n_ctx + ctx[None, :]).ravel()
    ws = (scores * w[:, None]).T
    f = np.bincount(keys, weights=ws.ravel(), minlength=m * n_ctx)
    f = f.reshape(m, n_s, n_y)
    s1 = f.sum(axis=2)
    strata = (np.arange(m)[:, None] * n_s + (ctx // n_y)[None, :]).ravel()
    s2 = np.bincount(strata, weights=(ws * scores.T).ravel(), minlength=m * n_s)
    return f, s1, s2.reshape(m, n_s)


def _mean_score_test(f: NDArray, t_sy: NDArray, s1: NDArray, s2: NDArray):
    """Stratified mean-score (Cochran-Mantel-Haenszel) statistic and its df.

    Tests whether the mean score of an ordered variable ``X`` (scores ``0, 1, ...``:
    the bin index) differs between the classes of ``Y`` within strata ``S``, as
    in Landis, Heyman and Koch (1978). ``f[m, s, y]`` is the sum of the scores of
    column ``m`` in cell ``(s, y)``, ``t_sy`` the ``(s, y)`` counts, ``s1`` and
    ``s2`` the sums of scores and squared scores of column ``m`` in stratum ``s``.
    Under conditional independence the statistic is asymptotically chi-square with
    ``rank(V)`` (at most ``n_classes - 1``) degrees of freedom.
    """
    n_s = t_sy.sum(axis=1)
    big = n_s > 1
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(n_s > 0, s1 / n_s, 0.0)
        var = np.where(big, s2 / n_s - mean**2, 0.0)
        p_sy = np.where(big[:, None], t_sy / n_s[:, None], 0.0)
        factor = np.where(big, n_s**2 / (n_s - 1), 0.0)
    weight = np.maximum(var, 0.0) * factor  # (m, s)
    dev = (f - t_sy[None] * mean[..., None]).sum(axis=1)  # (m, y)
    cov = np.einsum("ms,sy,sz->myz", weight, p_sy, p_sy)
    diag = weight @ p_sy
    idx = np.arange(t_sy.shape[1])
    cov = -cov
    cov[:, idx, idx] += diag
    dev, cov = dev[:, :-1], cov[:, :-1, :-1]
    if dev.shape[1] == 1:
        v = cov[:, 0, 0]
        ok = v > 1e-12 * np.maximum(1.0, np.abs(diag[:, 0]))
        with np.errstate(divide="ignore", invalid="ignore"):
            stat = np.where(ok, dev[:, 0] ** 2 / v, 0.0)
        return stat, ok.astype(np.float64)
    vals, vecs = np.linalg.eigh(cov)
    tol = 1e-10 * np.maximum(vals.max(axis=1, keepdims=True), 1e-300)
    keep = vals > tol
    proj = np.einsum("myz,my->mz", vecs, dev)
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = np.where(keep, proj**2 / vals, 0.0).sum(axis=1)
    return stat, keep.sum(axis=1).astype(np.float64)


def _independence_pvalues(codes, n_levels, scores, ctx, n_s, n_y, weights):
    """p-value of ``X_k`` independent of ``Y`` given ``S``, per column of ``codes``.

    ``ctx = s * n_y + y`` codes the strata and the target (``n_s = 1``: no strata).
    Every column gets Pearson's ``X^2`` test within strata. A column with
    ``scores`` (an ordered one: the normal scores of its values; NaN: none)
    also gets the mean-score test of :func:`_mean_score_test`, and its p-value is
    the weighted Bonferroni combination ``min(p_trend / TREND_WEIGHT,
    p_pearson / (1 - TREND_WEIGHT))``, capped at 1, so the level holds. The
    omnibus test keeps power against any dependence, the trend test, with
    ``n_classes - 1`` degrees of freedom instead of about
    ``n_bins * n_strata * (n_classes - 1)`` and the values' ranks instead of their
    bins, against the monotone dependence that is most common.
    """
    cells = _context_cells(ctx, n_s, n_y, weights)
    y_per_stratum = np.maximum(np.bincount(cells[0] // n_y, minlength=n_s) - 1, 0)
    n_ctx = n_s * n_y
    m = codes.shape[1]
    stat, df = np.zeros(m), np.zeros(m)
    t_sy = None
    width = int(np.max(n_levels, initial=1))
    if width * n_ctx > TABLE_BUDGET:
        for i in range(m):
            stat[i], df[i] = _sparse_pearson(
                codes[:, i], ctx, n_s, n_y, weights, cells, y_per_stratum
            )
    else:
        t_sy = np.zeros(n_ctx)
        t_sy[cells[0]] = cells[1]
        t_sy = t_sy.reshape(n_s, n_y)
        step = max(1, TABLE_BUDGET // (width * n_ctx))
        for start in range(0, m, step):
            part = slice(start, min(m, start + step))
            table = batch_counts(
                np.asfortranarray(codes[:, part]),
                ctx,
                width,
                n_ctx,
                sample_weight=weights,
            ).reshape(-1, width, n_s, n_y)
            t_ks = _sum_last(table)
            x_per_stratum = np.maximum(np.count_nonzero(t_ks, axis=1) - 1, 0)
            stat[part] = _pearson_dense(table, t_ks, t_sy)
            df[part] = x_per_stratum @ y_per_stratum
    p = _chi2_pvalue(stat, df)
    ordered = ~np.isnan(scores[0]) if scores.shape[0] else np.zeros(m, dtype=bool)
    if ordered.any():
        if t_sy is None:
            t_sy = np.zeros((n_s, n_y))
            t_sy.flat[cells[0]] = cells[1]
        parts = _score_parts(scores[:, ordered], ctx, n_s, n_y, weights)
        p_trend = _chi2_pvalue(*_mean_score_test(*parts[:1], t_sy, *parts[1:]))
        p[ordered] = np.minimum(
            1.0,
            np.minimum(p_trend / TREND_WEIGHT, p[ordered] / (1.0 - TREND_WEIGHT)),
        )
    return p


def _strata(data: dict, given, coarse: bool) -> tuple[NDArray[np.intp], int]:
    """Dense codes of the observed combinations of the columns ``given``.

    ``coarse`` merges adjacent bins of the ordered columns, so that the joint
    strata keep about ``MIN_STRATUM`` samples each: ``b`` levels per ordered
    column with ``b ** len(given) <= n_eff / MIN_STRATUM`` (at least 2).
    """
    n = data["y_codes"].size
    if not len(given):
        return np.zeros(n, dtype=np.intp), 1
    codes = data["codes"][:, given].astype(np.intp)
    levels = np.asarray(data["n_levels"][given], dtype=np.intp)
    if coarse:
        target = (data["n_eff"] / MIN_STRATUM) ** (1.0 / len(given))
        # capped at the widest column: huge weights must not overflow the cast
        target = max(2, int(min(target, float(levels.max(initial=2)))))
        ordered = data["ordered"][given]
        new_levels = np.where(ordered, np.minimum(levels, target), levels)
        codes = np.where(ordered, codes * new_levels // np.maximum(levels, 1), codes)
        levels = new_levels
    joint = encode_rows(codes, levels)[0]
    _, strata = np.unique(joint, return_inverse=True)
    strata = strata.ravel().astype(np.intp)
    return strata, int(strata.max()) + 1


def _pvalue_given(data: dict, k: int, given, coarse: bool = False) -> float:
    """Raw p-value of column ``k`` independent of ``Y`` given the columns ``given``.

    ``data`` holds ``codes``, ``n_levels``, ``ordered``, ``scores`` (a callable
    giving the normal scores of a column, or None when it is not ordered),
    ``y_codes``, ``n_y``, ``weights`` and ``n_eff``; the strata are those of
    :func:`_strata` (``given`` empty: the marginal test).
    """
    y_codes, n_y = data["y_codes"], data["n_y"]
    strata, n_s = _strata(data, given, coarse)
    score = data["scores"](k)
    col = data["codes"][:, [k]]
    score = np.full((col.shape[0], 1), np.nan) if score is None else score[:, None]
    return float(
        _independence_pvalues(
            col,
            data["n_levels"][[k]],
            score,
            strata * n_y + y_codes,
            n_s,
            n_y,
            data["weights"],
        )[0]
    )


def _walk_tests(raw_of, ranking, n_features: int, alpha) -> tuple[NDArray, NDArray]:
    """Holm-type adjusted p-values along a path, and the steps it accepts.

    ``raw_of(t, kept)`` gives two raw p-values of step ``t``: given the accepted
    steps ``kept`` jointly, and the largest given each of them alone. The first is
    multiplied by the number of features not yet accepted, ``r = len(kept)``,
    ``n_features - r``, and capped at 1; the step's p-value is the larger of that
    and the second, and the step is accepted when it is at most ``alpha``.
    ``alpha=None`` accepts every step (``r = t``: the p-values of a fixed number
    of features). The walk ends ``PATIENCE`` failures in a row after the last
    acceptance, or at the end of ``ranking``.
    Returns the adjusted p-values of the walked steps and the selected steps: the
    accepted ones, or step 0 alone when none is.

    Why the family-wise error stays at most ``alpha``: let ``m0`` features be
    independent of ``Y`` and of every other feature (noise). Until the first
    noise feature is accepted, only informative ones are, so ``r <= d - m0`` and
    the first false acceptance needs a joint raw p-value of at most
    ``alpha / m0``. A noise feature is tested given other columns only, of which
    it is independent, so its p-value is valid given them, and the union bound
    over the ``m0`` noise features gives ``alpha`` (as in Holm's procedure, whose
    argument does not need the order of the tests to be fixed). The tests given
    each accepted feature alone, at the plain level ``alpha``, can only remove
    acceptances; they reject a copy of an accepted feature, which the coarse
    joint strata would not. (The set of accepted features depends on the path,
    and so weakly on every column: the bound is approximate, and checked by
    simulation in ``benchmarks/bench_autostop.py``.)
    """
    adjusted, kept, run = [], [], 0
    for t in range(len(ranking)):
        p_joint, p_each = raw_of(t, kept)
        p = max(min(1.0, float(p_joint) * (n_features - len(kept))), float(p_each))
        adjusted.append(p)
        if alpha is None or p <= alpha:
            kept.append(t)
            run = 0
        else:
            run += 1
            if run >= PATIENCE:
                break
    return np.array(adjusted), np.array(kept if kept else [0], dtype=np.intp)


def _step_terms(blocks, column, n_s, y_codes, n_y, weights, entropy, n_jobs):
    """Entropies of one greedy step against the selected column ``column``.

    Returns ``H(X_s)``, ``H(X_s, Y)`` and, for every column of ``blocks``,
    ``H(X_k, X_s)`` and ``H(X_k, X_s, Y)``.
    """
    method = entropy.method
    ctx = np.asarray(column).astype(np.intp) * n_y + y_codes
    cells = _context_cells(ctx, n_s, n_y, weights)
    t_s = np.bincount(cells[0] // n_y, weights=cells[1])
    h_s = float(entropy_from_counts(t_s, method=method))
    h_sy = float(entropy_from_counts(cells[1], method=method))
    h_ks, h_ksy = _context_terms(
        blocks, ctx, n_s, n_y, weights, entropy, n_jobs, cells, pack=True
    )
    return h_s, h_sy, h_ks, h_ksy
