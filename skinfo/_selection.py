"""Greedy mutual-information feature selection: :class:`MIFeatureSelector`.

The estimator is a short pipeline of pure functions:

1. validate the input (pandas columns are typed before anything becomes a float);
2. bin every continuous column once and code every discrete column, giving one
   Fortran-ordered matrix of small unsigned codes;
3. compute the greedy path with :func:`_binned_path` (or :func:`_knn_path`): the
   relevance of every column comes from one batched contingency-table call, and each
   greedy step from one more, because the three-way tables ``(X_k, X_s, Y)`` of every
   candidate ``k`` against the newly selected ``s`` hold every term any criterion of
   Brown et al. (2012) needs. Per-candidate running sums and minima make a step cost
   one pass over the codes, whatever the number of features already selected;
4. read the number of features off the path (a fixed number, a fraction, or the
   first step whose added information is not significant).

The path is a pure function of the coded data and of the criterion only, so a
``joblib.Memory`` can cache it; a cached path that is too short is extended from its
stored state rather than recomputed. The coded data is cached too, keyed by a digest
of the raw input and the binning parameters (:func:`_encode`).

This module holds the estimator and what only it uses. The steps it calls live below
it, in import order: :mod:`skinfo._greedy` (constants and the path state),
:mod:`skinfo._selection_encoding` (binning, codes, the ``memory`` digest),
:mod:`skinfo._autostop` (the tests of ``"auto"`` and their tables),
:mod:`skinfo._binned_greedy` (the binned path and its step p-values) and
:mod:`skinfo._knn_path` (the kNN path and its permutation null).
"""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
import pandas as pd
import scipy.sparse as sp
from joblib import Memory
from numpy.typing import NDArray
from sklearn.base import BaseEstimator
from sklearn.feature_selection import SelectorMixin
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import (
    check_consistent_length,
    check_is_fitted,
    check_memory,
    validate_data,
)

from skinfo._autostop import (
    _CodeColumns,
    _pvalue_given,
    _SortedSparseCodes,
    _walk_tests,
)
from skinfo._base import DocLinkMixin
from skinfo._binned_greedy import (
    _mim_gains,
    _ordered_columns,
    _path_pvalues,
    _ScoreSource,
)
from skinfo._binning import (
    check_sample_weight,
    check_target_length,
    effective_n_samples,
    resolve_discrete_features,
)
from skinfo._compat import (
    Interval,
    RealNotInt,
    StrOptions,
    _fit_context,
    _get_output_config,
)
from skinfo._greedy import (
    _PATH_IGNORE,
    CRITERIA,
    KNN_CRITERIA,
    METHODS,
    MIN_SAMPLES_PER_LEVEL,
    PATIENCE,
    _copy_state,
    _missing_pvalues,
    _path_done,
)
from skinfo._input import (
    as_pandas,
    auto_discrete_mask,
    check_no_text,
    exact_integer_columns,
    frame_to_numeric,
    has_text_categories,
    recode_exact,
)
from skinfo._knn_path import (
    _knn_path,
)
from skinfo._selection_encoding import (
    _CODED_IGNORE,
    _constant_columns,
    _dense_encoding,
    _digest,
    _encode,
    _keyed_binned_path,
    _lean_csc,
    _sparse_encoding,
    _SparseColumns,
    _target_codes,
)
from skinfo._sparse import (
    _as_csc,
)
from skinfo._warnings import warn_user

__all__ = ["MIFeatureSelector"]


def _run_path(
    memory: Memory,
    func,
    args: dict,
    max_k: int,
    stop_alpha,
    n_jobs,
    state=None,
    ignore=(),
):
    """Compute, or fetch and if needed extend, a cached greedy path.

    A ``state`` in hand is extended without looking it up again. ``ignore`` names
    arguments that a ``data_key`` in ``args`` stands for.
    """
    cached = memory.cache(func, ignore=_PATH_IGNORE + list(ignore))
    if state is None:
        state = cached(**args, max_k=max_k, stop_alpha=stop_alpha, n_jobs=n_jobs)
    n_features = len(state["acc"]["relevance"])
    if not _path_done(state, n_features, max_k, stop_alpha) or _missing_pvalues(
        state, stop_alpha
    ):
        out = cached.call(
            **args, max_k=max_k, stop_alpha=stop_alpha, resume=state, n_jobs=n_jobs
        )
        state = out[0] if isinstance(out, tuple) else out
    return state


# ------------------------------------------------------------------------ estimator
def _warn_fractional_weights(weights: NDArray | None) -> None:
    """Warn when the weights sum below their rows: "auto" reads them as counts."""
    if weights is None:
        return
    rows = np.count_nonzero(weights)
    if weights.sum() < rows:
        warn_user(
            f"sample_weight sums to {weights.sum():.4g}, less than the {rows} rows "
            "with positive weight: the tests of n_features_to_select='auto' treat "
            "weights as frequencies, so their p-values take the total weight for the "
            "sample size and are too large. Rescale the weights to counts (for "
            "instance w * count(w > 0) / sum(w)) or pass an int."
        )


