"""Exact information measures of given distributions and contingency tables.

The functions here take probability vectors or joint tables that *are* the
distribution of interest, and return the exact value of a measure of them. To estimate
the same quantities from samples, use :mod:`skinfo.estimate` instead.

Conventions shared by every function:

- **Normalisation.** Inputs are rescaled to sum to one (along ``axis`` for vectors,
  over all cells for tables), so count vectors and contingency tables can be passed
  directly. Entries must be finite and non-negative and every vector must have a
  positive sum.
- **Sparse input.** Joint tables of two variables (and :func:`joint_entropy`) may be
  scipy sparse matrices or arrays; they are never densified: the result comes from
  the stored entries and the marginals, and equals that of the dense table. Sparse
  probability vectors and 3-D tables raise a ``TypeError`` (use ``.toarray()``).
- **Units.** Results are in nats by default; ``base=2`` gives bits and any other
  ``base > 0, base != 1`` divides the value in nats by ``log(base)``.
- **Zeros.** ``0 log 0 = 0``. In KL divergence and cross-entropy a term with
  ``p_i = 0`` contributes nothing and a term with ``p_i > 0, q_i = 0`` makes the
  result ``+inf``; nothing is ever smoothed.
- **Round-off.** Quantities that are non-negative mathematically (KL, JS, mutual
  information, conditional mutual information, conditional entropy, variation of
  information) are set to exactly ``0.0`` when they lie within ``1e-10`` of zero on
  either side: floating point gives ``1e-16`` for the mutual information of an
  independent table, which is 0. Normalised scores within ``1e-10`` of 0 or 1 are
  set to that bound.
"""

from __future__ import annotations

from numbers import Integral

import numpy as np
from scipy import sparse
from scipy.special import rel_entr

from skinfo._info import (
    average_entropy,
    check_base,
    clip_roundoff,
    conditional_mutual_info_from_table,
    entropy_from_counts,
    mutual_info_from_table,
    roundoff_sum,
    snap_ratio,
    to_base,
)

__all__ = [
    "conditional_entropy",
    "conditional_mutual_info",
    "cross_entropy",
    "entropy",
    "joint_entropy",
    "js_distance",
    "js_divergence",
    "kl_divergence",
    "mutual_info",
    "normalized_mutual_info",
    "variation_of_information",
]

_AVERAGE_METHODS = ("arithmetic", "geometric", "max", "min")


# --------------------------------------------------------------------------------------
# Validation helpers
# --------------------------------------------------------------------------------------


def _reject_sparse(p, name, what="probability vectors"):
    """Raise a TypeError for scipy sparse input where it is not supported."""
    if sparse.issparse(p):
        raise TypeError(
            f"{name} is a scipy sparse {type(p).__name__}; sparse input is not "
            f"supported for {what}: use {name}.toarray()."
        )


def _as_float_array(p, name):
    """Convert ``p`` to a float64 array, rejecting non-numeric input with TypeError."""
    if isinstance(p, (str, bytes)):
        raise TypeError(f"{name} must be a numeric array-like, got {type(p).__name__}.")
    _reject_sparse(p, name)
    try:
        arr = np.asarray(p)
    except ValueError as exc:  # ragged nested sequences
        raise ValueError(f"{name} could not be converted to an array: {exc}") from exc
    if arr.dtype.kind == "O":
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError) as exc:
            bad = next(
                (v for v in arr.ravel() if not isinstance(v, int | float | np.number)),
                None,
            )
            raise TypeError(
                f"{name} must be a numeric array-like (probabilities or counts), got "
                f"the non-numeric value {bad!r}."
            ) from exc
    elif arr.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must be a numeric array-like (probabilities or counts), got "
            f"dtype {arr.dtype}."
        )
    return arr.astype(np.float64, copy=False)


def _check_axis(axis, ndim, name):
    """Return ``axis`` as a non-negative index into an array of ``ndim`` dimensions."""
    if isinstance(axis, bool) or not isinstance(axis, Integral):
        raise TypeError(f"axis must be an integer, got {axis!r}.")
    axis = int(axis)
    if not -ndim <= axis < ndim:
        raise ValueError(
            f"axis={axis} is out of bounds for {name} with {ndim} dimension(s)."
        )
    return axis % ndim


