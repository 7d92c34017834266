"""Dates read the Dutch way in both languages: day first, 24-hour clock."""

from datetime import datetime

from django.utils import formats, translation


def test_english_dates_are_day_first_with_a_24_hour_clock():
    moment = datetime(2026, 11, 30, 21, 3)
    with translation.override("en"):
        assert formats.date_format(moment, "DATETIME_FORMAT") == "30 Nov 2026, 21:03"
    with translation.override("nl"):
        assert formats.date_format(moment, "DATETIME_FORMAT") == "30 november 2026 21:03"
