"""What every skinfo estimator shares: the link from its HTML repr to its API page.

scikit-learn's HTML representation of an estimator (the diagram a notebook shows)
draws a "?" icon linking to the estimator's documentation, and links each parameter
name to its entry there. It builds the address from three class attributes read by
``sklearn.utils._repr_html.base._HTMLDocumentationLinkMixin._get_doc_link``:
``_doc_link_module`` (the estimator's top-level package must match it, else no link),
``_doc_link_template`` (a ``str.format`` template) and
``_doc_link_url_param_generator`` (``None``: the template gets ``estimator_module``,
the public module path up to the first private part, here ``skinfo``, and
``estimator_name``). :class:`DocLinkMixin` points them at skinfo's documentation,
whose API pages Sphinx autosummary names ``generated/skinfo.<Name>.html``.
"""

from __future__ import annotations

__all__ = ["DOCUMENTATION_URL", "DocLinkMixin"]

#: The documentation's address, with a trailing slash. pyproject.toml's
#: ``[project.urls] Documentation`` states the same address (a test checks it).
DOCUMENTATION_URL = "https://skinfo.readthedocs.io/en/latest/"


class DocLinkMixin:
    """Mixin that links an estimator's HTML repr to its page in skinfo's API docs.

    Put it left of ``BaseEstimator`` in the class line, like scikit-learn's own
    mixins.

    Examples
    --------
    >>> from skinfo import EntropyDiscretizer
    >>> EntropyDiscretizer()._get_doc_link()  # doctest: +ELLIPSIS
    'https://.../generated/skinfo.EntropyDiscretizer.html'
    """

    _doc_link_module = "skinfo"
    _doc_link_template = (
        DOCUMENTATION_URL + "generated/{estimator_module}.{estimator_name}.html"
    )
    _doc_link_url_param_generator = None
