"""Test-suite settings shared by every module."""

import os
import warnings

import pytest
from hypothesis import settings

# On CI (CI=true) Hypothesis draws the same examples on every run, so a green build
# stays green and a red one is reproducible; locally it keeps exploring new ones
# (and remembers failures in .hypothesis/).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def dask_client():
    """A distributed client on a real two-worker ``LocalCluster`` (processes).

    Shared by the whole session: starting worker processes costs seconds. Tests
    that kill or restart a worker must leave two running workers behind.
    """
    pytest.importorskip("dask.array")
    distributed = pytest.importorskip("distributed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. "Port 8787 is already in use"
        cluster = distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            memory_limit="4GiB",
        )
    client = distributed.Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()
