"""Start-up problems, one line each, for the admin: logged at WARNING and kept for the log
channel (and for tests). Nothing here stops the bot: it runs whatever still works."""

from __future__ import annotations

import logging
from dataclasses import dataclass

log = logging.getLogger("romm_comm.discord")


@dataclass(frozen=True)
class Problem:
    code: str  # token, guild_missing, members_intent, manage_channels, manage_emojis, romm, ...
    text: str


class Diagnostics:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def report(self, code: str, text: str) -> None:
        problem = Problem(code, text)
        if problem in self.problems:
            return
        self.problems.append(problem)
        log.warning("%s", text)

    def resolve(self, code: str) -> None:
        self.problems = [p for p in self.problems if p.code != code]

    @property
    def codes(self) -> set[str]:
        return {p.code for p in self.problems}

    def lines(self) -> list[str]:
        return [p.text for p in self.problems]
