"""Tests for skinfo.measures: exact measures of given distributions and tables."""

import warnings

import numpy as np
import pytest
import scipy.stats
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose
from scipy.spatial.distance import jensenshannon
from scipy.special import rel_entr
from sklearn.metrics import mutual_info_score, normalized_mutual_info_score
from sklearn.metrics.cluster import contingency_matrix

from skinfo import measures
from skinfo.measures import (
    conditional_entropy,
    conditional_mutual_info,
    cross_entropy,
    entropy,
    joint_entropy,
    js_distance,
    js_divergence,
    kl_divergence,
    mutual_info,
    normalized_mutual_info,
    variation_of_information,
)

LOG2 = np.log(2.0)
AVERAGE_METHODS = ["min", "geometric", "arithmetic", "max"]


def _random_simplex(rng, shape, zero_fraction=0.0):
    p = rng.random(shape)
    if zero_fraction:
        p[rng.random(shape) < zero_fraction] = 0.0
        p[..., 0] += 1e-3  # keep every vector non-zero
    return p / p.sum(axis=-1, keepdims=True)


def _labels_table(rng, n=200, k_a=4, k_b=5, noise=0.3):
    a = rng.integers(0, k_a, size=n)
    b = np.where(rng.random(n) < noise, rng.integers(0, k_b, size=n), a % k_b)
    return a, b, contingency_matrix(a, b)


def _scipy_entropy_of_table(table):
    return scipy.stats.entropy(np.asarray(table, dtype=float).ravel())


# --------------------------------------------------------------------------------------
# Entropy
# --------------------------------------------------------------------------------------


def test_entropy_closed_forms():
    assert entropy([0.5, 0.5]) == pytest.approx(LOG2, rel=1e-15)
    assert entropy([0.5, 0.5], base=2) == pytest.approx(1.0, rel=1e-15)
    assert entropy([0.25] * 4, base=2) == pytest.approx(2.0, rel=1e-15)
    assert entropy([0.25] * 4, base=4) == pytest.approx(1.0, rel=1e-15)
    assert entropy([1.0, 0.0, 0.0]) == 0.0
    assert entropy([0.0, 7.0]) == 0.0
    # Hand value: H(1/2, 1/4, 1/4) = 1.5 bits.
    assert entropy([0.5, 0.25, 0.25], base=2) == pytest.approx(1.5, rel=1e-15)


def test_entropy_returns_python_float_for_vector():
    value = entropy([0.2, 0.8])
    assert type(value) is float


@pytest.mark.parametrize("base", [None, 2, np.e, 10, 3.5])
def test_entropy_matches_scipy(base):
    rng = np.random.default_rng(0)
    for _ in range(5):
        p = _random_simplex(rng, 7, zero_fraction=0.3)
        expected = scipy.stats.entropy(p, base=base)
        assert entropy(p, base=base) == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_entropy_normalizes_counts():
    counts = np.array([3, 1, 0, 4])
    assert entropy(counts) == pytest.approx(entropy(counts / counts.sum()), rel=1e-14)
    assert entropy([1, 1]) == pytest.approx(LOG2, rel=1e-15)
    # Huge finite weights must not overflow the normalising sum.
    assert entropy([1e308, 1e308, 1e308]) == pytest.approx(np.log(3), rel=1e-14)


def test_joint_entropy():
    assert joint_entropy([[0.25, 0.25], [0.25, 0.25]], base=2) == pytest.approx(2.0)
    assert joint_entropy([[5, 0], [0, 5]], base=2) == pytest.approx(1.0)
    rng = np.random.default_rng(1)
    table = rng.integers(0, 5, size=(3, 4, 2))
    assert joint_entropy(table) == pytest.approx(
        _scipy_entropy_of_table(table), rel=1e-12
    )
    # A 1-D "table" is just a distribution.
    assert joint_entropy([1, 1, 1, 1], base=2) == pytest.approx(2.0)


def test_conditional_entropy():
    rng = np.random.default_rng(2)
    table = rng.integers(0, 6, size=(4, 3)).astype(float)
    p = table / table.sum()
    p_y = p.sum(axis=0)
    # H(X|Y) = sum_y p(y) H(X | Y=y), X on axis 0.
    expected = sum(p_y[j] * scipy.stats.entropy(p[:, j]) for j in range(3))
    assert conditional_entropy(table) == pytest.approx(expected, rel=1e-12)
    assert conditional_entropy(table, base=2) == pytest.approx(
        expected / LOG2, rel=1e-12
    )
    assert conditional_entropy([[0.5, 0.0], [0.0, 0.5]]) == 0.0
    # Y constant: H(X|Y) = H(X).
    assert conditional_entropy([[1.0], [3.0]]) == pytest.approx(
        scipy.stats.entropy([1, 3])
    )
    # X is a function of Y (each column has one non-empty row): H(X|Y) = 0.
    assert conditional_entropy([[1.0, 2.0, 0.0], [0.0, 0.0, 4.0]]) == 0.0


# --------------------------------------------------------------------------------------
# KL, cross-entropy, JS
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("base", [None, 2, 10])
def test_kl_matches_scipy(base):
    rng = np.random.default_rng(3)
    for _ in range(5):
        p = _random_simplex(rng, 6, zero_fraction=0.3)
        q = _random_simplex(rng, 6)
        via_stats = scipy.stats.entropy(p, q, base=base)
        via_rel_entr = rel_entr(p, q).sum() / (1.0 if base is None else np.log(base))
        value = kl_divergence(p, q, base=base)
        assert value == pytest.approx(via_stats, rel=1e-12, abs=1e-15)
        assert value == pytest.approx(via_rel_entr, rel=1e-12, abs=1e-15)


