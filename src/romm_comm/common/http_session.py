"""LazySession: the outgoing aiohttp session the RomM and IGDB clients share the shape of.

Made on first use (and again after it was closed), with no cookie jar and the bot's
User-Agent; the clients own their own errors, throttles and retries.
"""

from __future__ import annotations

from collections.abc import Mapping

import aiohttp

USER_AGENT = "RomM-ComM"


class LazySession:
    def __init__(self, timeout: float, headers: Mapping[str, str] | None = None) -> None:
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self._headers = {"User-Agent": USER_AGENT, **(headers or {})}
        self._session: aiohttp.ClientSession | None = None

    def get(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=self.timeout,
                cookie_jar=aiohttp.DummyCookieJar(),
                headers=self._headers,
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
