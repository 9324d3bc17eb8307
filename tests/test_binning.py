import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skinfo._binning import (
    QUANTILE_METHODS,
    apply_bin_edges,
    auto_n_bins,
    check_sample_weight,
    check_target_length,
    combine_codes,
    effective_n_samples,
    encode_labels,
    encode_rows,
    fit_bin_edges,
    resolve_discrete_features,
    smallest_uint,
    sorted_column_cuts,
)
from skinfo._input import (
    auto_discrete_mask,
    check_no_text,
)


@pytest.fixture
def X():
    rng = np.random.default_rng(0)
    return rng.normal(size=(500, 4))


@pytest.mark.parametrize("strategy", ["quantile", "uniform"])
def test_edges_strictly_increasing_and_inside_range(X, strategy):
    edges = fit_bin_edges(X, 8, strategy)
    assert len(edges) == X.shape[1]
    for j, cuts in enumerate(edges):
        assert cuts.size == 7
        assert np.all(np.diff(cuts) > 0)
        assert cuts.min() > X[:, j].min() and cuts.max() <= X[:, j].max()


@pytest.mark.parametrize("method", QUANTILE_METHODS)
@pytest.mark.parametrize("n_samples", [500, 501, 7])
def test_quantile_edges_match_numpy_quantile(method, n_samples):
    X = np.random.default_rng(n_samples).normal(size=(n_samples, 3))
    edges = fit_bin_edges(X, 5, "quantile", quantile_method=method)
    for cuts, column in zip(edges, X.T, strict=True):
        expected = np.quantile(column, [0.2, 0.4, 0.6, 0.8], method=method)
        # a cut at the minimum would open an empty first bin, so it is dropped
        expected = np.unique(expected[expected > column.min()])
        np.testing.assert_array_equal(cuts, expected)


def test_default_quantile_method_is_kbins_default():
    from sklearn.preprocessing import KBinsDiscretizer

    X = np.random.default_rng(3).normal(size=(301, 2))
    kbins = KBinsDiscretizer(n_bins=6, strategy="quantile", encode="ordinal").fit(X)
    edges = fit_bin_edges(X, 6, "quantile")
    for cuts, kb_edges in zip(edges, kbins.bin_edges_, strict=True):
        np.testing.assert_allclose(cuts, kb_edges[1:-1], rtol=1e-15)


def test_quantile_nan_rows_are_ignored_by_every_method():
    x = np.r_[np.arange(10.0), [np.nan] * 4][:, None]
    for method in QUANTILE_METHODS:
        cuts = fit_bin_edges(x, 4, "quantile", quantile_method=method)[0]
        expected = np.quantile(np.arange(10.0), [0.25, 0.5, 0.75], method=method)
        np.testing.assert_array_equal(cuts, expected)


def test_unknown_quantile_method_raises(X):
    with pytest.raises(ValueError, match="quantile_method must be one of"):
        fit_bin_edges(X, 4, "quantile", quantile_method="magic")
    with pytest.raises(ValueError, match="sample_weight with quantile bins"):
        fit_bin_edges(
            X, 4, "quantile", sample_weight=np.ones(len(X)), quantile_method="linear"
        )


def test_uniform_edges_are_linspace(X):
    for cuts, column in zip(fit_bin_edges(X, 7, "uniform"), X.T, strict=True):
        expected = np.linspace(column.min(), column.max(), 8)[1:-1]
        np.testing.assert_array_equal(cuts, expected)


def test_uniform_width_does_not_overflow():
    # hi - lo = inf in floats: every value used to land in one bin.
    x = np.array([-1.7e308, -1e308, -1.0, 1.0, 1e308, 1.7e308])[:, None]
    cuts = fit_bin_edges(x, 2, "uniform")[0]
    np.testing.assert_array_equal(cuts, [0.0])
    cuts4 = fit_bin_edges(x, 4, "uniform")[0]
    np.testing.assert_allclose(cuts4, [-0.85e308, 0.0, 0.85e308])
    codes, _ = apply_bin_edges(x, [cuts])
    np.testing.assert_array_equal(codes[:, 0], [0, 0, 0, 1, 1, 1])


