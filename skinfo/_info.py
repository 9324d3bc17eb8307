"""Count-level information kernels shared by every public function and estimator.

Everything here takes counts (or unnormalised probabilities) along the last axis and
returns nats. Batches broadcast over the leading axes, so one call scores every column
of a batched contingency table. Public functions convert units and validate input;
these kernels trust their callers.
"""

from __future__ import annotations

from numbers import Real

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import digamma, xlogy

ENTROPY_METHODS = ("plugin", "miller_madow", "grassberger", "shrinkage", "dirichlet")

#: Named Dirichlet priors: the pseudocount ``a`` as a function of (N, K).
DIRICHLET_PRIORS = {
    "jeffreys": lambda n, k: 0.5,
    "laplace": lambda n, k: 1.0,
    "perks": lambda n, k: 1.0 / k,
    "minimax": lambda n, k: np.sqrt(n) / k,
}

#: Plug-in quantities that are 0 in exact arithmetic (the MI of an independent table,
#: the VI of identical labelings) come out as +-1e-16 .. 1e-15 in floating point;
#: values within this distance of 0, of either sign, are round-off and become 0 (the
#: distance shrinks in proportion when the terms themselves are below 1 nat).
ROUNDOFF = 1e-10


def grassberger_g(n: ArrayLike) -> NDArray[np.float64]:
    """Grassberger's (2003) G(n) = psi(n) + 0.5 (-1)^n [psi((n+1)/2) - psi(n/2)]."""
    n = np.asarray(n, dtype=np.float64)
    sign = np.where(np.mod(n, 2) == 0, 1.0, -1.0)
    return digamma(n) + 0.5 * sign * (digamma((n + 1) / 2) - digamma(n / 2))


def _plugin_from_counts(counts: NDArray, total: NDArray) -> NDArray[np.float64]:
    """``(1/N) sum n (log N - log n)``; zero cells contribute nothing.

    Every term is non-negative (``log`` is monotone, so ``log N >= log n`` survives
    rounding), so the entropy is never negative and a single occupied cell gives
    exactly 0, where ``log N - (1/N) sum n log n`` leaves round-off of either sign.
    """
    counts = np.asarray(counts, dtype=np.float64)
    log_total = np.log(np.asarray(total, dtype=np.float64))[..., None]
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(counts > 0, counts * (log_total - np.log(counts)), 0.0)
        h = terms.sum(axis=-1) / total
    return np.where(total > 0, h, 0.0)


def _support_size(counts: NDArray, n_categories) -> NDArray[np.float64]:
    if n_categories is None:
        return np.full(counts.shape[:-1], counts.shape[-1], dtype=np.float64)
    return np.broadcast_to(
        np.asarray(n_categories, dtype=np.float64), counts.shape[:-1]
    ).copy()