def _check_distribution(p, name, axis=-1, *, ndim=None):
    """Validate ``p`` and return it normalised, with the distribution axis last.

    Parameters
    ----------
    p : array-like
        Non-negative finite weights.
    name : str
        Argument name used in error messages.
    axis : int or None, default=-1
        Axis holding each distribution; ``None`` treats all cells as one
        distribution (a joint table) and keeps the shape.
    ndim : int, optional
        Required number of dimensions (for tables).

    Returns
    -------
    ndarray of float64
        A new array whose vectors along the last axis (or, for ``axis=None``, whose
        cells) sum to one.
    """
    arr = _as_float_array(p, name)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(
            f"{name} must be a {ndim}-D table, got an array with {arr.ndim} "
            f"dimension(s) and shape {arr.shape}."
        )
    if arr.ndim == 0:
        raise ValueError(f"{name} must be at least 1-D, got a scalar.")
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}).")
    if not np.all(np.isfinite(arr)):
        raise ValueError(
            f"{name} contains NaN or infinite entries (None counts as NaN)."
        )
    if np.any(arr < 0):
        raise ValueError(f"{name} contains negative entries.")
    if axis is None:
        sum_axes, where = None, "over all cells"
    else:
        axis = _check_axis(axis, arr.ndim, name)
        arr = np.moveaxis(arr, axis, -1)
        sum_axes, where = -1, f"along axis {axis}"
    # Rescale by the maximum first so that huge finite counts cannot overflow the sum.
    scale = arr.max(axis=sum_axes, keepdims=True)
    if np.any(scale == 0):
        raise ValueError(
            f"{name} must have a positive sum {where}; got an all-zero distribution."
        )
    arr = arr / scale
    return arr / arr.sum(axis=sum_axes, keepdims=True)


def _check_vectors(p, name, axis):
    """Validate distributions along ``axis``; ``axis=None`` flattens ``p`` first.

    With ``axis=None`` every cell of ``p`` is one outcome of a single distribution,
    as in :func:`scipy.stats.entropy` with ``axis=None``.
    """
    if axis is None:
        arr = _as_float_array(p, name)
        if arr.ndim == 0:
            raise ValueError(f"{name} must be at least 1-D, got a scalar.")
        return _check_distribution(arr.reshape(-1), name, -1)
    return _check_distribution(p, name, axis)


def _check_pair(p, q, axis):
    """Validate two distributions of identical shape; return both normalised."""
    p_arr = _check_vectors(p, "p", axis)
    q_arr = _check_vectors(q, "q", axis)
    if p_arr.shape != q_arr.shape or (axis is None and np.shape(p) != np.shape(q)):
        raise ValueError(
            f"p and q must have the same shape, got {np.shape(p)} and {np.shape(q)}."
        )
    return p_arr, q_arr


def _output(value):
    """Return a Python float for 0-d results and a float64 ndarray otherwise."""
    value = np.asarray(value, dtype=np.float64)
    return float(value) if value.ndim == 0 else value


def _clip(value, scale):
    """Snap round-off around zero (either sign) of a non-negative quantity to 0."""
    return clip_roundoff(value, "plugin", scale=scale)


def _kl_nats(p, q):
    """KL divergence in nats of normalised arrays along the last axis."""
    # Round-off scale: sum p |log p| + p |log q| = H(p) + H(p, q).
    with np.errstate(divide="ignore"):
        scale = -(p * np.where(p > 0, np.log(np.where(q > 0, q, 1.0)), 0.0)).sum(-1)
    scale = scale + entropy_from_counts(p, method="plugin")
    return _clip(rel_entr(p, q).sum(axis=-1), scale)


def _marginal_entropies(table):
    """``H(X)``, ``H(Y)`` and ``H(X,Y)`` in nats of a normalised 2-D table."""
    if isinstance(table, _SparseTable):
        cells = table.cells
    else:
        cells = table.reshape(-1)
    hx = entropy_from_counts(table.sum(axis=1), method="plugin")
    hy = entropy_from_counts(table.sum(axis=0), method="plugin")
    hxy = entropy_from_counts(cells, method="plugin")
    return hx, hy, hxy


class _SparseTable:
    """A normalised 2-D joint table held as its non-zero cells and its marginals."""

    def __init__(self, cells, rows, columns):
        self.cells, self._rows, self._columns = cells, rows, columns

    def sum(self, axis):
        return self._rows if axis == 1 else self._columns


def _check_table(joint, name="joint", *, ndim=2, func=None):
    """Validate a joint table (dense, or scipy sparse when 2-D) and normalise it.

    A sparse table is never densified: the result is a :class:`_SparseTable` built
    from its stored entries, whose row and column sums are the marginals.
    """
    if not sparse.issparse(joint):
        return _check_distribution(joint, name, axis=None, ndim=ndim)
    if ndim != 2:
        raise TypeError(
            f"{name} is a scipy sparse {type(joint).__name__}, which is 2-D; "
            f"{func} needs a {ndim}-D table, so sparse input is not supported: use "
            f"{name}.toarray() and reshape it to {ndim} dimensions."
        )
    if joint.ndim != 2:
        raise ValueError(f"{name} must be a 2-D table, got shape {joint.shape}.")
    if joint.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must be a numeric array-like (probabilities or counts), got "
            f"dtype {joint.dtype}."
        )
    if 0 in joint.shape:
        raise ValueError(f"{name} is empty (shape {joint.shape}).")
    table = sparse.coo_array(joint)
    table.sum_duplicates()
    data = table.data.astype(np.float64)
    if not np.all(np.isfinite(data)):
        raise ValueError(f"{name} contains NaN or infinite entries.")
    if np.any(data < 0):
        raise ValueError(f"{name} contains negative entries.")
    if data.size == 0 or data.max() == 0:
        raise ValueError(
            f"{name} must have a positive sum over all cells; got an all-zero "
            "distribution."
        )
    data = data / data.max()  # huge counts cannot overflow the sums
    data = data / data.sum()
    n_x, n_y = table.shape
    rows = np.bincount(table.coords[0], weights=data, minlength=n_x)
    columns = np.bincount(table.coords[1], weights=data, minlength=n_y)
    return _SparseTable(data, rows, columns)


