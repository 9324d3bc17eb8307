"""The HTML repr of every estimator links to its page in skinfo's documentation."""

import re
import tomllib
from pathlib import Path

import pytest
from sklearn.pipeline import make_pipeline
from sklearn.utils import estimator_html_repr

from skinfo import EntropyDiscretizer, InformationBottleneckReducer, MIFeatureSelector
from skinfo._base import DOCUMENTATION_URL

ROOT = Path(__file__).resolve().parents[1]
ESTIMATORS = [MIFeatureSelector, EntropyDiscretizer, InformationBottleneckReducer]


def test_documentation_url_is_the_one_in_pyproject():
    urls = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]
    assert urls["Documentation"] == DOCUMENTATION_URL
    assert DOCUMENTATION_URL.startswith("https://")
    assert DOCUMENTATION_URL.endswith("/")


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_doc_link_is_the_api_page_sphinx_builds(Estimator):
    link = Estimator()._get_doc_link()
    name = Estimator.__name__
    # autosummary in docs/api.rst (":toctree: generated/" under currentmodule skinfo)
    # writes generated/skinfo.<Name>.html; that is the page the link must name.
    assert link == f"{DOCUMENTATION_URL}generated/skinfo.{name}.html"
    api = (ROOT / "docs" / "api.rst").read_text()
    assert re.search(r"\.\. currentmodule:: skinfo\n(.|\n)*?:toctree: generated/", api)
    assert re.search(rf"^   {name}$", api, re.MULTILINE)
    built = ROOT / "docs" / "_build" / "html" / "generated" / f"skinfo.{name}.html"
    if built.parent.is_dir():  # after a docs build, the page exists under that name
        assert built.is_file()


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_html_repr_contains_the_link_and_parameter_links(Estimator):
    estimator = Estimator()
    html = estimator._repr_html_()
    link = estimator._get_doc_link()
    assert f'href="{link}"' in html  # the "?" icon
    # parameter names link into the same page (a text fragment per parameter)
    assert f'href="{link}#:~:text=' in html
    # also inside a pipeline
    assert f'href="{link}"' in estimator_html_repr(make_pipeline(Estimator()))


def test_scikit_learn_estimators_keep_their_own_links():
    from sklearn.preprocessing import StandardScaler

    assert "scikit-learn.org" in StandardScaler()._get_doc_link()
