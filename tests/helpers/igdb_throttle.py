"""IGDB's throttle on a hand-moved clock, for tests that check the spacing IGDB sees exactly."""

from __future__ import annotations

from romm_comm.igdb.throttle import WindowThrottle

from .clock import Clock
from .waiting import eventually


class SteppedThrottle:
    """A WindowThrottle whose clock moves only when it waits for the next window, and only
    once every request it let through was answered: give `clock` to the simulator's
    `rate_clock` too and neither the machine's load nor the order answers come in matter."""

    def __init__(self, per_window: int = 4) -> None:
        self.clock = Clock(0.0)  # at a large "now" a float sum can miss the window's end
        self.windows = 0  # how often it waited for the next window
        self.throttle = WindowThrottle(per_window, clock=self.clock, sleep=self._wait)

    async def _wait(self, seconds: float) -> None:
        self.windows += 1
        await eventually(lambda: self.throttle.in_flight == 0, what="the window's answers")
        self.clock.advance(seconds)
