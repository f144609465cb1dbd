"""Loaded by every Python process of ``scripts/test_clocks.sh`` (it puts this folder on PYTHONPATH).

libfaketime 0.9.10 (Debian) cannot both keep Python's timed waits and its sleep working: with the monotonic
clock faked, ``Lock.acquire(timeout=…)`` and ``Event.wait(…)`` hang (glibc's ``sem_clockwait`` is not
intercepted), and with it left real (FAKETIME_DONT_FAKE_MONOTONIC=1, what the script uses) ``time.sleep``
fails with EINVAL (its absolute ``clock_nanosleep`` deadline is shifted by the offset). So sleep here with
``select``, which takes a relative timeout and which libfaketime leaves alone. Only the wall clock is fake."""
import select
import time


def _sleep(seconds):
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    select.select([], [], [], seconds)


time.sleep = _sleep
