"""Speed of MIFeatureSelector against scikit-learn and ITMO_FS, in one run.

Prints one table with the measured times and their ratios:

1. MIM on n x d continuous data against ``SelectKBest(mutual_info_classif)`` with its
   defaults (k=10). mutual_info_classif costs minutes at full size, so it is timed on
   ``--mi-columns`` columns and extrapolated linearly per column (said in the table);
   at ``--mim-n`` x ``--mim-d`` (2e4 x 100) both are timed in full.
2. JMI and mRMR selecting ``--k`` of ``d`` features: the whole ``fit`` (validation,
   binning, path), the greedy path alone, and one greedy step against one pass over
   the coded data (``codes.sum(axis=0)``). The JMI fit is also compared with one
   ``mutual_info_classif(discrete_features=True)`` pass over the pre-binned data
   (the selector's own codes): the MI of every column with y, nothing more.
3. Discrete columns with many levels (``--disc-d`` TF-IDF-like float columns of 100
   to 1,100 distinct values each, ``discrete_features=True``) against binned columns
   of the same shape: one JMI greedy step per column, and the whole fit.
4. ITMO_FS's multivariate filters (pure Python) on the same pre-binned integer data,
   at a smaller size, with the selection orders compared.

``--before`` adds rows measured in the same process with the previous counting
kernels (one column per increment, ``np.unique`` per many-level column), switched
in by replacing ``skinfo._autostop.pairs_fit`` and ``_compiled_cells``: the tables
and entropies are the same, only their cost differs. The repeats of the old and
the new kernels take turns, so a busy machine slows both alike.

Usage::

    python benchmarks/bench_selector.py            # n=100000, d=500, k=50
    python benchmarks/bench_selector.py --quick    # a small run that checks the script
    python benchmarks/bench_selector.py --before   # also the previous kernels
    python benchmarks/bench_selector.py --n-jobs 1 --cpu  # CPU times, one thread
"""

import argparse
import contextlib
import time
import warnings

import numpy as np
from sklearn.datasets import make_classification
from sklearn.feature_selection import SelectKBest, mutual_info_classif

import skinfo._autostop as autostop
from skinfo import MIFeatureSelector
from skinfo._binned_greedy import _binned_path
from skinfo._selection_encoding import _feature_codes


@contextlib.contextmanager
def _kernels(before):
    """The previous counting kernels while ``before`` is true (same results)."""
    saved = autostop.pairs_fit, autostop._compiled_cells
    if before:
        autostop.pairs_fit = lambda *args: False
        autostop._compiled_cells = lambda *args: False
    try:
        yield
    finally:
        autostop.pairs_fit, autostop._compiled_cells = saved


#: The clock of every timing: wall time, or this process's CPU time (``--cpu``).
_CLOCK = {"clock": time.perf_counter}


def _now():
    return _CLOCK["clock"]()


def _time(func, repeat=1):
    """Best time of ``repeat`` calls, and the last result."""
    best, out = np.inf, None
    for _ in range(repeat):
        start = _now()
        out = func()
        best = min(best, _now() - start)
    return best, out


