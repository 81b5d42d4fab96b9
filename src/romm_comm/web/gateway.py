"""The download gateway: `GET|HEAD /dl/{token}/{name}` streams one file from RomM.

The token says what may be downloaded and for whom (services.download_links); the gateway
asks RomM for exactly that with the bot's credentials and relays the bytes with bounded
memory: Range/If-Range go to RomM, 200/206/416 and the file headers come back, the
Content-Disposition carries the real file name. Nothing of RomM's answer reaches the person
except the whitelisted file headers and the body. Every GET is logged (download log).
"""

from __future__ import annotations

import asyncio
import logging
import mimetypes
import re
import time
from collections import OrderedDict
from collections.abc import Coroutine
from typing import Any
from urllib.parse import quote

import aiohttp
from aiohttp import web

from ..features.downloads.links import Grant, LinkInvalid, LinkRefused
from ..features.downloads.probe import stub_kind
from ..features.downloads.service import DISABLED_ACCOUNT, GATEWAY_PREFIX, DownloadService
from ..romm import download_paths
from ..romm.errors import RommBusy, RommError, retry_after_seconds
from ..store.problems import disk_full_in
from . import pages, relay
from .metrics import Metrics
from .ratelimit import RateLimiter
from .streams import StreamSlots

log = logging.getLogger(__name__)

FORWARDED_REQUEST_HEADERS = ("Range", "If-Range")
RELAYED_RESPONSE_HEADERS = (
    "Content-Type",
    "Content-Encoding",
    "Content-Range",
    "Accept-Ranges",
    "ETag",
    "Last-Modified",
)
_CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+|\*)$")
_RANGE_START = re.compile(r"^\s*bytes\s*=\s*(\d+)\s*-")
CONTINUATION_WINDOW = 900.0  # seconds a started download may go on fetching ranges
CONTINUATION_FACTOR = 20  # how much faster than new downloads those range requests may come

ACCEL_TEXT = (
    "The bot could not fetch this file: RomM answered without the file's bytes, because the "
    "bot talks to RomM's backend directly instead of through RomM's web server. An admin "
    "should point ROMM_URL at RomM's web address (port 8080 in the official image) and run "
    "`romm-comm check`."
)
ZIP_TEXT = (
    "The bot could not fetch these files as one zip: RomM sent a list of the files instead, "
    "which only a web server with nginx's zip module (mod_zip, part of RomM's official image) "
    "turns into a zip; the web server in front of this RomM lacks it. Single files still "
    "download: choose one file at a time. An admin should serve RomM with a web server that "
    "has mod_zip (the official image's) and run `romm-comm check`."
)
STUB_PROBLEMS = {  # what RomM's answer without bytes means: (for the log, for the person)
    "archive": (
        "an X-Archive-Files list, not a zip: the web server in front of RomM lacks nginx's zip "
        "module (mod_zip)",
        ZIP_TEXT,
    ),
    "redirect": (
        "X-Accel-Redirect and no bytes: ROMM_URL points at RomM's backend, past its web "
        "server; downloads cannot work",
        ACCEL_TEXT,
    ),
}
CREDENTIALS_TEXT = (
    "RomM refused the bot's credentials for this download. An admin should run `romm-comm check`."
)
GONE_TEXT = "This file is no longer in the library."
UNREACHABLE_TEXT = "RomM is not answering right now; try again in a minute."
BUSY_PERSON_TEXT = (
    "You already have {n} downloads running from this bot. Let one finish, then try again."
)
BUSY_TOTAL_TEXT = "The bot is sending as many downloads as it can at once. Try again soon."


