"""`GET /cover/{mac}/{path}`: a RomM cover through the bot's web server (PUBLIC_URL set).

Chat platforms fetch covers from the internet; a RomM that only the LAN reaches cannot serve
them, so the bot relays them. Only paths the bot signed are served (services.cover_links),
each fetched from RomM once and kept in a small in-memory cache.
"""

from __future__ import annotations

import logging
import mimetypes
from collections import OrderedDict

from aiohttp import web

from ..features.downloads.covers import RESOURCES, ROUTE, CoverSigner
from ..romm.client import RommClient
from ..romm.errors import RommError, RommNotFound

log = logging.getLogger(__name__)

COVER_MAX_BYTES = 4 * 1024 * 1024
CACHE_BYTES = 32 * 1024 * 1024
CACHE_HEADERS = {"Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"}


class CoverRelay:
    def __init__(self, client: RommClient, signer: CoverSigner) -> None:
        self.client = client
        self.signer = signer
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self._cached_bytes = 0

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get(ROUTE + "/{mac}/{tail:.+}", self.handle)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        tail = request.match_info["tail"]
        if not self.signer.verify(request.match_info["mac"], tail):
            raise web.HTTPNotFound()
        body = self._cache.get(tail)
        if body is None:
            try:
                body = await self.client.web_asset(RESOURCES + tail, max_bytes=COVER_MAX_BYTES)
            except RommNotFound:
                raise web.HTTPNotFound() from None
            except RommError as exc:
                log.info("cover relay: RomM did not give %s (%s)", tail, type(exc).__name__)
                raise web.HTTPBadGateway() from None
            self._keep(tail, body)
        else:
            self._cache.move_to_end(tail)
        kind = mimetypes.guess_type(tail)[0] or "application/octet-stream"
        return web.Response(body=body, content_type=kind, headers=CACHE_HEADERS)

    def _keep(self, tail: str, body: bytes) -> None:
        self._cache[tail] = body
        self._cached_bytes += len(body)
        while self._cached_bytes > CACHE_BYTES and self._cache:
            _, old = self._cache.popitem(last=False)
            self._cached_bytes -= len(old)
