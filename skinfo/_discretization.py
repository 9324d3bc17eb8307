"""Entropy-based discretization: the MDLP cut search and :class:`EntropyDiscretizer`.

The cut search of Fayyad & Irani (1993) is the pure function :func:`mdlp_cut_points`,
shared with the feature selector. It sorts a feature once, turns the sorted labels
into cumulative class counts at every change of value, and scores all candidate cuts
of an interval at once from those counts, so a feature costs one sort plus a few
vectorized passes per level of the recursion.
"""

from __future__ import annotations

import heapq
from numbers import Integral

import numpy as np
import pandas as pd
import scipy.sparse as sp
from joblib import Parallel, delayed
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from skinfo._base import DocLinkMixin
from skinfo._binning import (
    BINNING_CONSTRAINTS,
    apply_bin_edges,
    auto_discrete_mask,
    auto_n_bins,
    check_no_text,
    check_sample_weight,
    encode_labels,
    fit_bin_edges,
    resolve_discrete_features,
)
from skinfo._compat import Interval, Options, StrOptions, _fit_context

__all__ = ["EntropyDiscretizer", "mdlp_cut_points"]

_FLOAT_DTYPES = (np.float64, np.float32)

#: Largest count for which ``n log n`` is looked up in a table instead of computed.
_TABLE_MAX = 1 << 22

#: Candidate cuts whose scaled class entropy is this close (relative) count as tied.
_TIE_RTOL = 1e-12


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

    def __init__(self, cum, presence, rows, values, starts, min_samples_leaf):
        self.cum = cum  # (n_classes, n_pos + 1) cumulative class weights
        self.total = cum.sum(axis=0)  # cumulative total weight
        self.presence = presence  # cumulative unweighted class counts
        self.rows = rows  # cumulative number of rows
        self.values = values  # the distinct values, increasing
        self.starts = starts  # index in ``values`` of the first value right of s
        self.min_samples_leaf = min_samples_leaf
        self.last = cum.shape[1] - 1
        self.table = None
        if np.issubdtype(cum.dtype, np.integer) and self.total[-1] <= _TABLE_MAX:
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
        if n <= 1.0:
            return None

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
        if not gain > (np.log(n - 1.0) + delta) / n:
            return None
        right_value = self.starts[s]
        cut = float(_midpoints(self.values[right_value - 1], self.values[right_value]))
        return n * gain, cut, gain / np.log(2.0), s


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
        Non-negative frequency weights. Class counts become sums of weights and the
        ``N`` of the MDL test is the total weight, so integer weights give exactly
        the cuts of repeated rows; rows of weight zero are ignored, and an interval
        of total weight at most 1 is never split.
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
    weights = None
    if sample_weight is not None:
        weights = np.asarray(sample_weight, dtype=np.float64).ravel()
        keep = weights > 0
        if not keep.all():
            x, y_codes, weights = x[keep], y_codes[keep], weights[keep]
        if np.array_equal(weights, np.floor(weights)):
            weights = weights.astype(np.int64)
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
    search = _CutSearch(cum, presence, rows, values, starts, int(min_samples_leaf))

    # Best-first over intervals: with no cap the order does not matter and every
    # accepted split is taken, which is exactly the paper's recursion.
    heap: list = []

    def push(a, b):
        found = search.best_split(a, b)
        if found is not None:
            priority, cut, gain, s = found
            heapq.heappush(heap, (-priority, cut, gain, a, s, b))

    push(0, rows.size - 1)
    cuts, gains = [], []
    while heap and (max_bins is None or len(cuts) + 1 < max_bins):
        _, cut, gain, a, s, b = heapq.heappop(heap)
        cuts.append(cut)
        gains.append(gain)
        push(a, s)
        push(s, b)
    if not cuts:
        return empty
    cuts_arr = np.asarray(cuts, dtype=np.float64)
    order = np.argsort(cuts_arr)
    return cuts_arr[order], np.asarray(gains, dtype=np.float64)[order]


# ------------------------------------------------------------------------ helpers
def _subsample_index(n_samples: int, subsample, rng) -> NDArray[np.intp] | None:
    """Sorted rows of a uniform subsample, or None when all rows are used."""
    if subsample is None or n_samples <= subsample:
        return None
    return np.sort(rng.choice(n_samples, size=subsample, replace=False))


