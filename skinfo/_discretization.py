"""Entropy-based discretization: the MDLP cut search and :class:`EntropyDiscretizer`.

The cut search of Fayyad & Irani (1993) is the pure function :func:`mdlp_cut_points`,
shared with the feature selector. It sorts a feature once, turns the sorted labels
into cumulative class counts at every change of value, and scores all candidate cuts
of an interval at once from those counts, so a feature costs one sort plus a few
vectorized passes per level of the recursion.
"""

from __future__ import annotations

import heapq
import warnings
from numbers import Integral

import numpy as np
import pandas as pd
import scipy.sparse as sp
from joblib import Parallel, delayed, effective_n_jobs
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from skinfo._base import DocLinkMixin
from skinfo._binning import (
    BINNING_CONSTRAINTS,
    auto_n_bins,
    check_sample_weight,
    check_target_length,
    encode_labels,
    resolve_discrete_features,
    sample_row_index,
)
from skinfo._compat import Interval, Options, StrOptions, _fit_context
from skinfo._dask import is_dask
from skinfo._input import (
    as_pandas,
    auto_discrete_mask,
    category_levels,
    check_no_text,
    integer_columns,
    recode_categoricals,
)

__all__ = ["EntropyDiscretizer", "mdlp_cut_points"]

_FLOAT_DTYPES = (np.float64, np.float32)

#: Largest count for which ``n log n`` is looked up in a table instead of computed.
_TABLE_MAX = 1 << 22

#: Candidate cuts whose scaled class entropy is this close (relative) count as tied.
_TIE_RTOL = 1e-12

#: Gains (in nats, per unit of ``1 + |ln N|``) below this are round-off, never cuts.
_GAIN_RTOL = 1e-12


# --------------------------------------------------------------------------- MDLP
def _xlogx(values: NDArray) -> NDArray[np.float64]:
    """``v * ln(v)`` elementwise, with ``0 ln 0 = 0`` (round-off negatives -> 0)."""
    values = np.asarray(values, dtype=np.float64)
    return values * np.log(np.maximum(values, np.finfo(np.float64).tiny))


def _midpoints(low: NDArray, high: NDArray) -> NDArray[np.float64]:
    """Cut points strictly above ``low`` and at most ``high`` (``low < high``).

    The midpoint is used whenever it lies in ``(low, high]``; for adjacent floats it
    can round down to ``low``, and then ``high`` itself is the cut, which keeps the
    rule ``searchsorted(cuts, x, side="right")`` consistent with the split.
    """
    with np.errstate(over="ignore"):
        mid = (low + high) / 2
    mid = np.where(np.isfinite(mid), mid, low / 2 + high / 2)
    return np.where(mid > low, mid, high)


def _log_3k_minus_2(k: int) -> float:
    """``ln(3**k - 2)`` without overflow."""
    if k < 30:
        return float(np.log(3.0**k - 2.0))
    return float(k * np.log(3.0))


#: Counts up to this size share one cached ``n ln n`` table (2 MiB).
_TABLE_CACHED = 1 << 18
_table_cache = np.zeros(1)


def _xlogx_table(n_max: int) -> NDArray[np.float64]:
    """``k ln k`` for ``k = 0 .. n_max`` (at least); small tables are kept."""
    global _table_cache
    if n_max >= _TABLE_CACHED:
        return _xlogx(np.arange(n_max + 1, dtype=np.float64))
    table = _table_cache
    if table.size <= n_max:
        size = min(max(n_max + 1, 2 * table.size), _TABLE_CACHED)
        table = _xlogx(np.arange(size, dtype=np.float64))
        _table_cache = table  # a plain rebind, so concurrent readers stay valid
    return table


class _CutSearch:
    """Cumulative class counts of one sorted feature and the MDLP split of intervals.

    Positions ``0 .. n_pos`` index the candidate cuts: position ``s`` (``0 < s <
    n_pos``) separates ``values[starts[s] - 1]`` from ``values[starts[s]]``, and the
    columns of the cumulative arrays hold the counts of everything left of it.
    Intervals are half-open ranges ``[a, b)`` of positions.
    """

    def __init__(
        self,
        cum,
        presence,
        rows,
        values,
        starts,
        min_samples_leaf,
        log_scale=0.0,
        cut_values=None,
    ):
        self.cum = cum  # (n_classes, n_pos + 1) cumulative class weights
        # The weights in ``cum`` are the frequency weights times exp(-log_scale): an
        # exact power of two chosen so that their sum does not overflow. Entropies
        # do not depend on it; the N of the MDL test does.
        self.log_scale = float(log_scale)
        self.total = cum.sum(axis=0)  # cumulative total weight
        self.presence = presence  # cumulative unweighted class counts
        self.rows = rows  # cumulative number of rows
        self.values = values  # the distinct values, increasing
        self.starts = starts  # index in ``values`` of the first value right of s
        # On a candidate grid the cut of position s is given: ``cut_values[s]``.
        self.cut_values = cut_values
        self.min_samples_leaf = min_samples_leaf
        self.last = cum.shape[1] - 1
        self.table = None
        if (
            cut_values is None  # (a short grid computes its few logs directly)
            and np.issubdtype(cum.dtype, np.integer)
            and self.total[-1] <= _TABLE_MAX
        ):
            # Integer counts: n ln n for every possible count, gathered by index.
            self.table = _xlogx_table(int(self.total[-1]))
        # -n Ent of everything left (prefix) and right (suffix) of each position:
        # intervals touching either end of the feature reuse them.
        self.prefix = self._neg_n_ent(cum, self.total)
        self.suffix = self._neg_n_ent(cum[:, -1:] - cum, self.total[-1] - self.total)

    def _f(self, counts):
        return self.table[counts] if self.table is not None else _xlogx(counts)

    def _neg_n_ent(self, counts, totals):
        """``sum_k f(n_k) - f(n)`` per column, i.e. ``-n Ent`` in nats."""
        return self._f(counts).sum(axis=0) - self._f(totals)

    def best_split(self, a: int, b: int):
        """Best cut of positions ``[a, b)`` and whether the MDL test accepts it.

        Returns ``None`` when the interval cannot or must not be split, else a tuple
        ``(priority, cut, gain_bits, split_position)``.
        """
        if b - a < 2:
            return None
        cum, presence, total = self.cum, self.presence, self.total
        k = int(np.count_nonzero(presence[:, b] - presence[:, a]))
        if k < 2:  # a pure interval has zero gain and never splits
            return None
        n = float(total[b] - total[a])
        if not n > 0.0 or np.log(n) + self.log_scale <= 0.0:
            return None  # total weight at most 1 (in frequency units)

        inner = slice(a + 1, b)
        if a == 0:
            left = self.prefix[inner]
        else:
            left = self._neg_n_ent(
                cum[:, inner] - cum[:, a, None], total[inner] - total[a]
            )
        if b == self.last:
            right = self.suffix[inner]
        else:
            right = self._neg_n_ent(
                cum[:, b, None] - cum[:, inner], total[b] - total[inner]
            )
        # -n E(T; S) in nats for every candidate T at once; E is minimised.
        score = left + right
        # A side whose cumulative weight rounds to zero (tiny weights next to huge
        # ones) carries no information and cannot be divided by: skip such cuts.
        sides_ok = (total[inner] - total[a] > 0) & (total[b] - total[inner] > 0)
        if not sides_ok.all():
            score = np.where(sides_ok, score, -np.inf)
        if self.min_samples_leaf > 1:
            rows = self.rows
            ok = (rows[inner] - rows[a] >= self.min_samples_leaf) & (
                rows[b] - rows[inner] >= self.min_samples_leaf
            )
            score = np.where(ok, score, -np.inf)
        best = float(score.max())
        if not np.isfinite(best):
            return None
        f_n = float(_xlogx(n))
        tol = _TIE_RTOL * (abs(f_n) + 1.0)
        i = int(np.flatnonzero(score >= best - tol)[0])  # lowest cut among ties

        ent = -float(self._neg_n_ent(cum[:, b] - cum[:, a], total[b] - total[a])) / n
        s = a + 1 + i
        ent_left = -float(left[i]) / float(total[s] - total[a])
        ent_right = -float(right[i]) / float(total[b] - total[s])
        gain = ent + float(score[i]) / n
        k_left = int(np.count_nonzero(presence[:, s] - presence[:, a]))
        k_right = int(np.count_nonzero(presence[:, b] - presence[:, s]))
        delta = _log_3k_minus_2(k) - (k * ent - k_left * ent_left - k_right * ent_right)
        # With a huge N the threshold sinks below round-off: a gain has to beat
        # the round-off of the entropies too, or noise would pick the cuts.
        noise = _GAIN_RTOL * (1.0 + abs(np.log(n)))
        if not gain > max(self._mdl_threshold(n, delta), noise):
            return None
        if self.cut_values is not None:
            return n * gain, float(self.cut_values[s]), gain / np.log(2.0), s
        right_value = self.starts[s]
        cut = float(_midpoints(self.values[right_value - 1], self.values[right_value]))
        return n * gain, cut, gain / np.log(2.0), s

    def _mdl_threshold(self, n: float, delta: float) -> float:
        """``(ln(N - 1) + Delta) / N`` for the interval weight ``N = n e^log_scale``."""
        if self.log_scale == 0.0:
            return (np.log(n - 1.0) + delta) / n
        log_n = np.log(n) + self.log_scale
        if log_n < 700.0:  # N is a float: the plain formula
            n_true = np.exp(log_n)
            return (np.log(n_true - 1.0) + delta) / n_true
        # N beyond the float range: ln(N - 1) = ln N to double precision
        top = log_n + delta
        return float(np.sign(top) * np.exp(np.log(abs(top)) - log_n))


