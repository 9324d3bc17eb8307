"""skinfo.estimate on Dask collections: the numbers of the same data in memory."""

import math

import numpy as np
import pandas as pd
import pytest

from skinfo import estimate

da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")

BIG = 2**53
DISCRETE_METHODS = ["plugin", "miller_madow", "grassberger", "shrinkage", "dirichlet"]


def chunked(values):
    """A Dask array of several row chunks, the last one shorter."""
    values = np.asarray(values)
    n = values.shape[0]
    chunks = (n // 3 + 1,) if values.ndim == 1 else (n // 3 + 1, -1)
    return da.from_array(values, chunks=chunks)


def labels(n=600, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 5, n)
    y = (x + rng.integers(0, 3, n)) % 4
    z = rng.choice(np.array(["a", "b", None], dtype=object), n)
    w = rng.random(n) < 0.3
    return x, y, z, w


def close(a, b):
    assert math.isfinite(a) and abs(a - b) <= 1e-12, (a, b)


@pytest.mark.parametrize("method", DISCRETE_METHODS)
def test_discrete_estimators_equal_the_in_memory_ones(dask_client, method):
    x, y, z, w = labels()
    dx, dy, dz, dw = (chunked(v) for v in (x, y, z, w))
    close(
        estimate.entropy(dx, method=method, base=2),
        estimate.entropy(x, method=method, base=2),
    )
    close(
        estimate.joint_entropy(dx, dz, dw, method=method),
        estimate.joint_entropy(x, z, w, method=method),
    )
    close(
        estimate.conditional_entropy(dx, dy, method=method),
        estimate.conditional_entropy(x, y, method=method),
    )
    close(
        estimate.mutual_info(dx, dz, method=method),
        estimate.mutual_info(x, z, method=method),
    )
    close(
        estimate.conditional_mutual_info(dx, dy, dz, method=method),
        estimate.conditional_mutual_info(x, y, z, method=method),
    )
    close(
        estimate.normalized_mutual_info(dx, dy, method=method),
        estimate.normalized_mutual_info(x, y, method=method),
    )
    close(
        estimate.variation_of_information(dx, dw, method=method, normalized=True),
        estimate.variation_of_information(x, w, method=method, normalized=True),
    )


def test_plugin_values_against_closed_forms(dask_client):
    # y = x XOR z with fair independent bits: I(X;Y) = 0, I(X;Y|Z) = log 2
    n = 400
    x = np.tile([0, 0, 1, 1], n // 4)
    z = np.tile([0, 1, 0, 1], n // 4)
    y = x ^ z
    assert estimate.mutual_info(chunked(x), chunked(y)) == 0.0
    cmi = estimate.conditional_mutual_info(chunked(x), chunked(y), chunked(z), base=2)
    assert cmi == pytest.approx(1.0, abs=1e-12)
    assert estimate.entropy(chunked(np.c_[x, z]), base=2) == pytest.approx(2.0)


def test_series_and_frames_equal_pandas(dask_client):
    x, y, z, w = labels(900, seed=1)
    frame = pd.DataFrame(
        {
            "color": pd.Categorical(z),
            "text": pd.Series(z, dtype=object),
            "level": x,
            "flag": w,
            "big": (BIG + x % 3).astype(np.int64),
            "gappy": pd.array(np.where(x == 0, None, y), dtype="Int64"),
            "y": y,
        }
    )
    ddf = dd.from_pandas(frame, npartitions=3)
    features = ["color", "level", "big"]
    close(estimate.entropy(ddf["color"]), estimate.entropy(frame["color"]))
    close(estimate.entropy(ddf["gappy"]), estimate.entropy(frame["gappy"]))
    close(
        estimate.mutual_info(ddf["text"], ddf["y"], method="miller_madow"),
        estimate.mutual_info(frame["text"], frame["y"], method="miller_madow"),
    )
    close(
        estimate.joint_entropy(ddf[features], method="shrinkage"),
        estimate.joint_entropy(frame[features], method="shrinkage"),
    )
    close(
        estimate.conditional_mutual_info(
            ddf["flag"], ddf["y"], ddf[["color", "big"]], method="grassberger"
        ),
        estimate.conditional_mutual_info(
            frame["flag"], frame["y"], frame[["color", "big"]], method="grassberger"
        ),
    )


def test_two_dimensional_array_is_one_joint_variable(dask_client):
    x, y, _, w = labels(500, seed=2)
    X = np.c_[x, w.astype(int), y]
    dX = chunked(X)
    close(estimate.entropy(dX), estimate.joint_entropy(x, w, y))
    close(
        estimate.mutual_info(dX[:, :2], chunked(y), method="dirichlet", alpha=1.0),
        estimate.mutual_info(X[:, :2], y, method="dirichlet", alpha=1.0),
    )
    # a Dask array chunked along columns too: the same
    close(estimate.entropy(dX.rechunk((100, 1))), estimate.entropy(X))


def test_integers_above_2_53_stay_distinct(dask_client):
    big = np.array([BIG, BIG + 1] * 50, dtype=np.int64)  # one float64 value
    assert estimate.entropy(chunked(big), base=2) == pytest.approx(1.0, abs=1e-15)
    labels_ = chunked(np.arange(100) % 2)
    assert estimate.mutual_info(chunked(big), labels_, base=2) == pytest.approx(1.0)


@pytest.mark.parametrize("strategy", ["quantile", "uniform"])
@pytest.mark.parametrize("n_bins", ["auto", 4])
def test_binned_equals_in_memory(dask_client, strategy, n_bins):
    rng = np.random.default_rng(3)
    n = 800
    u = rng.normal(size=n)
    v = u + rng.normal(size=n)
    u[::19] = np.nan  # its own bin
    X = np.c_[v, rng.exponential(size=n)]
    labels_ = (v > 0).astype(int) + rng.integers(0, 2, n)
    options = {"method": "binned", "n_bins": n_bins, "strategy": strategy}
    close(
        estimate.mutual_info(chunked(u), chunked(v), **options),
        estimate.mutual_info(u, v, **options),
    )
    close(
        estimate.conditional_mutual_info(
            chunked(u), chunked(labels_), chunked(X), **options
        ),
        estimate.conditional_mutual_info(u, labels_, X, **options),
    )
    close(estimate.entropy(chunked(X), **options), estimate.entropy(X, **options))
    close(
        estimate.normalized_mutual_info(chunked(v), chunked(labels_), **options),
        estimate.normalized_mutual_info(v, labels_, **options),
    )


def test_floats_counted_as_labels(dask_client):
    values = np.array([0.5, 1.5, np.nan, 0.5] * 30)
    labels_ = np.arange(120) % 3
    close(
        estimate.mutual_info(chunked(values), chunked(labels_), discrete=True),
        estimate.mutual_info(values, labels_, discrete=True),
    )


def test_dask_and_in_memory_inputs_mix(dask_client):
    x, y, z, _ = labels(300, seed=4)
    close(estimate.mutual_info(chunked(x), y), estimate.mutual_info(x, y))
    close(
        estimate.conditional_mutual_info(x, chunked(y), pd.Series(z)),
        estimate.conditional_mutual_info(x, y, z),
    )


def test_n_categories_given(dask_client):
    x, y, _, _ = labels(200, seed=5)
    for method in ("shrinkage", "dirichlet"):
        close(
            estimate.mutual_info(
                chunked(x), chunked(y), method=method, n_categories=(8, 6)
            ),
            estimate.mutual_info(x, y, method=method, n_categories=(8, 6)),
        )
    with pytest.raises(ValueError, match="smaller than the 5 distinct values"):
        estimate.entropy(chunked(x), method="shrinkage", n_categories=3)


def test_constant_variables(dask_client):
    one = chunked(np.zeros(90, dtype=int))
    other = chunked(np.arange(90) % 2)
    assert estimate.normalized_mutual_info(one, one) == 1.0
    assert estimate.normalized_mutual_info(one, other) == 0.0
    assert estimate.entropy(one) == 0.0


@pytest.mark.parametrize("method", ["auto", "knn"])
def test_knn_refuses_dask_and_names_the_alternatives(dask_client, method):
    u = np.random.default_rng(6).normal(size=90)
    with pytest.raises(TypeError, match=r"method='knn'.*Dask") as info:
        estimate.mutual_info(chunked(u), chunked(u), method=method)
    message = str(info.value)
    assert ".compute()" in message and "method='binned'" in message
    with pytest.raises(TypeError, match="subsample"):
        estimate.entropy(chunked(u), method=method)
    with pytest.raises(TypeError, match="method='binned'"):
        estimate.conditional_mutual_info(
            chunked(u), np.arange(90) % 2, chunked(u), method=method
        )


def test_bad_dask_input_messages(dask_client):
    values = np.array([1.0, np.inf, 2.0, 3.0] * 10)
    with pytest.raises(ValueError, match=r"^x contains infinite values"):
        estimate.entropy(chunked(values), method="binned")
    with pytest.raises(ValueError, match="x contains infinite values"):
        estimate.entropy(chunked(values), discrete=True)
    with pytest.raises(ValueError, match="Inconsistent numbers of samples"):
        estimate.mutual_info(chunked(np.arange(10)), chunked(np.arange(11)))
    with pytest.raises(ValueError, match="x is empty"):
        estimate.entropy(chunked(np.array([], dtype=int)))
    with pytest.raises(ValueError, match=r"1-D .* or 2-D"):
        estimate.entropy(da.zeros((4, 2, 2), chunks=2))
    with pytest.raises(ValueError, match="needs discrete data"):
        estimate.entropy(chunked(np.arange(10.0)), method="plugin")
    strings = chunked(np.array(["a", "b"] * 5, dtype=object))
    with pytest.raises(TypeError, match="holds non-numeric values"):
        estimate.entropy(strings, discrete=False, method="binned")


def test_samples_are_never_gathered(dask_client, monkeypatch):
    # only reduced tables come back: computing or converting an array is an error
    def refuse(*args, **kwargs):
        raise AssertionError("a Dask array was gathered on the client")

    x, y, z, _ = labels(600, seed=7)
    dx, dy, dz = chunked(x), chunked(y), chunked(z)
    expected = estimate.conditional_mutual_info(x, y, z, method="miller_madow")
    monkeypatch.setattr(da.Array, "compute", refuse)
    monkeypatch.setattr(da.Array, "__array__", refuse)
    got = estimate.conditional_mutual_info(dx, dy, dz, method="miller_madow")
    close(got, expected)
    u = np.random.default_rng(7).normal(size=600)
    close(
        estimate.mutual_info(chunked(u), dy, method="binned", strategy="uniform"),
        estimate.mutual_info(u, y, method="binned", strategy="uniform"),
    )


def test_quantile_bins_of_long_columns_come_from_a_worker_sample(
    dask_client, monkeypatch
):
    # past the subsample size the cuts are placed on rows drawn on the workers:
    # the plug-in estimate of the data binned at the cuts of that sample
    from skinfo import _dask
    from skinfo._binning import apply_bin_edges, auto_n_bins, fit_bin_edges

    monkeypatch.setattr(estimate, "_QUANTILE_SUBSAMPLE", 60)
    rng = np.random.default_rng(8)
    n = 500
    u = rng.normal(size=n)
    labels_ = (u + rng.normal(size=n) > 0).astype(int)
    du = chunked(u)
    got = estimate.mutual_info(du, chunked(labels_), method="binned", random_state=3)
    (sample,) = _dask.sample_rows([du], 60, random_state=3)
    assert sample.shape == (60,)
    cuts = fit_bin_edges(sample[:, None], auto_n_bins(n), "quantile")
    codes = apply_bin_edges(u[:, None], cuts)[0][:, 0]
    close(got, estimate.mutual_info(codes, labels_))
    again = estimate.mutual_info(du, chunked(labels_), method="binned", random_state=3)
    assert again == got


def test_empty_partitions_count_nothing(dask_client):
    rng = np.random.default_rng(9)
    n = 300
    frame = pd.DataFrame(
        {
            "a": rng.integers(0, 3, n),
            "s": rng.choice(["u", "v"], n),
            "f": np.where(np.arange(n) < 150, np.nan, rng.normal(size=n)),
        }
    )
    kept = frame[frame.index >= 100]
    ddf = dd.from_pandas(frame, npartitions=4)
    ddf = ddf.map_partitions(lambda part: part[part.index >= 100])
    assert 0 in ddf.map_partitions(len).compute().tolist()
    close(
        estimate.mutual_info(ddf["a"], ddf["s"]),
        estimate.mutual_info(kept["a"], kept["s"]),
    )
    close(
        estimate.conditional_mutual_info(
            ddf["f"], ddf["s"], ddf[["a", "s"]], method="binned", strategy="uniform"
        ),
        estimate.conditional_mutual_info(
            kept["f"], kept["s"], kept[["a", "s"]], method="binned", strategy="uniform"
        ),
    )
