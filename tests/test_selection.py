"""Tests of MIFeatureSelector: criteria against slow transcriptions, behaviour, API."""

import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from joblib import Memory
from numpy.testing import assert_allclose, assert_array_equal
from scipy.stats import chi2, chi2_contingency
from scipy.stats import entropy as scipy_entropy
from sklearn.datasets import make_classification
from sklearn.feature_selection import mutual_info_classif
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import mutual_info_score
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline

import skinfo._autostop as autostop_module
import skinfo._binned_greedy as binned_module
import skinfo._knn_path as knn_module
import skinfo._selection as selection_module
import skinfo._selection_encoding as encoding_module
from skinfo._selection import CRITERIA, MIFeatureSelector

# --------------------------------------------------------------------------------------
# A slow, obviously correct transcription of every criterion (ALGORITHMS.md section 3)
# --------------------------------------------------------------------------------------


def _joint(*columns):
    """One label per distinct combination of the columns."""
    return np.unique(np.column_stack(columns), axis=0, return_inverse=True)[1].ravel()


def _mi(a, b):
    return mutual_info_score(a, b)


def _cmi(a, b, c):
    """I(A;B|C) = sum_c p(c) I(A;B|C=c), each term by scikit-learn."""
    return sum(
        np.mean(c == v) * mutual_info_score(a[c == v], b[c == v]) for v in np.unique(c)
    )


def _h(*columns):
    return scipy_entropy(np.bincount(_joint(*columns)))


def _pairwise_terms(X, y):
    """Every term the criteria use, each computed directly from joint labels."""
    d = X.shape[1]
    rel = np.array([_mi(X[:, k], y) for k in range(d)])
    red, cond, pair, cmi, h3 = (np.zeros((d, d)) for _ in range(5))
    for k in range(d):
        for j in range(d):
            xk, xj = X[:, k], X[:, j]
            red[k, j] = _mi(xk, xj)  # I(X_k; X_j)
            cond[k, j] = _cmi(xk, xj, y)  # I(X_k; X_j | Y)
            pair[k, j] = _mi(_joint(xk, xj), y)  # I(X_k, X_j; Y)
            cmi[k, j] = _cmi(xk, y, xj)  # I(X_k; Y | X_j)
            h3[k, j] = _h(xk, xj, y)  # H(X_k, X_j, Y)
    return {"rel": rel, "red": red, "cond": cond, "pair": pair, "cmi": cmi, "h3": h3}


def _reference_score(criterion, t, k, selected, beta):
    """Score of candidate k given the selected list, transcribed from the table."""
    rel = t["rel"][k]
    red = [t["red"][k, j] for j in selected]
    cond = [t["cond"][k, j] for j in selected]
    pair = [t["pair"][k, j] for j in selected]
    if criterion == "mim":
        return rel
    if criterion == "mifs":
        return rel - beta * sum(red)
    if criterion == "mrmr":
        return rel - np.mean(red)
    if criterion == "mrmr_quotient":
        return rel / max(np.mean(red), 1e-12)
    if criterion == "jmi":
        return sum(pair)
    if criterion == "jmim":
        return min(pair)
    if criterion == "cmim":
        return min(t["cmi"][k, j] for j in selected)
    if criterion == "disr":
        return sum(t["pair"][k, j] / t["h3"][k, j] for j in selected)
    if criterion == "cife":
        return rel - sum(red) + sum(cond)
    if criterion == "icap":
        return rel - sum(max(0.0, r - c) for r, c in zip(red, cond, strict=True))
    if criterion == "condred":
        return rel + sum(cond)
    raise AssertionError(criterion)


def _reference_ranking(criterion, t, beta=1.0):
    """Greedy forward selection, step one by relevance, ties to the lowest index
    (scores within 1e-10 relative count as tied, the selector's documented rule)."""
    d = t["rel"].size
    selected = [_first_max(t["rel"])]
    while len(selected) < d:
        rest = [k for k in range(d) if k not in selected]
        scores = [_reference_score(criterion, t, k, selected, beta) for k in rest]
        selected.append(rest[_first_max(np.array(scores))])
    return selected


def _first_max(scores):
    top = np.max(scores)
    return int(np.flatnonzero(scores >= top - 1e-10 * max(1.0, abs(top)))[0])


def _hand_made(seed):
    """Small discrete data with relevance, redundancy, synergy and noise."""
    rng = np.random.default_rng(seed)
    n = 90
    y = rng.integers(0, 3, size=n)
    a = rng.integers(0, 2, size=n)
    noisy_y = np.where(rng.random(n) < 0.3, rng.integers(0, 3, size=n), y)
    X = np.column_stack(
        [
            rng.integers(0, 3, size=n),  # noise
            noisy_y,  # relevant
            (y + a) % 3,  # synergy with a
            a,  # relevant only jointly
            noisy_y,  # exact copy of column 1
            np.where(rng.random(n) < 0.5, noisy_y, rng.integers(0, 3, size=n)),
            (noisy_y + rng.integers(0, 2, size=n)) % 3,
        ]
    )
    return X, y


_TERMS = {}


def _terms_of(seed):
    if seed not in _TERMS:
        X, y = _hand_made(seed)
        _TERMS[seed] = (X, y, _pairwise_terms(X, y))
    return _TERMS[seed]


@pytest.mark.parametrize("criterion", CRITERIA)
def test_ranking_matches_slow_transcription(criterion):
    for seed in (0, 1):
        X, y, terms = _terms_of(seed)
        beta = 0.7
        selector = MIFeatureSelector(
            n_features_to_select=X.shape[1], criterion=criterion, beta=beta
        ).fit(X, y)
        assert_array_equal(
            selector.ranking_, _reference_ranking(criterion, terms, beta=beta)
        )
        assert_allclose(selector.relevance_, terms["rel"])
        # each step's score is the criterion's value for the chosen feature
        ranking = list(selector.ranking_)
        for t in range(1, X.shape[1]):
            want = _reference_score(criterion, terms, ranking[t], ranking[:t], beta)
            assert_allclose(selector.scores_[t], want, rtol=1e-9, atol=1e-12)


def test_criteria_orders_differ_on_hand_made_data():
    # The transcription test would be weak if every criterion agreed.
    _, _, terms = _terms_of(0)
    orders = {tuple(_reference_ranking(c, terms)) for c in CRITERIA}
    assert len(orders) >= 4


def test_gains_are_conditional_mi_given_selected():
    X, y = _hand_made(1)
    sel = MIFeatureSelector(4, criterion="jmi").fit(X, y)
    r = sel.ranking_
    assert_allclose(sel.gains_[0], _mi(X[:, r[0]], y))
    assert_allclose(sel.gains_[1], _cmi(X[:, r[1]], y, X[:, r[0]]))
    want = min(_cmi(X[:, r[2]], y, X[:, j]) for j in r[:2])
    assert_allclose(sel.gains_[2], want)


def test_miller_madow_scores_match_corrected_entropies():
    X, y = _hand_made(2)

    def h_mm(*cols):
        counts = np.bincount(_joint(*cols))
        counts = counts[counts > 0]
        return scipy_entropy(counts) + (counts.size - 1) / (2 * counts.sum())

    sel = MIFeatureSelector(3, criterion="jmi", method="miller_madow").fit(X, y)
    rel = [h_mm(X[:, k]) + h_mm(y) - h_mm(X[:, k], y) for k in range(X.shape[1])]
    assert_allclose(sel.relevance_, rel)
    s, k = sel.ranking_[0], sel.ranking_[1]
    pair = h_mm(X[:, k], X[:, s]) + h_mm(y) - h_mm(X[:, k], X[:, s], y)
    assert_allclose(sel.scores_[1], pair)


def test_first_pvalue_is_bonferroni_pearson_test():
    X, y = _hand_made(0)
    sel = MIFeatureSelector(2).fit(X, y)
    k = sel.ranking_[0]
    table = pd.crosstab(X[:, k], y).to_numpy()
    stat, _, df, _ = chi2_contingency(table, correction=False)
    n = X.shape[0]  # the "N - 1" chi-square: X^2 (n - 1) / n
    p = chi2.sf(stat * (n - 1) / n, df)
    assert_allclose(sel.pvalues_[0], min(1.0, p * X.shape[1]))


def _stratified_pearson(x, y, strata):
    """N-1 Pearson X^2 of x against y summed over strata, and its df, by crosstabs."""
    stat = df = 0
    for z in np.unique(strata):
        table = pd.crosstab(x[strata == z], y[strata == z]).to_numpy()
        if min(table.shape) > 1:
            stat_z, _, df_z, _ = chi2_contingency(table, correction=False)
            n_z = table.sum()
            stat, df = stat + stat_z * (n_z - 1) / n_z, df + df_z
    return stat, df