def _class_cumsum(labels, amounts, n_classes: int) -> NDArray:
    """Class-major cumulative sums: ``out[k, i]`` = amounts of class ``k`` before i."""
    out = np.zeros((n_classes, labels.size + 1), dtype=amounts.dtype)
    for k in range(n_classes):
        np.cumsum(np.where(labels == k, amounts, 0), out=out[k, 1:])
    return out


def _block_counts(xs, ys, ws, distinct, n_classes: int, min_samples_leaf: int):
    """Cumulative counts at the candidate positions of sorted data with ties.

    Rows sharing a value form a block; positions are the block boundaries, and
    with ``min_samples_leaf <= 1`` only boundary points: a boundary between two
    blocks holding one and the same single class is skipped, since ``E`` is
    strictly concave along such a run (Fayyad & Irani 1992).
    """
    n = xs.size
    starts = np.flatnonzero(distinct) + 1
    n_blocks = starts.size + 1
    block = np.zeros(n, dtype=np.intp)
    block[starts] = 1
    np.cumsum(block, out=block)
    key = ys * n_blocks + block
    size = n_classes * n_blocks
    rows_per_class = np.bincount(key, minlength=size)
    presence = np.zeros((n_classes, n_blocks + 1), dtype=np.int64)
    np.cumsum(rows_per_class.reshape(n_classes, n_blocks), axis=1, out=presence[:, 1:])
    cum = presence
    if ws is not None:
        counts = np.bincount(key, weights=ws, minlength=size).astype(ws.dtype)
        cum = np.zeros((n_classes, n_blocks + 1), dtype=ws.dtype)
        np.cumsum(counts.reshape(n_classes, n_blocks), axis=1, out=cum[:, 1:])
    rows = np.concatenate(([0], starts, [n]))
    values = xs[rows[:-1]]
    positions = np.arange(n_blocks + 1)
    if min_samples_leaf <= 1:
        first = ys[rows[:-1]]
        size_first = rows_per_class[first * n_blocks + np.arange(n_blocks)]
        pure = size_first == np.diff(rows)
        same = pure[1:] & pure[:-1] & (first[1:] == first[:-1])
        if same.any():
            positions = np.concatenate(([0], np.flatnonzero(~same) + 1, [n_blocks]))
            # (take along axis 1 keeps the class-major, C-ordered layout)
            taken = np.take(presence, positions, axis=1)
            cum = taken if ws is None else np.take(cum, positions, axis=1)
            presence = taken
            rows = rows[positions]
    return cum, presence, rows, values, positions


def mdlp_cut_points(
    x,
    y_codes,
    n_classes,
    *,
    sample_weight=None,
    min_samples_leaf=1,
    max_bins=None,
):
    """Cut points of one feature by Fayyad & Irani's MDLP method.

    The samples are sorted once; candidate cuts are the midpoints between
    consecutive distinct values (equal values are never separated). The cut that
    minimises the class-information entropy of an interval is kept when its gain
    passes the minimum-description-length test, and each side is then split the
    same way.

    Parameters
    ----------
    x : array-like of shape (n_samples,)
        Finite feature values; the caller removes NaN.
    y_codes : array-like of shape (n_samples,)
        Integer class codes in ``0 .. n_classes - 1``.
    n_classes : int
        Number of class codes.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative frequency weights, not all zero. Class counts become sums of
        weights and the ``N`` of the MDL test is the interval's share of the
        effective number of samples ``n_eff = max(sum(w), count(w > 0))``: integer
        weights give exactly the cuts of repeated rows, while weights summing to
        less than the number of rows (e.g. normalised to sum 1) give the same cuts
        whatever their scale. Rows of weight zero are ignored, an interval of total
        weight at most 1 is never split, and weights of any size are safe (huge
        ones are rescaled by an exact power of two; a gain must also exceed the
        round-off of the entropies, ``1e-12 (1 + |ln N|)`` nats).

        .. versionchanged:: 0.2
           ``N`` counts ``n_eff``, not the raw sum of the weights.
    min_samples_leaf : int, default=1
        Candidate cuts leaving fewer rows than this (rows, not weight) on a side are
        skipped.
    max_bins : int, default=None
        Stop once the feature has this many bins, taking accepted splits best first
        (largest decrease of the feature's class entropy, ``N_S * Gain``). A departure
        from the paper, whose recursion has no cap.

    Returns
    -------
    cuts : ndarray of shape (n_cuts,)
        Accepted cut points, increasing.
    gains : ndarray of shape (n_cuts,)
        Information gain in bits of each cut on the interval it split,
        ``Ent(S) - E(T; S)``.

    Notes
    -----
    A value equal to a cut belongs to the upper interval
    (``searchsorted(cuts, x, side="right")``). Among cuts of equal entropy the
    lowest wins. Cost: one sort, then ``O(n_classes * n_distinct)`` work per level
    of the recursion; memory is ``O(n_classes * n_distinct)``.

    References
    ----------
    .. [1] U. M. Fayyad and K. B. Irani, "Multi-interval discretization of
       continuous-valued attributes for classification learning", Proc. IJCAI-93,
       pp. 1022-1027, 1993.

    Examples
    --------
    >>> import numpy as np
    >>> from skinfo._discretization import mdlp_cut_points
    >>> x = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0])
    >>> y = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    >>> cuts, gains = mdlp_cut_points(x, y, 2)
    >>> cuts, gains
    (array([4.5]), array([1.]))
    """
    x = np.asarray(x, dtype=np.float64).ravel()
    y_codes = np.asarray(y_codes, dtype=np.intp).ravel()
    if x.shape != y_codes.shape:
        raise ValueError(
            f"x and y_codes must have the same length, got {x.size} and {y_codes.size}."
        )
    if not np.isfinite(x).all():
        raise ValueError("x must be finite; remove NaN before the cut search.")
    empty = (np.empty(0, dtype=np.float64), np.empty(0, dtype=np.float64))
    weights, log_scale = None, 0.0
    if sample_weight is not None:
        weights = np.asarray(sample_weight, dtype=np.float64).ravel()
        if weights.shape != x.shape:
            raise ValueError(
                f"sample_weight must have one entry per sample, got {weights.size} "
                f"for {x.size} samples."
            )
        if not (np.isfinite(weights).all() and (weights >= 0).all()):
            raise ValueError("sample_weight must be finite and non-negative.")
        weights, log_scale, keep = _effective_weights(weights)
        if keep is not None:
            x, y_codes = x[keep], y_codes[keep]
    n_classes = int(n_classes)
    if x.size < 2 or n_classes < 2:
        return empty
    if y_codes.min() < 0 or y_codes.max() >= n_classes:
        raise ValueError("y_codes must lie in 0 .. n_classes - 1.")

    # The order among equal values does not matter: they are pooled into one block.
    order = np.argsort(x)
    xs, ys = x[order], y_codes[order]
    ws = None if weights is None else weights[order]
    n = x.size
    distinct = xs[1:] != xs[:-1]
    if min_samples_leaf <= 1 and distinct.all():
        # Each row is a block, and only boundary points can minimise E (Fayyad &
        # Irani 1992): the candidates are where the class changes.
        bounds = np.concatenate(([0], np.flatnonzero(ys[1:] != ys[:-1]) + 1, [n]))
        labels = ys[bounds[:-1]]
        presence = _class_cumsum(labels, np.diff(bounds), n_classes)
        cum = presence
        if ws is not None:
            cum = _class_cumsum(labels, np.add.reduceat(ws, bounds[:-1]), n_classes)
        rows, values, starts = bounds, xs, bounds
    else:
        cum, presence, rows, values, starts = _block_counts(
            xs, ys, ws, distinct, n_classes, min_samples_leaf
        )
    if rows.size < 3:  # a single value, or a single class run
        return empty
    present = presence[:, -1] > 0
    if not present.all():  # class codes that never occur add nothing
        cum, presence = cum[present], presence[present]
    search = _CutSearch(
        cum, presence, rows, values, starts, int(min_samples_leaf), log_scale
    )
    return _best_first(search, max_bins)


def _best_first(search: _CutSearch, max_bins) -> tuple[NDArray, NDArray]:
    """Return the accepted cuts and their gains (in bits) of a prepared search.

    Best-first over intervals: with no cap the order does not matter and every
    accepted split is taken, which is exactly the paper's recursion.
    """
    heap: list = []

    def push(a, b):
        found = search.best_split(a, b)
        if found is not None:
            priority, cut, gain, s = found
            heapq.heappush(heap, (-priority, cut, gain, a, s, b))

    push(0, search.last)
    cuts, gains = [], []
    while heap and (max_bins is None or len(cuts) + 1 < max_bins):
        _, cut, gain, a, s, b = heapq.heappop(heap)
        cuts.append(cut)
        gains.append(gain)
        push(a, s)
        push(s, b)
    if not cuts:
        return np.empty(0, dtype=np.float64), np.empty(0, dtype=np.float64)
    cuts_arr = np.asarray(cuts, dtype=np.float64)
    order = np.argsort(cuts_arr, kind="stable")
    return cuts_arr[order], np.asarray(gains, dtype=np.float64)[order]


