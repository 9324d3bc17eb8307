import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.integrate import quad
from scipy.stats import entropy as scipy_entropy
from scipy.stats import norm
from sklearn.metrics import mutual_info_score, normalized_mutual_info_score

from skinfo.estimate import (
    conditional_entropy,
    conditional_mutual_info,
    entropy,
    joint_entropy,
    mutual_info,
    normalized_mutual_info,
    variation_of_information,
)

EULER = 0.5772156649015329
DISCRETE_METHODS = ["plugin", "miller_madow", "grassberger", "shrinkage", "dirichlet"]


def _counts(labels):
    return np.unique(np.asarray(labels, dtype=object).astype(str), return_counts=True)[
        1
    ]


def _plugin_from_counts(counts):
    p = np.asarray(counts, dtype=float) / np.sum(counts)
    p = p[p > 0]
    return float(-(p * np.log(p)).sum())


def _gaussian(rho, n, seed):
    rng = np.random.default_rng(seed)
    xy = rng.multivariate_normal([0.0, 0.0], [[1.0, rho], [rho, 1.0]], size=n)
    return xy[:, 0], xy[:, 1]


# --------------------------------------------------------------------------------------
# Plug-in against trusted references
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_plugin_entropy_matches_scipy_on_counts(seed):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 7, size=200)
    expected = scipy_entropy(np.bincount(labels))
    assert entropy(labels) == pytest.approx(expected, rel=1e-12)
    assert entropy(labels, method="plugin", base=2) == pytest.approx(
        scipy_entropy(np.bincount(labels), base=2), rel=1e-12
    )
    strings = np.array(list("abcdefg"))[labels]
    assert entropy(strings) == pytest.approx(expected, rel=1e-12)
    assert entropy(pd.Series(strings, dtype="category")) == pytest.approx(
        expected, rel=1e-12
    )


def test_entropy_returns_python_float():
    assert type(entropy([0, 1, 1])) is float
    assert type(mutual_info([0, 1, 1], [1, 0, 0])) is float
    assert type(normalized_mutual_info([0, 1, 1], [1, 0, 0])) is float


def _label_kinds(seed):
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 4, size=150)
    b = (a + rng.integers(0, 3, size=150)) % 5
    letters = np.array(list("pqrst"))
    return {
        "ints": (a, b),
        "strings": (letters[a], letters[b]),
        "object_lists": (list(letters[a]), [int(v) for v in b]),
        "bools_and_ints": (a > 1, b),
        "categorical": (pd.Categorical(letters[a]), pd.Series(b, dtype="category")),
        "series": (pd.Series(a), pd.Series(letters[b])),
    }


@pytest.mark.parametrize("kind", list(_label_kinds(0)))
def test_plugin_mi_matches_sklearn(kind):
    x, y = _label_kinds(3)[kind]
    expected = mutual_info_score(np.asarray(x).astype(str), np.asarray(y).astype(str))
    assert mutual_info(x, y) == pytest.approx(expected, rel=1e-10, abs=1e-14)


def test_plugin_mi_of_dataframe_is_mi_of_its_rows():
    rng = np.random.default_rng(4)
    df = pd.DataFrame(
        {
            "u": rng.integers(0, 3, size=120),
            "v": pd.Categorical(rng.choice(["lo", "hi"], size=120)),
        }
    )
    y = (
        df["u"].to_numpy() + (df["v"] == "hi").to_numpy() + rng.integers(0, 2, 120)
    ) % 3
    rows = df["u"].astype(str) + "|" + df["v"].astype(str)
    expected = mutual_info_score(rows, y)
    assert mutual_info(df, y) == pytest.approx(expected, rel=1e-10)
    assert entropy(df) == pytest.approx(scipy_entropy(rows.value_counts()), rel=1e-12)


@pytest.mark.parametrize("average_method", ["arithmetic", "geometric", "min", "max"])
@pytest.mark.parametrize("seed", [0, 5])
def test_normalized_mutual_info_matches_sklearn(average_method, seed):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 4, size=100)
    y = np.where(rng.random(100) < 0.6, x, rng.integers(0, 6, size=100))
    expected = normalized_mutual_info_score(x, y, average_method=average_method)
    got = normalized_mutual_info(x, y, average_method=average_method)
    assert got == pytest.approx(expected, rel=1e-10)


@pytest.mark.parametrize(
    ("x", "y"),
    [
        ([1, 1, 1], ["a", "a", "a"]),  # both constant: perfect match
        ([1, 1, 1, 1], [0, 1, 0, 1]),  # one constant
        ([0, 0, 1, 1], [0, 1, 0, 1]),  # independent, I = 0
        ([0, 1, 2, 3], [1, 0, 3, 2]),  # relabelling
    ],
)
@pytest.mark.parametrize("average_method", ["arithmetic", "geometric", "min", "max"])
def test_normalized_mutual_info_edge_cases_match_sklearn(x, y, average_method):
    expected = normalized_mutual_info_score(x, y, average_method=average_method)
    assert normalized_mutual_info(x, y, average_method=average_method) == expected


# --------------------------------------------------------------------------------------
# Bias-corrected estimators by hand
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["plugin", "miller_madow", "grassberger"])
def test_mi_of_a_variable_with_itself_is_its_entropy(method):
    x = np.random.default_rng(6).integers(0, 5, size=80)
    assert mutual_info(x, x, method=method) == pytest.approx(
        entropy(x, method=method), rel=1e-12
    )


