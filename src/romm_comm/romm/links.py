"""Links people open: RomM pages, downloads, covers, play-in-browser.

API calls go to ROMM_URL; everything a person clicks is built from the public URL
(ROMM_PUBLIC_URL / DOMAIN), which may differ (reverse proxy, domain name).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import quote

from ..common.urls import join, well_formed
from .models import Firmware, Rom

# Platforms RomM can run in the browser with EmulatorJS (RomM's frontend core map).
EJS_PLATFORMS = frozenset(
    {
        "3do", "amiga", "amiga-cd32", "arcade", "atari2600", "atari5200", "atari7800",
        "atari-jaguar-cd", "c64", "colecovision", "commodore-cdtv", "dos", "doom", "fds",
        "gamegear", "gb", "gba", "gbc", "genesis-slash-megadrive", "jaguar", "lynx", "mame",
        "n64", "nds", "neo-geo-cd", "neo-geo-pocket", "neo-geo-pocket-color", "neogeoaes",
        "neogeomvs", "nes", "odyssey-2", "pc-8800-series", "pc-fx", "pce", "pcengine", "psp",
        "psx", "segacd", "sega32", "sega-master-system", "sms", "saturn", "sg1000", "snes",
        "sfam", "supergrafx", "tg16", "turbografx16--1", "turbografx-cd", "vectrex",
        "virtualboy", "wonderswan", "wonderswan-color", "zxs", "zx-spectrum",
    }
)  # fmt: skip


def _segment(text: str) -> str:
    return quote(text, safe="")


class Links:
    def __init__(
        self, public_url: str, *, covers: Callable[[str], str | None] | None = None
    ) -> None:
        self.base = public_url.rstrip("/")
        self._covers = covers  # RomM cover path → the bot's own cover URL (PUBLIC_URL set)

    def rom_page(self, rom_id: int) -> str:
        return f"{self.base}/rom/{int(rom_id)}"

    def platform_page(self, platform_id: int) -> str:
        return f"{self.base}/platform/{int(platform_id)}"

    def play(self, rom: Rom, *, emulator_disabled: bool = False) -> str | None:
        if emulator_disabled or rom.platform_slug not in EJS_PLATFORMS:
            return None
        return f"{self.base}/rom/{rom.id}/ejs"

    def download(self, rom: Rom, file_ids: Iterable[int] | None = None) -> str:
        url = f"{self.base}/api/roms/{rom.id}/content/{_segment(rom.fs_name)}"
        ids = sorted(set(file_ids or ()))
        if ids and rom.files and len(ids) < len(rom.files):
            url += "?file_ids=" + ",".join(str(i) for i in ids)
        return url

    def firmware_download(self, fw: Firmware) -> str:
        return f"{self.base}/api/firmware/{fw.id}/content/{_segment(fw.file_name)}"

    def cover(self, rom: Rom) -> str | None:
        """A well-formed URL of the game's cover (RomM's paths carry an unencoded `?ts=`)."""
        path = rom.path_cover_large or rom.path_cover_small
        if path and not path.startswith(("http://", "https://")):
            proxied = self._covers(path) if self._covers else None
            return proxied or join(self.base, path)
        if path:
            return well_formed(path)
        return well_formed(rom.url_cover) if rom.url_cover else None
