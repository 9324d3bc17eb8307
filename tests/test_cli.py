"""The ``skinfo`` command line: output against the estimators, formats, errors."""

import io
import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer, load_iris

from skinfo import (
    EntropyDiscretizer,
    InformationBottleneckReducer,
    MIFeatureSelector,
    information_curve,
)
from skinfo._cli import _Progress, main
from skinfo._progress import listen, report

LN2 = math.log(2.0)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def run(capsys, *argv):
    """Run the CLI in-process; return (status, stdout, stderr)."""
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def read_csv_output(text):
    return pd.read_csv(io.StringIO(text))


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    return X, y


@pytest.fixture
def saved_figures(monkeypatch):
    """Figures the CLI saves (still saved to their files), for inspection."""
    import matplotlib.figure

    figures = []
    save = matplotlib.figure.Figure.savefig

    def record(fig, *args, **kwargs):
        figures.append(fig)
        return save(fig, *args, **kwargs)

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", record)
    return figures


@pytest.fixture
def mixed_csv(tmp_path):
    """A small table: a text column that decides the class, noise, a text target."""
    rng = np.random.default_rng(0)
    n = 200
    color = rng.choice(["red", "green", "blue"], size=n)
    frame = pd.DataFrame(
        {
            "noise": rng.normal(size=n),
            "color": color,
            "weak": rng.normal(size=n) + (color == "red"),
            "label": np.where(color == "blue", "yes", "no"),
        }
    )
    path = tmp_path / "mixed.csv"
    frame.to_csv(path, index=False)
    return path, frame


# ------------------------------------------------------------------------------ rank
def test_rank_default_table_matches_selector(capsys, cancer):
    X, y = cancer
    status, out, err = run(capsys, "rank")
    assert status == 0
    assert err == ""
    selector = MIFeatureSelector(random_state=0).fit(X, y)
    k = selector.n_features_to_select_
    lines = out.splitlines()
    assert lines[0].split() == [
        "rank",
        "feature",
        "relevance_bits",
        "gain_bits",
        "pvalue",
        "significant",
    ]
    assert set(lines[1]) <= {"-", " "}
    rows = lines[2:]
    assert len(rows) == k
    top = X.columns[selector.ranking_[0]]
    assert rows[0].split()[1:-4] == top.split()
    relevance = selector.relevance_[selector.ranking_[0]] / LN2
    assert rows[0].split()[-4] == f"{relevance:.4f}"
    # -k auto keeps only significant steps
    assert [row.split()[-1] for row in rows] == ["yes"] * k


def test_rank_csv_values_are_bits_of_the_selector(capsys, cancer):
    X, y = cancer
    status, out, _ = run(capsys, "rank", "-k", "6", "--format", "csv")
    assert status == 0
    table = read_csv_output(out)
    selector = MIFeatureSelector(6, random_state=0).fit(X, y)
    order = selector.ranking_[:6]
    assert table["rank"].tolist() == [1, 2, 3, 4, 5, 6]
    assert table["feature"].tolist() == list(X.columns[order])
    np.testing.assert_allclose(
        table["relevance_bits"], selector.relevance_[order] / np.log(2), rtol=1e-12
    )
    np.testing.assert_allclose(
        table["gain_bits"], selector.gains_[:6] / np.log(2), rtol=1e-12
    )
    # step one adds exactly the relevance of the first feature
    assert table["gain_bits"][0] == pytest.approx(table["relevance_bits"][0])


@pytest.mark.parametrize("criterion", ["cmim", "mrmr"])
def test_rank_json_follows_the_criterion(capsys, cancer, criterion):
    X, y = cancer
    status, out, _ = run(
        capsys, "rank", "-k", "4", "--criterion", criterion, "--format", "json"
    )
    assert status == 0
    records = json.loads(out)
    selector = MIFeatureSelector(4, criterion=criterion, random_state=0).fit(X, y)
    assert [r["feature"] for r in records] == list(X.columns[selector.ranking_[:4]])
    assert set(records[0]) == {
        "rank",
        "feature",
        "relevance_bits",
        "gain_bits",
        "pvalue",
        "significant",
    }
    assert records[1]["gain_bits"] == pytest.approx(selector.gains_[1] / LN2)


def test_rank_options_reach_the_selector(capsys, cancer):
    X, y = cancer
    argv = ["rank", "-k", "3", "--n-bins", "4", "--strategy", "uniform"]
    status, out, _ = run(capsys, *argv, "--method", "miller_madow", "--format", "csv")
    assert status == 0
    selector = MIFeatureSelector(
        3, n_bins=4, strategy="uniform", method="miller_madow", random_state=0
    ).fit(X, y)
    table = read_csv_output(out)
    assert table["feature"].tolist() == list(X.columns[selector.ranking_[:3]])
    np.testing.assert_allclose(
        table["relevance_bits"], selector.relevance_[selector.ranking_[:3]] / LN2
    )


def test_rank_plot_writes_png(capsys, tmp_path):
    target = tmp_path / "rank.png"
    status, _, err = run(capsys, "rank", "-k", "3", "--plot", str(target))
    assert status == 0, err
    assert target.read_bytes()[:8] == PNG_MAGIC


def test_rank_categorical_column_from_csv(capsys, mixed_csv):
    path, _ = mixed_csv
    argv = ["rank", str(path), "--target", "label", "--categorical", "color"]
    status, out, err = run(capsys, *argv, "-k", "2", "--format", "csv")
    assert status == 0, err
    table = read_csv_output(out)
    # the label is a function of the colour: I(color; label) = H(label)
    assert table["feature"][0] == "color"
    p_yes = (pd.read_csv(path)["label"] == "yes").mean()
    h_label = -(p_yes * np.log2(p_yes) + (1 - p_yes) * np.log2(1 - p_yes))
    assert table["relevance_bits"][0] == pytest.approx(h_label, rel=1e-10)


