"""The one module that imports private scikit-learn names.

Keeping them here means a scikit-learn upgrade that moves one of them breaks a single
import line, not every estimator.
"""

from sklearn.base import _fit_context
from sklearn.utils._param_validation import (
    Hidden,
    Interval,
    Options,
    RealNotInt,
    StrOptions,
    validate_params,
)

__all__ = [
    "Hidden",
    "Interval",
    "Options",
    "RealNotInt",
    "StrOptions",
    "_fit_context",
    "validate_params",
]
