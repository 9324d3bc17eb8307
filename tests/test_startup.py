"""skinfo starts and fits where numba cannot cache, and runs without numba at all.

Each test runs a fresh interpreter: numba picks its cache directory when a kernel is
compiled, and what matters is what ``import skinfo`` does in a new process.
"""

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import skinfo

# Fits each estimator on tiny data (the binned paths, so the compiled kernels run) and
# prints the results, whether numba was imported, and where the kernels are cached.
FIT_SCRIPT = """
import json, sys
import numpy as np
import skinfo
from skinfo import (
    EntropyDiscretizer, InformationBottleneckReducer, MIFeatureSelector, _counting,
)
rng = np.random.default_rng(0)
X = rng.normal(size=(80, 4))
y = (X[:, 0] + 0.3 * X[:, 1] > 0).astype(int)
sel = MIFeatureSelector(n_features_to_select=2, n_bins=4).fit(X, y)
disc = EntropyDiscretizer().fit(X, y)
ib = InformationBottleneckReducer(2, method="dib", random_state=0).fit(X, y)
print(json.dumps({
    "file": skinfo.__file__,
    "numba_imported": "numba" in sys.modules,
    "cache": getattr(_counting, "cache_status", "attribute missing"),
    "support": sel.get_support().tolist(),
    "scores": [float(s) for s in sel.scores_],
    "cuts": [c.tolist() for c in disc.cut_points_],
    "codes": disc.transform(X).tolist(),
    "clusters": ib.predict(X).tolist(),
}))
"""

PACKAGE = Path(skinfo.__file__).parent


def _base_env(**extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("NUMBA_", "SKINFO_", "XDG_", "PYTHON"))
    }
    env.update(extra)
    return env


def _run(env, *, user_prefix=(), script=FIT_SCRIPT, cwd=None):
    proc = subprocess.run(
        [*user_prefix, sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture
def sandbox():
    """A world-readable temporary directory with a read-only copy of skinfo.

    ``skinfo/__pycache__`` is a regular file, so numba's in-tree cache cannot be
    created there even by root (for whom ``chmod`` does not stop writes).
    """
    root = Path(tempfile.mkdtemp(prefix="skinfo-startup-"))
    root.chmod(0o755)
    pkg = root / "pkg"
    shutil.copytree(
        PACKAGE, pkg / "skinfo", ignore=shutil.ignore_patterns("__pycache__")
    )
    (pkg / "skinfo" / "__pycache__").write_text("not a directory\n")
    blocker = root / "blocker"  # a file: no directory can be created below it
    blocker.write_text("")
    home = root / "home"
    home.mkdir()
    for path in [*root.rglob("*"), root]:
        mode = path.stat().st_mode
        path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    try:
        yield {"root": root, "pkg": pkg, "blocker": blocker, "home": home}
    finally:
        for path in [root, *root.rglob("*")]:
            if path.is_dir():
                path.chmod(0o755)
        shutil.rmtree(root)


def _check_fit(out, sandbox):
    assert Path(out["file"]).parent == sandbox["pkg"] / "skinfo"
    assert out["numba_imported"]
    assert out["cache"].startswith("in memory only"), out["cache"]
    assert "no locator available" in out["cache"]
    assert sum(out["support"]) == 2


def test_fits_without_writable_home_or_package(sandbox):
    # HOME below a regular file: numba's user-wide cache (~/.cache/numba) cannot be
    # created; the package's __pycache__ cannot either. Before the fix, numba raised
    # "cannot cache function ...: no locator available" at ``import skinfo``.
    env = _base_env(
        PYTHONPATH=str(sandbox["pkg"]), HOME=str(sandbox["blocker"] / "home")
    )
    _check_fit(_run(env, cwd=sandbox["root"]), sandbox)


def test_fits_with_unwritable_numba_cache_dir(sandbox):
    # NUMBA_CACHE_DIR pointing somewhere unwritable, the rest as above.
    env = _base_env(
        PYTHONPATH=str(sandbox["pkg"]),
        HOME=str(sandbox["blocker"] / "home"),
        NUMBA_CACHE_DIR=str(sandbox["blocker"] / "numba"),
    )
    _check_fit(_run(env, cwd=sandbox["root"]), sandbox)


def _unprivileged_prefix():
    if os.name != "posix" or os.geteuid() != 0:
        return None
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    try:
        import pwd

        pwd.getpwnam("nobody")
    except KeyError:
        return None
    return [setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


@pytest.mark.skipif(
    _unprivileged_prefix() is None, reason="needs root, setpriv and user nobody"
)
def test_fits_as_unprivileged_user_with_read_only_home_and_package(sandbox):
    # The real situation: a non-root user whose home and site-packages are read-only
    # (chmod a-w), no special paths.
    prefix = _unprivileged_prefix()
    probe = subprocess.run(
        [*prefix, sys.executable, "-c", "import numba, sklearn"],
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0:
        pytest.skip(f"user nobody cannot run this Python: {probe.stderr[-300:]}")
    env = _base_env(PYTHONPATH=str(sandbox["pkg"]), HOME=str(sandbox["home"]))
    _check_fit(_run(env, user_prefix=prefix, cwd=sandbox["root"]), sandbox)


def test_cli_starts_without_writable_cache(sandbox):
    env = _base_env(
        PYTHONPATH=str(sandbox["pkg"]),
        HOME=str(sandbox["blocker"] / "home"),
        NUMBA_CACHE_DIR=str(sandbox["blocker"] / "numba"),
    )
    proc = subprocess.run(
        [sys.executable, "-m", "skinfo", "--help"],
        capture_output=True,
        text=True,
        env=env,
        cwd=sandbox["root"],
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "usage" in proc.stdout.lower()


def test_disable_numba_skips_numba_and_gives_identical_results():
    env = _base_env(PYTHONPATH=str(PACKAGE.parent))
    compiled = _run(env)
    plain = _run({**env, "SKINFO_DISABLE_NUMBA": "1"})
    assert compiled["numba_imported"]
    assert not plain["numba_imported"]
    assert plain["cache"] is None  # the kernels were never wrapped
    for key in ("support", "scores", "cuts", "codes", "clusters"):
        assert plain[key] == compiled[key], key


def test_kernels_are_cached_outside_the_installed_package(tmp_path):
    # numba's cache files are unknown to pip: written beside an installed package,
    # they survive ``pip uninstall`` as a ``skinfo/__pycache__`` folder that shadows
    # a later editable install (the README's two commands in one clone hit this).
    pkg = tmp_path / "pkg"
    shutil.copytree(
        PACKAGE, pkg / "skinfo", ignore=shutil.ignore_patterns("__pycache__")
    )
    home = tmp_path / "home"
    home.mkdir()
    env = _base_env(PYTHONPATH=str(pkg), HOME=str(home))
    out = _run(env, cwd=tmp_path)
    cache = home / ".cache" / "skinfo" / "numba"
    assert out["cache"] == f"cached in {next(cache.iterdir())}", out["cache"]
    assert list(cache.rglob("*.nbi"))
    assert not list((pkg / "skinfo").rglob("*.nb[ic]"))
    # NUMBA_CACHE_DIR, when set, is the user's choice and wins
    chosen = tmp_path / "chosen"
    out = _run(
        _base_env(PYTHONPATH=str(pkg), HOME=str(home), NUMBA_CACHE_DIR=str(chosen))
    )
    assert str(chosen) in out["cache"] and list(chosen.rglob("*.nbi"))