def test_rank_parquet_input_matches_csv(capsys, tmp_path, cancer):
    pytest.importorskip("pyarrow")
    X, y = cancer
    frame = X.iloc[:, :8].assign(diagnosis=y)
    frame.to_parquet(tmp_path / "data.parquet")
    frame.to_csv(tmp_path / "data.csv", index=False)
    outputs = []
    for name in ("data.parquet", "data.csv"):
        argv = ["rank", str(tmp_path / name), "--target", "diagnosis", "-k", "3"]
        status, out, err = run(capsys, *argv, "--format", "csv")
        assert status == 0, err
        outputs.append(read_csv_output(out))
    pd.testing.assert_frame_equal(outputs[0], outputs[1], rtol=1e-12)
    selector = MIFeatureSelector(3, random_state=0).fit(frame.iloc[:, :8], y)
    assert outputs[0]["feature"].tolist() == list(X.columns[selector.ranking_[:3]])


def test_rank_parquet_categorical_dtype_is_used(capsys, tmp_path, mixed_csv):
    pytest.importorskip("pyarrow")
    _, frame = mixed_csv
    frame = frame.astype({"color": "category"})
    path = tmp_path / "mixed.pq"
    frame.to_parquet(path)
    argv = ["rank", str(path), "--target", "label", "-k", "1", "--format", "json"]
    status, out, err = run(capsys, *argv)
    assert status == 0, err
    assert json.loads(out)[0]["feature"] == "color"


def test_parquet_written_by_polars(capsys, tmp_path):
    # a polars Categorical (an arrow dictionary on disk), integers beyond 2**53 and
    # an integer column with nulls: read through the input layer, values exact
    pl = pytest.importorskip("polars")
    big = 2**60
    frame = pl.DataFrame(
        {
            "c": pl.Series(["a", "b", "a", "b"] * 5, dtype=pl.Categorical),
            "big": [big, big + 1, big + 2, big + 1] * 5,
            "k": [1, None, 2, 3] * 5,
            "label": [0, 1, 0, 1] * 5,
        }
    )
    path = tmp_path / "polars.parquet"
    frame.write_parquet(path)
    argv = ["discretize", str(path), "--target", "label", "--format", "json"]
    status, out, err = run(capsys, *argv)
    assert status == 0, err
    records = {r["feature"]: r for r in json.loads(out)}
    # three distinct big integers (a float64 cast would make them one or two)
    assert records["big"]["n_bins"] == 3
    assert records["c"]["n_bins"] == 2 and records["k"]["n_bins"] == 3
    status, out, err = run(capsys, "rank", str(path), "--target", "label", "-k", "1")
    assert status == 0, err
    assert "c" in out.splitlines()[2]


# ------------------------------------------------------------------------ discretize
def test_discretize_iris_cuts(capsys):
    status, out, _ = run(capsys, "discretize", "--format", "json")
    assert status == 0
    records = json.loads(out)
    assert [r["feature"] for r in records] == list(load_iris(as_frame=True).data)
    # Fayyad & Irani's MDLP on iris (identical to Weka's supervised Discretize)
    expected = [[5.55, 6.15], [2.95, 3.35], [2.45, 4.75], [0.8, 1.75]]
    for record, cuts in zip(records, expected, strict=True):
        np.testing.assert_allclose(record["cut_points"], cuts, atol=1e-9)
        assert record["n_bins"] == 3


def test_discretize_table_and_csv_match_the_estimator(capsys, tmp_path):
    X, y = load_iris(return_X_y=True, as_frame=True)
    disc = EntropyDiscretizer(discrete_features="auto", random_state=0).fit(X, y)
    status, out, _ = run(capsys, "discretize", "--format", "csv")
    assert status == 0
    table = read_csv_output(out)
    assert table["n_bins"].tolist() == list(disc.n_bins_)
    for text, cuts in zip(table["cut_points"], disc.cut_points_, strict=True):
        np.testing.assert_allclose([float(c) for c in text.split()], cuts, rtol=1e-11)
    status, out, _ = run(capsys, "discretize")
    assert status == 0
    assert out.splitlines()[2].split()[-2:] == ["5.55", "6.15"]


def test_discretize_plot_writes_png(capsys, tmp_path, monkeypatch):
    import matplotlib.figure

    titles = []
    save = matplotlib.figure.Figure.savefig

    def record(fig, *args, **kwargs):
        titles.extend(ax.get_title() for ax in fig.axes if ax.get_visible())
        return save(fig, *args, **kwargs)

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", record)
    frame = pd.DataFrame(
        {
            "x": np.r_[np.linspace(0, 1, 30), np.linspace(2, 3, 30)],
            "kind": ["a", "b", "c"] * 20,
            "y": [0] * 30 + [1] * 30,
        }
    )
    frame.to_csv(tmp_path / "two.csv", index=False)
    target = tmp_path / "cuts.png"
    argv = ["discretize", str(tmp_path / "two.csv"), "--target", "y"]
    status, _, err = run(capsys, *argv, "--categorical", "kind", "--plot", str(target))
    assert status == 0, err
    assert target.read_bytes()[:8] == PNG_MAGIC
    # the titles give each feature's number of bins: the discrete one keeps its 3
    assert titles == ["x: 2 bins (1 cut)", "kind: 3 bins (discrete)"]


