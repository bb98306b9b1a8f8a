"""diffbound: exact KL / W2 / TV between a target and a diffusion sampler's output, and published bounds
checked against them (https://... see README.md, "Python").

    >>> import diffbound
    >>> r = diffbound.kl("examples/gaussian.toml")
    >>> r.kl.value, r.kl.lo_str, r.kl.certified
    >>> rep = diffbound.run("suites/smoke.toml")
    >>> rep.summary, rep.checks.head()

Every number comes from the same C++ functions as the command-line program: ``kl(case)`` returns the object
``diffbound kl CASE --json`` prints, ``run(suites)`` the ``report.json`` of ``diffbound run``
(docs/report-format.md). Bad input raises ValueError with the CLI's message (naming the field and the value);
other failures raise RuntimeError. The computations release the GIL; Ctrl-C stops ``kl()`` and ``run()`` at the
engine's next time step (numerics/cancellation.hpp) and raises KeyboardInterrupt.
"""

import json
import os

from . import _diffbound

__version__ = _diffbound.version
__revision__ = _diffbound.revision  # git revision of the build, as `diffbound --version` prints it
__all__ = ["kl", "run", "bounds", "KlResult", "Report", "Record", "__version__", "__revision__"]


class Record(dict):
    """A JSON object: a dict whose keys are also attributes (``r.kl.lo`` is ``r["kl"]["lo"]``)."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"no field {name!r} (fields: {', '.join(self)})") from None

    def __dir__(self):
        return list(super().__dir__()) + [k for k in self if k.isidentifier()]


def _records(text):
    return json.loads(text, object_hook=Record)


class KlResult(Record):
    """Every number of ``diffbound kl CASE --json``: ``r.kl`` (value, lo, hi, value_str, lo_str, hi_str,
    finite, certified, method), ``r.w2``, ``r.kl_q0_gamma``, ``r.decomposition``, ``r.tv``, ``r.descriptors``,
    ``r.engine``, ``r.case``; enclosures carry their exact decimal strings (``lo_str``, ``hi_str``)."""

    def __init__(self, text):
        super().__init__(_records(text))
        self._text = text

    @property
    def json(self):
        """The object as plain dicts (what ``kl --json`` prints, parsed)."""
        return json.loads(self._text)

    def to_dict(self):
        return self.json


def _is_case_path(case):
    # os.PathLike is always a path; a str is a path when it names an existing file or, on one line, ends in
    # ".toml" (so a mistyped file name is reported as "no such file", not as a TOML syntax error); any other
    # str is TOML text.
    if isinstance(case, os.PathLike):
        return True
    if not isinstance(case, str) or "\n" in case:
        return False
    return os.path.isfile(case) or case.endswith(".toml")


def kl(case):
    """Exact KL(Q_t_out || P_t_out) and everything ``diffbound kl CASE --json`` prints, for one case.

    ``case`` is a path (str or os.PathLike) of a case file, the text of one (a str is a path when it names an
    existing file or is one line ending in ".toml"; any other str is read as TOML), or a dict of its tables (``{"target": {"kind": "gaussian", "dim": 3},
    ...}``; floats are written as their repr, ``decimal.Decimal`` as its exact decimal text). The keys are
    those of docs/case-file.md."""
    if isinstance(case, dict):
        return KlResult(_diffbound.kl_dict(case))
    if _is_case_path(case):
        return KlResult(_diffbound.kl_file(os.fspath(case)))
    if isinstance(case, str):
        return KlResult(_diffbound.kl_text(case))
    raise TypeError(f"diffbound.kl: case must be a dict, a TOML string or a path, not {type(case).__name__}")


def _pandas():
    try:
        import pandas
    except ImportError:
        return None
    return pandas


def _table(rows):
    pandas = _pandas()
    return pandas.DataFrame(rows) if pandas is not None else rows


def _number(q, key="value"):
    """A JSON enclosure's double (None when infinite or beyond the double range: see the *_str field)."""
    return None if q is None else q.get(key)