def _effective_weights(weights: NDArray) -> tuple[NDArray, float, NDArray | None]:
    """Frequency weights on the scale of the effective number of samples.

    Returns ``(w, log_scale, keep)``: the positive weights ``w`` (``keep`` masks
    their rows, None when all are positive) such that ``w * exp(log_scale)`` are
    the weights the MDL test counts. With ``n_eff = max(sum(w), count(w > 0))``
    the weights are rescaled to sum to ``n_eff``: integer weights (sum at least the
    count) are kept as they are, so they act exactly like repeated rows, while
    weights summing to less than the number of rows, such as weights normalised to
    sum 1, act like that many rows, whatever their scale. Integer weights whose
    total is exact in float64 become ``int64`` (exact counts, table lookups); huge
    weights are divided by a power of two (exactly) so that no sum overflows, and
    ``log_scale`` carries the factor.
    """
    keep = weights > 0
    if not keep.any():
        raise ValueError(
            "sample_weight is zero for every sample; give at least one sample a "
            "positive weight."
        )
    keep = None if keep.all() else keep
    if keep is not None:
        weights = weights[keep]
    log_scale = 0.0
    exponent = int(np.frexp(weights.max())[1])
    if abs(exponent) > 960:  # sums of huge weights could overflow, tiny ones lose
        weights = np.ldexp(weights, -exponent)  # exact: a power of two
        tiny = weights > 0  # weights below 2**-1074 of the largest are nothing
        if not tiny.all():
            weights = weights[tiny]
            if keep is None:
                keep = tiny
            else:
                keep[np.flatnonzero(keep)[~tiny]] = False
    else:
        exponent = 0
    total, count = float(weights.sum()), weights.size
    if exponent == 0:
        below_count = total < count
    else:
        below_count = np.log(total) + exponent * np.log(2.0) < np.log(count)
    if below_count:
        weights = weights * (count / total)  # n_eff = count(w > 0)
    elif exponent != 0:
        log_scale = exponent * float(np.log(2.0))
    elif total <= 2.0**53 and np.array_equal(weights, np.floor(weights)):
        weights = weights.astype(np.int64)
    return weights, log_scale, keep


# ------------------------------------------------------------- MDLP candidate grid
#: Weights beyond 2**960 (or below 2**-960) are summed after an exact power-of-two
#: rescaling, as in :func:`_effective_weights`.
_HUGE_EXPONENT = 960


def _weight_exponent(max_weight: float) -> int:
    """Power of two that the weights are divided by before summing (0: none)."""
    exponent = int(np.frexp(max_weight)[1])
    return exponent if abs(exponent) > _HUGE_EXPONENT else 0


def _candidate_cuts(
    values: NDArray, weights: NDArray | None, n_candidates: int
) -> NDArray[np.float64]:
    """At most ``n_candidates`` MDLP candidate cuts placed at quantiles of a column.

    ``values`` are finite (a column or a subsample of it), ``weights`` positive or
    None. Every cut is the midpoint between two consecutive distinct values, as in
    the exact search: with ``d`` distinct values and ``d - 1 <= n_candidates`` all
    ``d - 1`` midpoints are candidates. Otherwise, for the levels ``q = i /
    (n_candidates + 1)``, ``i = 1 .. n_candidates``, the cut goes just above the
    (weighted) ``inverted_cdf`` quantile: the smallest value whose cumulative
    weight reaches ``q`` times the total. Tied quantiles give one cut, so heavy ties
    give fewer candidates. Integer weights act exactly like repeated rows; other
    weights are divided by the smallest one first and a level met within
    round-off counts as reached, so their scale does not matter.
    """
    if values.size == 0:
        return np.empty(0, dtype=np.float64)
    if weights is None:
        xs = np.sort(values)
    else:
        order = np.argsort(values, kind="stable")
        xs, weights = values[order], weights[order]
    new_value = xs[1:] != xs[:-1]
    if np.count_nonzero(new_value) <= n_candidates:
        distinct = xs[np.concatenate(([0], np.flatnonzero(new_value) + 1))]
        return _midpoints(distinct[:-1], distinct[1:])
    levels = np.arange(1, n_candidates + 1, dtype=np.int64)
    # The row (in sorted order) where the cumulative weight first reaches a level
    # holds the smallest value whose cumulative weight reaches it.
    if weights is None:
        integral, cdf = True, None
    else:
        integral = (
            np.array_equal(weights, np.floor(weights)) and weights.sum() <= 2.0**53
        )
        if not integral:
            weights = weights / weights.min()
        cdf = np.cumsum(weights)
    if integral:  # exact: the first row with cdf >= ceil(i * total / (B + 1))
        total = xs.size if cdf is None else int(cdf[-1])
        targets = (levels * total + n_candidates) // (n_candidates + 1)
        if cdf is None:
            row = targets - 1
        else:
            row = np.searchsorted(cdf.astype(np.int64), targets, side="left")
    else:
        total = float(cdf[-1])
        targets = levels / (n_candidates + 1) * total
        row = np.searchsorted(cdf, targets - _CDF_RTOL * total, side="left")
    below = np.unique(xs[np.minimum(row, xs.size - 1)])
    above = np.searchsorted(xs, below, side="right")  # first row of the next value
    inside = above < xs.size
    return _midpoints(below[inside], xs[above[inside]])


#: Cells of the coarse lookup of :func:`_grid_codes`.
_LOOKUP_CELLS = 1 << 13


def _grid_codes(cuts: NDArray, column: NDArray) -> NDArray[np.intp]:
    """``searchsorted(cuts, column, side="right")``, NaN -> ``cuts.size + 1``.

    A binary search per value is slow on long columns, so values first go to one
    of ``_LOOKUP_CELLS`` equal cells spanning the cuts by a monotone float map
    ``g``; since ``g(x) < g(c)`` implies ``x < c`` and ``g(x) > g(c)`` implies
    ``x > c``, a value whose cell holds no cut has the code of its cell, and only
    values in cells holding a cut are searched. The result is exactly the search's.
    """
    n_cuts = cuts.size
    if n_cuts < 2 or column.size < 4 * _LOOKUP_CELLS:
        return np.searchsorted(np.append(cuts, np.inf), column, side="right")
    low, high = float(cuts[0]), float(cuts[-1])
    with np.errstate(over="ignore"):
        scale = _LOOKUP_CELLS / (high - low)
    if not (np.isfinite(scale) and scale > 0):
        return np.searchsorted(np.append(cuts, np.inf), column, side="right")

    def cell(values):
        with np.errstate(over="ignore", invalid="ignore"):
            t = (values - low) * scale
        np.clip(t, -1.0, _LOOKUP_CELLS, out=t)  # NaN stays NaN
        t[np.isnan(t)] = _LOOKUP_CELLS + 1
        return t.astype(np.intp) + 1  # truncation: monotone; cells 0 .. n + 2

    cut_cells = cell(cuts)
    n_cells = _LOOKUP_CELLS + 3
    # base code of a cell: the cuts in lower cells; NaN's cell: n_cuts + 1
    base = np.searchsorted(cut_cells, np.arange(n_cells), side="left")
    base[-1] = n_cuts + 1
    ambiguous = np.zeros(n_cells, dtype=bool)
    ambiguous[cut_cells] = True
    cells = cell(column)
    codes = base[cells]
    search = ambiguous[cells]
    codes[search] = np.searchsorted(cuts, column[search], side="right")
    return codes


def _interval_counts(
    column: NDArray,
    y_codes: NDArray,
    weights: NDArray | None,
    cuts: NDArray,
    n_classes: int,
    exponent: int = 0,
):
    """Per-class rows and weights in each interval of ``cuts``: a sum over rows.

    Returns ``(rows, weight_sums, n_fractional)``: ``rows[k, i]`` counts the rows of
    class ``k`` in interval ``i`` (``searchsorted(cuts, x, side="right")``), NaN
    excluded; ``weight_sums`` (None without weights) the sum of their weights times
    ``2**-exponent``; ``n_fractional`` the number of those rows whose weight is not
    an integer. Every output of two parts of the rows adds up to that of the whole,
    so chunks can be counted apart.
    """
    n_bins = cuts.size + 1
    column = np.asarray(column, dtype=np.float64)  # (float32: one lookup map)
    codes = _grid_codes(cuts, column)  # NaN gets n_bins, dropped below
    key = y_codes * (n_bins + 1) + codes
    size = n_classes * (n_bins + 1)
    rows = np.bincount(key, minlength=size).reshape(n_classes, n_bins + 1)
    if weights is None:
        return rows[:, :-1].astype(np.int64), None, 0
    scaled = weights if exponent == 0 else np.ldexp(weights, -exponent)
    sums = np.bincount(key, weights=scaled, minlength=size)
    sums = sums.reshape(n_classes, n_bins + 1)[:, :-1]
    fractional = (weights != np.floor(weights)) & ~np.isnan(column)
    return rows[:, :-1].astype(np.int64), sums, int(np.count_nonzero(fractional))