# ------------------------------------------------------------------------ bottleneck
def test_bottleneck_gaussian_curve_in_bits(capsys, cancer):
    X, y = cancer
    status, out, _ = run(capsys, "bottleneck", "--betas", "1.5,3,30", "--format", "csv")
    assert status == 0
    table = read_csv_output(out)
    curve = information_curve(
        InformationBottleneckReducer(2, random_state=0), X, y, betas=[1.5, 3, 30]
    )
    np.testing.assert_allclose(table["beta"], [1.5, 3, 30])
    np.testing.assert_allclose(
        table["information_xt_bits"], curve["information_xt"] / LN2, atol=1e-12
    )
    np.testing.assert_allclose(
        table["information_ty_bits"], curve["information_ty"] / LN2, atol=1e-12
    )
    assert table["n_active"].tolist() == curve["n_active"].tolist()


def test_bottleneck_beta_range_is_log_spaced(capsys):
    status, out, _ = run(capsys, "bottleneck", "--betas", "1:100:3", "--format", "json")
    assert status == 0
    betas = [r["beta"] for r in json.loads(out)]
    np.testing.assert_allclose(betas, [1.0, 10.0, 100.0])


def test_bottleneck_discrete_method_and_plot(capsys, tmp_path):
    target = tmp_path / "plane.png"
    argv = ["bottleneck", "--method", "dib", "--betas", "2,20", "--n-bins", "3"]
    status, out, err = run(capsys, *argv, "--format", "csv", "--plot", str(target))
    assert status == 0, err
    table = read_csv_output(out)
    assert list(table.columns) == [
        "beta",
        "information_xt_bits",
        "information_ty_bits",
        "n_clusters",
    ]
    # I(T;Y) can never exceed I(X;T) (data processing along Y - X - T)
    assert np.all(table["information_ty_bits"] <= table["information_xt_bits"] + 1e-9)
    assert target.read_bytes()[:8] == PNG_MAGIC


# ---------------------------------------------------------------------------- errors
@pytest.fixture
def bad_inputs(tmp_path):
    pd.DataFrame({"a": [1.0, 2.0, 3.0], "y": [0, 0, 0]}).to_csv(
        tmp_path / "one.csv", index=False
    )
    pd.DataFrame({"a": [1.0, 2.0, 3.0], "s": ["u", "v", "w"], "y": [0, 1, 0]}).to_csv(
        tmp_path / "text.csv", index=False
    )
    pd.DataFrame({"a": [1.0, 2.0, 3.0, np.nan], "y": [0, 1, np.nan, 1]}).to_csv(
        tmp_path / "nan.csv", index=False
    )
    pd.DataFrame({"a": [1.0, np.nan, 3.0, 4.0], "y": [0, 1, 0, 1]}).to_csv(
        tmp_path / "nan_x.csv", index=False
    )
    pd.DataFrame({"a": [0.5, 2.0, 1.0, 4.0], "y": [0.1, 0.7, 0.3, 0.9]}).to_csv(
        tmp_path / "regression.csv", index=False
    )
    (tmp_path / "data.txt").write_text("a,y\n1,0\n")
    (tmp_path / "empty.csv").write_text("")
    return tmp_path


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["rank", "{d}/missing.csv", "--target", "y"], "no such file"),
        (["rank", "{d}/one.csv", "--target", "nope"], "unknown column 'nope'"),
        (["rank", "{d}/text.csv", "--target", "y", "--categorical", "z"], "'z'"),
        (["rank", "{d}/one.csv", "--target", "y"], "single value"),
        (["discretize", "{d}/one.csv", "--target", "y"], "single value"),
        (["rank", "{d}/text.csv", "--target", "y"], "column 's' holds text (e.g. 'u')"),
        (["bottleneck", "{d}/text.csv", "--target", "y"], "column 's' holds text"),
        (["rank", "{d}/data.txt", "--target", "y"], "unsupported file type"),
        (["rank", "{d}/empty.csv", "--target", "y"], "empty"),
        (["rank", "{d}/one.csv"], "--target"),
        (["rank", "-k", "31"], "larger than the number of features"),
        (["rank", "--plot", "{d}/no/such/dir/x.png"], "no such directory"),
        (["rank", "--method", "knn", "--criterion", "disr", "-k", "2"], "disr"),
        (["rank", "--method", "knn"], "only with --criterion mim"),
        (["rank", "{d}/nan.csv", "--target", "y"], "'y' has 1 missing value"),
        (["discretize", "{d}/regression.csv", "--target", "y"], "'y' is continuous"),
        (
            ["bottleneck", "{d}/text.csv", "--target", "y", "--categorical", "s"],
            "column 's' is categorical",
        ),
        (
            ["bottleneck", "{d}/nan_x.csv", "--target", "y"],
            "column 'a' (1 of 4 rows) has missing values",
        ),
    ],
)
def test_bad_input_gives_one_error_line(capsys, bad_inputs, argv, fragment):
    argv = [a.format(d=bad_inputs) for a in argv]
    status, out, err = run(capsys, *argv)
    assert status == 1
    assert out == ""
    assert err.startswith("skinfo: error: ")
    assert err.endswith("\n") and err.count("\n") == 1
    assert fragment in err
    assert "Traceback" not in err


def test_usage_errors_exit_with_2(capsys):
    for argv in (["rank", "-k", "0"], ["bottleneck", "--betas", "5:1:3"], ["nope"], []):
        status, _, err = run(capsys, *argv)
        assert status == 2
        assert "error:" in err
        assert "Traceback" not in err


def test_help_exits_with_0(capsys):
    status, out, _ = run(capsys, "rank", "--help")
    assert status == 0
    assert "--criterion" in out


