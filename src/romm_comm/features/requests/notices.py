"""How the request service reaches people: admin-channel notices with buttons, and DMs
with the game card and download links bound to each recipient."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ...core.cards import Reply
from ...core.notify import MessageRef, Notifications, UserRef
from ...romm.client import RommClient
from ...romm.links import Links
from ...romm.models import Rom
from ..downloads.service import DownloadService
from ..library.cards import rom_reply
from ..library.catalog import Catalog
from .admin_cards import (
    auto_fulfilled_notice,
    likely_match_notice,
    new_request_notice,
    undelivered_notice,
)
from .cards import closed_message, on_its_way_message
from .models import GameRequest, Person


class ChatAnnouncer:
    def __init__(
        self,
        *,
        catalog: Catalog,
        notifications: Notifications,
        downloads: DownloadService,
        client: RommClient,
        links: Links,
        emoji: Callable[[str], str],
        indexers: bool = False,
    ) -> None:
        self.catalog = catalog
        self.notifications = notifications
        self.downloads = downloads
        self.client = client
        self.links = links
        self.emoji = emoji
        self.indexers = indexers  # Prowlarr is set up: notices offer "Search indexers"

    async def new_request(self, request: GameRequest) -> list[MessageRef]:
        return await self.notifications.admin_log(self._notice(request))

    async def changed(
        self, request: GameRequest, refs: Sequence[MessageRef], latest_note: str
    ) -> None:
        # Closing is news for notices that cannot be edited (Apprise, the webhook); a note is not.
        await self.notifications.update(
            refs, self._notice(request, latest_note), tell_the_rest=request.status != "pending"
        )

    def _notice(self, request: GameRequest, latest_note: str = "") -> Reply:
        in_library = any(p.slug == request.platform_key for p in self.catalog.platforms)
        return new_request_notice(request, in_library, latest_note, indexers=self.indexers)

    async def tell(self, person: Person, request: GameRequest, rom: Rom | None) -> bool:
        try:
            user = UserRef.parse(person.key)
        except ValueError:
            return False
        game = None
        if rom is not None and request.status == "fulfilled":
            links = await self.downloads.links_for(person.key, person.name)
            info = self.client.heartbeat_info
            game = rom_reply(
                rom,
                self.links,
                links,
                self.emoji,
                emulator_disabled=bool(info and info.emulator_js_disabled),
            )
        return await self.notifications.direct(user, closed_message(request, person, game))

    async def on_its_way(self, person: Person, request: GameRequest) -> bool:
        try:
            user = UserRef.parse(person.key)
        except ValueError:
            return False
        return await self.notifications.direct(user, on_its_way_message(request, person))

    async def auto_fulfilled(self, request: GameRequest, rom: Rom) -> None:
        await self.notifications.admin_log(auto_fulfilled_notice(request, rom))

    async def likely_match(self, request: GameRequest, rom: Rom) -> None:
        await self.notifications.admin_log(likely_match_notice(request, rom))

    async def undelivered(self, request: GameRequest, people: Sequence[Person]) -> None:
        await self.notifications.admin_log(undelivered_notice(request, people))
