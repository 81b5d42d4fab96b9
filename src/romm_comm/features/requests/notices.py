"""How the request service reaches people: admin-channel notices with buttons, and DMs
with the game card and download links bound to each recipient."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ...core.notify import UserRef
from ...romm.models import Rom
from ..library.cards import rom_reply
from .admin_cards import (
    auto_fulfilled_notice,
    likely_match_notice,
    new_request_notice,
    undelivered_notice,
)
from .cards import closed_message
from .models import GameRequest, Person

if TYPE_CHECKING:
    from ..services import Services


class ChatAnnouncer:
    def __init__(self, services: Services) -> None:
        self.services = services

    async def new_request(self, request: GameRequest) -> None:
        in_library = any(p.slug == request.platform_key for p in self.services.catalog.platforms)
        await self.services.notifications.admin_log(new_request_notice(request, in_library))

    async def tell(self, person: Person, request: GameRequest, rom: Rom | None) -> bool:
        try:
            user = UserRef.parse(person.key)
        except ValueError:
            return False
        game = None
        if rom is not None and request.status == "fulfilled":
            services = self.services
            links = await services.downloads.links_for(person.key, person.name)
            info = services.client.heartbeat_info
            game = rom_reply(
                rom,
                services.links,
                links,
                services.emoji,
                emulator_disabled=bool(info and info.emulator_js_disabled),
            )
        return await self.services.notifications.direct(user, closed_message(request, person, game))

    async def auto_fulfilled(self, request: GameRequest, rom: Rom) -> None:
        await self.services.notifications.admin_log(auto_fulfilled_notice(request, rom))

    async def likely_match(self, request: GameRequest, rom: Rom) -> None:
        await self.services.notifications.admin_log(likely_match_notice(request, rom))

    async def undelivered(self, request: GameRequest, people: Sequence[Person]) -> None:
        await self.services.notifications.admin_log(undelivered_notice(request, people))
