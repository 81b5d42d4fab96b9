"""Download links for one chat user: signed gateway links, or direct RomM links.

`DownloadService.links_for(user_key, name)` is what every card asks for its download URLs, so
each link is bound to the person who asked. Gateway links are used when the bot's web server
runs and people can reach it (PUBLIC_URL, or a loopback address on the bot's own machine);
otherwise, or with DOWNLOAD_LINKS=romm, cards link to RomM directly and `direct_reason`
says why.

Hooks set by the accounts feature (app.accounts.download_hooks): `user_allowed` decides
whether a chat user may get and use links (a disabled RomM account may not) and
`romm_username` gives the user's linked RomM username for feed instructions.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from typing import Literal, Protocol

from ...core.commands import Caller
from ...romm import download_paths
from ...romm.client import RommClient
from ...romm.errors import RommError
from ...romm.links import Links
from ...romm.models import Firmware, Rom
from .links import Kind, LinkSigner
from .log import DownloadLog, LoggedDownload, PopularGame
from .probe import DownloadProbe, probe_downloads

log = logging.getLogger(__name__)

UserCheck = Callable[[str], Awaitable[bool]]
UsernameLookup = Callable[[str], Awaitable[str | None]]
LinkMode = Literal["gateway", "romm"]

GATEWAY_PREFIX = "/dl"
DISABLED_ACCOUNT = (
    "Your RomM account is disabled, so the bot gives you no download links. "
    "Ask an admin if this is a mistake."
)
PROBE_TTL = 3600.0


def user_key(front_end: str, user_id: str) -> str:
    """One chat user across front ends (ids are only unique within one)."""
    return f"{front_end}:{user_id}"


class DownloadLinks(Protocol):
    """Download URLs for one person; None (and `refused`) when they may not download."""

    @property
    def refused(self) -> str | None: ...

    @property
    def expiry_note(self) -> str: ...

    def rom(self, rom: Rom, file_ids: Sequence[int] | None = None) -> str | None: ...

    def firmware(self, fw: Firmware) -> str | None: ...


class DirectLinks:
    """Links straight to RomM (work only for people RomM lets download)."""

    refused: str | None = None
    expiry_note = ""

    def __init__(self, links: Links) -> None:
        self._links = links

    def rom(self, rom: Rom, file_ids: Sequence[int] | None = None) -> str | None:
        return self._links.download(rom, file_ids)

    def firmware(self, fw: Firmware) -> str | None:
        return self._links.firmware_download(fw)


class NoLinks:
    expiry_note = ""

    def __init__(self, reason: str) -> None:
        self.refused: str | None = reason

    def rom(self, rom: Rom, file_ids: Sequence[int] | None = None) -> str | None:
        return None

    def firmware(self, fw: Firmware) -> str | None:
        return None


class GatewayLinks:
    """Signed links to the bot's gateway, bound to one chat user."""

    refused: str | None = None

    def __init__(self, signer: LinkSigner, base: str, user: str) -> None:
        self._signer = signer
        self._base = base.rstrip("/") + GATEWAY_PREFIX
        self._user = user

    @property
    def expiry_note(self) -> str:
        hours = self._signer.ttl / 3600
        span = f"{hours:g} h" if hours >= 1 else f"{self._signer.ttl // 60} min"
        return f"Download links are personal and expire after {span}."

    def rom(self, rom: Rom, file_ids: Sequence[int] | None = None) -> str | None:
        known = {f.id: f for f in rom.files}
        chosen = sorted(set(file_ids or ()) & known.keys())
        if chosen and len(chosen) == len(known):
            chosen = []  # every file: the whole game
        if len(chosen) == 1:
            name, zipped = known[chosen[0]].file_name, False
        elif chosen or rom.has_multiple_files or len(rom.files) > 1:
            name, zipped = rom.fs_name + ".zip", True
        else:
            name = rom.files[0].file_name if rom.files else rom.fs_name
            zipped = False
        return self._link("rom", rom.id, name, chosen, zipped)

    def firmware(self, fw: Firmware) -> str | None:
        return self._link("firmware", fw.id, fw.file_name, [], False)

    def _link(self, kind: Kind, target: int, name: str, ids: list[int], zipped: bool) -> str:
        name = download_paths.safe_name(name)
        token = self._signer.sign(kind, target, self._user, name, file_ids=ids, zipped=zipped)
        return f"{self._base}/{token}/{download_paths.segment(name)}"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def gateway_base_for(public_url: str | None, host: str, port: int) -> str | None:
    """Where people open gateway links: PUBLIC_URL, or a loopback address (this machine only)."""
    if public_url:
        return public_url.rstrip("/")
    if is_loopback(host):
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}"
    return None


def no_public_url(port: int) -> str:
    return (
        "PUBLIC_URL is not set, so people cannot reach the bot's web server "
        f"(port {port}); set PUBLIC_URL to the address where they reach it "
        "(example: PUBLIC_URL=https://dl.example.org)"
    )


