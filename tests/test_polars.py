"""polars and pyarrow tables give what the same pandas DataFrame gives."""

import numpy as np
import pandas as pd
import pytest

from skinfo import (
    EntropyDiscretizer,
    InformationBottleneckReducer,
    MIFeatureSelector,
    estimate,
)

pl = pytest.importorskip("polars")
pa = pytest.importorskip("pyarrow")

BIG = 2**60


def _data(n=240, seed=0):
    rng = np.random.default_rng(seed)
    c = rng.choice(["red", "green", "blue"], n)
    k = rng.integers(0, 4, n)
    x = rng.normal(size=n)
    noise = rng.normal(size=n)
    y = ((x + (c == "red") + 0.5 * k + 0.3 * rng.normal(size=n)) > 1.2).astype(int)
    return {"x": x, "noise": noise, "k": k, "c": c}, y


def _tables(data, categories=None):
    """The same table in pandas (categories sorted unless given), polars, pyarrow."""
    cats = sorted(set(data["c"])) if categories is None else categories
    pandas = pd.DataFrame({**data, "c": pd.Categorical(data["c"], categories=cats)})
    polars = pl.DataFrame({**data, "c": pl.Series(data["c"], dtype=pl.Categorical)})
    arrow = pa.table({**data, "c": pa.array(data["c"]).dictionary_encode()})
    return pandas, polars, arrow


def _numeric(data):
    return {key: value for key, value in data.items() if key != "c"}


@pytest.mark.parametrize("library", ["polars", "pyarrow"])
@pytest.mark.parametrize("method", ["plugin", "knn"])
def test_selector_scores_equal_pandas(library, method):
    data, y = _data()
    if method == "knn":  # kNN: numbers only
        data = _numeric(data)
        pandas = pd.DataFrame(data)
        other = pl.DataFrame(data) if library == "polars" else pa.table(data)
    else:
        pandas, polars, arrow = _tables(data)
        other = polars if library == "polars" else arrow
    options = {"n_features_to_select": 2, "method": method, "random_state": 0}
    ref = MIFeatureSelector(**options).fit(pandas, y)
    sel = MIFeatureSelector(**options).fit(other, y)
    np.testing.assert_array_equal(sel.ranking_, ref.ranking_)
    np.testing.assert_array_equal(sel.relevance_, ref.relevance_)
    np.testing.assert_array_equal(sel.gains_, ref.gains_)
    np.testing.assert_array_equal(sel.pvalues_, ref.pvalues_)
    np.testing.assert_array_equal(sel.feature_names_in_, list(pandas.columns))
    np.testing.assert_array_equal(
        sel.get_feature_names_out(), ref.get_feature_names_out()
    )
    np.testing.assert_array_equal(sel.transform(other), ref.transform(pandas))


def test_category_order_does_not_change_the_selection():
    # polars declares no category order (the input layer sorts the values); pandas
    # with another order relabels the codes, which mutual information ignores
    data, y = _data()
    pandas, polars, _ = _tables(data, categories=["red", "blue", "green"])
    ref = MIFeatureSelector(n_features_to_select=3).fit(pandas, y)
    sel = MIFeatureSelector(n_features_to_select=3).fit(polars, y)
    np.testing.assert_array_equal(sel.ranking_, ref.ranking_)
    np.testing.assert_allclose(sel.relevance_, ref.relevance_, rtol=1e-12)
    np.testing.assert_allclose(sel.gains_, ref.gains_, rtol=1e-12)
    np.testing.assert_allclose(sel.pvalues_, ref.pvalues_, rtol=1e-12)


@pytest.mark.parametrize("library", ["polars", "pyarrow"])
@pytest.mark.parametrize("strategy", ["mdlp", "quantile"])
def test_discretizer_equals_pandas(library, strategy):
    data, y = _data()
    pandas, polars, arrow = _tables(data)
    other = polars if library == "polars" else arrow
    ref = EntropyDiscretizer(strategy=strategy).fit(pandas, y)
    disc = EntropyDiscretizer(strategy=strategy).fit(other, y)
    for mine, theirs in zip(disc.bin_edges_, ref.bin_edges_, strict=True):
        if theirs is None:
            assert mine is None
        else:
            np.testing.assert_array_equal(mine, theirs)
    for mine, theirs in zip(disc.categories_, ref.categories_, strict=True):
        if theirs is None:
            assert mine is None
        else:
            np.testing.assert_array_equal(mine, theirs)
    codes = disc.transform(other)
    np.testing.assert_array_equal(codes, ref.transform(pandas))
    np.testing.assert_array_equal(
        disc.inverse_transform(codes), ref.inverse_transform(codes)
    )
    np.testing.assert_array_equal(disc.fit_transform(other, y), codes)
    np.testing.assert_array_equal(disc.feature_names_in_, ["x", "noise", "k", "c"])


