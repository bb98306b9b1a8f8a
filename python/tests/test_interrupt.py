"""Ctrl-C (SIGINT) stops run() promptly with KeyboardInterrupt and nothing written (the GIL test is in
test_run.py)."""
import os
import signal
import threading
import time

import pytest

import diffbound

# ~5 s on one core, 600+ computations of milliseconds each: an interrupt after 0.5 s leaves most undone
LONG = "suites/explicit-constants.toml"


def test_sigint_interrupts_run(root, tmp_path):
    out = tmp_path / "out"
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    start = time.monotonic()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            diffbound.run(root / LONG, jobs=1, out=out)
    finally:
        timer.cancel()
    elapsed = time.monotonic() - start
    assert elapsed < 3.0, f"KeyboardInterrupt came {elapsed:.2f} s after the start (SIGINT at 0.5 s)"
    assert not out.exists()  # an interrupted run writes nothing
    # the module still works after an interrupt
    assert diffbound.kl(root / "examples" / "gaussian.toml").kl.certified
