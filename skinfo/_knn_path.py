"""The greedy path of ``method="knn"`` and its rank-permutation null for ``"auto"``.

With ``method="knn"`` the selector scores candidates with nearest-neighbour (KSG and
mixed discrete-continuous) estimates of mutual information instead of binned tables;
the path state is the one of :mod:`skinfo._greedy`. For ``n_features_to_select="auto"``
each candidate's test then compares a rank statistic of its neighbours with its
permutation distribution (:func:`_rank_pvalues`). The module is apart from the binned
path because it shares no counting code with it.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.special import digamma, ndtri
from sklearn.utils.parallel import Parallel, delayed

from skinfo._autostop import (
    _chi2_pvalue,
    _independence_pvalues,
    _mean_score_test,
    _score_parts,
)
from skinfo._binning import encode_labels
from skinfo._greedy import (
    N_PERMUTATIONS,
    TIE_RTOL,
    _clip,
    _copy_state,
    _new_state,
    _path_done,
    _update_and_choose,
)
from skinfo._info import entropy_from_counts
from skinfo._progress import report

__all__ = [
    "_KNN_NEEDS_REDUNDANCY",
    "_knn_pair",
    "_knn_path",
    "_knn_terms",
    "_permutation_count",
    "_plugin_pair_mi",
    "_rank_mixed_stats",
    "_rank_pvalues",
]


# ------------------------------------------------------------------------ kNN path
def _plugin_pair_mi(a: NDArray, b: NDArray) -> float:
    """Plug-in I(A;B) of two discrete variables (any values).

    ``H(A) + H(B) - H(A,B)`` from the observed cells only: a dense table of two
    high-cardinality columns (ids) would need ``n_a * n_b`` cells.
    """
    _, ca = encode_labels(a)
    _, cb = encode_labels(b)
    _, joint = np.unique(ca * (int(cb.max()) + 1) + cb, return_inverse=True)
    h = [entropy_from_counts(np.bincount(c.ravel())) for c in (ca, cb, joint)]
    return float(_clip("plugin", h[0], h[1], -h[2]))


def _knn_pair(a, a_disc, b, b_disc, k, seed) -> float:
    """I(A;B) for one pair of columns with the estimator their types call for."""
    from skinfo._knn import ksg_mutual_info, mixed_mutual_info

    if a.shape[0] <= k:
        return 0.0
    if a_disc and b_disc:
        return _plugin_pair_mi(a, b)
    if a_disc:
        return float(mixed_mutual_info(b, a, n_neighbors=k, random_state=seed))
    if b_disc:
        return float(mixed_mutual_info(a, b, n_neighbors=k, random_state=seed))
    return float(ksg_mutual_info(a, b, n_neighbors=k, random_state=seed))


#: kNN criteria that need the redundancy ``I(X_k; X_s)`` besides ``I(X_k, X_s; Y)``.
_KNN_NEEDS_REDUNDANCY = ("mifs", "mrmr", "mrmr_quotient", "cife", "icap", "condred")


def _knn_terms(X, discrete, y, discrete_target, s, k_cand, k, seed, need_red):
    """``I(X_k, X_s; Y)`` and, if asked, ``I(X_k; X_s)`` for one candidate.

    The joint relevance is estimated directly (Ross's estimator on the pair for a
    discrete target, KSG for a continuous one, counts when everything is discrete)
    rather than from differences of separately estimated terms, whose errors do not
    cancel for strongly dependent pairs.
    """
    from skinfo._knn import ksg_mutual_info, mixed_mutual_info

    a, b = X[:, k_cand], X[:, s]
    a_d, b_d = bool(discrete[k_cand]), bool(discrete[s])
    red = _knn_pair(a, a_d, b, b_d, k, seed) if need_red else 0.0
    if discrete_target and a_d and b_d:
        _, ca = encode_labels(a)
        _, cb = encode_labels(b)
        pair = _plugin_pair_mi(ca * (int(cb.max()) + 1) + cb, y)
    elif discrete_target:
        pair = mixed_mutual_info(
            np.column_stack((a, b)), y, n_neighbors=k, random_state=seed
        )
    else:
        pair = ksg_mutual_info(
            np.column_stack((a, b)), y, n_neighbors=k, random_state=seed
        )
    return float(pair), float(red)


def _knn_path(
    data_key,
    X: NDArray,
    discrete: NDArray,
    y: NDArray,
    discrete_target: bool,
    criterion: str,
    beta: float,
    n_neighbors: int,
    seed: int,
    *,
    max_k: int,
    stop_alpha: float | None = None,
    resume: dict | None = None,
    n_jobs=None,
) -> dict:
    """Greedy path with kNN estimates (pure; cacheable).

    Same state as :func:`_binned_path`; p-values are NaN except for MIM's
    permutation test. ``data_key`` (a :func:`_digest` of ``X`` and ``y``, or None)
    is what a cache hashes in their place.
    """
    from skinfo._knn import knn_relevance

    n_features = X.shape[1]

    def relevance_of(target):
        return knn_relevance(
            X,
            target,
            discrete_target=discrete_target,
            discrete_mask=discrete,
            n_neighbors=n_neighbors,
            random_state=seed,
            n_jobs=n_jobs,
        )

    if resume is None:
        state = _new_state(relevance_of(y))
        report()
    else:
        state = _copy_state(resume)
    acc = state["acc"]
    relevance = acc["relevance"]

    if criterion == "mim":
        order = np.argsort(-relevance, kind="stable")  # ties: lowest index first
        state["ranking"] = [int(j) for j in order]
        state["scores"] = [float(relevance[j]) for j in order]
        # MIM never conditions: past the first step the conditional gains would
        # cost O(d^2) kNN estimates, so they are not computed (NaN, documented).
        state["gains"] = [state["scores"][0]] + [np.nan] * (n_features - 1)
        if len(state["pvalues"]) < n_features:
            state["pvalues"] = [None] * n_features
        if stop_alpha is not None and state["pvalues"][0] is None:
            p = _rank_pvalues(
                X, discrete, y, discrete_target, n_neighbors, seed, stop_alpha
            )
            state["pvalues"] = [float(p[j]) for j in order]
        return state

    while not _path_done(state, n_features, max_k):
        s = state["ranking"][-1]
        cands = np.array(
            [j for j in range(n_features) if j not in set(state["ranking"])]
        )
        need_red = criterion in _KNN_NEEDS_REDUNDANCY
        terms = Parallel(n_jobs=n_jobs, prefer="threads")(
            delayed(_knn_terms)(
                X, discrete, y, discrete_target, s, j, n_neighbors, seed, need_red
            )
            for j in cands
        )
        pair, red = np.zeros(n_features), np.zeros(n_features)
        if len(terms):
            pair[cands], red[cands] = np.asarray(terms, dtype=np.float64).T
        cmi = pair - relevance[s]  # chain rule: I(X_k; Y | X_s)
        cond = pair - relevance - relevance[s] + red  # I(X_k; X_s | Y)
        _update_and_choose(
            state, criterion, beta, red, cond, pair, cmi, np.zeros(n_features)
        )
        report()
    return state


def _permutation_count(n_features: int, alpha: float) -> int:
    """Permutations that let the smallest p-value pass Holm's first threshold.

    The kNN statistic gets half of the level (:func:`_rank_pvalues`), so its
    smallest p-value, ``1 / (B + 1)``, must be at most ``alpha / (4 n_features)``.
    """
    return max(N_PERMUTATIONS, int(np.ceil(4 * n_features / alpha)) - 1)


def _rank_mixed_stats(labels_by_position: NDArray, n_neighbors: int) -> NDArray:
    """Ross's kNN statistic of rank positions ``0 .. n-1`` against labels, per row.

    ``labels_by_position[b, i]`` is the class of the point at rank ``i`` in draw
    ``b``. On equally spaced points the distance to the ``k``-th nearest neighbour
    of the same class, and the number ``m`` of points of any class within it,
    follow from the sorted positions of each class, so all draws are scored at
    once. Returns ``-mean(digamma(m))``, the only part of Ross's estimate
    ``psi(N) + psi(k) - <psi(N_c)> - <psi(m)>`` that depends on the pairing of
    positions and labels (the class sizes do not), so it orders draws as the
    estimate does; classes with a single member take no part.
    """
    n_draws, n = labels_by_position.shape
    order = np.argsort(labels_by_position, axis=1, kind="stable")  # by class, rank
    sizes = np.bincount(labels_by_position[0], minlength=0)
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    cls = np.repeat(np.arange(sizes.size), sizes)
    start, stop = bounds[cls], bounds[cls + 1]
    k_of = np.minimum(n_neighbors, sizes[cls] - 1)
    use = k_of >= 1
    pos = order.astype(np.float64)
    idx = np.arange(n)
    gaps = []
    for a in range(1, n_neighbors + 1):
        left, right = idx - a, idx + a
        gap = np.full((n_draws, n), np.inf)
        ok = left >= start
        gap[:, ok] = pos[:, ok] - pos[:, left[ok]]
        gaps.append(gap)
        gap = np.full((n_draws, n), np.inf)
        ok = right < stop
        gap[:, ok] = pos[:, right[ok]] - pos[:, ok]
        gaps.append(gap)
    gaps = np.sort(np.stack(gaps, axis=-1), axis=-1)
    kth = np.take_along_axis(
        gaps, np.maximum(k_of - 1, 0)[None, :, None].repeat(n_draws, 0), axis=-1
    )[..., 0]
    kth = np.where(use, kth, 1.0)
    m = np.minimum(pos, kth) + np.minimum(n - 1 - pos, kth)
    return -(digamma(np.maximum(m, 1.0)) * use).sum(axis=1) / max(int(use.sum()), 1)


def _rank_pvalues(X, discrete, y, discrete_target, n_neighbors, seed, alpha):
    """Marginal permutation p-values of every column for kNN MIM's ``"auto"``.

    Each continuous column is replaced by its ranks (ties broken by the noise of
    :func:`skinfo._knn.scale_and_jitter`), so that under independence its pairing
    with ``y`` is a uniformly random permutation whatever the column: one null
    distribution, from ``B`` permutations, serves every column, and the cost is
    ``B`` cheap statistics instead of ``B`` relevance computations of all columns.
    With a discrete target the statistic is Ross's on the ranks
    (:func:`_rank_mixed_stats`), combined by Bonferroni (half the level each) with
    the mean-score test of :func:`_mean_score_test` on the van der Waerden scores
    of the ranks (chi-square, no permutation), which has far more power against a
    shift; with a continuous target it is Spearman's ``rho^2``;
    discrete columns get Pearson's chi-square test (discrete target) or the
    Kruskal-Wallis test (continuous target). ``B`` is large enough for the
    smallest p-value to pass ``alpha / n_features`` on its own.
    """
    from scipy.stats import kruskal

    from skinfo._knn import scale_and_jitter

    n, n_features = X.shape
    rng = np.random.RandomState(seed)
    n_perm = _permutation_count(n_features, alpha)
    p = np.ones(n_features)
    cont = np.flatnonzero(~discrete)
    if discrete_target:
        _, y_codes = encode_labels(y)
        n_y = int(y_codes.max()) + 1
        y_key = y_codes
    else:
        y_key = np.asarray(y, dtype=np.float64)
    # Rows in a canonical (lexicographic) order first, so that the noise each row
    # gets, and so the p-values, do not depend on the order of the rows.
    canon = np.lexsort(np.column_stack([X, y_key]).T[::-1])
    X, y_key = X[canon], y_key[canon]
    if discrete_target:
        y_codes = y_codes[canon]
    else:
        y_rank = np.argsort(np.argsort(scale_and_jitter(y_key, random_state=rng)))
    if cont.size:
        noisy = scale_and_jitter(X[:, cont], random_state=rng)
        ranks = np.argsort(noisy, axis=0, kind="stable")  # row at each rank
        perms = np.array([rng.permutation(n) for _ in range(n_perm)])
        if discrete_target:
            observed = _rank_mixed_stats(y_codes[ranks.T], n_neighbors)
            labels = np.sort(y_codes)  # any arrangement of the labels will do
            null = np.concatenate(
                [
                    _rank_mixed_stats(labels[chunk], n_neighbors)
                    for chunk in np.array_split(perms, max(1, n_perm // 500))
                ]
            )
        else:
            grid = np.arange(n) - (n - 1) / 2  # centred ranks
            observed = ((y_rank - (n - 1) / 2)[ranks.T] @ grid) ** 2
            null = (grid[perms] @ grid) ** 2
        null = np.sort(null)
        tol = TIE_RTOL * np.maximum(1.0, np.abs(observed))
        exceed = n_perm - np.searchsorted(null, observed - tol, side="left")
        p[cont] = (1.0 + exceed) / (n_perm + 1.0)
        if discrete_target:
            # the mean-score test with normal scores, at the other half of the level
            scores = ndtri((np.argsort(ranks, axis=0) + 1.0) / (n + 1.0))
            parts = _score_parts(scores, y_codes, 1, n_y, None)
            t_sy = np.bincount(y_codes, minlength=n_y)[None].astype(np.float64)
            p_trend = _chi2_pvalue(*_mean_score_test(parts[0], t_sy, *parts[1:]))
            p[cont] = np.minimum(1.0, 2.0 * np.minimum(p[cont], p_trend))
    for j in np.flatnonzero(discrete):
        _, codes = encode_labels(X[:, j])
        if discrete_target:
            p[j] = _independence_pvalues(
                codes[:, None],
                np.array([codes.max() + 1]),
                np.full((n, 1), np.nan),
                y_codes,
                1,
                n_y,
                None,
            )[0]
        else:
            groups = [y_rank[codes == c] for c in range(codes.max() + 1)]
            p[j] = kruskal(*groups).pvalue if len(groups) > 1 else 1.0
    return p