def _mdlp_from_counts(
    rows: NDArray,
    weight_sums: NDArray | None,
    cuts: NDArray,
    *,
    n_fractional: int = 0,
    exponent: int = 0,
    min_samples_leaf: int = 1,
    max_bins=None,
) -> tuple[NDArray, NDArray]:
    """Run the exact MDLP search restricted to a grid of candidate cuts.

    ``rows`` and ``weight_sums`` are the per-class tables of
    :func:`_interval_counts` (added over chunks), ``cuts`` the grid. The weights are
    put on the scale of the effective number of samples as
    :func:`_effective_weights` does with single rows (integer weights whose total
    is exact stay integer counts), empty intervals merge (keeping the lower cut),
    and the search of :func:`mdlp_cut_points` runs on the intervals: when the grid
    holds every midpoint between distinct values, it gives the same cuts.
    """
    empty = (np.empty(0, dtype=np.float64), np.empty(0, dtype=np.float64))
    rows = np.asarray(rows, dtype=np.int64)
    count = int(rows.sum())
    if count < 2:
        return empty
    log_scale = 0.0
    weighted = weight_sums is not None
    if not weighted:
        sums = rows
    else:
        sums = np.asarray(weight_sums, dtype=np.float64)
        total = float(sums.sum())
        if not total > 0.0:
            return empty
        if exponent == 0:
            below_count = total < count
        else:
            below_count = np.log(total) + exponent * np.log(2.0) < np.log(count)
        if below_count:
            sums = sums * (count / total)  # n_eff = count(w > 0)
        elif exponent != 0:
            log_scale = exponent * float(np.log(2.0))
        elif n_fractional == 0 and total <= 2.0**53:
            sums = np.rint(sums).astype(np.int64)  # exact sums of integers
    filled = rows.sum(axis=0) > 0
    if np.count_nonzero(filled) < 2:
        return empty
    kept = np.flatnonzero(filled)
    # The cut after kept interval i is the lowest one before the next kept interval.
    grid = np.asarray(cuts, dtype=np.float64)[kept[:-1]]
    rows, sums = rows[:, kept], sums[:, kept]
    present = rows.sum(axis=1) > 0
    if not present.all():  # class codes that never occur add nothing
        rows, sums = rows[present], sums[present]
    n_classes, n_intervals = rows.shape
    presence = np.zeros((n_classes, n_intervals + 1), dtype=np.int64)
    np.cumsum(rows, axis=1, out=presence[:, 1:])
    cum = presence
    if weighted:
        cum = np.zeros((n_classes, n_intervals + 1), dtype=sums.dtype)
        np.cumsum(sums, axis=1, out=cum[:, 1:])
    row_totals = presence.sum(axis=0)
    # position s (1 .. n_intervals - 1) cuts at grid[s - 1]
    cut_values = np.concatenate(([np.nan], grid, [np.nan]))
    search = _CutSearch(
        cum,
        presence,
        row_totals,
        None,
        None,
        int(min_samples_leaf),
        log_scale,
        cut_values=cut_values,
    )
    return _best_first(search, max_bins)


# ------------------------------------------------------------------------ helpers
#: The options of ``quantile_method``: numpy's quantile methods, as in
#: :class:`~sklearn.preprocessing.KBinsDiscretizer`.
_QUANTILE_METHODS = (
    "inverted_cdf",
    "averaged_inverted_cdf",
    "closest_observation",
    "interpolated_inverted_cdf",
    "hazen",
    "weibull",
    "linear",
    "median_unbiased",
    "normal_unbiased",
)
_WEIGHTED_QUANTILE_METHODS = ("inverted_cdf", "averaged_inverted_cdf")

#: Weighted quantiles from fractional weights: a cumulative weight this close to a
#: level, relative to the total, meets it (round-off must not decide a tie).
_CDF_RTOL = 1e-12

#: Consecutive edges closer than this, relative to the feature's magnitude, merge.
_EDGE_RTOL = 2.0**-42


def _subsample_index(n_samples: int, subsample, rng) -> NDArray[np.intp] | None:
    """Sorted rows of a uniform subsample, or None when all rows are used."""
    if subsample is None or n_samples <= subsample:
        return None
    return np.sort(rng.choice(n_samples, size=subsample, replace=False))


def _kbins_draw(n_samples: int, subsample: int, weights, rng) -> NDArray[np.intp]:
    """KBinsDiscretizer's subsample: rows drawn with replacement from ``rng``.

    With ``weights`` the probabilities are proportional to them (and the weights
    are then spent); huge weights are divided by the largest first.
    """
    p = None
    if weights is not None:
        total = float(weights.sum())
        p = weights / total if np.isfinite(total) else None
        if p is None:
            scaled = weights / weights.max()
            p = scaled / scaled.sum()
    return rng.choice(n_samples, size=subsample, p=p, replace=True)


def _weighted_quantiles(
    values: NDArray, weights: NDArray, percents: NDArray, *, average: bool
) -> NDArray[np.float64]:
    """Weighted ``inverted_cdf`` (or ``averaged_inverted_cdf``) percentiles.

    ``values`` are finite and ``weights`` positive. For a level ``q`` the
    percentile is the smallest value whose cumulative weight reaches ``q`` times
    the total; with ``average=True``, when the cumulative weight equals it, the
    mean of that value and the next. The product ``q * total`` is formed in
    floating point as :func:`numpy.percentile` forms ``q * n``, so integer weights
    give exactly numpy's (and KBinsDiscretizer's) percentiles of repeated rows.
    Other weights are first divided by the smallest one, so the rule does not
    depend on their scale (equal weights, such as weights normalised to sum 1,
    become ones and give the unweighted percentiles); when they are still not
    integers, a cumulative weight within ``_CDF_RTOL`` (relative) of a level
    counts as meeting it, so round-off in the sums cannot decide.
    """
    order = np.argsort(values, kind="stable")
    xs = values[order]
    ws = weights[order]
    integral = np.array_equal(ws, np.floor(ws)) and float(ws.sum()) <= 2.0**53
    tol = 0.0
    if not integral:
        low, high = float(ws.min()), float(ws.max())
        ratio = high / low
        ws = ws / (low if np.isfinite(ratio * ws.size) else high)
        integral = np.array_equal(ws, np.floor(ws)) and float(ws.sum()) <= 2.0**53
    cdf = np.cumsum(ws)
    if not integral:  # sums of fractions: a level within round-off is met
        tol = _CDF_RTOL * float(cdf[-1])
    percents = np.asarray(percents, dtype=np.float64)
    targets = (percents / 100.0) * cdf[-1]
    index = np.searchsorted(cdf, targets - tol, side="left")
    index = np.minimum(index, xs.size - 1)
    result = xs[index].astype(np.float64)
    if average:
        on_level = (np.abs(cdf[index] - targets) <= tol) & (targets > 0)
        after = np.minimum(index + 1, xs.size - 1)
        result = np.where(on_level, (xs[index] + xs[after]) / 2.0, result)
    result[percents <= 0] = xs[0]
    return result


def _linspace_edges(lo: float, hi: float, k: int) -> NDArray[np.float64]:
    """``np.linspace(lo, hi, k + 1)`` (as KBinsDiscretizer), safe from overflow."""
    with np.errstate(over="ignore", invalid="ignore"):
        edges = np.linspace(lo, hi, k + 1)
    if not np.isfinite(edges).all():  # hi - lo overflows: interpolate instead
        t = np.arange(k + 1) / k
        edges = lo * (1.0 - t) + hi * t
        edges[0], edges[-1] = lo, hi
    return edges


def _column_edges(
    column: NDArray,
    weights: NDArray | None,
    k: int,
    strategy: str,
    quantile_method: str,
) -> NDArray[np.float64]:
    """All ``n_bins + 1`` edges of one column for ``"uniform"`` or ``"quantile"``.

    Edges follow :class:`~sklearn.preprocessing.KBinsDiscretizer`: equal widths
    from ``np.linspace``, or the percentiles ``linspace(0, 100, k + 1)`` of the
    column by ``quantile_method`` (weighted: see :func:`_weighted_quantiles`).
    An edge equal to the one before it (up to round-off) is dropped, so tied values
    merge bins. NaN
    is ignored; an all-NaN column gives ``[nan, nan]``, a constant one
    ``[c, c]`` (one bin either way).
    """
    if column.size == 0:
        return np.full(2, np.nan)
    hi = column.max()  # in the column's dtype, as KBins; max propagates NaN
    if np.isnan(hi):
        finite = ~np.isnan(column)
        column = column[finite]
        weights = None if weights is None else weights[finite]
        if column.size == 0:
            return np.full(2, np.nan)
        hi = column.max()
    lo = column.min()
    if lo == hi:
        return np.array([lo, hi], dtype=np.float64)
    if strategy == "uniform":
        edges = _linspace_edges(lo, hi, k).astype(np.float64)
    else:
        percents = np.linspace(0, 100, k + 1)
        if weights is None:
            method = {} if quantile_method == "linear" else {"method": quantile_method}
            edges = np.asarray(np.percentile(column, percents, **method), np.float64)
        else:
            average = quantile_method == "averaged_inverted_cdf"
            edges = _weighted_quantiles(column, weights, percents, average=average)
    # Drop an edge equal to the one before (tied values), or equal up to the
    # round-off of interpolating percentiles (seen at 64 ulps): 2**-42 of the
    # feature's largest magnitude, which does not depend on its units.
    tol = _EDGE_RTOL * max(abs(float(lo)), abs(float(hi)))
    keep = np.concatenate(([True], np.diff(edges) > tol))
    return edges[keep]


def _columns_with_nan(X: NDArray, *, name: str = "X") -> NDArray[np.bool_]:
    """Which columns of the float ``X`` hold NaN; infinity raises a ``ValueError``.

    One fast sum finds both (it is not finite only if one of them is there, or on
    overflow); only then are the values scanned. This is the finiteness check of
    :func:`~sklearn.utils.validation.check_array` with the NaN columns for free.
    """
    if X.size == 0 or np.isfinite(np.sum(X)):
        return np.zeros(X.shape[1], dtype=bool)
    if np.isinf(X).any():
        raise ValueError(
            f"Input {name} contains infinity or a value too large for {X.dtype!r}; "
            "replace it by a finite value or NaN (which gets a bin of its own)."
        )
    return np.isnan(X).any(axis=0)


def _computed(v):
    """Compute a dask ``y`` or ``sample_weight`` given with an in-memory ``X``."""
    return np.asarray(v.compute()) if is_dask(v) else v


def _format_category(value) -> str:
    if isinstance(value, Integral | np.integer):
        return str(int(value))
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _exact_in(values: NDArray, dtype) -> bool:
    """Whether every value survives a round trip through the float ``dtype``."""
    if values.dtype.kind not in "iu":
        return True
    limit = 2 ** (np.finfo(dtype).nmant + 1)  # every integer up to it is exact
    if values.size == 0 or (int(values.max()) <= limit and int(values.min()) >= -limit):
        return True
    cast = np.dtype(dtype).type
    return all(int(cast(v)) == v for v in values.tolist())


