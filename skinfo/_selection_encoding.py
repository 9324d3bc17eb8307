"""Encoding of the selector's input: bin edges, integer codes and the ``memory`` digest.

:class:`~skinfo.MIFeatureSelector` turns ``X`` and ``y`` into integer codes once per
data set (dense or sparse), and with ``memory`` caches that encoding under a digest of
the data (:func:`_digest`, a hash that reads the data at near memory speed) and the
greedy path under the encoding's key (:func:`_keyed_binned_path`). This module holds
those steps, apart from the estimator, so that the greedy path and the stopping tests
can be read without the input handling.
"""

from __future__ import annotations

import hashlib
import threading

import joblib
import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from skinfo._binned_greedy import _binned_path
from skinfo._binning import (
    apply_bin_edges,
    auto_n_bins,
    effective_n_samples,
    encode_labels,
    fit_bin_codes,
    fit_bin_edges,
    smallest_uint,
)
from skinfo._counting import _resolve_backend, cache_directory
from skinfo._sparse import SparseCodes, code_sparse, sparse_bin_edges

__all__ = [
    "_CODED_IGNORE",
    "_ENCODING_IGNORE",
    "_SparseColumns",
    "_bin_edges",
    "_code_features",
    "_constant_columns",
    "_dense_encoding",
    "_digest",
    "_encode",
    "_feature_codes",
    "_keyed_binned_path",
    "_lean_csc",
    "_pack_edges",
    "_sparse_constant_columns",
    "_sparse_encoding",
    "_sparse_feature_codes",
    "_target_codes",
    "_unpack_edges",
]


#: Arguments of the cached encodings that ``data_key`` stands for (or that do not
#: change the result): joblib hashes the key instead of the data.
_ENCODING_IGNORE = ["X", "y", "sample_weight", "n_jobs"]


def _bin_edges(
    X: NDArray,
    n_bins,
    strategy: str,
    weights: NDArray | None,
    y_codes: NDArray | None,
    n_y: int,
    random_state,
    n_jobs,
) -> list[NDArray]:
    """Inner cut points of every column of the float matrix ``X``."""
    if X.shape[1] == 0:
        return []
    n_eff = effective_n_samples(weights, X.shape[0])
    k = auto_n_bins(n_eff) if isinstance(n_bins, str) else int(n_bins)
    if strategy == "mdlp":
        from skinfo._discretization import mdlp_cut_points

        max_bins = None if isinstance(n_bins, str) else int(n_bins)
        edges = []
        for j in range(X.shape[1]):
            keep = ~np.isnan(X[:, j])
            if weights is not None:
                keep &= weights > 0
            if not keep.any():
                edges.append(np.empty(0, dtype=np.float64))
                continue
            cuts, _ = mdlp_cut_points(
                X[keep, j],
                y_codes[keep],
                n_y,
                sample_weight=None if weights is None else weights[keep],
                max_bins=max_bins,
            )
            edges.append(np.asarray(cuts, dtype=np.float64))
        return edges
    return fit_bin_edges(
        X,
        k,
        strategy,
        sample_weight=weights,
        random_state=random_state,
        n_jobs=n_jobs,
    )


def _code_features(
    X: NDArray,
    discrete: NDArray,
    edges_cont: list[NDArray],
    n_jobs,
) -> tuple[NDArray, NDArray[np.intp]]:
    """One Fortran-ordered code matrix: bins of continuous, labels of discrete."""
    if not discrete.any():
        codes, n_levels = apply_bin_edges(X, edges_cont, n_jobs=n_jobs)
        return codes, np.asarray(n_levels, dtype=np.intp)
    n_samples, n_features = X.shape
    n_levels = np.zeros(n_features, dtype=np.intp)
    label_codes = {}
    for j in np.flatnonzero(discrete):
        classes, label_codes[j] = encode_labels(X[:, j])
        n_levels[j] = max(classes.size, 1)
    cont = np.flatnonzero(~discrete)
    cont_codes = None
    if cont.size:
        cont_codes, cont_levels = apply_bin_edges(X[:, cont], edges_cont, n_jobs=n_jobs)
        n_levels[cont] = cont_levels
    codes = np.empty(
        (n_samples, n_features), dtype=smallest_uint(int(n_levels.max())), order="F"
    )
    for j, col in label_codes.items():
        codes[:, j] = col
    if cont.size:
        codes[:, cont] = cont_codes
    return codes, n_levels