def test_estimator_warning_is_one_line(capsys, tmp_path):
    frame = pd.DataFrame({"a": [1.0] * 6, "b": [2.0] * 6, "y": [0, 1] * 3})
    frame.to_csv(tmp_path / "constant.csv", index=False)
    argv = ["rank", str(tmp_path / "constant.csv"), "--target", "y", "-k", "1"]
    status, out, err = run(capsys, *argv)
    assert status == 0
    assert err.startswith("skinfo: warning: Every feature is constant")
    assert err.count("\n") == 1
    assert out.splitlines()[2].split()[:2] == ["1", "a"]


# -------------------------------------------------------------------------- progress
def test_no_progress_when_stderr_is_not_a_terminal(capsys):
    status, _, err = run(capsys, "rank", "-k", "2")
    assert status == 0
    assert err == ""


def test_progress_counts_greedy_steps_without_changing_results(capsys):
    status, plain, _ = run(capsys, "rank", "-k", "5", "--format", "csv")
    assert status == 0
    status, out, err = run(capsys, "rank", "-k", "5", "--format", "csv", "--progress")
    assert status == 0
    assert out == plain
    assert "5/5" in err  # one step per greedy step, all five reached
    assert err.endswith("\r") and "\n" not in err  # the line is erased at the end


def test_progress_counts_betas_of_a_discrete_sweep(capsys):
    argv = ["bottleneck", "--method", "ib", "--betas", "1:10:4", "--n-bins", "3"]
    status, out, err = run(capsys, *argv, "--progress")
    assert status == 0
    assert "4/4" in err
    assert len(out.splitlines()) == 2 + 4


def test_progress_object_draws_bar_and_counts_reported_steps():
    stream = io.StringIO()
    progress = _Progress("work", 3, enabled=True, stream=stream, interval=10)
    with progress, listen(progress.update):
        for _ in range(3):
            report()
    report()  # nobody listens any more: nothing counted, nothing raised
    assert progress.done == 3
    assert "skinfo: work [####################] 3/3" in stream.getvalue()
    disabled = _Progress("work", 3, enabled=False, stream=stream)
    assert not disabled.enabled


# ------------------------------------------------------------------------- processes
def _env():
    env = dict(os.environ, MPLBACKEND="Agg")
    env.pop("PYTHONWARNINGS", None)
    return env


def test_python_m_skinfo_rank(cancer):
    X, y = cancer
    proc = subprocess.run(
        [sys.executable, "-m", "skinfo", "rank", "-k", "3", "--format", "csv"],
        capture_output=True,
        text=True,
        timeout=300,
        env=_env(),
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    table = read_csv_output(proc.stdout)
    selector = MIFeatureSelector(3, random_state=0).fit(X, y)
    assert table["feature"][0] == X.columns[selector.ranking_[0]]


def test_python_m_skinfo_error_has_no_traceback(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "skinfo", "rank", str(tmp_path / "missing.csv")],
        capture_output=True,
        text=True,
        timeout=300,
        env=_env(),
    )
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.startswith("skinfo: error: no such file")
    assert proc.stderr.count("\n") == 1


def _console_script():
    found = shutil.which("skinfo")
    if found:
        return found
    sibling = Path(sys.executable).with_name("skinfo")
    return str(sibling) if sibling.exists() else None


def test_console_script_rank(cancer):
    script = _console_script()
    if script is None:
        pytest.skip("the skinfo console script is not installed")
    X, y = cancer
    proc = subprocess.run(
        [script, "rank", "-k", "2", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=300,
        env=_env(),
    )
    assert proc.returncode == 0, proc.stderr
    selector = MIFeatureSelector(2, random_state=0).fit(X, y)
    features = [r["feature"] for r in json.loads(proc.stdout)]
    assert features == list(X.columns[selector.ranking_[:2]])


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_progress_is_drawn_on_a_terminal(tmp_path):
    import pty

    primary, secondary = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "skinfo", "rank", "-k", "3", "--format", "csv"],
            stdout=subprocess.PIPE,
            stderr=secondary,
            text=True,
            timeout=300,
            env=_env(),
        )
    finally:
        os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # EIO: the terminal has no writer left
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    drawn = b"".join(chunks).decode()
    assert proc.returncode == 0
    assert "jmi steps" in drawn and "3/3" in drawn
    assert read_csv_output(proc.stdout).shape[0] == 3


# ----------------------------------------------------- rank: which gains to trust
@pytest.fixture
def continuous_target_csv(tmp_path):
    """y = x0 + x1 + noise (continuous); x2..x5 are pure noise."""
    rng = np.random.default_rng(0)
    n = 400
    X = rng.normal(size=(n, 6))
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(6)])
    frame["y"] = X[:, 0] + X[:, 1] + 0.3 * rng.normal(size=n)
    path = tmp_path / "regression.csv"
    frame.to_csv(path, index=False)
    return path, frame


def test_rank_flags_pure_noise_gains_of_a_continuous_target(
    capsys, continuous_target_csv
):
    path, frame = continuous_target_csv
    argv = ["rank", str(path), "--target", "y", "-k", "6", "--format", "csv"]
    status, out, err = run(capsys, *argv)
    assert status == 0, err
    table = read_csv_output(out)
    # the binned three-way tables give pure noise a sizeable plug-in gain ...
    noise = ~table["feature"].isin(["x0", "x1"])
    assert table.loc[noise, "gain_bits"].min() > 0.1
    # ... which the table itself marks as not significant; the real ones are kept
    assert table["feature"][:2].tolist() == ["x0", "x1"]
    assert table["significant"].tolist() == [True, True, False, False, False, False]
    # the flag is the selector's adjusted p-value at the documented alpha (0.05)
    selector = MIFeatureSelector(6, random_state=0).fit(frame.iloc[:, :6], frame.y)
    np.testing.assert_allclose(table["pvalue"], selector.pvalues_, rtol=1e-12)
    assert table["significant"].tolist() == list(selector.pvalues_ <= 0.05)