def test_zero_inflated_column_keeps_its_mass_point_and_splits_the_rest():
    # 97% zeros: every quantile level falls on 0, which used to leave one bin.
    rng = np.random.default_rng(0)
    x = np.zeros(1000)
    x[:30] = rng.exponential(size=30) + 1.0
    cuts = fit_bin_edges(x[:, None], 5, "quantile")[0]
    assert cuts.size == 4
    codes, _ = apply_bin_edges(x[:, None], [cuts])
    counts = np.bincount(codes[:, 0])
    assert counts[0] == 970  # the zeros, alone
    # the other values get the quantile bins of their own distribution
    rest = np.sort(x[:30])
    np.testing.assert_array_equal(
        cuts[1:], np.quantile(rest, [0.25, 0.5, 0.75], method="averaged_inverted_cdf")
    )
    assert counts[1:].min() >= 7


def test_mass_point_in_the_middle_gets_its_own_bin():
    x = np.r_[np.arange(10.0), np.full(80, 10.0), np.arange(11.0, 21.0)][:, None]
    cuts = fit_bin_edges(x, 4, "quantile")[0]
    codes, _ = apply_bin_edges(x, [cuts])
    assert np.unique(codes[x[:, 0] == 10.0]).size == 1
    assert np.count_nonzero(codes[:, 0] == codes[10, 0]) == 80
    # the one cut left is shared by the stretches below and above the mass point
    np.testing.assert_array_equal(cuts, [4.5, 9.5, 10.5])


def test_mass_point_binning_never_gives_more_bins_and_isolates_zeros():
    rng = np.random.default_rng(1)
    for k in range(2, 9):
        for share in (0.3, 0.6, 0.95):
            n = 200
            x = np.where(rng.random(n) < share, 0.0, rng.integers(1, 5, size=n) * 1.0)
            cuts = fit_bin_edges(x[:, None], k, "quantile")[0]
            assert 1 <= cuts.size <= k - 1
            if np.mean(x == 0.0) > 1 / k:  # a mass point: the zeros get a bin alone
                codes, _ = apply_bin_edges(x[:, None], [cuts])
                assert np.all(codes[x == 0.0, 0] == 0)
                assert np.all(codes[x != 0.0, 0] > 0)


@pytest.mark.parametrize("method", ["averaged_inverted_cdf", "inverted_cdf"])
@pytest.mark.parametrize("scale", [1e-3, 0.1, 1 / 3, 0.7, 1.0])
def test_weighted_quantiles_do_not_depend_on_the_weights_scale(X, method, scale):
    w = np.random.default_rng(5).uniform(0.1, 1.0, size=len(X))
    base = fit_bin_edges(X, 6, "quantile", sample_weight=w, quantile_method=method)
    scaled = fit_bin_edges(
        X, 6, "quantile", sample_weight=w * scale, quantile_method=method
    )
    for a, b in zip(base, scaled, strict=True):
        np.testing.assert_array_equal(a, b)
    unit = fit_bin_edges(X, 6, "quantile", sample_weight=np.full(len(X), scale))
    for a, b in zip(unit, fit_bin_edges(X, 6, "quantile"), strict=True):
        np.testing.assert_array_equal(a, b)


def test_normalised_weights_keep_the_auto_bin_count(X):
    w = np.full(len(X), 1.0 / len(X))
    for strategy in ("quantile", "uniform"):
        edges = fit_bin_edges(X, "auto", strategy, sample_weight=w)
        assert all(cuts.size == auto_n_bins(len(X)) - 1 for cuts in edges)
    assert effective_n_samples(w, len(X)) == len(X)
    assert effective_n_samples(np.full(len(X), 3.0), len(X)) == 3 * len(X)
    assert effective_n_samples(None, 7) == 7


@pytest.mark.parametrize(
    "weights",
    [np.array([1e300, 1e-300] * 50), np.full(100, 1e20), np.full(100, 1e-300)],
    ids=["alternating", "huge", "tiny"],
)
def test_extreme_weights_give_finite_sensible_cuts(weights):
    x = np.arange(100.0)[:, None]
    cuts = fit_bin_edges(x, 4, "quantile", sample_weight=weights)[0]
    assert np.all(np.isfinite(cuts)) and np.all(np.diff(cuts) > 0)
    if weights[0] == weights[1]:  # equal weights: the unweighted quantiles
        np.testing.assert_array_equal(cuts, fit_bin_edges(x, 4, "quantile")[0])
    else:  # only the heavy (even) rows count
        expected = fit_bin_edges(x[::2], 4, "quantile")[0]
        np.testing.assert_array_equal(cuts, expected)


def test_uniform_edges_are_equal_width():
    X = np.array([[0.0], [1.0], [4.0]])
    np.testing.assert_allclose(fit_bin_edges(X, 4, "uniform")[0], [1.0, 2.0, 3.0])


