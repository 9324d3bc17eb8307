"""The information bottleneck as a scikit-learn transformer.

``InformationBottleneckReducer`` compresses ``X`` into a representation ``T`` that
keeps what matters about ``y``, trading ``I(X;T)`` against ``beta * I(T;Y)``:

* ``method="gaussian"``: the Gaussian IB of Chechik et al. (2005), a linear
  projection solved in closed form from (shrunk) covariances and one generalized
  eigenproblem;
* ``method="ib"`` / ``method="dib"``: the iterative (soft) IB of Tishby et al. (1999)
  and the deterministic IB of Strouse & Schwab (2017), clustering the symbols of the
  binned ``X``.

``information_curve`` sweeps ``beta`` and ``plot_information_plane`` draws the result.
All information values are in nats.
"""

from __future__ import annotations

import sys
import warnings
from numbers import Integral, Real

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import linalg, sparse
from scipy.special import logsumexp, xlogy
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
    clone,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import MaxAbsScaler, StandardScaler
from sklearn.utils import check_random_state
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import (
    check_is_fitted,
    has_fit_parameter,
    validate_data,
)

from skinfo._base import DocLinkMixin
from skinfo._binning import (
    BINNING_CONSTRAINTS,
    apply_bin_edges,
    auto_n_bins,
    check_sample_weight,
    check_target_length,
    effective_n_samples,
    encode_labels,
    fit_bin_edges,
)
from skinfo._compat import Interval, StrOptions, _fit_context, validate_params
from skinfo._info import ROUNDOFF, mutual_info_from_table, to_base
from skinfo._input import (
    as_pandas,
    check_no_text,
)
from skinfo._progress import report
from skinfo._warnings import warn_user

__all__ = [
    "InformationBottleneckReducer",
    "information_curve",
    "plot_information_plane",
]

#: 1 - lambda at or below this counts as lambda = 1: the component never activates.
_INACTIVE_GAP = 1e-9
#: Eigenvalues lambda are floored here before computing the scale alpha.
_LAMBDA_FLOOR = 1e-12
#: Floor of q(y|t) inside log/KL (keeps every cluster reachable in log space).
_PROB_FLOOR = 1e-300
#: Clusters whose mass q(t) falls below this are dropped.
_DEAD_CLUSTER = 1e-10
#: Default beta grid of ``information_curve``.
_DEFAULT_BETAS = np.geomspace(1.0, 1000.0, 31)


# ============================================================== Gaussian IB (5.5)
#: What to do with a text categorical feature, which the bottleneck cannot use.
_CATEGORICAL_HINT = (
    "the information bottleneck needs numeric features. Encode it first, for "
    "example with OneHotEncoder in a ColumnTransformer."
)


def _is_dask(X) -> bool:
    """Whether ``X`` is a dask collection (``skinfo._dask`` is loaded only then)."""
    if "dask" not in sys.modules:  # no dask collection can exist yet
        return False
    from skinfo._dask import is_dask

    return is_dask(X)


def _check_input_kinds(X, name: str = "X"):
    """Return ``X`` through the input layer; text and dates raise a ``TypeError``.

    polars and pyarrow tables become pandas DataFrames (see
    :func:`skinfo._input.as_pandas`); the message names the offending column.
    """
    X = as_pandas(X)
    check_no_text(X, name, categorical_hint=_CATEGORICAL_HINT)
    return X


def _power_of_two_exponent(A: NDArray) -> int:
    """Exponent ``e`` with ``max |A| / 2**e`` in ``[0.5, 1)``, 0 for an all-zero ``A``.

    Dividing by a power of two is exact in binary floating point (barring
    subnormals), so rescaling by ``2**-e`` changes no result while keeping squares and
    sums of huge or tiny values away from overflow and underflow.
    """
    top = float(np.max(np.abs(A), initial=0.0))
    if not (top > 0.0 and np.isfinite(top)):
        return 0
    return int(np.frexp(top)[1])


def _effective_weights(sample_weight, X) -> NDArray[np.float64] | None:
    """Validate weights and rescale them to sum ``n_eff = max(sum(w), count(w > 0))``.

    Integer weights (``sum(w) >= count(w > 0)``) come back unchanged, so they equal
    repeated rows; smaller weights are scaled up to ``n_eff``, so that weights
    normalised to sum 1 act like unit weights and a common factor changes nothing.
    """
    weights = check_sample_weight(sample_weight, X)
    if weights is None:
        return None
    return weights * (effective_n_samples(weights, weights.size) / weights.sum())


def _ledoit_wolf_shrinkage(
    cov: NDArray, fourth: float, total: float, n_features: int
) -> float:
    """Ledoit-Wolf (2004) shrinkage of a covariance towards ``(tr S / d) I``.

    ``cov`` is the weighted covariance ``sum w_i r_i r_i' / sum w`` of zero-mean rows
    ``r_i`` (possibly written in an orthonormal basis of a subspace holding them) and
    ``fourth`` is ``sum w_i ||r_i||^4 / sum w``, the only other statistic the
    coefficient needs. ``d`` is ``n_features``, the dimension of the whole space, and
    the sample size is ``total = sum w`` (integer weights act as repeated rows).
    """
    d = n_features
    mu = np.trace(cov) / d
    frob2 = float(np.sum(cov**2))
    b2 = (fourth - frob2) / (d * total)
    d2 = (frob2 - d * mu**2) / d
    b2 = min(max(b2, 0.0), d2)
    return 0.0 if b2 <= 0.0 or d2 <= 0.0 else float(b2 / d2)


def _class_onehot(codes: NDArray, weights: NDArray, n_classes: int):
    """Weighted one-hot matrix ``(n_classes, n)``: dense when small, else sparse.

    Dense (one BLAS product) up to 4 million entries, so that a block of a
    distributed fit with many classes does not allocate ``n_classes * n`` floats.
    """
    n = codes.size
    if n_classes <= 256 and n_classes * n <= 1 << 22:
        onehot = np.zeros((n_classes, n))
        onehot[codes, np.arange(n)] = weights
        return onehot
    return sparse.csr_matrix((weights, (codes, np.arange(n))), shape=(n_classes, n))


def _centred_sums(Z: NDArray, weights: NDArray, target) -> tuple[NDArray, ...]:
    """Weighted sums over the centred rows ``Z`` that the Gaussian IB is built from.

    ``target`` is ``("classification", codes, n_classes)`` or
    ``("regression", Yc)`` with ``Yc`` the centred (scaled) outputs. Every entry is a
    sum over rows, so the sums of row blocks add up to those of the whole data (the
    distributed fit adds them across chunks). Returns ``(sum w, Z' W Z)`` followed by
    the per-class weights and weighted sums of ``Z`` (``(n_classes,)`` and
    ``(n_classes, r)``) for a class label, or ``Z' W Yc`` and ``Yc' W Yc`` for
    continuous outputs.
    """
    total = np.array([float(np.sum(weights))])
    weighted = Z if np.all(weights == 1.0) else Z * weights[:, None]
    scatter = Z.T @ weighted
    if target[0] == "classification":
        _, codes, n_classes = target
        counts = np.bincount(codes, weights=weights, minlength=n_classes)
        class_sums = np.asarray(_class_onehot(codes, weights, n_classes) @ Z)
        return total, scatter, counts.astype(np.float64), class_sums
    Yc = target[1]
    Yw = Yc * weights[:, None]
    return total, scatter, Z.T @ Yw, Yc.T @ Yw


def _residual_fourth(Z: NDArray, weights: NDArray, target, fit: NDArray) -> float:
    """``sum w_i ||r_i||^4`` of the residuals ``r_i = z_i - E[z | y_i]``.

    ``fit`` is the matrix of centred class means (class label) or the regression
    coefficients ``coef`` with ``E[z | y] = coef @ yc``. The squared residual norms
    come from ``||z||^2 - 2 z.f + ||f||^2`` with ``f`` the fitted value (small
    products, no copy of the residuals). Additive over row blocks, like
    :func:`_centred_sums`.
    """
    if target[0] == "classification":
        fitted = fit[target[1]]
        cross = np.einsum("ij,ij->i", Z, fitted)
        fitted_sq = np.einsum("ij,ij->i", fitted, fitted)
    else:
        Yc = target[1]
        cross = np.einsum("ij,ij->i", Z @ fit, Yc)
        fitted_sq = np.einsum("ij,ij->i", Yc @ (fit.T @ fit), Yc)
    resid_sq = np.einsum("ij,ij->i", Z, Z) - 2.0 * cross + fitted_sq
    return float(weights @ np.maximum(resid_sq, 0.0) ** 2)


def _plugin_entropy(counts: NDArray) -> float:
    """Plug-in entropy (nats) of the (weighted) class counts."""
    p = counts[counts > 0] / counts.sum()
    return float(-np.sum(p * np.log(p)))


def _gaussian_moments(sums, target_kind: str, shrinkage, n_features: int, fourth):
    """Sigma_x and the (shrunk) Sigma_{x|y} of the fitted joint Gaussian.

    ``sums`` comes from :func:`_centred_sums` (in the coordinates of ``X`` or in an
    orthonormal basis of a subspace containing every row of positive weight, the
    dual of :func:`_gaussian_solution`); ``n_features`` is the dimension of ``X``
    (the shrinkage target is ``(tr W / n_features) I``). ``fourth(fit)`` returns
    :func:`_residual_fourth` of the data for the given fit; it is called only for
    ``shrinkage="auto"``. The conditional covariance
    W = Sigma_x - Sigma_xy Sigma_y^+ Sigma_yx is the covariance of the residuals
    r_i = x_i - E[x | y_i] of X regressed on Y (for a class label: the pooled
    within-class covariance). Shrinkage is applied to W, and Sigma_x is rebuilt as
    W + B with B the explained part, so that 0 <= lambda <= 1 always holds.
    """
    total = float(sums[0][0])
    sigma_x = sums[1] / total
    r = sigma_x.shape[0]
    if target_kind == "classification":
        counts, class_sums = sums[2], sums[3]
        present = counts > 0  # a class of weight 0 does not exist for the fit
        fit = np.zeros((counts.size, r))
        fit[present] = class_sums[present] / counts[present, None]
        explained = (fit * (counts / total)[:, None]).T @ fit
    else:
        sigma_xy = sums[2] / total
        fit = sigma_xy @ linalg.pinvh(sums[3] / total)  # E[x | y] = coef @ y
        explained = fit @ sigma_xy.T
    explained = (explained + explained.T) / 2
    within = sigma_x - explained
    within = (within + within.T) / 2
    if shrinkage == "auto":
        shrinkage = _ledoit_wolf_shrinkage(
            within, fourth(fit) / total, total, n_features
        )
    if shrinkage:
        mu = np.trace(within) / n_features
        within = (1.0 - shrinkage) * within
        within[np.diag_indices(r)] += shrinkage * mu
    return within + explained, within, float(shrinkage or 0.0)