def test_k_dependent_mi_of_a_variable_with_itself_uses_product_support():
    x = [0, 0, 0, 1, 1, 2]
    # the pair (X, X) has K = 9 cells, 6 of which cannot occur
    joint = _plugin_from_counts([3.5, 2.5, 1.5] + [0.5] * 6)
    expected = 2 * _plugin_from_counts([3.5, 2.5, 1.5]) - joint
    assert mutual_info(x, x, method="dirichlet") == pytest.approx(expected)


def test_miller_madow_is_plugin_plus_observed_bins_correction():
    labels = ["a"] * 5 + ["b"] * 3 + ["c"] * 2  # m = 3 observed, N = 10
    expected = _plugin_from_counts([5, 3, 2]) + (3 - 1) / (2 * 10)
    assert entropy(labels, method="miller_madow") == pytest.approx(expected, rel=1e-12)
    # Unobserved categories do not enter Miller-Madow.
    assert entropy(labels, method="miller_madow", n_categories=10) == pytest.approx(
        expected
    )


def test_grassberger_check_values():
    assert entropy([7] * 10, method="grassberger") == pytest.approx(-0.00166, abs=1e-5)
    # counts (1, 2): G(1) = -gamma - log 2 and G(2) = G(1) + 2, so
    # H = log 3 - (G(1) + 2 G(2)) / 3 = log 3 + gamma + log 2 - 4/3.
    expected = np.log(3) + EULER + np.log(2) - 4 / 3
    assert entropy(["a", "b", "b"], method="grassberger") == pytest.approx(
        expected, rel=1e-12
    )


def test_shrinkage_hand_computation_with_unobserved_category():
    labels = ["a"] * 4 + ["b"] * 2  # counts (4, 2, 0) with K = 3
    p = np.array([4, 2, 0]) / 6
    target = np.full(3, 1 / 3)
    lam = (1 - (p**2).sum()) / ((6 - 1) * ((target - p) ** 2).sum())
    assert lam == pytest.approx(0.4)
    theta = lam * target + (1 - lam) * p
    expected = _plugin_from_counts(theta)
    got = entropy(labels, method="shrinkage", n_categories=3)
    assert got == pytest.approx(expected, rel=1e-12)
    # With K = 2 observed, lambda = (4/9) / (5 * 1/18) = 1.6, clipped to 1: uniform.
    assert entropy(labels, method="shrinkage") == pytest.approx(np.log(2))


def test_dirichlet_jeffreys_by_hand():
    labels = [0, 0, 0, 1]
    assert entropy(labels, method="dirichlet", alpha="jeffreys") == pytest.approx(
        _plugin_from_counts([3.5, 1.5]), rel=1e-12
    )
    assert entropy(labels, method="dirichlet") == pytest.approx(
        _plugin_from_counts([3.5, 1.5]), rel=1e-12
    )  # None means Jeffreys
    assert entropy(labels, method="dirichlet", n_categories=4) == pytest.approx(
        _plugin_from_counts([3.5, 1.5, 0.5, 0.5]), rel=1e-12
    )
    assert entropy(labels, method="dirichlet", alpha=2.0) == pytest.approx(
        _plugin_from_counts([5, 3]), rel=1e-12
    )
    # Perks a = 1/K and minimax a = sqrt(N)/K with N = 4, K = 2.
    assert entropy(labels, method="dirichlet", alpha="perks") == pytest.approx(
        _plugin_from_counts([3.5, 1.5])
    )
    assert entropy(labels, method="dirichlet", alpha="minimax") == pytest.approx(
        _plugin_from_counts([4, 2])
    )


def test_k_dependent_methods_use_product_support_for_pairs():
    x, y = [0, 0, 1, 1], [0, 1, 1, 1]
    joint = joint_entropy(x, y, method="dirichlet", alpha=1.0)
    # observed cells (0,0), (0,1), (1,1) with counts 1, 1, 2 plus (1,0) unobserved
    assert joint == pytest.approx(_plugin_from_counts([2, 2, 3, 1]), rel=1e-12)
    expected = (
        entropy(x, method="dirichlet", alpha=1.0)
        + entropy(y, method="dirichlet", alpha=1.0)
        - joint
    )
    assert mutual_info(x, y, method="dirichlet", alpha=1.0) == pytest.approx(expected)
    # A 2-D variable gets the product of its columns' observed categories too.
    stacked = entropy(np.column_stack([x, y]), method="dirichlet", alpha=1.0)
    assert stacked == pytest.approx(joint)
    given = joint_entropy(x, y, method="dirichlet", alpha=1.0, n_categories=(3, 2))
    assert given == pytest.approx(_plugin_from_counts([2, 2, 3, 1, 1, 1]))


@pytest.mark.parametrize("method", DISCRETE_METHODS)
def test_bits_are_nats_divided_by_log2(method):
    rng = np.random.default_rng(7)
    x = rng.integers(0, 4, size=30)
    y = (x + rng.integers(0, 2, size=30)) % 4
    z = rng.integers(0, 2, size=30)
    for func, args in [
        (entropy, (x,)),
        (joint_entropy, (x, y)),
        (conditional_entropy, (x, y)),
        (mutual_info, (x, y)),
        (conditional_mutual_info, (x, y, z)),
        (variation_of_information, (x, y)),
    ]:
        nats = func(*args, method=method)
        assert func(*args, method=method, base=2) == pytest.approx(nats / np.log(2))
        assert func(*args, method=method, base=10) == pytest.approx(nats / np.log(10))


def test_miller_madow_correction_is_converted_to_bits():
    labels = [0, 0, 0, 1, 1, 2]
    bits = entropy(labels, method="miller_madow", base=2)
    expected = (_plugin_from_counts([3, 2, 1]) + (3 - 1) / (2 * 6)) / np.log(2)
    assert bits == pytest.approx(expected, rel=1e-12)