class Gateway:
    def __init__(
        self,
        downloads: DownloadService,
        *,
        rate_per_minute: float,
        burst: int,
        trust_forwarded: bool = False,
        write_timeout: float = 30.0,
        max_streams: int = 64,
        max_streams_per_person: int = 3,
        busy_retry_after: int = 30,
        metrics: Metrics | None = None,
    ) -> None:
        self.downloads = downloads
        self.metrics = metrics
        self.client = downloads.client
        self.by_client = RateLimiter(rate_per_minute, burst)
        self.by_user = RateLimiter(rate_per_minute, burst)
        # Resumed downloads and clients that fetch in chunks send many Range requests on
        # one link; once that link has started, those have a (faster) bucket of their own.
        self.by_link = RateLimiter(
            rate_per_minute * CONTINUATION_FACTOR, burst * CONTINUATION_FACTOR
        )
        self._started: OrderedDict[str, float] = OrderedDict()
        self.trust_forwarded = trust_forwarded
        self.zero_copy = True  # kernel splice when possible (relay.can_splice)
        self._pending: set[asyncio.Task[None]] = set()
        # A person who stops reading is let go after `write_timeout` seconds without progress.
        self.write_timeout = write_timeout
        self.streams = StreamSlots(max_streams, max_streams_per_person)
        self.busy_retry_after = busy_retry_after

    def add_routes(self, app: web.Application) -> None:
        # Any name RomM can hold, braces too (aiohttp's plain `{name}` refuses `{` and `}`).
        app.router.add_get(GATEWAY_PREFIX + "/{token}/{name:[^/]+}", self.handle)
        app.router.add_get(GATEWAY_PREFIX + "/{tail:.*}", self.malformed)

    async def settle(self) -> None:
        """Wait until the log of finished downloads is written (shutdown, tests)."""
        while self._pending:
            await asyncio.gather(*list(self._pending), return_exceptions=True)

    async def malformed(self, request: web.Request) -> web.StreamResponse:
        wait = self.by_client.take(self.client_address(request))
        return pages.too_many(wait) if wait else pages.refused(LinkInvalid().reason)

    def client_address(self, request: web.Request) -> str:
        if self.trust_forwarded:
            forwarded = request.headers.get("X-Forwarded-For", "")
            if forwarded.strip():
                return forwarded.split(",")[-1].strip()  # the hop our proxy added
        return request.remote or "unknown"

    async def handle(self, request: web.Request) -> web.StreamResponse:
        address = self.client_address(request)
        try:
            grant = self.downloads.signer.verify(
                request.match_info["token"], request.match_info["name"]
            )
        except LinkRefused as exc:
            wait = self.by_client.take(address)  # guessing links costs like downloading
            log.info("gateway: refused a link (%s)", type(exc).__name__)
            return pages.too_many(wait) if wait else pages.refused(exc.reason)
        if self._continues(grant, request):
            wait = self.by_link.take(grant.link_id)
        else:
            wait = self.by_client.take(address) or self.by_user.take(grant.user)
        if wait:
            return pages.too_many(wait)
        if not await self.downloads.may_download(grant.user):
            log.info("gateway: refused %s: user may not download", grant.link_id)
            return pages.refused(DISABLED_ACCOUNT)
        if not self.streams.take(grant.user):
            return self._busy(grant)
        try:
            return await self._serve(request, grant)
        finally:
            self.streams.give_back(grant.user)

    def _busy(self, grant: Grant) -> web.Response:
        full = self.streams.in_use >= self.streams.total
        log.info(
            "gateway: turned %s away: %s", grant.link_id, "gateway full" if full else "person full"
        )
        text = BUSY_TOTAL_TEXT if full else BUSY_PERSON_TEXT.format(n=self.streams.per_person)
        return pages.busy(text, self.busy_retry_after)

    async def _serve(self, request: web.Request, grant: Grant) -> web.StreamResponse:
        try:
            path, params = await self._upstream(grant)
            headers = {
                name: request.headers[name]
                for name in FORWARDED_REQUEST_HEADERS
                if name in request.headers and len(request.headers[name]) <= 200
            }
            async with self.client.download(
                path, params, method=request.method, headers=headers
            ) as upstream:
                problem = self._problem(upstream, grant)
                if problem is not None:
                    return problem
                return await self._relay(request, grant, upstream)
        except download_paths.BadDownloadName:
            return pages.refused(LinkInvalid().reason)
        except RommError as exc:
            log.warning("gateway: %s failed: %s", grant.link_id, type(exc).__name__)
            return pages.upstream_failed(UNREACHABLE_TEXT)

    def _continues(self, grant: Grant, request: web.Request) -> bool:
        """A Range request further into a download this link started lately."""
        match = _RANGE_START.match(request.headers.get("Range", ""))
        if match is None or int(match.group(1)) == 0:
            return False
        started = self._started.get(grant.link_id)
        return started is not None and time.monotonic() - started < CONTINUATION_WINDOW

    def _mark_started(self, grant: Grant) -> None:
        self._started[grant.link_id] = time.monotonic()
        self._started.move_to_end(grant.link_id)
        while len(self._started) > 10_000:
            self._started.popitem(last=False)

    async def _upstream(self, grant: Grant) -> tuple[str, list[tuple[str, str]]]:
        """The one RomM download path (and query) a grant allows."""
        if grant.kind == "firmware":
            return download_paths.firmware_content(grant.target_id, grant.name), []
        if len(grant.file_ids) == 1 and (await self.client.capabilities()).file_downloads:
            return download_paths.rom_file_content(grant.file_ids[0], grant.upstream_name), []
        path = download_paths.rom_content(grant.target_id, grant.upstream_name)
        if grant.file_ids:
            return path, [("file_ids", ",".join(str(i) for i in grant.file_ids))]
        return path, []

    def _problem(self, upstream: aiohttp.ClientResponse, grant: Grant) -> web.Response | None:
        status = upstream.status
        stub = stub_kind(upstream.headers)
        if stub is not None:
            log_line, text = STUB_PROBLEMS[stub]
            log.error("gateway: RomM answered %s with %s", grant.link_id, log_line)
            return pages.upstream_failed(text)
        if status in (200, 206):
            return None
        if status == 416:
            unsatisfied = upstream.headers.get("Content-Range", "")
            return web.Response(
                status=416, headers={"Content-Range": unsatisfied} if unsatisfied else None
            )
        log.warning("gateway: RomM answered %s for %s", status, grant.link_id)
        if status in (401, 403):
            return pages.upstream_failed(CREDENTIALS_TEXT)
        if status == 404:
            return pages.not_found(GONE_TEXT)
        if status == 429:
            busy = RommBusy(
                retry_after=retry_after_seconds(upstream.headers.get("Retry-After"), time.time())
            )
            return pages.busy(busy.user_message, busy.retry_after)
        return pages.upstream_failed(f"RomM could not send this file (error {status}).")

    async def _relay(
        self, request: web.Request, grant: Grant, upstream: aiohttp.ClientResponse
    ) -> web.StreamResponse:
        response = web.StreamResponse(
            status=upstream.status, headers=_file_headers(upstream, grant)
        )
        length = upstream.content_length
        if length is not None:
            response.content_length = length
        await response.prepare(request)
        if request.method == "HEAD":
            return response
        size, reaches_end = _extent(upstream)
        self._mark_started(grant)
        await self.downloads.log.started(grant, size_bytes=size, status=upstream.status)
        if self.metrics is not None:
            self.metrics.download_started(grant.kind)
        started = time.perf_counter()
        progress, outcome = relay.Progress(), "aborted"
        how = "splice" if self.zero_copy and relay.can_splice(upstream, request) else "copy"
        try:
            if how == "splice":
                outcome = await relay.splice_body(
                    upstream, request, response, progress, write_timeout=self.write_timeout
                )
            else:
                outcome = await relay.copy_body(
                    upstream, response, progress, write_timeout=self.write_timeout
                )
            if outcome in ("failed", "stalled"):
                if outcome == "failed":
                    log.warning("gateway: RomM stopped sending %s", grant.link_id)
                if request.transport is not None:
                    request.transport.close()  # the person must see a broken, not a short, file
            elif outcome == "completed":
                await response.write_eof()
        except ConnectionError:
            outcome = "aborted"
        finally:
            # RomM's connection is closed on the way out unless its answer was read to the end.
            sent = progress.sent
            whole = outcome == "completed" and reaches_end and length in (None, sent)
            log.info(
                "download %s user=%s status=%s bytes=%d %s in %.1fs via %s",
                grant.link_id,
                grant.user,
                upstream.status,
                sent,
                "completed" if whole else outcome,
                time.perf_counter() - started,
                how,
            )
            self._track(self._log_finished(grant, sent, whole))
            if self.metrics is not None:
                self.metrics.download_finished(grant.kind, sent, whole)
        return response

    def _track(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(coro)
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _log_finished(self, grant: Grant, sent: int, completed: bool) -> None:
        try:
            await self.downloads.log.finished(grant.link_id, sent=sent, completed=completed)
        except Exception as exc:
            if disk_full_in(exc):
                log.warning("gateway: could not log download %s: the disk is full", grant.link_id)
            else:
                log.exception("gateway: could not log download %s", grant.link_id)


def _file_headers(upstream: aiohttp.ClientResponse, grant: Grant) -> dict[str, str]:
    headers = {
        name: upstream.headers[name]
        for name in RELAYED_RESPONSE_HEADERS
        if name in upstream.headers
    }
    if "Content-Type" not in headers:
        guessed = mimetypes.guess_type(grant.name)[0]
        headers["Content-Type"] = guessed or "application/octet-stream"
    headers["Content-Disposition"] = content_disposition(grant.name)
    headers["Cache-Control"] = "private, no-transform"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    return headers


def content_disposition(name: str) -> str:
    """`attachment` with the real (UTF-8) name, and an ASCII stand-in for old clients."""
    fallback = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\' else "_" for ch in name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _extent(upstream: aiohttp.ClientResponse) -> tuple[int | None, bool]:
    """The whole file's size (when known) and whether this answer runs to its last byte."""
    if upstream.status != 206:
        return upstream.content_length, True
    match = _CONTENT_RANGE.match(upstream.headers.get("Content-Range", ""))
    if match is None:
        return None, False
    end, total = int(match.group(2)), match.group(3)
    if total == "*":
        return None, False
    return int(total), end + 1 == int(total)
