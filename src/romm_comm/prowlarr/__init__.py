"""Prowlarr (indexer manager): release search and grabs for admins fulfilling requests."""

from __future__ import annotations

from .client import CONSOLE, PC, ProwlarrClient
from .errors import (
    ProwlarrAuthError,
    ProwlarrError,
    ProwlarrGrabRejected,
    ProwlarrNoIndexers,
    ProwlarrUnavailable,
)
from .models import DownloadClient, Indexer, Release, SystemStatus

__all__ = [
    "CONSOLE",
    "PC",
    "DownloadClient",
    "Indexer",
    "ProwlarrAuthError",
    "ProwlarrClient",
    "ProwlarrError",
    "ProwlarrGrabRejected",
    "ProwlarrNoIndexers",
    "ProwlarrUnavailable",
    "Release",
    "SystemStatus",
]