def test_quantile_bins_hold_equal_counts(X):
    edges = fit_bin_edges(X, 5, "quantile")
    codes, n_levels = apply_bin_edges(X, edges)
    for j in range(X.shape[1]):
        np.testing.assert_array_equal(np.bincount(codes[:, j]), [100] * 5)
    np.testing.assert_array_equal(n_levels, 5)


def test_constant_feature_gets_single_bin():
    X = np.column_stack([np.full(10, 3.0), np.arange(10.0)])
    edges = fit_bin_edges(X, 4, "quantile")
    assert edges[0].size == 0
    codes, n_levels = apply_bin_edges(X, edges)
    assert np.all(codes[:, 0] == 0)
    assert n_levels[0] == 1


def test_tied_quantiles_are_merged():
    x = np.r_[np.zeros(90), np.arange(1.0, 11.0)][:, None]
    cuts = fit_bin_edges(x, 10, "quantile")[0]
    assert np.all(np.diff(cuts) > 0)
    assert np.all(cuts > 0)  # a cut at the minimum would leave an empty first bin


def test_nan_ignored_for_edges_and_gets_own_code():
    x = np.array([0.0, 1.0, 2.0, 3.0, np.nan, np.nan])[:, None]
    edges = fit_bin_edges(x, 2, "quantile")
    np.testing.assert_allclose(edges[0], [1.5])
    codes, n_levels = apply_bin_edges(x, edges)
    np.testing.assert_array_equal(codes[:, 0], [0, 0, 1, 1, 2, 2])
    assert n_levels[0] == 3


def test_all_nan_column_gets_one_bin_plus_nan_code():
    x = np.full((4, 1), np.nan)
    edges = fit_bin_edges(x, 3, "uniform")
    assert edges[0].size == 0
    codes, n_levels = apply_bin_edges(x, edges)
    np.testing.assert_array_equal(codes[:, 0], 1)
    assert n_levels[0] == 2


def test_unseen_values_land_in_end_bins(X):
    edges = fit_bin_edges(X, 4, "uniform")
    new = np.vstack([X.min(axis=0) - 100, X.max(axis=0) + 100])
    codes, _ = apply_bin_edges(new, edges)
    np.testing.assert_array_equal(codes[0], 0)
    np.testing.assert_array_equal(codes[1], 3)


def test_codes_follow_searchsorted_right(X):
    edges = fit_bin_edges(X, 6, "quantile")
    codes, _ = apply_bin_edges(X, edges)
    for j, cuts in enumerate(edges):
        np.testing.assert_array_equal(
            codes[:, j], np.searchsorted(cuts, X[:, j], side="right")
        )
    # a value exactly on a cut goes to the upper bin
    on_cut, _ = apply_bin_edges(np.array([[edges[0][0]]]), edges[:1])
    assert on_cut[0, 0] == 1


def test_codes_dtype_and_layout(X):
    codes, _ = apply_bin_edges(X, fit_bin_edges(X, 8, "quantile"))
    assert codes.dtype == np.uint8
    assert codes.flags.f_contiguous
    wide, _ = apply_bin_edges(X[:, :1], [np.linspace(-3, 3, 300)])
    assert wide.dtype == np.uint16


def test_subsample_is_deterministic_and_close():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(20_000, 2))
    a = fit_bin_edges(X, 4, "quantile", subsample=5000, random_state=0)
    b = fit_bin_edges(X, 4, "quantile", subsample=5000, random_state=0)
    full = fit_bin_edges(X, 4, "quantile", subsample=None)
    for ea, eb, ef in zip(a, b, full, strict=True):
        np.testing.assert_array_equal(ea, eb)
        np.testing.assert_allclose(ea, ef, atol=0.05)


def test_n_jobs_does_not_change_edges(X):
    one = fit_bin_edges(X, 7, "quantile", n_jobs=1)
    two = fit_bin_edges(X, 7, "quantile", n_jobs=2)
    for a, b in zip(one, two, strict=True):
        np.testing.assert_array_equal(a, b)


def test_per_column_and_auto_n_bins(X):
    edges = fit_bin_edges(X, [2, 3, 4, 5], "uniform")
    assert [e.size for e in edges] == [1, 2, 3, 4]
    assert all(
        e.size == auto_n_bins(500) - 1 for e in fit_bin_edges(X, "auto", "uniform")
    )
    assert auto_n_bins(1) == 2 and auto_n_bins(1000) == 10 and auto_n_bins(10**7) == 16


