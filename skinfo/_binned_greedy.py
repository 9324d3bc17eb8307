"""The greedy path of the binned methods and the p-values of its steps.

For the table-based methods (``"plugin"``, ``"miller_madow"``, ...) the selector
ranks features on integer codes: :func:`_binned_path` runs the forward search (with a
sort-based shortcut for ``"mim"``), and :func:`_path_pvalues` computes, on first
access, the p-values of its steps from the tests of :mod:`skinfo._autostop`. The
module sits between those tests and the estimator, which only calls into it.
"""

from __future__ import annotations

import heapq

import numpy as np
from numpy.typing import NDArray

from skinfo._autostop import (
    _blocks,
    _context_cells,
    _context_terms,
    _independence_pvalues,
    _normal_scores,
    _pvalue_given,
    _step_terms,
)
from skinfo._binning import smallest_uint
from skinfo._greedy import (
    TIE_RTOL,
    _clip,
    _copy_state,
    _new_state,
    _path_done,
    _TableEntropy,
    _update_and_choose,
)
from skinfo._info import entropy_from_counts
from skinfo._progress import report

__all__ = [
    "_CodeTerms",
    "_ScoreSource",
    "_binned_path",
    "_extend_mim",
    "_greedy_walk",
    "_mim_gains",
    "_mim_ranking",
    "_near_tie_order",
    "_ordered_columns",
    "_path_pvalues",
]


def _mim_ranking(relevance: NDArray, length: int) -> NDArray[np.intp]:
    """Return the first ``length`` features in the order :func:`_best` picks them.

    Equal to calling :func:`_best` once per step (scores within ``TIE_RTOL`` of the
    best are tied, the lowest index wins), in ``O(d log d)``: after a stable sort
    by decreasing score, only runs of near-tied but unequal scores need the
    step-by-step rule.
    """
    d = relevance.size
    order = np.argsort(-relevance, kind="stable")
    vals = relevance[order]
    if d > 1:
        tol = TIE_RTOL * np.maximum(1.0, np.abs(vals[:-1]))
        close = vals[1:] >= vals[:-1] - tol
        starts = np.r_[0, np.flatnonzero(~close) + 1]
        stops = np.r_[starts[1:], d]
        mixed = (stops - starts > 1) & (vals[starts] != vals[stops - 1])
        for a, b in zip(starts[mixed], stops[mixed], strict=True):
            order[a:b] = _near_tie_order(vals[a:b], order[a:b])
    return order[: min(length, d)]


def _near_tie_order(vals: NDArray, index: NDArray) -> list[int]:
    """:func:`_best`'s order of a run of near-tied scores, sorted decreasingly.

    Each step takes the lowest index among the untaken scores within
    ``TIE_RTOL`` of the largest untaken one. That window only grows to the right
    as the largest score falls, so a heap of the indices in the window gives each
    step in ``O(log n)``.
    """
    neg = -vals
    taken = np.zeros(vals.size, dtype=bool)
    heap, out = [], []
    head = pushed = 0
    for _ in range(vals.size):
        while taken[head]:
            head += 1
        top = float(vals[head])
        thr = top - TIE_RTOL * max(1.0, abs(top))
        end = int(np.searchsorted(neg, -thr, side="right"))
        while pushed < end:
            heapq.heappush(heap, (int(index[pushed]), pushed))
            pushed += 1
        j, pos = heapq.heappop(heap)
        taken[pos] = True
        out.append(j)
    return out


def _extend_mim(state: dict, max_k: int) -> None:
    """Lengthen a MIM path state to ``max_k`` steps (gains left NaN: on demand)."""
    relevance = state["acc"]["relevance"]
    ranking = _mim_ranking(relevance, max(max_k, len(state["ranking"])))
    state["ranking"] = ranking.tolist()
    state["scores"] = relevance[ranking].tolist()
    state["gains"] = state["scores"][:1] + [np.nan] * (ranking.size - 1)
    state["pvalues"] = [None] * ranking.size


