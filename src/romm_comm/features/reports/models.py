"""Plain records of problem reports: the report, its history, the people who have it too."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Literal

import aiosqlite

from ..requests.models import Person, RequestEvent

Status = Literal["open", "acknowledged", "resolved", "rejected"]
STATUSES: tuple[Status, ...] = ("open", "acknowledged", "resolved", "rejected")
OPEN_STATUSES: tuple[Status, ...] = ("open", "acknowledged")
STATUS_LABELS: dict[str, str] = {
    "open": "🆕 open",
    "acknowledged": "👀 acknowledged",
    "resolved": "✅ resolved",
    "rejected": "❌ rejected",
}
FILTERS = ("open", *STATUSES[1:], "all")  # "open": open and acknowledged


def statuses_of(shown: str) -> tuple[str, ...]:
    """The statuses a list filter shows (none: all)."""
    if shown == "open":
        return OPEN_STATUSES
    return (shown,) if shown in STATUSES else ()


PROBLEMS: dict[str, str] = {
    "broken": "broken file",
    "metadata": "wrong game/metadata",
    "disc": "missing disc",
    "other": "other",
}
DETAILS_MAX = 500
NOTE_MAX = 300


def _plain(cls: type, row: aiosqlite.Row, **given: object) -> dict[str, object]:
    """The dataclass fields of `cls` read from the row's columns of the same name, and `given`."""
    return {**{f.name: row[f.name] for f in fields(cls) if f.name not in given}, **given}


@dataclass(frozen=True)
class Report:
    id: int
    reporter: Person
    rom_id: int
    game: str
    platform_name: str
    problem: str
    details: str
    status: Status
    outcome: str | None  # the resolution note or the rejection reason
    created_at: str
    updated_at: str

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def problem_label(self) -> str:
        return PROBLEMS.get(self.problem, self.problem)

    @property
    def label(self) -> str:
        where = f" ({self.platform_name})" if self.platform_name else ""
        return f"#{self.id} {self.game}{where}"

    @classmethod
    def from_row(cls, row: aiosqlite.Row) -> Report:
        return cls(**_plain(cls, row, reporter=Person(row["user_key"], row["user_name"])))  # type: ignore[arg-type]


# A report's history entry is a request's (its `request_id` is the report's number).
ReportEvent = RequestEvent


@dataclass(frozen=True)
class ReportDraft:
    """A report whose game is still to be picked (from several that match), or that waits
    for its "me too" (the details typed go with it)."""

    id: int
    person: Person
    problem: str
    details: str

    @classmethod
    def from_row(cls, row: aiosqlite.Row) -> ReportDraft:
        return cls(**_plain(cls, row, person=Person(row["user_key"], row["user_name"])))  # type: ignore[arg-type]


@dataclass(frozen=True)
class ReportOutcome:
    """What an attempt to change reports came to, for the person who tried."""

    kind: Literal[
        "created",
        "duplicate",  # an open report on that game exists: offer "me too"
        "subscribed",
        "already_yours",
        "already_subscribed",
        "not_found",
        "closed",
        "done",
    ]
    report: Report | None = None
    others: list[Person] = field(default_factory=list)
