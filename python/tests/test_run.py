"""diffbound.run: the report of `diffbound run` (summary, exit status, every verdict), the GIL released
while it runs, its tables with and without pandas, its renderings (to_latex, _repr_html_, plot), bounds(), and
the option checks with the CLI's messages. One run of the smoke suite serves every test of the file."""
import builtins
import json
import os
import threading
import time

import pytest

import diffbound
from conftest import cli, without_timings

SMOKE = "suites/smoke.toml"
smoke_gil = []  # (ticks of the other thread during the run, seconds of the run)


@pytest.fixture(scope="module")
def smoke(root, program, tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "smoke"
    status, _, err = cli(program, "run", root / SMOKE, "--out", out, "--quiet", "--jobs", 2)
    cli_report = json.loads((out / "report.json").read_text())
    # a thread ticking every 10 ms while the module runs: a held GIL would starve it for the whole run
    ticks, stop = [], threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.01)

    ticker = threading.Thread(target=tick)
    ticker.start()
    try:
        start = time.monotonic()
        report = diffbound.run(str(root / SMOKE), jobs=2)
        end = time.monotonic()
    finally:
        stop.set()
        ticker.join()
    smoke_gil[:] = (sum(1 for t in ticks if start < t < end), end - start)
    return status, cli_report, report


def test_gil_is_released_during_run(smoke):
    # a held GIL keeps the ticker from running at all between the start and the end of run(); no rate of
    # ticks is asserted (that would be a timing assertion), only that the other thread ran during it
    ticks, seconds = smoke_gil
    assert ticks >= 3, (ticks, seconds)


def test_run_equals_the_cli_report(smoke):
    status, cli_report, report = smoke
    assert report.exit_status == status == cli_report["summary"]["exit_status"]
    assert report.summary == cli_report["summary"]
    assert without_timings(report.json["cases"]) == without_timings(cli_report["cases"])
    assert without_timings(report.json["rates"]) == without_timings(cli_report["rates"])


def test_tables(smoke):
    import pandas  # installed by scripts/install-deps: its absence is a failure, not a skip
    _, cli_report, report = smoke
    cases, checks, rates = report.cases, report.checks, report.rate_claims
    assert isinstance(cases, pandas.DataFrame) and isinstance(checks, pandas.DataFrame)
    assert len(cases) == cli_report["summary"]["cases"]
    assert {"id", "label", "kl", "kl_lo", "kl_hi", "kl_str", "certified", "error"} <= set(cases.columns)
    assert {"case", "bound", "verdict", "measured", "bound_value", "reason", "provenance"} <= set(checks.columns)
    assert {"bound", "variable", "group", "fitted_exponent", "kl_exponent", "implied_constant", "verdict"} <= set(rates.columns)
    assert len(checks) + len(rates) == cli_report["summary"]["checks"]
    assert (checks["verdict"] == "pass").sum() + (rates["verdict"] == "pass").sum() == cli_report["summary"]["pass"]
    assert "T" in cases.columns  # a swept parameter is a column of its own


def block_import(monkeypatch, module):
    real_import = builtins.__import__

    def blocked(name, *args, **kwargs):
        if name == module or name.startswith(module + "."):
            raise ImportError(f"No module named {module!r} (blocked by the test)")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", blocked)


def test_tables_without_pandas(smoke, monkeypatch):
    _, _, report = smoke
    block_import(monkeypatch, "pandas")
    checks = report.checks
    assert isinstance(checks, list) and isinstance(checks[0], dict) and "verdict" in checks[0]
    assert isinstance(report.cases, list) and isinstance(report.rate_claims, list)
    assert isinstance(diffbound.bounds(), list)