def _mim_gains(data: dict, method: str, first: float) -> NDArray:
    """``gains_`` of a MIM path: ``min_{j < t} I(X_t; Y | X_j)`` of step ``t``.

    ``data`` is as in :func:`_path_pvalues` (the path's columns in selection
    order); ``first`` is the gain of step 0, the relevance of its feature. The
    terms are those the greedy path of the other criteria computes, in one step
    per conditioning column over the later columns only.
    """
    codes = data["codes"]
    m = codes.shape[1]
    gains = np.full(m, np.inf)
    if m == 0:
        return np.zeros(0)
    gains[0] = first
    n_levels = np.asarray(data["n_levels"], dtype=np.intp)
    y_codes = np.ascontiguousarray(data["y_codes"], dtype=np.intp)
    n_y, weights = data["n_y"], data["weights"]
    if not isinstance(codes, np.ndarray):  # sparse: the selected columns only
        codes = codes[:, np.arange(m)]
    codes = np.asfortranarray(codes.astype(smallest_uint(int(n_levels.max()))))
    total = float(np.bincount(y_codes, weights=weights, minlength=n_y).sum())
    entropy = _TableEntropy(method, total, weights is None)
    for j in range(m - 1):
        blocks = _blocks(codes[:, j + 1 :], n_levels[j + 1 :])
        h_s, h_sy, h_ks, h_ksy = _step_terms(
            blocks,
            codes[:, j],
            int(n_levels[j]),
            y_codes,
            n_y,
            weights,
            entropy,
            None,
        )
        cmi = _clip(method, h_ks, h_sy, -h_ksy, -h_s)
        np.minimum(gains[j + 1 :], cmi, out=gains[j + 1 :])
    return gains


class _CodeTerms:
    """Entropy terms of the greedy path, counted from in-memory codes.

    The path (:func:`_greedy_walk`) only asks for entropies: of every column with
    ``Y`` (:meth:`relevance_terms`) and of every column with one selected column and
    ``Y`` (:meth:`step_terms`). Another source of the same terms (the row blocks of
    a dask array, :mod:`skinfo._dask_selection`) can stand in for this one.
    """

    def __init__(self, codes, n_levels, y_codes, n_y, sample_weight, method, n_jobs):
        self.codes, self.n_levels = codes, n_levels
        self.blocks = _blocks(codes, n_levels)
        self.y_codes = np.ascontiguousarray(y_codes, dtype=np.intp)
        self.n_y, self.weights, self.n_jobs = n_y, sample_weight, n_jobs
        self.y_counts = np.bincount(self.y_codes, weights=sample_weight, minlength=n_y)
        total = float(self.y_counts.sum())
        self.entropy = _TableEntropy(method, total, sample_weight is None)
        self.n_features = codes.shape[1]

    def relevance_terms(self) -> tuple[NDArray, NDArray]:
        """``H(X_k)`` and ``H(X_k, Y)`` of every column, from one batch of tables."""
        return _context_terms(
            self.blocks,
            self.y_codes,
            1,
            self.n_y,
            self.weights,
            self.entropy,
            self.n_jobs,
            _context_cells(self.y_codes, 1, self.n_y, self.weights),
        )

    def step_terms(self, s: int) -> tuple[float, float, NDArray, NDArray]:
        """``H(X_s)``, ``H(X_s, Y)``, and ``H(X_k, X_s)``, ``H(X_k, X_s, Y)`` per k."""
        return _step_terms(
            self.blocks,
            self.codes[:, s],
            int(self.n_levels[s]),
            self.y_codes,
            self.n_y,
            self.weights,
            self.entropy,
            self.n_jobs,
        )


def _binned_path(
    codes: NDArray,
    n_levels: NDArray,
    y_codes: NDArray,
    n_y: int,
    sample_weight: NDArray | None,
    criterion: str,
    beta: float,
    method: str,
    *,
    max_k: int,
    stop_alpha: float | None = None,
    resume: dict | None = None,
    n_jobs=None,
) -> dict:
    """Greedy path on coded data (pure; cacheable).

    Returns a state dict: ``ranking``, ``scores``, ``gains``, ``pvalues`` (lists, one
    entry per step) and ``acc`` (per-candidate running sums, enough to resume).
    The path stops after ``max_k`` steps or when every feature is ranked; it
    computes no test (``"auto"`` tests the chosen features in ``fit``, see
    :func:`_walk_tests`), so ``stop_alpha`` is ignored and ``pvalues`` stays None.
    """
    terms = _CodeTerms(codes, n_levels, y_codes, n_y, sample_weight, method, n_jobs)
    return _greedy_walk(terms, criterion, beta, method, max_k=max_k, resume=resume)


