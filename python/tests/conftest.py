"""Shared fixtures: the repository root and the diffbound program the module's results are compared with."""
import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def program():
    path = os.environ.get("DIFFBOUND_PROGRAM", str(ROOT / "build" / "cli" / "diffbound"))
    if not os.path.exists(path):
        pytest.fail(f"DIFFBOUND_PROGRAM = {path}: no such program (build the target diffbound)")
    return path


def cli(program, *args, check=True):
    """Runs the program; returns (exit status, stdout, stderr)."""
    p = subprocess.run([program, *map(str, args)], capture_output=True, text=True)
    if check and p.returncode not in (0, 1, 2, 3):
        raise AssertionError(f"{program} {' '.join(map(str, args))}: exit {p.returncode}\n{p.stderr}")
    return p.returncode, p.stdout, p.stderr


def cli_json(program, *args):
    status, out, err = cli(program, *args)
    assert status == 0, err
    return json.loads(out)


def without_timings(obj):
    """The object with its wall-clock fields removed (they differ from run to run)."""
    if isinstance(obj, dict):
        return {k: without_timings(v) for k, v in obj.items() if k not in ("seconds", "started")}
    if isinstance(obj, list):
        return [without_timings(v) for v in obj]
    return obj
