"""IGDB (via Twitch OAuth): game search, covers and lists for requests."""

from __future__ import annotations

from .client import LIST_KINDS, IgdbClient, ListKind
from .errors import IgdbAuthError, IgdbError, IgdbNotConfigured, IgdbUnavailable
from .models import IgdbGame, IgdbPlatform

__all__ = [
    "LIST_KINDS",
    "IgdbAuthError",
    "IgdbClient",
    "IgdbError",
    "IgdbGame",
    "IgdbNotConfigured",
    "IgdbPlatform",
    "IgdbUnavailable",
    "ListKind",
]