def test_rank_significance_follows_alpha_in_every_format(capsys, continuous_target_csv):
    path, _ = continuous_target_csv
    argv = ["rank", str(path), "--target", "y", "-k", "3"]
    status, out, _ = run(capsys, *argv, "--alpha", "1", "--format", "json")
    assert status == 0
    assert [r["significant"] for r in json.loads(out)] == [True, True, True]
    status, out, _ = run(capsys, *argv)
    assert status == 0
    lines = out.splitlines()
    assert lines[0].split()[-1] == "significant"
    assert [row.split()[-1] for row in lines[2:]] == ["yes", "yes", "no"]


def test_rank_without_a_test_leaves_significance_empty(capsys):
    # knn with a fixed size computes no p-values: no verdict either
    argv = ["rank", "--method", "knn", "--criterion", "mim", "-k", "2"]
    status, out, err = run(capsys, *argv, "--format", "json")
    assert status == 0, err
    records = json.loads(out)
    assert [r["pvalue"] for r in records] == [None, None]
    assert [r["significant"] for r in records] == [None, None]
    status, out, _ = run(capsys, *argv)
    assert [row.split()[-2:] for row in out.splitlines()[2:]] == [["nan", "-"]] * 2


def test_rank_help_explains_the_bias_and_the_flag(capsys):
    status, out, _ = run(capsys, "rank", "--help")
    assert status == 0
    text = " ".join(out.split())
    assert "biased upward" in text
    assert "significant yes when pvalue <= --alpha" in text
    assert "continuous and binned into --n-bins classes" in text


def test_rank_plot_hatches_gains_that_are_not_significant(
    capsys, continuous_target_csv, saved_figures, tmp_path
):
    path, _ = continuous_target_csv
    target = tmp_path / "rank.png"
    argv = ["rank", str(path), "--target", "y", "-k", "4", "--plot", str(target)]
    status, _, err = run(capsys, *argv)
    assert status == 0, err
    (fig,) = saved_figures
    ax = fig.axes[0]
    gains = ax.containers[1]
    assert [bool(bar.get_hatch()) for bar in gains] == [False, False, True, True]
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend[-1] == "added, not significant (p > 0.05)"


# ------------------------------------------------------------- exact integer input
BIG = 2**53


def _big_integer_frame(with_missing):
    n = 12
    frame = pd.DataFrame(
        {
            "big": np.array([BIG + i % 4 for i in range(n)], dtype=np.int64),
            "huge": np.array([2**64 - 1 - i % 3 for i in range(n)], dtype=np.uint64),
            "x": np.linspace(0.0, 1.0, n),
            "y": np.arange(n) % 2,
        }
    )
    if with_missing:
        frame["gappy"] = pd.array([BIG + 1, None] + [BIG + 3] * (n - 2), "Int64")
    return frame


@pytest.mark.parametrize("kind", ["csv", "parquet"])
@pytest.mark.parametrize(
    ("subcommand", "target"),
    [
        ("rank", (MIFeatureSelector, "fit")),
        ("discretize", (EntropyDiscretizer, "fit")),
        ("bottleneck", None),
    ],
)
def test_integers_reach_the_estimators_exactly(
    capsys, tmp_path, monkeypatch, kind, subcommand, target
):
    if kind == "parquet":
        pytest.importorskip("pyarrow")
    import skinfo

    with_missing = subcommand != "bottleneck"  # which needs complete rows
    frame = _big_integer_frame(with_missing)
    path = tmp_path / f"big.{kind}"
    if kind == "csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path)
    seen = []
    if target is None:
        real_curve = skinfo.information_curve

        def curve(estimator, X, y, **kwargs):
            seen.append(X)
            return real_curve(estimator, X, y, **kwargs)

        monkeypatch.setattr(skinfo, "information_curve", curve)
    else:
        cls, name = target
        real_fit = getattr(cls, name)

        def fit(self, X, y, **kwargs):
            seen.append(X)
            return real_fit(self, X, y, **kwargs)

        monkeypatch.setattr(cls, name, fit)
    argv = [subcommand, str(path), "--target", "y", "--format", "csv"]
    if subcommand == "bottleneck":
        argv += ["--betas", "2"]
    status, _, err = run(capsys, *argv)
    assert status == 0, err
    (X,) = seen
    assert X["big"].dtype == np.int64
    assert X["big"].tolist() == frame["big"].tolist()  # Python ints: exact
    assert X["huge"].dtype == np.uint64
    assert X["huge"].tolist() == frame["huge"].tolist()
    if with_missing:
        # an integer column with a missing value stays exact (and discrete): a
        # categorical of its integers, not float64, which would merge BIG and BIG+1
        gappy = X["gappy"]
        assert isinstance(gappy.dtype, pd.CategoricalDtype)
        assert gappy.cat.categories.dtype == np.int64
        assert gappy.cat.categories.tolist() == [BIG + 1, BIG + 3]
        assert gappy.cat.codes.tolist() == [0, -1] + [1] * 10


