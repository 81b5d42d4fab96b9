"""The only RomM paths the download gateway may request, built and checked in one place.

A path is `/api/roms/{id}/content/{name}` (a whole ROM or some of its files),
`/api/roms/{file_id}/files/content/{name}` (one file, RomM 4.8+) or
`/api/firmware/{id}/content/{name}`. Ids are integers, the name is one percent-encoded path
segment that can never be `.` or `..`: nothing a user controls can reach another RomM route.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

_SEGMENT = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})+"
_DOWNLOAD_PATH = re.compile(
    rf"^/api/(?:roms/[0-9]{{1,18}}/content|roms/[0-9]{{1,18}}/files/content"
    rf"|firmware/[0-9]{{1,18}}/content)/({_SEGMENT})$"
)

# Keys for counting calls without one key per file (RommClient.calls).
ROM_CONTENT = "/api/roms/{id}/content/{name}"
ROM_FILE_CONTENT = "/api/roms/{file_id}/files/content/{name}"
FIRMWARE_CONTENT = "/api/firmware/{id}/content/{name}"


class BadDownloadName(ValueError):
    """A file name that cannot be one path segment (empty, `.`, `..`, or with a slash)."""


def safe_name(name: str) -> str:
    """A name usable as one segment: separators replaced, never empty, `.` or `..`."""
    cleaned = "".join("_" if ch in "/\\\x00" else ch for ch in name).strip()
    return "download" if cleaned in {"", ".", ".."} else cleaned


def segment(name: str) -> str:
    """One path segment for `name`, or BadDownloadName."""
    if name in {"", ".", ".."} or "/" in name or "\\" in name or "\x00" in name:
        raise BadDownloadName(name)
    return quote(name, safe="")


def rom_content(rom_id: int, name: str) -> str:
    return f"/api/roms/{_id(rom_id)}/content/{segment(name)}"


def rom_file_content(file_id: int, name: str) -> str:
    return f"/api/roms/{_id(file_id)}/files/content/{segment(name)}"


def firmware_content(firmware_id: int, name: str) -> str:
    return f"/api/firmware/{_id(firmware_id)}/content/{segment(name)}"


def is_download_path(path: str) -> bool:
    match = _DOWNLOAD_PATH.match(path)
    return match is not None and unquote(match.group(1)) not in {".", ".."}


def call_key(path: str) -> str:
    if "/files/content/" in path:
        return ROM_FILE_CONTENT
    return FIRMWARE_CONTENT if path.startswith("/api/firmware/") else ROM_CONTENT


def _id(value: int) -> int:
    number = int(value)
    if number < 0:
        raise ValueError("ids are not negative")
    return number