# --------------------------------------------------------------------------------------
# Identities
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1])
def test_chain_rule_is_exact_for_plugin(seed):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 3, size=200)
    z = rng.integers(0, 4, size=200)
    y = (x + z + rng.integers(0, 2, size=200)) % 4
    xz = pd.DataFrame({"x": x, "z": z})
    left = mutual_info(xz, y)
    right = mutual_info(z, y) + conditional_mutual_info(x, y, z)
    assert left == pytest.approx(right, rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("method", ["plugin", "miller_madow", "grassberger"])
def test_conditioning_on_two_variables_is_conditioning_on_their_joint_code(method):
    rng = np.random.default_rng(8)
    z1, z2 = rng.integers(0, 3, size=150), rng.integers(0, 2, size=150)
    x = (z1 + rng.integers(0, 2, size=150)) % 3
    y = (z2 + x + rng.integers(0, 2, size=150)) % 3
    on_pair = conditional_mutual_info(x, y, np.column_stack([z1, z2]), method=method)
    on_code = conditional_mutual_info(x, y, z1 * 10 + z2, method=method)
    assert on_pair == pytest.approx(on_code, rel=1e-12, abs=1e-14)
    frame = conditional_mutual_info(
        x,
        y,
        pd.DataFrame({"a": z1, "b": list(np.array(["u", "v"])[z2])}),
        method=method,
    )
    assert frame == pytest.approx(on_code, rel=1e-12, abs=1e-14)


def test_conditional_entropy_and_vi_identities():
    rng = np.random.default_rng(9)
    x = rng.integers(0, 4, size=100)
    y = (x + rng.integers(0, 3, size=100)) % 5
    hx, hy, hxy = entropy(x), entropy(y), joint_entropy(x, y)
    assert conditional_entropy(x, y) == pytest.approx(hxy - hy)
    assert conditional_entropy(x, y) == pytest.approx(hx - mutual_info(x, y))
    vi = variation_of_information(x, y)
    assert vi == pytest.approx(conditional_entropy(x, y) + conditional_entropy(y, x))
    assert variation_of_information(x, y, normalized=True) == pytest.approx(vi / hxy)
    relabelled = np.array([3, 0, 1, 2])[x]
    assert variation_of_information(x, relabelled) == 0.0
    assert variation_of_information([1, 1], [2, 2], normalized=True) == 0.0
    # XOR: x and y independent, z = x XOR y; I(X;Y|Z) = log 2.
    a, b = np.array([0, 0, 1, 1] * 3), np.array([0, 1, 0, 1] * 3)
    assert mutual_info(a, b) == 0.0
    assert conditional_mutual_info(a, b, a ^ b) == pytest.approx(np.log(2))


def test_independent_variables_plugin_small_and_miller_madow_less_biased():
    rng = np.random.default_rng(10)
    n = 5000
    x, y = rng.integers(0, 10, size=n), rng.integers(0, 10, size=n)
    plugin = mutual_info(x, y)
    corrected = mutual_info(x, y, method="miller_madow")
    assert 0 < plugin < 0.02  # leading bias (10 - 1)**2 / (2N) = 0.0081
    assert abs(corrected) < plugin


def test_huge_cardinality_counts_only_observed_cells():
    n = 50_000
    x = np.arange(n) * 7919  # n distinct values: the product space has 2.5e9 cells
    y = np.arange(n)[::-1].astype(str)
    assert mutual_info(x, y) == pytest.approx(np.log(n))
    assert mutual_info(x, y, method="miller_madow") == pytest.approx(
        np.log(n) + (n - 1) / (2 * n)
    )
    z = np.arange(n) % 3
    assert conditional_mutual_info(x, y, z) == pytest.approx(entropy(x) - entropy(z))


# --------------------------------------------------------------------------------------
# Detection of discrete and continuous data, missing values
# --------------------------------------------------------------------------------------


def test_float_holding_integers_is_continuous_unless_told():
    x = [0.0, 1.0, 1.0, 0.0, 2.0]
    with pytest.raises(ValueError, match="continuous"):
        entropy(x, method="plugin")
    assert entropy(x, discrete=True) == pytest.approx(entropy([0, 1, 1, 0, 2]))


def test_discrete_tuple_sets_kind_per_variable():
    x, y = _gaussian(0.5, 400, seed=11)
    labels = (x > 0).astype(float)
    a = mutual_info(labels, y, discrete=(True, None), random_state=0)
    b = mutual_info((x > 0).astype(int), y, random_state=0)
    assert a == b
    with pytest.raises(ValueError, match="discrete"):
        mutual_info(labels, y, discrete=(True,))
    with pytest.raises(TypeError, match=r"^x holds non-numeric.*continuous"):
        mutual_info(["a", "b"], [1, 2], discrete=False)


def test_nan_is_a_category_for_discrete_data():
    assert entropy([1.0, np.nan, np.nan, 2.0], discrete=True) == pytest.approx(
        _plugin_from_counts([1, 2, 1])
    )
    assert entropy(["a", None, None, "a"]) == pytest.approx(np.log(2))
    nullable = pd.Series([1, None, 2, 2], dtype="Int64")
    assert entropy(nullable) == pytest.approx(_plugin_from_counts([1, 1, 2]))


def test_binned_gives_nan_its_own_bin():
    x = np.array([1.0, 2.0, 3.0, 4.0, np.nan, np.nan])
    # two uniform bins: {1, 2}, {3, 4}; NaN is a third bin
    assert entropy(x, method="binned", n_bins=2, strategy="uniform") == pytest.approx(
        np.log(3)
    )
    with pytest.raises(ValueError, match="x contains NaN"):
        entropy(x)
    with pytest.raises(ValueError, match="y contains NaN"):
        mutual_info([0.5, 1.5, 2.5, 3.5, 4.5, 5.5], x)


def test_mixed_column_kinds():
    frame = pd.DataFrame({"a": [0.5, 1.5, 2.5, 3.5], "b": ["u", "v", "u", "v"]})
    with pytest.raises(ValueError, match="mixes"):
        entropy(frame)
    assert entropy(frame, discrete=True) == pytest.approx(np.log(4))
    numeric = pd.DataFrame({"a": [0.5, 1.5, 2.5, 3.5], "b": [0, 1, 0, 1]})
    with pytest.raises(ValueError, match="continuous"):
        entropy(numeric, method="plugin")


def test_binned_counts_discrete_variables_as_they_are():
    rng = np.random.default_rng(12)
    labels = rng.integers(0, 3, size=300)
    x = labels + rng.normal(size=300)
    edges = np.quantile(x, [0.25, 0.5, 0.75])
    codes = np.searchsorted(edges, x, side="right")
    expected = mutual_info_score(labels, codes)
    assert mutual_info(x, labels, method="binned", n_bins=4) == pytest.approx(expected)
    assert mutual_info(labels, labels[::-1], method="binned") == pytest.approx(
        mutual_info(labels, labels[::-1])
    )


# --------------------------------------------------------------------------------------
# Continuous and mixed estimators
# --------------------------------------------------------------------------------------


def test_knn_gaussian_mutual_info():
    rho = 0.6
    x, y = _gaussian(rho, 10_000, seed=13)
    truth = -0.5 * np.log(1 - rho**2)
    assert mutual_info(x, y, random_state=0) == pytest.approx(truth, abs=0.02)
    assert mutual_info(x, y, method="knn", random_state=0) == pytest.approx(
        truth, abs=0.02
    )


def test_binned_gaussian_mutual_info_within_looser_tolerance():
    rho = 0.6
    x, y = _gaussian(rho, 10_000, seed=14)
    truth = -0.5 * np.log(1 - rho**2)
    assert mutual_info(x, y, method="binned") == pytest.approx(truth, abs=0.05)


def test_knn_gaussian_entropy_and_conditional_entropy():
    rho = 0.6
    x, y = _gaussian(rho, 5000, seed=15)
    xy = np.column_stack([x, y])
    h_joint = 0.5 * np.log((2 * np.pi * np.e) ** 2 * (1 - rho**2))
    assert entropy(xy, random_state=0) == pytest.approx(h_joint, abs=0.05)
    assert joint_entropy(x, y, random_state=0) == entropy(xy, random_state=0)
    h_cond = 0.5 * np.log(2 * np.pi * np.e * (1 - rho**2))
    assert conditional_entropy(x, y, random_state=0) == pytest.approx(h_cond, abs=0.05)


def test_mixed_mutual_info_on_two_class_gaussian():
    rng = np.random.default_rng(16)
    n, shift = 10_000, 2.0
    labels = rng.integers(0, 2, size=n)
    x = rng.normal(size=n) + shift * labels

    def density(t):
        return 0.5 * norm.pdf(t) + 0.5 * norm.pdf(t, loc=shift)

    h_x = quad(lambda t: -density(t) * np.log(density(t)), -12, 14)[0]
    truth = h_x - 0.5 * np.log(2 * np.pi * np.e)  # I = h(X) - h(X|L)
    assert mutual_info(x, labels, random_state=0) == pytest.approx(truth, abs=0.02)
    strings = np.array(["neg", "pos"])[labels]
    assert mutual_info(strings, x, random_state=0) == mutual_info(
        x, labels, random_state=0
    )


def test_knn_conditional_mutual_info_gaussian():
    rng = np.random.default_rng(17)
    n = 4000
    z = rng.normal(size=n)
    e = rng.normal(size=n)
    x = z + e
    y = z + 0.8 * e + rng.normal(size=n)
    cov = np.cov(np.vstack([x, y, z]))

    def logdet(idx):
        return np.linalg.slogdet(cov[np.ix_(idx, idx)])[1]

    truth = 0.5 * (logdet([0, 2]) + logdet([1, 2]) - logdet([0, 1, 2]) - logdet([2]))
    got = conditional_mutual_info(x, y, z, random_state=0)
    assert got == pytest.approx(truth, abs=0.03)
    # x and y independent given z
    y0 = z + rng.normal(size=n)
    assert abs(conditional_mutual_info(x, y0, z, random_state=0)) < 0.02


def test_knn_conditional_mutual_info_with_discrete_parts():
    rng = np.random.default_rng(18)
    n = 3000
    zd = rng.integers(0, 3, size=n)
    x = zd + rng.normal(size=n)
    y = zd + rng.normal(size=n)
    # Given the discrete z the two are independent, although I(X;Y) > 0.
    assert mutual_info(x, y, random_state=0) > 0.05
    assert abs(conditional_mutual_info(x, y, zd, random_state=0)) < 0.02
    # The stratified estimate is the p(z)-weighted mean of the per-stratum ones.
    strata = [
        np.mean(zd == v) * mutual_info(x[zd == v], y[zd == v], random_state=0)
        for v in range(3)
    ]
    assert conditional_mutual_info(x, y, zd, random_state=0) == pytest.approx(
        sum(strata), abs=0.02
    )
    # A discrete x that is a function of the continuous z: I(X;Y|Z) = 0.
    z = rng.normal(size=n)
    xd = (z > 0).astype(int)
    yc = z + rng.normal(size=n)
    assert abs(conditional_mutual_info(xd, yc, z, random_state=0)) < 0.03
    yd = (yc > 0).astype(int)
    assert abs(conditional_mutual_info(xd, yd, z, random_state=0)) < 0.03
    with pytest.raises(ValueError, match="more than n_neighbors"):
        conditional_mutual_info(x, y, np.r_[zd[:-1], 7], random_state=0)


def test_knn_needs_continuous_data_and_distinct_rules():
    with pytest.raises(ValueError, match="needs a continuous variable"):
        mutual_info([0, 1, 0, 1], [1, 1, 0, 0], method="knn")
    with pytest.raises(ValueError, match="discrete data"):
        entropy([0.1, 0.2, 0.3], method="grassberger")
    with pytest.raises(ValueError, match="binned"):
        normalized_mutual_info([0.1, 0.2, 0.3], [0, 1, 1])
    with pytest.raises(ValueError, match="binned"):
        variation_of_information([0, 1, 1], [0.1, 0.2, 0.3], method="knn")
    with pytest.raises(ValueError, match="n_neighbors=3 must be smaller"):
        entropy([0.1, 0.2, 0.3])


@pytest.mark.parametrize("func", [normalized_mutual_info, variation_of_information])
def test_knn_on_discrete_clusterings_is_rejected_without_blaming_a_variable(func):
    # No variable is continuous here, so the message must not claim one is.
    with pytest.raises(ValueError, match="no nearest-neighbour estimator") as info:
        func([0, 1, 0, 1], [0, 1, 1, 0], method="knn")
    assert "continuous" not in str(info.value)
    assert func.__name__ in str(info.value)


def test_knn_and_binned_estimates_convert_to_bits():
    rng = np.random.default_rng(23)
    x = rng.normal(size=200)
    y = x + rng.normal(size=200)
    z = rng.normal(size=200)
    d = (x > 0).astype(int)
    calls = [
        (entropy, (x,)),
        (joint_entropy, (x, d)),
        (conditional_entropy, (d, y)),
        (mutual_info, (x, y)),
        (mutual_info, (y, d)),
        (conditional_mutual_info, (x, y, z)),
        (conditional_mutual_info, (d, y, z)),
    ]
    for method in ("knn", "binned"):
        for func, args in calls:
            nats = func(*args, method=method, random_state=1)
            bits = func(*args, method=method, random_state=1, base=2)
            assert bits == pytest.approx(nats / np.log(2), rel=1e-12, abs=1e-15)


def test_random_state_makes_knn_deterministic():
    x, y = _gaussian(0.3, 500, seed=19)
    z = np.random.default_rng(20).normal(size=500)
    for func, args in [
        (entropy, (x,)),
        (mutual_info, (x, y)),
        (conditional_mutual_info, (x, y, z)),
        (mutual_info, (x, (y > 0).astype(int))),
    ]:
        assert func(*args, random_state=3) == func(*args, random_state=3)
        rs1, rs2 = np.random.RandomState(4), np.random.RandomState(4)
        assert func(*args, random_state=rs1) == func(*args, random_state=rs2)


# --------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------

_labels = st.lists(st.integers(0, 4), min_size=1, max_size=40)


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_property_plugin_mi_nonnegative_symmetric_and_joint_bounds(data):
    x = data.draw(_labels)
    y = data.draw(st.lists(st.integers(0, 3), min_size=len(x), max_size=len(x)))
    mi = mutual_info(x, y)
    assert mi >= 0.0
    assert mi == pytest.approx(mutual_info(y, x), abs=1e-12)
    hx, hy, hxy = entropy(x), entropy(y), joint_entropy(x, y)
    assert hxy >= max(hx, hy) - 1e-12
    assert mi <= min(hx, hy) + 1e-12


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_property_relabelling_invariance(data):
    x = data.draw(_labels)
    y = data.draw(st.lists(st.integers(0, 3), min_size=len(x), max_size=len(x)))
    perm = data.draw(st.permutations(range(5)))
    names = np.array(["a", "b", "c", "d", "e"])[list(perm)]
    relabelled = names[np.asarray(x)]
    for method in ["plugin", "miller_madow", "grassberger", "shrinkage"]:
        assert mutual_info(relabelled, y, method=method) == pytest.approx(
            mutual_info(x, y, method=method), abs=1e-12
        )
    assert normalized_mutual_info(relabelled, y) == pytest.approx(
        normalized_mutual_info(x, y), abs=1e-12
    )


# --------------------------------------------------------------------------------------
# Inputs are not modified; bad input
# --------------------------------------------------------------------------------------


def test_inputs_are_not_modified():
    rng = np.random.default_rng(21)
    x = rng.normal(size=(60, 2))
    y = rng.normal(size=60)
    z = rng.integers(0, 2, size=60)
    frame = pd.DataFrame({"a": rng.normal(size=60), "b": rng.integers(0, 3, size=60)})
    copies = [a.copy() for a in (x, y, z)]
    frame_copy = frame.copy()
    entropy(x, random_state=0)
    mutual_info(x, y, random_state=0)
    mutual_info(frame, z, random_state=0)
    conditional_mutual_info(x, y, z, random_state=0)
    conditional_mutual_info(y, frame, x, random_state=0)
    mutual_info(x, y, method="binned")
    normalized_mutual_info(y, z, method="binned")
    variation_of_information(frame, z, discrete=True)
    for original, copy in zip((x, y, z), copies, strict=True):
        np.testing.assert_array_equal(original, copy)
    pd.testing.assert_frame_equal(frame, frame_copy)


PUBLIC = [
    (entropy, 1),
    (joint_entropy, 2),
    (conditional_entropy, 2),
    (mutual_info, 2),
    (conditional_mutual_info, 3),
    (normalized_mutual_info, 2),
    (variation_of_information, 2),
]


def _name(func, i):
    return f"variables\\[{i}\\]" if func is joint_entropy else "xyz"[i]


def _good_args(n_args, n=8):
    return [np.arange(n) % (i + 2) for i in range(n_args)]


@pytest.mark.parametrize(
    ("func", "n_args"), PUBLIC, ids=[f.__name__ for f, _ in PUBLIC]
)
def test_bad_input(func, n_args):
    args = _good_args(n_args)
    func(*args)  # the good arguments work
    for i in range(n_args):
        bad = list(args)
        bad[i] = []
        with pytest.raises(ValueError, match="empty"):
            func(*bad)
        if n_args > 1:
            bad[i] = args[i][:-1]
            with pytest.raises(ValueError, match="Inconsistent numbers of samples"):
                func(*bad)
        bad[i] = np.r_[np.inf, np.arange(7.0)]
        with pytest.raises(ValueError, match="infinite"):
            func(*bad, method="binned")
        bad[i] = np.zeros((8, 2, 2))
        with pytest.raises(ValueError, match="dimensions"):
            func(*bad)
        if func not in (normalized_mutual_info, variation_of_information):
            bad[i] = np.r_[np.nan, np.linspace(0, 1, 7)]
            with pytest.raises(ValueError, match=f"{_name(func, i)} contains NaN"):
                func(*bad, method="knn")
    with pytest.raises(ValueError, match="method"):
        func(*args, method="magic")
    if func is not normalized_mutual_info:
        for base in (0, 1, 1.0, -2.0, np.inf, np.nan):
            with pytest.raises(ValueError, match="base"):
                func(*args, base=base)
        for base in ("two", True):
            with pytest.raises(TypeError, match="base"):
                func(*args, base=base)
        assert np.isfinite(func(*args, base=2))


def test_bad_n_categories_and_alpha():
    with pytest.raises(ValueError, match="smaller than the 3 distinct"):
        entropy([0, 1, 2], method="shrinkage", n_categories=2)
    with pytest.raises(ValueError, match="n_categories"):
        mutual_info([0, 1], [0, 1], method="dirichlet", n_categories=(2, 2, 2))
    with pytest.raises(ValueError, match="alpha"):
        entropy([0, 1], method="dirichlet", alpha=-1.0)
    with pytest.raises(ValueError, match="alpha"):
        entropy([0, 1], method="dirichlet", alpha="uniformish")
    with pytest.raises(TypeError, match="at least one variable"):
        joint_entropy()


# --------------------------------------------------------------------------------------
# kNN: constants, row order, tiny classes
# --------------------------------------------------------------------------------------


def _knn_data(n=120, seed=30):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    y = x + rng.normal(size=n)
    labels = (x > 0).astype(int) + rng.integers(0, 2, size=n)
    return x, y, labels


@pytest.mark.parametrize("value", [2.5, 0.0, 1e307, -1.7e308])
def test_knn_constant_variable_gives_zero_information_and_minus_inf_entropy(value):
    x, y, labels = _knn_data()
    c = np.full(x.size, value)
    assert entropy(c, method="knn", random_state=0) == -np.inf
    assert joint_entropy(c, x, method="knn", random_state=0) == -np.inf
    assert conditional_entropy(c, x, method="knn", random_state=0) == -np.inf
    for a, b in [(c, x), (x, c), (c, labels), (labels, c)]:
        assert mutual_info(a, b, method="knn", random_state=0) == 0.0
    for a, b, z in [(c, x, y), (x, c, labels), (labels, c, y), (c, labels, x)]:
        assert conditional_mutual_info(a, b, z, method="knn", random_state=0) == 0.0
    # Conditioning on a constant is no conditioning.
    assert conditional_mutual_info(
        x, labels, c, method="knn", random_state=0
    ) == mutual_info(x, labels, method="knn", random_state=0)


_KNN_CALLS = {
    "entropy": lambda x, y, z, c: entropy(np.c_[x, y], random_state=0),
    "joint_entropy": lambda x, y, z, c: joint_entropy(x, c, random_state=0),
    "mi_ksg": lambda x, y, z, c: mutual_info(x, y, random_state=0),
    "mi_ross": lambda x, y, z, c: mutual_info(np.c_[x, y], c, random_state=0),
    "cmi_fp": lambda x, y, z, c: conditional_mutual_info(x, y, z, random_state=0),
    "cmi_discrete_z": lambda x, y, z, c: conditional_mutual_info(
        x, y, c, random_state=0
    ),
    "cmi_mixed": lambda x, y, z, c: conditional_mutual_info(c, y, z, random_state=0),
    "cond_entropy": lambda x, y, z, c: conditional_entropy(x, c, random_state=0),
}


def _tied(seed, n=60):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 4, size=n).astype(float)
    y = np.round(x + rng.normal(size=n))
    z = rng.integers(0, 3, size=n) / 2.0
    c = rng.integers(0, 2, size=n)
    return x, y, z, c


