import numpy as np
import pytest
from scipy.special import digamma
from scipy.stats import entropy as scipy_entropy
from sklearn.metrics import mutual_info_score

from skinfo._info import (
    conditional_mutual_info_from_table,
    entropy_from_counts,
    grassberger_g,
    mutual_info_from_table,
    to_base,
)

EULER = 0.5772156649015329


def test_plugin_matches_scipy_on_batches():
    counts = np.random.default_rng(0).integers(0, 20, size=(4, 3, 9))
    expected = scipy_entropy(counts, axis=-1)
    np.testing.assert_allclose(entropy_from_counts(counts), expected, rtol=1e-12)


def test_plugin_hand_values():
    assert entropy_from_counts([5, 5]) == pytest.approx(np.log(2))
    assert entropy_from_counts([1, 1, 1, 1]) / np.log(2) == pytest.approx(2.0)
    assert entropy_from_counts([7, 0, 0]) == 0.0
    assert entropy_from_counts([0, 0]) == 0.0  # empty table: no information


def test_miller_madow_adds_observed_bins_correction():
    counts = np.array([3, 0, 5, 2])
    plugin = entropy_from_counts(counts)
    assert entropy_from_counts(counts, method="miller_madow") == pytest.approx(
        plugin + (3 - 1) / (2 * 10)
    )


def test_grassberger_g_check_values():
    assert grassberger_g(1) == pytest.approx(-EULER - np.log(2))
    for m in range(1, 6):
        assert grassberger_g(2 * m + 1) == pytest.approx(grassberger_g(2 * m))
        assert grassberger_g(2 * m + 2) == pytest.approx(
            grassberger_g(2 * m) + 2 / (2 * m + 1)
        )


def test_grassberger_single_bin_and_hand_value():
    # ALGORITHMS.md 1.3: one bin with n = 10 gives -0.00166 nats.
    assert entropy_from_counts([10], method="grassberger") == pytest.approx(
        -0.00166, abs=5e-6
    )
    counts = np.array([1, 2, 3])
    g = digamma(counts) + 0.5 * (-1.0) ** counts * (
        digamma((counts + 1) / 2) - digamma(counts / 2)
    )
    expected = np.log(6) - (counts * g).sum() / 6
    assert entropy_from_counts(counts, method="grassberger") == pytest.approx(expected)


def test_shrinkage_hand_computation():
    counts = np.array([4.0, 1.0, 0.0, 0.0])
    p = counts / 5
    t = np.full(4, 0.25)
    lam = (1 - (p**2).sum()) / (4 * ((t - p) ** 2).sum())
    theta = lam * t + (1 - lam) * p
    assert entropy_from_counts(counts, method="shrinkage") == pytest.approx(
        scipy_entropy(theta)
    )
    # already uniform, or a single sample: lambda = 1, i.e. log K
    assert entropy_from_counts([2, 2, 2], method="shrinkage") == pytest.approx(
        np.log(3)
    )
    assert entropy_from_counts([1, 0, 0], method="shrinkage") == pytest.approx(
        np.log(3)
    )


def test_shrinkage_respects_support_size_with_padding():
    padded = entropy_from_counts([4, 1, 0, 0, 0, 0], method="shrinkage", n_categories=4)
    assert padded == pytest.approx(
        entropy_from_counts([4, 1, 0, 0], method="shrinkage")
    )


@pytest.mark.parametrize(
    "alpha, a", [("jeffreys", 0.5), ("laplace", 1.0), ("perks", 1 / 3), (0.2, 0.2)]
)
def test_dirichlet_pseudocounts(alpha, a):
    counts = np.array([3.0, 0.0, 1.0])
    got = entropy_from_counts(counts, method="dirichlet", alpha=alpha)
    assert got == pytest.approx(scipy_entropy(counts + a))


def test_dirichlet_minimax_uses_sqrt_n_over_k():
    counts = np.array([9.0, 0.0, 7.0])
    a = np.sqrt(16) / 3
    assert entropy_from_counts(
        counts, method="dirichlet", alpha="minimax"
    ) == pytest.approx(scipy_entropy(counts + a))


