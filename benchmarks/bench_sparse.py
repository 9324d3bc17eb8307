"""Mutual-information feature selection on a sparse bag of words, against ``chi2``.

The data: ``n`` documents of random length over a ``d``-word vocabulary with Zipf
word frequencies, ``nnz`` stored counts and 4 classes (a small share of each
document's words comes from a class-specific ranking, so some words are
informative). scikit-learn's ``chi2`` on it is the yardstick; the goals of the issue
"One input layer" are MIM over all columns within 3x ``chi2``, a JMI selection of 100
columns within 60x, and peak memory below 3x the matrix's own size, without ever
densifying ``X``.

MIM's cost is the sparse binned layer end to end: CSR to CSC, quantile bin edges,
codes of the stored entries, the relevance tables (one ``sparse_batch_counts``
against ``y``) and the plug-in MI of every column read from them. A JMI step counts
every column against the joint code of one selected column and ``y``, and scores the
tables; 100 columns take MIM plus 99 such steps. Each compiled kernel is timed
against its numpy twin (best of ``--repeat`` runs; twins once). Peak memory is traced
by ``tracemalloc`` (a separate run) over the MIM pipeline from CSR, then over one
JMI step with the codes kept and the CSC copy freed; arrays the compiled kernels
allocate internally (one column's values at a time) are not traced.
``mutual_info_classif(discrete_features=True)`` is timed on the first ``--mic-cols``
columns and extrapolated to all columns.

Run: ``python benchmarks/bench_sparse.py`` (``--n 20000 --d 10000 --nnz 1000000`` for
a quick run).
"""

import argparse
import os
import sys
import time
import tracemalloc

import numpy as np
import scipy.sparse as sp
from sklearn.feature_selection import chi2, mutual_info_classif

sys.path.insert(0, os.path.dirname(__file__))
from _common import best_time, print_table

from skinfo._binning import apply_bin_edges, fit_bin_edges
from skinfo._counting import kernel_threads
from skinfo._info import entropy_from_counts
from skinfo._sparse import code_sparse, sparse_batch_counts, sparse_bin_edges

N_CLASSES = 4


