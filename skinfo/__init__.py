"""skinfo: information theory for scikit-learn.

Mutual-information feature selection, entropy (MDLP) discretization and the
information bottleneck as scikit-learn estimators, on top of exact measures
(:mod:`skinfo.measures`) and sample estimators (:mod:`skinfo.estimate`) that share one
binned layer with a compiled counting kernel.
"""

from skinfo._bottleneck import (
    InformationBottleneckReducer,
    information_curve,
    plot_information_plane,
)
from skinfo._discretization import EntropyDiscretizer
from skinfo._selection import MIFeatureSelector

__version__ = "0.1.0"

__all__ = [
    "EntropyDiscretizer",
    "InformationBottleneckReducer",
    "MIFeatureSelector",
    "__version__",
    "information_curve",
    "plot_information_plane",
]
