"""k-nearest-neighbour estimators of entropy and mutual information (private).

Continuous and mixed discrete-continuous estimators that work on distances to the
k-th nearest neighbour instead of bins:

* :func:`knn_entropy`: Kozachenko-Leonenko differential entropy;
* :func:`ksg_mutual_info` and :func:`multi_ksg_mutual_info`: Kraskov-Stoegbauer-
  Grassberger mutual information and total correlation (algorithms 1 and 2);
* :func:`frenzel_pompe_cmi`: conditional mutual information;
* :func:`mixed_mutual_info`: Ross's estimator for a continuous and a discrete variable;
* :func:`knn_relevance`: the mutual information of every column of a matrix with one
  target, as scikit-learn's ``mutual_info_classif``/``mutual_info_regression`` define
  it, for feature selection.

All values are in nats. Every neighbour search is a scikit-learn tree
(:class:`~sklearn.neighbors.NearestNeighbors` for the k-th neighbour,
:class:`~sklearn.neighbors.KDTree` ``query_radius(count_only=True)`` for counts), with
the max-norm unless stated otherwise. The max-norm distance ``max_j |a_j - b_j|`` is
computed exactly (a rounded difference, then exact ``abs`` and ``max``), so the
neighbour search and the counts always agree on who lies inside a radius.

Before any search the continuous data go through :func:`scale_and_jitter`: each column
is centred on its median, scaled to unit standard deviation and given tie-breaking
noise proportional to its spread (see that function for why).

Two rules hold for every estimator here:

* **Row order never matters.** Each estimator first sorts the joint sample (all
  coordinates, labels included) into a canonical stable lexicographic order and
  assigns the tie-breaking noise by position in that order, so only fully identical
  rows are interchangeable and a permutation of the rows with the same
  ``random_state`` gives the same value, bit for bit.
* **Constant columns carry no information.** A column whose values are all identical
  is removed before any search: a constant variable has mutual information exactly
  ``0.0`` with anything, conditioning on it changes nothing, and the differential
  entropy of data with a constant column is ``-inf``.
"""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy.special import digamma, gammaln
from sklearn.neighbors import KDTree, NearestNeighbors
from sklearn.utils import check_random_state
from sklearn.utils.parallel import Parallel, delayed

from skinfo._binning import encode_labels
from skinfo._counting import batch_counts
from skinfo._info import mutual_info_from_table
from skinfo._warnings import warn_user

__all__ = [
    "DEFAULT_JITTER",
    "frenzel_pompe_cmi",
    "knn_entropy",
    "knn_relevance",
    "ksg_mutual_info",
    "mixed_mutual_info",
    "multi_ksg_mutual_info",
    "scale_and_jitter",
]

#: Standard deviation of the tie-breaking noise, relative to each column's spread.
DEFAULT_JITTER = 1e-7

#: Above this many dimensions a k-d tree prunes poorly; use a ball tree instead.
_KD_TREE_MAX_DIM = 15

_METRICS = ("euclidean", "chebyshev")


# --------------------------------------------------------------------------------------
# Input validation
# --------------------------------------------------------------------------------------


def _as_samples(a: ArrayLike, name: str) -> NDArray[np.float64]:
    """Return ``a`` as a finite float64 array of shape (n_samples, n_columns)."""
    if isinstance(a, str | bytes):
        raise TypeError(f"{name} must be an array of numbers, got a string.")
    try:
        raw = np.asarray(a)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} could not be read as an array of numbers.") from exc
    if raw.dtype.kind in "mM":
        raise TypeError(
            f"{name} holds dates or time spans (dtype {raw.dtype}); the kNN "
            "estimators need numbers. Convert them explicitly (for example to "
            "seconds) if their distances are meaningful."
        )
    if raw.dtype.kind in "USVc":
        raise TypeError(
            f"{name} must be an array of real numbers, got dtype {raw.dtype}; "
            "encode labels as a discrete variable instead of a kNN coordinate."
        )
    try:
        arr = np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{name} holds non-numeric values (such as strings); the kNN estimators "
            "need real numbers. Pass labels as a discrete variable instead."
        ) from exc
    if arr.ndim == 1:
        arr = arr.reshape(-1, 1)
    elif arr.ndim != 2:
        raise ValueError(
            f"{name} must be 1-D or 2-D, got an array of shape {arr.shape}."
        )
    if arr.shape[0] == 0:
        raise ValueError(f"{name} is empty: it has 0 samples.")
    if arr.shape[1] == 0:
        raise ValueError(f"{name} has 0 columns.")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinity.")
    return arr


def _as_labels(labels, name: str) -> NDArray[np.intp]:
    """Return dense integer codes of a 1-D discrete variable without missing values."""
    values = labels if isinstance(labels, pd.Series | pd.Categorical) else None
    if values is None:
        values = np.asarray(labels)
        if values.ndim == 2 and values.shape[1] == 1:
            values = values.ravel()
        if values.ndim != 1:
            raise ValueError(
                f"{name} must be 1-D (one discrete variable), got shape {values.shape}."
            )
    if len(values) == 0:
        raise ValueError(f"{name} is empty: it has 0 samples.")
    dense = np.asarray(values)
    if dense.dtype.kind == "f":
        missing = not np.isfinite(dense).all()
    else:
        missing = dense.dtype.kind == "O" and bool(pd.isna(dense).any())
    if missing:
        raise ValueError(f"{name} contains NaN, infinity or missing values.")
    return encode_labels(values)[1]