@pytest.mark.parametrize("name", list(_KNN_CALLS))
def test_knn_estimates_do_not_depend_on_row_order(name):
    call = _KNN_CALLS[name]
    x, y, z, c = _tied(31)
    expected = call(x, y, z, c)
    for seed in range(3):
        p = np.random.default_rng(seed).permutation(x.size)
        assert call(x[p], y[p], z[p], c[p]) == expected


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.tuples(*[st.integers(0, 2)] * 4), min_size=16, max_size=24),
    st.sampled_from(sorted(_KNN_CALLS)),
    st.randoms(use_true_random=False),
)
def test_knn_row_order_invariance_property(rows, name, rnd):
    data = np.array(rows)
    x, y, z = (data[:, j].astype(float) for j in range(3))
    c = data[:, 3] % 2
    assume(np.bincount(c, minlength=2).min() > 3)
    p = np.array(rnd.sample(range(len(rows)), len(rows)))
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        try:
            expected = _KNN_CALLS[name](x, y, z, c)
        except ValueError:  # a stratum of z too small for n_neighbors
            return
        permuted = _KNN_CALLS[name](x[p], y[p], z[p], c[p])
    assert permuted == expected or (np.isnan(permuted) and np.isnan(expected))


def test_knn_mixed_estimate_warns_about_tiny_classes_at_the_caller():
    x = np.random.default_rng(32).normal(size=30)
    with pytest.warns(UserWarning, match="n_neighbors=3") as record:
        assert mutual_info(x, np.arange(30), random_state=0) == 0.0
    assert record[0].filename == __file__
    assert "binned" in str(record[0].message)