# --------------------------------------------------------------------------------------
# Entropies
# --------------------------------------------------------------------------------------


def entropy(p, *, base=None, axis=-1):
    """Shannon entropy of a discrete distribution.

    Computes ``H(p) = -sum_i p_i log p_i`` for each distribution stored along
    ``axis``.

    Parameters
    ----------
    p : array-like of shape (..., n_outcomes, ...)
        Probabilities or non-negative weights (e.g. counts). Each vector along
        ``axis`` is normalised to sum to one; it must be finite, non-negative and not
        all zero.
    base : float, default=None
        Logarithm base. ``None`` gives nats, ``2`` gives bits.
    axis : int or None, default=-1
        Axis along which each distribution lies. ``None`` flattens the input(s):
        all cells form one distribution, as :func:`scipy.stats.entropy` does with
        ``axis=None``.

    Returns
    -------
    entropy : float or ndarray
        Entropy in nats (``base=None``) or in units of ``log(base)`` (bits for
        ``base=2``). A float for 1-D ``p`` or ``axis=None``; otherwise an array
        with ``axis`` removed.

    See Also
    --------
    joint_entropy : Entropy of all cells of a joint table.
    cross_entropy : Cross-entropy of ``p`` relative to ``q``.
    skinfo.estimate.entropy : Entropy estimated from samples.

    Notes
    -----
    Outcomes with zero probability contribute nothing (``0 log 0 = 0``), so padding a
    distribution with zeros does not change its entropy. Inputs are normalised, hence
    ``entropy([1, 1])`` equals ``entropy([0.5, 0.5])``. The result agrees with
    :func:`scipy.stats.entropy` called with a single distribution [1]_.

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, "Elements of Information Theory", 2nd ed.,
       Wiley, 2006, ch. 2.

    Examples
    --------
    >>> from skinfo.measures import entropy
    >>> entropy([0.5, 0.5], base=2)
    1.0
    >>> entropy([1, 1, 1, 1], base=2)
    2.0
    >>> entropy([[0.5, 0.5], [1.0, 0.0]], base=2)
    array([1., 0.])
    """
    check_base(base)
    arr = _check_vectors(p, "p", axis)
    return _output(to_base(entropy_from_counts(arr, method="plugin"), base))


def joint_entropy(joint, *, base=None):
    """Joint entropy of a table of probabilities of any dimension.

    Every cell of ``joint`` is one outcome of the joint variable, so the result is
    ``H(X_1, ..., X_d) = -sum p log p`` over all cells.

    Parameters
    ----------
    joint : array-like of shape (n_1, ..., n_d) or scipy sparse matrix
        Joint probabilities or counts, one axis per variable. Normalised to sum to one
        over all cells; must be finite, non-negative and not all zero.
    base : float, default=None
        Logarithm base. ``None`` gives nats, ``2`` gives bits.

    Returns
    -------
    joint_entropy : float
        Joint entropy in nats (``base=None``) or in units of ``log(base)`` (bits for
        ``base=2``).

    See Also
    --------
    entropy : Entropy of distributions along one axis.
    conditional_entropy : Entropy of ``X`` given ``Y`` from a 2-D table.

    Notes
    -----
    Empty cells contribute nothing (``0 log 0 = 0``). The table is normalised, so a
    contingency table of counts gives the plug-in joint entropy of the sample that
    produced it [1]_.

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, "Elements of Information Theory", 2nd ed.,
       Wiley, 2006, sec. 2.2.

    Examples
    --------
    >>> from skinfo.measures import joint_entropy
    >>> joint_entropy([[0.25, 0.25], [0.25, 0.25]], base=2)
    2.0
    >>> joint_entropy([[10, 0], [0, 10]], base=2)
    1.0
    """
    check_base(base)
    if sparse.issparse(joint):
        arr = _check_table(joint).cells
    else:
        arr = _check_distribution(joint, "joint", axis=None).reshape(-1)
    return _output(to_base(entropy_from_counts(arr, method="plugin"), base))