@pytest.mark.parametrize("subcommand", ["rank", "discretize"])
def test_integers_above_2_53_keep_a_perfect_predictor(capsys, tmp_path, subcommand):
    n = 40
    level = np.arange(n) % 4
    frame = pd.DataFrame(
        {
            "noise": np.random.default_rng(0).normal(size=n),
            "big": (BIG + level).astype(np.int64),  # float64 merges BIG and BIG + 1
            "y": level % 2,
        }
    )
    frame.to_csv(tmp_path / "big.csv", index=False)
    argv = [subcommand, str(tmp_path / "big.csv"), "--target", "y"]
    if subcommand == "rank":
        argv += ["-k", "1"]
    status, out, err = run(capsys, *argv, "--format", "json")
    assert status == 0, err
    records = json.loads(out)
    if subcommand == "rank":
        assert records[0]["feature"] == "big"
        assert records[0]["relevance_bits"] == pytest.approx(1.0)  # H(y), balanced
    else:
        assert records[1]["feature"] == "big"
        assert records[1]["n_bins"] == 4


# ---------------------------------------------------- options: one rule everywhere
SUBCOMMANDS = ["rank", "discretize", "bottleneck"]


def assert_usage_error(status, out, err, subcommand, fragment):
    """A usage error: status 2, nothing on stdout, one line on stderr."""
    assert status == 2
    assert out == ""
    assert err.startswith(f"skinfo {subcommand}: error: ")
    assert err.endswith("\n") and err.count("\n") == 1
    assert fragment in err
    assert "Traceback" not in err


@pytest.mark.parametrize("subcommand", SUBCOMMANDS)
@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("", "got an empty name"),
        ("   ", "got an empty name"),
        ("out", "ending in .png, .pdf or .svg (the suffix selects the format), got"),
        ("cuts.xyz", "got '{d}/cuts.xyz'"),
        ("cuts.jpg", "got '{d}/cuts.jpg'"),
    ],
)
def test_plot_needs_a_name_with_an_image_suffix(
    capsys, tmp_path, subcommand, value, fragment
):
    path = str(tmp_path / value) if value.strip() else value
    status, out, err = run(capsys, subcommand, "--plot", path)
    assert_usage_error(status, out, err, subcommand, fragment.format(d=tmp_path))
    assert list(tmp_path.iterdir()) == []  # and nothing was written anywhere


@pytest.mark.parametrize(("suffix", "magic"), [(".pdf", b"%PDF"), (".SVG", b"<?xml")])
def test_plot_suffix_selects_the_format(capsys, tmp_path, suffix, magic):
    target = tmp_path / f"cuts{suffix}"
    status, _, err = run(capsys, "discretize", "--plot", str(target))
    assert status == 0, err
    assert target.read_bytes().startswith(magic)
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


@pytest.mark.parametrize("subcommand", SUBCOMMANDS)
@pytest.mark.parametrize("seed", ["-1", "4294967296", "1.5", "seed"])
def test_random_state_must_be_a_numpy_seed_everywhere(capsys, subcommand, seed):
    status, out, err = run(capsys, subcommand, "--random-state", seed)
    fragment = f"argument --random-state: expected an integer from 0 to {2**32 - 1}"
    assert_usage_error(status, out, err, subcommand, fragment)


def test_largest_numpy_seed_is_accepted(capsys):
    status, _, err = run(capsys, "discretize", "--random-state", str(2**32 - 1))
    assert status == 0, err


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--betas", "-1,2"], "every beta must be a finite number > 0, got -1 in"),
        (["--betas=-1,2"], "every beta must be a finite number > 0, got -1 in"),
        (["--betas", "2,0"], "every beta must be a finite number > 0, got 0 in"),
        (["--betas", "1,inf"], "every beta must be a finite number > 0, got inf in"),
        (["--betas", "-1:10:3"], "with 0 < START < STOP and NUM >= 1, got '-1:10:3'"),
        (["--betas", "1,x"], "expected 'B1,B2,...' or 'START:STOP:NUM'"),
    ],
)
def test_betas_are_read_as_values_and_must_be_positive(capsys, argv, fragment):
    status, out, err = run(capsys, "bottleneck", *argv)
    assert_usage_error(status, out, err, "bottleneck", fragment)


@pytest.mark.parametrize(
    ("subcommand", "argv", "fragment"),
    [
        ("rank", ["-k", "-0.5"], "a fraction in (0, 1] or 'auto', got '-0.5'"),
        ("rank", ["--alpha", "-0.1"], "expected a significance level in (0, 1]"),
        ("rank", ["--alpha", "1.5"], "expected a significance level in (0, 1]"),
        ("rank", ["--n-bins", "-3"], "expected an integer >= 2 or 'auto', got '-3'"),
        ("discretize", ["--max-bins", "-2"], "expected an integer >= 2"),
        ("discretize", ["--max-plot-features", "-1"], "a positive integer, got '-1'"),
        ("bottleneck", ["--n-components", "-1"], "a positive integer, got '-1'"),
        ("bottleneck", ["--n-bins", "1"], "expected an integer >= 2 or 'auto'"),
    ],
)
def test_negative_values_meet_the_option_rule(capsys, subcommand, argv, fragment):
    status, out, err = run(capsys, subcommand, *argv)
    assert_usage_error(status, out, err, subcommand, fragment)


def test_usage_errors_are_one_line(capsys):
    for argv in (["rank", "--nope"], ["rank", "--format", "xml"], [], ["nope"]):
        status, out, err = run(capsys, *argv)
        assert status == 2
        assert out == ""
        assert err.count("\n") == 1 and "error: " in err and "--help" in err


# ------------------------------------------------------------------ -k fractions
@pytest.fixture(scope="module")
def eight_features(tmp_path_factory, cancer):
    X, y = cancer
    frame = X.iloc[:, :8].assign(diagnosis=y)
    path = tmp_path_factory.mktemp("k") / "eight.csv"
    frame.to_csv(path, index=False)
    return path, frame