# --------------------------------------------------------------------------------------
# Round-off: exact zeros and ones
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("a", "b"), [(3, 8), (4, 6), (5, 8), (6, 5), (8, 3)])
def test_plugin_zero_quantities_are_exactly_zero(a, b):
    # x and y independent (a full grid); measured before: 4.4e-16 each.
    x = np.repeat(np.arange(a), b)
    y = np.tile(np.arange(b), a)
    assert mutual_info(x, y) == 0.0
    assert conditional_mutual_info(x, y, np.zeros(a * b, dtype=int)) == 0.0
    z = np.r_[np.zeros(a * b, dtype=int), np.ones(a * b, dtype=int)]
    assert conditional_mutual_info(np.r_[x, x], np.r_[y, y], z) == 0.0
    assert normalized_mutual_info(x, y) == 0.0
    assert variation_of_information(x, y, normalized=True) == 1.0
    assert variation_of_information(x, x) == 0.0
    assert normalized_mutual_info(x, x) == 1.0
    assert conditional_entropy(x, x) == 0.0
    for method in ("binned",):
        xf = x + 0.5
        assert mutual_info(xf, y.astype(float), method=method, n_bins=b) == 0.0


def test_bias_corrected_estimates_are_not_snapped():
    x = np.repeat(np.arange(3), 8)
    y = np.tile(np.arange(8), 3)
    value = mutual_info(x, y, method="miller_madow")
    expected = -(2 * 7) / (2 * 24)  # (3-1 + 8-1 - (24-1)) / (2N)
    assert value == pytest.approx(expected, rel=1e-12)