def test_bad_strategy_raises(X):
    with pytest.raises(ValueError, match="strategy"):
        fit_bin_edges(X, 4, "kmeans")


def test_inputs_not_modified(X):
    before = X.copy()
    apply_bin_edges(X, fit_bin_edges(X, 4, "quantile"))
    np.testing.assert_array_equal(X, before)


def test_smallest_uint():
    assert smallest_uint(256) == np.uint8
    assert smallest_uint(257) == np.uint16
    assert smallest_uint(70_000) == np.uint32


@pytest.mark.parametrize(
    "y, classes, codes",
    [
        ([3, 1, 3, 2], [1, 2, 3], [2, 0, 2, 1]),
        (["b", "a", "b"], ["a", "b"], [1, 0, 1]),
        ([True, False, True], [False, True], [1, 0, 1]),
    ],
)
def test_encode_labels(y, classes, codes):
    got_classes, got_codes = encode_labels(y)
    assert list(got_classes) == classes
    np.testing.assert_array_equal(got_codes, codes)
    assert got_codes.dtype == np.intp


def test_encode_labels_missing_is_its_own_last_code():
    classes, codes = encode_labels(np.array(["b", None, "a"], dtype=object))
    assert list(classes[:2]) == ["a", "b"] and pd.isna(classes[2])
    np.testing.assert_array_equal(codes, [1, 2, 0])
    classes, codes = encode_labels([2.0, np.nan, 1.0, np.nan])
    np.testing.assert_array_equal(codes, [1, 2, 0, 2])


def test_encode_labels_categorical_and_mixed_types():
    cat = pd.Series(pd.Categorical(["lo", "hi", "lo"], categories=["lo", "hi"]))
    classes, codes = encode_labels(cat)
    assert len(classes) == 2 and codes[0] == codes[2] != codes[1]
    classes, codes = encode_labels(np.array([1, "a", 1], dtype=object))
    assert codes[0] == codes[2] != codes[1]


def test_combine_codes_is_a_bijection_on_pairs():
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, 5, 1000), rng.integers(0, 7, 1000)
    joint, size = combine_codes(a, 5, b, 7)
    assert size == 35
    pairs = {(x, y): c for x, y, c in zip(a, b, joint, strict=True)}
    assert len(set(pairs.values())) == len(pairs)


def test_combine_codes_densifies_huge_spaces():
    a = np.array([0, 10**6, 0, 5])
    b = np.array([10**6, 0, 10**6, 5])
    joint, size = combine_codes(a, 10**6 + 1, b, 10**6 + 1)
    assert size == 3
    np.testing.assert_array_equal(joint, [0, 2, 0, 1])


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 2)), min_size=1
    )
)
def test_encode_rows_codes_equal_iff_rows_equal(rows):
    codes = np.array(rows)
    joint, size = encode_rows(codes, [4, 4, 3])
    assert joint.max() < size
    for i in range(len(rows)):
        same_row = np.all(codes == codes[i], axis=1)
        np.testing.assert_array_equal(joint == joint[i], same_row)