@pytest.mark.parametrize("wide", [False, True])
def test_later_pvalues_combine_joint_holm_and_each_feature_tests(monkeypatch, wide):
    # discrete columns: Pearson's test only. Step t is tested given the columns of
    # steps 0..t-1 jointly (Holm factor d - t) and given each alone (no factor).
    if wide:  # the sparse per-column path must give the same statistic
        monkeypatch.setattr(autostop_module, "TABLE_BUDGET", 8)
    X, y = _hand_made(1)
    d = X.shape[1]
    sel = MIFeatureSelector(4, criterion="cmim").fit(X, y)
    ranking = sel.ranking_
    for step in (1, 2, 3):
        k = ranking[step]
        each = [
            chi2.sf(*_stratified_pearson(X[:, k], y, X[:, j])) for j in ranking[:step]
        ]
        _, strata = np.unique(X[:, ranking[:step]], axis=0, return_inverse=True)
        joint = chi2.sf(*_stratified_pearson(X[:, k], y, strata.ravel()))
        expected = max(min(1.0, joint * (d - step)), max(each))
        assert_allclose(sel.pvalues_[step], expected)


def test_pvalues_are_calibrated_on_sparse_null_tables():
    # N = 600, 8 x 8 strata x 5 classes: about 2 samples per cell, where the
    # G-test rejects a true null most of the time at level 0.05
    rng = np.random.default_rng(0)
    pvalues = []
    for _ in range(100):
        X = rng.integers(0, 8, size=(600, 2))
        y = rng.integers(0, 5, size=600)
        pvalues.append(MIFeatureSelector(2).fit(X, y).pvalues_[1])
    assert np.mean(np.asarray(pvalues) < 0.05) < 0.12


def test_relevance_of_binned_columns_matches_mutual_info_score():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 4))
    y = (X[:, 0] + 0.5 * rng.normal(size=300) > 0).astype(int)
    sel = MIFeatureSelector(2, n_bins=5).fit(X, y)
    for j in range(4):
        codes = np.searchsorted(sel.bin_edges_[j], X[:, j], side="right")
        assert len(sel.bin_edges_[j]) == 4
        assert_allclose(sel.relevance_[j], mutual_info_score(codes, y))


# --------------------------------------------------------------------------------------
# Behaviour on synthetic data
# --------------------------------------------------------------------------------------


def _signal_data(n_informative, n_redundant, n_repeated, seed, n_classes=2):
    return make_classification(
        n_samples=2000,
        n_features=20,
        n_informative=n_informative,
        n_redundant=n_redundant,
        n_repeated=n_repeated,
        n_clusters_per_class=1,
        n_classes=n_classes,
        shuffle=False,
        random_state=seed,
    )


def _has_exact_copies(X, columns):
    return any(
        np.array_equal(X[:, a], X[:, b])
        for i, a in enumerate(columns)
        for b in columns[i + 1 :]
    )


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_make_classification_criteria_skip_copies_and_noise(seed):
    X, y = _signal_data(4, 2, 2, seed)  # columns 0-3 informative, 4-5 redundant,
    n_signal = 8  # 6-7 exact copies of earlier columns, 8-19 noise
    cmim = MIFeatureSelector(4, criterion="cmim").fit(X, y).ranking_[:4]
    assert max(cmim) < n_signal
    assert not _has_exact_copies(X, cmim)
    assert np.linalg.matrix_rank(X[:, cmim]) == 4  # spans the informative space
    jmi = MIFeatureSelector(4, criterion="jmi").fit(X, y).ranking_[:4]
    assert max(jmi) < n_signal  # JMI never takes noise here...
    assert not np.array_equal(X[:, jmi[0]], X[:, jmi[1]])  # ...nor copies at step 2
    mrmr = MIFeatureSelector(4, criterion="mrmr").fit(X, y).ranking_[:4]
    assert not _has_exact_copies(X, mrmr)  # mRMR never takes a copy


def test_make_classification_all_three_criteria_pick_informative_features():
    # Not every draw of make_classification gives this for JMI and mRMR: JMI
    # penalises a copy of a selected feature j only by I(X_j;Y) once against |S|
    # pair terms, and mRMR can prefer noise to informative features that are
    # strongly dependent on the selected ones. This draw separates the criteria
    # from MIM, which does take a copy.
    X, y = _signal_data(5, 3, 2, seed=2, n_classes=3)
    for criterion in ("jmi", "mrmr", "cmim"):
        chosen = MIFeatureSelector(5, criterion=criterion).fit(X, y).ranking_[:5]
        assert max(chosen) < 10
        assert not _has_exact_copies(X, chosen)
        assert np.linalg.matrix_rank(X[:, chosen]) == 5
    mim = MIFeatureSelector(5, criterion="mim").fit(X, y).ranking_[:5]
    assert _has_exact_copies(X, mim)


def _xor_data(seed=0, n=2000):
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 2, size=n)
    b = (rng.random(n) < 0.2).astype(int)  # biased: a alone is informative
    y = a ^ b
    distractor = np.where(rng.random(n) < 0.1, 1 - y, y)
    noise = rng.integers(0, 2, size=(n, 8))
    X = np.column_stack([noise[:, :3], a, distractor, noise[:, 3:6], b, noise[:, 6:]])
    return X, y  # a is column 3, b column 8, the distractor column 4


def test_xor_pair_found_by_jmi_not_by_mim():
    X, y = _xor_data()
    jmi = MIFeatureSelector(3, criterion="jmi").fit(X, y)
    mim = MIFeatureSelector(3, criterion="mim").fit(X, y)
    assert set(jmi.ranking_[:3]) == {3, 4, 8}
    assert 8 not in mim.ranking_[:3]
    assert mim.relevance_[8] < 0.002  # b has no marginal relevance
    # JMI's third score is I(b, distractor; Y) + I(b, a; Y), and I(b, a; Y) = H(Y)
    h_y = mutual_info_score(y, y)
    assert 0 <= jmi.scores_[2] - jmi.relevance_[4] - h_y < 0.005
    # the pairwise gain min_j I(b; Y | X_j) misses synergy: b says nothing given
    # the distractor alone (documented limitation of gains_ and "auto")
    assert jmi.gains_[2] < 0.005


def test_auto_selects_informative_and_stops_before_noise():
    rng = np.random.default_rng(0)
    n = 2000
    informative = rng.integers(0, 3, size=(n, 3))
    y = (informative.sum(axis=1) + rng.integers(0, 2, size=n) >= 4).astype(int)
    X = np.column_stack([rng.integers(0, 3, size=(n, 4)), informative])
    X = np.column_stack([X, rng.normal(size=(n, 10))])
    for criterion in ("jmi", "mrmr", "cmim"):
        sel = MIFeatureSelector(criterion=criterion).fit(X, y)
        assert sel.n_features_to_select_ == 3
        assert set(sel.ranking_[:3]) == {4, 5, 6}
        assert sel.pvalues_[-1] > 0.05
        assert np.all(sel.pvalues_[:3] <= 0.05)
        # the rejected candidates walked past are recorded
        assert sel.ranking_.size == 3 + selection_module.PATIENCE


def test_auto_keeps_one_feature_when_nothing_is_significant():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(200, 5))
    y = rng.integers(0, 2, size=200)
    with pytest.warns(
        UserWarning, match=r"kept the most relevant one, feature 3 \("
    ) as w:
        sel = MIFeatureSelector().fit(X, y)
    assert w[0].filename == __file__
    assert sel.n_features_to_select_ == 1 and sel.ranking_[0] == 3
    assert sel.pvalues_[0] > 0.05
    assert sel.transform(X).shape == (200, 1)
    frame = pd.DataFrame(X, columns=list("abcde"))
    with pytest.warns(UserWarning, match="kept the most relevant one, 'd'"):
        MIFeatureSelector().fit(frame, y)
    with warnings.catch_warnings():  # an int asks for no test, so no warning
        warnings.simplefilter("error")
        MIFeatureSelector(1).fit(X, y)


def test_auto_stops_at_a_redundant_copy_for_mim():
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, size=1000)
    x = np.where(rng.random(1000) < 0.2, 1 - y, y)
    X = np.column_stack([x, x, rng.integers(0, 2, size=1000)])
    sel = MIFeatureSelector(criterion="mim").fit(X, y)
    assert sel.n_features_to_select_ == 1
    assert sel.gains_[1] == 0.0  # the copy adds nothing given the original


def test_regression_target_is_binned():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(1000, 6))
    y = 2 * X[:, 2] - X[:, 4] + 0.3 * rng.normal(size=1000)
    sel = MIFeatureSelector(criterion="jmi").fit(X, y)
    assert set(sel.ranking_[:2]) == {2, 4}
    assert sel.n_features_to_select_ == 2


