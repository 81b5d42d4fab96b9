"""Covers through the bot's own web server, for a RomM that only the LAN can reach.

With PUBLIC_URL set, a cover's URL is `{PUBLIC_URL}/cover/{mac}/{path}?ts=…`: `path` is the
cover's place under RomM's `/assets/romm/resources/`, `mac` an HMAC of that path with a key
of its own (derived from the link secret), so the route serves RomM's covers and nothing
else. Covers do not expire: RomM serves them to anyone who can reach it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from ...common.urls import well_formed

RESOURCES = "/assets/romm/resources/"
ROUTE = "/cover"
MAC_BYTES = 12
# What RomM keeps there: roms/{platform}/{rom}/cover/{small|big}.{ext} (and collections').
COVER_PATH = re.compile(
    r"^(?:roms|collections)/\d+(?:/\d+)?/cover/(?:small|big)\.(?:png|jpe?g|webp|gif|avif)$"
)


class CoverSigner:
    def __init__(self, secret: bytes, base: str) -> None:
        self._key = hmac.new(secret, b"romm-comm covers v1", hashlib.sha256).digest()
        self.base = base.rstrip("/")

    def url(self, romm_path: str) -> str | None:
        """The bot's URL for a RomM cover path (query kept), or None when it is not a cover."""
        path, _, query = romm_path.partition("?")
        if not path.startswith(RESOURCES):
            return None
        tail = path[len(RESOURCES) :]
        if not COVER_PATH.match(tail):
            return None
        url = f"{self.base}{ROUTE}/{self._mac(tail)}/{tail}"
        return well_formed(url + ("?" + query if query else ""))

    def verify(self, mac: str, tail: str) -> bool:
        return bool(COVER_PATH.match(tail)) and hmac.compare_digest(mac, self._mac(tail))

    def _mac(self, tail: str) -> str:
        digest = hmac.new(self._key, tail.encode("utf-8"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:MAC_BYTES]).decode("ascii")
