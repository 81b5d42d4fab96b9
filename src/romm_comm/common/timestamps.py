"""Lenient ISO 8601 parsing for moments read back from JSON (RomM tasks, stored marks)."""

from __future__ import annotations

from datetime import UTC, datetime


def parse_moment(value: object) -> datetime | None:
    """An aware datetime (naive ones are taken as UTC); None for anything not ISO 8601 text."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
