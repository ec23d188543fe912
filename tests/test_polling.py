"""The status-check schedule: few calls for long backups, prompt notice of Ready."""

from __future__ import annotations

import pytest

from pinecone_backup.api import NotFoundError, RateLimitedError, ServerError, TransportError
from pinecone_backup.core.lifecycle import DEFAULT_POLL_INTERVAL
from pinecone_backup.core.polling import MAX_PAUSE, PollSchedule, format_duration, next_check, wait_until


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


@pytest.mark.parametrize(
    ("pause", "text"), [(0.2, ""), (0.99, ""), (1.0, ", next check in 1s"), (25.4, ", next check in 25s")]
)
def test_a_pause_under_a_second_is_not_shown_as_0s(pause, text):
    assert next_check(pause) == text


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_transient_check_failures_do_not_end_the_wait():
    clock = FakeClock()
    answers = iter(
        [
            RateLimitedError(429, "RESOURCE_EXHAUSTED", "slow down", retry_after=30),
            ServerError(503, "UNAVAILABLE", "try later"),
            TransportError("GET /backups/b got no answer"),
            "Ready",
        ]
    )

    def check() -> str:
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    result = wait_until(
        check,
        "Initializing",
        PollSchedule(1.0, 3600),
        done=lambda status: status == "Ready",
        failed=lambda status: status == "Failed",
        subject="backup b",
        status=str,
        clock=lambda: clock.now,
        sleep=clock.sleep,
    )
    assert result == "Ready"
    assert clock.sleeps[1] >= 30  # the pause after the 429 honours its Retry-After


def test_a_real_error_during_the_wait_is_not_swallowed():
    def check() -> str:
        raise NotFoundError(404, "NOT_FOUND", "Backup b not found.")

    with pytest.raises(NotFoundError):
        wait_until(
            check,
            "Initializing",
            PollSchedule(1.0, 3600),
            done=lambda status: status == "Ready",
            failed=lambda status: False,
            subject="backup b",
            status=str,
            sleep=lambda _seconds: None,
        )
