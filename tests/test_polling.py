"""The status-check schedule: few calls for long backups, prompt notice of Ready."""

from __future__ import annotations

import pytest

from pinecone_backup.inputs import DEFAULT_POLL_INTERVAL
from pinecone_backup.polling import MAX_PAUSE, PollSchedule, format_duration


def checks_until(ready_at: float, schedule: PollSchedule, jitter: float) -> tuple[int, float]:
    """How many checks until one sees a backup Ready at `ready_at`, and when that check happens."""
    now, checks = 0.0, 0
    while now < ready_at:
        now += schedule.pause_after(now, jitter)
        checks += 1
    return checks, now


@pytest.mark.parametrize("jitter", [0.0, 0.5, 1.0])
def test_a_ten_minute_backup_costs_at_most_25_checks(jitter):
    checks, _ = checks_until(600, PollSchedule(DEFAULT_POLL_INTERVAL, 3600), jitter)
    assert checks <= 25


@pytest.mark.parametrize("ready_at", [5, 30, 600, 3600, 5 * 3600])
@pytest.mark.parametrize("jitter", [0.0, 1.0])
def test_ready_is_seen_by_1_1_t_plus_one_floor(ready_at, jitter):
    schedule = PollSchedule(DEFAULT_POLL_INTERVAL, 6 * 3600)
    _, seen_at = checks_until(ready_at, schedule, jitter)
    assert seen_at <= 1.1 * ready_at + DEFAULT_POLL_INTERVAL


def test_pauses_never_exceed_the_cap():
    assert PollSchedule(10, 1e9).pause_after(1e6) == MAX_PAUSE


@pytest.mark.parametrize(("seconds", "text"), [(5, "5s"), (65, "1m05s"), (3725, "1h02m")])
def test_durations_read_well(seconds, text):
    assert format_duration(seconds) == text