@pytest.mark.parametrize(
    ("k", "request_", "expected"),
    [("0.5", 0.5, 4), ("1.0", 1.0, 8), ("0.01", 0.01, 1), ("1", 1, 1), ("3", 3, 3)],
)
def test_rank_k_takes_a_fraction_like_the_selector(
    capsys, eight_features, k, request_, expected
):
    path, frame = eight_features
    argv = ["rank", str(path), "--target", "diagnosis", "-k", k, "--format", "csv"]
    status, out, err = run(capsys, *argv)
    assert status == 0, err
    table = read_csv_output(out)
    selector = MIFeatureSelector(request_, random_state=0).fit(
        frame.iloc[:, :8], frame["diagnosis"]
    )
    assert selector.n_features_to_select_ == expected
    chosen = selector.ranking_[:expected]
    assert table["feature"].tolist() == list(frame.columns[chosen])


@pytest.mark.parametrize("k", ["0", "0.0", "1.5", "nan", "inf", "half"])
def test_rank_k_rejects_what_the_selector_rejects(capsys, k):
    status, out, err = run(capsys, "rank", "-k", k)
    fragment = f"expected a count >= 1, a fraction in (0, 1] or 'auto', got '{k}'"
    assert_usage_error(status, out, err, "rank", fragment)


def test_progress_total_of_a_fraction(capsys, eight_features):
    path, _ = eight_features
    argv = ["rank", str(path), "--target", "diagnosis", "-k", "0.5", "--progress"]
    status, _, err = run(capsys, *argv)
    assert status == 0
    assert "4/4" in err


# --------------------------------------------------------------- data errors alike
def assert_data_error(status, out, err, fragment):
    """A data error: status 1, nothing on stdout, one ``skinfo: error:`` line."""
    assert status == 1
    assert out == ""
    assert err.startswith("skinfo: error: ")
    assert err.endswith("\n") and err.count("\n") == 1
    assert fragment in err
    assert "Traceback" not in err