def conditional_entropy(joint, *, base=None):
    """Conditional entropy ``H(X | Y)`` from a 2-D joint table.

    ``X`` indexes the rows (axis 0) and ``Y`` the columns (axis 1); the result is
    ``H(X | Y) = H(X, Y) - H(Y)``. Pass ``joint.T`` to get ``H(Y | X)``.

    Parameters
    ----------
    joint : array-like or scipy sparse matrix of shape (n_x, n_y)
        Joint probabilities ``p(x, y)`` or a contingency table of counts, with ``X``
        on axis 0 and the conditioning variable ``Y`` on axis 1. Normalised to sum to
        one over all cells; must be finite, non-negative and not all zero.
    base : float, default=None
        Logarithm base. ``None`` gives nats, ``2`` gives bits.

    Returns
    -------
    conditional_entropy : float
        ``H(X | Y)`` in nats (``base=None``) or in units of ``log(base)`` (bits for
        ``base=2``).

    See Also
    --------
    joint_entropy : Entropy of all cells of a table.
    mutual_info : ``H(X) - H(X | Y)``.

    Notes
    -----
    Empty cells contribute nothing (``0 log 0 = 0``). Round-off within
    ``1e-10`` of zero (either sign) is set to ``0.0`` [1]_.

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, "Elements of Information Theory", 2nd ed.,
       Wiley, 2006, sec. 2.2.

    Examples
    --------
    >>> from skinfo.measures import conditional_entropy
    >>> conditional_entropy([[0.25, 0.25], [0.25, 0.25]], base=2)
    1.0
    >>> conditional_entropy([[0.5, 0.0], [0.0, 0.5]], base=2)
    0.0
    """
    check_base(base)
    table = _check_table(joint)
    _, hy, hxy = _marginal_entropies(table)
    return _output(to_base(roundoff_sum([hxy, -hy]), base))


# --------------------------------------------------------------------------------------
# Divergences
# --------------------------------------------------------------------------------------


def kl_divergence(p, q, *, base=None, axis=-1):
    """Kullback-Leibler divergence ``KL(p || q)`` of two discrete distributions.

    Computes ``sum_i p_i log(p_i / q_i)`` for each pair of distributions along
    ``axis``.

    Parameters
    ----------
    p : array-like of shape (..., n_outcomes, ...)
        The reference distribution (probabilities or counts). Each vector along
        ``axis`` is normalised to sum to one; it must be finite, non-negative and not
        all zero.
    q : array-like of the same shape as ``p``
        The approximating distribution, validated and normalised like ``p``.
    base : float, default=None
        Logarithm base. ``None`` gives nats, ``2`` gives bits.
    axis : int or None, default=-1
        Axis along which each distribution lies. ``None`` flattens the input(s):
        all cells form one distribution, as :func:`scipy.stats.entropy` does with
        ``axis=None``.

    Returns
    -------
    kl : float or ndarray
        KL divergence in nats (``base=None``) or in units of ``log(base)`` (bits for
        ``base=2``), possibly ``inf``. A float for 1-D input or ``axis=None``;
        otherwise an array with ``axis`` removed.

    See Also
    --------
    cross_entropy : ``H(p) + KL(p || q)``.
    js_divergence : Symmetric, bounded alternative.

    Notes
    -----
    Terms follow :func:`scipy.special.rel_entr`: ``p_i log(p_i / q_i)`` if both are
    positive, ``0`` if ``p_i = 0`` and ``+inf`` if ``p_i > 0`` and ``q_i = 0``. So
    ``KL([.5, .5, 0] || [1, 0, 0])`` is infinite while
    ``KL([1, 0, 0] || [.5, .5, 0]) = log 2``. No smoothing is applied. Both inputs
    are normalised first, as :func:`scipy.stats.entropy` does with ``qk`` given.
    The divergence is not symmetric [1]_.

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, "Elements of Information Theory", 2nd ed.,
       Wiley, 2006, sec. 2.3.

    Examples
    --------
    >>> from skinfo.measures import kl_divergence
    >>> kl_divergence([1, 0, 0], [0.5, 0.5, 0], base=2)
    1.0
    >>> kl_divergence([0.5, 0.5, 0], [1, 0, 0])
    inf
    """
    check_base(base)
    p_arr, q_arr = _check_pair(p, q, axis)
    return _output(to_base(_kl_nats(p_arr, q_arr), base))