def _constant_columns(X: NDArray, codes, weights) -> NDArray[np.bool_]:
    """Features with one observed value (or only NaN) among rows with weight."""
    if weights is not None:
        keep = weights > 0
        X = X[keep]
        codes = None if codes is None else codes[keep]
    if X.shape[0] == 0:
        return np.ones(X.shape[1], dtype=bool)
    with np.errstate(invalid="ignore"):
        all_nan = np.isnan(X).all(axis=0)
    if codes is None:
        return all_nan | (np.nanmax(X, axis=0) == np.nanmin(X, axis=0))
    return all_nan | (codes.min(axis=0) == codes.max(axis=0))


def _lean_csc(X):
    """Return a CSC matrix whose arrays the sparse codes share rather than copy.

    The codes keep the row index of every stored entry as ``intp``, and the coding
    kernel reads float64 values: converting the CSC copy's arrays once, in place
    of the copies :func:`~skinfo._sparse.code_sparse` would make, lowers the peak
    memory by about half the matrix. Integers beyond ``2**53`` keep their dtype
    (they are coded exactly). The input's own arrays are never written to.
    """
    lean = sp.csc_array(X.shape)
    lean.indptr, lean.indices, lean.data = X.indptr, X.indices, X.data
    del X  # one array at a time: each old array is freed as soon as it is replaced
    lean.indptr = lean.indptr.astype(np.int64, copy=False)
    lean.indices = lean.indices.astype(np.intp, copy=False)
    kind = lean.data.dtype.kind
    if kind in "biu" and (lean.data.size == 0 or int(np.abs(lean.data).max()) < 2**53):
        lean.data = lean.data.astype(np.float64)
    elif kind == "f":
        lean.data = lean.data.astype(np.float64, copy=False)
    return lean


def _sparse_constant_columns(codes: SparseCodes, weights) -> NDArray[np.bool_]:
    """:func:`_constant_columns` of sparse codes: one code among rows with weight."""
    n_rows, n_features = codes.shape
    values = codes.codes
    stored = np.diff(codes.indptr)
    n_live = n_rows
    if weights is not None:
        keep = weights[codes.rows] > 0
        n_live = int(np.count_nonzero(weights > 0))
        bounds = np.r_[0, np.cumsum(keep)]
        stored = bounds[codes.indptr[1:]] - bounds[codes.indptr[:-1]]
        values = values[keep]
    lo = np.full(n_features, np.iinfo(np.intp).max)
    hi = np.full(n_features, -1)
    present = stored > 0
    if present.any():  # entries stay in column order: one segment per column
        starts = (np.cumsum(stored) - stored)[present]
        lo[present] = np.minimum.reduceat(values, starts)
        hi[present] = np.maximum.reduceat(values, starts)
    zeros = stored < n_live  # some live row holds an implicit zero
    lo = np.where(zeros, np.minimum(lo, codes.zero_code), lo)
    hi = np.where(zeros, np.maximum(hi, codes.zero_code), hi)
    return hi <= lo


class _SparseColumns:
    """Dense float columns of a CSC matrix on demand (``X[:, j]``), for scores."""

    def __init__(self, X):
        self.X = X

    def subset(self, columns: NDArray) -> _SparseColumns:
        """Return the given columns, in their order."""
        return _SparseColumns(self.X[:, columns])

    def __getitem__(self, key):
        _, j = key
        lo, hi = self.X.indptr[j], self.X.indptr[j + 1]
        out = np.zeros(self.X.shape[0])
        out[self.X.indices[lo:hi]] = self.X.data[lo:hi]
        return out