def _generalized_eigh(within: NDArray, sigma_x: NDArray):
    """Solve ``within v = lambda sigma_x v`` with ``v' sigma_x v = 1``, ascending.

    Falls back to whitening on the range of ``sigma_x`` when it is singular (constant
    features, or fewer samples than features without shrinkage): directions in its
    null space carry no information and get lambda = 1 and a zero vector.
    """
    try:
        lam, vecs = linalg.eigh(within, sigma_x, check_finite=False)
    except (linalg.LinAlgError, ValueError):
        s, u = linalg.eigh(sigma_x, check_finite=False)
        keep = s > max(s.max(initial=0.0), 0.0) * s.size * np.finfo(float).eps
        whiten = u[:, keep] / np.sqrt(s[keep])
        lam_r, q = linalg.eigh(whiten.T @ within @ whiten, check_finite=False)
        d, r = sigma_x.shape[0], int(keep.sum())
        lam = np.concatenate([lam_r, np.ones(d - r)])
        vecs = np.hstack([whiten @ q, np.zeros((d, d - r))])
    lam = np.clip(lam, 0.0, 1.0)
    order = np.argsort(lam, kind="stable")
    return lam[order], vecs[:, order]


def _fix_signs(rows: NDArray) -> NDArray:
    """Deterministic signs: the largest ``|entry|`` of every row is positive."""
    if rows.size == 0:
        return rows
    pivot = np.argmax(np.abs(rows), axis=1)
    signs = np.sign(rows[np.arange(rows.shape[0]), pivot])
    signs[signs == 0] = 1.0
    return rows * signs[:, None]


def _data_span(Xc: NDArray, weights: NDArray) -> NDArray[np.float64]:
    """Orthonormal basis (columns) of the span of the rows of positive weight.

    A thin SVD of the ``sqrt(w)``-scaled rows: ``O(n^2 p)`` for ``n`` rows and
    ``p > n`` features, where ``Sigma_x`` itself would be ``p x p``.
    """
    positive = weights > 0
    rows = Xc[positive] * np.sqrt(weights[positive])[:, None]
    _, s, vt = linalg.svd(rows, full_matrices=False, check_finite=False)
    keep = s > s.max(initial=0.0) * max(rows.shape) * np.finfo(float).eps
    return vt[keep].T


def _gaussian_target(y, target_kind: str, weights: NDArray, n_rows: int):
    """Return the target as :func:`_centred_sums` takes it, from an in-memory ``y``.

    Class labels become dense codes; continuous outputs are divided by a power of
    two (exact: ``I(X;Y)`` is scale-free) and centred by their weighted mean.
    """
    if target_kind == "classification":
        _, codes = encode_labels(y)
        return ("classification", codes, int(codes.max()) + 1)
    Y = np.asarray(y, dtype=np.float64).reshape(n_rows, -1)
    Y = np.ldexp(Y, -_power_of_two_exponent(Y))
    return ("regression", Y - weights @ Y / float(weights.sum()))


def _gaussian_solution(X, y, target_kind, shrinkage, weights, *, dual=None):
    """Solve the Gaussian IB's eigenproblem for ``X`` (rows) and ``y``.

    ``X`` is first divided by a power of two (exact, see
    :func:`_power_of_two_exponent`). With more features than rows of positive
    weight (or ``dual=True``) the problem is solved in the span of the centred data,
    found by :func:`_data_span`: ``Sigma_x`` and ``W`` restricted to it are
    ``r x r`` with ``r`` at most the number of rows, and outside it the shrunk
    ``W`` and ``Sigma_x`` are both ``(shrinkage * tr W / p) I`` (or both 0), so every
    direction there has ``lambda = 1``: the eigenvalues are those of the small
    problem padded with ones, and the eigenvectors are mapped back with the basis.
    This is exact, not an approximation, and costs ``O(n^2 p)`` instead of
    ``O(p^3)``.

    Returns the dict of :func:`_solve_gaussian`.
    """
    d = X.shape[1]
    exponent = _power_of_two_exponent(X)
    Xs = np.ldexp(X, -exponent)
    total = float(weights.sum())
    mean = weights @ Xs / total
    Xc = Xs - mean
    if dual is None:
        dual = d > np.count_nonzero(weights > 0)
    basis = _data_span(Xc, weights) if dual else None
    Z = Xc if basis is None else Xc @ basis
    target = _gaussian_target(y, target_kind, weights, X.shape[0])
    sums = _centred_sums(Z, weights, target)
    return _solve_gaussian(
        sums,
        target_kind,
        shrinkage,
        d,
        lambda fit: _residual_fourth(Z, weights, target, fit),
        exponent=exponent,
        mean=mean,
        basis=basis,
    )


def _solve_gaussian(
    sums, target_kind, shrinkage, n_features, fourth, *, exponent, mean, basis=None
):
    """Solve the Gaussian IB from the sums of :func:`_centred_sums` (the one solver).

    Both the in-memory fit and the distributed one (which adds the sums of its row
    chunks) end here. ``exponent`` and ``mean`` are the power-of-two scale of ``X``
    and the weighted mean of the scaled ``X``; ``basis`` is the orthonormal basis of
    the dual problem, or None. Returns a dict with the scale exponent, the (scaled)
    weighted mean, the (unshrunk) covariance of the centred coordinates the
    eigenvectors refer to, the basis (or None), the ascending eigenvalues (all
    ``n_features``), the eigenvectors of the (possibly small) problem, the
    shrinkage used and the plug-in entropy of a class label (``inf`` otherwise).
    """
    sigma_x, within, shrinkage = _gaussian_moments(
        sums, target_kind, shrinkage, n_features, fourth
    )
    lam, vecs = _generalized_eigh(within, sigma_x)
    if basis is not None:
        lam = np.concatenate([lam, np.ones(n_features - lam.size)])
    entropy_y = np.inf
    if target_kind == "classification":
        entropy_y = _plugin_entropy(sums[2])
    return {
        "exponent": exponent,
        "mean": mean,
        "covariance": sums[1] / float(sums[0][0]),
        "basis": basis,
        "eigenvalues": lam,
        "vectors": vecs,
        "shrinkage": shrinkage,
        "entropy_y": entropy_y,
    }


def _unit_variance_components(solution, n_active: int) -> NDArray:
    """Rows of the leading ``n_active`` directions, scaled to unit output variance.

    In the units of the scaled ``X``; the (weighted, ``1/sum w``) variance of the
    output ``z @ v`` on the training rows, ``v' C v`` with ``C`` the training
    covariance of the centred coordinates, is 1; signs follow :func:`_fix_signs`.
    """
    vecs = solution["vectors"][:, :n_active]
    var = np.einsum("ij,ij->j", vecs, solution["covariance"] @ vecs)
    std = np.sqrt(np.maximum(var, 0.0))
    vecs = vecs / np.where(std > 0, std, 1.0)
    rows = vecs.T if solution["basis"] is None else (solution["basis"] @ vecs).T
    return _fix_signs(rows)


def _critical_betas(eigenvalues: NDArray) -> NDArray[np.float64]:
    """``1 / (1 - lambda)``; ``inf`` where ``lambda`` is 1 up to round-off."""
    gap = 1.0 - np.asarray(eigenvalues, dtype=np.float64)
    with np.errstate(divide="ignore"):
        return np.where(
            gap > _INACTIVE_GAP, 1.0 / np.maximum(gap, _INACTIVE_GAP), np.inf
        )


def _gaussian_information(eigenvalues: NDArray, beta: float, n_components: int):
    """Analytic ``I(T;X)``, ``I(T;Y)`` (nats) and the number of active components."""
    lam = np.asarray(eigenvalues[:n_components], dtype=np.float64)
    active = beta > _critical_betas(lam)
    lam = np.maximum(lam[active], _LAMBDA_FLOOR)
    info_x = 0.5 * np.log((beta - 1.0) * (1.0 - lam) / lam)
    info_y = 0.5 * np.log((beta - 1.0) / (beta * lam))
    return float(info_x.sum()), float(info_y.sum()), int(active.sum())


# ============================================================ discrete IB (5.1/5.2)
def _lookup(sorted_keys: NDArray, keys: NDArray) -> NDArray[np.intp]:
    """Index of every key in ``sorted_keys``, or -1 where it is absent."""
    pos = np.searchsorted(sorted_keys, keys)
    pos = np.minimum(pos, sorted_keys.size - 1)
    return np.where(sorted_keys[pos] == keys, pos, -1)


def _radix_groups(n_levels: NDArray) -> list[tuple[int, int]]:
    """Column ranges whose mixed-radix key fits in a signed 64-bit integer."""
    groups, start, size = [], 0, 1
    for j, k in enumerate(np.asarray(n_levels, dtype=np.int64)):
        if j > start and size * int(k) >= 2**62:
            groups.append((start, j))
            start, size = j, 1
        size *= int(k)
    groups.append((start, len(n_levels)))
    return groups


def _radix_keys(codes: NDArray, n_levels: NDArray, groups) -> list[NDArray]:
    keys = []
    for lo, hi in groups:
        key = np.zeros(codes.shape[0], dtype=np.int64)
        for j in range(lo, hi):
            key = key * int(n_levels[j]) + codes[:, j]
        keys.append(key)
    return keys


def _fit_row_index(codes: NDArray, n_levels: NDArray):
    """Dense symbol of every distinct row of ``codes``, and tables to map new rows.

    Unlike ``encode_rows``, the map is stored, so rows seen later get the same symbol
    (and rows never seen get -1).
    """
    groups = _radix_groups(n_levels)
    keys = _radix_keys(codes, n_levels, groups)
    first, symbols = np.unique(keys[0], return_inverse=True)
    tables = [first]
    for key in keys[1:]:
        uniq, key_ids = np.unique(key, return_inverse=True)
        pairs, symbols = np.unique(
            symbols.astype(np.int64) * uniq.size + key_ids, return_inverse=True
        )
        tables.append((uniq, pairs))
    index = {"n_levels": np.asarray(n_levels), "groups": groups, "tables": tables}
    return symbols.astype(np.intp), index


