"""A server process tunes the garbage collector, unless told not to.

With thousands of open sockets, CPython's default full collections paused every
room on the process for hundreds of milliseconds (docs/benchmarks.md).
"""

import gc

import pytest
from django.core.exceptions import ImproperlyConfigured

from facilitator import collector


@pytest.fixture
def collector_state():
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_a_server_process_freezes_start_up_objects_and_collects_less_often(
    collector_state, monkeypatch
):
    monkeypatch.delenv("GC_TUNING", raising=False)
    gc.unfreeze()
    gc.set_threshold(700, 10, 10)

    assert collector.tune() is True

    assert gc.get_threshold() == collector.THRESHOLDS
    assert gc.get_freeze_count() > 0


def test_gc_tuning_off_keeps_cpythons_defaults(collector_state, monkeypatch):
    monkeypatch.setenv("GC_TUNING", "0")
    gc.unfreeze()
    gc.set_threshold(700, 10, 10)

    assert collector.tune() is False

    assert gc.get_threshold() == (700, 10, 10)
    assert gc.get_freeze_count() == 0


def test_a_misspelt_gc_tuning_is_refused_with_its_name(collector_state, monkeypatch):
    monkeypatch.setenv("GC_TUNING", "maybe")

    with pytest.raises(ImproperlyConfigured, match="GC_TUNING"):
        collector.tune()