# --------------------------------------------------------------------------------------
# Bad and extreme inputs: clear errors or values within the bounds
# --------------------------------------------------------------------------------------

_N = 12
_DATES = np.arange(_N).astype("datetime64[D]")


@pytest.mark.parametrize(
    "bad",
    [
        _DATES,
        np.arange(_N).astype("timedelta64[s]"),
        pd.Series(pd.date_range("2020", periods=_N)),
        np.array(list("abcabcabcabc"), dtype=object),
        np.array(list("abcabcabcabc")),
    ],
    ids=["datetime", "timedelta", "pandas-datetime", "object-str", "str"],
)
def test_non_numbers_as_continuous_raise_type_error_naming_the_argument(bad):
    f = np.random.default_rng(40).normal(size=_N)
    with pytest.raises(TypeError, match=r"^x holds"):
        mutual_info(bad, f, discrete=False)
    with pytest.raises(TypeError, match=r"^y holds"):
        mutual_info(f, bad, discrete=(False, False))
    with pytest.raises(TypeError, match=r"^z holds"):
        conditional_mutual_info(f, f, bad, discrete=False)
    with pytest.raises(TypeError, match=r"^x holds"):
        entropy(bad, method="binned", discrete=False)


def test_dates_and_strings_count_as_labels_for_discrete_methods():
    codes = np.arange(_N) % 4
    dates = _DATES[codes]
    words = np.array(["w", "x", "y", "z"], dtype=object)[codes]
    assert entropy(dates) == pytest.approx(np.log(4))
    assert mutual_info(dates, words) == pytest.approx(np.log(4))