def _apply_row_index(codes: NDArray, index) -> NDArray[np.intp]:
    """Symbols of new rows (``-1`` for a row that was not seen in fit)."""
    keys = _radix_keys(codes, index["n_levels"], index["groups"])
    symbols = _lookup(index["tables"][0], keys[0])
    for key, (uniq, pairs) in zip(keys[1:], index["tables"][1:], strict=True):
        key_ids = _lookup(uniq, key)
        found = (symbols >= 0) & (key_ids >= 0)
        pair = symbols.astype(np.int64) * uniq.size + key_ids
        symbols = np.where(found, _lookup(pairs, pair), -1)
    return symbols


def _kl_rows(p: NDArray, neg_entropy: NDArray, q: NDArray) -> NDArray[np.float64]:
    """``KL(p_i || q_t)`` for all pairs: ``sum p log p - p @ log(q).T``."""
    return neg_entropy[:, None] - p @ np.log(np.maximum(q, _PROB_FLOOR)).T


def _js_to(p: NDArray, center: NDArray) -> NDArray[np.float64]:
    """Jensen-Shannon divergence (equal weights) of every row of ``p`` to ``center``."""
    m = (p + center) / 2
    js = 0.5 * (xlogy(p, p) - xlogy(p, m)).sum(axis=1)
    js += 0.5 * (xlogy(center, center) - xlogy(center, m)).sum(axis=1)
    return np.where(js > 1e-14, js, 0.0)


def _seed_centers(p_x, p_y_x, n_clusters, rng, centers=None) -> NDArray:
    """k-means++ seeding of ``q(y|t)`` on the rows of ``p(y|x)`` (JS divergence).

    Rows identical to a chosen center are never chosen again, so fewer than
    ``n_clusters`` centers come back when there are fewer distinct rows.
    """
    if centers is None or len(centers) == 0:
        centers = p_y_x[[rng.choice(p_x.size, p=p_x / p_x.sum())]]
    dist = np.min([_js_to(p_y_x, c) for c in centers], axis=0)
    chosen = list(centers)
    while len(chosen) < n_clusters:
        weight = p_x * dist
        total = weight.sum()
        if not total > 0:
            break
        pick = rng.choice(p_x.size, p=weight / total)
        chosen.append(p_y_x[pick])
        dist = np.minimum(dist, _js_to(p_y_x, p_y_x[pick]))
    return np.asarray(chosen)


def _information_terms(p_x, p_y, encoder, q_t, q_y_t) -> tuple[float, float]:
    """``I(X;T)`` and ``I(T;Y)`` in nats of a fitted encoder (round-off clipped)."""
    info_xt = p_x @ (xlogy(encoder, encoder) - encoder * np.log(q_t)).sum(axis=1)
    info_ty = q_t @ (xlogy(q_y_t, q_y_t) - q_y_t * np.log(p_y)).sum(axis=1)
    values = np.array([info_xt, info_ty])
    values[(values < 0) & (values >= -ROUNDOFF)] = 0.0
    return float(values[0]), float(values[1])


#: Floor of log q(y|t) (the log of _PROB_FLOOR).
_LOG_FLOOR = float(np.log(_PROB_FLOOR))


def _ib_sweep(problem, beta, log_q_t, log_q_y_t, *, hard):
    """One IB (soft) or DIB (hard) sweep from log parameters ``log q(t), log q(y|t)``.

    Returns the encoder, the IB free energy of the parameters (soft only) and the
    new log parameters computed from the encoder, dead clusters dropped. The score
    ``log q(t) - beta KL(p(y|x) || q(y|t))`` is formed without the row constant
    ``beta sum_y p log p``, which cancels in the normalisation and the argmax.
    The free energy ``-sum_x p(x) log sum_t q(t) exp(-beta KL)`` (up to that
    constant) is what the soft sweeps decrease monotonically.
    """
    p_x, p_y_x = problem["p_x"], problem["p_y_x"]
    score = p_y_x @ (beta * np.maximum(log_q_y_t, _LOG_FLOOR)).T
    score += log_q_t
    free_energy = np.nan
    if hard:
        labels = np.argmax(score, axis=1)
        encoder = np.zeros_like(score)
        encoder[np.arange(score.shape[0]), labels] = 1.0
    else:
        top = score.max(axis=1)
        encoder = _softmax_rows(score, top)
        free_energy = -float(p_x @ (top + np.log(encoder.sum(axis=1))))
        encoder /= encoder.sum(axis=1, keepdims=True)
    q_t = p_x @ encoder
    alive = q_t > _DEAD_CLUSTER
    if not alive.all():
        encoder = encoder[:, alive]
        encoder /= encoder.sum(axis=1, keepdims=True)
        q_t = p_x @ encoder
    q_y_t = (encoder * p_x[:, None]).T @ p_y_x / q_t[:, None]
    with np.errstate(divide="ignore"):
        log_q_y_t = np.maximum(np.log(q_y_t), _LOG_FLOOR)
    return encoder, free_energy, np.log(q_t), log_q_y_t


def _softmax_rows(score: NDArray, top: NDArray) -> NDArray[np.float64]:
    """``exp(score - top)`` row-wise, in place (``score`` is a temporary)."""
    score -= top[:, None]
    return np.exp(score, out=score)


def _extrapolate(theta0, theta1, theta2):
    """SQUAREM step (Varadhan & Roland 2008, S3) on log parameters, renormalised."""
    flat = [np.concatenate([t.ravel(), q.ravel()]) for t, q in (theta0, theta1, theta2)]
    r = flat[1] - flat[0]
    v = flat[2] - flat[1] - r
    norm_v = np.linalg.norm(v)
    if not norm_v > 0:
        return None
    alpha = min(-np.linalg.norm(r) / norm_v, -1.0)
    step = flat[0] - 2.0 * alpha * r + alpha**2 * v
    if not np.all(np.isfinite(step)):
        return None
    n_t = theta0[0].size
    log_q_t = step[:n_t] - logsumexp(step[:n_t])
    log_q_y_t = step[n_t:].reshape(theta0[1].shape)
    log_q_y_t = log_q_y_t - logsumexp(log_q_y_t, axis=1, keepdims=True)
    return log_q_t, log_q_y_t


def _ib_iterate(problem, beta, q_t, q_y_t, *, hard, max_iter, tol):
    """Iterate the IB (soft) or DIB (hard) self-consistent updates to a fixed point.

    Starts from cluster parameters ``q(t)``, ``q(y|t)``. A soft run stops when the
    L1 change of the joint ``q(x, t) = p(x) q(t|x)`` between accepted steps is at
    most ``tol``, a hard one when no assignment changes. Soft runs are accelerated
    with SQUAREM: every cycle tries an extrapolated step and keeps it only if it
    lowers the free energy below that of the plain step, so the iteration stays
    monotone. ``n_iter`` counts sweeps.
    """
    with np.errstate(divide="ignore"):
        theta0 = (np.log(q_t), np.maximum(np.log(q_y_t), _LOG_FLOOR))
    encoder, _, *theta1 = _ib_sweep(problem, beta, *theta0, hard=hard)
    n_iter, converged = 1, False
    while n_iter < max_iter:
        enc_new, energy, *theta2 = _ib_sweep(problem, beta, *theta1, hard=hard)
        n_iter += 1
        step_from = theta1
        same_shape = theta0[0].size == theta1[0].size == theta2[0].size
        if not hard and same_shape and n_iter < max_iter:
            theta_e = _extrapolate(theta0, theta1, theta2)
            if theta_e is not None:
                enc_e, energy_e, *theta_e2 = _ib_sweep(
                    problem, beta, *theta_e, hard=False
                )
                n_iter += 1
                if energy_e <= energy:
                    enc_new, theta2, step_from = enc_e, theta_e2, theta_e
        if enc_new.shape == encoder.shape:
            change = problem["p_x"] @ np.abs(enc_new - encoder).sum(axis=1)
            if change <= (0.0 if hard else tol):
                encoder, theta1 = enc_new, theta2
                converged = True
                break
        encoder, theta0, theta1 = enc_new, step_from, theta2
    q_t = problem["p_x"] @ encoder
    q_y_t = (encoder * problem["p_x"][:, None]).T @ problem["p_y_x"] / q_t[:, None]
    return {
        "encoder": encoder,
        "p_t": q_t,
        "p_y_given_t": q_y_t,
        "n_iter": n_iter,
        "converged": converged,
    }


def _solve_discrete(
    problem, beta, n_clusters, *, hard, n_init, max_iter, tol, rng, warm=None
):
    """Best of ``n_init`` seeded runs (plus an optional warm start) by the objective.

    The objective is ``I(X;T) - beta I(T;Y)`` for IB and ``H(T) - beta I(T;Y)`` for
    DIB; for a hard encoder ``I(X;T) = H(T)``, so one formula serves both.
    """
    p_x, p_y_x = problem["p_x"], problem["p_y_x"]
    starts = []
    if warm is not None:
        noise = np.exp(0.05 * rng.standard_normal(warm["p_y_given_t"].shape))
        centers = warm["p_y_given_t"] * noise
        centers /= centers.sum(axis=1, keepdims=True)
        centers = _seed_centers(p_x, p_y_x, n_clusters, rng, centers=centers)
        q_t = np.full(len(centers), warm["p_t"].mean())
        q_t[: warm["p_t"].size] = warm["p_t"]
        starts.append((q_t / q_t.sum(), centers))
    for _ in range(n_init):
        centers = _seed_centers(p_x, p_y_x, n_clusters, rng)
        starts.append((np.full(len(centers), 1.0 / len(centers)), centers))
    best = None
    for q_t, centers in starts:
        run = _ib_iterate(
            problem, beta, q_t, centers, hard=hard, max_iter=max_iter, tol=tol
        )
        if hard:
            run = _refine_hard(
                problem, beta, run, n_clusters, max_iter=max_iter, tol=tol
            )
        info_xt, info_ty = _information_terms(
            p_x, problem["p_y"], run["encoder"], run["p_t"], run["p_y_given_t"]
        )
        run.update(information_xt=info_xt, information_ty=info_ty)
        run["objective"] = info_xt - beta * info_ty
        if best is None or run["objective"] < best["objective"]:
            best = run
    return best


