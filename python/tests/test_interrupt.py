"""Ctrl-C (SIGINT) stops run() and kl() with KeyboardInterrupt, nothing written (the GIL test is in
test_run.py). No timing is asserted: the module reports whether the interrupted computation ended at one of
the engines' cancellation points (numerics/cancellation.hpp) instead of running to its end."""
import os
import signal
import threading

import pytest

import diffbound
from diffbound import _diffbound

# ~5 s on one core, 600+ computations of milliseconds each: an interrupt after 0.5 s leaves most undone
LONG = "suites/explicit-constants.toml"

# one case of tens of seconds (a mixture line over 20000 steps and its refinement study)
SLOW_CASE = """
[target]
family = "mixture"
dim = 1
weights = [0.5, 0.5]
means = [-2.0, 2.0]
variances = [0.1, 0.1]
[schedule]
kind = "etc"
steps = 20000
[sampler]
kind = "ddpm"
"""


def interrupted(call):
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            call()
    finally:
        timer.cancel()


def test_sigint_interrupts_run(root, tmp_path):
    out = tmp_path / "out"
    interrupted(lambda: diffbound.run(root / LONG, jobs=1, out=out))
    assert _diffbound._last_interrupt_stopped_work()  # the pool stopped; the suite did not run to its end
    assert not out.exists()  # an interrupted run writes nothing
    # the module still works after an interrupt
    assert diffbound.kl(root / "examples" / "gaussian.toml").kl.certified


def test_sigint_interrupts_kl_inside_the_engine():
    interrupted(lambda: diffbound.kl(SLOW_CASE))
    assert _diffbound._last_interrupt_stopped_work()  # the mixture engine saw the flag mid-case
    assert diffbound.kl(SLOW_CASE.replace("steps = 20000", "steps = 20")).kl.value > 0