class DownloadService:
    def __init__(
        self,
        *,
        client: RommClient,
        links: Links,
        signer: LinkSigner,
        log: DownloadLog,
        preferred: LinkMode = "gateway",
        public_url: str | None = None,
        user_allowed: UserCheck | None = None,
        romm_username: UsernameLookup | None = None,
    ) -> None:
        self.client = client
        self.links = links
        self.signer = signer
        self.log = log
        self.preferred: LinkMode = preferred
        self.public_url = public_url.rstrip("/") if public_url else None
        self.gateway_base: str | None = None
        self._why_direct = "the bot's web server is not running (WEB_ENABLED=false)"
        self.user_allowed = user_allowed
        self.romm_username = romm_username
        self._titles: OrderedDict[int, tuple[str, str]] = OrderedDict()
        self._probe: tuple[float, DownloadProbe] | None = None

    # --- where links point --------------------------------------------------------------
    def gateway_started(self, host: str, port: int) -> None:
        """The web server listens on host:port; decide the address people open."""
        self.gateway_base = gateway_base_for(self.public_url, host, port)
        if self.gateway_base is None:
            self._why_direct = no_public_url(port)

    def gateway_failed(self, reason: str) -> None:
        self.gateway_base = None
        self._why_direct = f"the bot's web server could not start ({reason})"

    @property
    def mode(self) -> LinkMode:
        return "gateway" if self.preferred == "gateway" and self.gateway_base else "romm"

    @property
    def direct_reason(self) -> str | None:
        """Why cards link to RomM directly although the gateway was wanted (None: they don't)."""
        if self.preferred == "romm" or self.mode == "gateway":
            return None
        return self._why_direct

    def describe(self) -> str:
        if self.mode == "gateway":
            local = "" if self.public_url else " (reachable on this machine only)"
            hours = self.signer.ttl / 3600
            return f"signed links through the bot at {self.gateway_base}{local}, valid {hours:g} h"
        if self.preferred == "romm":
            return f"direct RomM links at {self.links.base} (DOWNLOAD_LINKS=romm)"
        return f"direct RomM links at {self.links.base}: {self._why_direct}"

    # --- who may download ---------------------------------------------------------------
    async def may_download(self, user: str) -> bool:
        if self.user_allowed is None:
            return True
        return await self.user_allowed(user)

    async def for_caller(self, caller: Caller) -> DownloadLinks:
        """Download URLs bound to the person asking."""
        return await self.links_for(user_key(caller.front_end, caller.id), caller.name)

    async def links_for(self, user: str, name: str) -> DownloadLinks:
        """The link maker for one chat user (`user_key(front_end, id)`, display name)."""
        if not await self.may_download(user):
            return NoLinks(DISABLED_ACCOUNT)
        if self.mode == "romm" or self.gateway_base is None:
            return DirectLinks(self.links)
        await self.log.remember_user(user, name)
        return GatewayLinks(self.signer, self.gateway_base, user)

    async def romm_username_of(self, user: str) -> str | None:
        return None if self.romm_username is None else await self.romm_username(user)

    # --- the download log, with game names ----------------------------------------------
    async def popular(self, days: int, limit: int = 10) -> list[PopularGame]:
        games = await self.log.popular(days, limit)
        for index, game in enumerate(games):
            if game.title is None:
                title, platform = await self._label(game.rom_id, game.file_name)
                games[index] = replace(game, title=title, platform=platform or game.platform)
        return games

    async def recent(self, limit: int = 10) -> list[LoggedDownload]:
        rows = await self.log.recent(limit)
        for index, row in enumerate(rows):
            if row.title is None and row.rom_id is not None:
                title, platform = await self._label(row.rom_id, row.file_name)
                rows[index] = replace(row, title=title, platform=platform or row.platform)
        return rows

    async def _label(self, rom_id: int, fallback: str) -> tuple[str, str]:
        """A game's title and platform (asked of RomM once, then kept in the log)."""
        if rom_id in self._titles:
            self._titles.move_to_end(rom_id)
            return self._titles[rom_id]
        try:
            rom = await self.client.rom(rom_id)
        except RommError:
            return fallback, ""  # gone from RomM, or RomM is down: the file name will do
        label = (rom.title, rom.platform_display_name)
        await self.log.set_label(rom_id, *label)
        self._titles[rom_id] = label
        if len(self._titles) > 1024:
            self._titles.popitem(last=False)
        return label

    # --- what RomM says -----------------------------------------------------------------

    async def probe(self, *, fresh: bool = False) -> DownloadProbe:
        """How RomM serves downloads (remembered for an hour)."""
        now = time.monotonic()
        if not fresh and self._probe is not None and now - self._probe[0] < PROBE_TTL:
            return self._probe[1]
        result = await probe_downloads(self.client)
        if result.checked:
            self._probe = (now, result)
        return result