@pytest.mark.parametrize("weighted", [False, True])
def test_n_jobs_does_not_change_the_result(monkeypatch, weighted):
    # small kernels run on one thread: lower the threshold so threads really run
    monkeypatch.setattr(autostop_module, "SMALL_KERNEL", 0)
    X, y = make_classification(n_samples=500, n_features=12, random_state=0)
    X[::7, 2] = np.nan
    w = np.random.default_rng(0).random(500) if weighted else None
    for criterion in ("cmim", "jmi", "disr"):
        fits = [
            MIFeatureSelector(6, criterion=criterion, n_jobs=n_jobs).fit(
                X, y, sample_weight=w
            )
            for n_jobs in (1, 2, -1)
        ]
        for other in fits[1:]:
            for attr in ("ranking_", "scores_", "gains_", "pvalues_", "relevance_"):
                assert_array_equal(getattr(fits[0], attr), getattr(other, attr))


@pytest.mark.parametrize("strategy", ["quantile", "uniform"])
def test_integer_sample_weight_equals_repeated_rows(strategy):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 5))
    X[:, 4] = rng.integers(0, 3, size=60)
    y = (X[:, 0] + rng.normal(size=60) > 0).astype(int)
    w = rng.integers(0, 4, size=60)
    kw = {"n_features_to_select": 4, "criterion": "jmi", "strategy": strategy}
    weighted = MIFeatureSelector(**kw, discrete_features=[4]).fit(X, y, sample_weight=w)
    repeated = MIFeatureSelector(**kw, discrete_features=[4]).fit(
        np.repeat(X, w, axis=0), np.repeat(y, w)
    )
    assert_array_equal(weighted.ranking_, repeated.ranking_)
    for attr in ("relevance_", "scores_", "gains_", "pvalues_"):
        assert_allclose(getattr(weighted, attr), getattr(repeated, attr), atol=1e-12)
    for a, b in zip(weighted.bin_edges_, repeated.bin_edges_, strict=True):
        if a is not None:
            assert_allclose(a, b)


def test_nan_is_its_own_value():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, size=400)
    x_cont = np.where(y == 1, np.nan, rng.normal(size=400))
    x_disc = np.where(y == 1, np.nan, rng.integers(0, 3, size=400)).astype(float)
    X = np.column_stack([rng.normal(size=400), x_cont, x_disc])
    sel = MIFeatureSelector(3, discrete_features=[2]).fit(X, y)
    h_y = mutual_info_score(y, y)
    assert_allclose(sel.relevance_[1:], [h_y, h_y])  # NaN identifies y = 1 exactly
    assert sel.ranking_[0] == 1


# --------------------------------------------------------------------------------------
# pandas, set_output, caching, grid search
# --------------------------------------------------------------------------------------


def _mixed_frame(n=300, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, size=n)
    colour = np.where(y == 1, "red", rng.choice(["blue", "green"], size=n)).astype(
        object
    )
    colour[:5] = None
    frame = pd.DataFrame(
        {
            "noise": rng.normal(size=n),
            "colour": pd.Categorical(colour),
            "count": rng.integers(0, 4, size=n),
            "flag": (y ^ (rng.random(n) < 0.3)).astype(bool),
            "signal": y + rng.normal(size=n),
        }
    )
    return frame, y


def test_pandas_mixed_frame_with_categorical_column():
    frame, y = _mixed_frame()
    sel = MIFeatureSelector(3).fit(frame, y)
    assert_array_equal(sel.feature_names_in_, frame.columns)
    assert sel.bin_edges_[1] is None and sel.bin_edges_[2] is None
    assert sel.bin_edges_[0] is not None
    labels = frame["colour"].astype(object).fillna("missing").to_numpy()
    assert_allclose(sel.relevance_[1], mutual_info_score(labels, y))
    assert_allclose(sel.relevance_[2], mutual_info_score(frame["count"], y))
    assert sel.ranking_[0] == 1
    out = sel.set_output(transform="pandas").transform(frame)
    assert list(out.columns) == list(frame.columns[sel.get_support()])
    assert isinstance(out["colour"].dtype, pd.CategoricalDtype)


def test_set_output_pandas_keeps_names_in_pipeline():
    frame, y = _mixed_frame()
    frame = frame[["noise", "count", "signal"]].astype(float)
    pipe = Pipeline([("select", MIFeatureSelector(2)), ("clf", LogisticRegression())])
    pipe.set_output(transform="pandas").fit(frame, y)
    out = pipe[:-1].transform(frame)
    assert list(out.columns) == list(pipe[0].get_feature_names_out())
    assert "signal" in out.columns


def test_memory_caches_the_path_across_sizes(tmp_path, monkeypatch):
    X, y = make_classification(n_samples=300, n_features=10, random_state=0)
    steps = []
    original = binned_module._update_and_choose

    def counting(state, *args, **kwargs):
        steps.append(len(state["ranking"]))
        return original(state, *args, **kwargs)

    monkeypatch.setattr(binned_module, "_update_and_choose", counting)
    memory = Memory(tmp_path, verbose=0)
    fitted = {}
    for k in (3, 5, 2, 4):
        fitted[k] = MIFeatureSelector(k, memory=memory).fit(X, y)
    # steps 2-3 for k=3, then 4-5 resumed for k=5; k=2 and k=4 are served from cache
    assert steps == [1, 2, 3, 4]
    fresh = MIFeatureSelector(5).fit(X, y)
    for k, sel in fitted.items():
        assert_array_equal(sel.ranking_, fresh.ranking_[:k])
        assert_allclose(sel.scores_, fresh.scores_[:k])
    steps.clear()
    sel = MIFeatureSelector(3, memory=str(tmp_path), criterion="mrmr").fit(X, y)
    assert steps == [1, 2]  # another criterion is another path


def test_grid_search_over_size_reuses_one_path_per_fold(tmp_path):
    X, y = make_classification(n_samples=240, n_features=8, random_state=0)
    pipe = Pipeline(
        [
            ("select", MIFeatureSelector(memory=str(tmp_path))),
            ("clf", LogisticRegression()),
        ]
    )
    grid = GridSearchCV(
        pipe,
        {
            "select__n_features_to_select": [1, 3, 5, "auto"],
            "select__criterion": ["jmi", "mrmr"],
        },
        cv=3,
    ).fit(X, y)
    assert grid.best_params_["select__criterion"] in ("jmi", "mrmr")
    paths = list(tmp_path.rglob("_keyed_binned_path/*/output.pkl"))
    # 3 folds x 2 criteria, plus the refit on all data: not x 4 sizes
    assert len(paths) == 7
    # the binned data: one per fold and one for the refit, whatever the criterion
    assert len(list(tmp_path.rglob("_dense_encoding/*/output.pkl"))) == 4


# --------------------------------------------------------------------------------------
# kNN and MDLP paths
# --------------------------------------------------------------------------------------


def test_knn_mim_matches_mutual_info_classif_ranking():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, size=300)
    X = np.column_stack(
        [rng.normal(size=300), y + 0.5 * rng.normal(size=300), y + rng.normal(size=300)]
    )
    sel = MIFeatureSelector(3, criterion="mim", method="knn", random_state=0)
    sel.fit(X, y)
    reference = mutual_info_classif(X, y, random_state=0)
    assert_allclose(sel.relevance_, reference, atol=0.02)
    assert_array_equal(sel.ranking_, [1, 2, 0])
    assert sel.bin_edges_ is None
    assert np.all(np.isnan(sel.pvalues_))


def test_knn_mim_auto_uses_permutation_test():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, size=150)
    X = np.column_stack([y + 0.7 * rng.normal(size=150), rng.normal(size=(150, 3))])
    sel = MIFeatureSelector(criterion="mim", method="knn", random_state=0).fit(X, y)
    assert sel.n_features_to_select_ == 1
    assert sel.ranking_[0] == 0
    n_perm = knn_module._permutation_count(4, 0.05)
    # Bonferroni of the rank-kNN permutation test (no permutation beats the
    # informative column: 1 / (B + 1)) and the trend test on van der Waerden
    # scores, (n - 1) r^2 on 1 df for a binary y; times 4 features (Holm)
    from scipy.special import ndtri
    from scipy.stats import rankdata

    scores = ndtri(rankdata(X[:, 0]) / 151)
    r = np.corrcoef(scores, y)[0, 1]
    p_trend = chi2.sf(149 * r**2, 1)
    expected = min(1.0, 4 * 2 * min(1 / (n_perm + 1), p_trend))
    assert sel.pvalues_[0] == pytest.approx(expected, rel=1e-9)
    assert sel.pvalues_[1] > 0.05


def test_knn_mrmr_skips_a_near_copy():
    rng = np.random.default_rng(0)
    n = 300
    y = rng.integers(0, 2, size=n)
    signal = y + 0.4 * rng.normal(size=n)
    X = np.column_stack(
        [signal, signal + 1e-3 * rng.normal(size=n), y + 0.8 * rng.normal(size=n)]
    )
    sel = MIFeatureSelector(2, criterion="mrmr", method="knn", random_state=0)
    sel.fit(X, y)
    assert sel.ranking_[1] == 2
    assert sel.gains_[1] > 0.02


