import datetime

import pytest
from django.utils import timezone

from stuurwiel.core import clock


def test_now_is_the_current_time_outside_a_block():
    before = timezone.now()
    assert before <= clock.now() <= timezone.now()


def test_a_block_sets_the_time_and_nesting_restores_it():
    first = datetime.datetime(2026, 3, 29, 1, 30, tzinfo=datetime.UTC)
    second = first + datetime.timedelta(hours=2)
    with clock.at(first):
        assert clock.now() == first
        with clock.at(second):
            assert clock.now() == second
        assert clock.now() == first
    assert clock.now() != first


def test_a_naive_instant_is_refused():
    with pytest.raises(ValueError), clock.at(datetime.datetime(2026, 1, 1)):
        pass