def test_knn_with_missing_values_names_the_columns(capsys, tmp_path):
    frame = pd.DataFrame(
        {
            "a": [1.0, np.nan, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
            "complete": np.arange(8.0),
            "b": [np.nan, 2.0, 3.0, np.nan, 5.0, 6.0, 7.0, 8.0],
            "y": [0, 1] * 4,
        }
    )
    frame.to_csv(tmp_path / "gaps.csv", index=False)
    argv = ["rank", str(tmp_path / "gaps.csv"), "--target", "y", "--method", "knn"]
    status, out, err = run(capsys, *argv, "--criterion", "mim", "-k", "1")
    assert_data_error(
        status,
        out,
        err,
        "columns 'a' (1 of 8 rows), 'b' (2 of 8 rows) have missing values; "
        "--method knn needs complete rows",
    )
    # the counting methods give NaN its own bin instead
    status, _, err = run(capsys, *argv[:-2], "-k", "1")
    assert status == 0, err


@pytest.fixture
def dated(tmp_path):
    frame = pd.DataFrame(
        {
            "a": [1.0, 2.0, 3.0, 4.0],
            "when": ["2024-01-01", "2024-01-05", "2024-02-01", "2024-03-01"],
            "y": [0, 1, 0, 1],
        }
    )
    frame.to_csv(tmp_path / "dated.csv", index=False)
    return tmp_path, frame


@pytest.mark.parametrize("subcommand", SUBCOMMANDS)
def test_date_columns_get_the_same_error_everywhere(capsys, dated, subcommand):
    tmp_path, frame = dated
    argv = [subcommand, str(tmp_path / "dated.csv"), "--target", "y"]
    status, out, err = run(capsys, *argv)
    assert_data_error(
        status,
        out,
        err,
        "column 'when' holds dates as text (e.g. '2024-01-01'); convert them to "
        "numbers (e.g. days since a start date) or remove the column",
    )
    pytest.importorskip("pyarrow")
    for values in (pd.to_datetime(frame["when"]), pd.to_timedelta([1, 2, 3, 4], "D")):
        frame.assign(when=values).to_parquet(tmp_path / "dated.parquet")
        argv = [subcommand, str(tmp_path / "dated.parquet"), "--target", "y"]
        status, out, err = run(capsys, *argv)
        assert_data_error(status, out, err, "column 'when' holds dates or times")


@pytest.mark.parametrize(
    ("subcommand", "hint"),
    [
        ("rank", "declare it with --categorical s or remove it"),
        ("discretize", "declare it with --categorical s or remove it"),
        ("bottleneck", "the bottleneck needs numeric features"),
    ],
)
def test_text_columns_get_one_error_that_fits_the_subcommand(
    capsys, bad_inputs, subcommand, hint
):
    argv = [subcommand, str(bad_inputs / "text.csv"), "--target", "y"]
    status, out, err = run(capsys, *argv)
    assert_data_error(status, out, err, f"column 's' holds text (e.g. 'u'); {hint}")


# ------------------------------------------------------------- never a traceback
BAD_TABLES = {
    "empty": "",
    "header only": "a,b,y\n",
    "one row": "a,b,y\n1.5,2,0\n",
    "two rows": "a,b,y\n1.5,2,0\n2.5,3,1\n",
    "no target column": "a,b,c\n1.5,2,0\n2.5,3,1\n",
    "all-NaN feature": "a,b,y\n" + "".join(f",{i}.5,{i % 2}\n" for i in range(8)),
    "constant feature": "a,b,y\n" + "".join(f"1.0,{i}.5,{i % 2}\n" for i in range(8)),
    "all constant": "a,b,y\n" + "".join(f"1.0,2,{i % 2}\n" for i in range(8)),
}


@pytest.mark.parametrize(
    "command",
    [
        ["rank"],
        ["rank", "-k", "2", "--method", "knn", "--n-bins", "2"],
        ["discretize"],
        ["bottleneck", "--betas", "2,20"],
        ["bottleneck", "--betas", "2", "--method", "dib", "--n-bins", "2"],
    ],
    ids=" ".join,
)
@pytest.mark.parametrize("table", list(BAD_TABLES))
def test_bad_tables_end_in_one_line_never_a_traceback(capsys, tmp_path, command, table):
    path = tmp_path / "bad.csv"
    path.write_text(BAD_TABLES[table])
    status, out, err = run(capsys, command[0], str(path), "--target", "y", *command[1:])
    assert "Traceback" not in err
    lines = err.splitlines()
    assert status in (0, 1)
    if status == 1:
        assert out == ""
        assert lines and lines[-1].startswith("skinfo: error: ")
        lines = lines[:-1]
    assert all(line.startswith("skinfo: warning: ") for line in lines), err


def test_unexpected_exception_is_one_line_too(capsys, monkeypatch):
    def broken(self, X, y):
        raise RuntimeError("kernel\nfailed")

    monkeypatch.setattr(EntropyDiscretizer, "fit", broken)
    status, out, err = run(capsys, "discretize")
    assert_data_error(
        status, out, err, "unexpected RuntimeError: kernel failed (please report"
    )


# ------------------------------------------------------------------------- plots
@pytest.fixture
def plot_table(tmp_path):
    """A class-separating float with NaN, a text categorical with NaN, an int, a
    constant."""
    rng = np.random.default_rng(0)
    n = 120
    y = np.arange(n) % 2
    kind = np.where(y == 1, "apple", rng.choice(["banana", "cherry"], size=n))
    kind = kind.astype(object)
    kind[:6] = None
    x = rng.normal(size=n) + 6.0 * y
    x[[0, 1, 2, 10, 11]] = np.nan  # classes 0, 1, 0, 0, 1
    frame = pd.DataFrame(
        {
            "x": x,
            "kind": kind,
            "count": rng.integers(0, 3, size=n),
            "const": 1.0,
            "y": y,
        }
    )
    path = tmp_path / "plot.csv"
    frame.to_csv(path, index=False)
    return path, frame


def test_discretize_plot_names_levels_shows_nan_and_counts_bins_right(
    capsys, tmp_path, plot_table, saved_figures
):
    path, frame = plot_table
    target = tmp_path / "cuts.png"
    argv = ["discretize", str(path), "--target", "y", "--categorical", "kind"]
    status, out, err = run(capsys, *argv, "--plot", str(target), "--format", "csv")
    assert status == 0, err
    assert target.read_bytes()[:8] == PNG_MAGIC
    table = read_csv_output(out)
    n_bins = table["n_bins"].tolist()
    assert len(str(table["cut_points"][0]).split()) == 1  # x: one cut
    assert n_bins[1:] == [3, 3, 1]  # kind, count, const
    (fig,) = saved_figures
    axes = [ax for ax in fig.axes if ax.get_visible()]
    titles = [ax.get_title() for ax in axes]
    assert titles == [
        f"x: {n_bins[0]} bins (1 cut)",
        "kind: 3 bins (discrete)",
        "count: 3 bins (discrete)",
        "const: 1 bin (0 cuts)",
    ]
    ticks = [[t.get_text() for t in ax.get_xticklabels()] for ax in axes]
    # a categorical column is drawn with its category names, missing values last
    assert ticks[1] == ["apple", "banana", "cherry", "NaN"]
    assert ticks[2] == ["0", "1", "2"]
    # a continuous column with missing values gets a NaN bar past its histogram,
    # one per class, as high as that class's missing values
    assert ticks[0][-1] == "NaN"
    nan_at = axes[0].get_xticks()[-1]
    heights = [
        bar.get_height()
        for bar in axes[0].patches
        if abs(bar.get_x() + bar.get_width() / 2 - nan_at) < 1e-9
    ]
    assert heights == [3, 2]
    assert nan_at > np.nanmax(frame["x"])
    # class counts of the level bars match the data: 'apple' holds class 1 only
    level_bars = axes[1].patches
    assert sum(b.get_height() for b in level_bars) == len(frame)
    assert "NaN" not in ticks[3]  # no missing values, no NaN bar


@pytest.mark.parametrize("k", [1, 3, 30])
def test_rank_plot_has_no_blank_band(capsys, tmp_path, saved_figures, k):
    target = tmp_path / "rank.png"
    status, _, err = run(capsys, "rank", "-k", str(k), "--plot", str(target))
    assert status == 0, err
    (fig,) = saved_figures
    ax = fig.axes[0]
    assert len(ax.get_yticklabels()) == k
    # the bars fill the axes from top to bottom
    assert ax.get_ylim() == (k - 0.5, -0.5)
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig).draw()  # pyplot closed the figure after saving it
    renderer = fig.canvas.get_renderer()
    legend = fig.legends[0] if fig.legends else ax.get_legend()
    below_axes = ax.get_tightbbox(renderer).y0  # under the tick labels and x label
    legend_top = legend.get_window_extent(renderer).y1
    assert 0 <= (below_axes - legend_top) / fig.dpi < 0.25  # inches
    # the axes grow with the number of features: about 0.3 inch per feature
    height = ax.get_window_extent(renderer).height / fig.dpi
    assert 0.25 * k < height < 0.3 * k + 0.6
