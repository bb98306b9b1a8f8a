#!/usr/bin/env python3
"""Compares `diffbound kl` with the independent reference values in ../shared/reference/gaussian.jsonl.

The reference read its inputs as binary doubles (mpmath from Python floats), so this script writes each
float input as the exact decimal expansion of the double. Usage: scripts/check-reference.py BUILD/cli/diffbound [REF]
"""
import json, subprocess, sys, tempfile
from decimal import Decimal

exe = sys.argv[1]
ref = sys.argv[2] if len(sys.argv) > 2 else "../shared/reference/gaussian.jsonl"

def val(v):
    if isinstance(v, bool): return "true" if v else "false"
    if isinstance(v, float): return str(Decimal(v))
    if isinstance(v, str): return json.dumps(v)
    if isinstance(v, list): return "[" + ", ".join(val(x) for x in v) + "]"
    return str(v)

def table(name, d):
    return f"[{name}]\n" + "".join(f"{k} = {val(v)}\n" for k, v in d.items())

worst = 0.0
for line in open(ref):
    j = json.loads(line)
    c = j["case"]
    text = "".join(table(k, v) for k, v in c.items()) + '[numerics]\nprecision = "mpfr"\ndigits = 40\n'
    with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
        f.write(text)
    out = subprocess.run([exe, "kl", f.name, "--json"], capture_output=True, text=True)
    if out.returncode != 0:
        print("FAILED", c, out.stderr); continue
    r = json.loads(out.stdout)
    got = {"kl": r["kl"], "kl_q0_gamma": r["kl_q0_gamma"], "E_T": r["decomposition"]["E_T"],
           "D_T": r["decomposition"]["D_T"], "B_T": r["decomposition"]["B_T"]}
    row = []
    for k, v in j["expected"].items():
        e = Decimal(v); g = Decimal(got[k]["value_str"]) if got[k] else None
        rel = abs(g - e) / abs(e) if e != 0 else abs(g)
        worst = max(worst, float(rel)) if k != "E_T" else worst
        row.append(f"{k}={float(rel):.1e}")
    desc = f'{c["schedule"]["kind"]:7} T={c["schedule"]["steps"]:4} {c["sampler"]["kind"]:12} {c["sampler"].get("variance",""):8} {c["score"]["kind"]}'
    print(desc, " ".join(row))
print("worst relative difference (excluding E_T):", worst)
