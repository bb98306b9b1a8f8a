"""A suite with diffbound.run: the smoke suite's verdicts as tables, the summary, a LaTeX table and a plot.

    PYTHONPATH=build/python /usr/bin/python3 examples/python/suite.py
"""
import pathlib

import diffbound

root = pathlib.Path(__file__).resolve().parents[2]
report = diffbound.run(root / "suites" / "smoke.toml")
print(report)
print(report.summary)
checks = report.checks
try:
    print(checks[["label", "bound", "verdict", "measured", "bound_value"]].head(8).to_string(index=False))
except TypeError:  # no pandas: a list of dicts
    for row in checks[:8]:
        print(row["label"], row["bound"], row["verdict"])
tex = report.to_latex()  # booktabs tables, as `diffbound report --format latex`
print("\n".join(tex.splitlines()[:8]))
try:
    import matplotlib
    matplotlib.use("Agg")
    report.plot(0, path="smoke-plot.png")
    print("plot written: smoke-plot.png")
except ImportError as e:
    print(e)