def test_polars_categories_are_coded_in_sorted_order():
    X = pl.DataFrame({"c": pl.Series(["b", "c", "a", "b"], dtype=pl.Categorical)})
    disc = EntropyDiscretizer().fit(X, [0, 1, 0, 1])
    # the codes of a passed-through categorical column are positions in the sorted
    # values, whatever order polars met them in
    np.testing.assert_array_equal(disc.transform(X).ravel(), [1, 2, 0, 1])
    # transform codes by value: a table holding only some categories agrees
    part = pl.DataFrame({"c": pl.Series(["c", "b"], dtype=pl.Categorical)})
    np.testing.assert_array_equal(disc.transform(part).ravel(), [2, 1])


def test_enum_keeps_its_declared_order():
    X = pl.DataFrame({"e": pl.Series(["lo", "hi", "lo"], dtype=pl.Enum(["lo", "hi"]))})
    disc = EntropyDiscretizer().fit(X, [0, 1, 0])
    np.testing.assert_array_equal(disc.transform(X).ravel(), [0, 1, 0])


@pytest.mark.parametrize("library", ["polars", "pyarrow"])
@pytest.mark.parametrize("method", ["ib", "gaussian"])
def test_bottleneck_equals_pandas(library, method):
    data, y = _data()
    data = _numeric(data)
    pandas = pd.DataFrame(data)
    other = pl.DataFrame(data) if library == "polars" else pa.table(data)
    options = {"method": method, "random_state": 0}
    ref = InformationBottleneckReducer(2, **options).fit(pandas, y)
    ib = InformationBottleneckReducer(2, **options).fit(other, y)
    np.testing.assert_array_equal(ib.transform(other), ref.transform(pandas))
    np.testing.assert_array_equal(ib.feature_names_in_, list(data))
    if method == "ib":
        np.testing.assert_array_equal(ib.predict(other), ref.predict(pandas))


@pytest.mark.parametrize(
    "make",
    [
        lambda: MIFeatureSelector(n_features_to_select=2),
        lambda: EntropyDiscretizer(),
        lambda: InformationBottleneckReducer(2, method="ib", random_state=0),
    ],
)
def test_set_output_polars(make):
    data, y = _data()
    data = _numeric(data)
    X = pl.DataFrame(data)
    est = make().set_output(transform="polars")
    out = est.fit(X, y).transform(X)
    assert isinstance(out, pl.DataFrame)
    assert out.columns == list(est.get_feature_names_out())
    plain = make().fit(pd.DataFrame(data), y).transform(pd.DataFrame(data))
    np.testing.assert_array_equal(out.to_numpy(), plain)
    out = make().set_output(transform="polars").fit_transform(X, y)
    assert isinstance(out, pl.DataFrame)


def test_nulls_are_missing_values_like_nan():
    x = [0.1, None, 0.3, 0.2, 0.9, 0.5, 0.6, None]
    k = [1, None, 3, 2, 1, None, 3, 2]
    y = [0, 1, 0, 1, 0, 1, 1, 0]
    polars = pl.DataFrame({"x": x, "k": k})
    pandas = pd.DataFrame(
        {"x": np.array(x, dtype=float), "k": pd.array(k, dtype="Int64")}
    )
    ref = MIFeatureSelector(n_features_to_select=1).fit(pandas, y)
    sel = MIFeatureSelector(n_features_to_select=1).fit(polars, y)
    np.testing.assert_array_equal(sel.relevance_, ref.relevance_)
    disc = EntropyDiscretizer(strategy="uniform", n_bins=2).fit(polars, y)
    np.testing.assert_array_equal(disc.has_missing_, [True, True])
    codes = disc.transform(polars)
    # a null gets the missing-value bin: the code after the feature's bins/values
    assert codes[1, 0] == disc.n_bins_[0] and codes[1, 1] == disc.n_bins_[1]
    with pytest.raises(ValueError, match="NaN"):
        InformationBottleneckReducer(1).fit(polars, y)