def test_kl_support_rules():
    assert kl_divergence([0.5, 0.5, 0.0], [1.0, 0.0, 0.0]) == np.inf
    assert kl_divergence([1.0, 0.0, 0.0], [0.5, 0.5, 0.0]) == pytest.approx(LOG2)
    assert kl_divergence([1.0, 0.0, 0.0], [0.5, 0.5, 0.0], base=2) == pytest.approx(1.0)
    assert kl_divergence([0.2, 0.8], [0.2, 0.8]) == 0.0
    # Unnormalised inputs are rescaled, as scipy.stats.entropy does.
    assert kl_divergence([2, 6], [5, 5]) == pytest.approx(
        scipy.stats.entropy([2, 6], [5, 5]), rel=1e-14
    )


def test_cross_entropy_is_entropy_plus_kl():
    rng = np.random.default_rng(4)
    for base in (None, 2):
        p = _random_simplex(rng, 5, zero_fraction=0.3)
        q = _random_simplex(rng, 5)
        expected = entropy(p, base=base) + kl_divergence(p, q, base=base)
        assert cross_entropy(p, q, base=base) == pytest.approx(expected, rel=1e-12)
        direct = -np.sum(p[p > 0] * np.log(q[p > 0]))
        direct /= 1.0 if base is None else np.log(base)
        assert cross_entropy(p, q, base=base) == pytest.approx(direct, rel=1e-12)
    assert cross_entropy(p, p) == pytest.approx(entropy(p), rel=1e-12)
    assert cross_entropy([0.5, 0.5, 0.0], [1.0, 0.0, 0.0]) == np.inf
    # q may vanish where p does.
    assert cross_entropy([1.0, 0.0], [0.5, 0.0], base=2) == 0.0


def test_tutorial_numbers():
    # TUTORIAL.md: true p = [.3, .2, .5] and the "good" prediction q = [.4, .3, .3].
    p = np.array([0.3, 0.2, 0.5])
    q = np.array([0.4, 0.3, 0.3])
    expected_kl = scipy.stats.entropy(p, q, base=2)
    expected_ce = -np.sum(p * np.log2(q))
    assert kl_divergence(p, q, base=2) == pytest.approx(expected_kl, rel=1e-13)
    assert cross_entropy(p, q, base=2) == pytest.approx(expected_ce, rel=1e-13)
    # The three-decimal values the tutorial prints.
    # Hand values: .3 log2(.75) + .2 log2(2/3) + .5 log2(5/3) = 0.127 bits, and
    # H(p) = 1.485 bits, so H(p, q) = 1.612 bits.
    assert round(kl_divergence(p, q, base=2), 3) == 0.127
    assert round(entropy(p, base=2), 3) == 1.485
    assert round(cross_entropy(p, q, base=2), 3) == 1.612
    assert cross_entropy(p, p, base=2) == pytest.approx(scipy.stats.entropy(p, base=2))


@pytest.mark.parametrize("base", [None, 2, 10])
def test_js_distance_matches_scipy(base):
    rng = np.random.default_rng(5)
    for _ in range(5):
        p = _random_simplex(rng, 6, zero_fraction=0.3)
        q = _random_simplex(rng, 6, zero_fraction=0.3)
        expected = jensenshannon(p, q, base=base)
        assert js_distance(p, q, base=base) == pytest.approx(expected, rel=1e-10)
        assert js_divergence(p, q, base=base) == pytest.approx(expected**2, rel=1e-10)


def test_js_closed_forms_and_bounds():
    assert js_divergence([1, 0], [0, 1]) == pytest.approx(LOG2, rel=1e-15)
    assert js_divergence([1, 0], [0, 1], base=2) == pytest.approx(1.0, rel=1e-15)
    assert js_distance([1, 0], [0, 1]) == pytest.approx(np.sqrt(LOG2), rel=1e-15)
    assert js_divergence([0.3, 0.7], [0.3, 0.7]) == 0.0
    rng = np.random.default_rng(6)
    for _ in range(10):
        p = _random_simplex(rng, 4, zero_fraction=0.4)
        q = _random_simplex(rng, 4, zero_fraction=0.4)
        js = js_divergence(p, q)
        assert 0.0 <= js <= LOG2 + 1e-12
        assert js == js_divergence(q, p)


def test_js_weights():
    rng = np.random.default_rng(7)
    p = _random_simplex(rng, 5, zero_fraction=0.3)
    q = _random_simplex(rng, 5, zero_fraction=0.3)
    w = np.array([0.2, 0.8])
    m = w[0] * p + w[1] * q
    expected = (
        scipy.stats.entropy(m)
        - w[0] * scipy.stats.entropy(p)
        - w[1] * scipy.stats.entropy(q)
    )
    assert js_divergence(p, q, weights=w) == pytest.approx(expected, rel=1e-12)
    # Weights are normalised; swapping both arguments and weights is a no-op.
    assert js_divergence(p, q, weights=[1, 4]) == pytest.approx(expected, rel=1e-12)
    assert js_divergence(q, p, weights=w[::-1]) == pytest.approx(expected, rel=1e-12)
    assert js_distance(p, q, weights=w) == pytest.approx(np.sqrt(expected))
    # Disjoint supports reach the bound H(pi).
    assert js_divergence([1, 0], [0, 1], weights=w) == pytest.approx(
        scipy.stats.entropy(w), rel=1e-14
    )
    # A zero weight makes the divergence vanish.
    assert js_divergence([1, 0], [0, 1], weights=[0, 1]) == 0.0
    # Equal weights equal the default.
    assert js_divergence(p, q, weights=[3, 3]) == js_divergence(p, q)