# ------------------------------------------------------------------------ data key
# Constants of the data key: the two multipliers of the SplitMix64 finalizer (a
# bijection of 64-bit words with good avalanche) and an odd position multiplier.
_MIX_A = np.uint64(0xBF58476D1CE4E5B9)
_MIX_B = np.uint64(0x94D049BB133111EB)
_POSITION = np.uint64(0x9E3779B97F4A7C15)
_SHIFT_1 = np.uint64(30)
_SHIFT_2 = np.uint64(27)
_SHIFT_3 = np.uint64(31)
_ONE = np.uint64(1)
#: Elements per block of the numpy twin of the key kernel (bounds its scratch memory).
_KEY_BLOCK = 1 << 18
_KEY_KERNEL = None
_KEY_KERNEL_LOCK = threading.Lock()


def _key_lanes_py(values, outer, inner, outer_step, inner_step):
    """Two 64-bit sums of mixed (value, position) words: the numba kernel's source.

    ``values`` is a flat unsigned-integer view of an array in memory order, read as
    ``outer`` runs of ``inner`` elements; the element at run ``o``, offset ``i`` has
    the logical (C-order) position ``p = o * outer_step + i * inner_step``. Its word
    ``m = mix(v ^ p * P)`` (``mix`` the SplitMix64 finalizer, ``P`` odd) is added to
    the first sum and ``m * (2 p + 1)`` to the second; both wrap modulo 2**64.
    """
    s1 = np.uint64(0)
    s2 = np.uint64(0)
    for o in range(outer):
        start = np.uint64(o) * np.uint64(outer_step)
        base = o * inner
        for i in range(inner):
            p = start + np.uint64(i) * np.uint64(inner_step)
            x = np.uint64(values[base + i]) ^ (p * _POSITION)
            x = (x ^ (x >> _SHIFT_1)) * _MIX_A
            x = (x ^ (x >> _SHIFT_2)) * _MIX_B
            x ^= x >> _SHIFT_3
            s1 += x
            s2 += x * (p + p + _ONE)
    return s1, s2


def _key_lanes_numpy(values, outer, inner, outer_step, inner_step):
    """:func:`_key_lanes_py` with numpy, block by block: identical sums."""
    s1 = np.uint64(0)
    s2 = np.uint64(0)
    with np.errstate(over="ignore"):
        for lo in range(0, values.size, _KEY_BLOCK):
            p = np.arange(lo, min(lo + _KEY_BLOCK, values.size), dtype=np.uint64)
            if outer > 1:  # offset k of the flat view is run k // inner, k % inner
                run, offset = np.divmod(p, np.uint64(inner))
                p = run * np.uint64(outer_step) + offset * np.uint64(inner_step)
            x = values[lo : lo + p.size].astype(np.uint64)
            x ^= p * _POSITION
            x ^= x >> _SHIFT_1
            x *= _MIX_A
            x ^= x >> _SHIFT_2
            x *= _MIX_B
            x ^= x >> _SHIFT_3
            s1 += np.sum(x, dtype=np.uint64)
            p += p
            p += _ONE
            x *= p
            s2 += np.sum(x, dtype=np.uint64)
    return s1, s2


def _key_kernel():
    """Compile :func:`_key_lanes_py` once (cached on disk where numba can).

    Serial on purpose: the key is memory-bound and one core reads near memory speed.
    """
    global _KEY_KERNEL
    with _KEY_KERNEL_LOCK:
        if _KEY_KERNEL is None:
            import numba

            previous, own = numba.config.CACHE_DIR, cache_directory()
            if own is not None:
                numba.config.CACHE_DIR = own
            try:
                _KEY_KERNEL = numba.njit(cache=True, nogil=True)(_key_lanes_py)
            except RuntimeError:  # no writable cache location: compile in memory
                _KEY_KERNEL = numba.njit(cache=False, nogil=True)(_key_lanes_py)
            finally:
                numba.config.CACHE_DIR = previous
    return _KEY_KERNEL


