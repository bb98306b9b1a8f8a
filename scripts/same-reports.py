#!/usr/bin/env python3
# Two runs of every suite give the same report: usage
#   for s in suites/*.toml; do n=$(basename $s .toml); diffbound run $s --out REF-$n --quiet > REF-$n.stdout 2> REF-$n.stderr; done
#   diffbound list bounds > REF-list-bounds.txt   (the same with NEW, from the other build), then
#   scripts/same-reports.py REF NEW
# compares report.json (timings, "started" and the revision removed), stdout and stderr (the run's
# duration and output directory aside) and the bound list; exits 1 on any difference.
import json, sys, os, glob, re
ref, new = sys.argv[1], sys.argv[2]   # prefixes, e.g. /tmp/ts-ref/ts-ref /tmp/ts-new/ts-new
DROP = {"seconds", "started", "revision"}
def strip(x):
    if isinstance(x, dict): return {k: strip(v) for k, v in x.items() if k not in DROP}
    if isinstance(x, list): return [strip(v) for v in x]
    return x
names = sorted(os.path.basename(d)[len(os.path.basename(ref)) + 1:] for d in glob.glob(ref + "-*") if os.path.isdir(d))
bad = 0
for n in names:
    a = strip(json.load(open(f"{ref}-{n}/report.json"))); b = strip(json.load(open(f"{new}-{n}/report.json")))
    same = a == b
    for ext in ("stdout", "stderr"):
        # the run's duration and its output directory aside
        text = lambda p, pre: re.sub(r"^(diffbound: .*\)) in .* s$", r"\1 in ? s", open(p).read().replace(pre, "OUT"), flags=re.M)
        if text(f"{ref}-{n}.{ext}", ref) != text(f"{new}-{n}.{ext}", new): print(f"{n}: {ext} differs"); same = False
    print(f"{n}: {'identical' if same else 'DIFFERENT'} ({len(a['cases'])} cases)")
    bad += not same
la, lb = open(ref + "-list-bounds.txt").read(), open(new + "-list-bounds.txt").read()
print("list bounds:", "identical" if la == lb else "DIFFERENT"); bad += la != lb
print(f"{len(names)} suites compared, {bad} different")
sys.exit(1 if bad else 0)