# --------------------------------------------------------------------------------------
# Batches along an axis
# --------------------------------------------------------------------------------------


PAIR_FUNCTIONS = [kl_divergence, cross_entropy, js_divergence, js_distance]


@pytest.mark.parametrize("axis", [0, 1, -1, 2])
def test_batched_entropy_matches_loop(axis):
    rng = np.random.default_rng(8)
    p = rng.random((3, 4, 5))
    p[p < 0.2] = 0.0
    assert all(np.all(p.sum(axis=ax) > 0) for ax in range(3))  # valid on every axis
    result = entropy(p, axis=axis, base=2)
    moved = np.moveaxis(p, axis, -1)
    assert result.shape == moved.shape[:-1]
    expected = np.array(
        [entropy(v, base=2) for v in moved.reshape(-1, moved.shape[-1])]
    )
    assert_allclose(result, expected.reshape(moved.shape[:-1]), rtol=1e-13)
    assert_allclose(result, scipy.stats.entropy(p, base=2, axis=axis), rtol=1e-12)


@pytest.mark.parametrize("func", PAIR_FUNCTIONS)
@pytest.mark.parametrize("axis", [0, -1])
def test_batched_pair_matches_loop(func, axis):
    rng = np.random.default_rng(9)
    p = _random_simplex(rng, (4, 6), zero_fraction=0.3)
    q = _random_simplex(rng, (4, 6))
    if axis == 0:
        p, q = p.T.copy(), q.T.copy()
    result = func(p, q, base=2, axis=axis)
    assert isinstance(result, np.ndarray)
    assert result.shape == (4,)
    pv, qv = (p.T, q.T) if axis == 0 else (p, q)
    expected = [func(a, b, base=2) for a, b in zip(pv, qv, strict=True)]
    assert_allclose(result, expected, rtol=1e-13)


def test_batched_js_distance_matches_scipy_axis():
    rng = np.random.default_rng(10)
    p = _random_simplex(rng, (3, 5))
    q = _random_simplex(rng, (3, 5))
    assert_allclose(
        js_distance(p.T, q.T, axis=0), jensenshannon(p.T, q.T, axis=0), rtol=1e-10
    )


# --------------------------------------------------------------------------------------
# Mutual information, NMI, VI
# --------------------------------------------------------------------------------------


def test_mutual_info_matches_sklearn_contingency():
    rng = np.random.default_rng(11)
    for _ in range(3):
        _, _, table = _labels_table(rng)
        expected = mutual_info_score(None, None, contingency=table)
        assert mutual_info(table) == pytest.approx(expected, rel=1e-12)
        assert mutual_info(table, base=2) == pytest.approx(expected / LOG2, rel=1e-12)
        # Counts and probabilities give the same value.
        assert mutual_info(table / table.sum()) == pytest.approx(expected, rel=1e-12)


def test_mutual_info_closed_forms():
    assert mutual_info([[0.5, 0.0], [0.0, 0.5]], base=2) == pytest.approx(1.0)
    assert mutual_info(np.eye(4), base=2) == pytest.approx(2.0)
    rng = np.random.default_rng(12)
    px, py = _random_simplex(rng, 4), _random_simplex(rng, 6)
    assert mutual_info(np.outer(px, py)) == pytest.approx(0.0, abs=1e-14)
    assert mutual_info([[3.0, 5.0]]) == 0.0


def test_mutual_info_entropy_identity():
    rng = np.random.default_rng(13)
    table = rng.integers(0, 9, size=(5, 3)).astype(float)
    hx = entropy(table.sum(axis=1))
    hy = entropy(table.sum(axis=0))
    hxy = joint_entropy(table)
    assert mutual_info(table) == pytest.approx(hx + hy - hxy, rel=1e-12)
    assert mutual_info(table) == pytest.approx(
        hx - conditional_entropy(table), rel=1e-12
    )
    assert mutual_info(table) == pytest.approx(
        hy - conditional_entropy(table.T), rel=1e-12
    )


def test_conditional_mutual_info_chain_rule():
    rng = np.random.default_rng(14)
    nx, ny, nz = 3, 4, 2
    table = rng.random((nx, ny, nz))
    table[table < 0.15] = 0.0
    # I(X,Z;Y) with the pair (X, Z) flattened into one variable on axis 0.
    xz_y = table.transpose(0, 2, 1).reshape(nx * nz, ny)
    z_y = table.sum(axis=0).T
    assert mutual_info(xz_y) == pytest.approx(
        mutual_info(z_y) + conditional_mutual_info(table), rel=1e-12
    )


