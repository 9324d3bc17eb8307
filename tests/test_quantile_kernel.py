"""The compiled quantile kernel gives exactly the cuts (and codes) of the sort rule.

The reference is the per-column rule: sort the non-NaN values of a column with
``np.sort`` and apply ``sorted_column_cuts``; codes are ``searchsorted`` on the cuts,
NaN after the last bin. Small kernel settings (few buckets, a tiny sample, no minimum
number of rows) push every column through the bucket path and its hand-backs.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skinfo._binning import (
    _kernel_quantile_edges,
    apply_bin_edges,
    fit_bin_codes,
    fit_bin_edges,
    smallest_uint,
    sorted_column_cuts,
)
from skinfo._counting import QUANTILE_MIN_ROWS, numba_enabled, quantile_codes

METHODS = ["averaged_inverted_cdf", "inverted_cdf"]
BACKENDS = ["numpy", *(["numba"] if numba_enabled() else [])]
#: Kernel settings that stress the bucket path on small data.
TIGHT = [
    {"min_rows": 0, "n_sample": 4, "n_buckets": 4},
    {"min_rows": 0, "n_sample": 16, "n_buckets": 16},
    {"min_rows": 0, "n_sample": 64, "n_buckets": 256, "group": 3},
    {},
]


def reference_edges(X, n_bins, method):
    n_bins = np.broadcast_to(np.asarray(n_bins, dtype=np.intp), (X.shape[1],))
    edges = []
    for j, k in enumerate(n_bins):
        column = X[:, j]
        edges.append(
            sorted_column_cuts(np.sort(column[~np.isnan(column)]), None, k, method)
        )
    return edges


def reference_codes(X, edges):
    codes = np.empty(X.shape, dtype=np.int64)
    for j, cuts in enumerate(edges):
        codes[:, j] = np.searchsorted(cuts, X[:, j], side="right")
        codes[np.isnan(X[:, j]), j] = cuts.size + 1
    n_levels = np.array(
        [c.size + 1 + bool(np.isnan(X[:, j]).any()) for j, c in enumerate(edges)]
    )
    return codes, n_levels


def assert_same_edges(got, expected):
    assert len(got) == len(expected)
    for j, (a, b) in enumerate(zip(got, expected, strict=True)):
        assert a.dtype == np.float64
        np.testing.assert_array_equal(a, b, err_msg=f"column {j}")
        np.testing.assert_array_equal(np.signbit(a), np.signbit(b), err_msg=f"col {j}")


def check_kernel(X, n_bins, method, backend, options, n_jobs=1):
    expected = reference_edges(X, n_bins, method)
    exp_codes, exp_levels = reference_codes(X, expected)
    ks = np.broadcast_to(np.asarray(n_bins, dtype=np.intp), (X.shape[1],))
    for order in ("C", "F"):
        Xo = np.asarray(X, order=order)
        edges, codes, n_levels = _kernel_quantile_edges(
            Xo, ks, method, n_jobs, with_codes=True, backend=backend, **options
        )
        assert_same_edges(edges, expected)
        assert codes.flags.f_contiguous
        widest = max((e.size for e in expected), default=0) + 2
        assert codes.dtype == smallest_uint(widest)
        np.testing.assert_array_equal(codes, exp_codes)
        np.testing.assert_array_equal(n_levels, exp_levels)
        only, none, levels = _kernel_quantile_edges(
            Xo, ks, method, n_jobs, backend=backend, **options
        )
        assert none is None
        assert_same_edges(only, expected)
        np.testing.assert_array_equal(levels, exp_levels)


def awkward_columns(n, seed=0):
    """Columns covering every branch: ties, mass points, NaN, inf, zeros, huge."""
    rng = np.random.default_rng(seed)
    normal = rng.normal(size=n)
    columns = [
        normal,
        rng.integers(0, 3, size=n).astype(float),  # levels on ties
        np.where(rng.random(n) < 0.7, 0.0, rng.exponential(size=n)),  # mass point
        np.where(rng.random(n) < 0.2, np.nan, normal),
        np.full(n, np.nan),
        np.full(n, 2.5),
        np.where(rng.random(n) < 0.1, np.inf, normal),
        np.where(rng.random(n) < 0.1, -np.inf, normal),
        np.where(rng.random(n) < 0.5, -0.0, 0.0),
        np.where(rng.random(n) < 0.3, -0.0, np.round(normal)),
        rng.uniform(-1, 1, size=n) * 1.7e308,  # spans overflow the bucket map
        np.r_[np.arange(n - 1), np.nan][rng.permutation(n)],
        rng.standard_cauchy(size=n),  # heavy tails: most buckets empty
        np.where(rng.random(n) < 0.1, 1e300, normal),  # far outliers
        rng.integers(-5, 50, size=n).astype(float),  # int-valued floats
        np.sort(normal),  # sorted rows: a biased evenly spaced sample
        normal * 1e-310,  # subnormal values
        rng.lognormal(sigma=3, size=n),
    ]
    columns += [rng.normal(size=n) for _ in range(7)]
    return np.column_stack(columns)


CASES = [("numpy", {})] + [("numba", o) for o in TIGHT if numba_enabled()]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(("backend", "options"), CASES, ids=str)
@pytest.mark.parametrize("n", [1, 2, 7, 16, 1000, 4099])
def test_kernel_equals_sort_rule_on_awkward_columns(n, backend, options, method):
    X = awkward_columns(n, seed=n)
    n_bins = 2 + np.arange(X.shape[1]) % 15
    n_bins[0] = 1  # one bin: no cuts
    check_kernel(X, n_bins, method, backend, options)


@pytest.mark.skipif(not numba_enabled(), reason="needs numba")
def test_kernel_with_many_bins_writes_wide_codes():
    X = np.random.default_rng(2).standard_normal((20_000, 5))
    X[:, 4] = np.round(X[:, 4], 2)  # ties at some of the levels
    check_kernel(X, 300, METHODS[0], "numba", {})
    check_kernel(X, 300, METHODS[1], "numba", {"group": 2})


@pytest.mark.skipif(not numba_enabled(), reason="needs numba")
def test_row_kernel_blocks_of_columns_give_the_same_result(monkeypatch):
    import skinfo._counting as counting

    X = awkward_columns(3000, seed=9)
    monkeypatch.setattr(counting, "QUANTILE_ROW_KERNEL_COLUMNS", 4)
    check_kernel(X, 2 + np.arange(X.shape[1]) % 15, METHODS[0], "numba", TIGHT[1])


@pytest.mark.skipif(not numba_enabled(), reason="needs numba")
@pytest.mark.parametrize("n_jobs", [1, 2])
def test_kernel_equals_sort_rule_on_a_benchmark_shaped_matrix(n_jobs):
    # the benchmark's data (standard normal, 16 bins) at full length, fewer columns
    X = np.random.default_rng(0).standard_normal((100_000, 20))
    check_kernel(X, 16, METHODS[0], "numba", {}, n_jobs=n_jobs)


@pytest.mark.skipif(not numba_enabled(), reason="needs numba")
def test_kernel_places_the_common_columns_itself():
    # The hand-back to the sort rule is for awkward columns only: continuous data
    # (with NaN and outliers) must not fall back, else the kernel saves nothing.
    rng = np.random.default_rng(1)
    X = rng.standard_normal((QUANTILE_MIN_ROWS + 1000, 12))
    X[::9, 1] = np.nan
    X[::50, 2] = 1e12
    X[:, 3] = rng.exponential(size=X.shape[0])
    for order in ("C", "F"):
        _, n_out, n_nan, _ = quantile_codes(
            np.asarray(X, order=order), np.full(12, 16), True, codes_dtype=np.uint8
        )
        np.testing.assert_array_equal(n_out, 15)
        np.testing.assert_array_equal(n_nan, np.isnan(X).sum(axis=0))


@pytest.mark.skipif(not numba_enabled(), reason="needs numba")
@pytest.mark.parametrize("method", METHODS)
def test_kernel_and_numpy_twin_agree_where_both_place_cuts(method):
    X = awkward_columns(5000, seed=3)
    ks = 2 + np.arange(X.shape[1]) % 15
    averaged = method == METHODS[0]
    for order in ("C", "F"):
        Xo = np.asarray(X, order=order)
        got = quantile_codes(Xo, ks, averaged, codes_dtype=np.uint8, min_rows=0)
        twin = quantile_codes(Xo, ks, averaged, codes_dtype=np.uint8, backend="numpy")
        np.testing.assert_array_equal(got[2], twin[2])  # NaN counts
        # the twin hands back only what the rule needs; the kernel may add some
        assert np.all((twin[1] >= 0) | (got[1] < 0))
        both = np.flatnonzero((got[1] >= 0) & (twin[1] >= 0))
        assert both.size >= 10
        for j in both:
            np.testing.assert_array_equal(got[0][j], twin[0][j])
            np.testing.assert_array_equal(got[3][:, j], twin[3][:, j])


VALUES = st.sampled_from(
    [0.0, -0.0, 1.0, -1.5, 2.0, 2.0, 3.0, 1e-300, 5e-324, 1e308, -1e308, np.nan,
     np.inf, -np.inf, 7.0, 0.5]
)  # fmt: skip


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.one_of(VALUES, st.floats(-1e6, 1e6), st.integers(-20, 20).map(float)),
        min_size=1,
        max_size=120,
    ),
    st.integers(1, 20),
    st.sampled_from(TIGHT[:3]),
    st.sampled_from(METHODS),
)
def test_kernel_equals_sort_rule_on_drawn_columns(values, k, options, method):
    column = np.asarray(values, dtype=np.float64)
    X = np.column_stack([column, column[::-1], -column, np.round(column)])
    for backend in BACKENDS:
        check_kernel(X, k, method, backend, options)


@pytest.mark.skipif(not numba_enabled(), reason="needs numba")
@settings(max_examples=25, deadline=None)
@given(
    st.integers(0, 2**32 - 1),
    st.sampled_from(["normal", "ties", "mass", "nan", "wide"]),
    st.integers(2, 40),
)
def test_kernel_equals_sort_rule_on_long_drawn_columns(seed, kind, k):
    rng = np.random.default_rng(seed)
    n = QUANTILE_MIN_ROWS + int(rng.integers(0, 3000))
    x = rng.standard_normal(n)
    if kind == "ties":
        x = np.round(x * rng.integers(1, 50)) / 7
    elif kind == "mass":
        x[rng.random(n) < rng.uniform(0.01, 0.5)] = rng.choice([0.0, 1.0, -2.0])
    elif kind == "nan":
        x[rng.random(n) < rng.uniform(0, 0.9)] = np.nan
    else:
        x = x * 10.0 ** rng.integers(-300, 300)
    X = np.column_stack([x, x[::-1], np.abs(x)])
    check_kernel(X, k, METHODS[int(rng.integers(2))], "numba", {})


@pytest.mark.parametrize("method", METHODS)
def test_fit_bin_edges_equals_sort_rule_above_the_kernel_threshold(method):
    X = awkward_columns(QUANTILE_MIN_ROWS + 7, seed=5)
    n_bins = 2 + np.arange(X.shape[1]) % 15
    expected = reference_edges(X, n_bins, method)
    for order in ("C", "F"):
        Xo = np.asarray(X, order=order)
        got = fit_bin_edges(Xo, n_bins, "quantile", quantile_method=method)
        assert_same_edges(got, expected)
    view = X[::-1, ::2]  # neither C- nor F-contiguous
    got = fit_bin_edges(view, 9, "quantile", quantile_method=method, n_jobs=2)
    assert_same_edges(got, reference_edges(view, 9, method))


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")  # inf, "linear"
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"quantile_method": "inverted_cdf"},
        {"quantile_method": "linear"},
        {"strategy": "uniform"},
        {"sample_weight": "random"},
        {"subsample": 3000, "random_state": 0},
        {"n_bins": "auto"},
        {"n_bins": 200},
        {"n_bins": 300},  # above QUANTILE_MAX_BINS: the sort rule; uint16 codes
    ],
    ids=str,
)
def test_fit_bin_codes_equals_edges_then_codes(kwargs):
    kwargs = dict(kwargs)
    X = awkward_columns(QUANTILE_MIN_ROWS + 11, seed=2)
    if kwargs.get("sample_weight") == "random":
        kwargs["sample_weight"] = np.random.default_rng(0).integers(0, 3, X.shape[0])
        kwargs["sample_weight"] = kwargs["sample_weight"].astype(float)
    strategy = kwargs.pop("strategy", "quantile")
    n_bins = kwargs.pop("n_bins", 16)
    for order in ("C", "F"):
        Xo = np.asarray(X, order=order)
        X_before = Xo.copy()
        edges, codes, n_levels = fit_bin_codes(Xo, n_bins, strategy, **kwargs)
        np.testing.assert_array_equal(Xo, X_before)  # input untouched
        expected = fit_bin_edges(Xo, n_bins, strategy, **kwargs)
        exp_codes, exp_levels = apply_bin_edges(Xo, expected)
        assert_same_edges(edges, expected)
        assert codes.dtype == exp_codes.dtype and codes.flags.f_contiguous
        np.testing.assert_array_equal(codes, exp_codes)
        np.testing.assert_array_equal(n_levels, exp_levels)


def test_fit_bin_codes_falls_back_without_numba(monkeypatch):
    monkeypatch.setenv("SKINFO_DISABLE_NUMBA", "1")
    X = awkward_columns(QUANTILE_MIN_ROWS + 3, seed=4)
    edges, codes, n_levels = fit_bin_codes(X, 11, "quantile")
    expected = reference_edges(X, 11, METHODS[0])
    assert_same_edges(edges, expected)
    exp_codes, exp_levels = reference_codes(X, expected)
    np.testing.assert_array_equal(codes, exp_codes)
    np.testing.assert_array_equal(n_levels, exp_levels)


@pytest.mark.parametrize("strategy", ["quantile", "uniform"])
@pytest.mark.parametrize("weighted", [False, True])
def test_selector_encoding_takes_the_fused_path_with_the_same_result(
    strategy, weighted
):
    # the selector's codes from fit_bin_codes equal edges then codes, exactly
    from skinfo._selection_encoding import _bin_edges, _code_features, _feature_codes

    rng = np.random.default_rng(7)
    X = rng.standard_cauchy(size=(6000, 7))
    X[rng.random(X.shape) < 0.05] = np.nan
    X[:, 3] = np.round(X[:, 3])  # ties
    w = rng.integers(0, 4, size=6000).astype(float) if weighted else None
    discrete = np.zeros(7, dtype=bool)
    codes, n_levels, edges = _feature_codes(
        X, discrete, None, 1, w, "auto", strategy, 0, None
    )
    ref_edges = _bin_edges(X, "auto", strategy, w, None, 1, 0, None)
    ref_codes, ref_levels = _code_features(X, discrete, ref_edges, None)
    assert codes.dtype == ref_codes.dtype and codes.flags.f_contiguous
    np.testing.assert_array_equal(codes, ref_codes)
    np.testing.assert_array_equal(n_levels, ref_levels)
    for a, b in zip(edges, ref_edges, strict=True):
        np.testing.assert_array_equal(a, b)
