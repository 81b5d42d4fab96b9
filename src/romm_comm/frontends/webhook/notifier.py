"""A notifier beside the chat ones: admin notices (the admin log) and announcements, for the
event types in NOTIFY_EVENTS, as a JSON POST to WEBHOOK_URL signed with WEBHOOK_SECRET
(see signing.py for the scheme).

Sent in the background, so a slow receiver never holds up a request or a scan; a 5xx answer
or a failed connection is tried again with growing pauses, a 4xx is not (the receiver said
no). The URL may hold a token: it is never logged, not even its host."""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime

import aiohttp

from ...common.http_session import LazySession
from ...core.cards import Reply
from ...core.format import as_notice
from ...core.notify import MessageRef
from .signing import SIGNATURE, TIMESTAMP, signature

log = logging.getLogger(__name__)

FRONT_END = "webhook"
DEFAULT_EVENTS = ("admin", "requests", "scans")
ATTEMPTS = 4
FIRST_PAUSE = 1.0  # seconds before the first retry; doubled each time
TIMEOUT = 10.0
CLOSE_WAIT = 5.0  # seconds to finish sending at shutdown


class WebhookNotifier:
    front_end = FRONT_END

    def __init__(
        self,
        url: str,
        secret: str,
        events: Sequence[str] = DEFAULT_EVENTS,
        *,
        attempts: int = ATTEMPTS,
        first_pause: float = FIRST_PAUSE,
        timeout: float = TIMEOUT,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._url = url
        self._secret = secret.encode("utf-8")
        self.events = frozenset(events)
        self.attempts = max(1, attempts)
        self.first_pause = first_pause
        self.clock = clock
        self.sleep = sleep
        self._http = LazySession(timeout, {"Content-Type": "application/json"})
        self._sending: set[asyncio.Task[bool]] = set()
        self.delivered = 0
        self.failed = 0

    def __repr__(self) -> str:  # never the URL
        return f"WebhookNotifier(events={sorted(self.events)})"

    def describe(self) -> str:
        return f"a signed webhook for {', '.join(sorted(self.events))}"

    async def direct(self, user_id: str, reply: Reply) -> bool:
        return False  # nobody is reached in person this way

    async def admin_log(self, reply: Reply) -> MessageRef | None:
        if "admin" in self.events:
            self._start("admin", reply)
        return None

    async def post(self, topic: str, reply: Reply) -> MessageRef | None:
        if topic in self.events:
            self._start(topic, reply)
        return None

    async def edit(self, ref: MessageRef, reply: Reply) -> bool:
        return False

    def body(self, event: str, reply: Reply) -> bytes:
        title, text = as_notice(reply)
        payload = {
            "id": uuid.uuid4().hex,
            "event": event,
            "tone": reply.tone,
            "title": title,
            "text": text,
            "sent_at": datetime.fromtimestamp(self.clock(), UTC).isoformat(timespec="seconds"),
        }
        return json.dumps(payload, ensure_ascii=False).encode("utf-8")

    def _start(self, event: str, reply: Reply) -> None:
        task = asyncio.create_task(self.send(self.body(event, reply)), name="webhook")
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def send(self, body: bytes) -> bool:
        """POST one notice, retrying 5xx answers and failed connections; True if taken."""
        pause = self.first_pause
        for attempt in range(1, self.attempts + 1):
            stamp = int(self.clock())
            headers = {TIMESTAMP: str(stamp), SIGNATURE: signature(self._secret, stamp, body)}
            try:
                async with self._http.get().post(self._url, data=body, headers=headers) as resp:
                    status = resp.status
            except (aiohttp.ClientError, TimeoutError) as exc:
                status, why = 0, type(exc).__name__
            else:
                why = f"HTTP {status}"
            if 200 <= status < 300:
                self.delivered += 1
                return True
            final = attempt == self.attempts or 400 <= status < 500
            log.warning(
                "webhook: the notice was not taken (%s, attempt %d of %d)%s",
                why,
                attempt,
                self.attempts,
                "" if final else f"; trying again in {pause:g} s",
            )
            if final:
                break
            await self.sleep(pause)
            pause *= 2
        self.failed += 1
        return False

    async def idle(self) -> None:
        """Wait for the notices being sent (tests; closing)."""
        while self._sending:
            await asyncio.gather(*list(self._sending), return_exceptions=True)

    async def close(self) -> None:
        try:
            async with asyncio.timeout(CLOSE_WAIT):
                await self.idle()
        except TimeoutError:
            log.warning("webhook: %d notice(s) still unsent at shutdown", len(self._sending))
            for task in list(self._sending):
                task.cancel()
        await self._http.close()
