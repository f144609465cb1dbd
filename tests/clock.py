"""The tests' clock: a fixture that freezes ``django.utils.timezone.now`` at a fixed moment.

A test world declares its own moment once: ``frozen = frozen_at(NOW)`` (``autouse=True`` for a module whose every
test reads pages); a test that takes the ``frozen`` fixture sees pages and services read NOW, whatever the real date
and time. Services take ``now=`` themselves; this is for what reads the clock on its own (pages, default arguments)."""
import pytest
from django.utils import timezone


def frozen_at(moment, *, autouse: bool = False):
    @pytest.fixture(autouse=autouse)
    def frozen(monkeypatch):
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    frozen.__doc__ = f"timezone.now() says {moment.isoformat()}"
    return frozen
