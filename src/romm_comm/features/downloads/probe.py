"""Probe how RomM serves downloads: are bytes really sent, and does RomM require sign-in?

RomM's backend answers a download with an empty body and an `X-Accel-Redirect` header; its
web server (nginx in the official image) turns that into the file. When ROMM_URL points past
the web server, straight at the backend, every download would be an empty file: the probe
sees the header and says so. A second, anonymous request tells whether the admin set
`DISABLE_DOWNLOAD_ENDPOINT_AUTH` (anyone with a RomM download URL can download).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ...romm import download_paths
from ...romm.client import RommClient
from ...romm.errors import RommError

Stub = Literal["redirect", "archive"]
PROBE_RANGE = {"Range": "bytes=0-0"}


@dataclass(frozen=True)
class DownloadProbe:
    checked: bool  # False: nothing to probe with (empty library) or RomM unusable
    bytes_served: bool = False  # RomM sent file bytes (not an X-Accel-Redirect stub)
    accel_redirect: bool = False  # ROMM_URL answers like RomM's backend without nginx
    bot_status: int | None = None
    anonymous_allowed: bool | None = None  # DISABLE_DOWNLOAD_ENDPOINT_AUTH is on
    detail: str = ""


def stub_kind(headers: object) -> Stub | None:
    """What RomM's answer is when it carries no file bytes, for a web server to act on.

    "redirect": `X-Accel-Redirect` (where the file is): nothing but RomM's backend answers so,
    since nginx in front consumes the header. "archive": `X-Archive-Files: zip` with a list of
    files for nginx's zip module (mod_zip); a web server without that module passes it on
    unchanged (the Debian nginx does), so a multi-file zip arrives as that list while single
    files still download."""
    getter = getattr(headers, "get", None)
    if getter is None:
        return None
    if getter("X-Accel-Redirect"):
        return "redirect"
    return "archive" if getter("X-Archive-Files") else None


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
            accel = stub_kind(resp.headers) is not None
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