def test_conditional_mutual_info_matches_slices():
    rng = np.random.default_rng(15)
    table = rng.integers(0, 7, size=(3, 3, 4)).astype(float)
    p = table / table.sum()
    p_z = p.sum(axis=(0, 1))
    expected = sum(
        p_z[k] * mutual_info_score(None, None, contingency=table[:, :, k])
        for k in range(table.shape[2])
        if p_z[k] > 0
    )
    assert conditional_mutual_info(table) == pytest.approx(expected, rel=1e-12)
    assert conditional_mutual_info(table, base=2) == pytest.approx(
        expected / LOG2, rel=1e-12
    )
    # Conditionally independent given Z: product tables in every slice.
    rng = np.random.default_rng(16)
    indep = np.stack(
        [
            np.outer(_random_simplex(rng, 3), _random_simplex(rng, 2)) * w
            for w in (0.2, 0.5, 0.3)
        ],
        axis=-1,
    )
    assert conditional_mutual_info(indep) == pytest.approx(0.0, abs=1e-14)


@pytest.mark.parametrize("average_method", AVERAGE_METHODS)
def test_normalized_mutual_info_matches_sklearn(average_method):
    rng = np.random.default_rng(17)
    for noise in (0.0, 0.3, 1.0):
        a, b, table = _labels_table(rng, noise=noise)
        expected = normalized_mutual_info_score(a, b, average_method=average_method)
        value = normalized_mutual_info(table, average_method=average_method)
        assert value == pytest.approx(expected, rel=1e-12, abs=1e-15)
        assert 0.0 <= value <= 1.0


@pytest.mark.parametrize("average_method", AVERAGE_METHODS)
def test_normalized_mutual_info_edge_cases(average_method):
    def both(a, b):
        expected = normalized_mutual_info_score(a, b, average_method=average_method)
        value = normalized_mutual_info(
            contingency_matrix(a, b), average_method=average_method
        )
        assert value == expected
        return value

    assert both([0, 0, 0], [1, 1, 1]) == 1.0  # both constant
    assert both([0, 0, 0, 0], [0, 1, 2, 3]) == 0.0  # one constant
    assert both([0, 1, 2, 3], [5, 5, 5, 5]) == 0.0
    assert both([0, 0, 1, 1], [0, 1, 0, 1]) == 0.0  # independent
    assert both([0, 0, 1, 1], [1, 1, 0, 0]) == 1.0  # identical partitions
    # Empty rows/columns of a table are absent labels, not extra ones.
    assert normalized_mutual_info([[0, 0], [0, 4]], average_method=average_method) == 1


def test_variation_of_information_identities():
    rng = np.random.default_rng(18)
    _, _, table = _labels_table(rng)
    hx = entropy(table.sum(axis=1))
    hy = entropy(table.sum(axis=0))
    expected = hx + hy - 2 * mutual_info(table)
    assert variation_of_information(table) == pytest.approx(expected, rel=1e-12)
    assert variation_of_information(table) == pytest.approx(
        conditional_entropy(table) + conditional_entropy(table.T), rel=1e-12
    )
    assert variation_of_information(table, base=2) == pytest.approx(
        expected / LOG2, rel=1e-12
    )
    assert variation_of_information(table, normalized=True) == pytest.approx(
        expected / joint_entropy(table), rel=1e-12
    )
    assert variation_of_information(table.T) == pytest.approx(
        variation_of_information(table), rel=1e-12
    )
    # Identical partitions (up to relabelling) are at distance 0.
    assert variation_of_information([[0, 3], [2, 0]]) == 0.0
    assert variation_of_information([[0, 3], [2, 0]], normalized=True) == 0.0
    # Both constant: H(X,Y) = 0, normalized VI defined as 0.
    assert variation_of_information([[5.0]], normalized=True) == 0.0
    # Independent fair bits: VI = 2 bits, normalized VI = 1.
    assert variation_of_information(np.ones((2, 2)), base=2) == pytest.approx(2.0)
    assert variation_of_information(np.ones((2, 2)), normalized=True) == pytest.approx(
        1.0
    )


@pytest.mark.parametrize("normalized", [False, True])
def test_variation_of_information_triangle_inequality(normalized):
    rng = np.random.default_rng(19)
    n = 60
    for _ in range(20):
        a, b, c = (rng.integers(0, k, size=n) for k in rng.integers(1, 5, size=3))

        def vi(u, v):
            return variation_of_information(
                contingency_matrix(u, v), normalized=normalized
            )

        assert vi(a, c) <= vi(a, b) + vi(b, c) + 1e-12
        assert vi(a, b) == pytest.approx(vi(b, a), abs=1e-12)
        assert vi(a, a) == pytest.approx(0.0, abs=1e-12)


# --------------------------------------------------------------------------------------
# Inputs are never modified; misc. input types
# --------------------------------------------------------------------------------------


def test_inputs_not_modified():
    rng = np.random.default_rng(20)
    p = rng.random((3, 4)) * 5
    q = rng.random((3, 4)) * 5
    t3 = rng.random((2, 3, 4)) * 5
    originals = [p.copy(), q.copy(), t3.copy()]
    for arr in (p, q, t3):
        arr.setflags(write=False)  # any in-place write would raise
    entropy(p, axis=0)
    joint_entropy(t3)
    conditional_entropy(p)
    for func in PAIR_FUNCTIONS:
        func(p, q, axis=0)
    js_divergence(p, q, weights=np.array([1.0, 3.0]))
    mutual_info(p)
    conditional_mutual_info(t3)
    normalized_mutual_info(p)
    variation_of_information(p, normalized=True)
    for arr, orig in zip((p, q, t3), originals, strict=True):
        np.testing.assert_array_equal(arr, orig)