def cross_entropy(p, q, *, base=None, axis=-1):
    """Cross-entropy ``H(p, q) = -sum_i p_i log q_i`` of two discrete distributions.

    Computed as ``H(p) + KL(p || q)``, for each pair of distributions along ``axis``.

    Parameters
    ----------
    p : array-like of shape (..., n_outcomes, ...)
        The true distribution (probabilities or counts). Each vector along ``axis``
        is normalised to sum to one; it must be finite, non-negative and not all zero.
    q : array-like of the same shape as ``p``
        The coding (predicted) distribution, validated and normalised like ``p``.
    base : float, default=None
        Logarithm base. ``None`` gives nats, ``2`` gives bits.
    axis : int or None, default=-1
        Axis along which each distribution lies. ``None`` flattens the input(s):
        all cells form one distribution, as :func:`scipy.stats.entropy` does with
        ``axis=None``.

    Returns
    -------
    cross_entropy : float or ndarray
        Cross-entropy in nats (``base=None``) or in units of ``log(base)`` (bits for
        ``base=2``), possibly ``inf``. A float for 1-D input or ``axis=None``;
        otherwise an array with ``axis`` removed.

    See Also
    --------
    entropy : ``H(p)``, the cross-entropy of ``p`` with itself.
    kl_divergence : ``H(p, q) - H(p)``.

    Notes
    -----
    Outcomes with ``p_i = 0`` contribute nothing whatever ``q_i`` is; an outcome with
    ``p_i > 0`` and ``q_i = 0`` makes the result ``+inf``. No smoothing is applied.
    Both inputs are normalised to sum to one [1]_.

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, "Elements of Information Theory", 2nd ed.,
       Wiley, 2006, sec. 5.4.

    Examples
    --------
    >>> from skinfo.measures import cross_entropy
    >>> cross_entropy([0.5, 0.5], [0.5, 0.5], base=2)
    1.0
    >>> cross_entropy([0.5, 0.5], [0.25, 0.75], base=2)
    1.207...
    """
    check_base(base)
    p_arr, q_arr = _check_pair(p, q, axis)
    value = entropy_from_counts(p_arr, method="plugin") + _kl_nats(p_arr, q_arr)
    return _output(to_base(value, base))


def _check_weights(weights):
    """Return the two Jensen-Shannon prior weights normalised to sum to one."""
    if weights is None:
        return 0.5, 0.5
    w = _as_float_array(weights, "weights")
    if w.shape != (2,):
        raise ValueError(
            f"weights must hold exactly two numbers (one for p, one for q), "
            f"got shape {w.shape}."
        )
    if not np.all(np.isfinite(w)):
        raise ValueError("weights contains NaN or infinite entries.")
    if np.any(w < 0):
        raise ValueError("weights contains negative entries.")
    if w.sum() == 0:
        raise ValueError("weights must have a positive sum; got all zeros.")
    w = w / w.sum()
    return float(w[0]), float(w[1])


def js_divergence(p, q, *, weights=None, base=None, axis=-1):
    """Jensen-Shannon divergence of two discrete distributions.

    ``JS_pi(p, q) = H(pi_1 p + pi_2 q) - pi_1 H(p) - pi_2 H(q)``, equivalently
    ``pi_1 KL(p || m) + pi_2 KL(q || m)`` with the mixture ``m = pi_1 p + pi_2 q``.
    This is the *divergence*; its square root (a metric) is :func:`js_distance`.

    Parameters
    ----------
    p : array-like of shape (..., n_outcomes, ...)
        First distribution (probabilities or counts). Each vector along ``axis`` is
        normalised to sum to one; it must be finite, non-negative and not all zero.
    q : array-like of the same shape as ``p``
        Second distribution, validated and normalised like ``p``.
    weights : array-like of shape (2,), default=None
        Prior weights ``(pi_1, pi_2)`` of ``p`` and ``q``; normalised to sum to one.
        ``None`` means equal weights ``(0.5, 0.5)``.
    base : float, default=None
        Logarithm base. ``None`` gives nats, ``2`` gives bits.
    axis : int or None, default=-1
        Axis along which each distribution lies. ``None`` flattens the input(s):
        all cells form one distribution, as :func:`scipy.stats.entropy` does with
        ``axis=None``.

    Returns
    -------
    js : float or ndarray
        Jensen-Shannon divergence in nats (``base=None``) or in units of
        ``log(base)`` (bits for ``base=2``). A float for 1-D input or
        ``axis=None``; otherwise an array with ``axis`` removed.

    See Also
    --------
    js_distance : Square root of this divergence, as returned by
        :func:`scipy.spatial.distance.jensenshannon`.
    kl_divergence : The asymmetric divergence it is built from.

    Notes
    -----
    The divergence is finite, non-negative and bounded above by the entropy of the
    weights, ``H(pi) <= log 2``; with equal weights it is symmetric in ``p`` and
    ``q`` and at most ``log 2`` nats (1 bit) [1]_. Zero entries follow
    ``0 log 0 = 0``; both inputs are normalised to sum to one. Round-off within
    ``1e-10`` of zero (either sign) is set to ``0.0``.

    References
    ----------
    .. [1] J. Lin, "Divergence measures based on the Shannon entropy", IEEE
       Transactions on Information Theory, 37(1):145-151, 1991.

    Examples
    --------
    >>> from skinfo.measures import js_divergence
    >>> js_divergence([1, 0], [0, 1], base=2)
    1.0
    >>> js_divergence([0.5, 0.5], [0.5, 0.5])
    0.0
    """
    check_base(base)
    pi_p, pi_q = _check_weights(weights)
    p_arr, q_arr = _check_pair(p, q, axis)
    mix = pi_p * p_arr + pi_q * q_arr
    value = np.zeros(p_arr.shape[:-1])
    # A zero-weight distribution contributes nothing (and may lie outside the
    # mixture's support), so its term is skipped rather than multiplied by zero.
    if pi_p > 0:
        value = value + pi_p * rel_entr(p_arr, mix).sum(axis=-1)
    if pi_q > 0:
        value = value + pi_q * rel_entr(q_arr, mix).sum(axis=-1)
    scale = entropy_from_counts(mix, method="plugin")
    scale = scale + pi_p * entropy_from_counts(p_arr, method="plugin")
    scale = scale + pi_q * entropy_from_counts(q_arr, method="plugin")
    return _output(to_base(_clip(value, scale), base))