def test_mdlp_strategy_uses_mdlp_cuts():
    from skinfo._discretization import mdlp_cut_points

    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, size=400)
    X = np.column_stack([y + 0.3 * rng.normal(size=400), rng.normal(size=400)])
    sel = MIFeatureSelector(2, strategy="mdlp").fit(X, y)
    cuts, _ = mdlp_cut_points(X[:, 0], y, 2)
    assert_allclose(sel.bin_edges_[0], cuts)
    assert len(sel.bin_edges_[0]) >= 1
    assert sel.relevance_[1] == 0.0  # noise gets no cut: one bin
    assert sel.ranking_[0] == 0


# --------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------


def test_string_column_that_is_not_categorical_raises_naming_it():
    frame, y = _mixed_frame()
    frame["city"] = np.where(y == 1, "Paris", "Oslo")
    with pytest.raises(TypeError, match="'city'"):
        MIFeatureSelector(2).fit(frame, y)
    frame["city"] = frame["city"].astype("string")
    with pytest.raises(TypeError, match=r"'city'.*category"):
        MIFeatureSelector(2).fit(frame, y)


def test_single_class_raises():
    X = np.random.default_rng(0).normal(size=(20, 3))
    with pytest.raises(ValueError, match="only one class"):
        MIFeatureSelector(2).fit(X, np.zeros(20))
    with pytest.raises(ValueError, match="only one class"):
        MIFeatureSelector(2).fit(X, np.arange(20) % 2, sample_weight=np.arange(20) % 2)


def test_too_many_features_to_select_raises():
    X = np.random.default_rng(0).normal(size=(20, 3))
    with pytest.raises(ValueError, match=r"n_features_to_select=4.*n_features=3"):
        MIFeatureSelector(4).fit(X, np.arange(20) % 2)


def test_fraction_of_features():
    X, y = make_classification(n_samples=200, n_features=10, random_state=0)
    assert MIFeatureSelector(0.35).fit(X, y).n_features_to_select_ == 3
    assert MIFeatureSelector(0.01).fit(X, y).n_features_to_select_ == 1


def test_all_constant_X_warns_and_selects_by_index():
    X = np.ones((30, 4))
    y = np.arange(30) % 2
    with pytest.warns(UserWarning, match="Every feature is constant"):
        sel = MIFeatureSelector(2).fit(X, y)
    assert_array_equal(sel.relevance_, 0.0)
    assert_array_equal(sel.ranking_, [0, 1])
    assert_array_equal(sel.get_support(), [True, True, False, False])


@pytest.mark.parametrize(
    "params, match",
    [
        ({"method": "knn", "criterion": "disr", "n_features_to_select": 2}, "disr"),
        ({"method": "knn", "criterion": "jmi"}, "criterion='mim' only"),
        ({"discrete_features": [True, False]}, "entries"),
        ({"discrete_features": [0, 7]}, "indices"),
    ],
)
def test_bad_parameter_combinations_raise(params, match):
    X = np.random.default_rng(0).normal(size=(40, 3))
    with pytest.raises(ValueError, match=match):
        MIFeatureSelector(**params).fit(X, np.arange(40) % 2)


def test_knn_rejects_nan_and_weights():
    X = np.random.default_rng(0).normal(size=(40, 3))
    y = np.arange(40) % 2
    sel = MIFeatureSelector(2, method="knn", criterion="mim")
    with pytest.raises(ValueError, match="sample_weight"):
        sel.fit(X, y, sample_weight=np.ones(40))
    X[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        sel.fit(X, y)


def test_input_is_not_modified():
    frame, y = _mixed_frame()
    before = frame.copy()
    X = np.random.default_rng(0).normal(size=(50, 4))
    X_before = X.copy()
    w = np.ones(50)
    MIFeatureSelector(2).fit(frame, y)
    MIFeatureSelector(2).fit(X, np.arange(50) % 2, sample_weight=w)
    pd.testing.assert_frame_equal(frame, before)
    assert_array_equal(X, X_before)
    assert_array_equal(w, 1.0)


@pytest.mark.filterwarnings("ignore:Discrete features with fewer")
@pytest.mark.parametrize("method", ["plugin", "grassberger"])
def test_sparse_counting_of_wide_columns_matches_dense_tables(monkeypatch, method):
    rng = np.random.default_rng(0)
    n = 400
    y = rng.integers(0, 3, size=n)
    ids = rng.integers(0, 150, size=n)  # a wide discrete column
    X = np.column_stack(
        [ids, (ids + y) % 7, rng.normal(size=n), y + rng.normal(size=n), ids % 5]
    )
    w = rng.integers(1, 3, size=n)
    kw = {"criterion": "cife", "method": method, "discrete_features": [0, 1, 4]}
    dense = MIFeatureSelector(5, **kw).fit(X, y, sample_weight=w)
    monkeypatch.setattr(autostop_module, "TABLE_BUDGET", 64)
    sparse = MIFeatureSelector(5, **kw).fit(X, y, sample_weight=w)
    assert_array_equal(sparse.ranking_, dense.ranking_)
    for attr in ("relevance_", "scores_", "gains_", "pvalues_"):
        assert_allclose(getattr(sparse, attr), getattr(dense, attr), rtol=1e-10)


def test_discrete_features_true_equals_integer_input():
    X, y = _hand_made(3)
    as_float = MIFeatureSelector(4, discrete_features=True).fit(X.astype(float), y)
    as_int = MIFeatureSelector(4).fit(X, y)
    assert_array_equal(as_float.ranking_, as_int.ranking_)
    assert_allclose(as_float.scores_, as_int.scores_)
    assert all(edges is None for edges in as_int.bin_edges_)


def test_knn_jmi_on_a_regression_target():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = X[:, 2] + 0.3 * rng.normal(size=200)
    sel = MIFeatureSelector(2, criterion="jmi", method="knn", random_state=0)
    sel.fit(X, y)
    assert sel.ranking_[0] == 2
    assert sel.relevance_[2] > 0.8 and sel.relevance_[:2].max() < 0.1


def test_knn_mim_reports_only_the_first_gain():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3))
    y = (X[:, 1] > 0).astype(int)
    sel = MIFeatureSelector(3, criterion="mim", method="knn", random_state=0)
    sel.fit(X, y)
    assert sel.gains_[0] == pytest.approx(sel.relevance_[sel.ranking_[0]])
    assert np.isnan(sel.gains_[1:]).all()


# --------------------------------------------------------------------------------------
# Review regressions: results must not depend on the cache history; no dense tables of
# high-cardinality pairs
# --------------------------------------------------------------------------------------

_ATTRS = ("ranking_", "scores_", "gains_", "pvalues_", "relevance_")


def _assert_same_fit(a, b):
    assert a.n_features_to_select_ == b.n_features_to_select_
    for attr in _ATTRS:
        assert_array_equal(getattr(a, attr), getattr(b, attr), err_msg=attr)


def test_auto_with_nothing_significant_does_not_depend_on_the_cache(tmp_path):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(200, 5))
    y = rng.integers(0, 2, size=200)
    memory = Memory(tmp_path, verbose=0)
    MIFeatureSelector(3, memory=memory).fit(X, y)  # caches a longer path
    with pytest.warns(UserWarning, match="No feature is significantly"):
        cached = MIFeatureSelector(memory=memory).fit(X, y)
    with pytest.warns(UserWarning, match="No feature is significantly"):
        fresh = MIFeatureSelector().fit(X, y)
    assert fresh.pvalues_[0] > 0.05 and fresh.n_features_to_select_ == 1
    _assert_same_fit(cached, fresh)


def test_knn_pvalues_do_not_depend_on_the_cache(tmp_path):
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, size=120)
    X = np.column_stack([y + 0.7 * rng.normal(size=120), rng.normal(size=(120, 2))])
    kw = {"criterion": "mim", "method": "knn", "random_state": 0}
    memory = Memory(tmp_path, verbose=0)
    MIFeatureSelector(**kw, memory=memory).fit(X, y)  # caches permutation p-values
    cached = MIFeatureSelector(2, **kw, memory=memory).fit(X, y)
    fresh = MIFeatureSelector(2, **kw).fit(X, y)
    assert np.isnan(fresh.pvalues_).all()
    _assert_same_fit(cached, fresh)


def test_plugin_pair_mi_of_id_columns_builds_no_dense_table():
    import tracemalloc

    rng = np.random.default_rng(0)
    n = 3000  # a dense id x id table would hold 9e6 cells (72 MB)
    a, b = rng.permutation(n), rng.permutation(n) // 2
    knn_module._plugin_pair_mi(a[:10], b[:10])  # warm up
    tracemalloc.start()
    try:
        value = knn_module._plugin_pair_mi(a.astype(float), b.astype(float))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert_allclose(value, mutual_info_score(a, b))
    assert peak < 5e6


