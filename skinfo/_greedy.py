"""Constants of the selector and the state machine of its greedy forward path.

:class:`~skinfo.MIFeatureSelector` adds one feature per step: the running sums of
relevance and redundancy terms live in a small ``state`` dictionary that the binned
path and the kNN path both update through :func:`_update_and_choose`. The module also
holds every module-level constant of the selector (criteria, table budgets, the
settings of ``n_features_to_select="auto"``) so that they are defined in one place,
below the modules that import them.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from skinfo._counting import SMALL_WORK
from skinfo._info import entropy_from_counts, grassberger_g, roundoff_sum

__all__ = [
    "COMPILED_CELLS_PER_SAMPLE",
    "CRITERIA",
    "KNN_CRITERIA",
    "LUT_MAX_COUNT",
    "METHODS",
    "MIN_SAMPLES_PER_LEVEL",
    "MIN_STRATUM",
    "N_PERMUTATIONS",
    "PATIENCE",
    "QUOTIENT_FLOOR",
    "SHARED_WIDTH",
    "SMALL_KERNEL",
    "SPARSE_CELLS_PER_SAMPLE",
    "SPARSE_MIN_CELLS",
    "TABLE_BUDGET",
    "TIE_RTOL",
    "TREND_WEIGHT",
    "_PATH_IGNORE",
    "_TableEntropy",
    "_best",
    "_clip",
    "_copy_state",
    "_criterion_scores",
    "_missing_pvalues",
    "_new_state",
    "_path_done",
    "_sum_last",
    "_update_and_choose",
]


#: Criteria of Brown et al. (2012) that the selector implements.
CRITERIA = (
    "mim",
    "mifs",
    "mrmr",
    "mrmr_quotient",
    "jmi",
    "jmim",
    "cmim",
    "disr",
    "cife",
    "icap",
    "condred",
)

#: How mutual information is estimated: three count-based estimators and kNN.
METHODS = ("plugin", "miller_madow", "grassberger", "knn")

#: Criteria the kNN path supports (DISR needs a joint entropy, which has no
#: comparable differential counterpart).
KNN_CRITERIA = tuple(c for c in CRITERIA if c != "disr")

#: Scores within this relative distance of the best score count as tied, and the
#: lowest feature index wins: round-off must not decide between equal scores.
TIE_RTOL = 1e-10

#: Denominator floor of the mRMR quotient (nats), so a candidate with no
#: redundancy gets a large finite score that still orders by relevance.
QUOTIENT_FLOOR = 1e-12

#: Cells of the batched three-way table counted in one kernel call (bounds memory).
TABLE_BUDGET = 1 << 22

#: Largest sample size for which ``n log n`` is looked up instead of computed.
LUT_MAX_COUNT = 1 << 22

#: Counting kernels over fewer cells than this run on one thread.
SMALL_KERNEL = SMALL_WORK

#: A discrete feature with fewer samples than this per level gets a warning.
MIN_SAMPLES_PER_LEVEL = 5

#: Columns with at most this many codes share one table width.
SHARED_WIDTH = 32

#: A column's three-way table with more cells than this many per sample (and
#: more than :data:`SPARSE_MIN_CELLS`) is counted from its observed cells only.
SPARSE_CELLS_PER_SAMPLE = 4

#: The same rule when the compiled observed-cell kernel counts the cells
#: (:func:`~skinfo._counting.cell_terms`, a few ns per sample and column, where a
#: dense table costs about as much per cell).
COMPILED_CELLS_PER_SAMPLE = 1

#: Tables up to this many cells are always counted densely.
SPARSE_MIN_CELLS = 1 << 14

#: Share of the level given to the mean-score (trend) test of an ordered feature;
#: the rest goes to Pearson's omnibus test (weighted Bonferroni).
TREND_WEIGHT = 0.9

#: Samples per stratum that ``"auto"``'s joint conditioning aims at.
MIN_STRATUM = 10

#: ``"auto"`` walks the path until this many candidates in a row fail their test.
PATIENCE = 10

#: Least permutations of the kNN null distribution of ``"auto"``.
N_PERMUTATIONS = 99

#: Arguments of the path functions that do not change the cached result.
_PATH_IGNORE = ["max_k", "stop_alpha", "resume", "n_jobs"]


# ------------------------------------------------------------------ path machinery
def _best(score: NDArray, available: NDArray) -> int:
    """Lowest index among the available features whose score ties the maximum."""
    score = np.where(available & ~np.isnan(score), score, -np.inf)
    top = score.max()
    if np.isinf(top):  # +inf: the first of them; -inf: the first available feature
        return int(np.argmax(score)) if top > 0 else int(np.argmax(available))
    return int(np.flatnonzero(score >= top - TIE_RTOL * max(1.0, abs(top)))[0])


def _criterion_scores(criterion: str, acc: dict, n_selected: int, beta: float):
    """Score of every candidate given the running sums over the selected set."""
    rel = acc["relevance"]
    if criterion == "mim":
        return rel
    if criterion == "mifs":
        return rel - beta * acc["red_sum"]
    if criterion == "mrmr":
        return rel - acc["red_sum"] / n_selected
    if criterion == "mrmr_quotient":
        return rel / np.maximum(acc["red_sum"] / n_selected, QUOTIENT_FLOOR)
    if criterion == "jmi":
        return acc["jmi_sum"]
    if criterion == "jmim":
        return acc["jmi_min"]
    if criterion == "cmim":
        return acc["cmi_min"]
    if criterion == "disr":
        return acc["disr_sum"]
    if criterion == "cife":
        return rel - acc["red_sum"] + acc["cond_sum"]
    if criterion == "icap":
        return rel - acc["icap_sum"]
    if criterion == "condred":
        return rel + acc["cond_sum"]
    raise ValueError(f"criterion must be one of {CRITERIA}, got {criterion!r}.")


def _new_state(relevance: NDArray) -> dict:
    d = relevance.size
    acc = {
        "relevance": relevance,
        "red_sum": np.zeros(d),
        "cond_sum": np.zeros(d),
        "jmi_sum": np.zeros(d),
        "jmi_min": np.full(d, np.inf),
        "cmi_min": np.full(d, np.inf),
        "disr_sum": np.zeros(d),
        "icap_sum": np.zeros(d),
    }
    first = _best(relevance, np.ones(d, dtype=bool))
    return {
        "acc": acc,
        "ranking": [first],
        "scores": [float(relevance[first])],
        "gains": [float(relevance[first])],
        "pvalues": [None],  # kNN MIM's permutation p-values, for "auto" only
    }


def _copy_state(state: dict) -> dict:
    """Copy of a path state whose arrays and lists can be extended in place."""
    copy = {key: list(state[key]) for key in ("ranking", "scores", "gains", "pvalues")}
    copy["acc"] = {name: values.copy() for name, values in state["acc"].items()}
    return copy


def _update_and_choose(
    state: dict,
    criterion: str,
    beta: float,
    red: NDArray,
    cond: NDArray,
    pair: NDArray,
    cmi: NDArray,
    disr: NDArray,
) -> None:
    """Fold one step's pairwise terms into the running sums; append the best.

    The terms pair every candidate with the newest selected feature.
    """
    acc = state["acc"]
    acc["red_sum"] += red
    acc["cond_sum"] += cond
    acc["jmi_sum"] += pair
    np.minimum(acc["jmi_min"], pair, out=acc["jmi_min"])
    np.minimum(acc["cmi_min"], cmi, out=acc["cmi_min"])
    acc["disr_sum"] += disr
    acc["icap_sum"] += np.maximum(0.0, red - cond)
    n_selected = len(state["ranking"])
    available = np.ones(red.size, dtype=bool)
    available[state["ranking"]] = False
    score = _criterion_scores(criterion, acc, n_selected, beta)
    k = _best(score, available)
    state["ranking"].append(k)
    state["scores"].append(float(score[k]))
    state["gains"].append(float(acc["cmi_min"][k]))
    state["pvalues"].append(None)


def _path_done(state: dict, n_features: int, max_k: int, stop_alpha=None) -> bool:
    """Whether the path has ``max_k`` steps or ranks every feature."""
    length = len(state["ranking"])
    return length >= min(max_k, n_features)


def _missing_pvalues(state: dict, stop_alpha) -> bool:
    """Whether ``"auto"`` needs the (kNN MIM) p-values that the state lacks."""
    return stop_alpha is not None and state["pvalues"][0] is None


def _clip(method: str, *terms) -> NDArray:
    """Sum signed entropy terms; plug-in round-off of either sign becomes 0."""
    return roundoff_sum(terms, method)


class _TableEntropy:
    """Entropies (nats) of a batch of count tables, for one estimator and data set.

    Integer counts that all sum to the same ``N`` (unweighted data) use a lookup
    table of ``n log n`` (or of Grassberger's ``n G(n)``), which evaluates exactly
    the terms :func:`skinfo._info.entropy_from_counts` sums, an order of magnitude
    faster than taking logarithms; weighted counts go to that function directly.
    """

    def __init__(self, method: str, total: float, integer: bool):
        self.method, self.total = method, total
        self.plugin_lut = self.method_lut = None
        if integer and total <= LUT_MAX_COUNT:
            n = np.arange(int(total) + 1, dtype=np.float64)
            # the terms n (log N - log n) of entropy_from_counts' plug-in form
            with np.errstate(divide="ignore", invalid="ignore"):
                self.plugin_lut = np.where(n > 0, n * (np.log(total) - np.log(n)), 0.0)
            if method == "grassberger":
                g = grassberger_g(np.maximum(n, 1))
                self.method_lut = np.where(n > 0, n * g, 0.0)

    def __call__(self, counts: NDArray) -> NDArray:
        """Entropy (``method``) of each table ``counts[i]`` (all cells).

        ``counts`` has shape ``(n_tables, n_levels, ...)``. With the lookup table,
        each level's cells are summed first and the level sums then one after the
        other, so empty trailing levels (a table padded to a block's width) add
        exact zeros and the entropy does not depend on the padding: the dense and
        the sparse paths, which pad differently, give bit-identical values.
        """
        flat = counts.reshape(counts.shape[0], -1)
        if self.plugin_lut is None:
            return entropy_from_counts(flat, method=self.method)
        total = self.total
        lut = self.plugin_lut if self.method_lut is None else self.method_lut
        rows = counts.reshape(counts.shape[0], counts.shape[1], -1)
        per_level = _sum_last(lut[rows])
        terms = per_level[:, 0].copy()
        for level in range(1, per_level.shape[1]):
            terms += per_level[:, level]
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.method_lut is None:
                h = terms / total
            else:
                h = np.log(total) - terms / total
            if self.method == "miller_madow":
                h += (np.count_nonzero(flat, axis=-1) - 1) / (2 * total)
        return np.where(total > 0, h, 0.0)


def _sum_last(table: NDArray) -> NDArray:
    """Sum over a short last axis (slice additions beat a strided reduction)."""
    if table.shape[-1] > 8:
        return table.sum(axis=-1)
    out = table[..., 0].copy()
    for c in range(1, table.shape[-1]):
        out += table[..., c]
    return out
