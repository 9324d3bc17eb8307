"""Sphinx configuration for the skinfo documentation.

Build with ``python -m sphinx -W --keep-going -q -b html docs docs/_build/html``. The
build runs every example in ``examples/`` (sphinx-gallery), so it needs matplotlib
but no network access: no intersphinx, no remote assets.
"""

import os
import re
import warnings

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib

matplotlib.use("Agg")

import skinfo

project = "skinfo"
author = "The skinfo developers"
copyright = "The skinfo developers"
release = skinfo.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = []
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", "auto_examples/*.ipynb"]
root_doc = "index"
language = "en"

# -- autodoc / autosummary / numpydoc ------------------------------------------------
autosummary_generate = True
autodoc_default_options = {
    "members": True,
    "inherited-members": False,
    # scikit-learn attaches metadata-routing setters to estimators whose fit takes
    # sample_weight; their docstrings point into scikit-learn's own documentation.
    "exclude-members": ",".join(
        f"set_{method}_request"
        for method in ("fit", "transform", "inverse_transform", "predict", "score")
    ),
}
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
numpydoc_attributes_as_param_list = True
nitpicky = False

# -- sphinx-gallery ------------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": "/plot_",
    "ignore_pattern": r"__init__\.py",
    "image_scrapers": ("matplotlib",),
    "matplotlib_animations": False,
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    "abort_on_example_error": True,
    "plot_gallery": "True",
    "show_memory": False,
    "write_computation_times": False,
}

# Matplotlib warns when a non-GUI backend is asked to show a figure; harmless here.
warnings.filterwarnings(
    "ignore",
    category=UserWarning,
    message="(Matplotlib is currently using agg|FigureCanvasAgg is non-interactive)",
)

# -- HTML ----------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"skinfo {release}"
html_static_path = []
html_theme_options = {
    "navigation_with_keys": False,
    "show_prev_next": False,
}
html_show_sourcelink = False
# Without a default mode the theme's first-visit script reads an empty mode and logs
# "Got invalid theme mode" as a console error (docs/check_site.py catches it). Light
# by default: the gallery's figures are drawn for a white page; the switcher stays.
html_context = {"default_mode": "light"}
# Pages without sub-pages would show an empty "Section Navigation" column; give their
# width to the text (the tables of the practice page need it).
html_sidebars = {page: [] for page in ("index", "install", "user_guide", "practice")}


# -- Consistency check: api.rst lists every public name exactly once -----------------
def _check_api_listing(app):
    """Warn (an error under ``-W``) when api.rst misses or repeats a public name."""
    import importlib
    from pathlib import Path

    from sphinx.util import logging

    logger = logging.getLogger(__name__)
    text = (Path(app.srcdir) / "api.rst").read_text(encoding="utf-8")
    listed = {}
    module = "skinfo"
    in_autosummary = False
    for line in text.splitlines():
        stripped = line.strip()
        match = re.match(r"\.\. currentmodule:: (\S+)", stripped)
        if match:
            module = match.group(1)
        if stripped.startswith(".. "):
            in_autosummary = stripped == ".. autosummary::"
            continue
        if stripped and not line.startswith(" "):
            in_autosummary = False
        item = re.fullmatch(r" {3}~?([\w.]+)", line)
        if in_autosummary and item:
            key = f"{module}.{item.group(1)}"
            listed[key] = listed.get(key, 0) + 1
    expected = set()
    for name in ("skinfo", "skinfo.measures", "skinfo.estimate"):
        mod = importlib.import_module(name)
        expected |= {
            f"{name}.{obj}"
            for obj in getattr(mod, "__all__", [])
            if not obj.startswith("__")
        }
    for key in sorted(expected - set(listed)):
        logger.warning("api.rst does not list the public name %s", key)
    for key in sorted(set(listed) - expected):
        logger.warning("api.rst lists %s, which is not public", key)
    for key, count in sorted(listed.items()):
        if count > 1:
            logger.warning("api.rst lists %s %d times", key, count)


def setup(app):
    app.connect("builder-inited", _check_api_listing)
