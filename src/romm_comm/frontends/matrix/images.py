"""Images for Matrix messages, fetched by the bot and uploaded to the media repository.

A cover's address is RomM's (`…/assets/romm/resources/…`) or the bot's cover relay
(`PUBLIC_URL/cover/<mac>/<path>`); either way the bytes come from RomM through the RomM
client, so a RomM reachable only on the LAN still shows covers. Other addresses (IGDB's
artwork) are not fetched: the card's text links them.
"""

from __future__ import annotations

import logging

from ...features.downloads.covers import RESOURCES, ROUTE
from ...features.services import Services
from ...romm.errors import RommError

log = logging.getLogger("romm_comm.matrix")

MAX_BYTES = 8 * 1024 * 1024


def romm_path(url: str, services: Services) -> str | None:
    """The RomM `/assets/…` path an image address stands for, or None."""
    address = url.split("?", 1)[0]
    bases = {services.client.base_url, services.links.base}
    for base in bases:
        if address.startswith(base + "/assets/"):
            return address[len(base) :]
    covers = services.covers
    if covers is not None and address.startswith(covers.base + ROUTE + "/"):
        _mac, _, tail = address[len(covers.base + ROUTE + "/") :].partition("/")
        return RESOURCES + tail if tail else None
    return None


async def fetch_image(url: str, services: Services) -> bytes | None:
    path = romm_path(url, services)
    if path is None:
        return None
    try:
        return await services.client.web_asset(path, max_bytes=MAX_BYTES)
    except (RommError, ValueError) as exc:
        log.info("matrix: no image for a card (%s)", type(exc).__name__)
        return None


def mime_of(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data.startswith(b"\xff\xd8"):
        return "image/jpeg"
    if data.startswith(b"GIF8"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return "application/octet-stream"
