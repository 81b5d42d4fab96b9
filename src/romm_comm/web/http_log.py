"""The web server's own log of requests aiohttp could not read (a URL or header over its
limits, a broken request line): one WARNING line without a traceback, at most one a minute
(anyone on the internet can send these), saying how many were left out since."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from aiohttp.http_exceptions import HttpProcessingError

HTTP_LOG = logging.getLogger("romm_comm.web.http")


class UnreadableRequests(logging.Filter):
    def __init__(self, interval: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.interval = interval
        self._clock = clock
        self._next = 0.0
        self._skipped = 0

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if not isinstance(exc, HttpProcessingError):
            return True  # the handlers' own crashes keep their traceback
        now = self._clock()
        if now < self._next:
            self._skipped += 1
            return False
        self._next = now + self.interval
        remote = record.args[0] if isinstance(record.args, tuple) and record.args else "?"
        more = f"; {self._skipped} more since the last such line" if self._skipped else ""
        self._skipped = 0
        # The request's text is never repeated: it may be a link with its token.
        record.msg = "web server: refused a request it could not read (%s, from %s%s)"
        record.args = (type(exc).__name__, remote, more)
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info, record.exc_text = None, None
        return True
