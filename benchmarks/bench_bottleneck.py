"""Speed of InformationBottleneckReducer.

Gaussian IB against scikit-learn's LinearDiscriminantAnalysis(solver="eigen") on the
same data (both: covariances plus one generalized eigenproblem; target ratio <= 1.5),
and the discrete IB / DIB with 32 clusters (target < 5 s).

    python benchmarks/bench_bottleneck.py                      # full size (1e5 x 100)
    python benchmarks/bench_bottleneck.py --n-samples 20000    # quicker
"""

import argparse
import time
import warnings

from sklearn.datasets import make_classification
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.exceptions import ConvergenceWarning

from skinfo._bottleneck import InformationBottleneckReducer


def best_times(makers, X, y, repeat):
    """Best wall time of ``make().fit(X, y)`` for each maker, over ``repeat`` rounds.

    Rounds interleave the makers, so a load spike on a shared machine hits all of
    them alike; one untimed fit on a slice warms up imports and thread pools.
    """
    for make in makers:
        make().fit(X[:2000], y[:2000])
    times = [[] for _ in makers]
    models = [None] * len(makers)
    for _ in range(repeat):
        for i, make in enumerate(makers):
            model = make()
            start = time.perf_counter()
            model.fit(X, y)
            times[i].append(time.perf_counter() - start)
            models[i] = model
    return [min(t) for t in times], models


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=100_000)
    parser.add_argument("--n-features", type=int, default=100)
    parser.add_argument("--n-classes", type=int, default=5)
    parser.add_argument("--n-components", type=int, default=4)
    parser.add_argument("--n-clusters", type=int, default=32)
    parser.add_argument(
        "--discrete-features",
        type=int,
        default=5,
        help="features binned for the discrete IB (5 bins each: up to 5**d symbols)",
    )
    parser.add_argument("--beta", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    X, y = make_classification(
        args.n_samples,
        args.n_features,
        n_informative=min(args.n_features, 20),
        n_redundant=0,
        n_classes=args.n_classes,
        random_state=args.seed,
    )
    n, d, k = X.shape[0], X.shape[1], args.n_classes

    (t_ib, t_lda), (ib, _) = best_times(
        [
            lambda: InformationBottleneckReducer(args.n_components, beta=100.0),
            lambda: LinearDiscriminantAnalysis(solver="eigen"),
        ],
        X,
        y,
        args.repeat,
    )
    print("Gaussian IB vs LDA(solver='eigen')  [target: ratio <= 1.5]")
    print(f"{'n':>8} {'d':>5} {'classes':>8} {'IB fit s':>9} {'LDA s':>8} {'ratio':>6}")
    print(f"{n:>8} {d:>5} {k:>8} {t_ib:>9.3f} {t_lda:>8.3f} {t_ib / t_lda:>6.2f}")
    print(f"  (IB: shrinkage {ib.shrinkage_:.2e}, {ib.n_active_} active components)")

    Xd = X[:, : args.discrete_features]
    print(
        f"\nDiscrete IB, {args.n_clusters} clusters, beta={args.beta:g}, "
        f"{Xd.shape[1]} features x 5 bins  [target: < 5 s]"
    )
    print(
        f"{'method':>7} {'n':>8} {'fit s':>7} {'clusters':>9} {'iters':>6} "
        f"{'I(T;Y)':>8} {'I(X;Y)':>8} {'conv':>5}"
    )
    for method in ("ib", "dib"):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            (t_fit,), (est,) = best_times(
                [
                    lambda m=method: InformationBottleneckReducer(
                        args.n_clusters,
                        method=m,
                        beta=args.beta,
                        random_state=args.seed,
                    )
                ],
                Xd,
                y,
                args.repeat,
            )
        converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
        print(
            f"{method:>7} {n:>8} {t_fit:>7.3f} {est.n_components_:>9} "
            f"{est.n_iter_:>6} {est.information_ty_:>8.4f} "
            f"{est.information_xy_:>8.4f} {converged!s:>5}"
        )


if __name__ == "__main__":
    main()