class Report:
    """The result of ``run()``: ``report.json`` (docs/report-format.md) with tables for analysis.

    ``cases``, ``checks``, ``rate_claims``: pandas DataFrames when pandas is importable, lists of dicts
    otherwise; ``summary`` (counts per verdict, the exit status); ``exit_status`` (what ``diffbound run`` exits
    with); ``json`` (the report as dicts); ``to_latex()``, ``to_csv()``, ``to_markdown()`` (the CLI's renderers);
    ``plot()``; an HTML table in Jupyter."""

    def __init__(self, text):
        self._text = text
        self._report = json.loads(text)

    @property
    def json(self):
        return json.loads(self._text)

    def to_dict(self):
        return self.json

    @property
    def summary(self):
        return dict(self._report["summary"])

    @property
    def exit_status(self):
        return self._report["summary"]["exit_status"]

    def _case_rows(self):
        rows = []
        for c in self._report["cases"]:
            exact = c.get("exact") or {}
            kl = exact.get("kl")
            row = {"id": c["id"], "suite": c["suite"], "label": c["label"]}
            row.update(c.get("params", {}))
            row.update({"kl": _number(kl), "kl_lo": _number(kl, "lo"), "kl_hi": _number(kl, "hi"),
                        "kl_str": kl["value_str"] if kl else None, "certified": kl["certified"] if kl else None,
                        "w2": _number(exact.get("w2")), "error": c.get("error")})
            rows.append(row)
        return rows

    def _check_rows(self):
        rows = []
        for c in self._report["cases"]:
            for k in c.get("checks", []):
                expected = k.get("expected")
                m, b = k.get("measured"), k.get("bound_value")
                rows.append({"case": c["id"], "label": c["label"], "bound": k["bound"], "kind": k["kind"],
                             "metric": k["metric"], "provenance": k["provenance"], "verdict": k["verdict"],
                             "expected": expected["verdict"] if expected else None,
                             "measured": _number(m), "measured_lo": _number(m, "lo"), "measured_hi": _number(m, "hi"),
                             "bound_value": _number(b), "bound_lo": _number(b, "lo"), "bound_hi": _number(b, "hi"),
                             "ratio": k.get("ratio"), "reason": k.get("reason", ""), "enclosure": k.get("enclosure"),
                             "message": k.get("message", "")})
        return rows

    def _rate_rows(self):
        keys = ["id", "suite", "bound", "provenance", "variable", "group", "fitted_exponent", "kl_exponent",
                "implied_constant", "tolerance", "verdict", "reason", "measured", "message"]
        return [{k: r.get(k) for k in keys} | {"points": len(r.get("points", []))} for r in self._report.get("rates", [])]

    @property
    def cases(self):
        """One row per case: id, suite, label, its swept parameters, kl (value, lo, hi, exact text), w2, error."""
        return _table(self._case_rows())

    @property
    def checks(self):
        """One row per case x rigorous check: bound, verdict, measured and bound enclosures, reason, message."""
        return _table(self._check_rows())

    @property
    def rate_claims(self):
        """One row per rate claim x sweep group: fitted exponents, implied constant, verdict."""
        return _table(self._rate_rows())

    @property
    def plots(self):
        """The ids of the report's plots (what ``plot()`` draws)."""
        return [p["id"] for p in self._report.get("plots", [])]

    def plot(self, which=0, ax=None, path=None):
        """Draws report plot ``which`` (an index or an id of ``plots``: KL against the swept variable, exact
        KL and each bound's curve) log-log with matplotlib; saves it to ``path`` when given; returns the Axes."""
        try:
            import matplotlib
            if ax is None and path is not None and "matplotlib.pyplot" not in __import__("sys").modules:
                matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError as e:
            raise ImportError("Report.plot needs matplotlib (Debian: apt-get install python3-matplotlib)") from e
        plots = self._report.get("plots", [])
        if not plots:
            raise ValueError("plot: this report has no plots (a suite draws one per sweep group)")
        if isinstance(which, str):
            found = [p for p in plots if p["id"] == which]
            if not found:
                raise ValueError(f"plot = {which}: no such plot; known: {', '.join(p['id'] for p in plots)}")
            spec = found[0]
        else:
            if not 0 <= which < len(plots):
                raise ValueError(f"plot = {which}: must be an index from 0 to {len(plots) - 1}")
            spec = plots[which]
        if ax is None:
            _, ax = plt.subplots()
        for curve in spec["curves"]:
            pts = [(x, y) for x, y in curve["points"] if x is not None and y is not None and x > 0 and y > 0]
            if not pts:
                continue
            style = "o-" if curve.get("kind") == "exact" else "--"
            ax.plot([p[0] for p in pts], [p[1] for p in pts], style, label=curve["label"])
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(spec.get("x_label", ""))
        ax.set_ylabel(spec.get("y_label", ""))
        ax.set_title(spec.get("title", ""))
        ax.legend(fontsize="small")
        if path is not None:
            ax.figure.savefig(path, bbox_inches="tight")
        return ax

    def to_latex(self):
        """The report as ``diffbound report --format latex`` writes it: booktabs tables of the checks and of the
        rate claims (fitted exponents, implied constants), every text escaped."""
        return _diffbound.render(self._text, "latex")

    def to_csv(self):
        """``diffbound report --format csv``: a row per case x check, every swept key a column, exact digits."""
        return _diffbound.render(self._text, "csv")

    def to_markdown(self):
        """``diffbound report --format md``: report.md."""
        return _diffbound.render(self._text, "md")

    def _repr_html_(self):
        import html
        s = self._report["summary"]
        head = (f"<p>diffbound report: {s['cases']} cases, {s['checks']} checks: {s.get('pass', 0)} pass, "
                f"{s.get('fail', 0)} fail, {s.get('inconclusive', 0)} inconclusive; exit status {s['exit_status']}</p>")
        cells = ["<tr><th>case</th><th>bound</th><th>verdict</th><th>measured</th><th>bound value</th></tr>"]
        for c in self._report["cases"]:
            for k in c.get("checks", []):
                m, b = k.get("measured") or {}, k.get("bound_value") or {}
                cells.append("<tr>" + "".join(f"<td>{html.escape(str(x))}</td>" for x in
                             (c["label"], k["bound"], _verdict_text(k), m.get("value_str", ""), b.get("value_str", ""))) + "</tr>")
        return head + "<table>" + "".join(cells) + "</table>"

    def __repr__(self):
        s = self._report["summary"]
        return (f"<diffbound.Report {s['cases']} cases, {s['checks']} checks: {s.get('pass', 0)} pass, "
                f"{s.get('fail', 0)} fail, {s.get('inconclusive', 0)} inconclusive; exit status {s['exit_status']}>")


