"""Compiled kernels of the binned layer and their plain-numpy twins.

Two kernels carry the heavy lifting of every estimator:

* ``digitize``: map each float column to bin codes given its inner cut points.
* ``batch_counts``: for every column ``j`` of a code matrix, the contingency table of
  that column against one shared "context" code vector (the target, or a joint code of
  a selected column and the target). One call gives all the tables a greedy
  feature-selection step needs.

Each kernel has a numba version, parallel over columns (or groups of four columns),
and a numpy twin that gives identical results; the numpy twin runs when numba is not
installed, when the environment variable ``SKINFO_DISABLE_NUMBA`` is set to a
non-empty value other than ``0`` (then numba is not even imported), or when a caller
asks for ``backend="numpy"``. numba is imported and the kernels are wrapped on the
first call that needs them, not at ``import skinfo``.

Compiled code is cached on disk where numba finds a writable place (``NUMBA_CACHE_DIR``
if set, else ``__pycache__`` beside this file, else ``~/.cache/numba``); where none is
writable (a read-only image, a home-less user) the kernels are compiled in memory for
each process instead of failing.

Threads follow scikit-learn's OpenMP estimators (``HistGradientBoostingClassifier``,
``KMeans``): every available core by default, fewer under ``OMP_NUM_THREADS`` or
``threadpoolctl.threadpool_limits``; an estimator's ``n_jobs``, when given, caps them
(see :func:`kernel_threads`). Work for one column is always done by one thread in row
order, so results (weighted sums included) are bit-identical whatever the number of
threads. The kernels keep no state between calls: a table is a sum over rows, so
chunks of rows can be counted apart and added.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import threading
from collections.abc import Iterator

import numpy as np
from joblib import effective_n_jobs
from numpy.typing import NDArray

from skinfo._compat import _openmp_effective_n_threads

__all__ = ["batch_counts", "digitize", "kernel_threads", "numba_enabled"]

# numba is imported on the first kernel call that needs it, never at ``import
# skinfo``: with ``SKINFO_DISABLE_NUMBA=1`` it is not imported at all, and an
# environment where numba cannot cache (see ``_jit``) still imports skinfo.
numba = None
#: ``range`` until numba is loaded, then ``numba.prange``; the kernel bodies below use
#: it, so they are also valid (slow) plain Python.
prange = range
_KERNELS: dict | None = None
_KERNELS_LOCK = threading.Lock()
#: Where the compiled kernels are cached on disk, or why they are not: filled in when
#: the kernels are compiled (``None`` before that).
cache_status: str | None = None


def _numba_installed() -> bool:
    return numba is not None or importlib.util.find_spec("numba") is not None


def numba_enabled() -> bool:
    """Whether the compiled kernels are used (numba installed and not switched off)."""
    flag = os.environ.get("SKINFO_DISABLE_NUMBA", "")
    return flag in ("", "0") and _numba_installed()


def _resolve_backend(backend: str | None) -> str:
    if backend is None:
        return "numba" if numba_enabled() else "numpy"
    if backend not in ("numba", "numpy"):
        raise ValueError(f"backend must be 'numba', 'numpy' or None, got {backend!r}.")
    if backend == "numba" and not _numba_installed():  # pragma: no cover
        raise ImportError("backend='numba' needs numba, which is not installed.")
    return backend


def cache_directory() -> str | None:
    """Where skinfo asks numba to cache its compiled kernels.

    ``NUMBA_CACHE_DIR`` when the user set it (``None`` here: numba reads it itself),
    else ``skinfo/numba`` in the user's cache directory (``$XDG_CACHE_HOME`` or
    ``~/.cache``). Not beside the installed package: files numba writes there are
    unknown to pip, so an uninstall would leave a ``skinfo/__pycache__`` folder in
    site-packages that shadows a later editable install.
    """
    if os.environ.get("NUMBA_CACHE_DIR"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(
        os.path.expanduser("~"), ".cache"
    )
    return os.path.join(base, "skinfo", "numba")


def _jit(func):
    """Compile ``func`` with numba, caching on disk where numba can.

    numba picks the cache directory at decoration time, from its configured cache
    directory (:func:`cache_directory` for skinfo's kernels), else ``__pycache__``
    beside this file, else its own user-wide directory; when none of them is
    writable it raises ``RuntimeError`` ("cannot cache function ... no locator
    available"). Then the kernels are compiled in memory only: every process pays
    the compile time once, but skinfo runs.
    """
    global cache_status
    options = {"parallel": True, "nogil": True}
    previous, own = numba.config.CACHE_DIR, cache_directory()
    if own is not None:  # only while decorating: other libraries keep numba's default
        numba.config.CACHE_DIR = own
    try:
        compiled = numba.njit(cache=True, **options)(func)
    except RuntimeError as exc:  # no writable cache location
        cache_status = f"in memory only ({exc})"
        return numba.njit(cache=False, **options)(func)
    finally:
        numba.config.CACHE_DIR = previous
    locator = getattr(getattr(compiled, "_cache", None), "_cache_path", None)
    cache_status = f"cached in {locator}" if locator else "cached"
    return compiled


def _kernels() -> dict:
    """Import numba and wrap the kernels (once per process, thread-safe)."""
    global numba, prange, _KERNELS
    with _KERNELS_LOCK:
        if _KERNELS is None:
            import numba as _numba

            numba, prange = _numba, _numba.prange
            _KERNELS = {
                name: _jit(globals()[name + "_py"])
                for name in (
                    "_digitize_numba",
                    "_digitize_columns_numba",
                    "_batch_counts_numba",
                    "_batch_weighted_counts_numba",
                )
            }
    return _KERNELS


def __getattr__(name: str):
    # The compiled dispatchers (``_batch_counts_numba`` ...) on demand, for tests.
    if name.endswith("_numba") and name + "_py" in globals():
        return _kernels()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def kernel_threads(n_jobs: int | None = None) -> int:
    """Return the number of threads the compiled kernels use.

    Like scikit-learn's OpenMP estimators (``HistGradientBoostingClassifier``,
    ``KMeans``): by default every available core (cgroup quotas included), fewer under
    ``OMP_NUM_THREADS`` or a ``threadpoolctl.threadpool_limits`` block. ``n_jobs``,
    when given, caps that number in joblib's sense (``-1`` all cores, ``-2`` all but
    one). Results do not depend on it.

    Parameters
    ----------
    n_jobs : int, optional
        Upper bound on the threads; ``None`` means no bound beyond the default.

    Returns
    -------
    int
        At least 1.

    Examples
    --------
    >>> from threadpoolctl import threadpool_limits
    >>> kernel_threads(1)
    1
    >>> with threadpool_limits(1):
    ...     kernel_threads()
    1
    """
    n = _openmp_effective_n_threads()
    if n_jobs is not None:
        n = min(n, effective_n_jobs(n_jobs))
    if numba is not None:  # numba's thread pool has a fixed size
        n = min(n, numba.config.NUMBA_NUM_THREADS)
    return max(1, n)


@contextlib.contextmanager
def _threads(n_jobs: int | None) -> Iterator[None]:
    """Run numba parallel regions with ``kernel_threads(n_jobs)`` threads."""
    n = kernel_threads(n_jobs)
    previous = numba.get_num_threads()
    numba.set_num_threads(n)
    try:
        yield
    finally:
        numba.set_num_threads(previous)


# --------------------------------------------------------------------------- digitize
def _digitize_numpy(X, cuts, offsets, out):
    for j in range(X.shape[1]):
        col_cuts = cuts[offsets[j] : offsets[j + 1]]
        col = X[:, j]
        codes = np.searchsorted(col_cuts, col, side="right")
        codes[np.isnan(col)] = col_cuts.size + 1
        out[:, j] = codes
    return out


#: Rows per parallel task of the digitize kernel.
ROW_BLOCK = 4096
#: Up to this many cuts a branch-free linear scan beats binary search.
LINEAR_SCAN_CUTS = 32


def _digitize_numba_py(X, cuts, offsets, out):  # pragma: no cover - compiled
    # Row blocks in parallel: X arrives C-ordered, so each row is read once,
    # contiguously; every element is written by exactly one thread.
    n, d = X.shape
    for b in prange((n + ROW_BLOCK - 1) // ROW_BLOCK):
        for i in range(b * ROW_BLOCK, min(n, (b + 1) * ROW_BLOCK)):
            for j in range(d):
                x = X[i, j]
                lo0 = offsets[j]
                m = offsets[j + 1] - lo0
                if x != x:  # NaN
                    out[i, j] = m + 1
                elif m <= LINEAR_SCAN_CUTS:
                    k = 0
                    for t in range(m):
                        k += cuts[lo0 + t] <= x
                    out[i, j] = k
                else:  # searchsorted(side="right")
                    lo, hi = 0, m
                    while lo < hi:
                        mid = (lo + hi) >> 1
                        if cuts[lo0 + mid] <= x:
                            lo = mid + 1
                        else:
                            hi = mid
                    out[i, j] = lo
    return out


def _digitize_columns_numba_py(X, cuts, offsets, out):  # pragma: no cover - compiled
    # Columns in parallel, for Fortran-ordered X whose columns are contiguous.
    n, d = X.shape
    for j in prange(d):
        lo0 = offsets[j]
        m = offsets[j + 1] - lo0
        for i in range(n):
            x = X[i, j]
            if x != x:  # NaN
                out[i, j] = m + 1
            elif m <= LINEAR_SCAN_CUTS:
                k = 0
                for t in range(m):
                    k += cuts[lo0 + t] <= x
                out[i, j] = k
            else:
                lo, hi = 0, m
                while lo < hi:
                    mid = (lo + hi) >> 1
                    if cuts[lo0 + mid] <= x:
                        lo = mid + 1
                    else:
                        hi = mid
                out[i, j] = lo
    return out


def digitize(
    X: NDArray[np.floating],
    edges: list[NDArray[np.float64]],
    dtype: np.dtype,
    *,
    n_jobs: int | None = None,
    backend: str | None = None,
) -> NDArray:
    """Codes of the float matrix ``X`` given inner cut points per column.

    A value ``x`` of column ``j`` gets ``searchsorted(edges[j], x, side="right")``,
    NaN gets ``len(edges[j]) + 1``. Returns a Fortran-ordered array of ``dtype``.
    """
    X = np.asarray(X, dtype=np.float64)
    cuts = (
        np.concatenate([np.asarray(e, dtype=np.float64) for e in edges])
        if edges
        else np.empty(0)
    )
    offsets = np.zeros(len(edges) + 1, dtype=np.intp)
    np.cumsum([len(e) for e in edges], out=offsets[1:])
    out = np.empty(X.shape, dtype=dtype, order="F")
    if X.size == 0:
        return out
    if _resolve_backend(backend) == "numpy":
        return _digitize_numpy(X, cuts, offsets, out)
    kernels = _kernels()
    with _threads(n_jobs):
        # Read X in the order it is stored: a layout copy costs more than binning.
        if X.flags.f_contiguous and not X.flags.c_contiguous:
            return kernels["_digitize_columns_numba"](X, cuts, offsets, out)
        return kernels["_digitize_numba"](np.ascontiguousarray(X), cuts, offsets, out)


# ----------------------------------------------------------------------- batch counts
def _batch_counts_numpy(codes, ctx, n_ctx, weights, out):
    n_levels = out.shape[1]
    flat = out.reshape(out.shape[0], -1)
    for j in range(codes.shape[1]):
        key = codes[:, j].astype(np.intp) * n_ctx + ctx
        flat[j] = np.bincount(key, weights=weights, minlength=n_levels * n_ctx)
    return out


# With ``block=4`` a thread counts four columns in one pass over the rows, so the
# context code of a row is read once for four tables (about 30% faster than one
# column at a time); ``block=1`` keeps every thread busy when columns are few.
# Every table is still filled by one thread in row order, so the result does
# not depend on the number of threads.


def _batch_counts_numba_py(codes, ctx, out, block):  # pragma: no cover - compiled
    n, d = codes.shape
    for b in prange((d + block - 1) // block):
        j = block * b
        if block == 4 and j + 4 <= d:
            t0, t1, t2, t3 = out[j], out[j + 1], out[j + 2], out[j + 3]
            for i in range(n):
                c = ctx[i]
                t0[codes[i, j], c] += 1
                t1[codes[i, j + 1], c] += 1
                t2[codes[i, j + 2], c] += 1
                t3[codes[i, j + 3], c] += 1
        else:
            for k in range(j, min(d, j + block)):
                table = out[k]
                for i in range(n):
                    table[codes[i, k], ctx[i]] += 1


def _batch_weighted_counts_numba_py(
    codes, ctx, weights, out, block
):  # pragma: no cover
    n, d = codes.shape
    for b in prange((d + block - 1) // block):
        j = block * b
        if block == 4 and j + 4 <= d:
            t0, t1, t2, t3 = out[j], out[j + 1], out[j + 2], out[j + 3]
            for i in range(n):
                c, w = ctx[i], weights[i]
                t0[codes[i, j], c] += w
                t1[codes[i, j + 1], c] += w
                t2[codes[i, j + 2], c] += w
                t3[codes[i, j + 3], c] += w
        else:
            for k in range(j, min(d, j + block)):
                table = out[k]
                for i in range(n):
                    table[codes[i, k], ctx[i]] += weights[i]


def batch_counts(
    codes: NDArray,
    ctx: NDArray,
    n_levels: int,
    n_ctx: int,
    *,
    sample_weight: NDArray | None = None,
    n_jobs: int | None = None,
    backend: str | None = None,
) -> NDArray:
    """Contingency tables of every column of ``codes`` against ``ctx``.

    Parameters
    ----------
    codes : ndarray of shape (n_samples, n_columns)
        Non-negative integer codes, each below ``n_levels``. Fortran order is fastest.
    ctx : ndarray of shape (n_samples,)
        Non-negative integer codes below ``n_ctx``; a joint code ``a * n_b + b``
        makes the result a batch of three-way tables.
    n_levels, n_ctx : int
        Table sizes along the two axes.
    sample_weight : ndarray of shape (n_samples,), optional
        Weights; the tables then hold float sums instead of integer counts.
    n_jobs : int, optional
        Cap on the compiled kernel's threads (see :func:`kernel_threads`); ``None``
        uses every available core, ``-1`` too.
    backend : {"numba", "numpy"}, optional
        Force a kernel; by default numba unless switched off.

    Returns
    -------
    ndarray of shape (n_columns, n_levels, n_ctx)
        ``int64`` counts, or ``float64`` sums of weights.
    """
    d = codes.shape[1]
    ctx = np.ascontiguousarray(ctx, dtype=np.intp)
    dtype = np.int64 if sample_weight is None else np.float64
    out = np.zeros((d, n_levels, n_ctx), dtype=dtype)
    if d == 0 or codes.shape[0] == 0:
        return out
    weights = (
        None
        if sample_weight is None
        else np.ascontiguousarray(sample_weight, dtype=np.float64)
    )
    if _resolve_backend(backend) == "numpy":
        return _batch_counts_numpy(codes, ctx, n_ctx, weights, out)
    codes = np.asfortranarray(codes)
    if n_ctx <= 1 << 16:  # a narrower stream of context codes: ~20% less memory traffic
        ctx = ctx.astype(np.uint16)
    kernels = _kernels()
    with _threads(n_jobs):
        block = 4 if d >= 4 * numba.get_num_threads() else 1
        if weights is None:
            kernels["_batch_counts_numba"](codes, ctx, out, block)
        else:
            kernels["_batch_weighted_counts_numba"](codes, ctx, weights, out, block)
    return out
