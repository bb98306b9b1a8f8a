"""`pip install --no-build-isolation .` from the repository: into a temporary --target, reusing the build
folder ctest runs in (DIFFBOUND_BUILD_DIR; setup.py then only builds the target _diffbound), then imported
from there by a fresh interpreter."""
import os
import subprocess
import sys

import pytest


def test_pip_install_into_a_target(root, tmp_path):
    build = os.environ.get("DIFFBOUND_BUILD_DIR")
    if not build:
        pytest.fail("DIFFBOUND_BUILD_DIR is not set (ctest sets it to the build folder)")
    site = tmp_path / "site"
    env = dict(os.environ, DIFFBOUND_BUILD_DIR=build, PIP_NO_INPUT="1")
    env.pop("PYTHONPATH", None)
    p = subprocess.run([sys.executable, "-m", "pip", "install", "--no-build-isolation", "--no-deps", "--no-index",
                        "--disable-pip-version-check", "--target", str(site), str(root)],
                       env=env, capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    assert list((site / "diffbound").glob("_diffbound*.so"))
    code = ("import diffbound, sys; r = diffbound.kl(sys.argv[1]); "
            "print(diffbound.__file__); print(r.kl.certified, diffbound.__version__)")
    q = subprocess.run([sys.executable, "-c", code, str(root / "examples" / "gaussian.toml")], cwd=tmp_path,
                       env=dict(env, PYTHONPATH=str(site)), capture_output=True, text=True)
    assert q.returncode == 0, q.stderr
    file, line = q.stdout.splitlines()
    assert file.startswith(str(site))  # the installed package, not the build's
    assert line.startswith("True ")
