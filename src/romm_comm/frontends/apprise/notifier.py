"""A notifier beside the chat ones: admin notices (new requests, fulfilled/rejected requests,
account actions, RomM unreachable: the admin log) and announcements (scans, requests...)
go to every URL in NOTIFY_URLS, for the event types in NOTIFY_EVENTS.

The URLs hold tokens and passwords: they are never logged; a URL Apprise cannot use is
reported by its position and scheme only. It reaches nobody directly (no DMs) and edits
nothing, so scan progress is sent once, when it is posted."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

import apprise

from ...core.cards import Reply
from ...core.format import as_notice
from ...core.notify import MessageRef

log = logging.getLogger(__name__)

FRONT_END = "apprise"
EVENTS = ("admin", "requests", "scans", "recent_roms")  # admin = the admin log
DEFAULT_EVENTS = ("admin", "requests", "scans")
TYPES = {"error": apprise.NotifyType.FAILURE, "warning": apprise.NotifyType.WARNING}


_URL = re.compile(r"\b([a-z][a-z0-9+.-]*)://\S+", re.IGNORECASE)


class HideUrls(logging.Filter):
    """Apprise's own log lines name the URLs it sends to, tokens and all: keep the scheme."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        hidden = _URL.sub(lambda m: f"{m.group(1)}://…", text)
        hidden = re.sub(r"/\S*[A-Za-z0-9_-]{12,}\S*", "/…", hidden)  # bare paths with tokens
        if hidden != text:
            record.msg, record.args = hidden, None
        return True


def quiet_apprise() -> None:
    logger = logging.getLogger("apprise")
    if not any(isinstance(f, HideUrls) for f in logger.filters):
        logger.addFilter(HideUrls())
    logger.setLevel(max(logger.getEffectiveLevel(), logging.INFO))
    # The HTTP library under Apprise logs each request line (with the URL's path) at DEBUG.
    urllib3 = logging.getLogger("urllib3")
    urllib3.setLevel(max(urllib3.getEffectiveLevel(), logging.WARNING))


def scheme_of(url: str) -> str:
    return url.split("://", 1)[0] + "://…" if "://" in url else "(no scheme)"


class AppriseNotifier:
    front_end = FRONT_END

    def __init__(self, urls: Sequence[str], events: Sequence[str] = DEFAULT_EVENTS) -> None:
        self.events = frozenset(events)
        quiet_apprise()
        self._apprise = apprise.Apprise()
        self.count = 0
        for number, url in enumerate(urls, 1):
            if self._apprise.add(url):
                self.count += 1
            else:
                log.warning(
                    "NOTIFY_URLS: entry %d (%s) is not a URL Apprise can use; skipped",
                    number,
                    scheme_of(url),
                )

    def describe(self) -> str:
        return f"{self.count} Apprise URL(s) for {', '.join(sorted(self.events))}"

    async def direct(self, user_id: str, reply: Reply) -> bool:
        return False  # nobody is reached in person this way

    async def admin_log(self, reply: Reply) -> MessageRef | None:
        if "admin" in self.events:
            await self._send(reply)
        return None

    async def post(self, topic: str, reply: Reply) -> MessageRef | None:
        if topic in self.events:
            await self._send(reply)
        return None

    async def edit(self, ref: MessageRef, reply: Reply) -> bool:
        return False

    async def _send(self, reply: Reply) -> None:
        if not self.count:
            return
        title, body = as_notice(reply)
        kind = TYPES.get(reply.tone, apprise.NotifyType.INFO)
        ok = await self._apprise.async_notify(body=body, title=title, notify_type=kind)
        if not ok:
            log.warning("notifications: not every Apprise URL took the notice %r", title[:60])