def _greedy_walk(
    terms, criterion: str, beta: float, method: str, *, max_k: int, resume=None
) -> dict:
    """Run the forward search of :func:`_binned_path` on any source of terms.

    ``terms`` has ``n_features``, ``y_counts`` (class counts of the coded target),
    ``relevance_terms()`` and ``step_terms(s)`` as :class:`_CodeTerms`.
    """
    n_features = terms.n_features
    h_y = float(entropy_from_counts(terms.y_counts, method=method))

    if resume is None:
        # H(X_k) and H(X_k, Y) of every column from one batch of (X_k, Y) tables.
        h_x, h_xy = terms.relevance_terms()
        relevance = _clip(method, h_x, h_y, -h_xy)
        state = _new_state(relevance)
        state["acc"]["h_x"], state["acc"]["h_xy"] = h_x, h_xy
        report()
    else:
        state = _copy_state(resume)
        h_x, h_xy = state["acc"]["h_x"], state["acc"]["h_xy"]

    if criterion == "mim":
        # MIM never conditions: the path is the order of the relevances, and the
        # gains (which do condition) are computed on demand by _mim_gains
        _extend_mim(state, max_k)
        return state

    while not _path_done(state, n_features, max_k, None):
        s = state["ranking"][-1]
        h_s, h_sy, h_ks, h_ksy = terms.step_terms(s)
        red = _clip(method, h_x, h_s, -h_ks)  # I(X_k; X_s)
        cond = _clip(method, h_xy, h_sy, -h_ksy, -h_y)  # I(X_k; X_s | Y)
        pair = _clip(method, h_ks, h_y, -h_ksy)  # I(X_k, X_s; Y)
        cmi = _clip(method, h_ks, h_sy, -h_ksy, -h_s)  # I(X_k; Y | X_s)
        with np.errstate(divide="ignore", invalid="ignore"):
            disr = np.where(h_ksy > 0, pair / h_ksy, 0.0)
        _update_and_choose(state, criterion, beta, red, cond, pair, cmi, disr)
        report()
    return state


def _ordered_columns(discrete, n_levels, bin_edges) -> NDArray[np.bool_]:
    """Columns with ordered values: binned continuous columns without NaN."""
    ordered = np.zeros(discrete.size, dtype=bool)
    for j in np.flatnonzero(~discrete):
        ordered[j] = n_levels[j] == len(bin_edges[j]) + 1
    return ordered


class _ScoreSource:
    """Normal scores of column ``j`` on demand (None if it is not ordered).

    A class rather than a closure so that a fitted selector, which keeps one for
    its lazy ``pvalues_``, can be pickled.
    """

    def __init__(self, X: NDArray, ordered: NDArray, weights):
        self.X, self.ordered, self.weights = X, ordered, weights

    def __call__(self, j: int):
        """Scores of column ``j``, or None."""
        if not self.ordered[j]:
            return None
        return _normal_scores(self.X[:, j], self.weights)


def _path_pvalues(data: dict, n_features: int) -> NDArray:
    """:func:`_walk_tests` p-values of a fixed-size path (every step accepted).

    ``data`` is as in :func:`_pvalue_given`, with the path's columns in selection
    order, so step ``t`` is tested given the columns ``0 .. t - 1``; the tests
    given one earlier column are batched by that column.
    """
    codes = data["codes"]
    length = codes.shape[1]
    if length == 0:
        return np.zeros(0)
    y_codes, n_y = data["y_codes"], data["n_y"]
    scores = np.full(codes.shape, np.nan)
    for j in range(length):
        score = data["scores"](j)
        if score is not None:
            scores[:, j] = score
    each = np.zeros(length)
    for i in range(length - 1):
        later = slice(i + 1, length)
        p_given = _independence_pvalues(
            codes[:, later],
            data["n_levels"][later],
            scores[:, later],
            codes[:, i].astype(np.intp) * n_y + y_codes,
            int(data["n_levels"][i]),
            n_y,
            data["weights"],
        )
        np.maximum(each[later], p_given, out=each[later])
    joint = np.array(
        [_pvalue_given(data, t, list(range(t)), coarse=True) for t in range(length)]
    )
    adjusted = np.minimum(1.0, joint * (n_features - np.arange(length)))
    return np.maximum(adjusted, each)