@pytest.mark.parametrize("strategy", ["quantile", "uniform"])
def test_integer_weights_give_the_edges_of_repeated_rows(strategy):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(200, 3))
    X[::9, 1] = np.nan
    reps = rng.integers(0, 4, size=200)
    weighted = fit_bin_edges(X, 6, strategy, sample_weight=reps.astype(float))
    repeated = fit_bin_edges(np.repeat(X, reps, axis=0), 6, strategy)
    for a, b in zip(weighted, repeated, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_unit_weights_change_nothing(X):
    plain = fit_bin_edges(X, 5, "quantile")
    ones = fit_bin_edges(X, 5, "quantile", sample_weight=np.ones(X.shape[0]))
    for a, b in zip(plain, ones, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_check_sample_weight():
    X = np.zeros((3, 2))
    assert check_sample_weight(None, X) is None
    np.testing.assert_array_equal(check_sample_weight([1, 2, 3], X), [1.0, 2.0, 3.0])
    for bad, match in [
        ([1, -1, 1], "Negative"),
        ([0, 0, 0], "sample_weight is zero for every row"),
        ([1, 2], "shape"),
        ([1, np.nan, 1], "NaN"),
    ]:
        with pytest.raises(ValueError, match=match):
            check_sample_weight(bad, X)


def test_auto_discrete_mask():
    frame = pd.DataFrame(
        {
            "f": [0.5, 1.5],
            "i": [1, 2],
            "b": [True, False],
            "c": pd.Categorical(["a", "b"]),
        }
    )
    np.testing.assert_array_equal(auto_discrete_mask(frame), [False, True, True, True])
    np.testing.assert_array_equal(auto_discrete_mask(np.ones((2, 3), int)), [1, 1, 1])
    np.testing.assert_array_equal(auto_discrete_mask(np.ones((2, 3))), [0, 0, 0])
    np.testing.assert_array_equal(auto_discrete_mask([[1, 2], [3, 4]]), [1, 1])


@pytest.mark.parametrize(
    "spec, expected",
    [
        (None, [0, 0, 0]),
        (False, [0, 0, 0]),
        (True, [1, 1, 1]),
        ("auto", [0, 1, 0]),
        ([True, False, True], [1, 0, 1]),
        ([0, -1], [1, 0, 1]),
        (["b"], [0, 1, 0]),
        ([], [0, 0, 0]),
    ],
)
def test_resolve_discrete_features(spec, expected):
    mask = resolve_discrete_features(
        spec, 3, auto_mask=[False, True, False], feature_names=["a", "b", "c"]
    )
    np.testing.assert_array_equal(mask, np.array(expected, dtype=bool))


@pytest.mark.parametrize(
    "spec, error, match",
    [
        ([True], ValueError, "boolean mask"),
        ([5], ValueError, "indices"),
        (["zz"], ValueError, "unknown"),
        ([[0, 1]], ValueError, "1-D"),
        ([0.5], TypeError, "dtype"),
    ],
)
def test_resolve_discrete_features_errors(spec, error, match):
    with pytest.raises(error, match=match):
        resolve_discrete_features(
            spec, 3, auto_mask=False, feature_names=["a", "b", "c"]
        )


def test_check_no_text():
    check_no_text(np.ones((2, 2)))
    check_no_text(np.ones((2, 2), dtype=object))  # numeric objects are fine
    check_no_text(pd.DataFrame({"c": pd.Categorical(["a", "b"]), "x": [1.0, 2.0]}))
    with pytest.raises(TypeError, match="X holds text"):
        check_no_text(np.array([["a"], ["b"]]))
    with pytest.raises(TypeError, match="Column 'name' of X holds text"):
        check_no_text(pd.DataFrame({"x": [1.0, 2.0], "name": ["a", "b"]}))
    with pytest.raises(TypeError, match="Column 'mixed'"):
        check_no_text(pd.DataFrame({"mixed": pd.Series([1, "b"], dtype=object)}))


@pytest.mark.parametrize(
    ("X", "match"),
    [
        (np.array([[1.0, "a"], [2.0, "b"]], dtype=object), "Column 1 of X holds text"),
        ([[1.0, "x"], [2.0, "y"]], "Column 1 of X holds text"),
        (
            np.array(["2020-01-01", "2021-01-01"], dtype="datetime64[D]")[:, None],
            "Column 0 of X holds dates",
        ),
        (np.array([[1, 2]], dtype="timedelta64[s]"), "Column 0 of X holds dates"),
        (
            pd.DataFrame({"x": [1.0, 2.0], "when": pd.to_datetime(["2020", "2021"])}),
            "Column 'when' of X holds dates",
        ),
        (
            pd.DataFrame(
                {"when": [pd.Timestamp("2020"), pd.Timestamp("2021")]}, dtype=object
            ),
            "Column 'when' of X holds dates",
        ),
    ],
    ids=["object-array", "nested-list", "datetime64", "timedelta64", "frame", "object"],
)
def test_check_no_text_names_text_and_date_columns(X, match):
    with pytest.raises(TypeError, match=match):
        check_no_text(X)


def test_check_target_length_names_x_and_y():
    check_target_length(np.zeros((3, 2)), [0, 1, 0])
    check_target_length([[1.0], [2.0]], None)
    with pytest.raises(ValueError, match="y has 2 values but X has 3 rows"):
        check_target_length(np.zeros((3, 2)), np.array([0, 1]))
    with pytest.raises(ValueError, match="y has 4 values but X has 2 rows"):
        check_target_length([[1.0], [2.0]], pd.Series([0, 1, 0, 1]))


# ------------------------------------------ blocked quantile cuts == per column
def _reference_quantile_edges(X, n_bins, method):
    """Per-column quantile cuts as computed before blocked sorting (the reference).

    Each column is copied, stripped of NaN and sorted on its own; the shared rule
    ``sorted_column_cuts`` (unchanged) then places the cuts.
    """
    X = np.asarray(X, dtype=np.float64)
    n_bins = np.broadcast_to(np.asarray(n_bins, dtype=np.intp), (X.shape[1],))
    edges = []
    for j, k in enumerate(n_bins):
        column = X[:, j]
        xs = np.sort(column[~np.isnan(column)])
        edges.append(sorted_column_cuts(xs, None, int(k), method))
    return edges


def _awkward_columns(n, seed=0):
    """Columns covering every branch: ties, mass points, NaN, inf, signed zeros."""
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
        rng.uniform(-1, 1, size=n) * 1.7e308,
        np.r_[np.arange(n - 1), np.nan][rng.permutation(n)],
    ]
    columns += [rng.normal(size=n) for _ in range(25)]  # several column blocks
    return np.column_stack(columns)


def _assert_same_edges(got, expected):
    assert len(got) == len(expected)
    for j, (a, b) in enumerate(zip(got, expected, strict=True)):
        assert a.dtype == np.float64, j
        np.testing.assert_array_equal(a, b, err_msg=f"column {j}")
        np.testing.assert_array_equal(np.signbit(a), np.signbit(b), err_msg=f"col {j}")


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")  # inf in quantile
@pytest.mark.parametrize("method", QUANTILE_METHODS)
@pytest.mark.parametrize("n", [0, 1, 2, 7, 16, 1000, 2048 + 5])
def test_blocked_quantile_edges_equal_the_per_column_reference(method, n):
    X = _awkward_columns(n) if n else np.empty((0, 37))
    n_bins = 1 + np.arange(X.shape[1]) % 9  # includes 1 bin and varying counts
    n_bins[n_bins < 2] = 2
    expected = _reference_quantile_edges(X, n_bins, method)
    for order in ("C", "F"):
        for n_jobs in (1, 2):
            Xo = np.asarray(X, order=order)
            got = fit_bin_edges(
                Xo, n_bins, "quantile", n_jobs=n_jobs, quantile_method=method
            )
            _assert_same_edges(got, expected)


@pytest.mark.parametrize("k", [2, 5, 16, 64])
def test_blocked_quantile_edges_equal_reference_on_non_contiguous_input(k):
    X = _awkward_columns(3001, seed=k)
    view = X[::2, ::-1]  # neither C- nor F-contiguous
    got = fit_bin_edges(view, k, "quantile", subsample=None, n_jobs=2)
    _assert_same_edges(got, _reference_quantile_edges(view, k, QUANTILE_METHODS[0]))
    codes, _ = apply_bin_edges(view, got)
    for j, cuts in enumerate(got):
        column = view[:, j]
        expected = np.searchsorted(cuts, column, side="right")
        expected[np.isnan(column)] = cuts.size + 1
        np.testing.assert_array_equal(codes[:, j], expected)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from([0.0, -0.0, 1.0, -1.5, 2.0, 1e-300, np.nan, np.inf, 3.0]),
        min_size=0,
        max_size=60,
    ),
    st.integers(2, 12),
)
def test_blocked_quantile_edges_equal_reference_on_drawn_columns(values, k):
    column = np.asarray(values, dtype=np.float64)
    X = np.column_stack([column, column[::-1], -column] * 7)
    got = fit_bin_edges(X, k, "quantile", n_jobs=1)
    _assert_same_edges(got, _reference_quantile_edges(X, k, QUANTILE_METHODS[0]))


def test_blocked_quantile_edges_equal_reference_with_narrow_blocks(monkeypatch):
    # A small buffer budget forces one column per block (as on very long columns).
    import skinfo._binning as binning

    X = _awkward_columns(999, seed=3)
    monkeypatch.setattr(binning, "BLOCK_BYTES", 8 * 999 * 3)  # three columns a block
    got = fit_bin_edges(X, 7, "quantile", n_jobs=2)
    _assert_same_edges(got, _reference_quantile_edges(X, 7, QUANTILE_METHODS[0]))
    monkeypatch.setattr(binning, "BLOCK_BYTES", 1)  # one column a block
    got = fit_bin_edges(np.asfortranarray(X), 7, "quantile", n_jobs=1)
    _assert_same_edges(got, _reference_quantile_edges(X, 7, QUANTILE_METHODS[0]))