def entropy_from_counts(
    counts: ArrayLike,
    *,
    method: str = "plugin",
    n_categories=None,
    alpha=None,
) -> NDArray[np.float64]:
    """Entropy in nats of the count vectors along the last axis.

    Parameters
    ----------
    counts : array-like of shape (..., n_cells)
        Non-negative counts (or weights). Cells with a zero count are unobserved.
    method : str
        One of :data:`ENTROPY_METHODS`.
    n_categories : int or array-like, optional
        Support size ``K`` for ``"shrinkage"`` and ``"dirichlet"``; defaults to the
        number of cells. Ignored by the other methods, which use observed counts only.
    alpha : float or str, optional
        Pseudocount for ``"dirichlet"``: a number or a name in
        :data:`DIRICHLET_PRIORS`.

    Returns
    -------
    ndarray of shape counts.shape[:-1]
        Entropy in nats.
    """
    counts = np.asarray(counts, dtype=np.float64)
    total = counts.sum(axis=-1)
    if method == "plugin":
        return _plugin_from_counts(counts, total)
    if method == "miller_madow":
        observed = np.count_nonzero(counts, axis=-1)
        with np.errstate(divide="ignore", invalid="ignore"):
            correction = np.where(total > 0, (observed - 1) / (2 * total), 0.0)
        return _plugin_from_counts(counts, total) + correction
    if method == "grassberger":
        g = np.where(counts > 0, counts * grassberger_g(np.maximum(counts, 1)), 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            h = np.log(total) - g.sum(axis=-1) / total
        return np.where(total > 0, h, 0.0)
    k = _support_size(counts, n_categories)
    if method == "shrinkage":
        theta, tail = _shrink(counts, total, k)
        missing = np.maximum(k - counts.shape[-1], 0)
        return _plugin_from_counts(theta, 1.0) - missing * xlogy(tail, tail)
    if method == "dirichlet":
        if alpha is None:
            alpha = "jeffreys"
        a = DIRICHLET_PRIORS[alpha](total, k) if isinstance(alpha, str) else alpha
        a = np.broadcast_to(np.asarray(a, dtype=np.float64), k.shape)
        # Only the first K cells are categories; the rest (table padding) stay empty.
        cells = np.arange(counts.shape[-1]) < k[..., None]
        theta = counts + np.where(cells, a[..., None], 0.0)
        # Categories beyond the stored cells (K > n_cells) each hold the pseudocount.
        missing = np.maximum(k - counts.shape[-1], 0)
        weight = total + k * a
        with np.errstate(divide="ignore", invalid="ignore"):
            h = (
                np.log(weight)
                - (xlogy(theta, theta).sum(axis=-1) + missing * xlogy(a, a)) / weight
            )
        return np.where(weight > 0, h, 0.0)
    raise ValueError(f"method must be one of {ENTROPY_METHODS}, got {method!r}.")


def _shrink(counts: NDArray, total: NDArray, k: NDArray):
    """Shrink frequencies towards uniform (James-Stein; Hausser & Strimmer 2009).

    Also returns ``lambda / K``, the shrunk value of each of the ``K - n_cells``
    categories beyond the stored cells (unobserved, frequency 0).
    """
    cells = np.arange(counts.shape[-1]) < k[..., None]
    missing = np.maximum(k - counts.shape[-1], 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        freq = np.where(total[..., None] > 0, counts / total[..., None], 0.0)
        target = np.where(cells, 1.0 / k[..., None], 0.0)
        spread = ((target - freq) ** 2).sum(axis=-1) + missing / k**2
        lam = (1.0 - (freq**2).sum(axis=-1)) / ((total - 1) * spread)
    lam = np.where((total <= 1) | (spread == 0) | ~np.isfinite(lam), 1.0, lam)
    lam = np.clip(lam, 0.0, 1.0)
    theta = lam[..., None] * target + (1.0 - lam[..., None]) * freq
    return theta, lam / k


def mutual_info_from_table(
    table: ArrayLike, *, method: str = "plugin", **kwargs
) -> NDArray[np.float64]:
    """I(X;Y) in nats from tables of shape (..., n_x, n_y) via H(X) + H(Y) - H(X,Y).

    For ``"shrinkage"``/``"dirichlet"``, ``n_categories`` may be a pair ``(K_x, K_y)``;
    the joint support is their product.
    """
    table = np.asarray(table, dtype=np.float64)
    kx, ky = _pair_support(table, kwargs.pop("n_categories", None))
    hx = entropy_from_counts(
        table.sum(axis=-1), method=method, n_categories=kx, **kwargs
    )
    hy = entropy_from_counts(
        table.sum(axis=-2), method=method, n_categories=ky, **kwargs
    )
    joint = table.reshape(*table.shape[:-2], -1)
    kxy = None if kx is None else np.asarray(kx) * np.asarray(ky)
    hxy = entropy_from_counts(joint, method=method, n_categories=kxy, **kwargs)
    value = roundoff_sum([hx, hy, -hxy], method)
    if method == "plugin":  # I(X;Y) <= min(H(X), H(Y)), also in floating point
        value = np.minimum(value, np.minimum(hx, hy))
    return value


def conditional_mutual_info_from_table(
    table: ArrayLike, *, method: str = "plugin", alpha=None
) -> NDArray[np.float64]:
    """I(X;Y|Z) in nats from tables of shape (..., n_x, n_y, n_z).

    Uses H(X,Z) + H(Y,Z) - H(X,Y,Z) - H(Z). Each entropy is of a different joint
    variable, so K-dependent methods take their support from the table's cells.
    """
    table = np.asarray(table, dtype=np.float64)
    lead = table.shape[:-3]

    def h(t):
        return entropy_from_counts(t.reshape(*lead, -1), method=method, alpha=alpha)

    terms = [
        h(table.sum(axis=-2)),
        h(table.sum(axis=-3)),
        -h(table),
        -h(table.sum(axis=(-3, -2))),
    ]
    return roundoff_sum(terms, method)


def _pair_support(table, n_categories):
    if n_categories is None:
        return None, None
    kx, ky = n_categories
    return kx, ky


def clip_roundoff(
    value: ArrayLike, method: str = "plugin", *, scale: ArrayLike = 1.0
) -> NDArray[np.float64]:
    """Snap plug-in round-off around 0 (either sign) to exactly 0.

    Used for quantities that are non-negative and exactly 0 in exact arithmetic on
    some inputs (mutual information, conditional mutual information and entropy,
    variation of information, KL and JS divergences). ``scale`` is the magnitude of
    the terms the value was computed from (for ``H(X) + H(Y) - H(X,Y)`` the sum of
    the three); values within ``ROUNDOFF * min(1, scale)`` of 0 become 0, so the
    threshold is :data:`ROUNDOFF` for ordinary entropies and relative for tiny ones
    (a table with a mass of 1e-170 keeps its genuine 1e-168 nats). A negative
    plug-in value is always round-off and becomes 0. Other estimators (bias
    corrected, kNN) keep their raw value.
    """
    value = np.asarray(value, dtype=np.float64)
    if method in ENTROPY_METHODS:
        threshold = ROUNDOFF * np.minimum(1.0, np.abs(np.asarray(scale, np.float64)))
        value = np.where(np.abs(value) <= threshold, 0.0, value)
    if method == "plugin":
        # Plug-in values are exact information quantities of the empirical
        # distribution, never negative: a negative one is round-off (an underflowed
        # positive term), whatever its size relative to the scale.
        value = np.maximum(value, 0.0)
    return value


def roundoff_sum(terms, method: str = "plugin") -> NDArray[np.float64]:
    """Sum signed entropy terms and snap the round-off of the result to 0."""
    terms = [np.asarray(t, dtype=np.float64) for t in terms]
    value = sum(terms[1:], terms[0])
    scale = sum((np.abs(t) for t in terms[1:]), np.abs(terms[0]))
    return clip_roundoff(value, method, scale=scale)


def snap_ratio(ratio: float) -> float:
    """Snap a ratio in ``[0, 1]`` within :data:`ROUNDOFF` of 0 or 1 to that bound."""
    if abs(ratio) <= ROUNDOFF:
        return 0.0
    if abs(ratio - 1.0) <= ROUNDOFF:
        return 1.0
    return float(ratio)


_clip_roundoff = clip_roundoff


def average_entropy(hx: float, hy: float, average_method: str) -> float:
    """Return the normalizer of normalized mutual information (scikit-learn's means).

    The geometric mean is ``sqrt(hx) * sqrt(hy)``, which cannot underflow to 0 for
    tiny positive entropies as ``sqrt(hx * hy)`` can; it is 0 when either entropy
    is not positive (bias-corrected estimates can be negative).
    """
    if average_method == "arithmetic":
        return 0.5 * (hx + hy)
    if average_method == "geometric":
        return float(np.sqrt(hx) * np.sqrt(hy)) if hx > 0 and hy > 0 else 0.0
    if average_method == "min":
        return min(hx, hy)
    return max(hx, hy)


def check_base(base) -> None:
    """Reject bases for which ``log(base)`` is not a finite non-zero number."""
    if base is None:
        return
    if isinstance(base, bool) or not isinstance(base, Real):
        raise TypeError(f"base must be None or a positive real number, got {base!r}.")
    if not np.isfinite(base) or base <= 0 or base == 1:
        raise ValueError(
            f"base must be None or a finite positive number other than 1, got {base!r}."
        )


def to_base(value, base):
    """Convert nats to ``base`` (None keeps nats)."""
    if base is None:
        return value
    return value / np.log(base)