def _merge_cost(p_t: NDArray, q_y_t: NDArray, beta: float) -> NDArray[np.float64]:
    """Change of ``H(T) - beta I(T;Y)`` when hard clusters ``i < j`` are merged.

    Merging removes ``(p_i + p_j) H(Pi)`` from ``H(T)`` and
    ``(p_i + p_j) JS_Pi(q(y|t_i), q(y|t_j))`` from ``I(T;Y)``,
    ``Pi = (p_i, p_j) / (p_i + p_j)`` (the finite-beta merge cost of agglomerative
    IB, Slonim and Tishby 1999). Entries with ``i >= j`` are ``inf``.
    """
    mass = p_t[:, None] + p_t[None, :]
    w_i, w_j = p_t[:, None] / mass, p_t[None, :] / mass
    h_y = -xlogy(q_y_t, q_y_t).sum(axis=1)
    mix = w_i[..., None] * q_y_t[:, None, :] + w_j[..., None] * q_y_t[None, :, :]
    js = -xlogy(mix, mix).sum(axis=2) - w_i * h_y[:, None] - w_j * h_y[None, :]
    h_pi = -(xlogy(w_i, w_i) + xlogy(w_j, w_j))
    cost = -mass * (h_pi - beta * np.maximum(js, 0.0))
    cost[np.tril_indices(p_t.size)] = np.inf
    return cost


def _refine_by_merging(problem, beta, run, *, max_iter, tol):
    """Greedy merges of DIB clusters, each followed by new hard updates.

    Merge the pair that lowers the cost most and iterate again, until no merge
    helps. The DIB updates alone stall in partitions such as the identity, which is
    a fixed point even when fewer clusters are cheaper (e.g. any ``beta <= 1``).
    """
    total = run["n_iter"]
    while run["converged"] and run["p_t"].size > 1:
        cost = _merge_cost(run["p_t"], run["p_y_given_t"], beta)
        i, j = np.unravel_index(np.argmin(cost), cost.shape)
        if not cost[i, j] < -ROUNDOFF or total >= max_iter:
            break
        q_t, q_y_t = run["p_t"], run["p_y_given_t"]
        merged = (q_t[i] * q_y_t[i] + q_t[j] * q_y_t[j]) / (q_t[i] + q_t[j])
        keep = np.arange(q_t.size) != j
        q_y_t = q_y_t.copy()
        q_y_t[i] = merged
        q_t = q_t.copy()
        q_t[i] += q_t[j]
        run = _ib_iterate(
            problem,
            beta,
            q_t[keep],
            q_y_t[keep],
            hard=True,
            max_iter=max_iter - total,
            tol=tol,
        )
        total += run["n_iter"]
    run["n_iter"] = total
    return run


def _cluster_potential(mass, joint, beta: float) -> NDArray[np.float64]:
    """``(beta - 1) f(q_t) - beta sum_y f(q_ty)`` per cluster, ``f(v) = v log v``.

    The DIB cost ``H(T) - beta I(T;Y)`` is the sum of this over the clusters plus a
    constant (``beta sum_y f(p_y)``), so the change of the cost when one symbol moves
    involves only its old and new cluster.
    """
    mass = np.maximum(mass, 0.0)
    joint = np.maximum(joint, 0.0)
    return (beta - 1.0) * xlogy(mass, mass) - beta * xlogy(joint, joint).sum(axis=-1)


#: Symbols scored at once by ``_best_moves`` (bounds a (chunk, K, n_classes) array).
_MOVE_CHUNK = 4096


def _best_moves(p_x, joint_x, labels, mass, joint, beta):
    """Exact change of the DIB cost of the best single move of every symbol.

    Returns ``(delta, target)``: moving symbol ``i`` to cluster ``target[i]`` changes
    ``H(T) - beta I(T;Y)`` by ``delta[i]`` (0 when staying put is best). Empty
    cluster slots (``mass = 0``) are valid targets: a symbol may open a new cluster.
    """
    n = p_x.size
    delta, target = np.empty(n), np.empty(n, dtype=np.intp)
    base = _cluster_potential(mass, joint, beta)
    for lo in range(0, n, _MOVE_CHUNK):
        rows = slice(lo, min(lo + _MOVE_CHUNK, n))
        own, m, j = labels[rows], p_x[rows], joint_x[rows]
        removal = _cluster_potential(mass[own] - m, joint[own] - j, beta) - base[own]
        insertion = (
            _cluster_potential(
                mass[None, :] + m[:, None], joint[None, :, :] + j[:, None, :], beta
            )
            - base[None, :]
        )
        total = insertion + removal[:, None]
        total[np.arange(own.size), own] = 0.0
        target[rows] = np.argmin(total, axis=1)
        delta[rows] = total[np.arange(own.size), target[rows]]
    return delta, target


def _improve_by_moves(problem, beta, labels, n_clusters):
    """Move single symbols between hard clusters while that lowers the DIB cost.

    The DIB update assigns every symbol against the cluster statistics of the
    previous partition, all at once, so its fixed points need not be local minima
    of ``H(T) - beta I(T;Y)``: moving one symbol also changes the ``q(t)`` and
    ``q(y|t)`` it is scored against, which matters when a symbol carries a large
    share of a cluster. Here every move is scored exactly; improving symbols are
    moved one at a time (each rescored against the current statistics), as in the
    sequential IB, until no single move helps. Returns the dense new labels and
    whether anything moved.
    """
    p_x, p_y_x = problem["p_x"], problem["p_y_x"]
    joint_x = p_x[:, None] * p_y_x
    labels = labels.astype(np.intp, copy=True)
    mass = np.bincount(labels, weights=p_x, minlength=n_clusters)
    joint = np.stack(
        [np.bincount(labels, weights=col, minlength=n_clusters) for col in joint_x.T],
        axis=1,
    )
    threshold = -1e-12 * (1.0 + beta)
    moved_any = False
    for _ in range(p_x.size + 1):  # every pass moves a symbol or stops
        delta, _ = _best_moves(p_x, joint_x, labels, mass, joint, beta)
        movers = np.flatnonzero(delta < threshold)
        moved = False
        for i in movers[np.argsort(delta[movers], kind="stable")]:
            d, t = _best_moves(
                p_x[i : i + 1], joint_x[i : i + 1], labels[i : i + 1], mass, joint, beta
            )
            if not d[0] < threshold:
                continue
            old, new = labels[i], t[0]
            mass[old] -= p_x[i]
            joint[old] -= joint_x[i]
            mass[new] += p_x[i]
            joint[new] += joint_x[i]
            labels[i] = new
            moved = True
        if not moved:
            break
        moved_any = True
    return np.unique(labels, return_inverse=True)[1].ravel(), moved_any


def _refine_hard(problem, beta, run, n_clusters, *, max_iter, tol):
    """Polish a DIB run: greedy merges, then exact single-symbol moves, repeated.

    Each move pass counts as one sweep; after a move the hard updates run again
    from the new partition. Every step lowers ``H(T) - beta I(T;Y)`` (the hard
    update minimises an upper bound of it that is tight at its start), so this
    stops; ``max_iter`` bounds it as well.
    """
    run = _refine_by_merging(problem, beta, run, max_iter=max_iter, tol=tol)
    while run["converged"] and run["n_iter"] < max_iter:
        labels = np.argmax(run["encoder"], axis=1)
        labels, moved = _improve_by_moves(problem, beta, labels, n_clusters)
        if not moved:
            break
        done = run["n_iter"] + 1
        encoder = np.zeros((labels.size, int(labels.max()) + 1))
        encoder[np.arange(labels.size), labels] = 1.0
        q_t = problem["p_x"] @ encoder
        q_y_t = (encoder * problem["p_x"][:, None]).T @ problem["p_y_x"] / q_t[:, None]
        run = _ib_iterate(
            problem,
            beta,
            q_t,
            q_y_t,
            hard=True,
            max_iter=max(max_iter - done, 1),
            tol=tol,
        )
        run["n_iter"] += done
        run = _refine_by_merging(problem, beta, run, max_iter=max_iter, tol=tol)
    return run


def _discrete_problem(
    symbols: NDArray,
    y_codes: NDArray,
    n_symbols: int,
    n_classes: int,
    pseudocount: float,
    weights: NDArray | None = None,
):
    """``p(x, y)`` of the symbols, with symbols of equal ``p(y|x)`` merged.

    Counts are sums of ``weights`` (frequency weights: an integer weight is a
    repeated row). The IB and DIB updates depend on ``x`` only through ``p(y|x)``,
    so every fixed point gives symbols sharing that row the same encoder row: the
    optimisation runs on the distinct rows (groups), which are usually far fewer.
    """
    counts = (
        np.bincount(
            symbols * n_classes + y_codes,
            weights=weights,
            minlength=n_symbols * n_classes,
        )
        .reshape(n_symbols, n_classes)
        .astype(np.float64)
    )
    counts += pseudocount
    p_xy = counts / counts.sum()
    p_x = p_xy.sum(axis=1)
    p_y_x = p_xy / p_x[:, None]
    rows, group_of_symbol = np.unique(p_y_x, axis=0, return_inverse=True)
    p_g = np.bincount(group_of_symbol.ravel(), weights=p_x, minlength=len(rows))
    return {
        "n_total": float(counts.sum()),
        "p_x": p_g,
        "p_y_x": rows,
        "p_y": p_xy.sum(axis=0),
        "group_of_symbol": group_of_symbol.ravel().astype(np.intp),
        "information_xy": float(mutual_info_from_table(p_xy)),
    }


#: Distinct binned rows above this share of the samples trigger the memorising
#: warning of the discrete methods (fewer than 1.25 samples per symbol on average).
_MEMORISING_SHARE = 0.8


def _default_classifier():
    # MaxAbsScaler first: StandardScaler's sums of squares overflow on values near
    # 1e307, while dividing by the largest |value| cannot.
    return make_pipeline(
        MaxAbsScaler(), StandardScaler(), LogisticRegression(max_iter=1000)
    )