def bag_of_words(n, d, nnz, seed=0):
    """CSR counts (float64) of ``n`` documents, ``d`` words, about ``nnz`` stored."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, N_CLASSES, size=n)
    zipf = 1.0 / (np.arange(d) + 2.7)
    zipf /= zipf.sum()
    # each class draws 10% of its tokens from its own ranking of the vocabulary
    class_rank = [rng.permutation(d) for _ in range(N_CLASSES)]

    def draw(n_tokens):
        lengths = rng.lognormal(0.0, 0.6, size=n)
        lengths = np.maximum(1, np.round(lengths / lengths.sum() * n_tokens))
        docs = np.repeat(np.arange(n), lengths.astype(np.intp))
        words = rng.choice(d, size=docs.size, p=zipf)
        topical = rng.random(docs.size) < 0.1
        for c in range(N_CLASSES):
            pick = topical & (y[docs] == c)
            words[pick] = class_rank[c][words[pick]]
        X = sp.coo_array(
            (np.ones(docs.size), (docs, words)), shape=(n, d)
        ).tocsr()  # duplicates summed: word counts
        X.sum_duplicates()
        # 32-bit indices, as CountVectorizer gives them at this size
        return sp.csr_array(
            (X.data, X.indices.astype(np.int32), X.indptr.astype(np.int32)),
            shape=X.shape,
        )

    X = draw(int(1.3 * nnz))
    X = draw(int(1.3 * nnz * nnz / max(X.nnz, 1)))  # one correction of the token count
    return X, y


def matrix_bytes(X):
    return X.data.nbytes + X.indices.nbytes + X.indptr.nbytes


def plugin_mi(tables):
    """Plug-in I(column; context) in nats of every (n_levels, n_ctx) table."""
    h_col = entropy_from_counts(tables.sum(axis=2))
    h_ctx = entropy_from_counts(tables.sum(axis=1))
    h_joint = entropy_from_counts(tables.reshape(tables.shape[0], -1))
    return np.maximum(h_col + h_ctx - h_joint, 0.0)


def jmi_scores(tables, n_sel):
    """JMI term I(column, selected; y) of every column from its 3-way tables."""
    d, n_levels, _ = tables.shape
    joint = tables.reshape(d, n_levels * n_sel, N_CLASSES)
    return plugin_mi(joint)


def mim(X_csc, y, n_bins, backend, n_jobs):
    """Every step of MIM on a CSC matrix; returns the codes, tables and scores."""
    edges = sparse_bin_edges(X_csc, n_bins, "quantile", n_jobs=n_jobs, backend=backend)
    codes = code_sparse(X_csc, edges, n_jobs=n_jobs, backend=backend)
    width = int(codes.n_levels.max())
    tables = sparse_batch_counts(
        codes, y, width, N_CLASSES, n_jobs=n_jobs, backend=backend
    )
    return codes, tables, plugin_mi(tables)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--d", type=int, default=50_000)
    parser.add_argument("--nnz", type=int, default=6_700_000)
    parser.add_argument("--n-bins", type=int, default=5)
    parser.add_argument("--n-select", type=int, default=100)
    parser.add_argument("--mic-cols", type=int, default=200)
    parser.add_argument("--n-jobs", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-twins", action="store_true", help="skip numpy twins")
    args = parser.parse_args()
    rep, jobs = args.repeat, args.n_jobs

    start = time.perf_counter()
    X, y = bag_of_words(args.n, args.d, args.nnz)
    print(
        f"bag of words: {X.shape[0]} x {X.shape[1]}, nnz={X.nnz}, "
        f"{N_CLASSES} classes, {matrix_bytes(X) / 1e6:.1f} MB stored "
        f"(made in {time.perf_counter() - start:.1f} s); n_bins={args.n_bins}, "
        f"kernel threads={kernel_threads(jobs)}"
    )

    # compile (or load the cache) before timing
    small = X[:200, :50]
    mim(small.tocsc(), y[:200], args.n_bins, "numba", jobs)

    t_chi2 = best_time(chi2, X, y, repeat=rep)
    t_csc = best_time(X.tocsc, repeat=rep)
    Xc = X.tocsc()
    nb, st = {"n_jobs": jobs, "backend": "numba"}, {"backend": "numpy"}
    timed = {}

    def both(name, func, *a, **kw):
        timed[name] = [best_time(func, *a, repeat=rep, **kw, **nb)]
        if not args.no_twins:
            timed[name].append(best_time(func, *a, repeat=1, **kw, **st))
        return func(*a, **kw, **nb)

    edges = both("quantile edges", sparse_bin_edges, Xc, args.n_bins, "quantile")
    codes = both("codes", code_sparse, Xc, edges)
    width = int(codes.n_levels.max())
    tables = both("relevance tables", sparse_batch_counts, codes, y, width, N_CLASSES)
    timed["plug-in MI of all columns"] = [best_time(plugin_mi, tables, repeat=rep)]
    scores = plugin_mi(tables)

    best = int(np.argmax(scores))
    n_sel = int(codes.n_levels[best])
    ctx = codes.column(best).astype(np.intp) * N_CLASSES + y
    step = both(
        "JMI step tables", sparse_batch_counts, codes, ctx, width, n_sel * N_CLASSES
    )
    timed["JMI step scores"] = [best_time(jmi_scores, step, n_sel, repeat=rep)]

    # the dense binned layer gives the same edges and codes (first 20 columns)
    head = X[:, :20].toarray()
    dense_edges = fit_bin_edges(head, args.n_bins, "quantile")
    assert all(np.array_equal(a, b) for a, b in zip(dense_edges, edges, strict=False))
    dense_codes = apply_bin_edges(head, dense_edges)[0]
    assert np.array_equal(dense_codes, codes.select(np.arange(20)).toarray())
    del head, dense_codes

    if not args.no_twins:  # the twins give the same results
        twin = mim(Xc, y, args.n_bins, "numpy", None)
        assert np.array_equal(twin[1], tables)
        assert np.array_equal(twin[0].codes, codes.codes)

    t_mim = (
        t_csc
        + sum(timed[k][0] for k in ("quantile edges", "codes", "relevance tables"))
        + timed["plug-in MI of all columns"][0]
    )
    t_step = timed["JMI step tables"][0] + timed["JMI step scores"][0]
    t_jmi = t_mim + (args.n_select - 1) * t_step

    mic_cols = min(args.mic_cols, X.shape[1])
    sub = X[:, :mic_cols]
    t_mic = best_time(
        mutual_info_classif, sub, y, discrete_features=True, random_state=0, repeat=1
    )
    t_mic_all = t_mic * X.shape[1] / mic_cols

    del Xc, codes, tables, step
    tracemalloc.start()
    Xm = X.tocsc()
    codes, tables, scores = mim(Xm, y, args.n_bins, "numba", jobs)
    peak_mim = tracemalloc.get_traced_memory()[1]
    del Xm, tables  # a selector keeps the codes only
    tracemalloc.reset_peak()
    ctx = codes.column(int(np.argmax(scores))).astype(np.intp) * N_CLASSES + y
    step = sparse_batch_counts(codes, ctx, width, n_sel * N_CLASSES, **nb)
    jmi_scores(step, n_sel)
    peak_step = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    rows = [["chi2 (scikit-learn)", t_chi2, "", 1.0], ["CSR -> CSC", t_csc, "", ""]]
    for name, times in timed.items():
        twin = times[1] if len(times) > 1 else ""
        rows.append([name, times[0], twin, times[0] / t_chi2])
    rows += [
        ["MIM, all columns (sum)", t_mim, "", t_mim / t_chi2],
        [f"JMI, {args.n_select} columns (MIM + steps)", t_jmi, "", t_jmi / t_chi2],
        [
            f"mutual_info_classif x {X.shape[1] / mic_cols:g} (from {mic_cols} cols)",
            t_mic_all,
            "",
            t_mic_all / t_chi2,
        ],
    ]
    print(f"best of {rep}; numpy twins once")
    print_table(rows, ["step", "numba s", "numpy twin s", "/ chi2"])
    size = matrix_bytes(X)
    print(f"peak traced memory (tracemalloc), matrix = {size / 1e6:.1f} MB:")
    print_table(
        [
            ["MIM from CSR (CSC copy included)", peak_mim / 1e6, peak_mim / size],
            ["then one JMI step (codes kept)", peak_step / 1e6, peak_step / size],
        ],
        ["", "MB", "/ matrix"],
    )
    print("goals: MIM / chi2 <= 3, JMI / chi2 <= 60, peak memory < 3 x the matrix")


if __name__ == "__main__":
    main()