def js_distance(p, q, *, weights=None, base=None, axis=-1):
    """Jensen-Shannon distance: the square root of the Jensen-Shannon divergence.

    This is the *distance* (a metric for equal weights), i.e. the value
    :func:`scipy.spatial.distance.jensenshannon` returns; the divergence itself is
    :func:`js_divergence`.

    Parameters
    ----------
    p : array-like of shape (..., n_outcomes, ...)
        First distribution (probabilities or counts). Each vector along ``axis`` is
        normalised to sum to one; it must be finite, non-negative and not all zero.
    q : array-like of the same shape as ``p``
        Second distribution, validated and normalised like ``p``.
    weights : array-like of shape (2,), default=None
        Prior weights ``(pi_1, pi_2)`` of ``p`` and ``q``; normalised to sum to one.
        ``None`` means equal weights ``(0.5, 0.5)``.
    base : float, default=None
        Logarithm base applied to the divergence before the square root.
    axis : int or None, default=-1
        Axis along which each distribution lies. ``None`` flattens the input(s):
        all cells form one distribution, as :func:`scipy.stats.entropy` does with
        ``axis=None``.

    Returns
    -------
    distance : float or ndarray
        ``sqrt(js_divergence(p, q, weights=weights, base=base))``: the square root of
        a divergence in nats (``base=None``) or in units of ``log(base)`` (bits for
        ``base=2``). A float for 1-D input or ``axis=None``; otherwise an array
        with ``axis`` removed.

    See Also
    --------
    js_divergence : The divergence whose square root this is.
    scipy.spatial.distance.jensenshannon : SciPy's equal-weight equivalent.

    Notes
    -----
    With equal weights the distance is symmetric, satisfies the triangle inequality
    and lies in ``[0, sqrt(log 2)]`` (in ``[0, 1]`` for ``base=2``) [1]_, [2]_.
    Both inputs are normalised to sum to one.

    References
    ----------
    .. [1] J. Lin, "Divergence measures based on the Shannon entropy", IEEE
       Transactions on Information Theory, 37(1):145-151, 1991.
    .. [2] D. M. Endres and J. E. Schindelin, "A new metric for probability
       distributions", IEEE Transactions on Information Theory, 49(7):1858-1860,
       2003.

    Examples
    --------
    >>> from skinfo.measures import js_distance
    >>> js_distance([1, 0], [0, 1], base=2)
    1.0
    >>> round(js_distance([1.0, 0.0, 0.0], [0.5, 0.5, 0.0], base=2), 4)
    0.5579
    """
    divergence = js_divergence(p, q, weights=weights, base=base, axis=axis)
    return _output(np.sqrt(divergence))


# --------------------------------------------------------------------------------------
# Mutual information from tables
# --------------------------------------------------------------------------------------


