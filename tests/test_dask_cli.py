"""``skinfo rank --dask [--scheduler ADDRESS]``: the same table, computed on Dask."""

import importlib.util
import io
import sys

import numpy as np
import pandas as pd
import pytest

from skinfo import MIFeatureSelector
from skinfo._cli import main

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")


def run(capsys, *argv):
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """A CSV and a Parquet file: a text column deciding the class, numbers, noise."""
    rng = np.random.default_rng(0)
    n = 400
    color = rng.choice(["red", "green", "blue"], n)
    x = rng.normal(size=n) + (color == "red")
    gappy = rng.integers(0, 3, n).astype(float)
    gappy[::9] = np.nan
    frame = pd.DataFrame(
        {
            "x": x,
            "color": color,
            "level": rng.integers(0, 4, n),
            "gappy": gappy,
            "flag": rng.random(n) < 0.5,
            "noise": rng.normal(size=n),
            "label": np.where((color == "blue") | (x > 1.5), "yes", "no"),
        }
    )
    folder = tmp_path_factory.mktemp("dask_cli")
    frame.to_csv(folder / "mixed.csv", index=False)
    frame.to_parquet(folder / "mixed.parquet")
    return folder, frame


#: Whether the selector fits Dask input itself (skinfo._dask_selection, which lands
#: separately from the command line).
SELECTOR_ON_DASK = importlib.util.find_spec("skinfo._dask_selection") is not None


@pytest.fixture
def dask_fits(monkeypatch):
    """Record what the selector is fitted on, and fit it.

    The command line must hand the selector lazy Dask collections. The selector
    fits them on the cluster when it has its Dask fit; before that lands, the
    recorder fits the same data gathered here, in the test (never in the
    command line), so that the table printed can still be checked.
    """
    seen = []
    real_fit = MIFeatureSelector.fit

    def fit(self, X, y, **kwargs):
        seen.append((X, y))
        if isinstance(X, dd.DataFrame) and not SELECTOR_ON_DASK:
            X, y = X.compute(), y.compute()
        return real_fit(self, X, y, **kwargs)

    monkeypatch.setattr(MIFeatureSelector, "fit", fit)
    return seen


RANK = ["--target", "label", "--categorical", "color", "-k", "4", "--format", "csv"]


@pytest.mark.parametrize("name", ["mixed.csv", "mixed.parquet"])
def test_rank_on_dask_prints_the_in_memory_table(
    capsys, dask_client, dask_fits, mixed, name
):
    folder, _ = mixed
    path = str(folder / name)
    address = dask_client.scheduler.address
    status, in_memory, err = run(capsys, "rank", path, *RANK)
    assert status == 0, err
    status, on_dask, err = run(
        capsys, "rank", path, *RANK, "--dask", "--scheduler", address
    )
    assert status == 0, err
    assert err == ""
    assert on_dask == in_memory
    table = pd.read_csv(io.StringIO(on_dask))
    assert table["feature"].iloc[0] == "color"
    (_, _), (X, y) = dask_fits
    assert isinstance(X, dd.DataFrame) and isinstance(y, dd.Series)
    assert list(X.columns) == ["x", "color", "level", "gappy", "flag", "noise"]
    assert isinstance(X["color"].dtype, pd.CategoricalDtype)
    assert y.dtype == object
    # the scheduler given is left running, with its client usable
    assert dask_client.submit(sum, [1, 2]).result() == 3


def test_rank_on_dask_starts_and_closes_a_local_cluster(
    capsys, dask_client, dask_fits, mixed, monkeypatch
):
    folder, _ = mixed
    started = []

    class Recorded(distributed.LocalCluster):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            started.append(self)

    monkeypatch.setattr(distributed, "LocalCluster", Recorded)
    path = str(folder / "mixed.parquet")
    status, on_dask, err = run(capsys, "rank", path, *RANK, "--dask")
    assert status == 0, err
    assert err == ""  # no dashboard-port warning, no worker logs
    (cluster,) = started
    assert cluster.status == distributed.core.Status.closed
    status, in_memory, _ = run(capsys, "rank", path, *RANK)
    assert on_dask == in_memory
    assert dask_client.submit(sum, [2, 2]).result() == 4  # still the default


def test_dask_progress_shows_the_cluster(capsys, dask_client, dask_fits, mixed):
    folder, _ = mixed
    address = dask_client.scheduler.address
    argv = ["rank", str(folder / "mixed.csv"), *RANK, "--dask", "--scheduler"]
    status, _, err = run(capsys, *argv, address, "--progress")
    assert status == 0
    assert f"jmi steps on Dask ({address})" in err
    assert "on 2 workers]" in err
    status, _, err = run(capsys, *argv, address)  # not a terminal: nothing drawn
    assert status == 0 and err == ""


def test_scheduler_without_dask_is_a_usage_error(capsys):
    status, out, err = run(capsys, "rank", "--scheduler", "tcp://127.0.0.1:8786")
    assert status == 2 and out == ""
    assert err.startswith("skinfo rank: error: --scheduler ADDRESS needs --dask")
    assert err.count("\n") == 1


def test_dask_missing_names_the_extra(capsys, monkeypatch, mixed):
    folder, _ = mixed
    monkeypatch.setitem(sys.modules, "distributed", None)  # import -> ImportError
    status, out, err = run(capsys, "rank", str(folder / "mixed.csv"), "--dask")
    assert status == 1 and out == ""
    assert err.startswith("skinfo: error: --dask needs dask")
    assert 'pip install "skinfo[dask]"' in err and err.count("\n") == 1


def test_dask_load_errors_match_the_in_memory_ones(capsys, dask_client, mixed):
    folder, frame = mixed
    address = dask_client.scheduler.address
    path = folder / "mixed.csv"
    gappy_target = folder / "gappy_target.csv"
    frame.assign(label=frame["gappy"]).to_csv(gappy_target, index=False)
    cases = [
        [str(path), "--target", "label"],  # a text feature
        [str(path), "--target", "nope"],
        [str(path)],  # no column named target
        [str(gappy_target), "--target", "label", "--categorical", "color"],
        [str(folder / "missing.csv")],
    ]
    for argv in cases:
        status, _, in_memory = run(capsys, "rank", *argv)
        assert status == 1
        status, _, on_dask = run(
            capsys, "rank", *argv, "--dask", "--scheduler", address
        )
        assert status == 1
        assert on_dask == in_memory
    assert (
        "column 'color' holds text (e.g. 'blue')"
        in run(
            capsys,
            "rank",
            str(path),
            "--target",
            "label",
            "--dask",
            "--scheduler",
            address,
        )[2]
    )


def test_bad_scheduler_address_is_one_line(capsys, mixed):
    folder, _ = mixed
    argv = ["rank", str(folder / "mixed.csv"), "--dask", "--scheduler", "nope://x"]
    status, out, err = run(capsys, *argv)
    assert status == 1 and out == ""
    assert err.startswith(
        "skinfo: error: cannot connect to the Dask scheduler at 'nope://x': "
    )
    assert err.count("\n") == 1