@pytest.mark.parametrize("method", ["plugin", "miller_madow", "grassberger"])
def test_every_criterion_weighted_equals_repeated_rows_with_nan(method):
    rng = np.random.default_rng(3)
    n = 50
    y = rng.integers(0, 3, size=n)
    X = np.column_stack(
        [
            y + rng.normal(size=n),
            rng.integers(0, 3, size=n),
            (y + rng.integers(0, 2, size=n)) % 3,
            rng.normal(size=n),
        ]
    )
    X[rng.random(n) < 0.2, 0] = np.nan
    X[rng.random(n) < 0.2, 1] = np.nan
    w = rng.integers(0, 4, size=n)
    Xr, yr = np.repeat(X, w, axis=0), np.repeat(y, w)
    for criterion in CRITERIA:
        kw = {"criterion": criterion, "method": method, "discrete_features": [1, 2]}
        weighted = MIFeatureSelector(4, **kw).fit(X, y, sample_weight=w)
        repeated = MIFeatureSelector(4, **kw).fit(Xr, yr)
        assert_array_equal(weighted.ranking_, repeated.ranking_, err_msg=criterion)
        for attr in ("relevance_", "scores_", "gains_", "pvalues_"):
            assert_allclose(
                getattr(weighted, attr), getattr(repeated, attr), atol=1e-10
            )