def test_unknown_method_raises():
    with pytest.raises(ValueError, match="method"):
        entropy_from_counts([1, 2], method="nsb")


def test_mutual_info_matches_sklearn():
    rng = np.random.default_rng(1)
    a, b = rng.integers(0, 4, 500), rng.integers(0, 3, 500)
    table = np.zeros((4, 3))
    np.add.at(table, (a, b), 1)
    assert mutual_info_from_table(table) == pytest.approx(mutual_info_score(a, b))
    assert mutual_info_from_table(np.outer([1, 2], [3, 4])) == pytest.approx(
        0, abs=1e-12
    )


def test_conditional_mutual_info_chain_rule():
    table = np.random.default_rng(2).integers(0, 9, size=(3, 4, 2)).astype(float)
    # I(X,Z;Y) = I(Z;Y) + I(X;Y|Z), with (X, Z) flattened into one variable
    xz_y = table.transpose(0, 2, 1).reshape(6, 4)
    lhs = mutual_info_from_table(xz_y)
    rhs = mutual_info_from_table(
        table.sum(axis=0).T
    ) + conditional_mutual_info_from_table(table)
    assert lhs == pytest.approx(rhs)


def test_bias_corrected_mutual_info_through_entropies():
    table = np.array([[5.0, 1.0], [2.0, 7.0]])
    h = lambda c: entropy_from_counts(c, method="miller_madow")
    expected = h(table.sum(1)) + h(table.sum(0)) - h(table.ravel())
    assert mutual_info_from_table(table, method="miller_madow") == pytest.approx(
        expected
    )


def test_to_base():
    assert to_base(np.log(2), 2) == pytest.approx(1.0)
    assert to_base(1.5, None) == 1.5


@pytest.mark.parametrize(
    "method, kwargs", [("shrinkage", {}), ("dirichlet", {"alpha": 1.0})]
)
def test_support_larger_than_stored_cells_equals_zero_padding(method, kwargs):
    short = entropy_from_counts([3, 1], method=method, n_categories=6, **kwargs)
    padded = entropy_from_counts([3, 1, 0, 0, 0, 0], method=method, **kwargs)
    assert short == pytest.approx(padded)
    if method == "dirichlet":
        assert short == pytest.approx(scipy_entropy([4, 2, 1, 1, 1, 1]))


def test_roundoff_is_snapped_on_both_sides_relative_to_tiny_terms():
    from skinfo._info import ROUNDOFF, clip_roundoff, roundoff_sum, snap_ratio

    assert clip_roundoff(4.4e-16) == 0.0 and clip_roundoff(-4.4e-16) == 0.0
    assert clip_roundoff(2 * ROUNDOFF) == 2 * ROUNDOFF
    # a negative plug-in value is round-off at any size (it cannot be genuine) ...
    assert clip_roundoff(-2 * ROUNDOFF) == 0.0
    assert roundoff_sum([1e-300, -1e-300 - 1e-305]) == 0.0
    # ... while bias-corrected estimates keep a genuine negative value
    assert clip_roundoff(-2 * ROUNDOFF, "miller_madow") == -2 * ROUNDOFF
    # Every discrete estimator snaps round-off; kNN keeps its raw value.
    assert clip_roundoff(4.4e-16, "miller_madow") == 0.0
    assert clip_roundoff(4.4e-16, "knn") == 4.4e-16
    # Terms below 1 nat shrink the threshold: a genuine 1e-168 survives.
    assert roundoff_sum([1e-168, 1e-168, -1e-168]) == 1e-168
    assert roundoff_sum([np.log(6), np.log(4), -np.log(24)]) == 0.0
    assert snap_ratio(1 - 2e-16) == 1.0 and snap_ratio(3e-17) == 0.0
    assert snap_ratio(0.5) == 0.5


@pytest.mark.parametrize("shape", [(5, 2), (7, 3), (10, 6)])
def test_table_kernels_give_exact_zero_for_independent_tables(shape):
    # measured before: 4.4e-16, 1.3e-15, 1.8e-15
    assert mutual_info_from_table(np.ones(shape)) == 0.0
    assert conditional_mutual_info_from_table(np.ones((*shape, 3))) == 0.0
