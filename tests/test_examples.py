"""Every gallery example runs to the end, quickly, without a display or a download."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "examples"
EXAMPLES = sorted(EXAMPLES_DIR.glob("plot_*.py"))

#: Hard limit per example; they are meant to take a few seconds.
TIMEOUT = 180


def test_examples_are_found():
    assert len(EXAMPLES) >= 6


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_runs(path, tmp_path):
    pytest.importorskip("matplotlib")
    env = dict(os.environ, MPLBACKEND="Agg")
    start = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            "-W",
            "error::FutureWarning",
            "-W",
            "error::DeprecationWarning",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=tmp_path,
        env=env,
    )
    elapsed = time.perf_counter() - start
    assert proc.returncode == 0, f"{path.name} failed:\n{proc.stderr[-3000:]}"
    assert "Traceback" not in proc.stderr
    assert proc.stdout.strip(), f"{path.name} printed nothing"
    assert list(tmp_path.iterdir()) == [], f"{path.name} left files behind"
    print(f"{path.name}: {elapsed:.1f} s")
