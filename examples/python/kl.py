"""One case with diffbound.kl: the exact KL of DDPM on a 3-D Gaussian, from the case file, then a sweep over
the number of steps with the case as a dict (keys: docs/case-file.md).

    PYTHONPATH=build/python /usr/bin/python3 examples/python/kl.py
"""
import pathlib
import tomllib

import diffbound

case_file = pathlib.Path(__file__).resolve().parents[1] / "gaussian.toml"
r = diffbound.kl(case_file)
print(f"KL = {r.kl.value:.6g}  in [{r.kl.lo_str[:22]}..., {r.kl.hi_str[:22]}...]  certified: {r.kl.certified}")
print(f"E_T = {r.decomposition.E_T.value:.6g}, D_T = {r.decomposition.D_T.value:.6g}, B_T = {r.decomposition.B_T.value:.6g}")

case = tomllib.loads(case_file.read_text())
for steps in (50, 100, 200, 400):
    case["schedule"]["steps"] = steps
    print(f"T = {steps:4d}  KL = {diffbound.kl(case).kl.value:.6e}")