# ---------------------------------------------------------------------- estimator
class EntropyDiscretizer(
    OneToOneFeatureMixin, TransformerMixin, DocLinkMixin, BaseEstimator
):
    """Cut each continuous feature into intervals chosen by class entropy (MDLP).

    With the default ``strategy="mdlp"`` the cut points of every feature are those of
    Fayyad & Irani's minimum-description-length method: binary splits at midpoints
    between distinct values, each kept only when its information gain about the
    class pays for the cost of describing it, applied recursively. The number of
    bins is chosen by the data. The unsupervised strategies ``"uniform"`` and
    ``"quantile"`` (equal-frequency, i.e. maximum-entropy, bins) need no target and
    give the edges of :class:`~sklearn.preprocessing.KBinsDiscretizer` with the same
    parameters, so the estimator can stand in for it (differences are listed in the
    Notes).

    .. versionadded:: 0.1

    Parameters
    ----------
    strategy : {"mdlp", "uniform", "quantile"}, default="mdlp"
        How cut points are chosen.

        - ``"mdlp"``: supervised, Fayyad & Irani (1993); ``y`` is required and must
          be a classification target.
        - ``"uniform"``: ``n_bins`` bins of equal width; ``y`` is ignored.
        - ``"quantile"``: ``n_bins`` bins holding equal numbers of samples (tied
          values can merge bins); ``y`` is ignored.

    n_bins : int, "auto" or array-like of shape (n_features,), default=5
        Number of bins of the unsupervised strategies (ignored by ``"mdlp"``).
        ``"auto"`` takes the cube root of the effective number of samples (see
        Notes), between 2 and 16.

        .. versionchanged:: 0.2
           ``"auto"`` counts the effective number of samples of weighted data.

    quantile_method : {"inverted_cdf", "averaged_inverted_cdf", \
"closest_observation", "interpolated_inverted_cdf", "hazen", "weibull", \
"linear", "median_unbiased", "normal_unbiased"}, default="averaged_inverted_cdf"
        How ``strategy="quantile"`` computes the percentiles that become edges: the
        method of :func:`numpy.percentile`, exactly as in
        :class:`~sklearn.preprocessing.KBinsDiscretizer` (whose default it shares
        since scikit-learn 1.9). With ``sample_weight`` (and no subsampling) only
        ``"inverted_cdf"`` and ``"averaged_inverted_cdf"`` are defined.

        .. versionadded:: 0.2

    max_bins : int, default=None
        Cap on the number of MDLP bins per feature. Accepted splits are then taken
        best first, by the decrease of the feature's class entropy, until the cap
        is reached. A departure from the paper, whose recursion has no cap.

    min_samples_leaf : int, default=1
        Smallest number of training rows (not weight) an MDLP interval may hold;
        candidate cuts leaving fewer on one side are skipped.

    n_candidates : int, default=None
        Number of candidate cuts per feature that ``"mdlp"`` scores (ignored by the
        other strategies). ``None`` scores every midpoint between consecutive
        distinct values (the paper's method). An int ``B`` places at most ``B``
        candidates at the ``i / (B + 1)`` quantiles of the feature (just above
        the quantile, at the midpoint to the next distinct value) on the rows of
        the ``subsample`` (weighted by ``sample_weight``), counts the classes of
        *all* rows in the intervals between candidates, and runs the exact MDLP
        recursion on those counts: MDLP restricted to the grid. A feature with at
        most ``B + 1`` distinct values keeps every midpoint, so its cuts are
        those of ``None`` when all rows are in the subsample. Long columns get
        much faster (one binary search per value instead of a sort), and a fit on
        a Dask collection gives the same edges as in memory.

        .. versionadded:: 0.2

    encode : {"ordinal", "onehot", "onehot-dense"}, default="ordinal"
        Output encoding.

        - ``"ordinal"``: one column per feature holding the bin code.
        - ``"onehot"``: a sparse matrix with one column per bin (and one for the
          missing-value bin of features that had NaN in fit).
        - ``"onehot-dense"``: the same as a dense array.

    dtype : {np.float64, np.float32}, default=None
        Output dtype; ``None`` keeps the dtype of the validated input (float32 input
        gives float32 output, anything else float64).

    subsample : int or None, default=200_000
        With more rows than this, cut points are computed on a random subsample of
        this many rows; ``None`` uses every row. ``"uniform"`` and ``"quantile"``
        draw it as :class:`~sklearn.preprocessing.KBinsDiscretizer` does: with
        replacement and with probabilities proportional to ``sample_weight``,
        which is then not used again. ``"mdlp"`` draws rows without replacement
        and keeps their weights; with ``n_candidates`` set, the subsample only
        places the candidate cuts and the class counts come from every row.

        .. versionchanged:: 0.2
           ``"uniform"`` subsamples too, and both unsupervised strategies draw with
           replacement, as KBinsDiscretizer.

    discrete_features : None, bool, "auto" or array-like, default="auto"
        Features already discrete, passed through instead of being cut: a boolean
        mask, integer indices or column names; ``True`` for all features, ``None``
        or ``False`` for none. ``"auto"`` takes columns of integer, boolean or pandas
        categorical dtype (for an array, all columns if its dtype is integer or
        boolean). Each feature passed through is coded by its values seen in fit:
        ordinal code ``i`` stands for ``categories_[j][i]``; in one-hot encoding it
        gets one column per value seen in fit. Integer columns are coded exactly,
        also beyond ``2**53``. polars and pyarrow tables work like pandas
        DataFrames: a polars ``Categorical`` column or an arrow dictionary declares
        no category order, so its categories are its values sorted (a polars
        ``Enum`` keeps its declared order), and a null is a missing value.

        .. versionchanged:: 0.2
           The default changed from None to ``"auto"``, as in
           :class:`MIFeatureSelector`; ordinal output codes values passed through
           instead of repeating them.

    handle_unknown : {"warn", "ignore", "error"}, default="warn"
        What :meth:`transform` does with a value of a feature passed through that
        was not seen in fit (an unseen category or integer level): ``"error"``
        raises a ``ValueError`` naming the column; ``"ignore"`` gives it the
        ordinal code -1 and an all-zero one-hot block (both invert to NaN);
        ``"warn"`` does the same as ``"ignore"`` and issues a ``UserWarning``
        naming the column. Values of cut features are never unknown.

        .. versionadded:: 0.2

    n_jobs : int, default=None
        Threads over features when searching cuts and placing values in bins in
        :meth:`transform` (``None`` means 1, ``-1`` all processors). The result
        does not depend on it.

    random_state : int, RandomState instance or None, default=None
        Seed of the subsample taken when there are more than ``subsample`` rows.

    Attributes
    ----------
    bin_edges_ : ndarray of ndarray of shape (n_features,)
        ``bin_edges_[j]`` holds ``n_bins_[j] + 1`` increasing edges: the minimum
        seen in fit, the cut points, and the maximum. Only the inner cuts are used
        by :meth:`transform`; the outer edges give :meth:`inverse_transform` its bin
        centres. Empty for features passed through.

    cut_points_ : ndarray of ndarray of shape (n_features,)
        Inner cut points of each feature (``bin_edges_[j][1:-1]``); empty for
        features passed through.

    cut_gains_ : ndarray of ndarray of shape (n_features,)
        For ``"mdlp"``, the information gain in bits of each cut on the interval it
        split (aligned with ``cut_points_``); NaN for the unsupervised strategies.

    n_bins_ : ndarray of shape (n_features,), dtype=np.intp
        Number of bins per feature, not counting the missing-value bin; for a
        feature passed through, the number of distinct values seen in fit.

    has_missing_ : ndarray of shape (n_features,), dtype=bool
        Whether the feature had NaN in fit, i.e. owns a missing-value column in
        one-hot encoding.

    discrete_features_ : ndarray of shape (n_features,), dtype=bool
        Features passed through.

    categories_ : ndarray of object of shape (n_features,)
        Sorted distinct values (excluding NaN) of each feature passed through: the
        integers themselves for an integer column, floats otherwise, category codes
        for a pandas categorical (or a polars/arrow one, whose categories are
        sorted); ``None`` for the features that are cut.

    n_features_in_ : int
        Number of features seen during :term:`fit`.

    feature_names_in_ : ndarray of shape (`n_features`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    sklearn.preprocessing.KBinsDiscretizer : Unsupervised binning.

    Notes
    -----
    **MDLP.** For an interval ``S`` of ``N`` samples, the cut ``T`` minimising
    ``E(T; S) = (|S1| Ent(S1) + |S2| Ent(S2)) / N`` is accepted iff
    ``Gain = Ent(S) - E(T; S) > log2(N - 1) / N + Delta / N`` with
    ``Delta = log2(3**k - 2) - (k Ent(S) - k1 Ent(S1) - k2 Ent(S2))`` and ``k, k1,
    k2`` the numbers of classes present; accepted cuts are split again on each
    side. Candidate cuts are midpoints between consecutive distinct values, so tied
    values never end up in different bins; among cuts of equal entropy the lowest
    wins. A target with a single class gives one bin per feature.

    **Weights.** ``sample_weight`` holds frequency weights: class counts become
    sums of weights, and rows of zero weight are ignored throughout. What counts
    as the number of samples is the effective number
    ``n_eff = max(sum(w), count(w > 0))``: weights are rescaled to sum to
    ``n_eff`` before the MDL test, and ``n_bins="auto"`` uses it. So an integer
    weight acts exactly like a repeated row (scaling integer weights up makes MDLP
    accept more cuts, as more data would), while weights summing to less than the
    number of rows, e.g. normalised to sum 1, act like one row each on average:
    multiplying such weights by any constant in ``(0, 1]`` changes no edge. The
    quantiles use cumulative weight over total weight, which does not depend on
    the scale of the weights; ``"uniform"`` uses the range of the rows of positive
    weight. Weights of any size are safe: huge ones are rescaled exactly (by a
    power of two) before summing.

    **Drop-in for KBinsDiscretizer.** ``strategy="uniform"`` and
    ``strategy="quantile"`` with the same ``n_bins``, ``quantile_method``,
    ``encode``, ``dtype``, ``subsample``, ``random_state`` and ``sample_weight``
    give KBinsDiscretizer's ``bin_edges_``, codes, :meth:`inverse_transform` and
    :meth:`get_feature_names_out`, except that: the defaults of ``strategy``
    (``"mdlp"``) and ``encode`` (``"ordinal"``) differ; integer and categorical
    columns are passed through by default (``discrete_features=None`` bins them);
    NaN is allowed and gets its own bin; a constant feature keeps the edges
    ``[c, c]`` (so it inverts to ``c``, not NaN) and no warning is issued; an
    edge is dropped only when it equals the one before up to round-off
    (``2**-42`` of the feature's largest magnitude), not whenever it is within
    ``1e-8`` of it,
    which would depend on the units of the feature; ``dtype=np.float32`` casts
    the codes, where KBinsDiscretizer casts ``X`` before binning it (so a float64
    value just below an edge can land above it); and
    fractional weights are divided by the smallest one before the weighted
    quantiles are taken, so that their scale cannot matter.

    **Missing values.** NaN takes no part in choosing cuts, and gets a bin of its
    own: in ordinal encoding the code ``n_bins_[j]`` (for cut features and
    features passed through alike, a pandas categorical included), in one-hot
    encoding an extra column for each feature that had NaN in fit. NaN met in
    :meth:`transform` by a feature without NaN in fit gets the same ordinal code
    and an all-zero block in one-hot encoding. Infinite values raise an error.

    **Dask.** :meth:`fit` accepts a dask array (chunked along rows) or DataFrame
    and never gathers it: every statistic is a sum over row blocks added on the
    workers, and only subsampled rows (at most ``subsample``) travel. ``"mdlp"``
    counts the classes of every row on its candidate grid (``n_candidates``;
    with ``None`` the grid is every midpoint between distinct values of the
    subsample, which is exact only when all rows are in it). The fitted attributes
    equal those of the in-memory fit on the same data and ``random_state``.
    :meth:`transform` and :meth:`inverse_transform` of a dask collection are lazy
    (a dask array, or a dask DataFrame for DataFrame input); ``encode="onehot"``
    cannot be lazy (it is a scipy sparse matrix): use ``"onehot-dense"``. In a
    lazy transform, ``handle_unknown="warn"`` warns where the blocks are computed.

    **Unseen values** of cut features below the smallest or above the largest cut
    land in the first or last bin; a value equal to a cut belongs to the upper
    bin. Unseen values of features passed through follow ``handle_unknown``.

    **Cost.** Each feature is sorted once; the class counts on either side of
    every candidate cut then come from cumulative sums, so one level of the
    recursion is a few vectorized passes over the distinct values, and only
    boundary points (where the class changes) are scored. Memory grows as the
    number of classes times the number of distinct values of a feature.

    References
    ----------
    .. [1] U. M. Fayyad and K. B. Irani, "Multi-interval discretization of
       continuous-valued attributes for classification learning", Proc. IJCAI-93,
       pp. 1022-1027, 1993.

    Examples
    --------
    >>> import numpy as np
    >>> from skinfo import EntropyDiscretizer
    >>> X = np.array([[1.0], [2.0], [3.0], [4.0], [5.0], [6.0], [7.0], [8.0]])
    >>> y = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    >>> disc = EntropyDiscretizer().fit(X, y)
    >>> disc.cut_points_[0]
    array([4.5])
    >>> disc.transform([[0.0], [4.4], [4.6], [9.0], [np.nan]]).ravel()
    array([0., 0., 1., 1., 2.])

    On long columns a grid of candidate cuts at quantiles is faster; here the
    three candidates are 249.5, 499.5 and 749.5, and MDLP keeps the first:

    >>> X = np.arange(1000.0).reshape(-1, 1)
    >>> y = (X[:, 0] >= 250).astype(int)
    >>> EntropyDiscretizer(n_candidates=3).fit(X, y).cut_points_[0]
    array([249.5])

    The same fit on a dask array (with the ``skinfo[dask]`` extra) gives the same
    edges without gathering the data, and a lazy transform:

    >>> import dask.array as da
    >>> X_dask = da.from_array(X, chunks=(250, 1))
    >>> disc = EntropyDiscretizer(n_candidates=3).fit(X_dask, y)
    >>> disc.cut_points_[0]
    array([249.5])
    >>> codes = disc.transform(X_dask)
    >>> codes.shape, int(codes.sum().compute())
    ((1000, 1), 750)
    """

    _parameter_constraints: dict = {
        "strategy": [StrOptions({"mdlp", "uniform", "quantile"})],
        "n_bins": [*BINNING_CONSTRAINTS["n_bins"], "array-like"],
        "quantile_method": [StrOptions(set(_QUANTILE_METHODS))],
        "max_bins": [Interval(Integral, 2, None, closed="left"), None],
        "min_samples_leaf": [Interval(Integral, 1, None, closed="left")],
        "n_candidates": [Interval(Integral, 1, None, closed="left"), None],
        "encode": [StrOptions({"ordinal", "onehot", "onehot-dense"})],
        "dtype": [Options(type, {np.float64, np.float32}), None],
        "subsample": [Interval(Integral, 1, None, closed="left"), None],
        "discrete_features": [None, "boolean", StrOptions({"auto"}), "array-like"],
        "handle_unknown": [StrOptions({"warn", "ignore", "error"})],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        strategy="mdlp",
        *,
        n_bins=5,
        quantile_method="averaged_inverted_cdf",
        max_bins=None,
        min_samples_leaf=1,
        n_candidates=None,
        encode="ordinal",
        dtype=None,
        subsample=200_000,
        discrete_features="auto",
        handle_unknown="warn",
        n_jobs=None,
        random_state=None,
    ):
        self.strategy = strategy
        self.n_bins = n_bins
        self.quantile_method = quantile_method
        self.max_bins = max_bins
        self.min_samples_leaf = min_samples_leaf
        self.n_candidates = n_candidates
        self.encode = encode
        self.dtype = dtype
        self.subsample = subsample
        self.discrete_features = discrete_features
        self.handle_unknown = handle_unknown
        self.n_jobs = n_jobs
        self.random_state = random_state

    # ------------------------------------------------------------------ validation
    def _validate_X(self, X, y=None, *, reset):
        """Recode categoricals, then ``validate_data``; infinity is rejected.

        When fitting, also returns ``y``, the mask of features passed through and
        the mask of columns holding NaN.
        """
        discrete = None
        if reset:
            auto = auto_discrete_mask(X)
            self._category_levels = {}
            if isinstance(X, pd.DataFrame):
                names = np.asarray(X.columns, dtype=object)
                discrete = resolve_discrete_features(
                    self.discrete_features,
                    X.shape[1],
                    auto_mask=auto,
                    feature_names=names,
                )
                self._category_levels = category_levels(X, discrete)
        elif isinstance(X, pd.DataFrame) and hasattr(self, "feature_names_in_"):
            # Columns are recoded by position below: first make sure they are the
            # columns of fit, in order (scikit-learn's own message otherwise).
            validate_data(self, X, reset=False, skip_check_array=True)
        if isinstance(X, pd.DataFrame) and self._category_levels:
            X = recode_categoricals(X, self._category_levels)

        check_no_text(
            X,
            categorical_hint="it cannot be binned. Pass it through as a discrete "
            "feature with discrete_features='auto' or by listing it.",
        )
        # Finiteness is checked below, in the same pass that finds NaN columns.
        options = {"dtype": _FLOAT_DTYPES, "ensure_all_finite": False}
        if reset and self.strategy == "mdlp":
            check_target_length(X, y)
            X, y = validate_data(self, X, y, **options)
        else:
            X = validate_data(self, X, reset=reset, **options)
        nan_columns = _columns_with_nan(X)
        if not reset:
            return X
        if discrete is None:
            names = getattr(self, "feature_names_in_", None)
            discrete = resolve_discrete_features(
                self.discrete_features, X.shape[1], auto_mask=auto, feature_names=names
            )
        return X, y, discrete, nan_columns

    def _resolve_n_bins(self, n_features: int, n_effective: float) -> NDArray:
        if isinstance(self.n_bins, str):
            # (the rule caps the count long before 1e15; huge weights stay finite)
            return np.full(n_features, auto_n_bins(round(min(n_effective, 1e15))))
        if isinstance(self.n_bins, Integral):
            return np.full(n_features, int(self.n_bins))
        n_bins = np.asarray(self.n_bins)
        if n_bins.shape != (n_features,):
            raise ValueError(
                f"n_bins must be an int, 'auto' or an array of shape ({n_features},),"
                f" got shape {n_bins.shape}."
            )
        if n_bins.dtype.kind not in "iu" or (n_bins < 2).any():
            raise ValueError(
                f"n_bins must hold integers of at least 2, got {n_bins.tolist()}."
            )
        return n_bins.astype(np.intp)

    def _column_name(self, j: int) -> str:
        names = getattr(self, "feature_names_in_", None)
        return f"Column {names[j]!r}" if names is not None else f"Column {j}"

    # ------------------------------------------------------------------------- fit
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None, sample_weight=None):
        """Choose the cut points of every feature.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data; NaN allowed (its own bin), infinite values not. A dask
            array (chunked along rows) or DataFrame is fitted on the workers
            without gathering it; ``y`` and ``sample_weight`` may then be numpy,
            pandas or dask, and ``"mdlp"`` should set ``n_candidates`` (see Notes).
        y : array-like of shape (n_samples,), default=None
            Class labels, required by ``strategy="mdlp"`` and ignored otherwise.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative frequency weights, not all zero (see Notes of the class):
            an integer weight acts like repeated rows, and weights summing to less
            than the number of rows can be scaled by any constant in ``(0, 1]``
            without changing any edge.

            .. versionchanged:: 0.2
               MDLP and ``n_bins="auto"`` count the effective number of samples
               ``max(sum(w), count(w > 0))``, not the sum of the weights.

        Returns
        -------
        self : object
            Fitted discretizer.

        Examples
        --------
        >>> from skinfo import EntropyDiscretizer
        >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]
        >>> EntropyDiscretizer().fit(X, y).n_bins_
        array([2])
        """
        if is_dask(X):  # row blocks on the workers; X is never gathered
            from skinfo import _dask_discretization

            return _dask_discretization.fit(self, X, y, sample_weight)
        y, sample_weight = _computed(y), _computed(sample_weight)
        X = as_pandas(X)
        check_no_text(X)
        raw = X
        X, y, discrete, nan_columns = self._validate_X(X, y, reset=True)
        exact = integer_columns(raw, discrete)
        n_samples, n_features = X.shape
        weights = check_sample_weight(sample_weight, X)
        supervised = self.strategy == "mdlp"
        if supervised:
            try:
                check_classification_targets(y)
            except ValueError as exc:
                y_type = type_of_target(y, input_name="y")
                if y_type not in ("continuous", "continuous-multioutput"):
                    raise
                raise ValueError(
                    f"strategy='mdlp' needs a classification target, but y is "
                    f"{y_type}. Bin the features of a regression problem with "
                    "strategy='uniform' or strategy='quantile' instead."
                ) from exc
            classes, y_codes = encode_labels(y)
        elif (
            self.strategy == "quantile"
            and weights is not None
            and self.quantile_method not in _WEIGHTED_QUANTILE_METHODS
            and (self.subsample is None or n_samples <= self.subsample)
        ):
            raise ValueError(
                "quantile_method must be 'inverted_cdf' or 'averaged_inverted_cdf' "
                f"with sample_weight, got {self.quantile_method!r}. Pick one of "
                "those, or fit without sample_weight."
            )

        positive = None
        if weights is not None and not (weights > 0).all():
            positive = weights > 0  # zero weight: as if the row were absent
        continuous = np.flatnonzero(~discrete)
        rng = check_random_state(self.random_state)
        has_missing = np.zeros(n_features, dtype=bool)
        self.n_bins_ = np.zeros(n_features, dtype=np.intp)
        self.bin_edges_ = np.empty(n_features, dtype=object)
        self.cut_points_ = np.empty(n_features, dtype=object)
        self.cut_gains_ = np.empty(n_features, dtype=object)
        self.categories_ = np.empty(n_features, dtype=object)
        if continuous.size:
            Xc = X if continuous.size == n_features else X[:, continuous]
            if supervised:
                if self.n_candidates is not None:
                    # the grid's rows, drawn among all rows as a Dask fit draws
                    # them, so that both give the same edges
                    sample = sample_row_index(
                        n_samples, self.subsample, self.random_state
                    )
                    Xs = Xc if sample is None else Xc[sample]
                    ws = (
                        weights
                        if sample is None or weights is None
                        else weights[sample]
                    )
                    if ws is not None and not (ws > 0).all():
                        Xs, ws = Xs[ws > 0], ws[ws > 0]
                if positive is not None:
                    Xc, weights_c = Xc[positive], weights[positive]
                    y_c = y_codes[positive]
                else:
                    weights_c, y_c = weights, y_codes
                # (no copy of X: each column is copied once, when it is sorted)
                missing_c = nan_columns[continuous]
                if positive is not None and missing_c.any():
                    missing_c = _columns_with_nan(Xc)
                if self.n_candidates is not None:
                    cuts, gains = self._fit_mdlp_grid(
                        Xc, Xs, ws, y_c, classes.size, weights_c
                    )
                else:
                    cuts, gains = self._fit_mdlp(
                        Xc, missing_c, y_c, classes.size, weights_c, rng
                    )
                # Ranges ignoring NaN (fmin/fmax skip it; all-NaN gives NaN).
                lo, hi = np.fmin.reduce(Xc, axis=0), np.fmax.reduce(Xc, axis=0)
                edges = [
                    np.concatenate(([lo[i]], cuts[i], [hi[i]]))
                    for i in range(continuous.size)
                ]
            else:
                n_eff = n_samples
                if weights is not None:
                    n_eff = max(float(weights.sum()), int(np.count_nonzero(weights)))
                n_bins = self._resolve_n_bins(n_features, n_eff)[continuous]
                edges = self._fit_unsupervised(Xc, n_bins, weights, rng)
                gains = [np.full(e.size - 2, np.nan) for e in edges]
                missing_c = nan_columns[continuous]
                if positive is not None and missing_c.any():
                    missing_c = _columns_with_nan(Xc[positive])
            has_missing[continuous] = missing_c
            for i, j in enumerate(continuous):
                self.bin_edges_[j] = edges[i]
                self.cut_points_[j] = edges[i][1:-1]
                self.cut_gains_[j] = gains[i]
                self.n_bins_[j] = edges[i].size - 1
        for j in np.flatnonzero(discrete):
            column = exact.get(j)
            if column is None:
                column = X[:, j].astype(np.float64)
                missing = np.isnan(column)
            else:  # exact integers (masked where a nullable column is missing)
                column, missing = np.ma.getdata(column), np.ma.getmaskarray(column)
            seen = ~missing if positive is None else ~missing & positive
            has_missing[j] = (missing if positive is None else missing & positive).any()
            self.categories_[j] = np.unique(column[seen])
            self.cut_points_[j] = np.empty(0)
            self.cut_gains_[j] = np.empty(0)
            self.bin_edges_[j] = np.empty(0)
            self.n_bins_[j] = self.categories_[j].size
        self.discrete_features_ = discrete
        self.has_missing_ = has_missing
        return self

    def _fit_mdlp(self, Xc, has_missing, y_codes, n_classes, weights, rng):
        rows = _subsample_index(Xc.shape[0], self.subsample, rng)
        if rows is not None:
            y_codes = y_codes[rows]
            weights = None if weights is None else weights[rows]

        def one(j):
            column = Xc[:, j] if rows is None else Xc[rows, j]
            y_j, w_j = y_codes, weights
            if has_missing[j]:
                ok = ~np.isnan(column)
                column, y_j = column[ok], y_codes[ok]
                w_j = None if weights is None else weights[ok]
            if w_j is not None and not (w_j > 0).any():
                return np.empty(0), np.empty(0)  # nothing with weight to cut
            return mdlp_cut_points(
                column,
                y_j,
                n_classes,
                sample_weight=w_j,
                min_samples_leaf=self.min_samples_leaf,
                max_bins=self.max_bins,
            )

        results = Parallel(n_jobs=self.n_jobs, prefer="threads")(
            delayed(one)(j) for j in range(Xc.shape[1])
        )
        return [r[0] for r in results], [r[1] for r in results]

    def _fit_mdlp_grid(self, Xc, Xs, ws, y_codes, n_classes, weights):
        """Cut every column by MDLP on its grid of candidate cuts.

        The grid comes from the sampled rows ``Xs`` (weights ``ws``), the class
        counts from every row of ``Xc``; all weights are positive (or None).
        """
        exponent = 0 if weights is None else _weight_exponent(float(weights.max()))

        def one(j):
            sample = Xs[:, j]
            finite = ~np.isnan(sample)
            cuts = _candidate_cuts(
                sample[finite].astype(np.float64),  # midpoints as exact search
                None if ws is None else ws[finite],
                self.n_candidates,
            )
            counts, sums, n_fractional = _interval_counts(
                Xc[:, j], y_codes, weights, cuts, n_classes, exponent
            )
            return _mdlp_from_counts(
                counts,
                sums,
                cuts,
                n_fractional=n_fractional,
                exponent=exponent,
                min_samples_leaf=self.min_samples_leaf,
                max_bins=self.max_bins,
            )

        results = Parallel(n_jobs=self.n_jobs, prefer="threads")(
            delayed(one)(j) for j in range(Xc.shape[1])
        )
        return [r[0] for r in results], [r[1] for r in results]

    def _fit_unsupervised(self, Xc, n_bins, weights, rng):
        """All edges of every column, as KBinsDiscretizer places them."""
        n_samples = Xc.shape[0]
        if self.subsample is not None and n_samples > self.subsample:
            rows = _kbins_draw(n_samples, self.subsample, weights, rng)
            Xc, weights = Xc[rows], None
        elif weights is not None and not (weights > 0).all():
            keep = weights > 0
            Xc, weights = Xc[keep], weights[keep]

        def one(j):
            return _column_edges(
                Xc[:, j], weights, int(n_bins[j]), self.strategy, self.quantile_method
            )

        return Parallel(n_jobs=self.n_jobs, prefer="threads")(
            delayed(one)(j) for j in range(Xc.shape[1])
        )

    # ------------------------------------------------------------------- transform
    def _discrete_codes(self, j: int, column, exact) -> NDArray[np.int64]:
        """Codes of one feature passed through: index into ``categories_[j]``.

        NaN gets ``n_bins_[j]``, a value not seen in fit -1 (after
        ``handle_unknown``).
        """
        categories = self.categories_[j]
        if exact is not None:
            values, missing = np.ma.getdata(exact), np.ma.getmaskarray(exact)
            if categories.dtype.kind not in "iu":
                values = values.astype(np.float64)
        else:
            values, missing = column, np.isnan(column)
        if categories.size == 0:
            index = np.full(values.size, -1, dtype=np.int64)
        else:
            index = np.searchsorted(categories, values)
            np.minimum(index, categories.size - 1, out=index)
            index = np.where(categories[index] == values, index, -1).astype(np.int64)
        unknown = (index < 0) & ~missing
        if unknown.any() and self.handle_unknown != "ignore":
            shown = np.unique(values[unknown])[:5].tolist()
            if self._category_levels.get(j) is not None:
                shown = "categories not seen in fit"
            message = (
                f"{self._column_name(j)} of X holds values not seen in fit: {shown}."
            )
            if self.handle_unknown == "error":
                raise ValueError(
                    f"{message} Set handle_unknown='ignore' (or 'warn') to give them "
                    "the code -1, or refit on data that holds them."
                )
            warnings.warn(
                f"{message} They get the ordinal code -1 and an all-zero one-hot "
                "block; set handle_unknown='ignore' to silence this warning or "
                "'error' to raise.",
                UserWarning,
                stacklevel=5,
            )
        index[missing] = self.n_bins_[j]
        return index

    def _codes(self, X, exact, dtype=np.int64) -> NDArray:
        """Per-feature integer index into the feature's output block.

        ``n_bins_[j]`` is the missing-value code, -1 a value not seen in fit.
        Each column is binned straight into the result (of ``dtype``), so the only
        temporaries are one column's worth.
        """
        n_samples, n_features = X.shape
        codes = np.empty((n_samples, n_features), dtype=dtype)

        def one(j):
            column = X[:, j]
            if self.discrete_features_[j]:
                codes[:, j] = self._discrete_codes(j, column, exact.get(j))
                return
            # X is finite or NaN, and NaN sorts after +inf: with +inf appended to
            # the cuts NaN lands at len(cuts) + 1, its code, in the same search.
            cuts = np.append(self.cut_points_[j], np.inf)
            codes[:, j] = np.searchsorted(cuts, column, side="right")

        if effective_n_jobs(self.n_jobs) == 1 or n_features == 1:
            for j in range(n_features):
                one(j)
        else:  # numpy's search releases the GIL: threads over columns scale
            Parallel(n_jobs=self.n_jobs, prefer="threads")(
                delayed(one)(j) for j in range(n_features)
            )
        return codes

    def transform(self, X):
        """Replace every value by its bin.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data to discretize; NaN allowed.

        Returns
        -------
        Xt : {ndarray, sparse matrix} of shape (n_samples, n_features_out)
            Bin codes (``encode="ordinal"``), or one-hot columns: a sparse CSR
            matrix for ``"onehot"``, a dense array for ``"onehot-dense"``. The dtype
            is ``dtype``, or that of the validated ``X`` when ``dtype`` is None.

        Examples
        --------
        >>> from skinfo import EntropyDiscretizer
        >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]
        >>> disc = EntropyDiscretizer(encode="onehot-dense").fit(X, y)
        >>> disc.transform([[0.5], [2.5]])
        array([[1., 0.],
               [0., 1.]])
        """
        check_is_fitted(self)
        if is_dask(X):  # lazy: a dask array or DataFrame
            from skinfo import _dask_discretization

            return _dask_discretization.transform(self, X)
        X = as_pandas(X)
        check_no_text(X)
        raw = X
        X = self._validate_X(X, reset=False)
        exact = integer_columns(raw, self.discrete_features_)
        out_dtype = X.dtype if self.dtype is None else np.dtype(self.dtype)
        return self._encode(X, exact, out_dtype)

    def _encode(self, X, exact, out_dtype):
        """Bin the validated float ``X`` and encode the codes as ``encode`` says."""
        if self.encode == "ordinal":
            return self._codes(X, exact, dtype=out_dtype)
        codes = self._codes(X, exact)
        widths = self.n_bins_ + self.has_missing_
        offsets = np.concatenate(([0], np.cumsum(widths)[:-1]))
        valid = (codes >= 0) & (codes < widths)
        n_samples = X.shape[0]
        rows = np.broadcast_to(np.arange(n_samples)[:, None], codes.shape)[valid]
        cols = (codes + offsets)[valid]
        shape = (n_samples, int(widths.sum()))
        if self.encode == "onehot-dense":
            out = np.zeros(shape, dtype=out_dtype)
            out[rows, cols] = 1
            return out
        data = np.ones(rows.size, dtype=out_dtype)
        return sp.csr_matrix((data, (rows, cols)), shape=shape)

    def inverse_transform(self, X):
        """Map bins back to representative values.

        A bin of a cut feature becomes its centre (the middle of its two edges), a
        code of a feature passed through its value, the missing-value bin NaN, and
        so do the code -1 and a one-hot block without a one (a value not seen in
        fit).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features_out)
            Output of :meth:`transform`.

        Returns
        -------
        X_original : ndarray of shape (n_samples, n_features)
            Bin centres and values: float64 for one-hot input, float64 or float32
            as ``X`` for ordinal codes (as KBinsDiscretizer); an object array
            of exact Python integers when a feature passed through holds integers
            that this float type cannot represent (beyond ``2**53`` for float64).

        Examples
        --------
        >>> from skinfo import EntropyDiscretizer
        >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]
        >>> disc = EntropyDiscretizer().fit(X, y)
        >>> disc.bin_edges_[0]
        array([0. , 1.5, 3. ])
        >>> disc.inverse_transform([[0.0], [1.0]])
        array([[0.75],
               [2.25]])
        """
        check_is_fitted(self)
        if is_dask(X):  # lazy: a dask array
            from skinfo import _dask_discretization

            return _dask_discretization.inverse_transform(self, X)
        onehot = self.encode != "ordinal"
        X = check_array(
            as_pandas(X),
            accept_sparse="csr" if onehot else False,
            dtype=_FLOAT_DTYPES,
            ensure_all_finite="allow-nan",
        )
        n_features = self.n_bins_.size
        widths = self.n_bins_ + self.has_missing_
        expected = int(widths.sum()) if onehot else n_features
        if X.shape[1] != expected:
            raise ValueError(
                f"X has {X.shape[1]} columns, but the {self.encode} encoding of this "
                f"{type(self).__name__} has {expected}."
            )
        float_dtype = np.dtype(np.float64) if onehot else X.dtype
        exact = all(
            _exact_in(self.categories_[j], float_dtype)
            for j in np.flatnonzero(self.discrete_features_)
        )
        out = np.empty((X.shape[0], n_features), dtype=float_dtype if exact else object)
        offset = 0
        for j in range(n_features):
            if onehot:
                block = X[:, offset : offset + widths[j]]
                block = block.toarray() if sp.issparse(block) else block
                offset += widths[j]
                code = np.argmax(block, axis=1).astype(np.float64)
                code[~(block > 0).any(axis=1)] = np.nan
            else:
                code = X[:, j].astype(np.float64)
            finite = ~np.isnan(code)
            if (
                (code[finite] != np.round(code[finite])).any()
                or (code[finite] < -1).any()
                or (code[finite] > self.n_bins_[j]).any()
            ):
                raise ValueError(
                    f"Column {j} of X holds values that are not bin codes in "
                    f"-1 .. {self.n_bins_[j]}."
                )
            if self.discrete_features_[j]:
                levels = self.categories_[j]
                levels = levels.astype(object if not exact else float_dtype)
            else:
                edges = self.bin_edges_[j]
                levels = ((edges[1:] + edges[:-1]) / 2).astype(float_dtype)
            levels = np.append(levels, np.array([np.nan], dtype=levels.dtype))
            code[finite & (code < 0)] = np.nan  # -1: a value not seen in fit
            finite = ~np.isnan(code)
            index = np.where(finite, code, levels.size - 1).astype(np.intp)
            out[:, j] = levels[index]
        return out

    def get_feature_names_out(self, input_features=None):
        """Get output feature names for transformation.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Input feature names; ``None`` uses ``feature_names_in_`` if defined,
            else ``["x0", "x1", ...]``. When given, they must match
            ``feature_names_in_`` if that is defined.

        Returns
        -------
        feature_names_out : ndarray of str objects
            The input names (ordinal encoding), or one name per one-hot column:
            ``"<feature>_<bin code>.0"`` for cut features (as KBinsDiscretizer
            names them), ``"<feature>_<value>"`` for
            features passed through (the category label for a pandas categorical),
            and ``"<feature>_nan"`` for missing-value columns.

            .. versionchanged:: 0.2
               Bins of cut features are named ``"x0_0.0"`` as in
               KBinsDiscretizer (``"x0_0"`` before).

        Examples
        --------
        >>> import numpy as np
        >>> from skinfo import EntropyDiscretizer
        >>> X, y = [[0.0], [1.0], [2.0], [np.nan]], [0, 0, 1, 1]
        >>> disc = EntropyDiscretizer(encode="onehot").fit(X, y)
        >>> disc.get_feature_names_out(["size"])
        array(['size_0.0', 'size_1.0', 'size_nan'], dtype=object)
        """
        names = super().get_feature_names_out(input_features)
        if self.encode == "ordinal":
            return names
        out = []
        for j, name in enumerate(names):
            levels = self._category_levels.get(j)
            if levels is not None:  # a pandas categorical: its own category labels
                labels = [str(levels[int(v)]) for v in self.categories_[j]]
            elif self.discrete_features_[j]:
                labels = [_format_category(v) for v in self.categories_[j].tolist()]
            else:  # KBinsDiscretizer's names: bin codes as floats
                labels = [str(float(k)) for k in range(self.n_bins_[j])]
            if self.has_missing_[j]:
                labels.append("nan")
            out.extend(f"{name}_{label}" for label in labels)
        return np.asarray(out, dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = self.strategy == "mdlp"
        tags.input_tags.allow_nan = True
        if self.dtype in _FLOAT_DTYPES:
            tags.transformer_tags.preserves_dtype = [np.dtype(self.dtype).name]
        else:
            tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