@pytest.mark.parametrize("strategy", ["quantile", "uniform"])
def test_binned_values_near_the_float_limit_are_binned_correctly(strategy):
    # Bin edges interpolate hi - lo, which overflowed for +-1.7e308 and merged
    # everything into one bin: the entropy was 0 instead of log 2.
    x = np.r_[np.full(6, 1.7e308), np.full(6, -1.7e308)]
    labels = np.r_[np.zeros(6, int), np.ones(6, int)]
    assert entropy(x, method="binned", strategy=strategy) == pytest.approx(np.log(2))
    assert mutual_info(x, labels, method="binned", strategy=strategy) == (
        pytest.approx(np.log(2))
    )
    # Ordinary data are untouched: scaling by 1e300 changes no bin.
    y = np.random.default_rng(41).normal(size=50)
    assert entropy(1e300 * y, method="binned", strategy=strategy) == entropy(
        y, method="binned", strategy=strategy
    )


def test_integers_above_2_53_stay_distinct():
    big = np.array([2**53, 2**53 + 1, 2**53 + 2, 2**63 - 1], dtype=np.int64)
    assert entropy(big) == pytest.approx(np.log(4))
    ubig = np.array([2**64 - 1, 2**64 - 2, 2**63, 2**63 + 1], dtype=np.uint64)
    assert mutual_info(ubig, big) == pytest.approx(np.log(4))


