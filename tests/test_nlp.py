"""The pipeline's loading helpers: leaving a loaded pipeline out of garbage collection while it works."""

import gc

import pytest

from pipeline.nlp import frozen_gc


def test_frozen_gc_freezes_what_is_alive_and_releases_it_on_exit():
    kept = [{"unit": k} for k in range(100)]  # objects alive on entry
    assert gc.get_freeze_count() == 0
    with frozen_gc():
        assert gc.get_freeze_count() >= len(kept)
    assert gc.get_freeze_count() == 0


def test_frozen_gc_releases_on_error():
    with pytest.raises(ValueError), frozen_gc():
        raise ValueError("a document failed")
    assert gc.get_freeze_count() == 0


def test_frozen_gc_lets_garbage_made_inside_be_collected():
    class Node:
        pass

    with frozen_gc():
        cycle = Node()
        cycle.self = cycle  # a cycle made while frozen, then dropped
        del cycle
        assert gc.collect() >= 1
