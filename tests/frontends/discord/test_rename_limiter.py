"""The rename limiter on its own: at most N renames per window per channel, newest wins."""

from __future__ import annotations

import pytest

from romm_comm.frontends.discord.rename_limiter import RenameLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_two_renames_go_out_then_the_third_waits_for_the_window(clock: Clock) -> None:
    limiter: RenameLimiter[int] = RenameLimiter(2, 600, clock)
    for name in ("ROMs: 1", "ROMs: 2"):
        limiter.want(1, name)
        assert limiter.ready() == [(1, name)]
        limiter.sent(1, name)
        clock.now += 10
    limiter.want(1, "ROMs: 3")
    assert limiter.ready() == []
    assert limiter.next_due() == pytest.approx(580)  # first rename at 1000, window 600
    clock.now = 1600
    assert limiter.ready() == [(1, "ROMs: 3")]


def test_waiting_values_are_coalesced_to_the_newest(clock: Clock) -> None:
    limiter: RenameLimiter[int] = RenameLimiter(1, 600, clock)
    limiter.want(1, "a")
    limiter.sent(1, "a")
    for name in ("b", "c", "d"):
        limiter.want(1, name)
    clock.now += 600
    assert limiter.ready() == [(1, "d")]
    limiter.sent(1, "d")
    assert limiter.ready() == [] and limiter.next_due() is None


def test_channels_are_limited_independently(clock: Clock) -> None:
    limiter: RenameLimiter[int] = RenameLimiter(1, 600, clock)
    limiter.want(1, "a")
    limiter.sent(1, "a")
    limiter.want(1, "a2")
    limiter.want(2, "b")
    assert limiter.ready() == [(2, "b")]


def test_a_429_blocks_the_channel_for_its_retry_after(clock: Clock) -> None:
    limiter: RenameLimiter[int] = RenameLimiter(2, 600, clock)
    limiter.want(1, "a")
    limiter.blocked(1, 120)
    assert limiter.ready() == []
    assert limiter.next_due() == pytest.approx(120)
    clock.now += 120
    assert limiter.ready() == [(1, "a")]


def test_a_newer_wish_during_a_rename_stays_pending(clock: Clock) -> None:
    limiter: RenameLimiter[int] = RenameLimiter(2, 600, clock)
    limiter.want(1, "a")
    limiter.want(1, "b")  # arrives while "a" is on the wire
    limiter.sent(1, "a")
    assert limiter.pending(1) == "b"
    assert limiter.renames_in_window(1) == 1


def test_invalid_limits_are_refused() -> None:
    with pytest.raises(ValueError):
        RenameLimiter(0, 600)