class MIFeatureSelector(SelectorMixin, DocLinkMixin, BaseEstimator):
    """Greedy forward feature selection by mutual information with the target.

    Selects features one at a time by one of the information-theoretic criteria
    unified by Brown et al. (2012): MIM, MIFS, mRMR (difference and quotient), JMI,
    JMIM, CMIM, DISR, CIFE, ICAP and CondRed. Mutual information is estimated from
    counts on binned data (continuous columns binned once, discrete columns used as
    they are), or with k-nearest-neighbour estimators for continuous data. The
    number of features is fixed, a fraction, or ``"auto"``: stop when the best
    remaining candidate adds no statistically significant information.

    .. versionadded:: 0.1

    Parameters
    ----------
    n_features_to_select : int, float or "auto", default="auto"
        Number of features to select. An int is a count; a float in ``(0, 1]`` is a
        fraction of the features (``max(1, int(fraction * n_features))``);
        ``"auto"`` keeps the candidates along the path whose added information is
        significant at family-wise level ``alpha`` (see Notes), or the first one
        when none is (with a warning). ``"auto"`` is the default, as in scikit-learn's
        :class:`~sklearn.feature_selection.SequentialFeatureSelector`, because it is
        the one choice that adapts to the data.
    criterion : {"mim", "mifs", "mrmr", "mrmr_quotient", "jmi", "jmim", "cmim", \
"disr", "cife", "icap", "condred"}, default="jmi"
        Score of a candidate given the selected set (formulas in Notes). JMI is the
        default: Brown et al. found it the best trade-off of accuracy and stability.
    beta : float, default=1.0
        Redundancy weight of ``"mifs"``; ignored by the other criteria.
    alpha : float, default=0.05
        Significance level of ``n_features_to_select="auto"``.
    method : {"plugin", "miller_madow", "grassberger", "knn"}, default="plugin"
        How mutual information is estimated, with the names of
        :mod:`skinfo.estimate`'s ``method=``. (It is not called ``estimator``:
        in scikit-learn that word means an estimator object.) The first three count
        the binned data (plug-in, or with the Miller-Madow or Grassberger bias
        correction); ``"knn"`` uses k-nearest-neighbour estimators on the raw values
        (KSG for continuous pairs, Ross's estimator for continuous-discrete pairs,
        counts for discrete pairs) and supports every criterion except ``"disr"``.
    n_bins : int or "auto", default="auto"
        Bins per continuous feature (and for a continuous target); ``"auto"``
        grows with the cube root of the number of samples, from 2 to 16. With
        ``strategy="mdlp"``, an int caps the number of bins and ``"auto"`` lets the
        MDL criterion decide. Ignored by ``method="knn"``.
    strategy : {"quantile", "uniform", "mdlp"}, default="quantile"
        How continuous features are binned: equal frequency, equal width, or the
        supervised cuts of Fayyad and Irani's MDLP (see Notes for a caveat on
        ``"auto"``). Ignored by ``method="knn"``.
    discrete_features : "auto", bool, None or array-like, default="auto"
        Which features are discrete (used as they are, each value its own code)
        rather than binned. ``"auto"``: pandas bool, integer and categorical
        columns, or every column of a bool or integer array. A bool applies to all
        features (``None`` means none); an array is a boolean mask, column indices
        or column names. Pandas categorical columns are always discrete.
    n_neighbors : int, default=3
        Neighbours of the kNN estimators (``method="knn"`` only).
    memory : str, joblib.Memory or None, default=None
        Cache of the binned data and of the greedy path, as in
        :class:`~sklearn.pipeline.Pipeline`: a path to a directory or a
        :class:`joblib.Memory`. The binned data (bin edges, codes, target codes) is
        keyed by a SHA-256 digest of ``X``, ``y`` and ``sample_weight`` and by the
        parameters of the binning; the path by the coded data and the criterion.
        Neither depends on ``n_features_to_select`` nor ``alpha``, so refitting
        with another size skips the binning and reuses the path, extending it when
        it is too short.
    n_jobs : int, default=None
        Caps the threads of the binning and counting kernels, which by default use
        every available core (fewer under ``threadpoolctl`` limits); with
        ``method="knn"``, the threads over candidates (``None`` means 1 there).
        Results do not depend on it.
    random_state : int, RandomState instance or None, default=None
        Seeds the row subsample of quantile binning on more than 200,000 rows, the
        kNN tie-breaking noise and the kNN permutation test.

    Attributes
    ----------
    relevance_ : ndarray of shape (n_features,)
        Estimated ``I(X_j; Y)`` of every feature, in nats.
    ranking_ : ndarray of shape (n_steps,)
        Feature indices in selection order along the computed path; the first
        ``n_features_to_select_`` are selected. With ``"auto"`` the path holds
        every candidate the walk tested (it ends 10 rejections in a row after the
        last acceptance): first the selected ones (those whose ``pvalues_`` is at
        most ``alpha``, or the first step alone when none is), then the rejected
        ones, each group in path order; ``scores_``, ``gains_`` and ``pvalues_``
        follow the same order.
    scores_ : ndarray of shape (n_steps,)
        Criterion score of the feature chosen at each step, in the criterion's own
        scale (nats for all but ``"mrmr_quotient"`` and ``"disr"``, which are
        ratios). Step one scores every criterion by the relevance.
    gains_ : ndarray of shape (n_steps,)
        Information each chosen feature adds, in nats: ``I(X_k; Y)`` at step one,
        then ``min_{j in S} I(X_k; Y | X_j)`` over the features ``S`` selected
        before it (see Notes). With ``method="knn"`` and ``criterion="mim"``, which
        never conditions, only the first gain is computed and the rest are NaN.
        Binned MIM's path needs no conditional term either: its gains are
        computed on first access for a fixed size (a pass per selected feature).
    pvalues_ : ndarray of shape (n_steps,)
        Adjusted p-value of each step (see Notes): from the chi-square and
        mean-score tests on the binned paths, computed in ``fit`` for ``"auto"``
        and on first access otherwise (an int needs no test); from a rank
        permutation test for ``method="knn"`` with ``criterion="mim"`` and
        ``n_features_to_select="auto"``; NaN for other kNN fits.
    n_features_to_select_ : int
        Number of features selected.
    bin_edges_ : list of ndarray or None
        Inner cut points of each feature; ``None`` for discrete features. The whole
        attribute is ``None`` for ``method="knn"``.
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    sklearn.feature_selection.SelectKBest : Univariate selection, e.g. with
        :func:`~sklearn.feature_selection.mutual_info_classif` (like ``"mim"``).
    sklearn.feature_selection.SequentialFeatureSelector : Greedy selection by
        cross-validated model score.

    Notes
    -----
    **Algorithm.** Step one selects ``argmax_k I(X_k; Y)`` for every criterion.
    Each later step scores every unselected ``k`` given the selected set ``S``
    and appends the best; scores within a relative ``1e-10`` of the best are ties,
    won by the lowest feature index. The criteria (Brown et al. 2012, Table 1):

    - ``mim``: ``I(X_k;Y)``;
    - ``mifs``: ``I(X_k;Y) - beta * sum_j I(X_k;X_j)``;
    - ``mrmr``: ``I(X_k;Y) - mean_j I(X_k;X_j)``;
    - ``mrmr_quotient``: ``I(X_k;Y) / mean_j I(X_k;X_j)``, the denominator
      floored at ``1e-12`` nats;
    - ``jmi``: ``sum_j I(X_k,X_j;Y)`` (the sum, as FEAST reports it);
    - ``jmim``: ``min_j I(X_k,X_j;Y)``;
    - ``cmim``: ``min_j I(X_k;Y|X_j)``;
    - ``disr``: ``sum_j I(X_k,X_j;Y) / H(X_k,X_j,Y)``;
    - ``cife``: ``I(X_k;Y) - sum_j [I(X_k;X_j) - I(X_k;X_j|Y)]``;
    - ``icap``: ``I(X_k;Y) - sum_j max(0, I(X_k;X_j) - I(X_k;X_j|Y))``;
    - ``condred``: ``I(X_k;Y) + sum_j I(X_k;X_j|Y)``.

    On the binned path one batched count per step gives the three-way table of
    ``(X_k, X_s, Y)`` for every candidate ``k`` and the newest feature ``s``; all
    terms follow from entropies of its margins, and running sums and minima over
    ``S`` keep a step at one pass over the data.

    **Gains.** ``gains_`` is the information the chosen feature adds beyond the
    single selected feature that explains most of it. It equals the exact
    ``I(X_k; Y | X_S)`` at steps one and two; later it neglects what several
    selected features explain only jointly, so the cumulative sum of ``gains_``
    approximates, but is not, ``I(X_S; Y)``. The minimum catches redundancy (a
    copy of a selected feature gains 0) but not synergy: the partner of a selected
    feature in an XOR gains about 0 as soon as another selected feature says
    nothing about it, so ``"auto"`` rejects it; pass an int for such data.

    **Stopping rule ("auto") and p-values.** ``"auto"`` walks the greedy path
    and tests each candidate ``X_k`` against ``H0: X_k`` independent of ``Y``
    given the accepted features ``A``, twice:

    - given ``A`` jointly: the strata are the combinations of the codes of ``A``,
      with adjacent bins of continuous features merged so that strata hold about
      10 samples (a discrete feature keeps its levels); the p-value is multiplied
      by ``n_features - |A|``, the number of features not yet accepted (Holm);
    - given each feature of ``A`` alone, with its full bins; the largest p-value
      counts, at the plain level (it only removes candidates: a copy, or a close
      proxy, of an accepted feature adds nothing given that feature).

    The step's p-value is the larger of the two, capped at 1, and the candidate
    is accepted when it is at most ``alpha``. A rejected candidate does not end
    the walk (the greedy order is noisy at small ``n``, and a real feature may
    follow a noise one); 10 rejections in a row do. Step one is the marginal test.
    The accepted candidates are selected; when there is none, the first one is
    kept, with a warning.
    Each test combines, by a weighted Bonferroni rule (0.9 and 0.1 of the level),
    two statistics summed over the strata ``z``: for a continuous feature without
    NaN, the mean-score statistic of Cochran, Mantel and Haenszel (Landis et al.
    1978) with van der Waerden scores (``Phi^-1`` of the mid-ranks of the raw
    values, not of the bins), ``n_classes - 1`` degrees of freedom, which has the
    power of the t-test against a shift; and for every feature Pearson's
    ``X^2 = sum_z (n_z - 1) / n_z sum_{x,y} (n_xzy - e_xzy)^2 / e_xzy`` with
    ``e_xzy = n_xz n_zy / n_z`` on the bins, against ``sum_z (r_z - 1)(c_z - 1)``
    degrees of freedom (observed levels), which catches any dependence. The
    factor ``(n_z - 1) / n_z`` makes each stratum's mean exact with its margins
    fixed; without it, strata of 2 samples give ``X^2 = 2`` on 1 degree of
    freedom every time. Counts are sums of sample weight.

    Why the family-wise error stays at most ``alpha``: let ``m0`` features be
    independent of ``Y`` and of the other features. Until one of them is accepted
    only informative features are, so ``|A| <= n_features - m0``, and the first
    false acceptance needs a joint p-value of at most ``alpha / m0``; a noise
    feature's p-value is valid given any other columns, so the union bound over
    the ``m0`` of them gives ``alpha``, whatever the order of the walk (Holm's
    argument). The bound is approximate, as the set ``A`` depends weakly on every
    column through the path. Measured (``benchmarks/bench_autostop.py``, Gaussian
    features, ``y`` from a logistic model of 5 of 100 features): on pure noise
    2.5% (n = 200) to 4.5% (n = 500) of fits accept a feature at
    ``alpha = 0.05``, and the recall of the 5 features is at least that of
    scikit-learn's ``SelectFwe(f_classif)`` at n = 200, 500 and 2000 (0.79
    against 0.70 at n = 200, all of them from n = 500). **At small n the stop is
    conservative**: each accepted feature must pass a level near
    ``alpha / n_features``, so at n = 200 one informative feature in five is
    missed, at n = 100 most are, and as the strata thin out (about 10 samples
    each is the aim) the conditional tests lose power; pass an int when the
    size is known. The G statistic ``2 N I`` is not used: at
    a few samples per cell it rejects a true null far more often than ``alpha``
    says, while Pearson's stays close to its level [5]_. With
    ``strategy="mdlp"`` the bins depend on ``y``, which makes the tests
    optimistic. No test suits a discrete feature with about one sample per level
    (an id): drop or group such columns, or pass an int.
    For ``method="knn"`` only ``criterion="mim"`` supports ``"auto"``: each
    continuous feature's ranks (ties broken by :mod:`skinfo._knn`'s noise) get
    Ross's kNN statistic against ``y`` (Spearman's ``rho^2`` for a continuous
    target) and a permutation p-value from one null distribution shared by all
    features (the ranks of any column paired with a permuted ``y`` have the same
    law), with ``ceil(4 n_features / alpha) - 1`` permutations, at least 99 (about
    0.5 s for 200 x 100); for a discrete target it is combined by Bonferroni, half
    the level each, with the mean-score test on the van der Waerden scores.
    Discrete features get Pearson's test (Kruskal-Wallis for a continuous
    target). The walk is the same, without conditioning. The kNN statistic has
    little power at small ``n`` (with ``k = 3`` it is a local statistic).

    **Data.** Continuous features are binned once (NaN gets its own bin; a discrete
    feature's NaN is its own value). A scipy sparse matrix (a bag of words, a
    one-hot log) is never densified: its implicit zeros are a value of their own,
    ``discrete_features="auto"`` treats an integer or boolean matrix (word counts)
    as discrete and a float one (TF-IDF) as continuous, whose zeros, a mass point,
    get a bin of their own; the tables come from the stored entries, so a greedy
    step costs ``O(nnz + n_features * cells)``, and every fitted attribute equals
    that of the same fit on ``X.toarray()`` (to round-off with ``sample_weight``).
    With raw counts each count is a level, which biases the information of
    frequent words upward on small corpora; word presence (``binary=True`` in
    ``CountVectorizer``) avoids that. A continuous target (``type_of_target`` says
    ``"continuous"``) is binned like a feature for the counting path (``n_bins``
    equal-width bins for ``"uniform"``, quantile bins otherwise, as MDLP needs
    classes); any other target, integer-valued ones included, is a set of classes.
    ``sample_weight`` holds frequency weights: counts become sums of weights and
    quantile cuts are weighted quantiles; ``n_bins="auto"`` and every count-based
    rule use the effective sample size ``n_eff = max(sum(w), count(w > 0))``, so
    an integer weight acts as a repeated row while weights normalised to sum 1
    act like unit weights (and multiplying all weights by a constant in
    ``(0, 1]`` then changes nothing). The tests of ``"auto"`` treat the weights
    as frequencies: their p-values depend on the total weight, and weights whose
    total is below the number of rows with positive weight (normalised or
    importance weights) make them meaningless; ``"auto"`` warns then (rescale the
    weights to counts, or pass an int). Integer columns, including values above
    ``2**53`` that a float64 cast would merge, are coded exactly. Features that
    are constant (one code) or entirely NaN have zero relevance and get a warning
    naming them; if every feature is constant the lowest indices are selected. A
    discrete feature with fewer than 5 samples per level (an id, a zip code on a
    small sample) gets a warning: the plug-in information of such a column
    approaches ``H(Y)`` whatever it holds (an id has exactly ``I = H(Y)``), so it
    can outrank every real feature, and bias corrections do not repair that.

    **Path and cache.** An int or fraction computes exactly that many steps and
    no test; ``"auto"`` computes until the walk ends.
    The path does not depend on ``n_features_to_select`` or ``alpha``, so with
    ``memory`` set, a grid search over them bins each fold once and computes its
    path once, up to its largest size: a longer request resumes the cached path
    from its stored running sums and stores the extension. A cached fit costs
    about a tenth of a cold one, mostly the digest of ``X``.

    **Dask.** :meth:`fit` accepts a dask array (chunked along rows) or DataFrame,
    with ``y`` and ``sample_weight`` in numpy, pandas or dask, and never gathers
    ``X``: one pass collects each column's range, NaN count or distinct values;
    quantile and MDLP edges (and a continuous target's quantile edges) come from at
    most 200,000 rows drawn on the workers with ``random_state``; the codes are
    kept on the workers, and the relevances and each greedy step are one pass that
    adds up the tables of every block. With discrete features,
    ``strategy="uniform"``, or at most 200,000 rows, every fitted attribute equals
    that of the in-memory fit (to round-off). ``memory`` keys the cache by dask's
    token of the collections. The tests of ``"auto"`` and ``pvalues_`` read the
    codes of the path's columns, the target and, for ordered columns, the ranks of
    the raw values on the client, one column at a time (``O(n_samples)`` memory
    each, never ``X``). ``method="knn"`` refuses dask input. :meth:`transform` of
    a dask collection is lazy.

    References
    ----------
    .. [1] G. Brown, A. Pocock, M.-J. Zhao and M. Lujan, "Conditional likelihood
       maximisation: a unifying framework for information theoretic feature
       selection", JMLR 13:27-66, 2012.
    .. [2] H. H. Yang and J. Moody, "Data visualization and feature selection: new
       algorithms for nongaussian data", NIPS 12, 1999.
    .. [3] F. Fleuret, "Fast binary feature selection with conditional mutual
       information", JMLR 5:1531-1555, 2004.
    .. [4] H. Peng, F. Long and C. Ding, "Feature selection based on mutual
       information: criteria of max-dependency, max-relevance, and
       min-redundancy", IEEE TPAMI 27(8):1226-1238, 2005.
    .. [5] K. Larntz, "Small-sample comparisons of exact levels for chi-squared
       goodness-of-fit statistics", JASA 73(362):253-263, 1978.

    Examples
    --------
    >>> import numpy as np
    >>> from skinfo import MIFeatureSelector
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, size=500)
    >>> X = np.column_stack([rng.normal(size=500), y + rng.normal(size=500),
    ...                      rng.normal(size=500)])
    >>> selector = MIFeatureSelector(n_features_to_select=1).fit(X, y)
    >>> selector.get_support()
    array([False,  True, False])
    >>> MIFeatureSelector().fit(X, y).n_features_to_select_  # "auto"
    1

    The same fit on a dask array (with the ``skinfo[dask]`` extra) runs on dask's
    workers, never gathers ``X`` and selects the same feature; ``transform`` is lazy:

    >>> import dask.array as da
    >>> X_dask = da.from_array(X, chunks=(200, 3))
    >>> selector = MIFeatureSelector(n_features_to_select=1).fit(X_dask, y)
    >>> selector.get_support()
    array([False,  True, False])
    >>> selector.transform(X_dask)
    dask.array<..., shape=(500, 1), dtype=float64, chunksize=(200, 1), ...>
    """

    _parameter_constraints: dict = {
        "n_features_to_select": [
            Interval(Integral, 1, None, closed="left"),
            Interval(RealNotInt, 0, 1, closed="right"),
            StrOptions({"auto"}),
        ],
        "criterion": [StrOptions(set(CRITERIA))],
        "beta": [Interval(Real, 0, None, closed="left")],
        "alpha": [Interval(Real, 0, 1, closed="right")],
        "method": [StrOptions(set(METHODS))],
        "n_bins": [Interval(Integral, 2, None, closed="left"), StrOptions({"auto"})],
        "strategy": [StrOptions({"quantile", "uniform", "mdlp"})],
        "discrete_features": [None, "boolean", StrOptions({"auto"}), "array-like"],
        "n_neighbors": [Interval(Integral, 1, None, closed="left")],
        "memory": [None, str, Memory],
        "n_jobs": [None, Integral],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        n_features_to_select="auto",
        *,
        criterion="jmi",
        beta=1.0,
        alpha=0.05,
        method="plugin",
        n_bins="auto",
        strategy="quantile",
        discrete_features="auto",
        n_neighbors=3,
        memory=None,
        n_jobs=None,
        random_state=None,
    ):
        self.n_features_to_select = n_features_to_select
        self.criterion = criterion
        self.beta = beta
        self.alpha = alpha
        self.method = method
        self.n_bins = n_bins
        self.strategy = strategy
        self.discrete_features = discrete_features
        self.n_neighbors = n_neighbors
        self.memory = memory
        self.n_jobs = n_jobs
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Compute the greedy path and select features.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Training data. NaN is allowed on the binned path. DataFrame columns may
            be float, integer, bool or categorical; a polars or pyarrow table works
            like a pandas DataFrame (nulls are missing values, polars/arrow
            categories are taken in sorted order). A scipy sparse matrix or array
            is never densified (``method="knn"`` needs dense data); a dask array
            or DataFrame is fitted on its workers, never gathered; see the Notes.
        y : array-like of shape (n_samples,)
            Target: class labels, or continuous values (binned for counting).
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative frequency weights (not supported by ``method="knn"``).

        Returns
        -------
        self : object
            Fitted selector.
        """
        if sp.issparse(X):
            return self._fit_sparse(X, y, sample_weight)
        from skinfo._dask import is_dask  # never imports dask itself

        if is_dask(X):  # fitted on the workers, X never gathered
            from skinfo._dask_selection import fit_dask

            return fit_dask(self, X, y, sample_weight)
        X = as_pandas(X)
        check_no_text(X)
        check_target_length(X, y)
        knn = self.method == "knn"
        self._check_combination(knn)
        auto_mask, categorical = auto_discrete_mask(X), None
        exact = exact_integer_columns(X)
        if isinstance(X, pd.DataFrame):
            X, categorical = frame_to_numeric(X)
        X, y = validate_data(
            self,
            X,
            y,
            dtype=np.float64,
            ensure_all_finite=True if knn else "allow-nan",
        )
        n_features = X.shape[1]
        discrete = resolve_discrete_features(
            self.discrete_features,
            n_features,
            auto_mask=auto_mask,
            feature_names=getattr(self, "feature_names_in_", None),
        )
        if categorical is not None:
            discrete |= categorical
        X = recode_exact(X, exact, discrete)
        weights = check_sample_weight(sample_weight, X)
        check_consistent_length(X, y)
        if knn and weights is not None:
            raise ValueError("sample_weight is not supported with method='knn'.")

        target_type = type_of_target(y, input_name="y")
        if target_type not in ("binary", "multiclass", "continuous"):
            raise ValueError(
                f"Unknown label type: {target_type!r}. y must be a 1-D classification "
                "or regression target."
            )
        discrete_target = target_type != "continuous"
        memory = check_memory(self.memory)
        if knn:
            y_codes, n_y = self._encode_target(y, discrete_target, weights)
        else:
            # one cache entry holds all that does not depend on the path's length
            encoding = _encode(
                memory,
                _dense_encoding,
                (X, y, weights),
                discrete=discrete,
                discrete_target=discrete_target,
                n_bins=self.n_bins,
                strategy=self.strategy,
                random_state=self.random_state,
                n_jobs=self.n_jobs,
            )
            y_codes, n_y = encoding["y_codes"], encoding["n_y"]

        k = self._requested_size(n_features)
        stop_alpha = self.alpha if self.n_features_to_select == "auto" else None
        max_k = n_features if k is None else k
        if stop_alpha is not None:
            _warn_fractional_weights(weights)
        if knn:
            seed = check_random_state(self.random_state).randint(np.iinfo(np.int32).max)
            y_knn = y_codes if discrete_target else y.astype(np.float64)
            cached = getattr(memory, "location", None) is not None
            args = {
                "data_key": _digest(X, y_knn) if cached else None,
                "X": X,
                "discrete": discrete,
                "y": y_knn,
                "discrete_target": discrete_target,
                "criterion": self.criterion,
                "beta": float(self.beta),
                "n_neighbors": int(self.n_neighbors),
                "seed": int(seed),
            }
            self._warn_constant(_constant_columns(X, None, None))
            state = _run_path(
                memory,
                _knn_path,
                args,
                max_k,
                stop_alpha,
                self.n_jobs,
                ignore=["X", "y"],
            )
            self.bin_edges_ = None
            walk = None
            if stop_alpha is not None:
                raw = state["pvalues"]
                walk = _walk_tests(
                    lambda t, kept: (raw[t], 0.0),
                    state["ranking"],
                    n_features,
                    stop_alpha,
                )
        else:
            codes, n_levels = encoding["codes"], encoding["n_levels"]
            self.bin_edges_ = encoding["bin_edges"]
            self._warn_sparse_levels(
                n_levels, discrete, effective_n_samples(weights, X.shape[0])
            )
            self._warn_constant(encoding["constant"])
            ordered = _ordered_columns(discrete, n_levels, self.bin_edges_)
            args = {
                "data_key": encoding["data_key"],
                "codes": codes,
                "n_levels": n_levels,
                "y_codes": y_codes,
                "n_y": n_y,
                "sample_weight": weights,
                "criterion": self.criterion,
                "beta": float(self.beta),
                "method": self.method,
            }
            test_data = {
                "codes": codes,
                "n_levels": n_levels,
                "ordered": ordered,
                "n_eff": effective_n_samples(weights, X.shape[0]),
                "scores": _ScoreSource(X, ordered, weights),
                "y_codes": y_codes,
                "n_y": n_y,
                "weights": weights,
            }
            if stop_alpha is None:
                state = _run_path(
                    memory,
                    _keyed_binned_path,
                    args,
                    max_k,
                    None,
                    self.n_jobs,
                    ignore=_CODED_IGNORE,
                )
                walk = None
            else:
                state, walk = self._auto_walk(memory, args, test_data, stop_alpha)
        self._store_path(state, k, walk)
        if not knn and stop_alpha is None:
            # p-values are not needed to select k features: computed on first access
            sel = self.ranking_
            self._pvalue_inputs = (
                {
                    "codes": np.asfortranarray(codes[:, sel]),
                    "n_levels": n_levels[sel],
                    "ordered": ordered[sel],
                    "n_eff": test_data["n_eff"],
                    "scores": _ScoreSource(X[:, sel], ordered[sel], weights),
                    "y_codes": y_codes,
                    "n_y": n_y,
                    "weights": weights,
                },
                n_features,
            )
            self._pvalues = None
        if stop_alpha is not None and np.all(self.pvalues_ > stop_alpha):
            label = self._feature_label(self.ranking_[0], "feature ")
            warn_user(
                f"No feature is significantly dependent on y at alpha={stop_alpha}: "
                f"kept the most relevant one, {label} (adjusted p-value "
                f"{self.pvalues_[0]:.3g})."
            )
        return self

    def _fit_sparse(self, X, y, sample_weight):
        """:meth:`fit` on a scipy sparse matrix, which is never densified.

        Implicit zeros are a value of their own. Under ``discrete_features="auto"``
        an integer or boolean matrix (counts) is discrete and a float one (TF-IDF)
        continuous; a continuous column's zeros are a mass point with a bin of its
        own. The codes, the tables (:mod:`skinfo._sparse`) and so every fitted
        attribute equal those of ``fit(X.toarray(), ...)``.
        """
        check_target_length(X, y)
        if self.method == "knn":
            raise TypeError(
                "method='knn' needs dense X, got a sparse matrix: use a counting "
                "method (method='plugin', which bins the data and accepts sparse X) "
                "or pass X.toarray()."
            )
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse=("csr", "csc"),
            dtype=None,
            ensure_all_finite="allow-nan",
        )
        if X.dtype.kind not in "biuf":
            X = X.astype(np.float64)
        n_features = X.shape[1]
        discrete = resolve_discrete_features(
            self.discrete_features,
            n_features,
            auto_mask=np.full(n_features, X.dtype.kind in "biu"),
            feature_names=getattr(self, "feature_names_in_", None),
        )
        weights = check_sample_weight(sample_weight, X)
        target_type = type_of_target(y, input_name="y")
        if target_type not in ("binary", "multiclass", "continuous"):
            raise ValueError(
                f"Unknown label type: {target_type!r}. y must be a 1-D classification "
                "or regression target."
            )
        memory = check_memory(self.memory)
        # one conversion, shared by the edges, codes and scores
        X = _lean_csc(_as_csc(X))
        encoding = _encode(
            memory,
            _sparse_encoding,
            (X, y, weights),
            discrete=discrete,
            discrete_target=target_type != "continuous",
            n_bins=self.n_bins,
            strategy=self.strategy,
            random_state=self.random_state,
            n_jobs=self.n_jobs,
        )
        y_codes, n_y = encoding["y_codes"], encoding["n_y"]
        k = self._requested_size(n_features)
        stop_alpha = self.alpha if self.n_features_to_select == "auto" else None
        max_k = n_features if k is None else k
        if stop_alpha is not None:
            _warn_fractional_weights(weights)
        codes, n_levels = encoding["codes"], encoding["n_levels"]
        self.bin_edges_, encoding_constant = encoding["bin_edges"], encoding["constant"]
        data_key = encoding["data_key"]
        del encoding
        n_eff = effective_n_samples(weights, X.shape[0])
        self._warn_sparse_levels(n_levels, discrete, n_eff)
        self._warn_constant(encoding_constant)
        ordered = _ordered_columns(discrete, n_levels, self.bin_edges_)
        # the values are only read again for the scores of ordered columns: free
        # the CSC copy first, as reordering the codes copies them
        columns = _SparseColumns(X) if ordered.any() else None
        del X
        sorted_codes = _SortedSparseCodes(codes, n_levels)
        del codes
        args = {
            "data_key": data_key,
            "codes": sorted_codes,
            "n_levels": n_levels,
            "y_codes": y_codes,
            "n_y": n_y,
            "sample_weight": weights,
            "criterion": self.criterion,
            "beta": float(self.beta),
            "method": self.method,
        }
        if stop_alpha is None:
            state = _run_path(
                memory,
                _keyed_binned_path,
                args,
                max_k,
                None,
                self.n_jobs,
                ignore=_CODED_IGNORE,
            )
            walk = None
        else:
            test_data = {
                "codes": sorted_codes,
                "n_levels": n_levels,
                "ordered": ordered,
                "n_eff": n_eff,
                "scores": _ScoreSource(columns, ordered, weights),
                "y_codes": y_codes,
                "n_y": n_y,
                "weights": weights,
            }
            state, walk = self._auto_walk(memory, args, test_data, stop_alpha)
        self._store_path(state, k, walk)
        if stop_alpha is None:
            # p-values on first access, from the selected columns only
            sel = self.ranking_
            self._pvalue_inputs = (
                {
                    "codes": _CodeColumns(sorted_codes, sel),
                    "n_levels": n_levels[sel],
                    "ordered": ordered[sel],
                    "n_eff": n_eff,
                    "scores": _ScoreSource(
                        columns.subset(sel) if ordered[sel].any() else None,
                        ordered[sel],
                        weights,
                    ),
                    "y_codes": y_codes,
                    "n_y": n_y,
                    "weights": weights,
                },
                n_features,
            )
            self._pvalues = None
        elif np.all(self.pvalues_ > stop_alpha):
            label = self._feature_label(self.ranking_[0], "feature ")
            warn_user(
                f"No feature is significantly dependent on y at alpha={stop_alpha}: "
                f"kept the most relevant one, {label} (adjusted p-value "
                f"{self.pvalues_[0]:.3g})."
            )
        return self

    def _transform_sparse(self, X):
        """:meth:`transform` of a sparse matrix: its selected columns, still sparse."""
        check_is_fitted(self)
        X = validate_data(
            self,
            X,
            accept_sparse=("csr", "csc"),
            dtype=None,
            ensure_all_finite="allow-nan",
            reset=False,
        )
        return X[:, self.get_support()]

    def _feature_label(self, j: int, prefix: str = "") -> str:
        """Quoted column name of feature ``j``, or ``prefix`` and its index."""
        names = getattr(self, "feature_names_in_", None)
        return repr(names[j]) if names is not None else f"{prefix}{j}"

    def _warn_constant(self, constant) -> None:
        """Warn about constant or all-NaN features, naming them (stacklevel: user)."""
        if constant.all():
            warn_user(
                "Every feature is constant (or entirely NaN): all relevances are 0 "
                "and features are selected in index order."
            )
            return
        if not constant.any():
            return
        cols = np.flatnonzero(constant)
        shown = [self._feature_label(j, "column ") for j in cols[:5]]
        more = f" and {cols.size - 5} more" if cols.size > 5 else ""
        many = cols.size > 1
        subject, verb = ("Features", "are") if many else ("Feature", "is")
        they, them, their = ("they", "them", "their") if many else ("it", "it", "its")
        warn_user(
            f"{subject} {', '.join(shown)}{more} {verb} constant (or entirely NaN): "
            f"{their} mutual information with y is 0, so {they} can only be selected "
            f"after every other feature. Drop {them}, or impute the missing values."
        )

    def _warn_sparse_levels(self, n_levels, discrete, rows) -> None:
        """Warn about discrete features with too few samples per level (ids).

        ``rows`` is the effective sample size ``max(sum(w), count(w > 0))``: the
        warning is about the data's cardinality and must not come with weights
        normalised to sum 1, while an integer weight counts as repeated rows.
        """
        sparse = discrete & (n_levels > 1) & (rows < MIN_SAMPLES_PER_LEVEL * n_levels)
        if not sparse.any():
            return
        cols = np.flatnonzero(sparse)
        shown = [self._feature_label(j) for j in cols[:5]]
        more = f" and {cols.size - 5} more" if cols.size > 5 else ""
        warn_user(
            f"Discrete features with fewer than {MIN_SAMPLES_PER_LEVEL} samples per "
            f"level: {', '.join(shown)}{more}. Their mutual information with y is "
            "biased upward (an id column scores H(y), the most any feature can) and "
            "may rank them first; group their rare levels or drop them."
        )

    def _check_combination(self, knn: bool) -> None:
        if knn and self.criterion not in KNN_CRITERIA:
            raise ValueError(
                f"criterion={self.criterion!r} is not available with method='knn'; "
                f"use one of {KNN_CRITERIA} or a counting method."
            )
        if knn and self.n_features_to_select == "auto" and self.criterion != "mim":
            raise ValueError(
                "n_features_to_select='auto' with method='knn' is supported for "
                "criterion='mim' only (permutation test); pass an int or a fraction, "
                "or use a counting method."
            )

    def _requested_size(self, n_features: int) -> int | None:
        request = self.n_features_to_select
        if request == "auto":
            return None
        if isinstance(request, Integral):
            if request > n_features:
                raise ValueError(
                    f"n_features_to_select={request} must be <= the number of "
                    f"features, got n_features={n_features}."
                )
            return int(request)
        return max(1, int(request * n_features))

    def _encode_target(self, y, discrete_target, weights):
        """:func:`_target_codes` with this selector's parameters."""
        return _target_codes(
            y, discrete_target, weights, self.n_bins, self.strategy, self.random_state
        )

    def _auto_walk(
        self,
        memory,
        args,
        test_data,
        stop_alpha,
        *,
        path=_keyed_binned_path,
        ignore=_CODED_IGNORE,
        n_features=None,
    ):
        """Grow the binned path until the tests of ``"auto"`` end the walk.

        ``path`` computes the greedy path from ``args`` (the in-memory one by
        default; the distributed fit passes its own, and ``ignore`` names the
        arguments its cache key stands for).
        """
        if n_features is None:
            n_features = test_data["codes"].shape[1]
        cache = {}

        def raw_of(t, kept):
            ranking = state["ranking"]
            given = [ranking[i] for i in kept]
            key = (t, tuple(kept))
            if key not in cache:
                cache[key] = _pvalue_given(test_data, ranking[t], given, coarse=True)
            for j in given:
                if (t, j) not in cache:
                    cache[t, j] = _pvalue_given(test_data, ranking[t], [j])
            return cache[key], max((cache[t, j] for j in given), default=0.0)

        state = None
        while True:
            length = 1 if state is None else len(state["ranking"]) + PATIENCE
            state = _run_path(
                memory,
                path,
                args,
                length,
                None,
                self.n_jobs,
                state=state,
                ignore=ignore,
            )
            walk = _walk_tests(raw_of, state["ranking"], n_features, stop_alpha)
            if (
                walk[0].size < len(state["ranking"])
                or len(state["ranking"]) >= n_features
                or (
                    len(walk[0]) >= PATIENCE
                    and np.all(walk[0][-PATIENCE:] > stop_alpha)
                )
            ):
                if self.criterion == "mim":  # gains of the walked steps
                    state = _copy_state(state)
                    steps = state["ranking"][: walk[0].size]
                    data = {**test_data, "codes": test_data["codes"][:, steps]}
                    data["n_levels"] = test_data["n_levels"][steps]
                    state["gains"][: len(steps)] = _mim_gains(
                        data, self.method, state["gains"][0]
                    ).tolist()
                return state, walk

    def _store_path(self, state: dict, k: int | None, walk) -> None:
        ranking = np.asarray(state["ranking"], dtype=np.intp)
        if walk is not None:
            # The walked steps (a longer cached path must not show more), the
            # selected ones first so that the first n_features_to_select_ are the
            # selection, as for an int; each group in path order.
            pvalues, steps = walk
            length = pvalues.size
            order = np.concatenate([steps, np.setdiff1d(np.arange(length), steps)])
            k = steps.size
        else:
            length = k
            order = np.arange(length)
            pvalues = None  # kNN: NaN; binned: computed on first access
        self.relevance_ = np.asarray(state["acc"]["relevance"], dtype=np.float64)
        self.ranking_ = ranking[:length][order]
        self.scores_ = np.asarray(state["scores"], dtype=np.float64)[:length][order]
        self._gains = np.asarray(state["gains"], dtype=np.float64)[:length][order]
        # binned MIM's path has no conditional terms: its gains come on demand
        self._gains_pending = (
            self.method != "knn" and self.criterion == "mim" and walk is None
        )
        self._pvalues = np.full(length, np.nan) if pvalues is None else pvalues[order]
        self._pvalue_inputs = None
        self.n_features_to_select_ = int(k)

    @property
    def pvalues_(self):
        """Adjusted p-value of each step's gain (see the class Attributes).

        Computed during ``fit`` for ``n_features_to_select="auto"``; for a fixed
        size, on first access (the selection does not need them).
        """
        check_is_fitted(self, "ranking_")
        if self._pvalues is None:
            self._pvalues = _path_pvalues(*self._pvalue_inputs)
            if not self._gains_pending:
                self._pvalue_inputs = None
        return self._pvalues

    @property
    def gains_(self):
        """Information each chosen feature adds (see the class Attributes).

        For ``criterion="mim"`` with a fixed size, computed on first access: the
        MIM path itself needs no conditional term.
        """
        check_is_fitted(self, "ranking_")
        if self._gains_pending:
            data = self._pvalue_inputs[0]
            self._gains = _mim_gains(data, self.method, float(self._gains[0]))
            self._gains_pending = False
            if self._pvalues is not None:
                self._pvalue_inputs = None
        return self._gains

    def transform(self, X):
        """Reduce ``X`` to the selected features.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Data with the columns seen in ``fit``.

        Returns
        -------
        ndarray, sparse matrix or DataFrame of shape (n_samples, n_selected_features)
            The selected columns with their values and dtypes; sparse input gives
            a sparse matrix of the same format (CSR or CSC). From a DataFrame
            with the default output, an object array if the selected columns
            include a text categorical one, or integer columns beyond ``2**53`` of
            different dtypes (no common numeric dtype holds them exactly). A dask
            array or DataFrame gives a lazy dask array or DataFrame of the
            selected columns (nothing is computed).
        """
        if sp.issparse(X):
            return self._transform_sparse(X)
        from skinfo._dask import is_dask  # never imports dask itself

        if is_dask(X):  # lazy: a dask array or DataFrame of the selected columns
            from skinfo._dask_selection import transform_dask

            return transform_dask(self, X)
        X = as_pandas(X)
        check_no_text(X)
        exact = exact_integer_columns(X) if isinstance(X, pd.DataFrame) else {}
        if not (has_text_categories(X) or exact):
            return super().transform(X)
        # scikit-learn's selector casts a mixed frame to float before selecting,
        # which text categories and large integers cannot survive: validate a
        # numeric view (names, width, infinity), then select from the frame itself
        check_is_fitted(self)
        numeric, _ = frame_to_numeric(X)
        finite = True if self.method == "knn" else "allow-nan"
        validate_data(self, numeric, reset=False, ensure_all_finite=finite)
        selected = X.iloc[:, self.get_support()]
        if _get_output_config("transform", self)["dense"] in ("pandas", "polars"):
            return selected  # scikit-learn makes a polars frame of it, dtypes kept
        if exact_integer_columns(selected) and selected.dtypes.nunique() > 1:
            return selected.to_numpy(dtype=object)
        return selected.to_numpy()

    def _get_support_mask(self):
        check_is_fitted(self)
        mask = np.zeros(self.n_features_in_, dtype=bool)
        mask[self.ranking_[: self.n_features_to_select_]] = True
        return mask

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.input_tags.allow_nan = self.method != "knn"
        tags.input_tags.sparse = self.method != "knn"
        tags.input_tags.categorical = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
