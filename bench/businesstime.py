"""Business duration over a one-day and a one-year span: median µs and their ratio.

Run from the repository root: .venv/bin/python bench/businesstime.py
Office hours with a lunch break, Europe/Amsterdam, the Dutch holidays that are days off.
Each figure is the median over many runs of one business_duration call (warm caches).
"""

import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from stuurwiel.calendars.businesstime import (  # noqa: E402
    Calendar,
    add_business_minutes,
    business_duration,
    dutch_holidays,
)

ZONE = ZoneInfo("Europe/Amsterdam")
ROUNDS, CALLS = 2001, 50


def median_us(call) -> float:
    call()  # warm the offset-change cache
    samples = []
    for _ in range(ROUNDS):
        began = time.perf_counter()
        for _ in range(CALLS):
            call()
        samples.append((time.perf_counter() - began) / CALLS * 1e6)
    return statistics.median(samples)


def main() -> None:
    closed = [row.date for row in dutch_holidays(2020, 2035) if row.active]
    calendar = Calendar(
        {d: [("08:30", "12:00"), ("13:00", "17:00")] for d in range(1, 6)}, closed=closed
    )
    start = datetime(2026, 3, 2, 10, 15, tzinfo=ZONE)
    day = median_us(lambda: business_duration(calendar, start, start + timedelta(days=1)))
    year = median_us(lambda: business_duration(calendar, start, start + timedelta(days=365)))
    add_day = median_us(lambda: add_business_minutes(calendar, start, 450))
    add_year = median_us(lambda: add_business_minutes(calendar, start, 450 * 250))
    ratio = year / day
    print(
        f"business_duration  one day: {day:7.2f} µs   one year: {year:7.2f} µs   ratio {ratio:.2f}"
    )
    print(f"add_business_minutes  one day: {add_day:7.2f} µs   one year: {add_year:7.2f} µs")


if __name__ == "__main__":
    main()