def _data(n, d, seed=0):
    n_inf = min(10, max(2, d // 10))
    return make_classification(
        n_samples=n,
        n_features=d,
        n_informative=n_inf,
        n_redundant=min(10, d // 10),
        n_repeated=min(5, d // 20),
        n_classes=2,
        shuffle=True,
        random_state=seed,
    )


def bench_mim_full(n, d, n_jobs, rows):
    """MIM against SelectKBest(mutual_info_classif), both timed in full."""
    X, y = _data(n, d)
    selector = MIFeatureSelector(10, criterion="mim", n_jobs=n_jobs)
    t_ours, _ = _time(lambda: selector.fit(X, y), repeat=5)
    t_sk, _ = _time(lambda: SelectKBest(mutual_info_classif, k=10).fit(X, y))
    rows.append(
        (
            f"MIM 10 of {d}, n={n}",
            t_ours,
            f"SelectKBest(mutual_info_classif) {t_sk:.2f} s",
            t_sk / t_ours,
            ">= 150x",
            "both measured",
        )
    )


def bench_mim(X, y, mi_columns, n_jobs, rows):
    d = X.shape[1]
    selector = MIFeatureSelector(10, criterion="mim", n_jobs=n_jobs)
    t_ours, _ = _time(lambda: selector.fit(X, y), repeat=3)
    m = min(mi_columns, d)
    t_sub, _ = _time(
        lambda: SelectKBest(mutual_info_classif, k=min(10, m)).fit(X[:, :m], y)
    )
    t_sk = t_sub * d / m
    note = "sklearn extrapolated" if m < d else "sklearn measured"
    rows.append(
        (
            f"MIM 10 of {d}, n={X.shape[0]}",
            t_ours,
            f"SelectKBest(mutual_info_classif) {t_sk:.1f} s",
            t_sk / t_ours,
            ">= 100x",
            f"{note} from {m} columns ({t_sub:.2f} s)",
        )
    )


def _interleaved(calls, modes, repeat):
    """Best wall time of ``calls[mode]()`` per mode, the modes taking turns.

    A mode is ``before`` (True: the previous kernels); interleaving the repeats
    spreads the load of a shared machine over every mode alike.
    """
    best = dict.fromkeys(modes, np.inf)
    for _ in range(repeat):
        for before in modes:
            with _kernels(before):
                start = _now()
                calls()
                best[before] = min(best[before], _now() - start)
    return best


def _tag(before):
    return " (before)" if before else ""


def bench_greedy(X, y, k, n_jobs, rows, modes=(False,)):
    n, d = X.shape
    t_fit = {}
    for criterion in ("jmi", "mrmr"):
        selector = MIFeatureSelector(k, criterion=criterion, n_jobs=n_jobs)
        t_fit[criterion] = _interleaved(lambda s=selector: s.fit(X, y), modes, 3)
        for before in modes:
            t = t_fit[criterion][before]
            rows.append(
                (
                    f"{criterion.upper()} {k} of {d}, n={n}: fit{_tag(before)}",
                    t,
                    "target 3 s",
                    3.0 / t,
                    "< 3 s",
                    "validation + binning + path",
                )
            )
    # The greedy path on already coded data, and one pass over the same codes.
    codes, n_levels = _coded(X, y, n_jobs)
    t_mi, _ = _time(
        lambda: mutual_info_classif(codes, y, discrete_features=True, random_state=0)
    )
    for before in modes:
        t = t_fit["jmi"][before]
        rows.append(
            (
                f"JMI {k} of {d}, n={n}: fit{_tag(before)}",
                t,
                f"mutual_info_classif(discrete) on codes {t_mi:.2f} s",
                t / t_mi,
                "<= 0.35x",
                "ratio: fit / one sklearn MI pass on pre-binned data",
            )
        )
    t_pass, _ = _time(lambda: codes.sum(axis=0), repeat=5)
    for criterion in ("jmi", "mrmr"):
        steps = _step_times(codes, n_levels, y, criterion, k, n_jobs, modes)
        for before in modes:
            step, t_path, t_rel = steps[before]
            rows.append(
                (
                    f"{criterion.upper()} one greedy step{_tag(before)}",
                    step,
                    f"one pass codes.sum(0) {t_pass * 1e3:.1f} ms",
                    step / t_pass,
                    "<= 3x pass",
                    f"path {t_path:.2f} s for {k} steps, relevance {t_rel:.3f} s",
                )
            )


def _step_times(codes, n_levels, y, criterion, k, n_jobs, modes):
    """Mean time of one greedy step per mode: (path of k - path of 1) / (k - 1).

    Returns ``{mode: (step, path, relevance)}``.
    """
    args = (codes, n_levels, y.astype(np.intp), int(y.max()) + 1, None)

    def path(length):
        return _binned_path(
            *args, criterion, 1.0, "plugin", max_k=length, n_jobs=n_jobs
        )

    t_rel = _interleaved(lambda: path(1), modes, 2)
    t_path = _interleaved(lambda: path(k), modes, 2)
    return {
        m: ((t_path[m] - t_rel[m]) / max(k - 1, 1), t_path[m], t_rel[m]) for m in modes
    }


def _tfidf_like(n, d, seed=0):
    """Float columns of 100 to 1,100 distinct values, skewed like TF-IDF weights."""
    rng = np.random.default_rng(seed)
    levels = rng.integers(100, 1101, d)
    X = np.empty((n, d))
    for j in range(d):
        k = np.floor(rng.pareto(2.0, n) * levels[j] / 4) % levels[j]
        X[:, j] = np.round(k / levels[j] * np.log1p(j + 1), 9)
    signal = X[:, 0] + X[:, 1] + 0.3 * rng.random(n)
    y = (signal > np.median(signal)).astype(np.intp)
    return X, y


def bench_discrete(n, d, k, n_jobs, rows, modes=(False,)):
    """JMI on many-level discrete columns against binned columns of the same shape."""
    X, y = _tfidf_like(n, d)
    Xc, yc = _data(n, d)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # few samples per level: intended here
        sel = MIFeatureSelector(k, criterion="jmi", discrete_features=True)
        sel.set_params(n_jobs=n_jobs)
        t_fit = _interleaved(lambda: sel.fit(X, y), modes, 2)
        binned = MIFeatureSelector(k, criterion="jmi", n_jobs=n_jobs)
        t_bin = _interleaved(lambda: binned.fit(Xc, yc), modes, 2)
        codes, n_levels, _ = _feature_codes(
            X, np.ones(d, dtype=bool), y, 2, None, "auto", "quantile", None, n_jobs
        )
        steps = _step_times(codes, n_levels, y, "jmi", k, n_jobs, modes)
        codes_c, n_levels_c = _coded(Xc, yc, n_jobs)
        steps_c = _step_times(codes_c, n_levels_c, yc, "jmi", k, n_jobs, modes)
    lo, hi = int(n_levels.min()), int(n_levels.max())
    for before in modes:
        step, step_c = steps[before][0], steps_c[before][0]
        rows.append(
            (
                f"JMI step, {d} discrete columns ({lo}-{hi} levels), n={n}"
                + _tag(before),
                step,
                f"same step on {d} binned columns {step_c * 1e3:.1f} ms",
                step / step_c,
                "<= ~2x",
                "ratio: discrete step / binned step (lower is better)",
            )
        )
    for before in modes:
        rows.append(
            (
                f"JMI {k} of {d} discrete columns, n={n}: fit{_tag(before)}",
                t_fit[before],
                f"fit on {d} binned columns {t_bin[before] * 1e3:.0f} ms",
                t_fit[before] / t_bin[before],
                "",
                "ratio: discrete fit / binned fit (lower is better)",
            )
        )


def _coded(X, y, n_jobs):
    """The selector's own coded matrix of X (quantile bins, n_bins="auto")."""
    codes, n_levels, _ = _feature_codes(
        X,
        np.zeros(X.shape[1], dtype=bool),
        y,
        2,
        None,
        "auto",
        "quantile",
        None,
        n_jobs,
    )
    return codes, n_levels


def bench_itmo(n, d, k, rows, seed=0):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from ITMO_FS.filters.multivariate import MultivariateFilter
    except ImportError as exc:
        rows.append((f"ITMO_FS ({exc})", np.nan, "not installed", np.nan, "", ""))
        return []
    X, y = _data(n, d, seed=seed)
    codes, _ = _coded(X, y, None)
    codes = np.asarray(codes, dtype=np.int64)
    diffs = []
    for criterion, name in (("jmi", "JMI"), ("mrmr", "MRMR"), ("cmim", "CMIM")):
        ours = MIFeatureSelector(k, criterion=criterion, discrete_features=True)
        t_ours, _ = _time(lambda sel=ours: sel.fit(codes, y), repeat=3)
        theirs = MultivariateFilter(name, k)
        t_theirs, _ = _time(lambda f=theirs: f.fit(codes, y))
        order_ours = [int(j) for j in ours.ranking_[:k]]
        order_theirs = [int(j) for j in theirs.selected_features]
        same = order_ours == order_theirs
        if not same:
            diffs.append((name, order_ours, order_theirs))
        rows.append(
            (
                f"{name} {k} of {d}, n={n} (pre-binned)",
                t_ours,
                f"ITMO_FS MultivariateFilter {t_theirs:.1f} s",
                t_theirs / t_ours,
                ">= 50x",
                "same order" if same else "ORDER DIFFERS (see below)",
            )
        )
    return diffs


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="samples")
    parser.add_argument("--d", type=int, default=500, help="features")
    parser.add_argument("--k", type=int, default=50, help="features JMI/mRMR select")
    parser.add_argument("--mi-columns", type=int, default=10)
    parser.add_argument("--mim-n", type=int, default=20_000)
    parser.add_argument("--mim-d", type=int, default=100)
    parser.add_argument("--disc-n", type=int, default=100_000)
    parser.add_argument("--disc-d", type=int, default=100)
    parser.add_argument("--disc-k", type=int, default=10)
    parser.add_argument("--itmo-n", type=int, default=2000)
    parser.add_argument("--itmo-d", type=int, default=30)
    parser.add_argument("--itmo-k", type=int, default=8)
    parser.add_argument(
        "--n-jobs", type=int, default=2, help="threads of the skinfo kernels"
    )
    parser.add_argument("--quick", action="store_true", help="small sizes")
    parser.add_argument(
        "--before", action="store_true", help="also time the previous kernels"
    )
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="CPU time of this process instead of wall time (with --n-jobs 1: "
        "timings a busy machine disturbs less)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.n, args.d, args.k, args.mi_columns = 20_000, 100, 10, 3
        args.mim_n, args.mim_d = 5000, 20
        args.itmo_n, args.itmo_d, args.itmo_k = 500, 12, 4
        args.disc_n, args.disc_d, args.disc_k = 5000, 20, 4

    X, y = _data(args.n, args.d)
    MIFeatureSelector(2, n_jobs=args.n_jobs).fit(X[:500], y[:500])  # JIT warm-up
    rows = []
    bench_mim_full(args.mim_n, args.mim_d, args.n_jobs, rows)
    bench_mim(X, y, args.mi_columns, args.n_jobs, rows)
    if args.cpu:
        _CLOCK["clock"] = time.process_time
    modes = (True, False) if args.before else (False,)
    bench_greedy(X, y, args.k, args.n_jobs, rows, modes)
    bench_discrete(args.disc_n, args.disc_d, args.disc_k, args.n_jobs, rows, modes)
    diffs = bench_itmo(args.itmo_n, args.itmo_d, args.itmo_k, rows)

    header = ("task", "skinfo", "baseline", "ratio", "goal", "note")
    table = [
        (
            task,
            "n/a"
            if np.isnan(t)
            else (f"{t * 1e3:.1f} ms" if t < 0.1 else f"{t:.2f} s"),
            base,
            "n/a" if np.isnan(r) else f"{r:.1f}x",
            goal,
            note,
        )
        for task, t, base, r, goal, note in rows
    ]
    widths = [max(len(str(row[i])) for row in [header, *table]) for i in range(6)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print(line.format(*header))
    print(line.format(*("-" * w for w in widths)))
    for row in table:
        print(line.format(*row))
    clock = "CPU time of this process" if args.cpu else "wall time"
    print(f"\ntimes: best {clock}, kernel threads: n_jobs={args.n_jobs}")
    print(
        "ratio: baseline time / skinfo time; for the fit rows, 3 s / fit time "
        "(> 1 means under 3 s), except the JMI row against mutual_info_classif "
        "(fit / sklearn); for the step rows, step time / one pass."
    )
    for name, ours, theirs in diffs:
        print(f"\n{name}: skinfo {ours}\n{' ' * len(name)}  ITMO_FS {theirs}")


if __name__ == "__main__":
    main()
