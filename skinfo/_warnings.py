"""One way to warn: attributed to the user's line, whatever path led to it."""

from __future__ import annotations

import os
import sys
import warnings

import joblib
import sklearn

__all__ = ["warn_user"]

#: Code that sits between the user and skinfo's warnings: skinfo itself, and
#: scikit-learn's and joblib's wrappers (``_fit_context``, ``set_output``,
#: pipelines, parameter validation, parallel helpers).
_INTERNAL_DIRS = tuple(
    os.path.dirname(os.path.abspath(module.__file__)) + os.sep
    for module in (sklearn, joblib, sys.modules[__name__.rpartition(".")[0]])
)


def warn_user(message: str, category: type[Warning] = UserWarning) -> None:
    """``warnings.warn`` pointing at the first caller outside skinfo and scikit-learn.

    The same warning can be raised through ``fit``, scikit-learn's fit wrapper, a
    pipeline, a private helper or :func:`skinfo.information_curve`, so a fixed
    ``stacklevel`` would point into library code on some of those paths.
    """
    level, frame = 2, sys._getframe(1)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(
        _INTERNAL_DIRS
    ):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)
