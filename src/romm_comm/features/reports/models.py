"""Plain records of problem reports: the report, its history, the people who have it too."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import aiosqlite

from ..requests.models import Person

Status = Literal["open", "acknowledged", "resolved", "rejected"]
STATUSES: tuple[Status, ...] = ("open", "acknowledged", "resolved", "rejected")
OPEN_STATUSES: tuple[Status, ...] = ("open", "acknowledged")
STATUS_LABELS: dict[str, str] = {
    "open": "🆕 open",
    "acknowledged": "👀 acknowledged",
    "resolved": "✅ resolved",
    "rejected": "❌ rejected",
}
PROBLEMS: dict[str, str] = {
    "broken": "broken file",
    "metadata": "wrong game/metadata",
    "disc": "missing disc",
    "other": "other",
}
DETAILS_MAX = 500
NOTE_MAX = 300


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
        return cls(
            id=row["id"],
            reporter=Person(row["user_key"], row["user_name"]),
            rom_id=row["rom_id"],
            game=row["game"],
            platform_name=row["platform_name"],
            problem=row["problem"],
            details=row["details"],
            status=row["status"],
            outcome=row["outcome"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
        )


@dataclass(frozen=True)
class ReportEvent:
    id: int
    report_id: int
    at: str
    actor: Person
    kind: str
    text: str
    rom_id: int | None = None  # the history renderer shared with requests reads it

    @classmethod
    def from_row(cls, row: aiosqlite.Row) -> ReportEvent:
        return cls(
            id=row["id"],
            report_id=row["report_id"],
            at=row["at"],
            actor=Person(row["actor_key"] or "", row["actor_name"]),
            kind=row["kind"],
            text=row["text"],
        )


@dataclass(frozen=True)
class ReportDraft:
    """A report whose game is still to be picked from several that match."""

    id: int
    person: Person
    problem: str
    details: str

    @classmethod
    def from_row(cls, row: aiosqlite.Row) -> ReportDraft:
        return cls(
            id=row["id"],
            person=Person(row["user_key"], row["user_name"]),
            problem=row["problem"],
            details=row["details"],
        )


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