def mutual_info(joint, *, base=None):
    """Mutual information ``I(X; Y)`` of a 2-D joint table.

    ``I(X; Y) = sum_xy p(x, y) log(p(x, y) / (p(x) p(y))) = H(X) + H(Y) - H(X, Y)``.

    Parameters
    ----------
    joint : array-like or scipy sparse matrix of shape (n_x, n_y)
        Joint probabilities ``p(x, y)`` or a contingency table of counts (``X`` on
        axis 0, ``Y`` on axis 1). Normalised to sum to one over all cells; must be
        finite, non-negative and not all zero.
    base : float, default=None
        Logarithm base. ``None`` gives nats, ``2`` gives bits.

    Returns
    -------
    mi : float
        Mutual information in nats (``base=None``) or in units of ``log(base)`` (bits
        for ``base=2``).

    See Also
    --------
    conditional_mutual_info : ``I(X; Y | Z)`` from a 3-D table.
    normalized_mutual_info : Mutual information scaled to ``[0, 1]``.
    skinfo.estimate.mutual_info : Mutual information estimated from samples.

    Notes
    -----
    Empty cells contribute nothing (``0 log 0 = 0``). Because the table is normalised,
    a contingency table gives the same value as
    :func:`sklearn.metrics.mutual_info_score` with ``contingency=`` that table.
    Round-off within ``1e-10`` of zero (either sign) is set to ``0.0`` [1]_.

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, "Elements of Information Theory", 2nd ed.,
       Wiley, 2006, sec. 2.4.

    Examples
    --------
    >>> from skinfo.measures import mutual_info
    >>> mutual_info([[0.5, 0.0], [0.0, 0.5]], base=2)
    1.0
    >>> mutual_info([[10, 10], [10, 10]])
    0.0
    """
    check_base(base)
    table = _check_table(joint)
    if isinstance(table, _SparseTable):
        hx, hy, hxy = _marginal_entropies(table)
        value = np.minimum(roundoff_sum([hx, hy, -hxy]), min(hx, hy))
        return _output(to_base(value, base))
    return _output(to_base(mutual_info_from_table(table, method="plugin"), base))


def conditional_mutual_info(joint, *, base=None):
    """Conditional mutual information ``I(X; Y | Z)`` of a 3-D joint table.

    ``I(X; Y | Z) = H(X, Z) + H(Y, Z) - H(X, Y, Z) - H(Z)
    = sum_z p(z) I(X; Y | Z = z)``.

    Parameters
    ----------
    joint : array-like of shape (n_x, n_y, n_z)
        Joint probabilities ``p(x, y, z)`` or counts, with ``X`` on axis 0, ``Y`` on
        axis 1 and the conditioning variable ``Z`` on axis 2. Normalised to sum to one
        over all cells; must be finite, non-negative and not all zero.
    base : float, default=None
        Logarithm base. ``None`` gives nats, ``2`` gives bits.

    Returns
    -------
    cmi : float
        Conditional mutual information in nats (``base=None``) or in units of
        ``log(base)`` (bits for ``base=2``).

    See Also
    --------
    mutual_info : Unconditional mutual information from a 2-D table.

    Notes
    -----
    Empty cells contribute nothing (``0 log 0 = 0``). The chain rule
    ``I(X, Z; Y) = I(Z; Y) + I(X; Y | Z)`` holds exactly up to round-off.
    Round-off within ``1e-10`` of zero (either sign) is set to ``0.0`` [1]_.

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, "Elements of Information Theory", 2nd ed.,
       Wiley, 2006, sec. 2.5.

    Examples
    --------
    >>> import numpy as np
    >>> from skinfo.measures import conditional_mutual_info
    >>> # X = Y = Z, a fair bit: once Z is known, X says nothing more about Y.
    >>> joint = np.zeros((2, 2, 2))
    >>> joint[0, 0, 0] = joint[1, 1, 1] = 0.5
    >>> conditional_mutual_info(joint)
    0.0
    >>> # X and Y independent fair bits, Z = X xor Y: I(X; Y | Z) = 1 bit.
    >>> joint = np.zeros((2, 2, 2))
    >>> for x in (0, 1):
    ...     for y in (0, 1):
    ...         joint[x, y, x ^ y] = 0.25
    >>> conditional_mutual_info(joint, base=2)
    1.0
    """
    check_base(base)
    table = _check_table(joint, ndim=3, func="conditional_mutual_info")
    value = conditional_mutual_info_from_table(table, method="plugin")
    return _output(to_base(value, base))