def _array_lanes(a: NDArray, backend: str | None = None) -> bytes | None:
    """Return the two sums of :func:`_key_lanes_py` of an array, as 16 bytes.

    None when the dtype has no unsigned view of its width (objects, strings of
    other widths, 16-byte numbers): the caller then hashes the bytes instead.
    """
    width = a.dtype.itemsize
    if a.dtype.hasobject or width not in (1, 2, 4, 8):
        return None
    try:
        u = a.view(f"u{width}")
    except (TypeError, ValueError):  # pragma: no cover - exotic structured dtypes
        return None
    if u.ndim == 2 and not u.flags.c_contiguous and u.flags.f_contiguous:
        # memory order is column by column: run j holds column j
        values, runs = u.T.reshape(-1), (u.shape[1], u.shape[0], 1, u.shape[1])
    else:
        values = np.ascontiguousarray(u).reshape(-1)  # a copy only if strided
        runs = (1, values.size, 0, 1)
    if _resolve_backend(backend) == "numba":
        s1, s2 = _key_kernel()(values, *runs)
    else:
        s1, s2 = _key_lanes_numpy(values, *runs)
    return np.array([s1, s2], dtype="<u8").tobytes()


def _digest(*parts, backend: str | None = None) -> str:
    """Key of arrays and small values for the cache: equal data, equal key.

    Every array contributes its dtype, its shape and a 128-bit hash of its values
    (:func:`_key_lanes_py`, compiled; a numpy twin gives the same key without
    numba). Each element is mixed with its logical (C-order) position ``p`` by the
    SplitMix64 finalizer into a 64-bit word ``m``; one lane sums the words and the
    other sums ``m * (2 p + 1)``, both modulo 2**64. A sum ignores the order of its
    terms, so the buffer is read once in memory order: C-ordered, Fortran-ordered,
    copied and sliced arrays of equal values get equal keys, without a copy (a
    strided slice is copied once).

    Why this hash: it runs at about 7 GB/s on one core (half the speed of numpy's
    ``sum``, five times SHA-256's 1.5 GB/s, ten times joblib's hasher, MD5 of a
    pickle stream; ``benchmarks/bench_memory_cache.py``), so keying a cached fit
    costs a small part of what it saves, and it needs no copy for Fortran order.
    One changed element always changes the key (the finalizer is a bijection and
    the position enters before it); other changes collide with a chance of about
    ``2**-128``, astronomically unlikely for data not crafted against the hash. It
    is not a cryptographic hash, and need not be: the key guards a local cache
    against stale results, not against an attacker.

    The key compares bit patterns, as the cache must never serve a result for data
    that differs in any bit: ``-0.0`` and ``0.0``, or NaNs with different payloads,
    give different keys (a miss only costs time). Object arrays go through joblib's
    hasher, arrays whose elements are not 1, 2, 4 or 8 bytes wide through BLAKE2 of
    their C-ordered bytes, and small values through their type and ``repr``.

    ``backend`` ({"numba", "numpy"} or None, the default) picks the kernel.
    """
    h = hashlib.blake2b(digest_size=32)
    for part in parts:
        if not isinstance(part, np.ndarray):
            h.update(f"{type(part).__name__}:{part!r};".encode())
            continue
        h.update(f"{part.dtype.str}{part.shape};".encode())
        if part.dtype.hasobject:
            h.update(joblib.hash(part).encode())
            continue
        lanes = _array_lanes(part, backend)
        if lanes is None:
            lanes = hashlib.blake2b(np.ascontiguousarray(part).data).digest()
        h.update(lanes)
    return h.hexdigest()


def _target_codes(y, discrete_target, weights, n_bins, strategy, random_state):
    """Codes of the target (labels, or bins of a continuous one) and their number."""
    if discrete_target:
        classes, y_codes = encode_labels(y)
    else:
        y_float = np.asarray(y, dtype=np.float64)[:, None]
        edges = _bin_edges(
            y_float,
            n_bins,
            "uniform" if strategy == "uniform" else "quantile",
            weights,
            None,
            0,
            random_state,
            None,
        )
        codes, levels = apply_bin_edges(y_float, edges)
        y_codes, classes = codes[:, 0].astype(np.intp), np.arange(levels[0])
    present = np.bincount(y_codes, weights=weights, minlength=classes.size) > 0
    if present.sum() < 2:
        raise ValueError(
            "y has only one class (one distinct value): its mutual information "
            "with any feature is 0, so there is nothing to select."
        )
    return y_codes, int(classes.size)


