"""Compiled kernels of the binned layer and their plain-numpy twins.

Three kernels carry the heavy lifting of every estimator:

* ``digitize``: map each float column to bin codes given its inner cut points.
* ``quantile_codes``: exact quantile cuts of every float column without sorting it
  (bucket counts locate the order statistics), and the codes on them, in two passes.
* ``batch_counts``: for every column ``j`` of a code matrix, the contingency table of
  that column against one shared "context" code vector (the target, or a joint code of
  a selected column and the target). One call gives all the tables a greedy
  feature-selection step needs.

The kernels of sparse input (:mod:`skinfo._sparse` calls them) read a CSC matrix
column by column: quantile and uniform cuts of every column, codes of the stored
entries, and contingency tables whose zero row is filled by subtraction.

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

__all__ = [
    "batch_counts",
    "cell_terms",
    "column_tasks",
    "context_groups",
    "digitize",
    "kernel_threads",
    "numba_enabled",
    "pack_pairs",
    "paired_counts",
    "pairs_fit",
    "quantile_codes",
]

#: Values below which a kernel runs on one thread (start-up would dominate).
SMALL_WORK = 1 << 22

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


def _jit_helper(func):
    """Compile a serial helper of the kernels, cached where ``_jit`` caches."""
    previous, own = numba.config.CACHE_DIR, cache_directory()
    if own is not None:  # not beside the package (see :func:`cache_directory`)
        numba.config.CACHE_DIR = own
    try:
        return numba.njit(cache=True, nogil=True)(func)
    except RuntimeError:  # no writable cache location, as in ``_jit``
        return numba.njit(cache=False, nogil=True)(func)
    finally:
        numba.config.CACHE_DIR = previous


def _kernels() -> dict:
    """Import numba and wrap the kernels (once per process, thread-safe)."""
    global numba, prange, _KERNELS
    with _KERNELS_LOCK:
        if _KERNELS is None:
            import numba as _numba

            numba, prange = _numba, _numba.prange
            # Helpers the sparse kernels call by their global name: numba resolves
            # globals when a kernel is first compiled, so rebinding them here makes
            # the calls compiled ones.
            for name in (
                *PAIR_HELPERS,
                *CELL_HELPERS,
                *SPARSE_HELPERS,
                *QUANTILE_HELPERS,
            ):
                globals()[name] = _jit_helper(globals()[name + "_py"])
            _KERNELS = {
                name: _jit(globals()[name + "_py"])
                for name in (
                    "_digitize_numba",
                    "_batch_counts_numba",
                    "_batch_weighted_counts_numba",
                    *PAIR_KERNELS,
                    *CELL_KERNELS,
                    *SPARSE_KERNELS,
                    "_quantile_codes_numba",
                    "_quantile_codes_rows_numba",
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


#: Rows per parallel task of the digitize kernels (a block of one column is staged in
#: a small buffer that stays in L1 cache).
ROW_BLOCK = 256
#: Up to this many cuts a branch-free linear scan beats binary search.
LINEAR_SCAN_CUTS = 32


def _digitize_numba_py(X, cuts, offsets, out):  # pragma: no cover - compiled
    # Row blocks in parallel; every element is written by exactly one thread. Each
    # column of a block is staged in ``col`` (for a C-ordered X the block's cache
    # lines stay in L1 while its columns are read in turn, so X is read once from
    # memory). The loop over cuts sits outside the loop over rows, so the compiler
    # vectorises the comparisons instead of scanning the cuts row by row.
    n, d = X.shape
    for b in prange((n + ROW_BLOCK - 1) // ROW_BLOCK):
        i0 = b * ROW_BLOCK
        w = min(n, i0 + ROW_BLOCK) - i0
        col = np.empty(ROW_BLOCK, dtype=np.float64)
        acc = np.empty(ROW_BLOCK, dtype=np.int32)
        for j in range(d):
            lo0 = offsets[j]
            m = offsets[j + 1] - lo0
            for i in range(w):
                col[i] = X[i0 + i, j]
            if m <= LINEAR_SCAN_CUTS:
                for i in range(w):
                    acc[i] = 0
                for t in range(m):
                    c = cuts[lo0 + t]
                    for i in range(w):
                        acc[i] += np.int32(c <= col[i])
            else:  # searchsorted(side="right")
                for i in range(w):
                    x = col[i]
                    lo, hi = 0, m
                    while lo < hi:
                        mid = (lo + hi) >> 1
                        if cuts[lo0 + mid] <= x:
                            lo = mid + 1
                        else:
                            hi = mid
                    acc[i] = lo
            for i in range(w):
                x = col[i]
                out[i0 + i, j] = m + 1 if x != x else acc[i]  # NaN: its own code
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
    # below a few million values thread start-up costs more than it saves
    with _threads(n_jobs if X.size >= SMALL_WORK else 1):
        # X is read in place, whatever its layout: a layout copy costs more than
        # binning, and a block of rows of either layout stays in cache.
        return kernels["_digitize_numba"](X, cuts, offsets, out)


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


# ---------------------------------------------------------------- paired counts
# Unweighted tables, two columns per increment. A thread counts the joint table of a
# column pair against the context (``width**2 * n_ctx`` int32 cells, kept within
# PAIR_CELLS so that it stays in the L1 cache) and then takes its two margins: one
# increment per row and pair instead of one per row and column, about 25% faster
# from the codes and about twice as fast from codes packed two to a byte
# (:func:`pack_pairs`, for a greedy path that counts the same columns at every
# step). Integer counts do not depend on the order of the additions, so the tables
# equal :func:`batch_counts`' bit for bit, whatever the number of threads.

#: Most cells of the joint table of a column pair in the paired kernels.
PAIR_CELLS = 1 << 14
PAIR_KERNELS = ("_paired_counts_numba", "_packed_counts_numba", "_pack_pairs_numba")
PAIR_HELPERS = ("_split_pair", "_count_single")


def _split_pair_py(joint, width, n_ctx, left, right):  # pragma: no cover - compiled
    # Margins of a (context, left, right) joint table, written as (level, context)
    # tables: ``left`` sums over the right column's levels and vice versa.
    wide = width * width
    for c in range(n_ctx):
        for a in range(width):
            left[a, c] = 0
            right[a, c] = 0
    for c in range(n_ctx):
        for a in range(width):
            row = c * wide + a * width
            total = 0
            for b in range(width):
                count = joint[row + b]
                total += count
                right[b, c] += count
            left[a, c] = total


def _count_single_py(column, base, width, out):  # pragma: no cover - compiled
    # One column's table from the pair offsets ``base = ctx * width**2``.
    wide = np.uint32(width * width)
    n_ctx = out.shape[1]
    table = np.zeros(n_ctx * width, dtype=np.int64)
    for i in range(column.size):
        table[(base[i] // wide) * np.uint32(width) + column[i]] += 1
    for c in range(n_ctx):
        for a in range(width):
            out[a, c] = table[c * width + a]


_split_pair = _split_pair_py
_count_single = _count_single_py


def _paired_counts_numba_py(codes, base, out):  # pragma: no cover - compiled
    # Tables of the columns (2p, 2p + 1) from one joint table each; an odd last
    # column alone. ``base[i] = ctx[i] * width**2``.
    n, d = codes.shape
    _, width, n_ctx = out.shape
    w = np.uint32(width)
    n_pairs = d // 2
    for p in prange(n_pairs + d % 2):
        if p == n_pairs:
            _count_single(codes[:, d - 1], base, width, out[d - 1])
            continue
        joint = np.zeros(n_ctx * width * width, dtype=np.int32)
        left, right = codes[:, 2 * p], codes[:, 2 * p + 1]
        for i in range(n):
            joint[base[i] + np.uint32(left[i]) * w + right[i]] += 1
        _split_pair(joint, width, n_ctx, out[2 * p], out[2 * p + 1])


def _packed_counts_numba_py(packed, codes, base, out):  # pragma: no cover - compiled
    # As above from ``packed[:, p] = codes[:, 2p] * width + codes[:, 2p + 1]``: one
    # byte read per row and pair.
    n, d = codes.shape
    _, width, n_ctx = out.shape
    n_pairs = d // 2
    for p in prange(n_pairs + d % 2):
        if p == n_pairs:
            _count_single(codes[:, d - 1], base, width, out[d - 1])
            continue
        joint = np.zeros(n_ctx * width * width, dtype=np.int32)
        pair = packed[:, p]
        for i in range(n):
            joint[base[i] + pair[i]] += 1
        _split_pair(joint, width, n_ctx, out[2 * p], out[2 * p + 1])


def _pack_pairs_numba_py(codes, width, out):  # pragma: no cover - compiled
    n = codes.shape[0]
    w = np.uint8(width)
    for p in prange(out.shape[1]):
        left, right, pair = codes[:, 2 * p], codes[:, 2 * p + 1], out[:, p]
        for i in range(n):
            pair[i] = np.uint8(left[i]) * w + np.uint8(right[i])


def pairs_fit(width: int, n_ctx: int, n_samples: int) -> bool:
    """Whether :func:`paired_counts` counts pairs for these sizes (numba only).

    The joint table of a pair must stay within :data:`PAIR_CELLS` cells and its
    int32 counts must not overflow.
    """
    return width * width * n_ctx <= PAIR_CELLS and n_samples < 2**31 and numba_enabled()


def pack_pairs(codes: NDArray, width: int, *, n_jobs: int | None = None) -> NDArray:
    """Codes of column pairs, ``codes[:, 2p] * width + codes[:, 2p + 1]``, in bytes.

    Parameters
    ----------
    codes : ndarray of shape (n_samples, n_columns)
        Non-negative integer codes below ``width``, at most 16.
    width : int
        Number of levels of every column.
    n_jobs : int, optional
        Cap on the compiled kernel's threads (see :func:`kernel_threads`).

    Returns
    -------
    ndarray of shape (n_samples, n_columns // 2)
        Fortran-ordered ``uint8`` pair codes (an odd last column is left out).
    """
    if width > 16:
        raise ValueError(f"width must be at most 16 to pack pairs, got {width}.")
    n, d = codes.shape
    out = np.empty((n, d // 2), dtype=np.uint8, order="F")
    if out.size == 0:
        return out
    if not numba_enabled():
        left = codes[:, 0 : 2 * (d // 2) : 2].astype(np.uint8)
        out[:] = left * np.uint8(width) + codes[:, 1 : 2 * (d // 2) : 2]
        return out
    kernels = _kernels()
    with _threads(n_jobs):
        kernels["_pack_pairs_numba"](np.asfortranarray(codes), width, out)
    return out


def paired_counts(
    codes: NDArray,
    ctx: NDArray,
    n_levels: int,
    n_ctx: int,
    *,
    packed: NDArray | None = None,
    n_jobs: int | None = None,
) -> NDArray[np.int64]:
    """:func:`batch_counts` of unweighted codes, two columns per increment.

    Parameters
    ----------
    codes : ndarray of shape (n_samples, n_columns)
        Non-negative integer codes, each below ``n_levels``.
    ctx : ndarray of shape (n_samples,)
        Non-negative integer codes below ``n_ctx``.
    n_levels, n_ctx : int
        Table sizes along the two axes.
    packed : ndarray of shape (n_samples, n_columns // 2), optional
        :func:`pack_pairs` of ``codes`` with ``width=n_levels``: read instead of
        the pairs of columns (half the bytes).
    n_jobs : int, optional
        Cap on the compiled kernel's threads (see :func:`kernel_threads`).

    Returns
    -------
    ndarray of shape (n_columns, n_levels, n_ctx)
        ``int64`` counts, equal to ``batch_counts(codes, ctx, n_levels, n_ctx)``;
        that function computes them when the pair tables would not fit
        (:func:`pairs_fit`).
    """
    n, d = codes.shape
    if not pairs_fit(n_levels, n_ctx, n) or d == 0 or n == 0:
        return batch_counts(codes, ctx, n_levels, n_ctx, n_jobs=n_jobs)
    base = np.asarray(ctx).astype(np.uint32) * np.uint32(n_levels * n_levels)
    out = np.empty((d, n_levels, n_ctx), dtype=np.int64)
    kernels = _kernels()
    codes = np.asfortranarray(codes)
    with _threads(n_jobs):
        if packed is None:
            kernels["_paired_counts_numba"](codes, base, out)
        else:
            kernels["_packed_counts_numba"](packed, codes, base, out)
    return out


# ------------------------------------------------------------ observed-cell terms
# Entropy sums of many-level columns against a many-level context, from the cells
# the samples occupy. The rows are visited grouped by context code (a stable
# counting sort, shared by every column): within a group a column's levels are
# counted in a scratch vector of the column's width and read back at the levels
# touched, so no table of ``width * n_ctx`` cells is ever filled or scanned. A
# cell's count adds its rows' weights in row order, as ``np.bincount`` does.

CELL_KERNELS = ("_cell_terms_numba", "_cell_lut_terms_numba")
CELL_HELPERS = ("_neumaier",)


def _neumaier_py(total, compensation, term):  # pragma: no cover - compiled
    # One step of Neumaier's compensated sum: many cells' terms add up to within
    # a rounding or two of the exact sum, whatever their order.
    new = total + term
    if abs(total) >= abs(term):
        compensation += (total - new) + term
    else:
        compensation += (term - new) + total
    return new, compensation


_neumaier = _neumaier_py


def _cell_terms_numba_py(
    codes, order, bounds, strata, weights, out_terms, out_cells, out_total
):  # pragma: no cover - compiled
    # For column k: out_terms[0, k] and [1, k] are the sums over the observed
    # (x, s) and (x, s, y) cells of count * (log N - log count), N the sum of the
    # weights (all 1 when ``weights`` is empty), the cells' numbers go to
    # out_cells and N to out_total. ``order`` lists the rows by observed context
    # (s, y), group g being order[bounds[g]:bounds[g + 1]]; stratum q (one s) is
    # the groups strata[q]:strata[q + 1]. The levels a group touches are listed,
    # read back and reset.
    n, m = codes.shape
    weighted = weights.size > 0
    for k in prange(m):
        column = codes[:, k]
        width = 1
        for i in range(n):
            width = max(width, np.int64(column[i]) + 1)
        count_sy = np.zeros(width)
        count_s = np.zeros(width)
        seen_sy = np.zeros(width, dtype=np.bool_)
        seen_s = np.zeros(width, dtype=np.bool_)
        touched_sy = np.empty(width, dtype=np.int64)
        touched_s = np.empty(width, dtype=np.int64)
        total = 0.0
        if weighted:
            for i in range(n):
                total += weights[i]
        else:
            total = float(n)
        log_total = np.log(total) if total > 0 else 0.0
        terms_s, terms_sy, comp_s, comp_sy = 0.0, 0.0, 0.0, 0.0
        cells_s, cells_sy = 0, 0
        for q in range(strata.size - 1):
            n_touched_s = 0
            for g in range(strata[q], strata[q + 1]):
                n_touched = 0
                for t in range(bounds[g], bounds[g + 1]):
                    r = order[t]
                    x = np.int64(column[r])
                    if not seen_sy[x]:
                        seen_sy[x] = True
                        touched_sy[n_touched] = x
                        n_touched += 1
                    count_sy[x] += weights[r] if weighted else 1.0
                for p in range(n_touched):
                    x = touched_sy[p]
                    count = count_sy[x]
                    count_sy[x] = 0.0
                    seen_sy[x] = False
                    if not seen_s[x]:
                        seen_s[x] = True
                        touched_s[n_touched_s] = x
                        n_touched_s += 1
                    count_s[x] += count
                    if count > 0:
                        cells_sy += 1
                        term = count * (log_total - np.log(count))
                        terms_sy, comp_sy = _neumaier(terms_sy, comp_sy, term)
            for p in range(n_touched_s):
                x = touched_s[p]
                count = count_s[x]
                count_s[x] = 0.0
                seen_s[x] = False
                if count > 0:
                    cells_s += 1
                    term = count * (log_total - np.log(count))
                    terms_s, comp_s = _neumaier(terms_s, comp_s, term)
        out_terms[0, k] = terms_s + comp_s
        out_terms[1, k] = terms_sy + comp_sy
        out_cells[0, k] = cells_s
        out_cells[1, k] = cells_sy
        out_total[k] = total


def _cell_lut_terms_numba_py(
    codes, order, bounds, strata, step, out_terms, out_cells
):  # pragma: no cover - compiled
    # Unweighted counts: the sums of lut[count] over the cells, as the sums over
    # the rows of step[c] = lut[c + 1] - lut[c] at the count c a row finds in its
    # cell (they telescope to lut[final count]; lut[0] = 0). No branch and no
    # read-back: each group's counts are reset by a second pass over its rows. The
    # column is gathered once in context order; two partial sums (even and odd
    # rows) halve the chain of dependent additions, and the partial sums of each
    # stratum are added with Neumaier's compensation.
    n, m = codes.shape
    for k in prange(m):
        column = codes[:, k]
        width = 1
        for i in range(n):
            width = max(width, np.int64(column[i]) + 1)
        count_sy = np.zeros(width, dtype=np.int64)
        count_s = np.zeros(width, dtype=np.int64)
        xs = np.empty(n, dtype=column.dtype)
        for t in range(n):
            xs[t] = column[order[t]]
        terms_s, terms_sy, comp_s, comp_sy = 0.0, 0.0, 0.0, 0.0
        cells_s, cells_sy = 0, 0
        for q in range(strata.size - 1):
            s0, s1, sy0, sy1 = 0.0, 0.0, 0.0, 0.0
            for g in range(strata[q], strata[q + 1]):
                lo, hi = bounds[g], bounds[g + 1]
                t = lo
                while t < hi:
                    x = xs[t]
                    a = count_sy[x]
                    count_sy[x] = a + 1
                    sy0 += step[a]
                    cells_sy += a == 0
                    b = count_s[x]
                    count_s[x] = b + 1
                    s0 += step[b]
                    cells_s += b == 0
                    if t + 1 < hi:
                        x = xs[t + 1]
                        a = count_sy[x]
                        count_sy[x] = a + 1
                        sy1 += step[a]
                        cells_sy += a == 0
                        b = count_s[x]
                        count_s[x] = b + 1
                        s1 += step[b]
                        cells_s += b == 0
                    t += 2
                for t in range(lo, hi):
                    count_sy[xs[t]] = 0
            for t in range(bounds[strata[q]], bounds[strata[q + 1]]):
                count_s[xs[t]] = 0
            terms_s, comp_s = _neumaier(terms_s, comp_s, s0 + s1)
            terms_sy, comp_sy = _neumaier(terms_sy, comp_sy, sy0 + sy1)
        out_terms[0, k] = terms_s + comp_s
        out_terms[1, k] = terms_sy + comp_sy
        out_cells[0, k] = cells_s
        out_cells[1, k] = cells_sy


def context_groups(ctx: NDArray, n_ctx: int, n_y: int) -> tuple:
    """Rows grouped by observed context code, for :func:`cell_terms`.

    Returns ``order`` (the rows, stably sorted by ``ctx``), ``bounds`` (group
    ``g`` is ``order[bounds[g]:bounds[g + 1]]``, one group per observed code) and
    ``strata`` (stratum ``q``, one value of ``s = ctx // n_y``, is the groups
    ``strata[q]:strata[q + 1]``). Memory is linear in the number of samples,
    whatever ``n_ctx``.
    """
    n = ctx.size
    ctx = np.asarray(ctx, dtype=np.intp)
    if n_ctx <= 4 * n + (1 << 16):
        counts = np.bincount(ctx, minlength=n_ctx)
        observed = np.flatnonzero(counts)
        group = (np.cumsum(counts > 0) - 1)[ctx]
        counts = counts[observed]
    else:  # a dense vector of n_ctx counts could be huge
        observed, group = np.unique(ctx, return_inverse=True)
        group = group.ravel()
        counts = np.bincount(group)
    bounds = np.zeros(observed.size + 1, dtype=np.intp)
    np.cumsum(counts, out=bounds[1:])
    stratum = observed // n_y
    strata = np.flatnonzero(np.r_[True, stratum[1:] != stratum[:-1], True])
    # stable: each cell adds its rows' weights in row order (numpy radix-sorts
    # 16-bit keys in linear time)
    key = group.astype(np.uint16) if observed.size <= 1 << 16 else group
    return np.argsort(key, kind="stable"), bounds, strata


def cell_terms(
    codes: NDArray,
    ctx: NDArray,
    n_ctx: int,
    n_y: int,
    *,
    sample_weight: NDArray | None = None,
    lut: NDArray | None = None,
    groups: tuple | None = None,
    n_jobs: int | None = None,
) -> tuple[NDArray, NDArray, NDArray]:
    """Entropy sums of each column of ``codes`` jointly with ``(S, Y)``, from cells.

    ``ctx = s * n_y + y`` codes the context. For each column ``k`` the observed
    cells of ``(X_k, S)`` and of ``(X_k, S, Y)`` are counted (weights summed in row
    order) without a dense table, which would have ``n_levels * n_ctx`` cells.
    Needs numba (see :func:`numba_enabled`).

    Parameters
    ----------
    codes : ndarray of shape (n_samples, n_columns)
        Non-negative integer codes.
    ctx : ndarray of shape (n_samples,)
        Non-negative integer codes below ``n_ctx``, a multiple of ``n_y``.
    n_ctx, n_y : int
        Number of context codes and of target codes.
    sample_weight : ndarray of shape (n_samples,), optional
        Weights of the rows.
    lut : ndarray, optional
        Term of an integer count ``c`` at ``lut[c]``, with ``lut[0] = 0`` and at
        least ``n_samples + 1`` entries (unweighted data only); by default the
        plug-in term ``c * (log N - log c)``, with ``N`` the total weight.
    groups : tuple, optional
        :func:`context_groups` of ``ctx``, when several calls share it.
    n_jobs : int, optional
        Cap on the compiled kernel's threads (see :func:`kernel_threads`).

    Returns
    -------
    terms : ndarray of shape (2, n_columns)
        Sums of the terms over the ``(X_k, S)`` cells (row 0) and the
        ``(X_k, S, Y)`` cells (row 1).
    cells : ndarray of shape (2, n_columns)
        Numbers of observed cells (positive counts), in the same layout.
    total : ndarray of shape (n_columns,)
        Total weight (the number of samples, unweighted).
    """
    n, m = codes.shape
    terms = np.zeros((2, m))
    cells = np.zeros((2, m), dtype=np.int64)
    total = np.zeros(m)
    if m == 0 or n == 0:
        return terms, cells, total
    if lut is not None and sample_weight is None and len(lut) < n + 1:
        raise ValueError(
            f"lut must have at least n_samples + 1 = {n + 1} entries, got {len(lut)}."
        )
    order, bounds, strata = (
        context_groups(ctx, n_ctx, n_y) if groups is None else groups
    )
    weights = (
        np.zeros(0)
        if sample_weight is None
        else np.ascontiguousarray(sample_weight, dtype=np.float64)
    )
    kernels = _kernels()
    codes = np.asfortranarray(codes)
    with _threads(n_jobs):
        if lut is None or sample_weight is not None:
            kernels["_cell_terms_numba"](
                codes, order, bounds, strata, weights, terms, cells, total
            )
        else:
            step = np.diff(np.asarray(lut, dtype=np.float64)[: n + 1])
            kernels["_cell_lut_terms_numba"](
                codes, order, bounds, strata, step, terms, cells
            )
            total[:] = n
    return terms, cells, total


# ---------------------------------------------------------------------- sparse input
# Kernels of :mod:`skinfo._sparse`. They read a canonical CSC matrix (``indptr``,
# row indices, values) and work column by column: one thread owns a column and walks
# its stored entries in row order, so results do not depend on the thread count.
# Columns are handed out in tasks of about equal work (see ``column_tasks``): numba
# gives each thread an equal run of consecutive loop iterations, and one column per
# iteration would leave the frequent words of a bag of words to a single thread.

#: Tasks per thread of the sparse kernels.
TASKS_PER_THREAD = 16


def column_tasks(indptr: NDArray, n_threads: int, per_column: int = 16) -> NDArray:
    """Bounds of consecutive column ranges of about equal work, for the kernels.

    A column's work is its number of stored entries plus ``per_column``. Returns
    ``bounds`` (``int64``): task ``t`` owns columns ``bounds[t]:bounds[t + 1]``.
    """
    d = indptr.size - 1
    n_tasks = max(1, min(d, TASKS_PER_THREAD * n_threads))
    work = indptr.astype(np.float64) + per_column * np.arange(d + 1)
    bounds = np.searchsorted(work, np.linspace(0.0, work[-1], n_tasks + 1))
    bounds[0], bounds[-1] = 0, d
    return np.unique(bounds).astype(np.int64)


SPARSE_KERNELS = (
    "_sparse_code_numba",
    "_sparse_counts_numba",
    "_sparse_weighted_counts_numba",
    "_sparse_quantile_cuts_numba",
    "_sparse_uniform_cuts_numba",
)
SPARSE_HELPERS = ("_rank_value", "_append_quantile_cuts", "_column_quantile_cuts")
#: Largest value the quantile kernel sorts by counting (positive integers only).
COUNTING_SORT_MAX = 1 << 20


def _rank_value_py(vals, n_neg, n_zeros, r):  # pragma: no cover - compiled
    # Value of rank ``r`` (0-based) of a sorted column given as its sorted non-zero
    # values, ``n_neg`` of them negative, and a run of ``n_zeros`` zeros between.
    if r < n_neg:
        return vals[r]
    if r < n_neg + n_zeros:
        return 0.0
    return vals[r - n_zeros]


def _append_quantile_cuts_py(
    vals, n_neg, n_zeros, start, m, k, averaged, out, n
):  # pragma: no cover - compiled
    # ``_clean_cuts(_inverted_cdf(xs[start:start + m], k, averaged), lo, hi)`` of the
    # column above, appended to ``out`` from position ``n``; returns the new length.
    # The raw cuts are non-decreasing, so ``np.unique`` is a skip of repeats.
    lo = _rank_value(vals, n_neg, n_zeros, start)
    hi = _rank_value(vals, n_neg, n_zeros, start + m - 1)
    if not np.isfinite(lo) or lo == hi:
        return n
    first = n
    for i in range(1, k):
        num = m * i
        upper = num // k
        lower = upper - 1 if num % k == 0 else upper
        cut = _rank_value(vals, n_neg, n_zeros, start + lower)
        if averaged:
            other = _rank_value(vals, n_neg, n_zeros, start + min(upper, m - 1))
            cut = 0.5 * cut + 0.5 * other
        if np.isfinite(cut) and lo < cut <= hi and (n == first or cut != out[n - 1]):
            out[n] = cut
            n += 1
    return n


def _column_quantile_cuts_py(
    vals, n_neg, n_zeros, k, averaged, out
):  # pragma: no cover - compiled
    # ``_binning.sorted_column_cuts`` of the column above (unweighted inverted-CDF
    # rules), with the same floating-point operations in the same order; writes the
    # cuts to ``out`` and returns their number.
    m = vals.size + n_zeros
    if m == 0 or k < 2:
        return 0
    plain = np.empty(k - 1)
    n_plain = _append_quantile_cuts(vals, n_neg, n_zeros, 0, m, k, averaged, plain, 0)
    if n_plain == k - 1:  # no level fell on a tie: the common case
        out[:n_plain] = plain[:n_plain]
        return n_plain
    # Runs of equal values (the zeros are one run): value, start and mass.
    n_items = vals.size + (1 if n_zeros > 0 else 0)
    run_value = np.empty(n_items)
    run_start = np.empty(n_items + 1, dtype=np.int64)
    run_mass = np.empty(n_items)
    n_runs, pos = 0, 0
    for t in range(n_items):
        if t < n_neg:
            x, w = vals[t], 1
        elif n_zeros > 0 and t == n_neg:
            x, w = 0.0, n_zeros
        else:
            x, w = vals[t - (1 if n_zeros > 0 else 0)], 1
        if n_runs > 0 and x == run_value[n_runs - 1]:
            run_mass[n_runs - 1] += w
        else:
            run_value[n_runs], run_start[n_runs], run_mass[n_runs] = x, pos, w
            n_runs += 1
        pos += w
    run_start[n_runs] = m
    total = 0.0
    for r in range(n_runs):
        total += run_mass[r]
    heavy = np.empty(n_runs + 1, dtype=np.int64)
    n_heavy = 0
    for r in range(n_runs):
        if run_mass[r] > total / k:
            heavy[n_heavy] = r
            n_heavy += 1
    if n_heavy == 0:
        out[:n_plain] = plain[:n_plain]
        return n_plain
    cuts = np.empty(2 * n_heavy + k)
    n = 0
    for h in range(n_heavy):
        r = heavy[h]
        if r > 0:
            cuts[n] = 0.5 * run_value[r - 1] + 0.5 * run_value[r]
            n += 1
        if r < n_runs - 1:
            cuts[n] = 0.5 * run_value[r] + 0.5 * run_value[r + 1]
            n += 1
    budget = k - 1 - n
    if budget < 0:
        out[:n_plain] = plain[:n_plain]
        return n_plain
    # Stretches between (and around) the mass points share the budget by mass.
    heavy[n_heavy] = n_runs
    st_lo = np.empty(n_heavy + 1, dtype=np.int64)
    st_hi = np.empty(n_heavy + 1, dtype=np.int64)
    n_st, prev = 0, -1
    for h in range(n_heavy + 1):
        b = heavy[h]
        if b - prev > 1:
            st_lo[n_st], st_hi[n_st] = run_start[prev + 1], run_start[b]
            n_st += 1
        prev = b
    if budget > 0 and n_st > 0:
        mass = np.empty(n_st)
        for i in range(n_st):
            mass[i] = st_hi[i] - st_lo[i]
        mass_sum = mass.sum()
        quota = np.empty(n_st)
        share = np.empty(n_st, dtype=np.int64)
        given = 0
        for i in range(n_st):
            quota[i] = budget * mass[i] / mass_sum
            share[i] = np.int64(np.floor(quota[i]))
            given += share[i]
        # Largest remainders get the leftover cuts; ties go to the earlier stretch.
        taken = np.zeros(n_st, dtype=np.bool_)
        for _ in range(budget - given):
            best, best_rem = -1, 0.0
            for i in range(n_st):
                rem = quota[i] - share[i]
                if not taken[i] and (best < 0 or rem > best_rem):
                    best, best_rem = i, rem
            taken[best] = True
            share[best] += 1
        for i in range(n_st):
            if share[i] > 0:
                n = _append_quantile_cuts(
                    vals,
                    n_neg,
                    n_zeros,
                    st_lo[i],
                    st_hi[i] - st_lo[i],
                    share[i] + 1,
                    averaged,
                    cuts,
                    n,
                )
    # _clean_cuts of everything against the column's range
    lo = _rank_value(vals, n_neg, n_zeros, 0)
    hi = _rank_value(vals, n_neg, n_zeros, m - 1)
    n_iso = 0
    if np.isfinite(lo) and lo != hi:
        ordered = np.sort(cuts[:n])
        iso = np.empty(n)
        for t in range(n):
            c = ordered[t]
            if np.isfinite(c) and lo < c <= hi and (n_iso == 0 or c != iso[n_iso - 1]):
                iso[n_iso] = c
                n_iso += 1
        if n_iso >= n_plain:
            out[:n_iso] = iso[:n_iso]
            return n_iso
    if n_iso >= n_plain:  # both empty
        return 0
    out[:n_plain] = plain[:n_plain]
    return n_plain


_rank_value = _rank_value_py
_append_quantile_cuts = _append_quantile_cuts_py
_column_quantile_cuts = _column_quantile_cuts_py


def _sparse_quantile_cuts_numba_py(
    tasks, indptr, data, n_rows, n_bins, averaged, out, n_out
):  # pragma: no cover - compiled
    # Quantile cuts of every column of a CSC matrix: its non-zero stored values
    # sorted, plus one run of zeros (implicit and stored ones); NaN is ignored.
    for task in prange(tasks.size - 1):
        for j in range(tasks[task], tasks[task + 1]):
            lo, hi = indptr[j], indptr[j + 1]
            buf = np.empty(hi - lo)
            s, n_zeros = 0, n_rows - (hi - lo)
            counts_only, top = True, 0.0  # all values small positive integers?
            for p in range(lo, hi):
                x = data[p]
                if x != x:
                    continue
                if x == 0:
                    n_zeros += 1
                else:
                    buf[s] = x
                    s += 1
                    if counts_only:
                        if x > 0 and x <= COUNTING_SORT_MAX and x == np.floor(x):
                            top = max(top, x)
                        else:
                            counts_only = False
            if counts_only and top <= 2 * s + 64:
                # word counts and the like: a counting sort, linear in the entries
                hist = np.zeros(np.int64(top) + 1, dtype=np.int64)
                for t in range(s):
                    hist[np.int64(buf[t])] += 1
                vals = buf[:s]
                t = 0
                for value in range(hist.size):
                    for _ in range(hist[value]):
                        vals[t] = value
                        t += 1
            else:
                vals = np.sort(buf[:s])
            n_neg = np.searchsorted(vals, 0.0)
            k = n_bins[j]
            n_out[j] = _column_quantile_cuts(vals, n_neg, n_zeros, k, averaged, out[j])


def _sparse_uniform_cuts_numba_py(
    tasks, indptr, data, n_rows, n_bins, out, n_out
):  # pragma: no cover - compiled
    # ``_binning._uniform_cuts`` of every column's range (zero included when the
    # column has zeros; NaN ignored), with the same floating-point operations.
    for task in prange(tasks.size - 1):
        for j in range(tasks[task], tasks[task + 1]):
            lo, hi = indptr[j], indptr[j + 1]
            found = hi - lo < n_rows
            mn, mx = 0.0, 0.0
            for p in range(lo, hi):
                x = data[p]
                if x != x:
                    continue
                if not found:
                    mn, mx, found = x, x, True
                else:
                    mn, mx = min(mn, x), max(mx, x)
            n_out[j] = 0
            k = n_bins[j]
            if not found or not (np.isfinite(mn) and np.isfinite(mx)) or mn == mx:
                continue
            scale = 1.0 if np.isfinite(mx - mn) else 2.0
            a, b = mn / scale, mx / scale
            width = (b - a) / k
            n = 0
            for i in range(1, k):
                cut = (a + i * width) * scale
                if (
                    np.isfinite(cut)
                    and mn < cut <= mx
                    and (n == 0 or cut != out[j, n - 1])
                ):
                    out[j, n] = cut
                    n += 1
            n_out[j] = n


def _sparse_code_numba_py(
    tasks, indptr, data, cuts, offsets, discrete, n_rows, codes, zero_code, n_levels
):  # pragma: no cover - compiled
    # Codes of the stored entries of every column, the code of its zeros and its
    # number of codes, as ``code_sparse`` defines them.
    for task in prange(tasks.size - 1):
        for j in range(tasks[task], tasks[task + 1]):
            lo, hi = indptr[j], indptr[j + 1]
            has_nan = False
            if discrete[j]:
                # rank among the column's distinct values (zero included if present)
                has_zero = hi - lo < n_rows
                buf = np.empty(hi - lo + 1)
                m = 0
                for p in range(lo, hi):
                    x = data[p]
                    if x != x:
                        has_nan = True
                    else:
                        buf[m] = x
                        m += 1
                        if x == 0:
                            has_zero = True
                if has_zero:
                    buf[m] = 0.0
                    m += 1
                levels = np.sort(buf[:m])
                u = 0
                for t in range(m):
                    if u == 0 or levels[t] != levels[u - 1]:
                        levels[u] = levels[t]
                        u += 1
                levels = levels[:u]
                for p in range(lo, hi):
                    x = data[p]
                    codes[p] = u if x != x else np.searchsorted(levels, x)
                zero_code[j] = np.searchsorted(levels, 0.0) if has_zero else 0
                n_levels[j] = max(u + (1 if has_nan else 0), 1)
            else:
                c0 = offsets[j]
                m = offsets[j + 1] - c0
                for p in range(lo, hi):
                    x = data[p]
                    if x != x:
                        codes[p] = m + 1
                        has_nan = True
                    elif m <= LINEAR_SCAN_CUTS:
                        k = 0
                        for t in range(m):
                            k += cuts[c0 + t] <= x
                        codes[p] = k
                    else:  # searchsorted(side="right")
                        a, b = 0, m
                        while a < b:
                            mid = (a + b) >> 1
                            if cuts[c0 + mid] <= x:
                                a = mid + 1
                            else:
                                b = mid
                        codes[p] = a
                k = 0
                for t in range(m):
                    k += cuts[c0 + t] <= 0.0
                zero_code[j] = k
                n_levels[j] = m + 1 + (1 if has_nan else 0)


def _sparse_counts_numba_py(
    tasks, indptr, rows, codes, zero_code, ctx, context, out
):  # pragma: no cover - compiled
    # Stored entries counted in row order; the zero row is the context's counts
    # minus the column's stored counts (summed level by level, as the twin does).
    _, n_levels, n_ctx = out.shape
    for task in prange(tasks.size - 1):
        for j in range(tasks[task], tasks[task + 1]):
            table = out[j]
            for p in range(indptr[j], indptr[j + 1]):
                table[codes[p], ctx[rows[p]]] += 1
            z = zero_code[j]
            for c in range(n_ctx):
                stored = table[0, c]
                for level in range(1, n_levels):
                    stored += table[level, c]
                table[z, c] += context[c] - stored


def _sparse_weighted_counts_numba_py(
    tasks, indptr, rows, codes, zero_code, ctx, weights, context, out
):  # pragma: no cover - compiled
    _, n_levels, n_ctx = out.shape
    for task in prange(tasks.size - 1):
        for j in range(tasks[task], tasks[task + 1]):
            table = out[j]
            for p in range(indptr[j], indptr[j + 1]):
                r = rows[p]
                table[codes[p], ctx[r]] += weights[r]
            z = zero_code[j]
            for c in range(n_ctx):
                stored = table[0, c]
                for level in range(1, n_levels):
                    stored += table[level, c]
                table[z, c] += context[c] - stored


#: Stored entries per chunk of columns in the numpy twins (bounds their temporaries).
SPARSE_CHUNK = 1 << 20


def _column_chunks(indptr: NDArray, size: int | None = None) -> Iterator[tuple]:
    """Consecutive column ranges ``(start, stop)`` of about ``size`` entries each.

    ``size`` defaults to :data:`SPARSE_CHUNK`; a column longer than that is a chunk
    of its own.
    """
    size = SPARSE_CHUNK if size is None else size
    d = indptr.size - 1
    start = 0
    while start < d:
        stop = int(np.searchsorted(indptr, indptr[start] + size, side="right")) - 1
        stop = min(max(stop, start + 1), d)
        yield start, stop
        start = stop


def _sparse_code_numpy(
    indptr, data, cuts, offsets, discrete, n_rows, codes, zero_code, n_levels
):
    """Numpy twin of ``_sparse_code_numba`` (continuous columns vectorised)."""
    d = indptr.size - 1
    n_cuts = np.diff(offsets)
    width = int(n_cuts.max(initial=0))
    # cuts of column j in row j; NaN padding compares False with every value
    padded = np.full((d, max(width, 1)), np.nan)
    for t in range(width):
        has = n_cuts > t
        padded[has, t] = cuts[offsets[:-1][has] + t]
    has_nan = np.zeros(d, dtype=bool)
    for start, stop in _column_chunks(indptr):
        lo, hi = indptr[start], indptr[stop]
        col = np.repeat(np.arange(start, stop), np.diff(indptr[start : stop + 1]))
        x = data[lo:hi]
        code = np.zeros(hi - lo, dtype=np.intp)
        for t in range(width):
            code += padded[col, t] <= x
        nan = np.isnan(x)
        code[nan] = n_cuts[col[nan]] + 1
        has_nan[col[nan]] = True
        codes[lo:hi] = code
    zero_code[:] = np.count_nonzero(padded <= 0.0, axis=1)
    n_levels[:] = n_cuts + 1 + has_nan
    for j in np.flatnonzero(discrete):
        lo, hi = indptr[j], indptr[j + 1]
        values = data[lo:hi]
        has_zero = (hi - lo) < n_rows or bool(np.any(values == 0))
        # in the column's own dtype: integers beyond 2**53 stay exact
        levels = np.unique(np.r_[values, 0] if has_zero else values)
        nan = np.isnan(values) if values.dtype.kind == "f" else np.zeros(0, bool)
        if nan.any():
            levels = levels[~np.isnan(levels)]
        col = np.searchsorted(levels, values)
        if nan.any():
            col[nan] = levels.size
        codes[lo:hi] = col
        zero_code[j] = np.searchsorted(levels, 0.0) if has_zero else 0
        n_levels[j] = max(levels.size + int(nan.any()), 1)


def _sparse_counts_numpy(indptr, rows, codes, zero_code, ctx, weights, context, out):
    """Numpy twin of ``_sparse_counts_numba`` and its weighted sibling."""
    d, n_levels, n_ctx = out.shape
    cells = n_levels * n_ctx
    for start, stop in _column_chunks(indptr):
        lo, hi = indptr[start], indptr[stop]
        col = np.repeat(np.arange(stop - start), np.diff(indptr[start : stop + 1]))
        key = (col * n_levels + codes[lo:hi]) * n_ctx + ctx[rows[lo:hi]]
        w = None if weights is None else weights[rows[lo:hi]]
        # bincount adds the entries of a cell in their order: row order
        part = np.bincount(key, weights=w, minlength=(stop - start) * cells)
        out[start:stop] = part.reshape(stop - start, n_levels, n_ctx)
    stored = out[:, 0, :].copy()
    for level in range(1, n_levels):  # level by level, as the kernel sums
        stored += out[:, level, :]
    out[np.arange(d), zero_code, :] += context - stored


# ------------------------------------------------------------ dense quantile cuts
#: Columns one task of the column kernel (F-ordered X) reads together.
QUANTILE_GROUP = 8
#: Buckets of the per-column histograms that locate the order statistics, by layout
#: of X (the row kernel of a C-ordered X keeps one histogram per column and thread
#: in cache, so it uses fewer).
QUANTILE_BUCKETS = {"C": 512, "F": 2048}
#: Columns per call of the row kernel (bounds its per-column tables).
QUANTILE_ROW_KERNEL_COLUMNS = 2048
#: A column whose bucket copies would exceed this share of its values goes back to
#: the sort rule (bounds the kernel's extra memory).
QUANTILE_MAX_COPIED = 1 / 8
#: Rows of the evenly spaced sample that sets each column's bucket range, read as
#: runs of ``QUANTILE_SAMPLE_RUN`` consecutive rows (whole cache lines).
QUANTILE_SAMPLE = 1024
QUANTILE_SAMPLE_RUN = 16
#: Columns shorter than this are left to the sort-based rule (it is cheap there).
QUANTILE_MIN_ROWS = 4096
#: More bins than this are left to the sort-based rule (the kernel's tables grow
#: with the number of cuts, and its copies with the share of marked buckets).
QUANTILE_MAX_BINS = 256
#: Rows the kernel stages at a time (a group's chunk stays in L1/L2 cache).
QUANTILE_CHUNK = 128


def _chunk_buckets_py(
    A, transposed, i0, r, j0, w, lo, inv, top, B, chunk, idx
):  # pragma: no cover - compiled
    # Rows ``i0:i0 + r`` of the columns ``j0:j0 + w`` of X into ``chunk[c, :r]`` and
    # their buckets into ``idx[c, :r]``. A C-ordered X is transposed in cache; the
    # bucket loop runs along a contiguous row of ``chunk``, which the compiler
    # vectorises.
    if transposed:
        for c in range(w):
            src = A[j0 + c]
            for i in range(r):
                chunk[c, i] = src[i0 + i]
    else:
        for i in range(r):
            src = A[i0 + i]
            for c in range(w):
                chunk[c, i] = src[j0 + c]
    for c in range(w):
        a, iv = lo[c], inv[c]
        for i in range(r):
            idx[c, i] = _bucket(chunk[c, i], a, iv, top, B)


def _bucket_py(x, lo, inv, top, B):  # pragma: no cover - compiled
    # The linear map of ``[lo, lo + (B - 2) / inv]`` onto buckets ``1 .. B - 2`` (0
    # below, ``B - 1`` above; monotone); -inf, +inf and NaN get ``B``, ``B + 1``
    # and ``B + 2``.
    t = (x - lo) * inv
    t = t if t > -1.0 else -1.0
    t = t if t < top else top
    b = np.int32(t + 1.0)
    b = b if x == x else np.int32(B + 2)
    b = np.int32(B) if x == -np.inf else b
    return np.int32(B + 1) if x == np.inf else b


def _sample_row_py(t, s, n):  # pragma: no cover - compiled
    # Row of sample value ``t`` of ``s`` (``s <= n``): runs of consecutive rows
    # spread evenly over the ``n`` rows (the sample only sets the bucket map, so
    # neither its quality nor overlapping runs can change a cut).
    run = QUANTILE_SAMPLE_RUN
    n_runs = (s + run - 1) // run
    r, u = t // run, t % run
    start = (r * (n - run)) // max(n_runs - 1, 1) if n >= run else 0
    return min(start + u, n - 1) if n >= run else (t * n) // s


def _select_in_slot_py(values, o0, base, slot, r):  # pragma: no cover - compiled
    # The value of rank ``r`` among the copies of one bucket (slot ``slot``).
    part = values[o0 + base[slot] : o0 + base[slot + 1]]
    return np.partition(part, r)[r]


QUANTILE_HELPERS = ("_bucket", "_chunk_buckets", "_select_in_slot", "_sample_row")
_bucket = _bucket_py
_chunk_buckets = _chunk_buckets_py
_select_in_slot = _select_in_slot_py
_sample_row = _sample_row_py


def _quantile_codes_numba_py(
    A,
    transposed,
    n_bins,
    averaged,
    group,
    n_sample,
    n_buckets,
    min_rows,
    cuts,
    n_out,
    n_nan,
    codes,
):  # pragma: no cover - compiled
    # Exact unweighted inverted-CDF cuts of every column (those of
    # ``_binning.sorted_column_cuts`` in its common case, where every level falls on
    # its own value) and, when ``codes`` has X's shape, the codes ``digitize`` gives
    # on them, in two passes over X.
    #
    # An evenly spaced sample of rows sets a linear, monotone map of the central part
    # of each column onto buckets (values outside go to the two end buckets; -inf,
    # +inf and NaN get buckets of their own). Pass A counts the values of every
    # bucket: the cumulative counts tell which bucket holds each needed order
    # statistic, hence which buckets can hold a cut. Pass B copies the values of
    # those buckets (by monotony they are the ranks in between) and writes the code
    # of every other value, which its bucket alone decides. Sorting the copies gives
    # the order statistics exactly; the copies then get codes from the exact cuts.
    #
    # ``n_out[j] = -1`` hands column ``j`` back to the caller: a level on a tie or on
    # a zero (whose sign would depend on the sort), infinite values, a sample too
    # narrow to set the map, or copies that would exceed half of the column.
    # ``A`` is X (C-ordered) or, with ``transposed``, X.T (of an F-ordered X).
    d, n = A.shape if transposed else (A.shape[1], A.shape[0])
    with_codes = codes.shape[0] == n and codes.shape[1] == d
    B = n_buckets
    NEG, POS, NAN = B, B + 1, B + 2
    H = B + 3
    G = group
    top = B - 2.0
    for g in prange((d + G - 1) // G):
        j0 = g * G
        w = min(d, j0 + G) - j0
        lo_s = np.zeros(G)
        inv = np.zeros(G)
        active = np.zeros(G, dtype=np.bool_)
        hist = np.zeros((G, H), dtype=np.int32)
        # ---- the sample: a bucket map of the central part of each column
        s = min(n_sample, n)
        buf = np.empty(max(s, 1))
        for c in range(w):
            k = n_bins[j0 + c]
            if n < min_rows or k < 2:
                continue
            ns = 0
            for t in range(s):
                row = _sample_row(t, s, n)
                x = A[j0 + c, row] if transposed else A[row, j0 + c]
                if np.isfinite(x):
                    buf[ns] = x
                    ns += 1
            if ns < 2:
                continue
            margin = ns // (2 * k)
            a = np.partition(buf[:ns], margin)[margin]
            b = np.partition(buf[:ns], ns - 1 - margin)[ns - 1 - margin]
            span = b - a
            if not (a < b and np.isfinite(span)):
                continue
            iv = top / span
            if not (iv > 0.0 and np.isfinite(iv)):
                continue
            lo_s[c] = a
            inv[c] = iv
            active[c] = True
        # ---- pass A: bucket counts, a chunk of rows at a time
        chunk = np.empty((G, QUANTILE_CHUNK))
        idx = np.empty((G, QUANTILE_CHUNK), dtype=np.int32)
        for i0 in range(0, n, QUANTILE_CHUNK):
            r = min(n, i0 + QUANTILE_CHUNK) - i0
            _chunk_buckets(A, transposed, i0, r, j0, w, lo_s, inv, top, B, chunk, idx)
            for c in range(w):
                for i in range(r):
                    hist[c, idx[c, i]] += 1
        # ---- the buckets to copy (code -1) and the code of every other bucket
        table = np.zeros((G, H), dtype=np.int32)
        below = np.zeros((G, B + 1), dtype=np.int64)
        copied_below = np.zeros((G, B + 1), dtype=np.int64)
        step = np.zeros(B + 1, dtype=np.int64)  # cuts whose bucket ends below b
        state = np.zeros(G, dtype=np.int64)  # 0: cuts here, 1: no cuts, -1: caller
        offsets = np.zeros(G + 1, dtype=np.int64)
        for c in range(w):
            j = j0 + c
            k = n_bins[j]
            m = n - hist[c, NAN]
            n_nan[j] = hist[c, NAN]
            n_out[j] = 0
            offsets[c + 1] = offsets[c]
            if k < 2 or m == 0:
                state[c] = 1
                table[c, NAN] = 1
                continue
            if not active[c] or hist[c, NEG] > 0 or hist[c, POS] > 0:
                state[c] = -1
                continue
            for bb in range(B):
                below[c, bb + 1] = below[c, bb] + hist[c, bb]
            # ranks of ``_inverted_cdf`` and their buckets (non-decreasing in i)
            b = 0
            for i in range(1, k):
                num = m * i
                upper = num // k
                lower = upper - 1 if num % k == 0 else upper
                second = min(upper, m - 1) if averaged else lower
                while below[c, b + 1] <= lower:
                    b += 1
                b_high = b
                while below[c, b_high + 1] <= second:
                    b_high += 1
                for bb in range(b, b_high + 1):
                    table[c, bb] = -1
                # buckets above b_high hold values above both order statistics
                step[b_high + 1] += 1
            running = 0
            copied = 0
            for bb in range(B):
                running += step[bb]
                step[bb] = 0
                copied_below[c, bb] = copied
                if table[c, bb] < 0:
                    copied += hist[c, bb]
                else:
                    table[c, bb] = running
            step[B] = 0
            copied_below[c, B] = copied
            table[c, NAN] = k
            if copied > QUANTILE_MAX_COPIED * m:
                state[c] = -1
                continue
            offsets[c + 1] = offsets[c] + copied
        # ---- pass B: copy the values of marked buckets, code the others
        values = np.empty(offsets[w])
        rows = np.empty(offsets[w] if with_codes else 0, dtype=np.int64)
        fill = offsets[:w].copy()
        for i0 in range(0, n, QUANTILE_CHUNK):
            r = min(n, i0 + QUANTILE_CHUNK) - i0
            _chunk_buckets(A, transposed, i0, r, j0, w, lo_s, inv, top, B, chunk, idx)
            for c in range(w):
                if state[c] < 0:
                    continue
                for i in range(r):
                    code = table[c, idx[c, i]]
                    if code < 0:
                        p = fill[c]
                        values[p] = chunk[c, i]
                        if with_codes:
                            rows[p] = i0 + i
                        fill[c] = p + 1
                    elif with_codes:
                        codes[i0 + i, j0 + c] = code
        # ---- exact order statistics from the sorted copies, then the copies' codes
        for c in range(w):
            j = j0 + c
            if state[c] != 0:
                if state[c] < 0:
                    n_out[j] = -1
                continue
            k = n_bins[j]
            m = n - hist[c, NAN]
            o0, o1 = offsets[c], offsets[c + 1]
            xs = np.sort(values[o0:o1])
            first = 0  # the bucket of the column's minimum
            while hist[c, first] == 0:
                first += 1
            ok = True
            b = 0
            for i in range(1, k):
                num = m * i
                upper = num // k
                lower = upper - 1 if num % k == 0 else upper
                second = min(upper, m - 1) if averaged else lower
                while below[c, b + 1] <= lower:
                    b += 1
                v_low = xs[lower - below[c, b] + copied_below[c, b]]
                b2 = b
                while below[c, b2 + 1] <= second:
                    b2 += 1
                v_high = xs[second - below[c, b2] + copied_below[c, b2]]
                cut = 0.5 * v_low + 0.5 * v_high if averaged else v_low
                # a cut on a zero takes its sign from the sort's order of -0.0 and
                # 0.0: the caller's sort decides those
                if v_low == 0.0 or v_high == 0.0 or not (v_low <= cut <= v_high):
                    ok = False
                    break
                if i == 1:
                    # below the first cut's bucket every value is smaller; in it, the
                    # copies start with the column's minimum
                    if b == first and not cut > xs[0]:
                        ok = False
                        break
                elif not cut > cuts[j, i - 2]:
                    ok = False
                    break
                cuts[j, i - 1] = cut
            if not ok:
                n_out[j] = -1
                continue
            n_out[j] = k - 1
            if with_codes:
                for p in range(o0, o1):
                    x = values[p]
                    lo, hi = 0, k - 1  # searchsorted(side="right")
                    while lo < hi:
                        mid = (lo + hi) >> 1
                        if cuts[j, mid] <= x:
                            lo = mid + 1
                        else:
                            hi = mid
                    codes[rows[p], j] = lo
    return n_out


def _quantile_codes_numpy(X, n_bins, averaged, cuts, n_out, n_nan, codes):
    # Numpy twin of ``_quantile_codes_numba``: one sort per column. It hands back
    # (``n_out[j] = -1``) exactly the columns whose cuts are not the plain order
    # statistics, or fall on a zero; the kernel may hand back more.
    n, d = X.shape
    with_codes = codes.shape == X.shape
    for j in range(d):
        column = X[:, j]
        missing = np.isnan(column)
        xs = np.sort(column[~missing])
        k, m = int(n_bins[j]), xs.size
        n_nan[j] = n - m
        n_out[j] = -1
        if k < 2 or m == 0:
            n_out[j] = 0
            if with_codes:
                codes[:, j] = missing
            continue
        num = m * np.arange(1, k, dtype=np.int64)
        upper = num // k
        lower = np.where(num % k == 0, upper - 1, upper)
        second = np.minimum(upper, m - 1) if averaged else lower
        v_low, v_high = xs[lower], xs[second]
        col_cuts = 0.5 * v_low + 0.5 * v_high if averaged else v_low
        lo, hi = xs[0], xs[-1]
        if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
            continue
        if np.any(v_low == 0) or np.any(v_high == 0):
            continue
        if not (np.all(v_low <= col_cuts) and np.all(col_cuts <= v_high)):
            continue
        if not (col_cuts[0] > lo and col_cuts[-1] <= hi):
            continue
        if np.any(np.diff(col_cuts) <= 0):
            continue
        cuts[j, : k - 1] = col_cuts
        n_out[j] = k - 1
        if with_codes:
            col_codes = np.searchsorted(col_cuts, column, side="right")
            col_codes[missing] = k
            codes[:, j] = col_codes
    return n_out


def quantile_codes(
    X: NDArray[np.floating],
    n_bins: NDArray,
    averaged: bool,
    *,
    codes_dtype: np.dtype | None = None,
    n_jobs: int | None = None,
    backend: str | None = None,
    n_sample: int | None = None,
    n_buckets: int | None = None,
    min_rows: int | None = None,
    group: int | None = None,
) -> tuple[NDArray, NDArray, NDArray, NDArray | None]:
    """Plain unweighted inverted-CDF cuts of every column, and optionally its codes.

    The cuts of column ``j`` are those of ``_binning.sorted_column_cuts`` when every
    quantile level falls on its own value (the common case, where that rule reduces to
    order statistics); ``n_out[j] = -1`` hands a column back to the caller otherwise
    (ties at a level, a level on a zero, infinite values, a constant column, or a
    column the compiled kernel cannot bracket cheaply). With ``codes_dtype`` the
    kernel also writes the codes :func:`digitize` would give on these cuts (NaN:
    ``k``; columns with ``k < 2`` or no value: ``0``, NaN ``1``), for every column
    not handed back, in the same two passes over ``X``.

    An F-ordered ``X`` goes to the column kernel (groups of ``QUANTILE_GROUP``
    columns in parallel); any other layout to the row kernel, which reads whole rows
    (C order; another layout is copied first) split among the threads. The result
    depends on neither, nor on the number of threads. ``n_sample``, ``n_buckets``,
    ``min_rows`` (below it every column is handed back) and ``group`` (column kernel
    with groups of this many columns, whatever the layout) override the module's
    settings, for tests.

    Returns
    -------
    cuts : ndarray of shape (n_features, max(n_bins) - 1)
        Row ``j`` holds ``n_out[j]`` cuts.
    n_out : ndarray of shape (n_features,)
        Number of cuts, or ``-1``.
    n_nan : ndarray of shape (n_features,)
        NaN per column.
    codes : ndarray of shape (n_samples, n_features) or None
        Fortran-ordered codes (columns handed back are left unwritten).
    """
    X = np.asarray(X, dtype=np.float64)
    n, d = X.shape
    ks = np.array(n_bins, dtype=np.int64)
    width = max(int(ks.max(initial=2)) - 1, 1)
    cuts = np.zeros((d, width), dtype=np.float64)
    n_out = np.zeros(d, dtype=np.int64)
    n_nan = np.zeros(d, dtype=np.int64)
    if codes_dtype is None:
        codes = np.empty((0, 0), dtype=np.uint8)
    else:
        codes = np.empty((n, d), dtype=codes_dtype, order="F")
    if _resolve_backend(backend) == "numpy":
        _quantile_codes_numpy(X, ks, averaged, cuts, n_out, n_nan, codes)
        return cuts, n_out, n_nan, (None if codes_dtype is None else codes)
    if d == 0:
        return cuts, n_out, n_nan, (None if codes_dtype is None else codes)
    kernels = _kernels()
    transposed = X.flags.f_contiguous and not X.flags.c_contiguous
    layout = "F" if transposed else "C"
    settings = (
        QUANTILE_SAMPLE if n_sample is None else int(n_sample),
        QUANTILE_BUCKETS[layout] if n_buckets is None else int(n_buckets),
        QUANTILE_MIN_ROWS if min_rows is None else int(min_rows),
    )
    with _threads(n_jobs):
        if transposed or group is not None:
            # the column kernel reads the rows of X.T (or of X) as slices
            A = X.T if transposed else np.ascontiguousarray(X)
            kernels["_quantile_codes_numba"](
                A,
                transposed,
                ks,
                bool(averaged),
                QUANTILE_GROUP if group is None else int(group),
                *settings,
                cuts,
                n_out,
                n_nan,
                codes,
            )
            return cuts, n_out, n_nan, (None if codes_dtype is None else codes)
        # the row kernel, on blocks of columns (a block of a wide X is copied)
        step = d if d <= QUANTILE_ROW_KERNEL_COLUMNS else QUANTILE_ROW_KERNEL_COLUMNS
        for start in range(0, d, step):
            stop = min(d, start + step)
            block = X if step == d else X[:, start:stop]
            block_codes = codes
            if step < d and codes.size:
                block_codes = codes[:, start:stop]
            kernels["_quantile_codes_rows_numba"](
                np.ascontiguousarray(block),
                ks[start:stop],
                bool(averaged),
                numba.get_num_threads(),
                *settings,
                cuts[start:stop],
                n_out[start:stop],
                n_nan[start:stop],
                block_codes,
            )
    return cuts, n_out, n_nan, (None if codes_dtype is None else codes)


def _quantile_codes_rows_numba_py(
    A,
    n_bins,
    averaged,
    n_parts,
    n_sample,
    n_buckets,
    min_rows,
    cuts,
    n_out,
    n_nan,
    codes,
):  # pragma: no cover - compiled
    # ``_quantile_codes_numba`` for a C-ordered X, read row by row: no transposed
    # copy. The rows are split into ``n_parts`` consecutive parts, each with its own
    # bucket counts of every column (merged exactly: they are integers); a part's
    # copies of a column go after those of the parts above it, so the result does not
    # depend on ``n_parts``. The bucket of every value of a row is computed along the
    # row, which the compiler vectorises.
    n, d = A.shape
    with_codes = codes.shape[0] == n and codes.shape[1] == d
    B = n_buckets
    NEG, POS, NAN = B, B + 1, B + 2
    H = B + 3
    top = B - 2.0
    lo_s = np.zeros(d)
    inv = np.zeros(d)
    active = np.zeros(d, dtype=np.bool_)
    # ---- the sample rows, copied once (contiguous reads), then one map per column
    s = min(n_sample, n) if n >= min_rows else 0
    sample = np.empty((d, s))
    for t in range(s):
        row = A[_sample_row(t, s, n)]
        for j in range(d):
            sample[j, t] = row[j]
    for j in prange(d):
        k = n_bins[j]
        if s == 0 or k < 2:
            continue
        buf = np.empty(s)
        ns = 0
        for t in range(s):
            x = sample[j, t]
            if np.isfinite(x):
                buf[ns] = x
                ns += 1
        if ns < 2:
            continue
        margin = ns // (2 * k)
        a = np.partition(buf[:ns], margin)[margin]
        b = np.partition(buf[:ns], ns - 1 - margin)[ns - 1 - margin]
        span = b - a
        if not (a < b and np.isfinite(span)):
            continue
        iv = top / span
        if not (iv > 0.0 and np.isfinite(iv)):
            continue
        lo_s[j] = a
        inv[j] = iv
        active[j] = True
    # ---- pass A: bucket counts per part of the rows
    hist = np.zeros((n_parts, d, H), dtype=np.int32)
    for p in prange(n_parts):
        idx = np.empty(d, dtype=np.int32)
        for i in range(p * n // n_parts, (p + 1) * n // n_parts):
            row = A[i]
            for j in range(d):
                idx[j] = _bucket(row[j], lo_s[j], inv[j], top, B)
            for j in range(d):
                hist[p, j, idx[j]] += 1
    # ---- per column: buckets to copy (code -1), codes of the others, copy offsets
    table = np.zeros((d, H), dtype=np.int32)
    below = np.zeros((d, B + 1), dtype=np.int64)
    state = np.zeros(d, dtype=np.int64)  # 0: cuts here, 1: no cuts, -1: caller
    n_copied = np.zeros(d, dtype=np.int64)
    # at most two non-empty marked buckets per cut (consecutive ranks)
    max_slots = 2 * max(np.int64(n_bins.max()) - 1, 1)
    slot_base = np.zeros((d, max_slots + 1), dtype=np.int64)
    part_start = np.zeros((n_parts, d, max_slots), dtype=np.int64)
    for j in prange(d):
        k = n_bins[j]
        total = np.zeros(H, dtype=np.int64)
        for p in range(n_parts):
            for bb in range(H):
                total[bb] += hist[p, j, bb]
        m = n - total[NAN]
        n_nan[j] = total[NAN]
        n_out[j] = 0
        if k < 2 or m == 0:
            state[j] = 1
            table[j, NAN] = 1
            continue
        if not active[j] or total[NEG] > 0 or total[POS] > 0:
            state[j] = -1
            continue
        for bb in range(B):
            below[j, bb + 1] = below[j, bb] + total[bb]
        step = np.zeros(B + 1, dtype=np.int64)
        b = 0
        for i in range(1, k):
            num = m * i
            upper = num // k
            lower = upper - 1 if num % k == 0 else upper
            second = min(upper, m - 1) if averaged else lower
            while below[j, b + 1] <= lower:
                b += 1
            b_high = b
            while below[j, b_high + 1] <= second:
                b_high += 1
            for bb in range(b, b_high + 1):
                table[j, bb] = -1
            step[b_high + 1] += 1
        # marked buckets holding values get slots 0, 1, ... in value order: their
        # copies are grouped by slot (parts in row order within a slot)
        running = 0
        copied = 0
        n_slots = 0
        for bb in range(B):
            running += step[bb]
            if table[j, bb] < 0:
                if total[bb] > 0:
                    table[j, bb] = -1 - n_slots
                    slot_base[j, n_slots] = copied
                    n_slots += 1
                    copied += total[bb]
            else:
                table[j, bb] = running
        slot_base[j, n_slots] = copied
        table[j, NAN] = k
        if copied > QUANTILE_MAX_COPIED * m:
            state[j] = -1
            for bb in range(H):
                table[j, bb] = 0
            continue
        n_copied[j] = copied
        for bb in range(B):
            if table[j, bb] < 0 and total[bb] > 0:
                slot = -1 - table[j, bb]
                start = slot_base[j, slot]
                for p in range(n_parts):
                    part_start[p, j, slot] = start
                    start += hist[p, j, bb]
    offsets = np.zeros(d + 1, dtype=np.int64)
    for j in range(d):
        offsets[j + 1] = offsets[j] + n_copied[j]
    # ---- pass B: copy the values of marked buckets, code the others
    values = np.empty(offsets[d])
    rows = np.empty(offsets[d] if with_codes else 0, dtype=np.int64)
    for p in prange(n_parts):
        idx = np.empty(d, dtype=np.int32)
        fill = np.empty((d, max_slots), dtype=np.int64)
        for j in range(d):
            for slot in range(max_slots):
                fill[j, slot] = offsets[j] + part_start[p, j, slot]
        for i in range(p * n // n_parts, (p + 1) * n // n_parts):
            row = A[i]
            for j in range(d):
                idx[j] = _bucket(row[j], lo_s[j], inv[j], top, B)
            for j in range(d):
                code = table[j, idx[j]]
                if code < 0:
                    slot = -1 - code
                    q = fill[j, slot]
                    values[q] = row[j]
                    if with_codes:
                        rows[q] = i
                    fill[j, slot] = q + 1
                elif with_codes:
                    codes[i, j] = code
    # ---- exact order statistics from the sorted copies, then the copies' codes
    for j in prange(d):
        if state[j] != 0:
            if state[j] < 0:
                n_out[j] = -1
            continue
        k = n_bins[j]
        m = n - n_nan[j]
        o0, o1 = offsets[j], offsets[j + 1]
        first = 0  # the bucket of the column's minimum
        while below[j, first + 1] == 0:
            first += 1
        ok = True
        b = 0
        for i in range(1, k):
            num = m * i
            upper = num // k
            lower = upper - 1 if num % k == 0 else upper
            second = min(upper, m - 1) if averaged else lower
            while below[j, b + 1] <= lower:
                b += 1
            v_low = _select_in_slot(
                values, o0, slot_base[j], -1 - table[j, b], lower - below[j, b]
            )
            b2 = b
            while below[j, b2 + 1] <= second:
                b2 += 1
            v_high = _select_in_slot(
                values, o0, slot_base[j], -1 - table[j, b2], second - below[j, b2]
            )
            cut = 0.5 * v_low + 0.5 * v_high if averaged else v_low
            if v_low == 0.0 or v_high == 0.0 or not (v_low <= cut <= v_high):
                ok = False
                break
            if i == 1:
                slot = -1 - table[j, b]
                lowest = values[o0 + slot_base[j, slot] : o0 + slot_base[j, slot + 1]]
                if b == first and not cut > lowest.min():
                    ok = False
                    break
            elif not cut > cuts[j, i - 2]:
                ok = False
                break
            cuts[j, i - 1] = cut
        if not ok:
            n_out[j] = -1
            continue
        n_out[j] = k - 1
        if with_codes:
            for q in range(o0, o1):
                x = values[q]
                lo, hi = 0, k - 1  # searchsorted(side="right")
                while lo < hi:
                    mid = (lo + hi) >> 1
                    if cuts[j, mid] <= x:
                        lo = mid + 1
                    else:
                        hi = mid
                codes[rows[q], j] = lo
    return n_out
