"""The services a command handler may use, built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.notify import Notifications
from ..core.presence import FrontEnds
from ..core.tasks import Tasks
from ..igdb.client import IgdbClient
from ..romm.client import RommClient
from ..romm.links import Links
from ..store.db import Store
from .accounts.service import AccountService
from .collection.service import CollectionService
from .downloads.covers import CoverSigner
from .downloads.service import DownloadService
from .emojis.syncer import EmojiSyncer
from .library.catalog import Catalog
from .library.romm_status import RommStatus
from .library.stats import StatsService
from .prowlarr.service import ProwlarrService
from .recent.service import RecentService
from .reports.service import ReportService
from .requests.service import RequestService
from .scans.service import ScanService


@dataclass
class Services:
    client: RommClient
    store: Store
    catalog: Catalog
    stats: StatsService
    links: Links
    downloads: DownloadService
    tasks: Tasks  # the one owner of background work (the composition root's Supervisor)
    covers: CoverSigner | None = None  # covers through the bot's web server (PUBLIC_URL set)
    notifications: Notifications = field(default_factory=Notifications)
    # Front ends this process runs and whether each is connected (readiness, metrics).
    front_ends: FrontEnds = field(default_factory=FrontEnds)
    # Platform slug → emoji shown next to platform names (filled by front ends that have them).
    platform_emoji: dict[str, str] = field(default_factory=dict)
    # Front end name → what uploads platform emojis there (Discord registers one when ready).
    emoji_syncers: dict[str, EmojiSyncer] = field(default_factory=dict)
    requests: RequestService | None = None  # None when REQUESTS_ENABLED=false
    igdb: IgdbClient | None = None  # None without IGDB_CLIENT_ID / IGDB_CLIENT_SECRET
    scans: ScanService | None = None
    recent: RecentService | None = None  # None unless RECENT_ROMS_ENABLED
    accounts: AccountService | None = None  # None unless ENABLE_USER_MANAGER
    collection: CollectionService | None = None  # /missing, /collection (IGDB compared)
    prowlarr: ProwlarrService | None = None  # None without PROWLARR_URL / PROWLARR_API_KEY
    reports: ReportService | None = None  # problem reports on library games
    # Whether RomM answers; tells the admins when it stops and when it is back (made by the
    # composition root; a default for Services built by hand).
    romm_status: RommStatus | None = None

    def emoji(self, slug: str) -> str:
        return self.platform_emoji.get(slug, "")
