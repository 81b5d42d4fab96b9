"""Plain records of game requests: the request, its history, the people involved."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import aiosqlite

Status = Literal["pending", "fulfilled", "rejected", "cancelled"]
STATUSES: tuple[Status, ...] = ("pending", "fulfilled", "rejected", "cancelled")
STATUS_LABELS: dict[str, str] = {
    "pending": "⏳ pending",
    "fulfilled": "✅ fulfilled",
    "rejected": "❌ rejected",
    "cancelled": "🚫 cancelled",
}


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Person:
    """Someone in a chat: `key` is their UserRef string ("discord:1234"), `name` for display."""

    key: str
    name: str


BOT = Person("", "RomM-ComM")  # the bot itself acting (automatic fulfilment, imports)


@dataclass(frozen=True)
class IgdbPick:
    """What a request keeps of the IGDB game someone picked."""

    id: int
    name: str
    year: int | None = None
    cover_url: str | None = None
    summary: str = ""
    platforms: tuple[str, ...] = ()
    url: str | None = None
    release_date: str | None = None  # as the earlier bot stored it (imports)

    def to_json(self) -> str:
        data = {k: v for k, v in self.__dict__.items() if v not in (None, "", ())}
        data["platforms"] = list(self.platforms)
        return json.dumps(data, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> IgdbPick | None:
        if not text:
            return None
        data: dict[str, Any] = json.loads(text)
        data["platforms"] = tuple(data.get("platforms") or ())
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass(frozen=True)
class RequestQuery:
    """Which requests to list: every filter given must match. `user_keys`: only those these
    people made or follow (None: everyone's); `sort` is one of store.SORTS."""

    statuses: tuple[str, ...] = ()
    platform_key: str | None = None
    text: str = ""
    user_keys: tuple[str, ...] | None = None
    sort: str = "newest"


@dataclass(frozen=True)
class GameRequest:
    id: int
    requester: Person
    platform_key: str
    platform_name: str
    title: str
    title_key: str
    details: str
    igdb: IgdbPick | None
    status: Status
    rom_id: int | None
    reason: str | None
    created_at: str
    updated_at: str
    legacy_id: int | None = None

    @property
    def igdb_id(self) -> int | None:
        return self.igdb.id if self.igdb else None

    @property
    def label(self) -> str:
        return f"#{self.id} {self.title} ({self.platform_name})"

    @classmethod
    def from_row(cls, row: aiosqlite.Row) -> GameRequest:
        return cls(
            id=row["id"],
            requester=Person(row["user_key"], row["user_name"]),
            platform_key=row["platform_key"],
            platform_name=row["platform_name"],
            title=row["title"],
            title_key=row["title_key"],
            details=row["details"],
            igdb=IgdbPick.from_json(row["igdb"]),
            status=row["status"],
            rom_id=row["rom_id"],
            reason=row["reason"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            legacy_id=row["legacy_id"],
        )


@dataclass(frozen=True)
class RequestEvent:
    id: int
    request_id: int
    at: str
    actor: Person
    kind: str
    text: str
    rom_id: int | None

    @classmethod
    def from_row(cls, row: aiosqlite.Row) -> RequestEvent:
        return cls(
            id=row["id"],
            request_id=row["request_id"],
            at=row["at"],
            actor=Person(row["actor_key"] or "", row["actor_name"]),
            kind=row["kind"],
            text=row["text"],
            rom_id=row["rom_id"],
        )


@dataclass(frozen=True)
class Draft:
    """A request being put together (survives restarts: buttons refer to its id)."""

    id: int
    person: Person
    platform_key: str | None
    platform_name: str
    in_library: bool
    igdb_platform_id: int | None
    title: str
    details: str
    igdb: IgdbPick | None
    created_at: str

    @property
    def igdb_id(self) -> int | None:
        return self.igdb.id if self.igdb else None

    @classmethod
    def from_row(cls, row: aiosqlite.Row) -> Draft:
        return cls(
            id=row["id"],
            person=Person(row["user_key"], row["user_name"]),
            platform_key=row["platform_key"],
            platform_name=row["platform_name"],
            in_library=bool(row["in_library"]),
            igdb_platform_id=row["igdb_platform_id"],
            title=row["title"],
            details=row["details"],
            igdb=IgdbPick.from_json(row["igdb"]),
            created_at=row["created_at"],
        )


@dataclass(frozen=True)
class Outcome:
    """What an attempt to change requests came to, for the person who tried."""

    kind: Literal[
        "created",
        "subscribed",
        "already_yours",
        "already_subscribed",
        "over_limit",
        "not_found",
        "not_pending",
        "not_yours",
        "done",
        "handed_over",
    ]
    request: GameRequest | None = None
    open_count: int = 0
    others: list[Person] = field(default_factory=list)
