"""Probe how RomM serves downloads: are bytes really sent, and does RomM require sign-in?

RomM's backend answers a download with an empty body and an `X-Accel-Redirect` header; its
web server (nginx in the official image) turns that into the file. When ROMM_URL points past
the web server, straight at the backend, every download would be an empty file: the probe
sees the header and says so. A second, anonymous request tells whether the admin set
`DISABLE_DOWNLOAD_ENDPOINT_AUTH` (anyone with a RomM download URL can download).
"""

from __future__ import annotations

from dataclasses import dataclass

from ...romm import download_paths
from ...romm.client import RommClient
from ...romm.errors import RommError

ACCEL_HEADERS = ("X-Accel-Redirect", "X-Archive-Files")
PROBE_RANGE = {"Range": "bytes=0-0"}


@dataclass(frozen=True)
class DownloadProbe:
    checked: bool  # False: nothing to probe with (empty library) or RomM unusable
    bytes_served: bool = False  # RomM sent file bytes (not an X-Accel-Redirect stub)
    accel_redirect: bool = False  # ROMM_URL answers like RomM's backend without nginx
    bot_status: int | None = None
    anonymous_allowed: bool | None = None  # DISABLE_DOWNLOAD_ENDPOINT_AUTH is on
    detail: str = ""


def is_accel_stub(headers: object) -> bool:
    """True when RomM's answer only tells a web server where the file is."""
    getter = getattr(headers, "get", None)
    return getter is not None and any(getter(name) for name in ACCEL_HEADERS)


async def probe_downloads(client: RommClient) -> DownloadProbe:
    """Fetch one byte of the smallest game, with the bot's credentials and without."""
    try:
        page = await client.list_roms(limit=1, order_by="fs_size_bytes", order_dir="asc")
    except RommError as exc:
        return DownloadProbe(False, detail=exc.user_message)
    if not page.items:
        return DownloadProbe(False, detail="the library has no games to test a download with")
    rom = page.items[0]
    path = download_paths.rom_content(rom.id, rom.fs_name)
    try:
        async with client.download(path, headers=PROBE_RANGE) as resp:
            status = resp.status
            accel = is_accel_stub(resp.headers)
            body = await resp.content.read(16) if status in (200, 206) else b""
        async with client.download(path, headers=PROBE_RANGE, authenticated=False) as anon:
            anonymous = {200: True, 206: True, 401: False, 403: False}.get(anon.status)
    except RommError as exc:
        return DownloadProbe(False, detail=exc.user_message)
    served = status in (200, 206) and not accel and (bool(body) or rom.fs_size_bytes == 0)
    return DownloadProbe(
        True,
        bytes_served=served,
        accel_redirect=accel,
        bot_status=status,
        anonymous_allowed=anonymous,
        detail=f"probed with game {rom.id}",
    )
