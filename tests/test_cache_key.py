"""The ``memory`` cache key: equal data, equal key; any changed bit, another key."""

import joblib
import joblib.hashing
import numpy as np
import pytest
import scipy.sparse as sp
from joblib import Memory
from numpy.testing import assert_array_equal
from sklearn.datasets import make_classification

import skinfo._binned_greedy as binned_module
import skinfo._selection_encoding as encoding_module
from skinfo import MIFeatureSelector
from skinfo._selection_encoding import _array_lanes, _digest

BACKENDS = ["numba", "numpy"]
MASK = (1 << 64) - 1


def _reference_lanes(a):
    """The two sums of the key, written out with Python integers modulo 2**64."""
    words = np.ascontiguousarray(a).reshape(-1).view(f"u{a.dtype.itemsize}")
    s1 = s2 = 0
    for p, v in enumerate(words.tolist()):
        x = v ^ ((p * 0x9E3779B97F4A7C15) & MASK)
        x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK
        x ^= x >> 31
        s1 = (s1 + x) & MASK
        s2 = (s2 + x * (2 * p + 1)) & MASK
    return np.array([s1, s2], dtype="<u8").tobytes()


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    "dtype", [np.float64, np.float32, np.int64, np.int32, np.int16, np.uint8, bool]
)
@pytest.mark.parametrize("order", ["C", "F"])
def test_key_sums_equal_the_written_out_formula(backend, dtype, order):
    rng = np.random.default_rng(0)
    a = np.asarray(rng.normal(size=(13, 7)) * 1000, dtype=dtype, order=order)
    assert _array_lanes(a, backend) == _reference_lanes(a)


def test_numpy_twin_equals_the_kernel_across_blocks(monkeypatch):
    rng = np.random.default_rng(1)
    monkeypatch.setattr(encoding_module, "_KEY_BLOCK", 50)  # runs cross block ends
    for a in (
        rng.normal(size=(37, 11)),
        np.asfortranarray(rng.normal(size=(37, 11))),
        rng.integers(0, 9, size=1001).astype(np.uint8),
        np.asfortranarray(rng.integers(-5, 5, size=(3, 90)).astype(np.int32)),
    ):
        assert _array_lanes(a, "numpy") == _array_lanes(a, "numba")
        assert _array_lanes(a, "numpy") == _reference_lanes(a)


@pytest.mark.parametrize("backend", BACKENDS)
def test_equal_values_give_equal_keys_whatever_the_layout(backend):
    rng = np.random.default_rng(2)
    a = rng.normal(size=(40, 9))
    key = _digest(a, None, backend=backend)
    assert _digest(a.copy(), None, backend=backend) == key
    assert _digest(np.asfortranarray(a), None, backend=backend) == key
    big = np.zeros((80, 20))
    big[::2, 3:12] = a  # a strided view of the same values
    assert _digest(big[::2, 3:12], None, backend=backend) == key
    assert _digest(np.asfortranarray(big)[::2, 3:12], None, backend=backend) == key
    y = rng.integers(0, 3, size=80)
    assert _digest(a, y[::2], backend=backend) == _digest(a, y[::2].copy())
    # one key for both backends, so a cache filled with numba serves without it
    assert _digest(a, y, backend="numba") == _digest(a, y, backend="numpy")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("order", ["C", "F"])
def test_every_single_changed_value_changes_the_key(backend, order):
    rng = np.random.default_rng(3)
    a = np.asarray(rng.normal(size=(12, 5)), order=order)
    key = _digest(a, backend=backend)
    keys = {key}
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            b = a.copy(order="K")
            b[i, j] = np.nextafter(b[i, j], np.inf)  # one unit in the last place
            keys.add(_digest(b, backend=backend))
    assert len(keys) == a.size + 1