def _verdict_text(check):
    """The verdict as the reports render it: "pass (estimated)", "fail (expected)"."""
    v = check["verdict"]
    expected = check.get("expected")
    if expected:
        v += " (expected)" if expected.get("met") else f" ({expected.get('reason')}: expected {expected.get('verdict')})"
    elif v == "pass" and check.get("enclosure") == "estimated":
        v += " (estimated)"
    return v


def run(suites, jobs=None, out=None, *, baseline=None, write_baseline=None, fail_on_inconclusive=False,
        max_digits=160, progress=False):
    """Runs suite files as ``diffbound run`` does and returns a Report.

    ``suites``: a path or a list of paths. ``jobs``: computations in parallel (None or 0: all cores). ``out``:
    a report directory to write (report.json, report.md, junit.xml, index.html; written only when the run
    completes); None writes nothing. The keywords are ``run``'s options (--baseline, --write-baseline,
    --fail-on-inconclusive, --max-digits; ``progress`` prints the progress on stderr). Ctrl-C stops the run at
    the engines' next time step and raises KeyboardInterrupt; nothing is written then."""
    if isinstance(suites, (str, os.PathLike)):
        suites = [suites]
    paths = [os.fspath(s) for s in suites]
    if not paths:
        raise ValueError("suites = []: name at least one suite file")
    text = _diffbound.run(paths, "0" if jobs is None else str(jobs), None if out is None else os.fspath(out),
                          str(max_digits), "" if baseline is None else os.fspath(baseline),
                          "" if write_baseline is None else os.fspath(write_baseline), bool(fail_on_inconclusive),
                          bool(progress))
    return Report(text)


def bounds():
    """The built-in bounds as ``diffbound list bounds`` lists them: id, kind, metric, measured, provenance,
    citation, description (a DataFrame when pandas is importable, a list of dicts otherwise)."""
    return _table(_diffbound.bounds())
