"""The services a command handler may use, built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..romm.client import RommClient
from ..romm.links import Links
from ..store.db import Store
from .catalog import Catalog
from .notify import Notifications
from .stats import StatsService


@dataclass
class Services:
    client: RommClient
    store: Store
    catalog: Catalog
    stats: StatsService
    links: Links
    notifications: Notifications = field(default_factory=Notifications)
    # Platform slug → emoji shown next to platform names (filled by front ends that have them).
    platform_emoji: dict[str, str] = field(default_factory=dict)

    def emoji(self, slug: str) -> str:
        return self.platform_emoji.get(slug, "")