def _fit_classifier(clf, X, y, weights):
    """Fit ``clf`` on the rows of positive weight, weighted where it accepts it.

    A pipeline is fitted step by step, each step that takes ``sample_weight`` getting
    the weights (so no metadata routing is needed); another estimator gets them if
    its ``fit`` takes ``sample_weight``, and is fitted unweighted otherwise.
    """
    if weights is None:
        return clf.fit(X, y)
    keep = weights > 0
    X, y, weights = X[keep], y[keep], weights[keep]

    def weight_of(step):
        return (
            {"sample_weight": weights}
            if has_fit_parameter(step, "sample_weight")
            else {}
        )

    if isinstance(clf, Pipeline) and clf.memory is None:
        steps = [s for _, s in clf.steps if s is not None and s != "passthrough"]
        for step in steps[:-1]:
            X = step.fit(X, y, **weight_of(step)).transform(X)
        steps[-1].fit(X, y, **weight_of(steps[-1]))
        return clf
    return clf.fit(X, y, **weight_of(clf))


# ======================================================================= estimator
class InformationBottleneckReducer(
    ClassNamePrefixFeaturesOutMixin, TransformerMixin, DocLinkMixin, BaseEstimator
):
    """Compress ``X`` into a few components that keep the information about ``y``.

    The information bottleneck (IB) looks for a representation ``T`` of ``X`` that
    minimises ``I(X;T) - beta * I(T;Y)``: ``beta`` prices the information about ``y``
    kept against the information about ``X`` spent. Three solvers:

    - ``"gaussian"``: the Gaussian IB (Chechik et al., 2005). ``X`` and ``y`` are
      modelled as jointly Gaussian; the optimal ``T = A X + noise`` projects onto
      generalized eigenvectors of ``Sigma_{x|y}`` and ``Sigma_x``, each component
      switching on when ``beta`` passes its critical value ``1 / (1 - lambda_i)``.
      ``transform`` returns the noise-free mean ``(X - mean_) @ components_.T`` of
      the active components only, each scaled to unit variance on the training
      data, so ``beta`` decides which directions are kept but not the output scale.
      ``y`` may be a class label (one-hot coded, so ``Sigma_{x|y}`` is the pooled
      within-class covariance and the directions are those of LDA) or one or several
      continuous outputs.
    - ``"ib"``: the iterative, soft IB (Tishby et al., 1999) on the symbols of the
      binned ``X``: ``transform`` returns ``q(t|x)``, one column per cluster.
    - ``"dib"``: the deterministic IB (Strouse & Schwab, 2017), which minimises
      ``H(T) - beta * I(T;Y)`` with hard assignments: ``transform`` returns a one-hot
      matrix and ``predict`` the cluster label.

    Read more in the :ref:`User Guide <bottleneck_guide>`.

    .. versionadded:: 0.1

    Parameters
    ----------
    n_components : int, default=2
        For ``"gaussian"``, the maximum number of leading components kept; only
        the active ones (``beta > critical_betas_[i]``) are output, so at most
        ``n_classes - 1`` for a class label, as in LDA (see ``n_components_``).
        For ``"ib"``/``"dib"``, the maximum number of clusters.

    method : {"gaussian", "ib", "dib"}, default="gaussian"
        The IB solver, see above. ``"ib"`` and ``"dib"`` need a classification
        target.

    beta : float, default=10.0
        Trade-off parameter, finite and ``> 0``. Nothing is kept for ``beta < 1``
        (``I(T;Y) <= I(X;T)``). At ``beta = 1`` the discrete methods' trivial
        solution ties with any ``T`` that says nothing about ``X`` beyond ``y``
        (``I(X;T|Y) = 0``; for ``"dib"``, ``H(T|Y) = 0``), and the iterations may
        return such a ``T``. A Gaussian component with canonical correlation
        ``rho`` to ``y`` is kept once ``beta > 1 / rho**2``, so the default keeps
        directions with ``rho**2 > 0.1``. Large values keep every informative
        direction or cluster.

    shrinkage : "auto", float in [0, 1] or None, default="auto"
        ``"gaussian"`` only. Shrinkage of ``Sigma_{x|y}`` towards a multiple of the
        identity, which keeps the eigenproblem well posed (``Sigma_x`` invertible,
        ``lambda > 0``). ``"auto"`` uses the Ledoit-Wolf coefficient, a float fixes
        it, ``None`` disables it.

    n_bins : int or "auto", default=5
        ``"ib"``/``"dib"`` only. Bins per feature used to code ``X`` (through
        skinfo's shared binning, as in :class:`MIFeatureSelector`); each distinct
        row of codes is one symbol ``x``, and ``transform`` codes new rows with the
        same ``bin_edges_``. ``"auto"`` applies the cube-root rule to the
        (effective) number of samples. With many features nearly every row becomes
        its own symbol and the bottleneck memorises ``y``: ``fit`` warns when the
        distinct rows exceed 80% of the samples; use fewer bins or features.

    strategy : {"quantile", "uniform"}, default="quantile"
        ``"ib"``/``"dib"`` only. Equal-frequency or equal-width bins.

    pseudocount : float, default=0.0
        ``"ib"``/``"dib"`` only. Added to every cell of the ``(x, y)`` count table
        before normalising it to ``p(x, y)``.

    classifier : estimator with ``predict_proba`` or None, default=None
        ``"ib"``/``"dib"`` only. Estimates ``p(y|x)`` for rows whose symbol was not
        seen in ``fit``; it is cloned and fitted on the rows of ``(X, y)`` with a
        positive weight, with ``sample_weight`` when its ``fit`` (or, for a
        pipeline, each step's ``fit``) takes it. ``None`` uses
        ``make_pipeline(MaxAbsScaler(), StandardScaler(),
        LogisticRegression(max_iter=1000))`` (the first scaler keeps values near the
        float limit from overflowing). Rows seen in ``fit`` always use their
        empirical ``p(y|x)``, so they get exactly the fitted encoder.

    n_init : int, default=5
        ``"ib"``/``"dib"`` only. Number of k-means++-seeded runs; the one with the
        lowest objective is kept.

    max_iter : int, default=500
        ``"ib"``/``"dib"`` only. Maximum number of update sweeps per run (soft
        runs are accelerated with SQUAREM; each sweep is one pass of the
        self-consistent equations).

    tol : float, default=1e-5
        ``"ib"`` only. A run stops when a step changes the joint
        ``q(x, t) = p(x) q(t|x)`` by at most ``tol`` in L1 norm; ``"dib"`` stops
        when no assignment changes.

    random_state : int, RandomState instance or None, default=None
        Seeds the cluster initialisations and the quantile subsample of the bins.

    Attributes
    ----------
    n_components_ : int
        Number of output columns of ``transform``. ``"gaussian"``: the number of
        active components among the first ``min(n_components, n_features_in_)``,
        i.e. of ``beta > critical_betas_[i]`` (at most ``n_classes - 1`` for a
        class label; 0, with a warning, below the first critical beta). For
        ``"ib"``/``"dib"``: the number of surviving (non-empty) clusters.

        .. versionchanged:: 0.2
           Inactive Gaussian components are dropped instead of output as zero
           columns.

    components_ : ndarray of shape (n_active, n_features)
        ``"gaussian"`` only, one row per output column (``n_active`` is
        ``n_components_``). The active directions ``v_i``, scaled so that each
        output column ``(X - mean_) @ v_i`` has unit (weighted) variance on the
        training data, with the largest entry of each row positive.

    eigenvalues_ : ndarray of shape (n_features,)
        ``"gaussian"`` only. All eigenvalues ``lambda_i = 1 - rho_i**2`` of
        ``Sigma_{x|y} Sigma_x^{-1}``, ascending (most informative first).

    critical_betas_ : ndarray of shape (n_features,)
        ``"gaussian"`` only. ``1 / (1 - lambda_i)``; ``inf`` for ``lambda_i = 1``.

    mean_ : ndarray of shape (n_features,)
        ``"gaussian"`` only. Per-feature mean subtracted before projecting.

    shrinkage_ : float
        ``"gaussian"`` only. The shrinkage coefficient used.

    n_active_ : int
        Equal to ``n_components_`` (kept for compatibility).

    information_xt_ : float
        ``I(X;T)`` in nats at the fitted ``beta``: the closed form for
        ``"gaussian"``, the value of the fitted distributions otherwise (``H(T)``
        for ``"dib"``).

    information_ty_ : float
        ``I(T;Y)`` in nats at the fitted ``beta`` (never above
        ``information_xy_``; for a class label never above the plug-in ``H(y)``,
        see Notes).

    information_xy_ : float
        ``I(X;Y)`` in nats of the fitted model: ``-0.5 * sum(log(eigenvalues_))``
        for ``"gaussian"`` (eigenvalues floored at 1e-12; for a class label capped
        at the plug-in ``H(y)``), the plug-in value of the binned ``p(x, y)``
        otherwise.

    classes_ : ndarray of shape (n_classes,)
        ``"ib"``/``"dib"`` only. Class labels, the columns of ``p_y_given_t_``.

    p_t_ : ndarray of shape (n_components,)
        ``"ib"``/``"dib"`` only. Cluster probabilities ``q(t)``.

    p_y_given_t_ : ndarray of shape (n_components, n_classes)
        ``"ib"``/``"dib"`` only. Decoder ``q(y|t)``.

    bin_edges_ : list of ndarray
        ``"ib"``/``"dib"`` only. Inner cut points of each feature, used by
        ``fit`` and ``transform`` alike.

    classifier_ : estimator or None
        ``"ib"``/``"dib"`` only. The fitted ``classifier`` (None with one class).

    n_iter_ : int
        Update sweeps of the selected run; 1 for ``"gaussian"`` (one closed-form
        solve).

    n_features_in_ : int
        Number of features seen during :term:`fit`.

    feature_names_in_ : ndarray of shape (`n_features`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    information_curve : ``I(X;T)`` and ``I(T;Y)`` along a sweep of ``beta``.
    plot_information_plane : Draw an information curve.
    sklearn.discriminant_analysis.LinearDiscriminantAnalysis : Same directions as
        the Gaussian IB with a class label, without the ``beta`` trade-off.

    Notes
    -----
    Gaussian IB: ``fit`` centres ``X``, forms ``Sigma_x`` with one ``X.T @ X``, the
    explained part ``B = Sigma_xy Sigma_y^+ Sigma_yx`` (for a class label,
    ``sum_k p_k m_k m_k^T`` of the class means) and ``W = Sigma_x - B``. ``W`` is
    shrunk (Ledoit-Wolf by default), ``Sigma_x`` is taken as ``W + B``, and
    ``scipy.linalg.eigh(W, Sigma_x)`` gives ``lambda_i`` and ``v_i`` with
    ``v_i' Sigma_x v_i = 1``.

    In the IB solution of Chechik et al. an active component is
    ``alpha_i v_i`` with ``alpha_i = sqrt((beta (1 - lambda_i) - 1) / lambda_i)``,
    a scale that grows like ``sqrt(beta)``. ``T`` is defined only up to an
    invertible map, so ``components_`` drops ``alpha_i`` and scales ``v_i`` to unit
    output variance instead: tuning ``beta`` (for example in ``GridSearchCV``)
    then changes which directions are kept, never the scale a downstream model
    sees. The information values are those of the IB solution, which
    ``alpha_i`` does not change. Inactive components are dropped, so
    ``transform`` returns ``n_components_`` columns, none of them constant (as
    LDA caps its dimension at ``n_classes - 1``); below the first critical beta
    nothing is kept and ``transform`` returns 0 columns, with a warning. An
    eigenvalue ``lambda_i = 0`` (``y`` is an exact linear function of ``X`` in that
    direction, possible only without shrinkage) is floored at 1e-12 in the
    information values, with a warning. Signs are fixed so that the largest entry
    of each row of ``components_`` is positive.

    ``X`` (and a continuous ``y``) is divided by a power of two before the moments
    are formed, which is exact and changes no result but keeps values near 1e307
    (or 1e-300) from overflowing (underflowing). With more features than rows of
    positive weight, the problem is solved in the span of the centred rows (a thin
    SVD): outside it the shrunk ``Sigma_{x|y}`` and ``Sigma_x`` are equal multiples
    of the identity, so those directions have ``lambda = 1`` exactly and
    ``eigenvalues_`` is padded with ones. The result equals the ``p x p`` solution
    at a cost of ``O(n^2 p)`` instead of ``O(p^3)`` (20 x 10,000 in a fraction of a
    second). ``fit`` warns when ``n_samples <= n_features``: the covariances are
    then not estimable and the Gaussian values say little.

    For a class label the Gaussian values of ``I(T;X)``, ``I(T;Y)`` and
    ``I(X;Y)`` are those of the fitted Gaussian model (the one-hot label treated as
    Gaussian), not of the data, and can exceed what a label can carry: ``I(T;Y)``
    and ``I(X;Y)`` are therefore reported as the smaller of the model's value and
    the plug-in (weighted) entropy ``H(y)`` of the training labels, the largest
    value any representation can reach. ``I(T;X)`` is not capped.

    ``sample_weight`` holds frequency weights. They are first rescaled to sum to
    ``n_eff = max(sum(w), count(w > 0))``: integer weights are unchanged and act
    exactly as repeated rows, while smaller weights act as if they summed to the
    number of weighted rows, so weights normalised to sum 1 behave like unit
    weights and a common factor changes nothing. ``"gaussian"`` uses weighted
    means and covariances (and ``n_eff`` as the Ledoit-Wolf sample size); the
    discrete methods place weighted quantile cuts (``n_bins="auto"`` uses
    ``n_eff``), count weighted ``(x, y)`` cells and ignore rows of weight 0 (their
    symbols count as unseen), and the classifier is fitted with the weights where
    it takes them.

    Discrete IB: ``X`` is binned and each distinct row of codes is a symbol.
    Symbols with the same empirical ``p(y|x)`` are optimised as one: the updates
    depend on ``x`` only through ``p(y|x)``, so such symbols share the encoder row
    at every fixed point. Each run starts from k-means++-seeded decoders and
    iterates the self-consistent equations in log space, soft runs with SQUAREM
    extrapolation [5]_ that is kept only when it lowers the IB free energy (so the
    iteration stays monotone); clusters with ``q(t) < 1e-10`` are dropped. DIB
    runs are then refined by greedy merges of cluster pairs while a merge lowers
    ``H(T) - beta I(T;Y)`` (the finite-beta agglomerative IB cost), which the hard
    updates alone cannot do, and by moves of single symbols scored exactly (as in
    the sequential IB), since the parallel hard updates can stall where moving one
    symbol still lowers the cost. Clusters are ordered by decreasing ``q(t)``.
    The outputs are probabilities in ``[0, 1]`` whatever ``beta``, so they are
    not rescaled.

    A row is encoded with ``q(t|x) ~ q(t) exp(-beta KL(p(y|x) || q(y|t)))`` (IB) or
    its argmax (DIB). For a symbol seen in ``fit``, ``p(y|x)`` is empirical and the
    row gets exactly the fitted encoder. For a new symbol, ``p(y|x)`` comes from
    ``classifier_`` and the decoder is regularised with one pseudo-sample from
    ``p(y)``, ``(n_t q(y|t) + p(y)) / (n_t + 1)`` with ``n_t`` the cluster's count:
    a fitted ``q(y|t)`` with zeros (common when every training row is unique) would
    make the KL infinite for any smooth ``p(y|x)``. ``X`` must be finite (impute NaN
    first, e.g. with ``SimpleImputer``) and numeric: text and date/time columns get
    a ``TypeError`` naming the column.

    ``X`` may be a dask array (chunked along rows) or DataFrame, with ``y`` and
    ``sample_weight`` in memory or dask; the fit then runs on the workers and
    ``X`` is never gathered on the client. ``"gaussian"`` adds the weighted sums it
    needs (weight total, means, centred cross-products per class or with ``y``,
    the residuals' fourth moment for Ledoit-Wolf) over the row chunks, a few
    passes, and solves exactly as in memory; it needs more rows of positive
    weight than features (else a ``ValueError``: fit the small ``X`` in memory).
    ``"ib"``/``"dib"`` count the distinct ``(binned row, y)`` pairs chunk by
    chunk; uniform edges come from the column ranges, quantile edges and the
    ``classifier`` from at most 200,000 rows drawn on the workers (all rows, so
    exactly the in-memory result, on smaller data). The fitted attributes equal
    the in-memory ones up to round-off; ``transform`` and ``predict`` return lazy
    dask collections (a DataFrame, named by ``get_feature_names_out``, for a
    DataFrame).

    References
    ----------
    .. [1] N. Tishby, F. C. Pereira and W. Bialek, "The information bottleneck
       method", Proc. 37th Allerton Conference, 1999, pp. 368-377.
    .. [2] G. Chechik, A. Globerson, N. Tishby and Y. Weiss, "Information bottleneck
       for Gaussian variables", JMLR 6, 2005, pp. 165-188.
    .. [3] D. J. Strouse and D. J. Schwab, "The deterministic information
       bottleneck", Neural Computation 29(6), 2017, pp. 1611-1630.
    .. [4] O. Ledoit and M. Wolf, "A well-conditioned estimator for large-dimensional
       covariance matrices", J. Multivariate Analysis 88(2), 2004, pp. 365-411.
    .. [5] R. Varadhan and C. Roland, "Simple and globally convergent methods for
       accelerating the convergence of any EM algorithm", Scandinavian J.
       Statistics 35(2), 2008, pp. 335-353.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skinfo import InformationBottleneckReducer
    >>> X, y = load_iris(return_X_y=True)
    >>> ib = InformationBottleneckReducer(n_components=2, beta=50.0).fit(X, y)
    >>> ib.transform(X).shape
    (150, 2)
    >>> ib.critical_betas_[:2].round(2)
    array([1.03, 4.64])
    >>> dib = InformationBottleneckReducer(3, method="dib", random_state=0)
    >>> dib.fit(X, y).predict(X[:3])
    array([0, 0, 0])
    """

    _parameter_constraints: dict = {
        **BINNING_CONSTRAINTS,
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "method": [StrOptions({"gaussian", "ib", "dib"})],
        "beta": [Interval(Real, 0, None, closed="neither")],
        "shrinkage": [StrOptions({"auto"}), Interval(Real, 0, 1, closed="both"), None],
        "pseudocount": [Interval(Real, 0, None, closed="left")],
        "classifier": "no_validation",
        "n_init": [Interval(Integral, 1, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        n_components=2,
        *,
        method="gaussian",
        beta=10.0,
        shrinkage="auto",
        n_bins=5,
        strategy="quantile",
        pseudocount=0.0,
        classifier=None,
        n_init=5,
        max_iter=500,
        tol=1e-5,
        random_state=None,
    ):
        self.n_components = n_components
        self.method = method
        self.beta = beta
        self.shrinkage = shrinkage
        self.n_bins = n_bins
        self.strategy = strategy
        self.pseudocount = pseudocount
        self.classifier = classifier
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    # ------------------------------------------------------------------ fitting
    def _validate_fit_input(self, X, y, sample_weight=None):
        """Validate ``X, y``, the weights and what the constraints cannot express.

        Returns ``X``, ``y``, the type of target and the weights rescaled by
        :func:`_effective_weights` (``None`` when not given).
        """
        discrete = self.method != "gaussian"
        X = _check_input_kinds(X)
        check_target_length(X, y)
        X, y = validate_data(
            self, X, y, dtype=np.float64, multi_output=not discrete, y_numeric=False
        )
        weights = _effective_weights(sample_weight, X)
        n_eff = X.shape[0] if weights is None else float(weights.sum())
        if n_eff < 2:
            raise ValueError(
                f"{type(self).__name__} needs at least 2 samples, got n_samples = "
                f"{X.shape[0]} (effective number of samples {n_eff:g})."
            )
        target = type_of_target(y, input_name="y", raise_unknown=True)
        if discrete and target not in ("binary", "multiclass"):
            raise ValueError(
                f"method={self.method!r} needs a classification target, got a "
                f"{target!r} y; use method='gaussian' for continuous targets."
            )
        return X, y, target, weights

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the bottleneck on ``(X, y)``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data, finite; a dask array or DataFrame is fitted on its
            workers (see the Notes of the class).
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target: class labels, or (``method="gaussian"`` only) one or several
            continuous outputs.
        sample_weight : array-like of shape (n_samples,), default=None
            Frequency weights, non-negative and not all zero: an integer weight
            acts as that many copies of the row. See the Notes of the class.

            .. versionadded:: 0.2

        Returns
        -------
        self : object
            Fitted reducer.

        Examples
        --------
        >>> from sklearn.datasets import load_iris
        >>> from skinfo import InformationBottleneckReducer
        >>> X, y = load_iris(return_X_y=True)
        >>> ib = InformationBottleneckReducer(2, beta=1.2).fit(X, y)
        >>> ib.n_components_, round(ib.information_ty_, 3)
        (1, 0.831)
        """
        if _is_dask(X):
            from skinfo._dask_bottleneck import fit_dask

            fit_dask(self, X, y, sample_weight)
            self._n_features_out = self.n_components_
            return self
        X, y, target, weights = self._validate_fit_input(X, y, sample_weight)
        if self.method == "gaussian":
            self._fit_gaussian(X, y, target, weights)
        else:
            self._fit_discrete(X, y, check_random_state(self.random_state), weights)
        self._n_features_out = self.n_components_
        return self

    def _fit_gaussian(self, X, y, target, weights):
        kind = "classification" if target in ("binary", "multiclass") else "regression"
        n, d = X.shape
        weights = np.ones(n) if weights is None else weights
        self._warn_few_samples(float(weights.sum()), d)
        self._set_gaussian(_gaussian_solution(X, y, kind, self.shrinkage, weights))

    @staticmethod
    def _warn_few_samples(n_eff: float, n_features: int) -> None:
        if n_eff <= n_features:
            warn_user(
                f"n_samples = {n_eff:g} <= n_features = {n_features}: the covariances "
                "of the Gaussian bottleneck are not estimable from so few rows (any "
                "label is a linear function of X), so its directions and information "
                "values say little. Use more samples, or fewer features (e.g. "
                "MIFeatureSelector or PCA first).",
                UserWarning,
            )

    def _set_gaussian(self, solution) -> None:
        """Fitted attributes of the Gaussian method from :func:`_solve_gaussian`."""
        lam = solution["eigenvalues"]
        n_comp = min(self.n_components, lam.size)
        self.eigenvalues_ = lam
        self.critical_betas_ = _critical_betas(lam)
        self.shrinkage_ = solution["shrinkage"]
        n_active = int(np.count_nonzero(self.beta > self.critical_betas_[:n_comp]))
        if np.any(lam[:n_active] < _LAMBDA_FLOOR):
            warn_user(
                "Some eigenvalues of Sigma_{x|y} Sigma_x^-1 are 0: y is an exact "
                f"linear function of X along them. They are floored at {_LAMBDA_FLOOR}"
                " in the information values; use shrinkage to regularise.",
                UserWarning,
            )
        if n_active == 0:
            first = self.critical_betas_[0]
            reason = (
                "y has no linear relation to X"
                if not np.isfinite(first)
                else f"the first critical beta is {first:.10g}; use a larger beta"
            )
            warn_user(
                f"No component is active at beta={self.beta:g} ({reason}): "
                "transform returns 0 columns.",
                UserWarning,
            )
        exponent = solution["exponent"]
        self._scale_exponent = exponent
        self._mean_scaled = solution["mean"]
        self._components_scaled = _unit_variance_components(solution, n_active)
        self.mean_ = np.ldexp(solution["mean"], exponent)
        self.components_ = np.ldexp(self._components_scaled, -exponent)
        self.n_components_ = self.n_active_ = n_active
        info_x, info_y, _ = _gaussian_information(lam, self.beta, n_comp)
        info_xy = float(-0.5 * np.sum(np.log(np.maximum(lam, _LAMBDA_FLOOR))))
        self._entropy_y = solution["entropy_y"]
        self.information_xt_ = info_x
        self.information_ty_ = min(info_y, self._entropy_y)
        self.information_xy_ = min(info_xy, self._entropy_y)
        self.n_iter_ = 1

    def _discrete_setup(self, X, y, rng, weights=None):
        """Bin ``X``, index its symbols and build the (grouped) ``p(x, y)``.

        Rows of weight 0 take no part: their symbols count as unseen.
        """
        self.classes_, y_codes = encode_labels(y)
        n_eff = X.shape[0] if weights is None else float(weights.sum())
        n_bins = auto_n_bins(n_eff) if self.n_bins == "auto" else self.n_bins
        # Cuts are placed on X / 2**e (exact), so that interpolating between values
        # near the float limit cannot overflow; scaling them back is exact too.
        exponent = _power_of_two_exponent(X)
        edges = fit_bin_edges(
            np.ldexp(X, -exponent),
            n_bins,
            self.strategy,
            sample_weight=weights,
            random_state=rng,
        )
        self.bin_edges_ = [np.ldexp(cuts, exponent) for cuts in edges]
        codes, n_levels = apply_bin_edges(X, self.bin_edges_)
        if weights is not None:
            keep = weights > 0
            codes, y_codes, weights = codes[keep], y_codes[keep], weights[keep]
        return self._discrete_table(codes, y_codes, weights, n_levels, n_eff)

    def _discrete_table(self, codes, y_codes, weights, n_levels, n_eff):
        """Index the symbols of binned rows and build the (grouped) ``p(x, y)``.

        ``codes`` (rows of bin codes), ``y_codes`` and ``weights`` (None for unit
        weights) are the rows of positive weight; the distributed fit passes one row
        per distinct ``(codes, y)`` pair with its summed weight instead, which gives
        the same table. Sets the symbol index used by ``transform``.
        """
        symbols, self._row_index = _fit_row_index(codes, n_levels)
        n_symbols = int(symbols.max()) + 1
        if n_symbols > _MEMORISING_SHARE * n_eff:
            warn_user(
                f"The {codes.shape[1]} binned features (n_bins={self.n_bins!r}) make "
                f"{n_symbols} distinct rows out of {n_eff:g} samples: nearly every "
                "row is its own symbol x, so p(y|x) is memorised, I(X;Y) and "
                "I(T;Y) approach H(y) and the bottleneck cannot generalise. Use "
                "fewer bins (n_bins=2 or 3), fewer features (e.g. MIFeatureSelector "
                "first), or method='gaussian'.",
                UserWarning,
            )
        return _discrete_problem(
            symbols,
            y_codes,
            n_symbols,
            self.classes_.size,
            float(self.pseudocount),
            weights,
        )

    def _check_classifier(self):
        clf = _default_classifier() if self.classifier is None else self.classifier
        if not hasattr(clf, "fit") or not hasattr(clf, "predict_proba"):
            raise TypeError(
                "classifier must be an estimator with fit and predict_proba, got "
                f"{self.classifier!r}."
            )
        return clf

    def _fit_discrete(self, X, y, rng, weights):
        clf = self._check_classifier()
        problem = self._discrete_setup(X, y, rng, weights)
        y_codes = encode_labels(y)[1]
        self._solve_discrete_problem(problem, rng)
        self.classifier_ = None
        present = np.unique(y_codes if weights is None else y_codes[weights > 0])
        if present.size > 1:
            self.classifier_ = _fit_classifier(clone(clf), X, y_codes, weights)

    def _solve_discrete_problem(self, problem, rng) -> None:
        """Solve the IB/DIB on ``p(x, y)``; set the attributes but the classifier."""
        best = _solve_discrete(
            problem,
            float(self.beta),
            self.n_components,
            hard=self.method == "dib",
            n_init=self.n_init,
            max_iter=self.max_iter,
            tol=self.tol,
            rng=rng,
        )
        if not best["converged"]:
            warn_user(
                f"The {self.method!r} iterations did not converge within max_iter="
                f"{self.max_iter} sweeps; increase max_iter or tol.",
                ConvergenceWarning,
            )
        # Canonical cluster order: largest q(t) first, ties by q(y|t) (descending).
        # Keys are rounded so that equal masses which differ in the last bits (the
        # summation order varies between numpy builds) still count as ties.
        q_y_t = best["p_y_given_t"]
        keys = np.round(np.column_stack([best["p_t"], q_y_t]), 9)
        order = np.lexsort(-keys[:, ::-1].T)
        self._group_of_symbol = problem["group_of_symbol"]
        self._encoder = best["encoder"][:, order]
        self.p_t_ = best["p_t"][order]
        self.p_y_given_t_ = q_y_t[order]
        self.n_iter_ = best["n_iter"]
        self.n_components_ = self.n_active_ = self.p_t_.size
        self.information_xt_ = best["information_xt"]
        self.information_ty_ = best["information_ty"]
        self.information_xy_ = problem["information_xy"]
        self._n_total, self._p_y = problem["n_total"], problem["p_y"]

    # ---------------------------------------------------------------- encoding
    def _p_y_given_x(self, X) -> NDArray[np.float64]:
        """Estimated ``p(y|x)`` of new rows from the fitted classifier."""
        if self.classifier_ is None:
            return np.ones((X.shape[0], 1))
        proba = np.asarray(self.classifier_.predict_proba(X), dtype=np.float64)
        out = np.zeros((X.shape[0], self.classes_.size))
        cols = np.asarray(
            getattr(self.classifier_, "classes_", np.arange(out.shape[1]))
        )
        out[:, cols.astype(np.intp)] = proba
        return out

    def _encode(self, X) -> NDArray[np.float64]:
        """``q(t|x)`` of validated rows: the fitted encoder for seen symbols."""
        codes, _ = apply_bin_edges(X, self.bin_edges_)
        symbols = _apply_row_index(codes, self._row_index)
        out = np.empty((X.shape[0], self.n_components_))
        seen = symbols >= 0
        out[seen] = self._encoder[self._group_of_symbol[symbols[seen]]]
        if not seen.all():
            p_new = self._p_y_given_x(X[~seen])
            neg_ent = xlogy(p_new, p_new).sum(axis=1)
            n_t = (self._n_total * self.p_t_)[:, None]
            decoder = (n_t * self.p_y_given_t_ + self._p_y) / (n_t + 1.0)
            score = np.log(self.p_t_)[None, :] - self.beta * _kl_rows(
                p_new, neg_ent, decoder
            )
            if self.method == "dib":
                enc = np.zeros_like(score)
                enc[np.arange(score.shape[0]), np.argmax(score, axis=1)] = 1.0
            else:
                enc = np.exp(score - logsumexp(score, axis=1, keepdims=True))
            out[~seen] = enc
        return out

    def transform(self, X):
        """Map ``X`` to the compressed representation ``T``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data to compress, finite (a dask array or DataFrame gives a lazy
            result).

        Returns
        -------
        X_new : ndarray of shape (n_samples, n_out)
            ``n_out`` is ``n_components_``; for dask input a dask array, or a dask
            DataFrame with the ``get_feature_names_out`` columns for a DataFrame.
            ``"gaussian"``: the projection ``(X - mean_) @ components_.T`` on the
            active components, each with unit variance on the training data;
            ``"ib"``: the soft encoder ``q(t|x)`` (rows sum to 1); ``"dib"``: the
            one-hot cluster assignment.

        Examples
        --------
        >>> from sklearn.datasets import load_iris
        >>> from skinfo import InformationBottleneckReducer
        >>> X, y = load_iris(return_X_y=True)
        >>> ib = InformationBottleneckReducer(2, method="ib", beta=50.0, random_state=0)
        >>> ib.fit(X, y).transform(X[:2]).round(3)
        array([[1., 0.],
               [1., 0.]])
        """
        check_is_fitted(self)
        if _is_dask(X):
            from skinfo._dask_bottleneck import transform_dask

            return transform_dask(self, X)
        X = _check_input_kinds(X)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return self._transform_rows(X)

    def _transform_rows(self, X) -> NDArray[np.float64]:
        """``transform`` of validated float rows (one block of dask input too)."""
        if self.method == "gaussian":
            centred = np.ldexp(X, -self._scale_exponent) - self._mean_scaled
            return centred @ self._components_scaled.T
        return self._encode(X)

    @available_if(lambda self: self.method != "gaussian")
    def predict(self, X):
        """Cluster of every row (``"ib"``/``"dib"`` only).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data to assign, finite (a dask collection gives a lazy dask array).

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            Index of the most probable cluster (first one on ties).

        Examples
        --------
        >>> from sklearn.datasets import load_iris
        >>> from skinfo import InformationBottleneckReducer
        >>> X, y = load_iris(return_X_y=True)
        >>> dib = InformationBottleneckReducer(3, method="dib", random_state=0)
        >>> dib.fit(X, y).predict(X[[0, 50, 100]])
        array([0, 1, 2])
        """
        check_is_fitted(self)
        if _is_dask(X):
            from skinfo._dask_bottleneck import predict_dask

            return predict_dask(self, X)
        X = _check_input_kinds(X)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return np.argmax(self._encode(X), axis=1)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.target_tags.multi_output = self.method == "gaussian"
        return tags


# =================================================================== public helpers
@validate_params(
    {
        "estimator": [InformationBottleneckReducer],
        "X": ["array-like"],
        "y": ["array-like"],
        "betas": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def information_curve(estimator, X, y, betas=None):
    """``I(X;T)`` and ``I(T;Y)`` of the bottleneck along a sweep of ``beta``.

    For ``method="gaussian"`` the reducer is fitted once and the curve is the closed
    form of every ``beta`` (Chechik et al., 2005). For ``"ib"``/``"dib"`` the binned
    ``p(x, y)`` is built once and the bottleneck is solved for each ``beta`` in
    increasing order, annealing: the previous solution (slightly perturbed) is one
    more start next to ``n_init`` fresh ones, and the best objective is kept.

    Parameters
    ----------
    estimator : InformationBottleneckReducer
        Gives the method and every other parameter (its ``beta`` is ignored); it is
        cloned, never modified.
    X : array-like of shape (n_samples, n_features)
        Training data, in memory or a dask array or DataFrame.
    y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Target, as for :meth:`InformationBottleneckReducer.fit`.
    betas : array-like of float, default=None
        Values of ``beta`` (finite, ``> 0``); ``None`` uses 31 values log-spaced
        from 1 to 1000.

    Returns
    -------
    curve : pandas.DataFrame
        One row per ``beta``, sorted by increasing ``beta``, with columns ``"beta"``,
        ``"information_xt"`` and ``"information_ty"`` (nats), plus ``"n_active"``
        (active components) for ``"gaussian"`` or ``"n_clusters"`` otherwise.
        ``curve.attrs["information_xy"]`` holds ``I(X;Y)`` of the fitted model, the
        upper bound of ``information_ty``. For ``"gaussian"`` with a class label
        both are capped at the plug-in ``H(y)``, as the reducer's attributes are.

    See Also
    --------
    plot_information_plane : Draw the curve.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skinfo import InformationBottleneckReducer
    >>> from skinfo import information_curve
    >>> X, y = load_iris(return_X_y=True)
    >>> curve = information_curve(InformationBottleneckReducer(2), X, y, [2, 20])
    >>> curve.columns.tolist()
    ['beta', 'information_xt', 'information_ty', 'n_active']
    >>> curve["n_active"].tolist()
    [1, 2]
    """
    betas = _DEFAULT_BETAS if betas is None else betas
    betas = np.sort(np.asarray(betas, dtype=np.float64).ravel(), kind="stable")
    if betas.size == 0 or not np.all(np.isfinite(betas) & (betas > 0)):
        raise ValueError("betas must be a non-empty array of finite values > 0.")
    est = clone(estimator)
    if est.method == "gaussian":
        with warnings.catch_warnings():  # the curve does not depend on its beta
            warnings.filterwarnings("ignore", "No component is active", UserWarning)
            est.fit(X, y)
        n_comp = min(est.n_components, est.n_features_in_)
        rows = []
        for b in betas:
            info_x, info_y, n_active = _gaussian_information(
                est.eigenvalues_, b, n_comp
            )
            rows.append((b, info_x, min(info_y, est._entropy_y), n_active))
        curve = pd.DataFrame(
            rows, columns=["beta", "information_xt", "information_ty", "n_active"]
        )
    else:
        est.set_params(beta=float(betas[0]))
        est._validate_params()
        rng = check_random_state(est.random_state)
        if _is_dask(X):
            from skinfo._dask_bottleneck import discrete_problem_dask

            problem = discrete_problem_dask(est, X, y, None, rng)[0]
        else:
            X, y, _, _ = est._validate_fit_input(X, y)
            problem = est._discrete_setup(X, y, rng)
        rows, warm = [], None
        for b in betas:
            warm = _solve_discrete(
                problem,
                float(b),
                est.n_components,
                hard=est.method == "dib",
                n_init=est.n_init,
                max_iter=est.max_iter,
                tol=est.tol,
                rng=rng,
                warm=warm,
            )
            rows.append(
                (b, warm["information_xt"], warm["information_ty"], warm["p_t"].size)
            )
            report()
        curve = pd.DataFrame(
            rows, columns=["beta", "information_xt", "information_ty", "n_clusters"]
        )
        est.information_xy_ = problem["information_xy"]
    curve.attrs["information_xy"] = est.information_xy_
    return curve


@validate_params(
    {
        "curve": [pd.DataFrame],
        "ax": "no_validation",
        "base": [Interval(Real, 1, None, closed="neither"), None],
        "label": [str, None],
    },
    prefer_skip_nested_validation=True,
)
def plot_information_plane(curve, *, ax=None, base=2, label="IB curve"):
    """Draw an information curve in the information plane.

    Plots ``I(T;Y)`` against ``I(X;T)``, one marker per ``beta``, and a dashed line
    at ``I(X;Y)`` when ``curve.attrs`` holds it. Rows with a NaN or infinite value
    are left out with a ``UserWarning`` that names their ``beta``; a curve without
    a single finite point raises a ``ValueError``. Needs matplotlib (the ``plot``
    extra, or ``pip install matplotlib``).

    Parameters
    ----------
    curve : pandas.DataFrame
        Output of :func:`information_curve`: columns ``"information_xt"`` and
        ``"information_ty"`` in nats.
    ax : matplotlib.axes.Axes, default=None
        Axes to draw on; ``None`` creates a new figure.
    base : float or None, default=2
        Logarithm base of the plotted units: 2 gives bits, ``None`` nats.
    label : str or None, default="IB curve"
        Legend label of the curve (several curves can share one ``ax``).

    Returns
    -------
    ax : matplotlib.axes.Axes
        The axes drawn on.

    See Also
    --------
    information_curve : Compute the curve.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import load_iris
    >>> from skinfo import InformationBottleneckReducer
    >>> from skinfo import information_curve, plot_information_plane
    >>> X, y = load_iris(return_X_y=True)
    >>> curve = information_curve(InformationBottleneckReducer(2), X, y)
    >>> ax = plot_information_plane(curve)
    >>> ax.get_xlabel()
    'I(X;T) [bits]'
    """
    missing = {"information_xt", "information_ty"} - set(curve.columns)
    if missing:
        raise ValueError(f"curve lacks the column(s) {sorted(missing)}.")
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - matplotlib is a test dependency
        raise ImportError(
            "plot_information_plane needs matplotlib (pip install matplotlib, or "
            "skinfo's plot extra)."
        ) from exc
    info_x = np.asarray(curve["information_xt"], dtype=float)
    info_y = np.asarray(curve["information_ty"], dtype=float)
    finite = np.isfinite(info_x) & np.isfinite(info_y)
    if not finite.any():
        raise ValueError(
            "curve has no point where both information_xt and information_ty are "
            "finite; there is nothing to plot. Check the data and betas it was "
            "computed from."
        )
    if not finite.all():
        where = (
            f" (beta = {np.asarray(curve['beta'])[~finite].tolist()})"
            if "beta" in curve.columns
            else ""
        )
        warn_user(
            f"{int(np.count_nonzero(~finite))} of {finite.size} rows of curve have "
            f"a non-finite information value{where}; plotting the {finite.sum()} "
            "finite points only.",
            UserWarning,
        )
    if ax is None:
        _, ax = plt.subplots()
    unit = "nats" if base is None else "bits" if base == 2 else f"log base {base:g}"
    info_x = to_base(info_x[finite], base)
    info_y = to_base(info_y[finite], base)
    ax.plot(info_x, info_y, marker="o", markersize=3, label=label)
    info_xy = curve.attrs.get("information_xy")
    if info_xy is not None and np.isfinite(info_xy):
        level = to_base(info_xy, base)
        drawn = [ln for ln in ax.get_lines() if ln.get_gid() == "skinfo-ixy"]
        if not any(np.allclose(ln.get_ydata(), level) for ln in drawn):
            ax.axhline(level, color="gray", linestyle="--", label="I(X;Y)")
            ax.get_lines()[-1].set_gid("skinfo-ixy")
    ax.set_xlabel(f"I(X;T) [{unit}]")
    ax.set_ylabel(f"I(T;Y) [{unit}]")
    ax.set_title("Information plane")
    ax.legend(loc="lower right")
    return ax
