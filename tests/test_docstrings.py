"""numpydoc validation of every public object and of the methods each class defines."""

import importlib
import inspect

import pytest
from numpydoc.validate import validate

IGNORED = {"GL01", "GL02", "RT02", "ES01", "SA01", "EX01"}
PUBLIC_MODULES = ["skinfo", "skinfo.measures", "skinfo.estimate"]


def _public_names():
    names = []
    for module_name in PUBLIC_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:  # a module not written yet has nothing to validate
            continue
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if name.startswith("__") or not callable(obj):
                continue
            qualname = f"{obj.__module__}.{obj.__qualname__}"
            names.append(qualname)
            if inspect.isclass(obj):
                for attr, member in vars(obj).items():
                    if callable(member) and not attr.startswith("_"):
                        names.append(f"{qualname}.{attr}")
    return sorted(set(names))


@pytest.mark.parametrize("name", _public_names())
def test_docstring(name):
    errors = [
        f"{code}: {message}"
        for code, message in validate(name)["errors"]
        if code not in IGNORED
    ]
    assert not errors, "\n".join(errors)