def test_big_integers_stay_distinct():
    values = [BIG, BIG + 1, BIG + 2, BIG + 1] * 3
    y = [0, 1, 0, 1] * 3
    X = pl.DataFrame({"n": values})
    disc = EntropyDiscretizer().fit(X, y)
    assert [int(v) for v in disc.categories_[0]] == [BIG, BIG + 1, BIG + 2]
    sel = MIFeatureSelector(n_features_to_select=1).fit(pa.table({"n": values}), y)
    # H(y) = log 2 is fully explained by three distinct values (a float cast
    # would merge them into one and give 0)
    assert sel.relevance_[0] == pytest.approx(np.log(2))


@pytest.mark.parametrize("library", ["polars", "pyarrow"])
@pytest.mark.parametrize(
    ("column", "match"),
    [
        ("text", "Column 'bad' of X holds text"),
        ("date", "Column 'bad' of X holds dates"),
    ],
)
def test_text_and_dates_get_the_pandas_error(library, column, match):
    bad = ["u", "v"] if column == "text" else pd.to_datetime(["2020", "2021"])
    if library == "polars":
        X = pl.DataFrame({"a": [1.0, 2.0], "bad": pl.Series(list(bad))})
    else:
        X = pa.table({"a": [1.0, 2.0], "bad": pa.array(list(bad))})
    pandas = pd.DataFrame({"a": [1.0, 2.0], "bad": list(bad)})
    for est in (
        MIFeatureSelector(),
        EntropyDiscretizer(),
        InformationBottleneckReducer(1),
    ):
        with pytest.raises(TypeError, match=match):
            est.fit(pandas, [0, 1])
        with pytest.raises(TypeError, match=match):
            est.fit(X, [0, 1])


@pytest.mark.parametrize("library", ["polars", "pyarrow"])
def test_estimate_accepts_tables(library):
    data, y = _data()
    table = {"k": data["k"], "c": data["c"]}
    pandas = pd.DataFrame(table)
    if library == "polars":
        other, target = pl.DataFrame(table), pl.Series("y", y)
    else:
        other, target = pa.table(table), pa.chunked_array([y])
    ref = estimate.mutual_info(pandas, y)
    assert estimate.mutual_info(other, target) == ref
    assert estimate.joint_entropy(other) == estimate.joint_entropy(pandas)
    x = pd.DataFrame({"x": data["x"]})
    other_x = pl.DataFrame(x) if library == "polars" else pa.table({"x": data["x"]})
    ref = estimate.mutual_info(x, data["noise"] + data["x"], random_state=0)
    got = estimate.mutual_info(other_x, data["noise"] + data["x"], random_state=0)
    assert got == ref


def test_transform_checks_the_names_of_fit():
    data, y = _data()
    data = _numeric(data)
    sel = MIFeatureSelector(n_features_to_select=1).fit(pl.DataFrame(data), y)
    swapped = pl.DataFrame(data).select(["noise", "x", "k"])
    with pytest.raises(ValueError, match="feature names"):
        sel.transform(swapped)


def test_selector_polars_output_keeps_categories_and_floats():
    data, y = _data()
    _, polars, _ = _tables(data)
    sel = MIFeatureSelector(n_features_to_select=4).set_output(transform="polars")
    out = sel.fit(polars, y).transform(polars)
    assert isinstance(out, pl.DataFrame)
    schema = dict(out.schema)
    assert schema["x"] == pl.Float64 and schema["noise"] == pl.Float64
    assert schema["k"] == pl.Int64 and schema["c"] == pl.Categorical
    assert out["c"].to_list() == list(data["c"])
    np.testing.assert_array_equal(out["x"].to_numpy(), data["x"])


def test_big_integers_with_nulls_stay_distinct():
    values = [BIG + 1, None, BIG, BIG + 1]
    disc = EntropyDiscretizer().fit(pl.DataFrame({"n": values}), [0, 1, 0, 0])
    assert disc.categories_[0].tolist() == [BIG, BIG + 1]
    codes = disc.transform(pa.table({"n": values}))
    np.testing.assert_array_equal(codes.ravel(), [1, 2, 0, 1])
