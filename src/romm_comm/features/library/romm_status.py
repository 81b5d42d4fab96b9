"""Whether RomM answers, as the bot last saw it. The admins are told once when it stops and
once when it is back, as admin notices (every chat's log channel, Apprise, the webhook),
whoever noticed: the timer here, or a front end's own refresh loop."""

from __future__ import annotations

import logging

from ...core.cards import Reply
from ...core.notify import Notifications
from ...romm.client import RommClient
from ...romm.errors import RommError

log = logging.getLogger(__name__)

BACK = "✅ RomM answers again."


def down_text(exc: RommError) -> str:
    return f"⚠ RomM is not usable: {exc.user_message}"


class RommStatus:
    def __init__(self, client: RommClient, notifications: Notifications) -> None:
        self.client = client
        self.notifications = notifications
        self.answering: bool | None = None  # None: not known yet

    async def check(self) -> bool:
        """Ask RomM now (the timer); True when it answers."""
        try:
            await self.client.heartbeat()
        except RommError as exc:
            await self.down(exc)
            return False
        await self.up()
        return True

    async def down(self, exc: RommError) -> None:
        if self.answering is False:
            return
        self.answering = False
        log.warning("RomM is not usable: %s", exc.user_message)
        await self.notifications.admin_log(Reply(text=down_text(exc), tone="warning"))

    async def up(self) -> None:
        if self.answering is False:
            log.info("RomM answers again")
            await self.notifications.admin_log(Reply(text=BACK, tone="success"))
        self.answering = True