@pytest.mark.parametrize("backend", BACKENDS)
def test_key_compares_bits_signed_zeros_and_nan_payloads(backend):
    # the cache may serve a result only for bit-identical data: -0.0 and 0.0, or
    # two NaNs with different payloads, are told apart (a miss costs only time)
    a = np.array([[0.0, 1.0], [np.nan, 2.0]])
    b = a.copy()
    b[0, 0] = -0.0
    c = a.copy()
    c.view(np.uint64)[1, 0] ^= 1  # another quiet NaN
    assert np.isnan(c[1, 0])
    keys = {_digest(m, backend=backend) for m in (a, b, c)}
    assert len(keys) == 3
    assert _digest(a.copy(), backend=backend) == _digest(a, backend=backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_key_sees_shape_dtype_order_of_values_and_each_part(backend):
    rng = np.random.default_rng(4)
    a = rng.normal(size=(6, 4))

    def key(*parts):
        return _digest(*parts, backend=backend)

    assert key(a) != key(a.reshape(4, 6))  # same bytes, another shape
    assert key(a) != key(a.T)  # same buffer, other logical positions
    assert key(a) != key(a.view(np.int64))  # same bits, another dtype
    assert key(a) != key(a[::-1])  # rows swapped
    swapped = a.copy()
    swapped[[0, 1], [0, 2]] = swapped[[1, 0], [2, 0]]  # two values trade places
    assert key(a) != key(swapped)
    assert key(a, None) != key(a, np.ones(6))  # y or weights given or not
    assert key(a, np.ones(6), None) != key(a, None, np.ones(6))
    assert key(a, None) != key(None, a)
    labels = np.array(["a", "b", "a"], dtype=object)
    assert key(labels) == key(labels.copy()) != key(np.array(["a", "b", "b"], object))
    text = np.array(["ab", "cd"])  # fixed-width strings: wider than 8 bytes
    assert key(text) == key(text.copy()) != key(np.array(["ab", "ce"]))


def _encoding_calls(monkeypatch):
    calls = []
    original = encoding_module._feature_codes

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(encoding_module, "_feature_codes", counted)
    return calls


def test_fortran_copy_of_the_data_hits_the_cache(tmp_path, monkeypatch):
    X, y = make_classification(n_samples=200, n_features=6, random_state=0)
    calls = _encoding_calls(monkeypatch)
    memory = Memory(tmp_path, verbose=0)
    first = MIFeatureSelector(3, memory=memory).fit(X, y)
    again = MIFeatureSelector(3, memory=memory).fit(np.asfortranarray(X), y)
    assert len(calls) == 1  # the same values in another layout: one binning
    assert_array_equal(again.ranking_, first.ranking_)
    assert_array_equal(again.scores_, MIFeatureSelector(3).fit(X, y).scores_)


@pytest.mark.parametrize("sparse", [False, True])
def test_cached_fit_hashes_no_array_as_large_as_the_data(tmp_path, monkeypatch, sparse):
    # joblib's hasher reads ~0.7 GB/s: the path is keyed by the encoding's key, so
    # a cached fit hands joblib small values only (the codes are n x d bytes)
    X, y = make_classification(n_samples=400, n_features=20, random_state=0)
    if sparse:
        X = sp.csr_matrix(np.where(X > 0.5, X, 0.0))
    memory = Memory(tmp_path, verbose=0)
    MIFeatureSelector(5, memory=memory).fit(X, y)
    hashed = []
    original = joblib.hashing.hash

    def spy(obj, *args, **kwargs):
        hashed.append(obj)
        return original(obj, *args, **kwargs)

    monkeypatch.setattr(joblib.hashing, "hash", spy)
    path_calls = []
    original_path = binned_module._binned_path

    def counted_path(*args, **kwargs):
        path_calls.append(1)
        return original_path(*args, **kwargs)

    monkeypatch.setattr(encoding_module, "_binned_path", counted_path, raising=False)
    cached = MIFeatureSelector(3, memory=memory).fit(X, y)
    assert hashed and not path_calls  # looked up, and found

    def largest(obj, depth=0):  # the largest array inside a hashed argument
        if isinstance(obj, np.ndarray):
            return obj.size
        if depth > 4 or isinstance(obj, str | bytes | int | float | type(None)):
            return 0
        if isinstance(obj, dict):
            items = obj.values()
        elif isinstance(obj, list | tuple):
            items = obj
        else:  # sparse codes and other containers
            items = getattr(obj, "__dict__", {}).values()
        return max((largest(v, depth + 1) for v in items), default=0)

    assert max(largest(obj) for obj in hashed) < 100
    fresh = MIFeatureSelector(3).fit(X, y)
    assert_array_equal(cached.ranking_, fresh.ranking_)
    assert_array_equal(cached.scores_, fresh.scores_)


@pytest.mark.parametrize(
    "a",
    [
        np.empty((0, 3)),
        np.empty(0),
        np.array(3.0),
        np.array(["2020-01-01", "2021-01-01"], dtype="datetime64[D]"),
        np.array([1 + 2j, 3 - 1j], dtype=np.complex64),
        np.array([1 + 2j, 3 - 1j]),  # 16 bytes wide: hashed as bytes
    ],
    ids=["empty-2d", "empty-1d", "0-d", "datetime64", "complex64", "complex128"],
)
def test_key_of_unusual_arrays_is_stable_and_backend_free(a):
    key = _digest(a, backend="numba")
    assert _digest(a.copy(), backend="numba") == key == _digest(a, backend="numpy")
    if a.size:
        changed = a.copy()
        changed.reshape(-1)[0] = changed.reshape(-1)[-1 if a.size > 1 else 0] + 1
        assert _digest(changed) != key
    assert _digest(np.empty((0, 3))) != _digest(np.empty((3, 0)))