def normalized_mutual_info(joint, *, average_method="arithmetic"):
    """Normalised mutual information of a 2-D joint table, in ``[0, 1]``.

    ``NMI = I(X; Y) / mean(H(X), H(Y))`` with the mean chosen by ``average_method``,
    following :func:`sklearn.metrics.normalized_mutual_info_score`.

    Parameters
    ----------
    joint : array-like or scipy sparse matrix of shape (n_x, n_y)
        Joint probabilities or a contingency table of counts (``X`` on axis 0, ``Y`` on
        axis 1). Normalised to sum to one over all cells; must be finite, non-negative
        and not all zero.
    average_method : {"arithmetic", "geometric", "min", "max"}, default="arithmetic"
        How to average ``H(X)`` and ``H(Y)`` in the denominator: arithmetic mean,
        geometric mean ``sqrt(H(X) H(Y))``, minimum or maximum.

    Returns
    -------
    nmi : float
        Normalised mutual information, a unitless number in ``[0, 1]`` (the same in
        every logarithm base, so there is no ``base`` argument).

    See Also
    --------
    mutual_info : The unnormalised mutual information.
    variation_of_information : A metric built from the same entropies.

    Notes
    -----
    Edge cases copy scikit-learn: if both variables are constant (a single non-empty
    row and a single non-empty column) the result is ``1.0``; otherwise, if the mutual
    information is zero (in particular when exactly one variable is constant), it is
    ``0.0``. With ``average_method="arithmetic"`` the value equals the V-measure.
    The ``"geometric"`` form is that of [1]_; see [2]_ for a comparison of the
    variants and their adjusted-for-chance versions.

    References
    ----------
    .. [1] A. Strehl and J. Ghosh, "Cluster ensembles - a knowledge reuse framework
       for combining multiple partitions", JMLR 3:583-617, 2002.
    .. [2] N. X. Vinh, J. Epps and J. Bailey, "Information theoretic measures for
       clusterings comparison: variants, properties, normalization and correction
       for chance", JMLR 11:2837-2854, 2010.

    Examples
    --------
    >>> from skinfo.measures import normalized_mutual_info
    >>> normalized_mutual_info([[2, 0], [0, 2]])
    1.0
    >>> normalized_mutual_info([[1, 1], [1, 1]])
    0.0
    >>> round(normalized_mutual_info([[2, 1], [0, 1]], average_method="max"), 4)
    0.3113
    """
    if not isinstance(average_method, str) or average_method not in _AVERAGE_METHODS:
        raise ValueError(
            f"average_method must be one of {_AVERAGE_METHODS}, got {average_method!r}."
        )
    table = _check_table(joint)
    n_x = np.count_nonzero(table.sum(axis=1))
    n_y = np.count_nonzero(table.sum(axis=0))
    if n_x == 1 and n_y == 1:
        return 1.0
    if n_x == 1 or n_y == 1:
        return 0.0
    hx, hy, hxy = _marginal_entropies(table)
    mi = float(roundoff_sum([hx, hy, -hxy]))
    if mi <= 0:
        return 0.0
    normalizer = average_entropy(float(hx), float(hy), average_method)
    return snap_ratio(min(mi / normalizer, 1.0))


def variation_of_information(joint, *, normalized=False, base=None):
    """Variation of information between two discrete variables from a 2-D table.

    ``VI(X, Y) = H(X | Y) + H(Y | X) = H(X) + H(Y) - 2 I(X; Y)``, a metric on
    partitions (clusterings).

    Parameters
    ----------
    joint : array-like or scipy sparse matrix of shape (n_x, n_y)
        Joint probabilities or a contingency table of counts (``X`` on axis 0, ``Y`` on
        axis 1). Normalised to sum to one over all cells; must be finite, non-negative
        and not all zero.
    normalized : bool, default=False
        If True, return ``VI / H(X, Y)``, which lies in ``[0, 1]`` and does not
        depend on ``base``.
    base : float, default=None
        Logarithm base. ``None`` gives nats, ``2`` gives bits. Ignored when
        ``normalized=True``.

    Returns
    -------
    vi : float
        Variation of information in nats (``base=None``) or in units of ``log(base)``
        (bits for ``base=2``); unitless in ``[0, 1]`` if ``normalized=True``.

    See Also
    --------
    mutual_info : The shared information subtracted in ``VI``.
    normalized_mutual_info : A similarity score in ``[0, 1]``.

    Notes
    -----
    ``VI`` is zero exactly when each variable is a function of the other, symmetric,
    and satisfies the triangle inequality [1]_. Its normalised form ``VI / H(X, Y)``
    is also a metric [2]_; it is defined as ``0.0`` when ``H(X, Y) = 0`` (both
    variables constant). Round-off within ``1e-10`` of zero (either sign) is set
    to ``0.0``.

    References
    ----------
    .. [1] M. Meila, "Comparing clusterings - an information based distance",
       Journal of Multivariate Analysis, 98(5):873-895, 2007.
    .. [2] N. X. Vinh, J. Epps and J. Bailey, "Information theoretic measures for
       clusterings comparison: variants, properties, normalization and correction
       for chance", JMLR 11:2837-2854, 2010.

    Examples
    --------
    >>> from skinfo.measures import variation_of_information
    >>> variation_of_information([[0.5, 0.0], [0.0, 0.5]])
    0.0
    >>> # Two independent fair bits: VI = H(X) + H(Y) = 2 bits.
    >>> round(variation_of_information([[1, 1], [1, 1]], base=2), 10)
    2.0
    >>> round(variation_of_information([[1, 1], [1, 1]], normalized=True), 10)
    1.0
    """
    if not isinstance(normalized, (bool, np.bool_)):
        raise TypeError(f"normalized must be a bool, got {normalized!r}.")
    check_base(base)
    table = _check_table(joint)
    hx, hy, hxy = _marginal_entropies(table)
    vi = roundoff_sum([2.0 * hxy, -hx, -hy])
    if normalized:
        if hxy <= 0:
            return 0.0
        return snap_ratio(min(vi / hxy, 1.0))
    return _output(to_base(vi, base))