def test_integer_list_and_pandas_inputs():
    pd = pytest.importorskip("pandas")
    table = [[3, 1], [0, 4]]
    frame = pd.DataFrame(table, columns=["a", "b"])
    assert mutual_info(frame) == pytest.approx(mutual_info(np.array(table)))
    assert entropy(pd.Series([1, 1, 2, 0])) == pytest.approx(entropy([1, 1, 2, 0]))


# --------------------------------------------------------------------------------------
# Property-based tests
# --------------------------------------------------------------------------------------

PROPERTY = settings(max_examples=50, deadline=None)


def _tables(min_side=1, max_side=5):
    shapes = st.tuples(st.integers(min_side, max_side), st.integers(min_side, max_side))
    return hnp.arrays(
        np.float64, shapes, elements=st.floats(0.0, 100.0, allow_subnormal=False)
    )


def _vector_pairs():
    return st.integers(1, 6).flatmap(
        lambda n: st.tuples(
            *(
                hnp.arrays(
                    np.float64, n, elements=st.floats(0, 10.0, allow_subnormal=False)
                )
                for _ in range(2)
            )
        )
    )


@PROPERTY
@given(table=_tables(), data=st.data())
def test_property_mutual_info(table, data):
    assume(table.max() > 0)
    mi = mutual_info(table)
    assert mi >= 0.0
    assert mutual_info(table.T) == pytest.approx(mi, rel=1e-9, abs=1e-12)
    rows = data.draw(st.permutations(range(table.shape[0])))
    cols = data.draw(st.permutations(range(table.shape[1])))
    permuted = table[np.ix_(rows, cols)]
    assert mutual_info(permuted) == pytest.approx(mi, rel=1e-9, abs=1e-12)
    # Bounded by both marginal entropies.
    assert mi <= entropy(table.sum(axis=1)) + 1e-12
    assert mi <= entropy(table.sum(axis=0)) + 1e-12
    for method in AVERAGE_METHODS:
        assert 0.0 <= normalized_mutual_info(table, average_method=method) <= 1.0


@PROPERTY
@given(pair=_vector_pairs())
def test_property_kl_and_js(pair):
    p, q = pair
    assume(p.sum() > 0 and q.sum() > 0)
    assert kl_divergence(p, q) >= 0.0
    js = js_divergence(p, q)
    assert js == pytest.approx(js_divergence(q, p), rel=1e-12, abs=1e-15)
    assert 0.0 <= js <= LOG2 + 1e-12
    assert js_distance(p, q, base=2) <= 1.0 + 1e-12


# --------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------

GOOD_VEC = [0.2, 0.3, 0.5]
GOOD_2D = [[1.0, 2.0], [3.0, 4.0]]
GOOD_3D = np.ones((2, 2, 2))


def _partner(x):
    """A valid distribution of the same shape as ``x`` (or of length 2)."""
    shape = np.shape(x)
    return np.ones(shape) if len(shape) > 0 and 0 not in shape else np.ones(2)


# "function:argument" -> callable passing the value under test as that argument.
VECTOR_CASES = {
    "entropy": lambda p: entropy(p),
    "kl_divergence:p": lambda p: kl_divergence(p, _partner(p)),
    "kl_divergence:q": lambda q: kl_divergence(_partner(q), q),
    "cross_entropy:p": lambda p: cross_entropy(p, _partner(p)),
    "cross_entropy:q": lambda q: cross_entropy(_partner(q), q),
    "js_divergence:p": lambda p: js_divergence(p, _partner(p)),
    "js_divergence:q": lambda q: js_divergence(_partner(q), q),
    "js_distance:p": lambda p: js_distance(p, _partner(p)),
    "js_distance:q": lambda q: js_distance(_partner(q), q),
}
TABLE_CASES = {
    "joint_entropy": (joint_entropy, None),
    "conditional_entropy": (conditional_entropy, 2),
    "mutual_info": (mutual_info, 2),
    "conditional_mutual_info": (conditional_mutual_info, 3),
    "normalized_mutual_info": (normalized_mutual_info, 2),
    "variation_of_information": (variation_of_information, 2),
}


def _arg_name(case):
    return case.split(":")[1] if ":" in case else "p"


BAD_VECTORS = [
    ([], "is empty"),
    ([0.5, np.nan], "NaN or infinite"),
    ([0.5, np.inf], "NaN or infinite"),
    ([0.5, -np.inf], "NaN or infinite"),
    ([0.5, -0.1, 0.6], "negative entries"),
    ([0.0, 0.0], "positive sum"),
    ([[1.0, 0.0], [0.0, 0.0]], "positive sum"),  # one all-zero vector in a batch
    (0.5, "at least 1-D"),
]


@pytest.mark.parametrize("case", list(VECTOR_CASES))
@pytest.mark.parametrize(("bad", "message"), BAD_VECTORS)
def test_vector_functions_reject_bad_values(case, bad, message):
    name = _arg_name(case)
    bad = np.asarray(bad, dtype=float)
    with pytest.raises(ValueError, match=rf"^{name} .*{message}"):
        VECTOR_CASES[case](bad)