@pytest.mark.filterwarnings("ignore:Discrete features with fewer")
def test_id_column_with_many_classes_builds_no_dense_context_table(monkeypatch):
    import tracemalloc

    monkeypatch.setattr(autostop_module, "TABLE_BUDGET", 1 << 14)
    rng = np.random.default_rng(0)
    n = 4000
    y = rng.integers(0, 500, size=n)  # many classes: (id, y) space has 2e6 cells
    ids = rng.permutation(n)
    X = np.column_stack([ids, y // 5, rng.normal(size=n)]).astype(float)
    MIFeatureSelector(3, discrete_features=[0, 1]).fit(X, y)  # imports, compilation
    tracemalloc.start()
    try:
        sel = MIFeatureSelector(3, discrete_features=[0, 1]).fit(X, y)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert sel.ranking_[0] == 0  # plug-in MI of an id column is H(Y)
    assert_allclose(sel.relevance_[0], mutual_info_score(y, y))
    # the second step: I(X_k, ids; Y) = H(Y) for every k, a tie won by column 1
    assert_allclose(sel.scores_[1], mutual_info_score(y, y))
    assert sel.ranking_[1] == 1
    assert peak < 4e6  # a dense (id, y) table alone takes 16 MB


def test_discrete_features_with_too_few_samples_per_level_are_named():
    rng = np.random.default_rng(0)
    n = 200
    y = rng.integers(0, 2, size=n)
    X = pd.DataFrame(
        {
            "signal": y + rng.normal(size=n),
            "user_id": np.arange(n),
            "zip": rng.integers(0, 60, size=n),
            "group": rng.integers(0, 4, size=n),
        }
    )
    with pytest.warns(UserWarning, match="level: 'user_id', 'zip'\\. Their") as record:
        sel = MIFeatureSelector(2).fit(X, y)
    assert len(record) == 1 and record[0].filename == __file__
    # the warning is the point: an id column is as "relevant" as y itself
    assert_allclose(sel.relevance_[1], mutual_info_score(y, y))
    assert sel.ranking_[0] == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        MIFeatureSelector(2).fit(X[["signal", "group"]], y)
        # weights normalised to sum 1 do not raise the warning (n_eff = n)...
        w = np.full(n, 1.0 / n)
        MIFeatureSelector(2).fit(X[["signal", "group"]], y, sample_weight=w)
        # ... and integer weights count as repeated rows: 20 copies of each row
        # give 4000 samples for 60 levels, as np.repeat would
        MIFeatureSelector(1).fit(X[["zip"]], y, sample_weight=np.full(n, 20.0))
        MIFeatureSelector(1).fit(np.repeat(X[["zip"]], 20, axis=0), np.repeat(y, 20))
    with pytest.warns(UserWarning, match="level: 'zip'\\. Their"):
        MIFeatureSelector(1).fit(X[["zip"]], y, sample_weight=np.full(n, 1.0 / n))


# --------------------------------------------------------------------------------------
# "auto": family-wise error on null data, power against SelectFwe
# --------------------------------------------------------------------------------------


def _logistic_data(n, seed, n_features=100, n_informative=5):
    """Gaussian X; y from a logistic model of the sum of 5 random features."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, n_features))
    informative = rng.choice(n_features, n_informative, replace=False)
    y = (X[:, informative].sum(axis=1) + rng.logistic(size=n) > 0).astype(int)
    return X, y, set(informative.tolist())


def test_auto_accepts_a_feature_on_null_data_at_most_at_rate_alpha():
    # 60 null data sets: a fit that accepts any feature (adjusted p-value <= alpha)
    # is a family-wise error. Measured 2.5-4.5% over 200 seeds in the benchmark;
    # without the Holm factor it is about 50% here.
    errors = 0
    for seed in range(60):
        rng = np.random.default_rng(seed)
        X = rng.normal(size=(150, 20))
        y = rng.integers(0, 2 + seed % 2, size=150)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "no feature is significant"
            sel = MIFeatureSelector().fit(X, y)
        errors += bool(np.any(sel.pvalues_ <= 0.05))
        assert sel.n_features_to_select_ == 1 or np.any(sel.pvalues_ <= 0.05)
    assert errors <= 8  # binomial(60, 0.05): P(> 8) < 2%


def test_auto_finds_as_many_informative_features_as_select_fwe():
    # The old rule (chi-square on the bins only, largest p-value over the selected
    # features times the remaining candidates, stop at the first failure) found
    # 43% of them at n = 500 on this model, where SelectFwe(f_classif) finds all.
    from sklearn.feature_selection import SelectFwe, f_classif

    found = found_fwe = 0
    for seed in range(5):
        X, y, informative = _logistic_data(500, seed)
        sel = MIFeatureSelector().fit(X, y)
        found += len(set(np.flatnonzero(sel.get_support())) & informative)
        fwe = SelectFwe(f_classif, alpha=0.05).fit(X, y)
        found_fwe += len(set(np.flatnonzero(fwe.get_support())) & informative)
        noise = set(np.flatnonzero(sel.get_support())) - informative
        assert not noise
    assert found >= found_fwe >= 20


def test_auto_lists_the_selected_features_first():
    # (that a rejected candidate does not end the walk is tested on the walk itself
    # in test_walk_tests_holm_factors_patience_and_selection)
    rng = np.random.default_rng(0)
    n = 400
    X = rng.normal(size=(n, 3))
    y = (X[:, 0] + 0.6 * X[:, 2] + rng.logistic(size=n) > 0).astype(int)
    sel = MIFeatureSelector(criterion="mim").fit(X, y)
    assert set(np.flatnonzero(sel.get_support())) == {0, 2}
    # the selected come first in ranking_, then the rejected candidates
    k = sel.n_features_to_select_
    assert set(sel.ranking_[:k]) == {0, 2}
    assert np.all(sel.pvalues_[:k] <= 0.05) and np.all(sel.pvalues_[k:] > 0.05)
    assert sel.ranking_.size == 3  # the walk reached the end of the path


def test_mean_score_test_matches_hand_computed_cmh_statistic():
    # Stratified mean-score statistic (Landis et al. 1978) by loops over strata,
    # binary and three-class y
    rng = np.random.default_rng(0)
    n = 120
    scores = rng.normal(size=n)
    strata = rng.integers(0, 4, size=n)
    for n_y in (2, 3):
        y = rng.integers(0, n_y, size=n)
        dev = np.zeros(n_y)
        cov = np.zeros((n_y, n_y))
        for z in range(4):
            a, yz = scores[strata == z], y[strata == z]
            m = a.size
            p = np.bincount(yz, minlength=n_y) / m
            f = np.array([a[yz == c].sum() for c in range(n_y)])
            dev += f - m * p * a.mean()
            v = ((a - a.mean()) ** 2).mean()
            cov += m**2 / (m - 1) * v * (np.diag(p) - np.outer(p, p))
        d, c = dev[:-1], cov[:-1, :-1]
        expected = d @ np.linalg.solve(c, d)
        ctx = strata * n_y + y
        t_sy = np.bincount(ctx, minlength=4 * n_y).reshape(4, n_y).astype(float)
        parts = autostop_module._score_parts(scores[:, None], ctx, 4, n_y, None)
        stat, df = autostop_module._mean_score_test(parts[0], t_sy, *parts[1:])
        assert_allclose(stat[0], expected)
        assert df[0] == n_y - 1


def test_mean_score_test_without_strata_is_n_minus_1_times_r_squared():
    # binary y, one stratum: the statistic is (n - 1) r^2 (Mantel's trend test)
    rng = np.random.default_rng(1)
    x = rng.normal(size=80)
    y = (x + rng.normal(size=80) > 0).astype(int)
    ctx = y
    t_sy = np.bincount(y, minlength=2)[None].astype(float)
    parts = autostop_module._score_parts(x[:, None], ctx, 1, 2, None)
    stat, _ = autostop_module._mean_score_test(parts[0], t_sy, *parts[1:])
    r = np.corrcoef(x, y)[0, 1]
    assert_allclose(stat[0], (x.size - 1) * r**2)


def test_small_strata_do_not_make_pearson_significant():
    # strata of two samples with distinct x and y give X^2 = 2 on 1 df every time;
    # 100 of them must not look significant
    n_pairs = 100
    x = np.tile([0, 1], n_pairs)
    strata = np.repeat(np.arange(n_pairs), 2)
    rng = np.random.default_rng(0)
    y = np.concatenate([rng.permutation([0, 1]) for _ in range(n_pairs)])
    p = autostop_module._independence_pvalues(
        x[:, None].astype(np.uint8),
        np.array([2]),
        np.full((2 * n_pairs, 1), np.nan),
        strata * 2 + y,
        n_pairs,
        2,
        None,
    )
    # corrected: X^2 = 100 on 100 df (p near 0.5); uncorrected, X^2 = 200 (p ~ 1e-9)
    assert p[0] > 0.1


def test_rank_mixed_statistic_matches_brute_force():
    rng = np.random.default_rng(0)
    n, k = 40, 3
    base = rng.integers(0, 3, size=n)  # permutations of one set of labels
    labels = np.array([rng.permutation(base) for _ in range(4)])
    stats = knn_module._rank_mixed_stats(labels, k)
    for b in range(4):
        lab = labels[b]
        sizes = np.bincount(lab, minlength=3)
        values = []
        for i in range(n):
            same = np.flatnonzero((lab == lab[i]) & (np.arange(n) != i))
            if same.size == 0:
                continue
            k_c = min(k, same.size)
            radius = np.sort(np.abs(same - i))[k_c - 1]
            m = np.count_nonzero(np.abs(np.arange(n) - i) <= radius) - 1
            values.append(m)
        assert sizes.min() > 1
        from scipy.special import digamma

        assert_allclose(stats[b], -np.mean(digamma(values)))


def test_knn_auto_uses_one_shared_null_and_is_fast():
    # one null distribution for every column: p-values come in steps of
    # 1 / (B + 1), and 200 x 100 takes seconds, not a relevance per permutation
    import time

    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, size=200)
    X = rng.normal(size=(200, 100))
    # class 1 splits to both sides of class 0: no shift for the trend test to see
    X[:, 7] += 4 * y * rng.choice([-1, 1], size=200)
    start = time.perf_counter()
    sel = MIFeatureSelector(criterion="mim", method="knn", random_state=0).fit(X, y)
    elapsed = time.perf_counter() - start
    assert elapsed < 15  # the old max-T test took about 60 s here
    n_perm = knn_module._permutation_count(100, 0.05)
    assert sel.ranking_[0] == 7 and sel.get_support()[7]
    # no permutation beats it: p = 1 / (B + 1), times 2 (Bonferroni with the
    # trend test) and 100 features (Holm)
    assert_allclose(sel.pvalues_[0], 200 / (n_perm + 1))
    assert sel.pvalues_[0] <= 0.05


def test_knn_auto_pvalues_do_not_depend_on_row_order():
    rng = np.random.default_rng(0)
    n = 150
    y = rng.integers(0, 2, size=n)
    X = np.round(np.column_stack([2 * y + rng.normal(size=n), rng.normal(size=(n, 3))]))
    kw = {"criterion": "mim", "method": "knn", "random_state": 0}
    a = MIFeatureSelector(**kw).fit(X, y)
    perm = rng.permutation(n)
    b = MIFeatureSelector(**kw).fit(X[perm], y[perm])
    p_a = dict(zip(a.ranking_, a.pvalues_, strict=True))
    p_b = dict(zip(b.ranking_, b.pvalues_, strict=True))
    assert p_a == p_b


# --------------------------------------------------------------------------------------
# p-values only where they are needed
# --------------------------------------------------------------------------------------


def test_fixed_size_fit_computes_no_test(monkeypatch):
    X, y = make_classification(n_samples=300, n_features=10, random_state=0)

    def boom(*args, **kwargs):
        raise AssertionError("a test was computed")

    sel = MIFeatureSelector(4)
    with monkeypatch.context() as m:
        m.setattr(binned_module, "_independence_pvalues", boom)
        m.setattr(autostop_module, "_independence_pvalues", boom)
        m.setattr(knn_module, "_independence_pvalues", boom)
        sel.fit(X, y)
    # computed on first access, equal to the step-by-step p-values of "auto"
    data = sel._pvalue_inputs[0]
    steps = [
        selection_module._walk_tests(
            lambda t, kept: (
                selection_module._pvalue_given(data, t, kept, coarse=True),
                max(
                    (selection_module._pvalue_given(data, t, [j]) for j in kept),
                    default=0.0,
                ),
            ),
            list(range(4)),
            10,
            None,
        )[0]
    ]
    assert_allclose(sel.pvalues_, steps[0], rtol=1e-9)
    assert sel.pvalues_ is sel.pvalues_  # computed once


def test_lazy_pvalues_survive_pickling_and_cloning():
    import pickle

    from sklearn.base import clone

    X, y = make_classification(n_samples=200, n_features=6, random_state=0)
    sel = MIFeatureSelector(3).fit(X, y)
    restored = pickle.loads(pickle.dumps(sel))
    assert_allclose(restored.pvalues_, sel.pvalues_)
    assert not hasattr(clone(sel), "pvalues_")


# --------------------------------------------------------------------------------------
# constant and all-NaN columns, weights, big integers, text in transform
# --------------------------------------------------------------------------------------


def test_all_nan_and_constant_columns_are_named_in_a_warning():
    rng = np.random.default_rng(0)
    n = 200
    y = rng.integers(0, 2, size=n)
    X = pd.DataFrame(
        {
            "signal": y + rng.normal(size=n),
            "empty": np.full(n, np.nan),
            "flat": np.full(n, 3.0),
            "noise": rng.normal(size=n),
        }
    )
    with pytest.warns(
        UserWarning, match="Features 'empty', 'flat' are constant"
    ) as rec:
        sel = MIFeatureSelector(2).fit(X, y)
    assert rec[0].filename == __file__
    assert sel.relevance_[1] == 0.0 and sel.relevance_[2] == 0.0
    assert set(sel.ranking_) == {0, 3}
    with pytest.warns(UserWarning, match="Feature column 1 is constant"):
        MIFeatureSelector(1).fit(X.to_numpy()[:, :2], y)


def test_weights_normalised_to_one_act_like_unit_weights():
    rng = np.random.default_rng(0)
    n = 300
    X = rng.normal(size=(n, 6))
    y = (X[:, 0] + X[:, 3] + rng.normal(size=n) > 0).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "every feature is constant"
        unit = MIFeatureSelector(3).fit(X, y)
        scaled = MIFeatureSelector(3).fit(X, y, sample_weight=np.full(n, 1.0 / n))
    assert_array_equal(scaled.ranking_, unit.ranking_)
    assert_allclose(scaled.relevance_, unit.relevance_, rtol=1e-9)
    for a, b in zip(scaled.bin_edges_, unit.bin_edges_, strict=True):
        assert_allclose(a, b)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    factor=st.floats(0.001, 1.0),
    n=st.integers(30, 300),
)
def test_scaling_weights_below_their_count_changes_nothing(seed, factor, n):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 5))
    X[:, 4] = rng.integers(0, 3, size=n)
    y = (X[:, 0] + rng.normal(size=n) > 0).astype(int)
    w = rng.random(n)  # sum(w) <= count(w > 0)
    kw = {"n_features_to_select": 3, "discrete_features": [4]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = MIFeatureSelector(**kw).fit(X, y, sample_weight=w)
        b = MIFeatureSelector(**kw).fit(X, y, sample_weight=w * factor)
    assert_array_equal(a.ranking_, b.ranking_)
    for ea, eb in zip(a.bin_edges_, b.bin_edges_, strict=True):
        if ea is not None:
            assert_allclose(ea, eb)


def test_auto_warns_when_the_weights_sum_below_their_rows():
    X, y = make_classification(n_samples=200, n_features=5, random_state=0)
    with pytest.warns(UserWarning, match="sample_weight sums to 1, less than the 200"):
        MIFeatureSelector().fit(X, y, sample_weight=np.full(200, 1 / 200))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        MIFeatureSelector(2).fit(X, y, sample_weight=np.full(200, 1 / 200))


@pytest.mark.parametrize("kind", ["uint64", "int64", "frame", "nullable"])
def test_integers_beyond_2_53_are_coded_exactly(kind):
    rng = np.random.default_rng(0)
    n = 200
    y = rng.integers(0, 3, size=n)
    base = 2**60 if kind == "uint64" else -(2**60)
    big = np.array([base + int(v) for v in y], dtype="uint64" if base > 0 else "int64")
    assert len(set(big.astype(np.float64))) == 1  # a float64 cast merges them
    other = rng.integers(0, 4, size=n)
    if kind in ("frame", "nullable"):
        X = pd.DataFrame({"other": other, "big": big})
        if kind == "nullable":
            X["big"] = X["big"].astype("Int64")
    else:
        X = np.column_stack([other.astype(kind), big])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # not "every feature is constant"
        sel = MIFeatureSelector(1).fit(X, y)
    assert_allclose(sel.relevance_[1], mutual_info_score(y, y))
    assert_array_equal(sel.get_support(), [False, True])
    out = sel.transform(X)
    assert np.asarray(out)[:, 0].tolist() == big.tolist()
    if kind in ("uint64", "int64"):
        assert out.dtype == np.dtype(kind)
    sel.set_output(transform="pandas")
    if kind in ("frame", "nullable"):
        assert sel.transform(X)["big"].tolist() == big.tolist()


def test_transform_rejects_text_with_a_type_error():
    X, y = make_classification(
        n_samples=60, n_features=3, n_informative=2, n_redundant=0, random_state=0
    )
    sel = MIFeatureSelector(2).fit(X, y)
    with pytest.raises(TypeError, match="text"):
        sel.transform(X.astype(str))


# --------------------------------------------------------------------------------------
# kNN path: jitter from skinfo._knn only
# --------------------------------------------------------------------------------------


def test_knn_mim_never_picks_a_constant_column_first():
    rng = np.random.default_rng(0)
    n = 200
    y = rng.integers(0, 2, size=n)
    X = np.column_stack([np.full(n, 5.0), rng.normal(size=n), y + rng.normal(size=n)])
    with pytest.warns(UserWarning, match="Feature column 0 is constant"):
        sel = MIFeatureSelector(1, criterion="mim", method="knn", random_state=0)
        sel.fit(X, y)
    assert sel.relevance_[0] == 0.0
    assert sel.ranking_[0] != 0


@pytest.mark.parametrize("criterion", ["mim", "jmi"])
def test_knn_selection_does_not_depend_on_row_order_of_tied_data(criterion):
    rng = np.random.default_rng(0)
    n = 150
    y = rng.integers(0, 2, size=n)
    X = np.round(np.column_stack([y + rng.normal(size=n), rng.normal(size=(n, 4))]), 1)
    perm = rng.permutation(n)
    kw = {"criterion": criterion, "method": "knn", "random_state": 0}
    a = MIFeatureSelector(3, **kw).fit(X, y)
    b = MIFeatureSelector(3, **kw).fit(X[perm], y[perm])
    assert_array_equal(a.ranking_, b.ranking_)
    assert_allclose(a.relevance_, b.relevance_, rtol=1e-12)


def test_walk_tests_holm_factors_patience_and_selection():
    d = 20
    raw = {0: 0.01, 1: 1e-4, 2: 0.5, 3: 1e-4}  # joint raw p-values per step
    each = {0: 0.0, 1: 0.0, 2: 0.0, 3: 0.2}  # given each accepted feature alone

    def raw_of(t, kept):
        return (raw.get(t, 0.9), each.get(t, 0.0))

    adjusted, steps = selection_module._walk_tests(raw_of, list(range(30)), d, 0.05)
    # step 0 fails (0.01 * 20), step 1 passes (1e-4 * 20), step 2 fails
    # (0.5 * 19), step 3 passes the Holm level (1e-4 * 19) but not the test
    # given one accepted feature alone (0.2); then PATIENCE failures end the walk
    assert_allclose(adjusted[:4], [0.2, 0.002, 1.0, 0.2])
    assert adjusted.size == 2 + selection_module.PATIENCE
    assert_array_equal(steps, [1])  # the failing first step is not kept
    # nothing accepted: the first step alone, and a fixed size accepts all (r = t)
    _, steps = selection_module._walk_tests(lambda t, k: (0.9, 0.0), [0, 1], d, 0.05)
    assert_array_equal(steps, [0])
    adjusted, _ = selection_module._walk_tests(
        lambda t, k: (0.01, 0.0), [0, 1], d, None
    )
    assert_allclose(adjusted, [0.2, 0.19])


# --------------------------------------------------------------------------------------
# memory: the encoded data is cached with the path
# --------------------------------------------------------------------------------------
def _fitted_attributes(sel):
    """Every fitted attribute of a selector, as plain arrays and values."""
    edges = sel.bin_edges_
    return {
        "ranking_": sel.ranking_,
        "scores_": sel.scores_,
        "relevance_": sel.relevance_,
        "gains_": sel.gains_,
        "pvalues_": sel.pvalues_,
        "support": sel.get_support(),
        "n_features_to_select_": sel.n_features_to_select_,
        "n_features_in_": sel.n_features_in_,
        "bin_edges_": None
        if edges is None
        else [None if e is None else (e.dtype.str, e.tolist()) for e in edges],
    }


def _assert_same_fit(a, b):
    fa, fb = _fitted_attributes(a), _fitted_attributes(b)
    for name in fa:
        if isinstance(fa[name], np.ndarray):
            assert_array_equal(fa[name], fb[name], err_msg=name)  # bit for bit
        else:
            assert fa[name] == fb[name], name


def _mixed_data(seed=0, n=300):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, size=n)
    X = np.column_stack(
        [
            y + rng.normal(size=n),
            rng.normal(size=n),
            (y + rng.integers(0, 2, size=n)) % 4,  # discrete
            rng.integers(0, 5, size=n),  # discrete
            y * rng.normal(size=n),
            rng.normal(size=n) + 0.5 * y,
        ]
    ).astype(np.float64)
    X[rng.random(n) < 0.05, 1] = np.nan
    return X, y


_CACHED_FITS = [
    {"n_features_to_select": 3},
    {"n_features_to_select": "auto", "criterion": "mrmr"},
    {"n_features_to_select": 4, "criterion": "mim", "method": "miller_madow"},
    {"n_features_to_select": 2, "strategy": "mdlp"},
    {"n_features_to_select": 3, "strategy": "uniform", "n_bins": 4},
    {"n_features_to_select": 3, "method": "knn", "random_state": 0},
    {"n_features_to_select": "auto", "method": "knn", "criterion": "mim"},
]


@pytest.mark.parametrize(
    ("params", "weighted"),
    [
        (params, weighted)
        for params in _CACHED_FITS
        for weighted in (False, True)
        if not (weighted and params.get("method") == "knn")  # kNN takes no weights
    ],
)
def test_memory_fit_equals_uncached_fit(tmp_path, params, weighted):
    X, y = _mixed_data()
    if params.get("method") == "knn":
        X = np.nan_to_num(X)
        params = {"random_state": 0, **params}
    w = np.random.default_rng(1).integers(0, 3, size=y.size) if weighted else None
    kw = {"discrete_features": [2, 3], **params}
    plain = MIFeatureSelector(**kw).fit(X, y, sample_weight=w)
    memory = Memory(tmp_path, verbose=0)
    cold = MIFeatureSelector(**kw, memory=memory).fit(X, y, sample_weight=w)
    warm = MIFeatureSelector(**kw, memory=memory).fit(X, y, sample_weight=w)
    _assert_same_fit(plain, cold)
    _assert_same_fit(plain, warm)


def test_memory_fit_equals_uncached_fit_sparse_and_continuous_target(tmp_path):
    rng = np.random.default_rng(0)
    dense = rng.poisson(0.4, size=(250, 12)).astype(np.float64)
    dense[:, :6] *= rng.random((250, 6))  # float columns: binned
    y = dense[:, 0] + dense[:, 7] + rng.normal(size=250)  # continuous target
    memory = Memory(tmp_path, verbose=0)
    as_32 = sp.csr_matrix(dense.astype(np.float32))
    for X in (sp.csr_matrix(dense), sp.csc_matrix(dense), as_32, dense):
        for k in (3, "auto"):
            kw = {"n_features_to_select": k, "discrete_features": list(range(6, 12))}
            plain = MIFeatureSelector(**kw).fit(X, y)
            cold = MIFeatureSelector(**kw, memory=memory).fit(X, y)
            warm = MIFeatureSelector(**kw, memory=memory).fit(X, y)
            _assert_same_fit(plain, cold)
            _assert_same_fit(plain, warm)


def _counting_encoder(monkeypatch):
    calls = []
    for name in ("_feature_codes", "_sparse_feature_codes"):
        original = getattr(encoding_module, name)

        def counted(*args, _original=original, **kwargs):
            calls.append(1)
            return _original(*args, **kwargs)

        monkeypatch.setattr(encoding_module, name, counted)
    return calls


@pytest.mark.parametrize("sparse", [False, True])
def test_memory_bins_once_per_data_across_sizes(tmp_path, monkeypatch, sparse):
    X, y = make_classification(n_samples=300, n_features=10, random_state=0)
    X = sp.csr_matrix(np.where(np.abs(X) < 0.5, 0.0, X)) if sparse else X
    calls = _counting_encoder(monkeypatch)
    memory = Memory(tmp_path, verbose=0)
    for k in (3, 5, 2, "auto"):
        MIFeatureSelector(k, memory=memory, criterion="jmi").fit(X, y)
    MIFeatureSelector(2, memory=memory, criterion="cmim", alpha=0.01).fit(X, y)
    assert len(calls) == 1  # the first fit binned; the others read the codes
    MIFeatureSelector(2).fit(X, y)
    assert len(calls) == 2  # and without memory nothing is cached


def _change_x(X, y, w):
    X = X.copy()
    X[7, 4] += 1e-9  # one value, below any visible precision
    return X, y, w


def _change_y(X, y, w):
    y = y.copy()
    y[[0, 1]] = y[[1, 0]] if y[0] != y[1] else (y[0], 1 - y[0])
    return X, y, w


def _change_w(X, y, w):
    w = w.copy()
    w[3] += 1
    return X, y, w


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize(
    "change",
    [
        _change_x,
        _change_y,
        _change_w,
        {"n_bins": 3},
        {"strategy": "uniform"},
        {"strategy": "mdlp"},
        {"discrete_features": [0, 1]},
        {"criterion": "mrmr"},
        {"method": "grassberger"},
        {"beta": 0.5, "criterion": "mifs"},
    ],
)
def test_memory_never_returns_a_stale_fit(tmp_path, change, sparse):
    X, y = make_classification(
        n_samples=200, n_features=8, n_informative=3, random_state=3
    )
    X[:, :2] = np.round(X[:, :2] * 2)  # a few levels, so discrete_features matters
    w = np.ones(y.size)
    memory = Memory(tmp_path, verbose=0)
    to = sp.csr_matrix if sparse else np.asarray
    base = {"n_features_to_select": 4}
    MIFeatureSelector(**base, memory=memory).fit(to(X), y, sample_weight=w)
    kw = dict(base)
    if callable(change):
        X, y, w = change(X, y, w)
    else:
        kw.update(change)
    fresh = MIFeatureSelector(**kw).fit(to(X), y, sample_weight=w)
    cached = MIFeatureSelector(**kw, memory=memory).fit(to(X), y, sample_weight=w)
    _assert_same_fit(fresh, cached)


def test_memory_sees_an_array_changed_in_place(tmp_path, monkeypatch):
    X, y = make_classification(n_samples=200, n_features=6, random_state=0)
    calls = _counting_encoder(monkeypatch)
    memory = Memory(tmp_path, verbose=0)
    MIFeatureSelector(3, memory=memory).fit(X, y)
    X[5, 2] = 40.0  # the same object, another value: the bin edges change
    cached = MIFeatureSelector(3, memory=memory).fit(X, y)
    assert len(calls) == 2
    _assert_same_fit(cached, MIFeatureSelector(3).fit(X, y))
    # the same values in Fortran order are equally valid input (a miss, not wrong)
    _assert_same_fit(
        MIFeatureSelector(3, memory=memory).fit(np.asfortranarray(X), y), cached
    )


def test_digest_tells_arrays_apart():
    a = np.arange(12, dtype=np.float64).reshape(3, 4)
    key = selection_module._digest
    assert key(a, None) == key(a.copy(), None)
    assert key(a, None) != key(a.reshape(4, 3), None)  # same bytes, other shape
    assert key(a, None) != key(a.astype(np.float32), None)
    assert key(a, None) != key(a, np.ones(3))
    assert key(a[:, ::2], None) == key(np.ascontiguousarray(a[:, ::2]), None)
    labels = np.array(["a", "b", "a"], dtype=object)
    assert key(labels) == key(labels.copy()) != key(np.array(["a", "b", "b"], object))


# --------------------------------------------------------------------------------------
# many-level discrete columns: observed cells only
# --------------------------------------------------------------------------------------
def _many_levels(n=500, d=8, levels=250, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.integers(0, levels, size=(n, d)).astype(np.float64)
    X[:, 1] = X[:, 0] // 2  # redundant with column 0
    y = (X[:, 0] % 3 + (X[:, 2] > levels / 2) + rng.integers(0, 2, size=n)).astype(int)
    return X, y


@pytest.mark.parametrize("criterion", ["jmi", "mrmr", "cmim", "disr", "icap"])
@pytest.mark.parametrize("method", ["plugin", "miller_madow", "grassberger"])
@pytest.mark.parametrize("weighted", [False, True])
def test_many_level_columns_equal_the_dense_tables(
    monkeypatch, criterion, method, weighted
):
    X, y = _many_levels()
    w = np.random.default_rng(1).integers(0, 3, size=y.size) / 3 if weighted else None
    kw = {"criterion": criterion, "method": method, "discrete_features": True}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # few samples per level
        sparse = MIFeatureSelector(6, **kw).fit(X, y, sample_weight=w)
        monkeypatch.setattr(autostop_module, "SPARSE_CELLS_PER_SAMPLE", 10**12)
        monkeypatch.setattr(autostop_module, "SPARSE_MIN_CELLS", 10**12)
        dense = MIFeatureSelector(6, **kw).fit(X, y, sample_weight=w)
    # the same sums, of other cells in another order: equal up to round-off
    assert_array_equal(sparse.ranking_, dense.ranking_)
    for name in ("scores_", "gains_", "relevance_"):
        assert_allclose(
            getattr(sparse, name), getattr(dense, name), rtol=1e-12, atol=1e-14
        )


def test_many_level_columns_build_no_mostly_empty_table(monkeypatch):
    X, y = _many_levels(n=400, levels=300)
    sizes = []
    original = autostop_module.batch_counts

    def recording(codes, ctx, width, n_ctx, **kwargs):
        sizes.append(width * n_ctx)  # cells of one column's table
        return original(codes, ctx, width, n_ctx, **kwargs)

    monkeypatch.setattr(autostop_module, "batch_counts", recording)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        MIFeatureSelector(4, discrete_features=True).fit(X, y)
    # the relevance step's tables (300 levels x 4 classes) are small and dense;
    # against a selected 300-level column a table would have 512 x 1200 cells
    # for 400 samples, and is counted from the observed cells instead
    assert sizes and max(sizes) <= max(4 * 400, 1 << 14)


@pytest.mark.parametrize("weighted", [False, True])
def test_sparse_cells_equal_dense_bincounts(weighted):
    rng = np.random.default_rng(0)
    n, n_x, n_s, n_y = 300, 40, 7, 3
    column = rng.integers(0, n_x, size=n)
    ctx = rng.integers(0, n_s, size=n) * n_y + rng.integers(0, n_y, size=n)
    w = rng.integers(0, 3, size=n) * 0.3 if weighted else None
    n_ctx = n_s * n_y
    c_ks, c_ksy, cells, ks, ks_of_cell = autostop_module._sparse_cells(
        column, ctx, n_ctx, n_y, w
    )
    full = np.bincount(column * n_ctx + ctx, weights=w, minlength=n_x * n_ctx)
    assert_array_equal(cells, np.flatnonzero(full))
    assert_array_equal(c_ksy, full[cells])  # the same additions in the same order
    pairs = full.reshape(n_x * n_s, n_y).sum(axis=1)
    assert_array_equal(ks, np.flatnonzero(pairs))
    assert_allclose(c_ks, pairs[ks], rtol=1e-15)
    assert_array_equal(ks[ks_of_cell], cells // n_y)


def test_packed_bin_edges_round_trip():
    edges = [np.array([0.5, 1.5]), None, np.empty(0), np.array([-2.0])]
    back = encoding_module._unpack_edges(encoding_module._pack_edges(edges))
    assert back[1] is None
    for a, b in zip(edges, back, strict=True):
        if a is not None:
            assert a.dtype == b.dtype
            assert_array_equal(a, b)
    mixed = [np.array([0.5], dtype=np.float32), np.array([1.5])]
    assert encoding_module._pack_edges(mixed) is mixed  # dtypes kept apart


def test_constant_feature_warning_reads_well():
    X, y = make_classification(n_samples=100, n_features=5, random_state=0)
    X[:, [1, 3]] = 2.0
    with pytest.warns(UserWarning, match="so they can only be selected after"):
        MIFeatureSelector(2).fit(X, y)
    X[:, 3] = np.arange(100)
    with pytest.warns(UserWarning, match="so it can only be selected after"):
        MIFeatureSelector(2).fit(X, y)