def test_out_writes_the_report_and_none_writes_nothing(root, tmp_path):
    suite = tmp_path / "tiny.toml"
    suite.write_text("""[suite]
name = "tiny"
[[case]]
checks = ["chain-rule"]
[case.target]
family = "gaussian"
dim = 2
spectrum = "geometric"
kappa = 3.0
[case.schedule]
kind = "etc"
steps = [10, 20]
[case.sampler]
kind = "ddpm"
variance = "theory"
""")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        report = diffbound.run(suite)
        assert sorted(os.listdir(tmp_path)) == ["tiny.toml"]  # no out: nothing written
    finally:
        os.chdir(cwd)
    assert report.exit_status == 0 and report.summary["pass"] == 2
    out = tmp_path / "out"
    diffbound.run([suite], out=out)
    assert {"report.json", "report.md", "junit.xml", "index.html"} <= set(os.listdir(out))
    assert json.loads((out / "report.json").read_text())["summary"] == report.summary


def test_bad_options_messages_equal_the_cli(root, program, tmp_path):
    suite = root / SMOKE
    cases = [(["--jobs", "-1"], {"jobs": -1}), (["--max-digits", "5"], {"max_digits": 5}),
             (["--out", suite], {"out": suite})]
    for args, kwargs in cases:
        status, _, err = cli(program, "run", suite, *args)
        assert status == 2
        with pytest.raises(ValueError) as e:
            diffbound.run(suite, **kwargs)
        assert str(e.value) == err[len("diffbound run: error: "):].rstrip("\n")
    status, _, err = cli(program, "run", tmp_path / "none.toml", "--out", tmp_path / "o")
    with pytest.raises(ValueError) as e:
        diffbound.run(tmp_path / "none.toml")
    assert status == 2 and str(e.value) == err[len("diffbound run: error: "):].rstrip("\n")
    assert not (tmp_path / "o").exists()


def test_bounds_as_the_cli_lists_them(program):
    import pandas  # installed by scripts/install-deps: its absence is a failure, not a skip
    table = diffbound.bounds()
    assert isinstance(table, pandas.DataFrame)
    assert list(table.columns) == ["id", "kind", "metric", "measured", "provenance", "citation", "description"]
    _, out, _ = cli(program, "list", "bounds")
    assert list(table["id"]) == [line.split()[0] for line in out.splitlines() if line.strip()]
    assert set(table["provenance"]) <= {"standard", "paper", "read", "read-secondary", "authors-code", "shape-only", "user"}


def test_renderings_are_the_clis(smoke, program, tmp_path):
    """to_latex / to_csv / to_markdown are `diffbound report --format ...` of the same report, byte for byte."""
    report = smoke[2]
    path = tmp_path / "report.json"
    path.write_text(report._text)
    for fmt, method in (("latex", report.to_latex), ("csv", report.to_csv), ("md", report.to_markdown)):
        status, out, err = cli(program, "report", path, "--format", fmt, "-o", tmp_path / ("r." + fmt))
        assert status == 0, err
        assert method() == (tmp_path / ("r." + fmt)).read_bytes().decode(), fmt
    tex = report.to_latex()
    assert r"\toprule" in tex and r"\bottomrule" in tex and "chain-rule" in tex
    with pytest.raises(ValueError, match="unknown report format"):
        diffbound._diffbound.render(report._text, "xlsx")


def test_repr_html(smoke):
    report = smoke[2]
    html = report._repr_html_()
    assert html.startswith("<p>diffbound report: ") and "<table>" in html
    assert html.count("<tr>") == 1 + len(report.checks)
    assert "exit status 0" in html


def test_plot(smoke, tmp_path):
    report = smoke[2]
    import matplotlib
    matplotlib.use("Agg")
    assert report.plots
    path = tmp_path / "kl.png"
    ax = report.plot(0, path=path)
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert len(ax.get_lines()) >= 2  # the exact KL and at least one bound
    assert path.stat().st_size > 1000
    with pytest.raises(ValueError, match="plot = nope: no such plot"):
        report.plot("nope")


def test_plot_without_matplotlib(smoke, monkeypatch):
    block_import(monkeypatch, "matplotlib")
    with pytest.raises(ImportError, match="Report.plot needs matplotlib"):
        smoke[2].plot()