def _recode_categoricals(X: pd.DataFrame, levels: dict) -> pd.DataFrame:
    """Replace the listed pandas categorical columns by their category codes.

    Codes follow the categories in ``levels`` (those seen in fit); a missing value
    becomes NaN and a category outside ``levels`` becomes -1.
    """
    X = X.copy(deep=False)
    for j, categories in levels.items():
        if j >= X.shape[1]:
            continue
        column = X.iloc[:, j]
        if not isinstance(column.dtype, pd.CategoricalDtype):
            continue
        missing = column.isna().to_numpy()
        codes = pd.Index(categories).get_indexer(column.to_numpy(dtype=object))
        codes = codes.astype(np.float64)
        codes[missing] = np.nan
        X.isetitem(j, codes)
    return X


def _format_category(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


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
    ``"quantile"`` (equal-frequency, i.e. maximum-entropy, bins) need no target, so
    the estimator can stand in for :class:`~sklearn.preprocessing.KBinsDiscretizer`.

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
        ``"auto"`` takes the cube root of the number of samples, between 2 and 16.

    max_bins : int, default=None
        Cap on the number of MDLP bins per feature. Accepted splits are then taken
        best first, by the decrease of the feature's class entropy, until the cap
        is reached. A departure from the paper, whose recursion has no cap.

    min_samples_leaf : int, default=1
        Smallest number of training rows (not weight) an MDLP interval may hold;
        candidate cuts leaving fewer on one side are skipped.

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
        Cut points of ``"mdlp"`` and ``"quantile"`` are computed on a uniform random
        subsample of this many rows (without replacement, weights kept) when there
        are more; ``None`` uses every row.

    discrete_features : None, bool, "auto" or array-like, default=None
        Features already discrete, passed through instead of being cut: a boolean
        mask, integer indices or column names; ``True`` for all features, ``None``
        or ``False`` for none. ``"auto"`` takes columns of integer, boolean or pandas
        categorical dtype (for an array, all columns if its dtype is integer or
        boolean). In ordinal encoding their values come out unchanged (a pandas
        categorical column as its category codes); in one-hot encoding they get one
        column per value seen in fit.

    n_jobs : int, default=None
        Threads over features when searching cuts, and of the binning kernel in
        :meth:`transform`. The result does not depend on it. ``None`` means 1,
        ``-1`` all processors.

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
        Sorted distinct values (excluding NaN) of each feature passed through, as
        floats; ``None`` for the features that are cut.

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

    **Weights.** ``sample_weight`` turns class counts into sums of weights and
    ``N`` into the total weight of the interval: weights are frequency weights, an
    integer weight acts exactly like a repeated row, rows of zero weight are
    ignored throughout, and the stopping rule is not invariant to rescaling the
    weights (an interval of total weight at most 1 is never split). The
    unsupervised strategies use weighted quantiles and the range of the rows of
    positive weight.

    **Missing values.** NaN takes no part in choosing cuts, and gets a bin of its
    own: in ordinal encoding the code ``n_bins_[j]`` (a feature passed through
    keeps NaN), in one-hot encoding an extra column for each feature that had NaN
    in fit. NaN met in :meth:`transform` by a feature without NaN in fit gets the
    same ordinal code, and an all-zero block in one-hot encoding, as does a value
    of a passed-through feature not seen in fit. Infinite values raise an error.

    **Unseen values** below the smallest or above the largest cut land in the
    first or last bin; a value equal to a cut belongs to the upper bin.

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
    """

    _parameter_constraints: dict = {
        "strategy": [StrOptions({"mdlp", "uniform", "quantile"})],
        "n_bins": [*BINNING_CONSTRAINTS["n_bins"], "array-like"],
        "max_bins": [Interval(Integral, 2, None, closed="left"), None],
        "min_samples_leaf": [Interval(Integral, 1, None, closed="left")],
        "encode": [StrOptions({"ordinal", "onehot", "onehot-dense"})],
        "dtype": [Options(type, {np.float64, np.float32}), None],
        "subsample": [Interval(Integral, 1, None, closed="left"), None],
        "discrete_features": [None, "boolean", StrOptions({"auto"}), "array-like"],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        strategy="mdlp",
        *,
        n_bins=5,
        max_bins=None,
        min_samples_leaf=1,
        encode="ordinal",
        dtype=None,
        subsample=200_000,
        discrete_features=None,
        n_jobs=None,
        random_state=None,
    ):
        self.strategy = strategy
        self.n_bins = n_bins
        self.max_bins = max_bins
        self.min_samples_leaf = min_samples_leaf
        self.encode = encode
        self.dtype = dtype
        self.subsample = subsample
        self.discrete_features = discrete_features
        self.n_jobs = n_jobs
        self.random_state = random_state

    # ------------------------------------------------------------------ validation
    def _validate_X(self, X, y=None, *, reset):
        """Recode categoricals, then ``validate_data`` (which rejects infinity).

        When fitting, also returns ``y`` and the mask of features passed through.
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
                self._category_levels = {
                    int(j): X.iloc[:, j].cat.categories
                    for j in np.flatnonzero(discrete)
                    if isinstance(X.dtypes.iloc[j], pd.CategoricalDtype)
                }
        if isinstance(X, pd.DataFrame) and self._category_levels:
            X = _recode_categoricals(X, self._category_levels)

        check_no_text(
            X,
            categorical_hint="it cannot be binned. Pass it through as a discrete "
            "feature with discrete_features='auto' or by listing it.",
        )
        options = {"dtype": _FLOAT_DTYPES, "ensure_all_finite": "allow-nan"}
        if reset and self.strategy == "mdlp":
            X, y = validate_data(self, X, y, **options)
        else:
            X = validate_data(self, X, reset=reset, **options)
        # (with "allow-nan", validate_data rejects infinite values itself)
        if not reset:
            return X
        if discrete is None:
            names = getattr(self, "feature_names_in_", None)
            discrete = resolve_discrete_features(
                self.discrete_features, X.shape[1], auto_mask=auto, feature_names=names
            )
        return X, y, discrete

    def _resolve_n_bins(self, n_features: int, n_effective: float) -> NDArray:
        if isinstance(self.n_bins, str):
            return np.full(n_features, auto_n_bins(round(n_effective)))
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

    # ------------------------------------------------------------------------- fit
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None, sample_weight=None):
        """Choose the cut points of every feature.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data; NaN allowed (its own bin), infinite values not.
        y : array-like of shape (n_samples,), default=None
            Class labels, required by ``strategy="mdlp"`` and ignored otherwise.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative frequency weights (see Notes of the class).

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
        X, y, discrete = self._validate_X(X, y, reset=True)
        n_features = X.shape[1]
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
        if weights is not None and not (weights > 0).all():
            keep = weights > 0  # zero weight: as if the row were absent
            X, weights = X[keep], weights[keep]
            if supervised:
                y_codes = y_codes[keep]

        continuous = np.flatnonzero(~discrete)
        XF = np.asfortranarray(X, dtype=np.float64)  # column-wise work from here on
        Xc = XF if continuous.size == n_features else XF[:, continuous]
        has_missing = np.isnan(XF).any(axis=0)
        rng = check_random_state(self.random_state)
        if supervised:
            cuts, gains = self._fit_mdlp(
                Xc, has_missing[continuous], y_codes, classes.size, weights, rng
            )
        else:
            n_eff = X.shape[0] if weights is None else float(weights.sum())
            n_bins = self._resolve_n_bins(n_features, n_eff)[continuous]
            cuts = self._fit_unsupervised(Xc, n_bins, weights, rng)
            gains = [np.full(c.size, np.nan) for c in cuts]

        # Column ranges ignoring NaN (fmin/fmax skip it; an all-NaN column gives NaN).
        lo, hi = np.fmin.reduce(Xc, axis=0), np.fmax.reduce(Xc, axis=0)
        self.discrete_features_ = discrete
        self.has_missing_ = has_missing
        self.n_bins_ = np.zeros(n_features, dtype=np.intp)
        self.bin_edges_ = np.empty(n_features, dtype=object)
        self.cut_points_ = np.empty(n_features, dtype=object)
        self.cut_gains_ = np.empty(n_features, dtype=object)
        self.categories_ = np.empty(n_features, dtype=object)
        for i, j in enumerate(continuous):
            self.cut_points_[j] = cuts[i]
            self.cut_gains_[j] = gains[i]
            self.bin_edges_[j] = np.concatenate(([lo[i]], cuts[i], [hi[i]]))
            self.n_bins_[j] = cuts[i].size + 1
        for j in np.flatnonzero(discrete):
            column = XF[:, j]
            self.categories_[j] = np.unique(column[~np.isnan(column)])
            self.cut_points_[j] = np.empty(0)
            self.cut_gains_[j] = np.empty(0)
            self.bin_edges_[j] = np.empty(0)
            self.n_bins_[j] = self.categories_[j].size
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

    def _fit_unsupervised(self, Xc, n_bins, weights, rng):
        return fit_bin_edges(
            Xc,
            n_bins,
            self.strategy,
            sample_weight=weights,
            subsample=self.subsample,
            random_state=rng,
            n_jobs=self.n_jobs,
        )

    # ------------------------------------------------------------------- transform
    def _codes(self, X, *, discrete=True) -> NDArray:
        """Per-feature integer index into the feature's output block; -1 = no bin.

        With ``discrete=False`` the columns of features passed through are left
        unset.
        """
        n_samples, n_features = X.shape
        codes = np.empty((n_samples, n_features), dtype=np.int64)
        continuous = np.flatnonzero(~self.discrete_features_)
        if continuous.size:
            subset = X if continuous.size == n_features else X[:, continuous]
            raw, _ = apply_bin_edges(
                subset, [self.cut_points_[j] for j in continuous], n_jobs=self.n_jobs
            )
            codes[:, continuous] = raw
        if not discrete:
            return codes
        for j in np.flatnonzero(self.discrete_features_):
            column, categories = X[:, j], self.categories_[j]
            if categories.size == 0:
                index = np.full(n_samples, -1, dtype=np.int64)
            else:
                index = np.searchsorted(categories, column)
                np.minimum(index, categories.size - 1, out=index)
                index = np.where(categories[index] == column, index, -1)
            index[np.isnan(column)] = self.n_bins_[j]
            codes[:, j] = index
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
        X = self._validate_X(X, reset=False)
        out_dtype = X.dtype if self.dtype is None else np.dtype(self.dtype)
        if self.encode == "ordinal":
            out = self._codes(X, discrete=False).astype(out_dtype)
            discrete = self.discrete_features_
            out[:, discrete] = X[:, discrete]
            return out
        codes = self._codes(X)
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

        A bin of a cut feature becomes its centre (the middle of its two edges), the
        missing-value bin NaN; a feature passed through gets back its value (one-hot:
        the category of its column). Rows of a one-hot block without a one give NaN.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features_out)
            Output of :meth:`transform`.

        Returns
        -------
        X_original : ndarray of shape (n_samples, n_features)
            Bin centres, in float64 or float32 as ``X``.

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
        onehot = self.encode != "ordinal"
        X = check_array(
            X,
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
        out = np.empty((X.shape[0], n_features), dtype=X.dtype)
        offset = 0
        for j in range(n_features):
            if onehot:
                block = X[:, offset : offset + widths[j]]
                block = block.toarray() if sp.issparse(block) else block
                offset += widths[j]
                code = np.argmax(block, axis=1).astype(np.float64)
                code[~(block > 0).any(axis=1)] = np.nan
            elif self.discrete_features_[j]:
                out[:, j] = X[:, j]
                continue
            else:
                code = X[:, j].astype(np.float64)
            finite = ~np.isnan(code)
            if (
                (code[finite] != np.round(code[finite])).any()
                or (code[finite] < 0).any()
                or (code[finite] > self.n_bins_[j]).any()
            ):
                raise ValueError(
                    f"Column {j} of X holds values that are not bin codes in "
                    f"0 .. {self.n_bins_[j]}."
                )
            if self.discrete_features_[j]:
                levels = np.append(self.categories_[j], np.nan)
            else:
                edges = self.bin_edges_[j]
                levels = np.append((edges[1:] + edges[:-1]) / 2, np.nan)
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
            ``"<feature>_<bin code>"`` for cut features, ``"<feature>_<value>"`` for
            features passed through (the category label for a pandas categorical),
            and ``"<feature>_nan"`` for missing-value columns.

        Examples
        --------
        >>> import numpy as np
        >>> from skinfo import EntropyDiscretizer
        >>> X, y = [[0.0], [1.0], [2.0], [np.nan]], [0, 0, 1, 1]
        >>> disc = EntropyDiscretizer(encode="onehot").fit(X, y)
        >>> disc.get_feature_names_out(["size"])
        array(['size_0', 'size_1', 'size_nan'], dtype=object)
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
                labels = [_format_category(v) for v in self.categories_[j]]
            else:
                labels = [str(k) for k in range(self.n_bins_[j])]
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
