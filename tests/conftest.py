"""Test-suite settings shared by every module."""

import os

from hypothesis import settings

# On CI (CI=true) Hypothesis draws the same examples on every run, so a green build
# stays green and a red one is reproducible; locally it keeps exploring new ones
# (and remembers failures in .hypothesis/).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