def _feature_codes(X, discrete, y_codes, n_y, weights, n_bins, strategy, seed, n_jobs):
    """Codes, numbers of levels and bin edges (None if discrete) of dense ``X``."""
    if strategy in ("quantile", "uniform") and X.shape[1] and not discrete.any():
        # edges and codes from the same passes over X (fit_bin_codes); the same
        # result as _bin_edges then _code_features
        n_eff = effective_n_samples(weights, X.shape[0])
        k = auto_n_bins(n_eff) if isinstance(n_bins, str) else int(n_bins)
        edges, codes, n_levels = fit_bin_codes(
            X, k, strategy, sample_weight=weights, random_state=seed, n_jobs=n_jobs
        )
        return codes, np.asarray(n_levels, dtype=np.intp), list(edges)
    cont = np.flatnonzero(~discrete)
    edges_cont = _bin_edges(
        X[:, cont] if discrete.any() else X,
        n_bins,
        strategy,
        weights,
        y_codes,
        n_y,
        seed,
        n_jobs,
    )
    codes, n_levels = _code_features(X, discrete, edges_cont, n_jobs)
    bin_edges = [None] * X.shape[1]
    for j, cuts in zip(cont, edges_cont, strict=True):
        bin_edges[j] = cuts
    return codes, n_levels, bin_edges


def _sparse_feature_codes(
    X, discrete, y_codes, n_y, weights, n_bins, strategy, seed, n_jobs
):
    """Bin edges and :class:`~skinfo._sparse.SparseCodes` of a CSC matrix.

    The same edges as :func:`_feature_codes` on ``X.toarray()``.
    """
    cont = np.flatnonzero(~discrete)
    bin_edges = [None] * X.shape[1]
    edges = [np.empty(0)] * X.shape[1]
    if cont.size and strategy == "mdlp":
        # MDLP places cuts by the classes, one dense column at a time
        columns = _SparseColumns(X)
        edges_cont = [
            _bin_edges(
                columns[:, j][:, None],
                n_bins,
                "mdlp",
                weights,
                y_codes,
                n_y,
                seed,
                None,
            )[0]
            for j in cont
        ]
    elif cont.size:
        part = X if cont.size == X.shape[1] else X[:, cont]
        n_eff = effective_n_samples(weights, X.shape[0])
        k = auto_n_bins(n_eff) if n_bins == "auto" else int(n_bins)
        edges_cont = sparse_bin_edges(
            part, k, strategy, sample_weight=weights, random_state=seed, n_jobs=n_jobs
        )
    else:
        edges_cont = []
    for j, cuts in zip(cont, edges_cont, strict=True):
        bin_edges[j] = edges[j] = cuts
    codes = code_sparse(X, edges, discrete=discrete, n_jobs=n_jobs)
    return codes, np.asarray(codes.n_levels, dtype=np.intp), bin_edges


def _dense_encoding(
    data_key,
    X,
    y,
    sample_weight,
    discrete,
    discrete_target,
    n_bins,
    strategy,
    random_state,
    n_jobs,
) -> dict:
    """Everything the binned fit computes before its path (pure; cacheable).

    ``data_key`` is a :func:`_digest` of ``X``, ``y`` and ``sample_weight``, which
    the cache hashes instead of them (None when nothing is cached).
    """
    y_codes, n_y = _target_codes(
        y, discrete_target, sample_weight, n_bins, strategy, random_state
    )
    codes, n_levels, bin_edges = _feature_codes(
        X, discrete, y_codes, n_y, sample_weight, n_bins, strategy, random_state, n_jobs
    )
    return {
        "y_codes": y_codes,
        "n_y": n_y,
        "codes": codes,
        "n_levels": n_levels,
        "bin_edges": _pack_edges(bin_edges),
        "constant": _constant_columns(X, codes, sample_weight),
    }


