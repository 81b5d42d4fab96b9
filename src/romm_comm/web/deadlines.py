"""A connection must send a whole request's headers soon after it is opened.

aiohttp itself closes a connection that stays idle for its keep-alive timeout (counted from
the connection's start and from the end of each answer, whether or not bytes trickle in);
this adds a shorter limit for the first request's headers, so a client that opens sockets
and sends a byte now and then (slowloris) cannot hold them for the whole idle timeout.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from aiohttp import web
from aiohttp.typedefs import Handler
from aiohttp.web_protocol import RequestHandler

log = logging.getLogger(__name__)


class HeaderDeadline:
    def __init__(self, seconds: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._first_seen: dict[RequestHandler, float] = {}
        self._served: set[RequestHandler] = set()

    @property
    def interval(self) -> float:
        """How often `sweep` should run (the limit is kept to within a quarter of itself)."""
        return max(0.01, self.seconds / 4)

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        protocol = request.protocol
        if isinstance(protocol, RequestHandler):
            self._served.add(protocol)
        return await handler(request)

    def sweep(self, connections: list[RequestHandler]) -> int:
        """Close connections that have had no complete request after `seconds`; returns how many."""
        now = self._clock()
        live = set(connections)
        self._served &= live
        self._first_seen = {h: t for h, t in self._first_seen.items() if h in live}
        closed = 0
        for handler in connections:
            if handler in self._served:
                continue
            first = self._first_seen.setdefault(handler, now)
            transport = handler.transport
            if now - first >= self.seconds and transport is not None and not transport.is_closing():
                transport.close()
                closed += 1
        if closed:
            log.info("web server: closed %d connection(s) that sent no request in time", closed)
        return closed