@pytest.mark.parametrize("func", [entropy, mutual_info, conditional_mutual_info])
def test_empty_one_sample_and_all_nan_inputs(func):
    n_args = {entropy: 1, mutual_info: 2, conditional_mutual_info: 3}[func]
    with pytest.raises(ValueError, match=r"^x is empty"):
        func(*[np.array([])] * n_args)
    # One sample: nothing is uncertain and nothing is shared.
    assert func(*[np.array([7])] * n_args) == 0.0
    with pytest.raises(ValueError, match="n_neighbors=3 must be smaller"):
        func(*[np.array([7.0])] * n_args)
    nan = np.full(10, np.nan)
    with pytest.raises(ValueError, match=r"^x contains NaN"):
        func(*[nan] * n_args)
    # NaN is a category of its own for discrete and binned data.
    assert func(*[nan] * n_args, method="binned") == 0.0


_odd_labels = st.one_of(
    st.integers(-3, 3),
    st.sampled_from([2**53, 2**53 + 1, 2**63 - 1]),
    st.sampled_from(["a", "b", "c"]),
    st.booleans(),
)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(_odd_labels, _odd_labels), min_size=1, max_size=30))
def test_plugin_mutual_info_stays_within_its_bounds(pairs):
    x = np.array([str(type(a).__name__) + repr(a) for a, _ in pairs], dtype=object)
    y = np.array([str(type(b).__name__) + repr(b) for _, b in pairs], dtype=object)
    mi = mutual_info(x, y)
    assert 0.0 <= mi <= min(entropy(x), entropy(y))
    assert 0.0 <= normalized_mutual_info(x, y) <= 1.0
    assert variation_of_information(x, y) >= 0.0
    assert mutual_info(x, x) == entropy(x)


def test_plugin_mutual_info_of_a_function_is_at_most_its_entropy():
    # I(X; f(X)) = H(f(X)); floating point gave H(f(X)) + 1 ulp.
    rng = np.random.default_rng(42)
    for _ in range(50):
        x = rng.integers(0, 7, size=40)
        y = x % 3
        assert mutual_info(x, y) <= entropy(y)
        assert mutual_info(y, x) <= entropy(y)


# --------------------------------------------------------------------------------------
# Dirichlet bias (documented) and sparse columns
# --------------------------------------------------------------------------------------


def test_jeffreys_is_strongly_biased_low_below_k_squared_samples():
    # K = 32 per variable, N = 1000 < K**2: X uniform, Y = X with probability 0.9,
    # else uniform. True I = 2.815 nats; Jeffreys measured 1.48, Grassberger 2.96.
    from skinfo.measures import mutual_info as exact

    K, n, q = 32, 1000, 0.9
    true = exact(np.full((K, K), (1 - q) / K**2) + np.eye(K) * q / K)
    rng = np.random.default_rng(43)
    x = rng.integers(0, K, n)
    y = np.where(rng.random(n) < q, x, rng.integers(0, K, n))
    jeffreys = mutual_info(x, y, method="dirichlet", n_categories=(K, K))
    grassberger = mutual_info(x, y, method="grassberger")
    assert jeffreys < 0.6 * true
    assert grassberger == pytest.approx(true, rel=0.1)


@pytest.mark.parametrize("fmt", ["csr_matrix", "csc_matrix", "csr_array", "coo_array"])
def test_sparse_column_equals_the_dense_column(fmt):
    from scipy import sparse

    rng = np.random.default_rng(44)
    counts = sparse.random(
        300, 4, density=0.2, random_state=0, data_rvs=lambda k: rng.integers(1, 4, k)
    ).astype(np.int64)
    reals = sparse.random(300, 4, density=0.3, random_state=1)
    y = rng.integers(0, 3, 300)
    for matrix, method in [
        (counts, "plugin"),
        (counts, "miller_madow"),
        (reals, "binned"),
    ]:
        column = getattr(sparse, fmt)(matrix.tocsc()[:, [1]])
        dense = column.toarray().ravel()
        assert mutual_info(column, y, method=method) == mutual_info(
            dense, y, method=method
        )
        assert mutual_info(y, column, method=method) == mutual_info(
            y, dense, method=method
        )
        assert entropy(column, method=method) == entropy(dense, method=method)
        other = getattr(sparse, fmt)(matrix.tocsc()[:, [2]])
        assert conditional_mutual_info(
            column, y, other, method=method
        ) == conditional_mutual_info(dense, y, other.toarray().ravel(), method=method)
    # A sparse matrix of several columns is their joint variable, as dense input is.
    assert entropy(sparse.csr_matrix(np.eye(3, dtype=int))) == pytest.approx(np.log(3))


def test_errors_name_the_column_of_a_2d_variable():
    f = np.random.default_rng(45).normal(size=_N)
    frame = pd.DataFrame({"a": f, "when": pd.date_range("2020", periods=_N)})
    with pytest.raises(TypeError, match=r"^x column 'when' holds dates"):
        mutual_info(frame, f, discrete=False)
    with pytest.raises(ValueError, match=r"^y column 1 contains infinite"):
        mutual_info(f, np.c_[f, np.full(_N, np.inf)])
