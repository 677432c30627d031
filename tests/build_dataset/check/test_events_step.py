"""The events' step: runs of the events table's order, built apart, make the table that one
process building every event makes (the bytes are compared in test_shards.py)."""

import gc

import pytest
from hypothesis import given
from hypothesis import strategies as st

from build_dataset.check.events_step import _collecting_new_objects, event_runs


@given(st.integers(0, 10_000), st.integers(1, 3_000))
def test_runs_cover_the_events_once_in_order(count: int, size: int) -> None:
    runs = event_runs(count, size)
    assert [i for start, stop in runs for i in range(start, stop)] == list(range(count))
    assert all(stop - start == size for start, stop in runs[:-1])


def test_the_heap_is_collected_whole_again_after_the_events() -> None:
    """While the events are built the collector passes over new objects only; after, even when
    building them stopped on an error, it passes over every object again."""
    assert gc.get_freeze_count() == 0
    with pytest.raises(RuntimeError), _collecting_new_objects():
        assert gc.get_freeze_count() > 0
        raise RuntimeError
    assert gc.get_freeze_count() == 0
