"""``MIFeatureSelector`` end to end on a sparse bag of words, against ``chi2``.

The data: ``n`` documents of random (log-normal) length over a ``d``-word vocabulary
with Zipf word frequencies, about ``nnz`` stored counts (int64, as
``CountVectorizer`` gives them) and 4 classes; a tenth of each document's tokens
come from a class-specific ranking of the vocabulary, so some words are
informative. Timed, best of ``--repeat`` runs:

* scikit-learn's ``chi2`` (the yardstick);
* ``MIFeatureSelector(criterion="mim")`` ranking every column
  (``n_features_to_select=d``);
* ``MIFeatureSelector(criterion="jmi", n_features_to_select=--n-select)``;
* ``mutual_info_classif(discrete_features=True)`` on the first ``--mic-cols``
  columns, extrapolated to all of them.

Peak memory is traced by ``tracemalloc`` over each selector fit (separate runs) and
compared with the matrix's own bytes (data, indices, indptr). Arrays the compiled
kernels allocate internally are not traced. Goals of the issue "One input layer":
MIM within 3x ``chi2``, JMI-100 within 60x, peak memory below 3x the matrix.

Run: ``python benchmarks/bench_sparse_selector.py`` (full size: 1e5 x 5e4, 6.7e6
non-zeros, a few minutes); ``--n 20000 --d 10000 --nnz 1000000`` for a quick run.
"""

import argparse
import os
import sys
import time
import tracemalloc
import warnings

import numpy as np
import scipy.sparse as sp
from sklearn.feature_selection import chi2, mutual_info_classif

sys.path.insert(0, os.path.dirname(__file__))
from _common import best_time, print_table

from skinfo import MIFeatureSelector

N_CLASSES = 4


def documents(n, d, n_tokens, rng, y, class_rank):
    """Word counts of ``n`` documents holding about ``n_tokens`` tokens in all."""
    zipf = 1.0 / (np.arange(d) + 2.7)
    zipf /= zipf.sum()
    lengths = rng.lognormal(0.0, 0.6, size=n)
    lengths = np.maximum(1, np.round(lengths / lengths.sum() * n_tokens))
    doc = np.repeat(np.arange(n), lengths.astype(np.intp))
    word = rng.choice(d, size=doc.size, p=zipf)
    topical = rng.random(doc.size) < 0.1
    for c in range(N_CLASSES):
        pick = topical & (y[doc] == c)
        word[pick] = class_rank[c][word[pick]]
    X = sp.csr_array(
        (np.ones(doc.size, dtype=np.int64), (doc, word)), shape=(n, d)
    )  # duplicates are summed: counts
    X.sum_duplicates()
    return sp.csr_array(
        (X.data, X.indices.astype(np.int32), X.indptr.astype(np.int32)), shape=X.shape
    )


def bag_of_words(n, d, nnz, seed=0):
    """CSR int64 counts with about ``nnz`` stored entries, and 4 balanced classes."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, N_CLASSES, size=n)
    class_rank = [rng.permutation(d) for _ in range(N_CLASSES)]
    tokens = int(1.3 * nnz)
    X = documents(n, d, tokens, np.random.default_rng(seed + 1), y, class_rank)
    tokens = int(tokens * nnz / max(X.nnz, 1))  # one correction of the token count
    X = documents(n, d, tokens, np.random.default_rng(seed + 1), y, class_rank)
    return X, y


def matrix_bytes(X):
    return X.data.nbytes + X.indices.nbytes + X.indptr.nbytes


def fit(X, y, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # never-seen words: constant
        return MIFeatureSelector(**params).fit(X, y)


def peak_bytes(func):
    tracemalloc.start()
    try:
        func()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--d", type=int, default=50_000)
    parser.add_argument("--nnz", type=int, default=6_700_000)
    parser.add_argument("--n-select", type=int, default=100)
    parser.add_argument("--mic-cols", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--n-jobs", type=int, default=None)
    args = parser.parse_args()

    X, y = bag_of_words(args.n, args.d, args.nnz)
    size = matrix_bytes(X)
    print(
        f"X: {X.shape[0]} x {X.shape[1]}, {X.nnz} non-zeros, {X.dtype}, "
        f"{size / 1e6:.1f} MB; 4 classes"
    )
    mim = {"criterion": "mim", "n_features_to_select": X.shape[1]}
    jmi = {"criterion": "jmi", "n_features_to_select": args.n_select}
    for params in (mim, jmi):
        params["n_jobs"] = args.n_jobs

    fit(X[:1000], y[:1000], **mim)  # compile the kernels outside the timings
    t_chi2 = best_time(chi2, X, y, repeat=args.repeat)
    t_mim = best_time(fit, X, y, repeat=args.repeat, **mim)
    start = time.perf_counter()
    selector = fit(X, y, **jmi)
    t_jmi = time.perf_counter() - start
    cols = min(args.mic_cols, X.shape[1])
    start = time.perf_counter()
    mutual_info_classif(X[:, :cols], y, discrete_features=True, random_state=0)
    t_mic = (time.perf_counter() - start) * X.shape[1] / cols

    peak_mim = peak_bytes(lambda: fit(X, y, **mim))
    peak_jmi = peak_bytes(lambda: fit(X, y, **jmi))

    rows = [
        ["chi2", t_chi2, 1.0, "", ""],
        [
            f"MIM, all {X.shape[1]} features",
            t_mim,
            t_mim / t_chi2,
            peak_mim / 1e6,
            peak_mim / size,
        ],
        [
            f"JMI, {args.n_select} features",
            t_jmi,
            t_jmi / t_chi2,
            peak_jmi / 1e6,
            peak_jmi / size,
        ],
        [
            f"mutual_info_classif (from {cols} columns)",
            t_mic,
            t_mic / t_chi2,
            "",
            "",
        ],
    ]
    print_table(rows, ["", "seconds", "x chi2", "peak MB", "peak / X"])
    top = set(selector.ranking_[:10].tolist())
    print(f"JMI's first 10 words: {sorted(top)}")


if __name__ == "__main__":
    main()