@pytest.mark.parametrize("case", list(VECTOR_CASES))
@pytest.mark.parametrize("bad", ["abc", ["a", "b"], [1.0, "x"], [1 + 1j, 2]])
def test_vector_functions_reject_non_numeric(case, bad):
    name = _arg_name(case)
    with pytest.raises(TypeError, match=rf"^{name} must be"):
        VECTOR_CASES[case](bad)


def test_ragged_input_rejected():
    with pytest.raises(ValueError, match=r"^p could not be converted"):
        entropy([[1, 2], [3]])


@pytest.mark.parametrize("func", PAIR_FUNCTIONS)
def test_pair_shape_mismatch(func):
    with pytest.raises(ValueError, match=r"^p and q must have the same shape"):
        func([0.5, 0.5], [0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match=r"^p and q must have the same shape"):
        func(np.ones((2, 3)), np.ones((3, 2)))


@pytest.mark.parametrize("case", list(TABLE_CASES))
@pytest.mark.parametrize(
    ("fill", "message"),
    [
        (np.nan, "NaN or infinite"),
        (np.inf, "NaN or infinite"),
        (-1.0, "negative entries"),
    ],
)
def test_table_functions_reject_bad_values(case, fill, message):
    func, ndim = TABLE_CASES[case]
    table = np.ones((2,) * (ndim or 2))
    table.flat[0] = fill
    with pytest.raises(ValueError, match=rf"^joint .*{message}"):
        func(table)


@pytest.mark.parametrize("case", list(TABLE_CASES))
def test_table_functions_reject_empty_and_zero(case):
    func, ndim = TABLE_CASES[case]
    with pytest.raises(ValueError, match=r"^joint (is empty|must be)"):
        func(np.zeros((0,) * (ndim or 2)))
    with pytest.raises(ValueError, match=r"^joint must have a positive sum"):
        func(np.zeros((2,) * (ndim or 2)))
    with pytest.raises(TypeError, match=r"^joint must be"):
        func("table")
    with pytest.raises(TypeError, match=r"^joint must be a numeric array-like.*'a'"):
        func(np.array([[1, "a"], [2, 3]], dtype=object))
    with pytest.raises(ValueError, match=r"^joint must be (at least 1-D|a .-D table)"):
        func(3.0)


@pytest.mark.parametrize(
    ("func", "bad_shapes"),
    [
        (conditional_entropy, [(4,), (2, 2, 2)]),
        (mutual_info, [(4,), (2, 2, 2)]),
        (normalized_mutual_info, [(4,), (2, 2, 2)]),
        (variation_of_information, [(4,), (2, 2, 2)]),
        (conditional_mutual_info, [(4,), (2, 2), (2, 2, 2, 2)]),
    ],
)
def test_table_functions_reject_wrong_ndim(func, bad_shapes):
    for shape in bad_shapes:
        with pytest.raises(ValueError, match=r"^joint must be a \d-D table"):
            func(np.ones(shape))


BASE_FUNCTIONS = [
    lambda base: entropy(GOOD_VEC, base=base),
    lambda base: joint_entropy(GOOD_2D, base=base),
    lambda base: conditional_entropy(GOOD_2D, base=base),
    lambda base: kl_divergence(GOOD_VEC, GOOD_VEC, base=base),
    lambda base: cross_entropy(GOOD_VEC, GOOD_VEC, base=base),
    lambda base: js_divergence(GOOD_VEC, GOOD_VEC, base=base),
    lambda base: js_distance(GOOD_VEC, GOOD_VEC, base=base),
    lambda base: mutual_info(GOOD_2D, base=base),
    lambda base: conditional_mutual_info(GOOD_3D, base=base),
    lambda base: variation_of_information(GOOD_2D, base=base),
]


@pytest.mark.parametrize("func", BASE_FUNCTIONS)
def test_bad_base(func):
    for bad in (0, -2.0, 1, 1.0, np.inf, np.nan):
        with pytest.raises(ValueError, match=r"^base must be"):
            func(bad)
    for bad in ("2", True, [2]):
        with pytest.raises(TypeError, match=r"^base must be"):
            func(bad)
    assert np.isfinite(func(2))


@pytest.mark.parametrize("func", [entropy, *PAIR_FUNCTIONS])
def test_bad_axis(func):
    args = (np.ones((2, 3)),) * (1 if func is entropy else 2)
    with pytest.raises(ValueError, match=r"^axis=2 is out of bounds"):
        func(*args, axis=2)
    with pytest.raises(TypeError, match=r"^axis must be an integer"):
        func(*args, axis=1.0)


def test_bad_average_method():
    for bad in ("mean", "", None, 3):
        with pytest.raises(ValueError, match=r"^average_method must be one of"):
            normalized_mutual_info(GOOD_2D, average_method=bad)


def test_bad_normalized():
    with pytest.raises(TypeError, match=r"^normalized must be a bool"):
        variation_of_information(GOOD_2D, normalized="yes")


@pytest.mark.parametrize("func", [js_divergence, js_distance])
@pytest.mark.parametrize(
    ("weights", "error", "message"),
    [
        ([1.0], ValueError, "exactly two"),
        ([1.0, 1.0, 1.0], ValueError, "exactly two"),
        ([0.5, -0.5], ValueError, "negative entries"),
        ([0.0, 0.0], ValueError, "positive sum"),
        ([np.nan, 1.0], ValueError, "NaN or infinite"),
        (["a", "b"], TypeError, "numeric"),
    ],
)
def test_bad_weights(func, weights, error, message):
    with pytest.raises(error, match=rf"^weights .*{message}"):
        func(GOOD_VEC, GOOD_VEC, weights=weights)


def test_all_is_sorted_and_complete():
    assert measures.__all__ == sorted(measures.__all__)
    for name in measures.__all__:
        assert callable(getattr(measures, name))


@pytest.mark.parametrize("average_method", ["arithmetic", "geometric", "min", "max"])
def test_normalized_mutual_info_of_tiny_masses_does_not_underflow(average_method):
    # H(X) = H(Y) ~ 4e-168 nats: their product underflows to 0, their roots do not
    tiny = 1e-170
    table = np.array([[tiny, 0.0], [0.0, 1.0 - tiny]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = normalized_mutual_info(table, average_method=average_method)
    assert value == pytest.approx(1.0)


# --------------------------------------------------------------------------------------
# axis=None flattens, as scipy.stats.entropy(axis=None)
# --------------------------------------------------------------------------------------

_P2 = np.array([[1.0, 2.0, 0.5], [3.0, 4.0, 0.0]])
_Q2 = np.array([[4.0, 3.0, 1.0], [2.0, 1.0, 2.0]])


def test_axis_none_flattens_like_scipy():
    assert entropy(_P2, axis=None) == pytest.approx(
        scipy.stats.entropy(_P2, axis=None), rel=1e-13
    )
    assert isinstance(entropy(_P2, axis=None), float)
    kl = kl_divergence(_P2, _Q2, axis=None)
    assert kl == pytest.approx(scipy.stats.entropy(_P2, _Q2, axis=None), rel=1e-13)
    assert kl > 0  # the row-wise mix-up gave a negative value here
    assert cross_entropy(_P2, _Q2, axis=None) == pytest.approx(
        scipy.stats.entropy(_P2, axis=None) + kl, rel=1e-13
    )
    assert js_distance(_P2, _Q2, axis=None) == pytest.approx(
        jensenshannon(_P2.ravel(), _Q2.ravel()), rel=1e-12
    )
    assert js_divergence(_P2, _Q2, axis=None, base=2) == pytest.approx(
        jensenshannon(_P2.ravel(), _Q2.ravel(), base=2) ** 2, rel=1e-12
    )
    assert entropy(_P2, axis=None) == joint_entropy(_P2)


def test_axis_none_needs_equal_shapes():
    with pytest.raises(ValueError, match="same shape"):
        kl_divergence(_P2, _Q2.T, axis=None)


@settings(max_examples=40, deadline=None)
@given(
    hnp.arrays(
        np.float64,
        st.tuples(st.integers(1, 4), st.integers(1, 4)),
        elements=st.floats(0.01, 100),
    ),
    st.data(),
)
def test_axis_none_kl_matches_scipy_property(p, data):
    q = data.draw(
        hnp.arrays(np.float64, p.shape, elements=st.floats(0.01, 100)), label="q"
    )
    assert kl_divergence(p, q, axis=None) == pytest.approx(
        scipy.stats.entropy(p, q, axis=None), rel=1e-9, abs=1e-12
    )
    assert kl_divergence(p, q, axis=None) >= 0


# --------------------------------------------------------------------------------------
# Round-off: quantities that are exactly 0 (or 1) come out exactly
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shape", [(2, 2, 2), (2, 6, 2), (3, 3, 5), (5, 6, 2), (7, 6, 5)]
)
def test_cmi_of_a_uniform_table_is_exactly_zero(shape):
    # measured before: 1.1e-16 .. 1.9e-15
    assert conditional_mutual_info(np.ones(shape)) == 0.0
    assert conditional_mutual_info(np.ones(shape), base=2) == 0.0


@pytest.mark.parametrize("n", [2, 5, 7, 10])
def test_independent_and_identical_tables_give_exact_values(n):
    for m in (2, 3, 6, 9):
        assert mutual_info(np.ones((n, m))) == 0.0  # was 4.4e-16 at (5, 2)
        assert variation_of_information(np.ones((n, m)), normalized=True) == 1.0
        assert normalized_mutual_info(np.ones((n, m))) == 0.0
    assert variation_of_information(np.eye(n)) == 0.0  # was 8.9e-16 at n = 10
    assert normalized_mutual_info(np.eye(n)) == 1.0  # was 0.9999999999999998
    assert conditional_entropy(np.eye(n)) == 0.0
    p = np.arange(1.0, n + 1)
    assert kl_divergence(p, 3 * p) == 0.0
    assert js_divergence(p, p / 7) == 0.0


def test_tiny_genuine_values_are_not_snapped_to_zero():
    tiny = 1e-170
    table = np.array([[tiny, 0.0], [0.0, 1.0 - tiny]])
    mi = mutual_info(table)
    h = entropy([tiny, 1.0 - tiny])
    assert mi > 0 and mi == pytest.approx(h, rel=1e-9)


# --------------------------------------------------------------------------------------
# Sparse joint tables: computed from the non-zeros, equal to the dense result
# --------------------------------------------------------------------------------------

_SPARSE_FUNCS = {
    "mutual_info": mutual_info,
    "conditional_entropy": conditional_entropy,
    "joint_entropy": joint_entropy,
    "normalized_mutual_info": normalized_mutual_info,
    "variation_of_information": variation_of_information,
    "nmi_geometric": lambda t: normalized_mutual_info(t, average_method="geometric"),
    "vi_normalized": lambda t: variation_of_information(t, normalized=True),
    "mi_bits": lambda t: mutual_info(t, base=2),
}


@pytest.mark.parametrize("name", list(_SPARSE_FUNCS))
@pytest.mark.parametrize("fmt", ["csr_matrix", "csc_array", "coo_array"])
def test_sparse_joint_table_equals_dense(name, fmt):
    from scipy import sparse

    rng = np.random.default_rng(5)
    dense = rng.poisson(0.4, size=(40, 25)).astype(float)
    table = getattr(sparse, fmt)(dense)
    func = _SPARSE_FUNCS[name]
    assert func(table) == pytest.approx(func(dense), rel=1e-12, abs=1e-15)
    # Integer counts and explicit zeros / duplicate COO entries change nothing.
    coo = sparse.coo_array(
        (np.r_[1, 1, 0, 3], (np.r_[0, 0, 1, 2], np.r_[1, 1, 0, 2])), shape=(3, 3)
    )
    assert func(coo) == pytest.approx(func(coo.toarray()), rel=1e-12, abs=1e-15)


def test_sparse_huge_table_is_not_densified():
    from scipy import sparse

    # 10**6 x 10**6 cells would need 8 TB dense; a diagonal gives I = H = log(1000).
    n = 10**6
    rows = np.arange(0, n, 1000)
    table = sparse.csr_array((np.ones(rows.size), (rows, rows)), shape=(n, n))
    assert mutual_info(table) == pytest.approx(np.log(1000), rel=1e-12)
    assert normalized_mutual_info(table) == 1.0
    assert variation_of_information(table) == 0.0


def test_sparse_bad_tables_raise_clear_errors():
    from scipy import sparse

    with pytest.raises(ValueError, match=r"^joint contains negative"):
        mutual_info(sparse.csr_matrix(-np.eye(2)))
    with pytest.raises(ValueError, match=r"^joint must have a positive sum"):
        mutual_info(sparse.csr_matrix((3, 3)))
    with pytest.raises(ValueError, match=r"^joint contains NaN"):
        mutual_info(sparse.csr_matrix(np.array([[np.nan, 1.0], [0.0, 1.0]])))
    with pytest.raises(TypeError, match=r"sparse.*not supported.*toarray\(\)"):
        conditional_mutual_info(sparse.csr_matrix(np.eye(2)))
    for func in (entropy, lambda p: kl_divergence(p, p), lambda p: js_distance(p, p)):
        with pytest.raises(TypeError, match=r"^p is a scipy sparse.*toarray\(\)"):
            func(sparse.csr_matrix(np.ones((1, 3))))


# --------------------------------------------------------------------------------------
# Extreme and odd inputs
# --------------------------------------------------------------------------------------


def test_huge_counts_and_big_integers_give_exact_probabilities():
    assert entropy([1.7e308, 1.7e308]) == pytest.approx(np.log(2))
    assert entropy([1e307] * 3) == pytest.approx(np.log(3))
    assert mutual_info([[1.7e308, 0.0], [0.0, 1.7e308]]) == pytest.approx(np.log(2))
    big = np.array([2**63 - 1, 2**63 - 1], dtype=np.int64)
    assert entropy(big) == pytest.approx(np.log(2))
    assert entropy(np.array([2**64 - 1, 2**64 - 1], dtype=np.uint64)) == (
        pytest.approx(np.log(2))
    )
    assert entropy([True, False, True]) == pytest.approx(np.log(2))


def test_none_entries_are_reported_as_missing():
    with pytest.raises(ValueError, match=r"^p contains NaN.*None"):
        entropy(np.array([None, 1.0], dtype=object))


def test_object_strings_name_the_bad_value():
    with pytest.raises(TypeError, match=r"^q must be a numeric array-like.*'b'"):
        kl_divergence([1, 1], np.array([1, "b"], dtype=object))


@settings(max_examples=40, deadline=None)
@given(
    hnp.arrays(
        np.float64,
        st.tuples(st.integers(1, 5), st.integers(1, 5)),
        elements=st.sampled_from([0.0, 1.0, 2.0, 1e-300, 1e300, 1.7e308]),
    )
)
def test_table_measures_stay_within_their_bounds(table):
    assume(table.max() > 0)
    mi = mutual_info(table)
    scaled = table / table.max()
    hx = entropy(scaled.sum(axis=1))
    hy = entropy(scaled.sum(axis=0))
    assert 0.0 <= mi <= min(hx, hy) + 1e-12
    assert 0.0 <= normalized_mutual_info(table) <= 1.0
    assert variation_of_information(table) >= 0.0
    assert 0.0 <= variation_of_information(table, normalized=True) <= 1.0
    assert conditional_entropy(table) >= 0.0


def test_kl_with_an_underflowed_positive_term_is_not_negative():
    # Hypothesis found it: p0 log(p0/q0) underflows to 0 (true value ~1e-81) while
    # the other term is -3e-306; KL is never negative.
    p = np.array([4.00833816e000, 2.22507386e-308])
    q = np.array([8.16259276e00, 9.36945745e-81])
    assert kl_divergence(p, q) == 0.0
    assert js_divergence(p, q) >= 0.0