def _sparse_encoding(
    data_key,
    X,
    y,
    sample_weight,
    discrete,
    discrete_target,
    n_bins,
    strategy,
    random_state,
    n_jobs,
) -> dict:
    """:func:`_dense_encoding` of a lean CSC matrix (codes as ``SparseCodes``)."""
    y_codes, n_y = _target_codes(
        y, discrete_target, sample_weight, n_bins, strategy, random_state
    )
    codes, n_levels, bin_edges = _sparse_feature_codes(
        X, discrete, y_codes, n_y, sample_weight, n_bins, strategy, random_state, n_jobs
    )
    return {
        "y_codes": y_codes,
        "n_y": n_y,
        "codes": codes,
        "n_levels": n_levels,
        "bin_edges": _pack_edges(bin_edges),
        "constant": _sparse_constant_columns(codes, sample_weight),
    }


def _pack_edges(bin_edges: list) -> dict | list:
    """Bin edges as one flat array and lengths (-1 for None), for a fast cache.

    Unpickling thousands of small arrays costs more than the rest of a cached fit;
    one array of all the cuts loads in no time. Edges of mixed dtypes stay a list.
    """
    present = [e for e in bin_edges if e is not None]
    if len({e.dtype for e in present}) > 1:
        return bin_edges
    flat = np.concatenate(present) if present else np.empty(0)
    sizes = np.array([-1 if e is None else e.size for e in bin_edges], dtype=np.intp)
    return {"flat": flat, "sizes": sizes}


def _unpack_edges(packed: dict | list) -> list:
    """Inverse of :func:`_pack_edges`: a list of separate arrays and None."""
    if isinstance(packed, list):
        return packed
    flat, sizes = packed["flat"], packed["sizes"]
    stops = np.cumsum(np.maximum(sizes, 0))
    return [
        None if size < 0 else flat[stop - size : stop].copy()
        for size, stop in zip(sizes.tolist(), stops.tolist(), strict=True)
    ]


def _encode(memory, func, data: tuple, **params) -> dict:
    """Call an encoding through ``memory``, keyed by a digest of ``data``.

    ``data`` is ``(X, y, sample_weight)``; a sparse ``X`` is hashed by its arrays.
    The result holds, under ``"data_key"``, a key of the encoding itself (the
    data's digest with the encoding and its parameters; None when nothing is
    cached), which :func:`_keyed_binned_path` takes in place of the codes.
    """
    X, y, weights = data
    key = path_key = None
    if getattr(memory, "location", None) is not None:
        if sp.issparse(X):
            parts = (X.format, X.shape, X.data, X.indices, X.indptr)
        else:
            parts = (X,)
        key = _digest(*parts, y, weights)
        settings = {name: value for name, value in params.items() if name != "n_jobs"}
        path_key = joblib.hash((func.__name__, key, settings))
    cached = memory.cache(func, ignore=_ENCODING_IGNORE)
    out = dict(cached(data_key=key, X=X, y=y, sample_weight=weights, **params))
    out["bin_edges"] = _unpack_edges(out["bin_edges"])
    out["data_key"] = path_key
    return out


#: Arguments of :func:`_keyed_binned_path` that its ``data_key`` stands for: joblib
#: hashes the key instead of the codes (which are as large as ``X`` in bytes).
_CODED_IGNORE = ["codes", "n_levels", "y_codes", "sample_weight"]


def _keyed_binned_path(
    data_key,
    codes,
    n_levels,
    y_codes,
    n_y,
    sample_weight,
    criterion,
    beta,
    method,
    *,
    max_k,
    stop_alpha=None,
    resume=None,
    n_jobs=None,
) -> dict:
    """:func:`~skinfo._binned_greedy._binned_path`, cached under the encoding's key.

    ``data_key`` is the ``"data_key"`` of :func:`_encode`'s result, which determines
    ``codes``, ``n_levels``, ``y_codes`` and ``sample_weight``; cache it with
    ``ignore=_CODED_IGNORE`` (plus the path's own ignored arguments).
    """
    return _binned_path(
        codes,
        n_levels,
        y_codes,
        n_y,
        sample_weight,
        criterion,
        beta,
        method,
        max_k=max_k,
        stop_alpha=stop_alpha,
        resume=resume,
        n_jobs=n_jobs,
    )
