#!/usr/bin/python3
"""Validates diffbound's JSON output against docs/report.schema.json and docs/kl.schema.json.

Runs the shipped suites named (tests/schema/CMakeLists.txt splits them into two ctest entries, every suite
in one of them), validates each report.json, and `diffbound kl --json` of every examples/*.toml.
Then checks that the schema is not vacuous: a report with a wrong verdict string must be rejected.
Needs python3-jsonschema (scripts/install-deps); without it this test fails, it does not skip.

usage: validate_schemas.py DIFFBOUND SOURCE_DIR WORK_DIR SUITE...
"""
import copy
import glob
import json
import os
import subprocess
import sys

try:
    import jsonschema
except ImportError:
    sys.exit("error: python3-jsonschema is not installed (scripts/install-deps installs it); the schema test cannot run")


def validator(path):
    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def errors_of(v, instance):
    return ["%s: %s" % ("/".join(str(p) for p in e.absolute_path) or "(root)", e.message) for e in v.iter_errors(instance)]


def run(cmd):
    # the CI's own GitHub Actions variables must not reach these runs (annotations, the step summary)
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY")}
    return subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def main():
    diffbound, source, work = sys.argv[1:4]
    suites = sys.argv[4:]
    report_schema = validator(os.path.join(source, "docs", "report.schema.json"))
    kl_schema = validator(os.path.join(source, "docs", "kl.schema.json"))
    failures = []
    reports = []
    for name in suites:
        out = os.path.join(work, name)
        r = run([diffbound, "run", os.path.join(source, "suites", name + ".toml"), "--out", out, "--quiet", "--jobs", "2"])
        if r.returncode not in (0, 1, 3):
            failures.append("suite %s: diffbound run exited %d: %s" % (name, r.returncode, r.stderr.strip()))
            continue
        with open(os.path.join(out, "report.json"), encoding="utf-8") as f:
            report = json.load(f)
        reports.append(report)
        errs = errors_of(report_schema, report)
        failures += ["suites/%s.toml report.json: %s" % (name, e) for e in errs[:20]]
        print("report.json of suites/%s.toml: %d cases, %s" % (name, len(report["cases"]), "valid" if not errs else "%d errors" % len(errs)))
    for case in sorted(glob.glob(os.path.join(source, "examples", "*.toml"))):
        r = run([diffbound, "kl", case, "--json"])
        if r.returncode != 0:
            failures.append("%s: diffbound kl exited %d: %s" % (case, r.returncode, r.stderr.strip()))
            continue
        errs = errors_of(kl_schema, json.loads(r.stdout))
        failures += ["kl --json of %s: %s" % (case, e) for e in errs[:20]]
        print("kl --json of %s: %s" % (os.path.relpath(case, source), "valid" if not errs else "%d errors" % len(errs)))

    # the schemas must reject what the format does not allow
    checked = [r for r in reports if any(c["checks"] for c in r["cases"])]
    if not checked:
        failures.append("no report with a case check to test the schema's strictness on")
    else:
        bad = copy.deepcopy(checked[0])
        next(c for c in bad["cases"] if c["checks"])["checks"][0]["verdict"] = "passed"
        if not errors_of(report_schema, bad):
            failures.append("the report schema accepts the verdict \"passed\"")
        bad = copy.deepcopy(checked[0])
        del bad["summary"]["exit_status"]
        if not errors_of(report_schema, bad):
            failures.append("the report schema accepts a summary without exit_status")
    for f in failures:
        print("FAIL " + f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
