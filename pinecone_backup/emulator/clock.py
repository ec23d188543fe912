"""Timestamps, and the accelerated calendar backup schedules run on.

A schedule's cadence is counted in days, which no test can wait for. Each schedule therefore runs
on its own calendar: it starts at the wall-clock time the schedule was made and advances
`SECONDS_PER_DAY / day_length` calendar seconds per real second (`Faults.day_length`, the real
seconds one schedule day lasts). With the default `day_length` of 86400 the calendar is the wall
clock; with `day_length=0.5` a day passes every half second, and a daily schedule made at 14:00
runs at 06:00 on its calendar (0.33 s later), then every 0.5 s. Everything a schedule reports —
`next_scheduled_run`, the times and names of its runs, its history rows, the `created_at` of the
backups it made — is a time on its calendar; expiry is measured on it too ("retained for N days"
means N of its days). When `day_length` changes, each calendar keeps its current time and goes on
at the new rate.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

SECONDS_PER_DAY = 86_400.0
# The time of day the service picks: every example in the spec and docs runs at 06:00 UTC the
# day after the schedule was made ("created 18:22 -> next 2026-04-03T06:00").
FIRST_RUN_HOUR = 6
# Days between runs. The service documents neither the weekday of a weekly schedule nor the day
# of a monthly one: the emulator counts 7 and 30 days from the first run (a month is its choice).
PERIOD_DAYS = {"daily": 1, "weekly": 7, "monthly": 30}


def rfc3339(epoch: float | None = None) -> str:
    moment = datetime.fromtimestamp(time.time() if epoch is None else epoch, timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def basic_stamp(epoch: float) -> str:
    """ISO 8601 basic format, to the second, as scheduled backups are named ("20260403T060000Z")."""
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def first_run_after(epoch: float) -> float:
    """The first FIRST_RUN_HOUR:00 UTC strictly after `epoch`."""
    moment = datetime.fromtimestamp(epoch, timezone.utc)
    run = moment.replace(hour=FIRST_RUN_HOUR, minute=0, second=0, microsecond=0)
    if run <= moment:
        run += timedelta(days=1)
    return run.timestamp()


@dataclass(frozen=True)
class ScheduleClock:
    """One schedule's calendar: a line through (origin_real, origin_calendar) with slope
    SECONDS_PER_DAY / day_length. Real times are `time.monotonic()` seconds (as backups' ready
    times are), calendar times epoch seconds."""

    origin_real: float
    origin_calendar: float
    day_length: float

    @classmethod
    def starting_now(cls, day_length: float, real: float) -> ScheduleClock:
        return cls(real, time.time(), day_length)

    def calendar_at(self, real: float) -> float:
        return self.origin_calendar + (real - self.origin_real) * SECONDS_PER_DAY / self.day_length

    def real_at(self, calendar: float) -> float:
        return self.origin_real + (calendar - self.origin_calendar) * self.day_length / SECONDS_PER_DAY

    def rebased(self, real: float, day_length: float) -> ScheduleClock:
        """The same calendar from `real` on, at another rate: no jump, only a new pace."""
        return ScheduleClock(real, self.calendar_at(real), day_length)
