"""scikit-learn's API checks for every skinfo estimator, with no expected failures."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.utils.estimator_checks import (
    check_dataframe_column_names_consistency,
    check_param_validation,
    check_set_output_transform_pandas,
    check_transformer_get_feature_names_out,
    parametrize_with_checks,
)

import skinfo
from skinfo import (
    EntropyDiscretizer,
    InformationBottleneckReducer,
    MIFeatureSelector,
)

ESTIMATORS = [
    MIFeatureSelector(n_features_to_select=2),
    EntropyDiscretizer(),
    EntropyDiscretizer(strategy="quantile", encode="onehot-dense"),
    InformationBottleneckReducer(n_components=2, random_state=0),
    InformationBottleneckReducer(n_components=2, method="ib", random_state=0),
    InformationBottleneckReducer(n_components=2, method="dib", random_state=0),
]
EXPECTED_FAILED = {}  # {"ClassName": {"check_name": "reason + issue"}}; keep it empty

EXTRA_CHECKS = [
    check_param_validation,
    check_set_output_transform_pandas,
    check_transformer_get_feature_names_out,
    check_dataframe_column_names_consistency,
]


def _name(estimator):
    params = estimator.get_params()
    extra = params.get("method") if "method" in params else params.get("strategy")
    return f"{type(estimator).__name__}({extra})" if extra else type(estimator).__name__


@parametrize_with_checks(
    ESTIMATORS,
    expected_failed_checks=lambda e: EXPECTED_FAILED.get(type(e).__name__, {}),
)
def test_sklearn_api(estimator, check):
    check(estimator)


# check_set_output_transform_pandas itself mixes fits on arrays with transforms of
# DataFrames (and back); the feature-name warnings that provokes are the point
@pytest.mark.filterwarnings("ignore:X (has|does not have valid) feature names")
@pytest.mark.parametrize("check", EXTRA_CHECKS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("estimator", ESTIMATORS, ids=_name)
def test_extra_api(estimator, check):
    check(type(estimator).__name__, estimator)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=_name)
def test_text_features_get_a_type_error_naming_the_column(estimator):
    X = pd.DataFrame({"x": np.arange(20.0), "city": ["a", "b"] * 10})
    y = np.arange(20) % 2
    with pytest.raises(TypeError, match="Column 'city' of X holds text"):
        clone(estimator).fit(X, y)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=_name)
def test_text_categorical_features_work_or_get_a_type_error(estimator):
    # a bool column makes pandas' own cast to float fail on the text categories
    X = pd.DataFrame(
        {
            "x": np.linspace(0.0, 1.0, 40),
            "city": pd.Categorical(["paris", "rome"] * 20),
            "flag": [True, False, False, True] * 10,
        }
    )
    y = np.arange(40) % 2
    estimator = clone(estimator)
    if isinstance(estimator, MIFeatureSelector):
        # the selector takes categoricals as discrete features; "city" is y itself
        Xt = estimator.fit(X, y).transform(X)
        assert estimator.ranking_[0] == 1
        assert list(estimator.get_feature_names_out()) == ["x", "city"]
        assert Xt.dtype == object and set(Xt[:, 1]) == {"paris", "rome"}
        framed = estimator.set_output(transform="pandas").transform(X)
        assert isinstance(framed["city"].dtype, pd.CategoricalDtype)
        return
    if isinstance(estimator, EntropyDiscretizer):
        # discrete_features="auto" (the default) passes the categorical through
        Xt = estimator.fit_transform(X, y)
        assert Xt.shape[0] == 40
        assert estimator.discrete_features_.tolist() == [False, True, True]
        estimator.set_params(discrete_features=None)  # now it has to be binned
    with pytest.raises(TypeError, match="Column 'city' of X is categorical with text"):
        estimator.fit(X, y)


def test_every_public_estimator_is_checked():
    public = {
        name
        for name in skinfo.__all__
        if isinstance(getattr(skinfo, name), type)
        and hasattr(getattr(skinfo, name), "fit")
    }
    assert public == {type(e).__name__ for e in ESTIMATORS}