def _check_lengths(**arrays) -> int:
    """Return the common number of samples, else raise a ValueError naming them."""
    lengths = {name: len(a) for name, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        detail = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise ValueError(f"Inconsistent numbers of samples: {detail}.")
    return next(iter(lengths.values()))


def _check_n_neighbors(n_neighbors, n_samples: int) -> int:
    if isinstance(n_neighbors, bool) or not isinstance(n_neighbors, Integral):
        raise TypeError(f"n_neighbors must be an int, got {n_neighbors!r}.")
    if n_neighbors < 1:
        raise ValueError(f"n_neighbors must be at least 1, got {n_neighbors}.")
    if n_neighbors >= n_samples:
        raise ValueError(
            f"n_neighbors={n_neighbors} must be smaller than the number of samples "
            f"({n_samples})."
        )
    return int(n_neighbors)


def _check_jitter(jitter) -> float:
    if isinstance(jitter, bool) or not isinstance(jitter, Real):
        raise TypeError(f"jitter must be a real number, got {jitter!r}.")
    if not (np.isfinite(jitter) and jitter >= 0):
        raise ValueError(f"jitter must be a finite number >= 0, got {jitter!r}.")
    return float(jitter)


def _canonical_order(*arrays: NDArray) -> NDArray[np.intp]:
    """Row order of a stable lexicographic sort of the joint sample.

    The first column of the first array is the primary key. Only rows identical in
    every column keep their relative (input) order, and those are interchangeable,
    so any computation on the sorted sample is independent of the input row order.
    """
    keys = np.column_stack([np.asarray(a, dtype=np.float64) for a in arrays])
    if keys.shape[1] == 0:
        return np.arange(keys.shape[0])
    return np.lexsort(keys.T[::-1])


def _constant_columns(arr: NDArray) -> NDArray[np.bool_]:
    """Flag the columns of a 2-D array whose values are all identical."""
    return (arr == arr[:1]).all(axis=0)


def _small_class_message(sizes: NDArray, k: int, what: str) -> str | None:
    """Describe classes too small for ``n_neighbors``, or return None if none is."""
    small = int((sizes <= k).sum())
    if small == 0:
        return None
    if small == sizes.size:
        extent = f"all {sizes.size} classes of {what} have"
    else:
        extent = f"{small} of the {sizes.size} classes of {what} have"
    return (
        f"{extent} at most n_neighbors={k} samples (smallest: {int(sizes.min())}). "
        "Ross's estimator finds fewer within-class neighbours there (a class seen "
        "once is dropped), so the estimate is biased towards 0 and is exactly 0 when "
        "every label is unique. Use a smaller n_neighbors, or a binned/discrete "
        "method (for example method='binned' in skinfo.estimate)."
    )


# --------------------------------------------------------------------------------------
# Pre-processing
# --------------------------------------------------------------------------------------


def _standardize(
    X: NDArray, rng: np.random.RandomState, jitter: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Centre, scale and jitter a validated 2-D array; also return the scales used."""
    Z = np.array(X, dtype=np.float64, copy=True)
    # Bring each column to magnitude [1, 2) by an exact power of two first, so that
    # neither the centring nor the squares of the variance can over- or underflow
    # (data of magnitude 1e160 or 1e-170); for other data nothing changes, bit for bit.
    # Values far below their column's spread may underflow to 0 here: harmless.
    magnitude = np.abs(Z).max(axis=0)
    power = np.where(magnitude > 0, np.ldexp(1.0, np.frexp(magnitude)[1] - 1), 1.0)
    with np.errstate(under="ignore"):
        Z /= power
        Z -= np.median(Z, axis=0)
        spread = Z.std(axis=0)
    constant = spread == 0  # zeros after centring, not rescaled
    spread[constant] = 1.0
    Z /= spread
    if jitter > 0:
        # The i-th row of noise goes to the i-th row of the canonical (stable,
        # lexicographic) sort, so the jittered sample does not depend on row order.
        noise = rng.standard_normal(size=Z.shape)
        Z[_canonical_order(X)] += jitter * noise
    return Z, np.where(constant, 1.0, spread * power)


def scale_and_jitter(X, *, random_state=None, jitter=DEFAULT_JITTER):
    """Standardise each column and add tie-breaking noise proportional to its spread.

    Every column is centred on its median, divided by its standard deviation (a
    constant column is only centred, so it becomes zeros) and then gets independent
    Gaussian noise of standard deviation ``jitter``, i.e. ``jitter`` times the
    column's standard deviation in the original units. The input is never modified.
    The ``i``-th row of noise goes to the ``i``-th row of a stable lexicographic sort
    of ``X`` (first column first), so permuting the rows of ``X`` permutes the output
    rows: identical rows are the only ones whose noise can be exchanged.

    Parameters
    ----------
    X : array-like of shape (n_samples,) or (n_samples, n_features)
        Finite numbers.
    random_state : int, RandomState instance or None, default=None
        Seed or generator of the noise, passed to
        :func:`~sklearn.utils.check_random_state`. An int gives the same output on
        every call; the noise is drawn in one call of shape ``X.shape``.
    jitter : float, default=DEFAULT_JITTER (1e-7)
        Noise standard deviation relative to each column's spread; ``0`` only
        standardises.

    Returns
    -------
    Z : ndarray of float64, same shape as ``X``
        The standardised, jittered copy.

    Notes
    -----
    kNN estimators assume distinct points. scikit-learn breaks ties with noise
    ``1e-10 * max(1, mean|x|)`` on data scaled but *not centred*. Every tied value
    ``v`` then receives noise that is only about ``1e-10 |v|``, i.e. a few hundred
    thousand units in the last place (ulp) of ``v``; when thousands of samples share
    ``v``, their jittered copies fall on a grid of a few ulp, so exact duplicates and
    exact distance ties return, and the estimate drifts away from the truth as ``N``
    grows (scikit-learn issue #30772: a constant feature scored 0.21 nats at
    ``N = 10**6``).

    Here two changes remove that failure while leaving the estimate unbiased:

    * Centring on the median maps the most repeated values close to 0, where the
      float grid is fine; a constant column becomes exactly 0 and its noise has full
      relative precision. Translation changes no distance, so no estimate changes.
    * The noise is ``1e-7`` of the spread (1000 times scikit-learn's). A tied value
      within 4 standard deviations of the median has an ulp of at most ``8.9e-16``,
      so its ``N_v`` copies spread over about ``6e-7 / 8.9e-16 ~ 7e8`` ulp: their
      neighbour distances stay thousands of ulp apart up to ``N_v ~ 10**5`` and
      hundreds at ``N_v ~ 10**6``. The noise stays far below the gaps between
      distinct values of real tied data and below the neighbour scale of continuous
      data (``~k/N`` standard deviations in one dimension, larger in more), and
      independent noise of variance ``s**2`` changes the mutual information by
      ``O(s**2) ~ 1e-14`` nats. ``1e-7`` balances the two risks: float-grid ties
      (noise too small) against blurring the structure the neighbours see (noise
      too large).

    Measured on a 3-valued feature independent of a binary target (true MI 0,
    ``N = 10**6``, Ross's estimator): scikit-learn 0.054 nats; median-centred with
    noise ``1e-10``: 0.061, ``1e-8``: 0.0006, ``1e-7``: 0.00013, ``1e-6``: 0.00008.
    A constant feature scores 0.20 with scikit-learn; the estimators here drop
    constant columns before jittering, so it scores exactly 0.

    For tied data the estimators therefore measure the tie structure (all copies of
    a value form a tiny cluster, much narrower than the gaps between values), which
    is what makes KSG on a discrete-valued column agree with Ross's mixed estimator.
    The differential entropy of tied data is genuinely ``-inf``; after jitter it is
    a large negative number driven by ``log(jitter)``.

    Examples
    --------
    >>> import numpy as np
    >>> from skinfo._knn import scale_and_jitter
    >>> Z = scale_and_jitter([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]], random_state=0)
    >>> np.round(Z, 6) + 0.0  # median-centred, unit standard deviation
    array([[-1.224745,  0.      ],
           [ 0.      ,  0.      ],
           [ 1.224745,  0.      ]])
    >>> bool(np.unique(Z[:, 1]).size == 3)  # the tied column is now distinct
    True
    """
    jitter = _check_jitter(jitter)
    shape = np.shape(X)
    Z, _ = _standardize(_as_samples(X, "X"), check_random_state(random_state), jitter)
    return Z.reshape(shape)


# --------------------------------------------------------------------------------------
# Neighbour searches (scikit-learn trees only)
# --------------------------------------------------------------------------------------


def _tree_algorithm(n_dims: int) -> str:
    # Trees compute each distance directly; the brute-force Euclidean path of
    # NearestNeighbors expands |a-b|^2 and loses the tiny distances jitter creates.
    return "kd_tree" if n_dims <= _KD_TREE_MAX_DIM else "ball_tree"


def _kneighbors(
    Z: NDArray, k: int, metric: str = "chebyshev"
) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """Return distances and indices of the k nearest neighbours of every row."""
    nn = NearestNeighbors(
        n_neighbors=k, metric=metric, algorithm=_tree_algorithm(Z.shape[1])
    )
    return nn.fit(Z).kneighbors()


def _count_within(Z: NDArray, radius: NDArray, *, strict: bool) -> NDArray[np.int64]:
    """Count the other rows within max-norm ``radius`` of each row (``<`` if strict)."""
    if strict:  # largest float below the radius turns "<= r" into "< r"
        radius = np.nextafter(radius, 0)
    tree = KDTree(Z, metric="chebyshev")
    return tree.query_radius(Z, radius, count_only=True).astype(np.int64) - 1


# --------------------------------------------------------------------------------------
# Kernels on standardised data (callers validate and jitter)
# --------------------------------------------------------------------------------------


def _entropy_kernel(Z: NDArray, k: int, metric: str) -> float:
    n, d = Z.shape
    r = _kneighbors(Z, k, metric)[0][:, -1]
    if metric == "euclidean":
        log_volume = 0.5 * d * np.log(np.pi) - gammaln(0.5 * d + 1)
    else:
        log_volume = d * np.log(2.0)
    with np.errstate(divide="ignore"):  # a duplicate point gives log 0 = -inf
        mean_log_r = np.log(r).mean()
    return float(digamma(n) - digamma(k) + log_volume + d * mean_log_r)


def _ksg_kernel(blocks: list[NDArray], k: int, algorithm: int) -> float:
    n, m = blocks[0].shape[0], len(blocks)
    dist, ind = _kneighbors(np.hstack(blocks), k)
    total = 0.0
    for block in blocks:
        if algorithm == 1:
            counts = _count_within(block, dist[:, -1], strict=True)
            total += digamma(counts + 1).mean()
        else:
            # Largest distance in this block among the k joint neighbours.
            eps = np.abs(block[ind] - block[:, None, :]).max(axis=(1, 2))
            counts = _count_within(block, eps, strict=False)
            total += digamma(counts).mean()
    if algorithm == 1:
        value = digamma(k) + (m - 1) * digamma(n) - total
    else:
        value = digamma(k) - (m - 1) / k + (m - 1) * digamma(n) - total
    return float(value)


def _cmi_kernel(x: NDArray, y: NDArray, z: NDArray, k: int) -> float:
    radius = _kneighbors(np.hstack((x, y, z)), k)[0][:, -1]
    n_xz = _count_within(np.hstack((x, z)), radius, strict=True)
    n_yz = _count_within(np.hstack((y, z)), radius, strict=True)
    n_z = _count_within(z, radius, strict=True)
    terms = digamma(n_xz + 1) + digamma(n_yz + 1) - digamma(n_z + 1)
    return float(digamma(k) - terms.mean())


def _mixed_kernel(c: NDArray, codes: NDArray, k: int) -> float:
    """Ross's estimator on standardised continuous ``c`` and integer ``codes``."""
    class_size = np.bincount(codes)[codes]
    keep = class_size > 1  # a label seen once has no within-class neighbour
    if not keep.all():
        c, codes, class_size = c[keep], codes[keep], class_size[keep]
    n = c.shape[0]
    if n == 0:
        return 0.0
    radius = np.empty(n)
    k_used = np.empty(n)
    order = np.argsort(codes, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(codes[order]) != 0])
    for members in np.split(order, starts[1:]):  # one search per class
        k_c = min(k, members.size - 1)
        radius[members] = _kneighbors(c[members], k_c)[0][:, -1]
        k_used[members] = k_c
    # Points strictly inside the within-class radius, plus the point itself: equal to
    # Ross's m_i (others within <= d_i) when no distance ties d_i, as jitter ensures.
    m = _count_within(c, radius, strict=True) + 1
    value = (
        digamma(n) + digamma(k_used).mean() - digamma(class_size).mean()
    ) - digamma(m).mean()
    return float(value)


# --------------------------------------------------------------------------------------
# Public (to skinfo) estimators
# --------------------------------------------------------------------------------------


def knn_entropy(X, *, n_neighbors=3, metric="euclidean", random_state=None):
    """Kozachenko-Leonenko estimate of the differential entropy of continuous data.

    ``H = psi(N) - psi(k) + log V_d + (d / N) sum_i log r_i``, where ``r_i`` is the
    distance from sample ``i`` to its k-th nearest neighbour and ``V_d`` the volume
    of the unit ball of the chosen norm.

    Parameters
    ----------
    X : array-like of shape (n_samples,) or (n_samples, n_features)
        Samples of a continuous variable (1-D input is one feature).
    n_neighbors : int, default=3
        ``k``; must be smaller than ``n_samples``.
    metric : {"euclidean", "chebyshev"}, default="euclidean"
        Norm of the neighbour distances; ``V_d = pi^(d/2) / Gamma(d/2 + 1)`` for
        Euclidean, ``2^d`` for the max-norm.
    random_state : int, RandomState instance or None, default=None
        Seed of the tie-breaking noise (see :func:`scale_and_jitter`).

    Returns
    -------
    float
        Differential entropy in nats, in the units of ``X`` (it may be negative).

    Notes
    -----
    The estimate is computed on data standardised by :func:`scale_and_jitter` and
    moved back with ``H(X) = H(Z) + sum_j log s_j`` (``s_j`` the column standard
    deviations), which is exact for the affine map and equalises the scales the
    neighbour search sees. Duplicate samples would give ``r_i = 0`` and ``-inf``; the
    jitter separates them, so tied data yield a large negative value driven by the
    noise scale. Data with a constant column lie on a lower-dimensional set: their
    differential entropy is ``-inf``, returned as such. Kozachenko & Leonenko's
    original uses ``log(N - 1)`` where this uses ``psi(N)`` (Kraskov et al.'s form);
    the two differ by ``O(1/N)``.

    References
    ----------
    .. [1] L. F. Kozachenko and N. N. Leonenko, "Sample estimate of the entropy of
       a random vector", Problems Inform. Transmission 23(2), 95-101, 1987.
    .. [2] A. Kraskov, H. Stoegbauer and P. Grassberger, "Estimating mutual
       information", Phys. Rev. E 69, 066138, 2004.

    Examples
    --------
    >>> import numpy as np
    >>> from skinfo._knn import knn_entropy
    >>> x = np.random.default_rng(0).normal(size=2000)
    >>> h = knn_entropy(x, random_state=0)
    >>> bool(abs(h - 0.5 * np.log(2 * np.pi * np.e)) < 0.05)
    True
    """
    X = _as_samples(X, "X")
    k = _check_n_neighbors(n_neighbors, X.shape[0])
    if metric not in _METRICS:
        raise ValueError(f"metric must be one of {_METRICS}, got {metric!r}.")
    rng = check_random_state(random_state)
    if _constant_columns(X).any():  # a point mass in some direction
        return -np.inf
    X = X[_canonical_order(X)]
    Z, scale = _standardize(X, rng, DEFAULT_JITTER)
    return _entropy_kernel(Z, k, metric) + float(np.log(scale).sum())


def multi_ksg_mutual_info(blocks, *, n_neighbors=3, algorithm=1, random_state=None):
    """KSG estimate of the total correlation of several continuous variables.

    The total correlation ``sum_j H(X_j) - H(X_1, ..., X_m)`` is the mutual
    information when ``m = 2``. Neighbours are found in the joint space with the
    max-norm; each variable ``X_j`` may itself be multivariate.

    Parameters
    ----------
    blocks : list of array-like of shape (n_samples,) or (n_samples, n_j)
        The ``m >= 2`` variables, rows aligned.
    n_neighbors : int, default=3
        ``k``; must be smaller than ``n_samples``.
    algorithm : {1, 2}, default=1
        KSG algorithm 1 (strict counts inside the joint radius) or 2 (inclusive
        counts inside each variable's own radius).
    random_state : int, RandomState instance or None, default=None
        Seed of the tie-breaking noise (see :func:`scale_and_jitter`); all variables
        are standardised and jittered in one draw.

    Returns
    -------
    float
        Total correlation in nats. Raw estimate: it can be slightly negative for
        (nearly) independent variables.

    Notes
    -----
    Algorithm 1: ``psi(k) + (m-1) psi(N) - <sum_j psi(n_j + 1)>`` with ``n_j`` the
    number of other samples strictly closer than the joint k-th-neighbour distance in
    variable ``j``. Algorithm 2: ``psi(k) - (m-1)/k + (m-1) psi(N) - <sum_j psi(n_j)>``
    with ``n_j`` counted inclusively within the largest ``j``-distance among the k
    joint neighbours.

    References
    ----------
    .. [1] A. Kraskov, H. Stoegbauer and P. Grassberger, "Estimating mutual
       information", Phys. Rev. E 69, 066138, 2004.
    """
    if isinstance(blocks, np.ndarray) or not isinstance(blocks, list | tuple):
        raise TypeError("blocks must be a list of arrays (one per variable).")
    if len(blocks) < 2:
        raise ValueError(f"blocks must hold at least 2 variables, got {len(blocks)}.")
    arrays = [_as_samples(b, f"blocks[{i}]") for i, b in enumerate(blocks)]
    n = _check_lengths(**{f"blocks[{i}]": a for i, a in enumerate(arrays)})
    return _multi_ksg(arrays, n, n_neighbors, algorithm, random_state)


def _drop_constant(arrays: list[NDArray]) -> list[NDArray]:
    """Remove constant columns (they carry no information) from each block."""
    return [a[:, ~_constant_columns(a)] for a in arrays]


def _multi_ksg(arrays, n, n_neighbors, algorithm, random_state) -> float:
    k = _check_n_neighbors(n_neighbors, n)
    if (
        not isinstance(algorithm, Integral)
        or isinstance(algorithm, bool)
        or (algorithm not in (1, 2))
    ):
        raise ValueError(f"algorithm must be 1 or 2, got {algorithm!r}.")
    rng = check_random_state(random_state)
    # A constant variable shares no information: drop constant columns, and with
    # them any variable that is constant altogether.
    arrays = [a for a in _drop_constant(arrays) if a.shape[1]]
    if len(arrays) < 2:
        return 0.0
    joint = np.hstack(arrays)
    joint = joint[_canonical_order(joint)]
    widths = np.cumsum([a.shape[1] for a in arrays])[:-1]
    Z, _ = _standardize(joint, rng, DEFAULT_JITTER)
    return _ksg_kernel(np.hsplit(Z, widths), k, algorithm)


def ksg_mutual_info(x, y, *, n_neighbors=3, algorithm=1, random_state=None):
    """Kraskov-Stoegbauer-Grassberger estimate of I(X;Y) for continuous variables.

    Parameters
    ----------
    x : array-like of shape (n_samples,) or (n_samples, n_x)
        Samples of the first variable.
    y : array-like of shape (n_samples,) or (n_samples, n_y)
        Samples of the second variable, rows aligned with ``x``.
    n_neighbors : int, default=3
        ``k``; must be smaller than ``n_samples``. Small ``k`` lowers the bias,
        large ``k`` the variance.
    algorithm : {1, 2}, default=1
        KSG algorithm 1 (scikit-learn's choice) or 2.
    random_state : int, RandomState instance or None, default=None
        Seed of the tie-breaking noise (see :func:`scale_and_jitter`).

    Returns
    -------
    float
        Mutual information in nats. Raw estimate: it can be slightly negative when
        ``x`` and ``y`` are (nearly) independent. Exactly ``0.0`` when either
        variable is constant.

    Notes
    -----
    Both variables are standardised column by column (the estimate depends on the
    relative scales) and jittered, then neighbours are found in the joint space with
    the max-norm ``max(|x - x'|, |y - y'|)``.
    Algorithm 1: ``psi(k) + psi(N) - <psi(n_x + 1) + psi(n_y + 1)>``, ``n_x`` the
    number of other samples strictly closer in ``x`` than the joint distance to the
    k-th neighbour (scikit-learn's ``mutual_info_regression`` before clipping).
    Algorithm 2: ``psi(k) - 1/k + psi(N) - <psi(n_x) + psi(n_y)>``, counts inclusive
    within the largest ``x`` (``y``) distance among the k joint neighbours.

    References
    ----------
    .. [1] A. Kraskov, H. Stoegbauer and P. Grassberger, "Estimating mutual
       information", Phys. Rev. E 69, 066138, 2004.

    Examples
    --------
    >>> import numpy as np
    >>> from skinfo._knn import ksg_mutual_info
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=2000)
    >>> y = 0.8 * x + 0.6 * rng.normal(size=2000)
    >>> mi = ksg_mutual_info(x, y, random_state=0)
    >>> bool(abs(mi - (-0.5 * np.log(1 - 0.8**2))) < 0.05)
    True
    """
    x, y = _as_samples(x, "x"), _as_samples(y, "y")
    n = _check_lengths(x=x, y=y)
    return _multi_ksg([x, y], n, n_neighbors, algorithm, random_state)


def frenzel_pompe_cmi(x, y, z, *, n_neighbors=3, random_state=None):
    """Frenzel-Pompe estimate of the conditional mutual information I(X;Y|Z).

    Parameters
    ----------
    x : array-like of shape (n_samples,) or (n_samples, n_x)
        Samples of ``X``.
    y : array-like of shape (n_samples,) or (n_samples, n_y)
        Samples of ``Y``.
    z : array-like of shape (n_samples,) or (n_samples, n_z)
        Samples of the conditioning variable ``Z``.
    n_neighbors : int, default=3
        ``k``; must be smaller than ``n_samples``.
    random_state : int, RandomState instance or None, default=None
        Seed of the tie-breaking noise (see :func:`scale_and_jitter`).

    Returns
    -------
    float
        Conditional mutual information in nats. Raw estimate: it can be slightly
        negative when ``X`` and ``Y`` are (nearly) independent given ``Z``. Exactly
        ``0.0`` when ``x`` or ``y`` is constant; a constant ``z`` gives the KSG
        (algorithm 1) estimate of ``I(X;Y)``.

    Notes
    -----
    ``psi(k) - <psi(n_xz + 1) + psi(n_yz + 1) - psi(n_z + 1)>``: the radius is the
    max-norm distance to the k-th neighbour in the joint ``(x, y, z)`` space, and
    ``n_xz``, ``n_yz``, ``n_z`` count the other samples strictly inside that radius
    in the ``(x, z)``, ``(y, z)`` and ``z`` subspaces. All variables are
    standardised and jittered first.

    References
    ----------
    .. [1] S. Frenzel and B. Pompe, "Partial mutual information for coupling
       analysis of multivariate time series", Phys. Rev. Lett. 99, 204101, 2007.
    .. [2] A. Kraskov, H. Stoegbauer and P. Grassberger, "Estimating mutual
       information", Phys. Rev. E 69, 066138, 2004.

    Examples
    --------
    >>> import numpy as np
    >>> from skinfo._knn import frenzel_pompe_cmi
    >>> rng = np.random.default_rng(0)
    >>> z = rng.normal(size=2000)
    >>> x, y = z + rng.normal(size=2000), z + rng.normal(size=2000)
    >>> bool(abs(frenzel_pompe_cmi(x, y, z, random_state=0)) < 0.03)
    True
    """
    x, y, z = _as_samples(x, "x"), _as_samples(y, "y"), _as_samples(z, "z")
    n = _check_lengths(x=x, y=y, z=z)
    k = _check_n_neighbors(n_neighbors, n)
    x, y, z = _drop_constant([x, y, z])
    if x.shape[1] == 0 or y.shape[1] == 0:
        return 0.0
    if z.shape[1] == 0:  # conditioning on a constant changes nothing
        return _multi_ksg([x, y], n, k, 1, random_state)
    rng = check_random_state(random_state)
    joint = np.hstack((x, y, z))
    Z, _ = _standardize(joint[_canonical_order(joint)], rng, DEFAULT_JITTER)
    xs, ys, zs = np.hsplit(Z, [x.shape[1], x.shape[1] + y.shape[1]])
    return _cmi_kernel(xs, ys, zs, k)


def mixed_mutual_info(x, labels, *, n_neighbors=3, random_state=None, warn=True):
    """Estimate I(X;L) of continuous ``x`` and discrete ``labels`` by Ross's method.

    Parameters
    ----------
    x : array-like of shape (n_samples,) or (n_samples, n_x)
        Samples of the continuous variable.
    labels : array-like of shape (n_samples,)
        The discrete variable: integer codes or any hashable labels (no missing
        values).
    n_neighbors : int, default=3
        ``k``; must be smaller than ``n_samples``. A class of ``N_c <= k`` samples
        uses ``k_c = N_c - 1``.
    random_state : int, RandomState instance or None, default=None
        Seed of the tie-breaking noise on ``x`` (see :func:`scale_and_jitter`).
    warn : bool, default=True
        Whether to warn about classes of at most ``n_neighbors`` samples. Callers
        that already warned for the same labels (a greedy selector scoring many
        pairs against one target) pass ``False``.

    Returns
    -------
    float
        Mutual information in nats. Raw estimate: it can be slightly negative when
        the variables are (nearly) independent. Exactly ``0.0`` when ``x`` is
        constant or there is one class, and when every label is unique (with a
        warning).

    Warns
    -----
    UserWarning
        When some class has at most ``n_neighbors`` samples: the estimate is biased
        towards 0 there. Use a smaller ``n_neighbors`` or a binned/discrete method.

    Notes
    -----
    ``psi(N) - <psi(N_c)> + <psi(k_c)> - <psi(m_i)>``: ``d_i`` is the max-norm
    distance from sample ``i`` to its ``k_c``-th neighbour within its class, and
    ``m_i`` the number of samples in the whole data (``i`` excluded) within ``d_i``.
    Conventions follow scikit-learn's ``mutual_info_classif``: ``k_c = min(k,
    N_c - 1)``, samples whose label occurs once are dropped (``N`` shrinks), and
    ``m_i`` is counted as the samples strictly inside ``d_i`` plus the sample itself.
    Both searches use the same exact max-norm distance, so the count can never
    disagree with the neighbour search by one ulp; for one-dimensional ``x`` the
    max-norm equals scikit-learn's Euclidean distance.

    References
    ----------
    .. [1] B. C. Ross, "Mutual information between discrete and continuous data
       sets", PLoS ONE 9(2), e87357, 2014.

    Examples
    --------
    >>> import numpy as np
    >>> from skinfo._knn import mixed_mutual_info
    >>> rng = np.random.default_rng(0)
    >>> labels = rng.integers(0, 2, size=1000)
    >>> x = 20.0 * labels + rng.normal(size=1000)  # classes far apart: I = log 2
    >>> bool(abs(mixed_mutual_info(x, labels, random_state=0) - np.log(2)) < 0.01)
    True
    """
    x = _as_samples(x, "x")
    codes = _as_labels(labels, "labels")
    n = _check_lengths(x=x, labels=codes)
    k = _check_n_neighbors(n_neighbors, n)
    rng = check_random_state(random_state)
    x = x[:, ~_constant_columns(x)]
    sizes = np.bincount(codes)
    if x.shape[1] == 0 or sizes.size == 1:  # a constant variable: I = 0 exactly
        return 0.0
    message = _small_class_message(sizes, k, "labels") if warn else None
    if message is not None:
        warn_user(message)
    order = _canonical_order(x, codes)
    Z, _ = _standardize(x[order], rng, DEFAULT_JITTER)
    return _mixed_kernel(Z, codes[order], k)


def _discrete_mask(discrete_mask, n_features: int) -> NDArray[np.bool_]:
    if discrete_mask is None:
        return np.zeros(n_features, dtype=bool)
    if isinstance(discrete_mask, bool | np.bool_):
        return np.full(n_features, bool(discrete_mask))
    mask = np.asarray(discrete_mask)
    if mask.dtype == bool:
        if mask.shape != (n_features,):
            raise ValueError(
                f"discrete_mask must have shape ({n_features},), got {mask.shape}."
            )
        return mask.copy()
    if mask.ndim == 1 and (mask.size == 0 or np.issubdtype(mask.dtype, np.integer)):
        out = np.zeros(n_features, dtype=bool)
        try:
            out[mask.astype(np.intp)] = True
        except IndexError as exc:
            raise ValueError(
                f"discrete_mask indices must lie in [0, {n_features}); {exc}"
            ) from exc
        return out
    raise TypeError(
        "discrete_mask must be a bool, a boolean mask or an array of column indices, "
        f"got {discrete_mask!r}."
    )


def _warn_small_classes(knn_cols, discrete, discrete_target, y_codes, codes, k):
    """One warning for all columns whose Ross estimate has classes of <= k samples."""
    if discrete_target:
        if any(not discrete[j] for j in knn_cols):
            message = _small_class_message(np.bincount(y_codes), k, "y")
            if message is not None:
                warn_user(message)
        return
    small = [j for j in knn_cols if discrete[j] and np.bincount(codes[j]).min() <= k]
    if small:
        names = ", ".join(f"column {j}" for j in small[:5])
        more = f" and {len(small) - 5} more" if len(small) > 5 else ""
        warn_user(
            f"The discrete {names}{more} of X have levels with at most "
            f"n_neighbors={k} samples. Ross's estimator finds fewer within-level "
            "neighbours there (a level seen once is dropped), so their scores are "
            "biased towards 0. Use a smaller n_neighbors or a binned/discrete method."
        )


def knn_relevance(
    X,
    y,
    *,
    discrete_target,
    discrete_mask,
    n_neighbors=3,
    random_state=None,
    n_jobs=None,
    warn=True,
):
    """Estimated mutual information of every column of ``X`` with ``y``, clipped at 0.

    The estimator is chosen per column, as scikit-learn's ``mutual_info_classif``
    and ``mutual_info_regression`` do:

    ========== ================ ==============================================
    column     target           estimator
    ========== ================ ==============================================
    continuous discrete         Ross (:func:`mixed_mutual_info`)
    continuous continuous       KSG algorithm 1 (:func:`ksg_mutual_info`)
    discrete   discrete         plug-in mutual information of the counts
    discrete   continuous       Ross with the roles swapped
    ========== ================ ==============================================

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Finite numbers; discrete columns hold any numeric codes.
    y : array-like of shape (n_samples,)
        Target: numbers if continuous, any hashable labels if discrete.
    discrete_target : bool
        Whether ``y`` is discrete.
    discrete_mask : bool, array-like of shape (n_features,) or None
        Which columns are discrete: one bool for all columns, a boolean mask, or an
        array of column indices; ``None`` means all continuous.
    n_neighbors : int, default=3
        ``k`` of the kNN estimators; must be smaller than ``n_samples``.
    random_state : int, RandomState instance or None, default=None
        Seed of the tie-breaking noise. All noise (continuous columns first, then a
        continuous ``y``) is drawn once before any column is scored.
    n_jobs : int, default=None
        Threads scoring columns in parallel (``None`` means 1, ``-1`` all cores).
        The result does not depend on it.
    warn : bool, default=True
        Whether to warn about classes of at most ``n_neighbors`` samples (see
        Warns); a permutation test re-scoring the same data passes ``False``.

    Returns
    -------
    ndarray of shape (n_features,)
        Mutual information of each column with ``y`` in nats; negative estimates
        are set to 0, as in scikit-learn. A constant column (or a constant ``y``)
        scores exactly 0.

    Warns
    -----
    UserWarning
        Once per call, when Ross's estimator meets classes (of ``y``, or levels of a
        discrete column against a continuous ``y``) of at most ``n_neighbors``
        samples.

    Notes
    -----
    Continuous columns and a continuous ``y`` are standardised and jittered by
    :func:`scale_and_jitter`. With ``X`` and ``y`` as scikit-learn sees them after
    its own scaling, the kNN values equal scikit-learn's up to floating point
    whenever the noise does not decide a neighbour.

    References
    ----------
    .. [1] A. Kraskov, H. Stoegbauer and P. Grassberger, "Estimating mutual
       information", Phys. Rev. E 69, 066138, 2004.
    .. [2] B. C. Ross, "Mutual information between discrete and continuous data
       sets", PLoS ONE 9(2), e87357, 2014.

    Examples
    --------
    >>> import numpy as np
    >>> from skinfo._knn import knn_relevance
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, size=500)
    >>> X = np.column_stack([y + 0.1 * rng.normal(size=500), rng.normal(size=500)])
    >>> mi = knn_relevance(X, y, discrete_target=True, discrete_mask=False,
    ...                    random_state=0)
    >>> bool(mi[0] > 0.6 and mi[1] < 0.05)
    True
    """
    X = _as_samples(X, "X")
    n, n_features = X.shape
    if discrete_target:
        y_codes = _as_labels(y, "y")
        _check_lengths(X=X, y=y_codes)
    else:
        y_codes = None
        y_values = _as_samples(y, "y")
        if y_values.shape[1] != 1:
            raise ValueError(f"y must be 1-D, got shape {np.shape(y)}.")
        _check_lengths(X=X, y=y_values)
    k = _check_n_neighbors(n_neighbors, n)
    discrete = _discrete_mask(discrete_mask, n_features)

    # One canonical row order of the joint sample (all columns, then the target),
    # so the noise and every score are independent of the input row order.
    order = _canonical_order(X, y_codes if discrete_target else y_values)
    X = X[order]
    if discrete_target:
        y_codes = encode_labels(y_codes[order])[1]
        target_constant = int(y_codes.max()) == 0
    else:
        y_values = y_values[order]
        target_constant = bool(_constant_columns(y_values)[0])
    constant = _constant_columns(X)

    # All randomness first, in a fixed order, so threads cannot change the result.
    rng = check_random_state(random_state)
    continuous_cols = np.flatnonzero(~discrete & ~constant)
    X_cont = _standardize(X[:, continuous_cols], rng, DEFAULT_JITTER)[0]
    y_cont = None
    if not discrete_target:
        y_cont = _standardize(y_values, rng, DEFAULT_JITTER)[0]
    codes = {j: encode_labels(X[:, j])[1] for j in np.flatnonzero(discrete)}
    position = {j: p for p, j in enumerate(continuous_cols)}

    # Columns estimated by Ross's method, and the classes it conditions on.
    mi = np.zeros(n_features)
    if target_constant:  # nothing to share: every score is exactly 0
        return mi
    knn_cols = [
        j
        for j in range(n_features)
        if not constant[j] and not (discrete[j] and discrete_target)
    ]
    if warn:
        _warn_small_classes(knn_cols, discrete, discrete_target, y_codes, codes, k)

    def score(j):
        if discrete[j]:  # discrete column, continuous target
            return _mixed_kernel(y_cont, codes[j], k)
        column = X_cont[:, position[j] : position[j] + 1]
        if discrete_target:
            return _mixed_kernel(column, y_codes, k)
        return _ksg_kernel([column, y_cont], k, 1)

    values = Parallel(n_jobs=n_jobs, prefer="threads")(
        delayed(score)(j) for j in knn_cols
    )
    if knn_cols:
        mi[knn_cols] = values
    if discrete_target and discrete.any():
        table_cols = np.flatnonzero(discrete)
        col_codes = np.asfortranarray(np.column_stack([codes[j] for j in table_cols]))
        n_levels = int(col_codes.max()) + 1
        tables = batch_counts(col_codes, y_codes, n_levels, int(y_codes.max()) + 1)
        mi[table_cols] = mutual_info_from_table(tables)
    return np.maximum(mi, 0.0)
