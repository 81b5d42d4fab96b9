"""Set-up guides for homebrew shop / feed clients that read RomM's `/api/feeds/...` endpoints.

Pure: the caller passes which platforms the library has, the RomM address people use, the
person's RomM username (when known) and what the download probe found. A guide never holds
a password; where a client needs credentials, it says so and asks for them on the device.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Feed:
    device: str  # option value
    label: str  # what people call the device
    app: str
    platforms: tuple[str, ...]  # platform slugs the client serves (any one makes it useful)


FEEDS: tuple[Feed, ...] = (
    Feed("switch", "Nintendo Switch", "Tinfoil", ("switch",)),
    Feed("vita", "PS Vita", "pkgj", ("psvita", "psp", "psx")),
    Feed("psp", "PSP", "pkgi", ("psp",)),
    Feed("ps3", "PS3", "pkgi", ("ps3",)),
    Feed("ps4", "PS4", "fpkgi", ("ps4",)),
    Feed("ps5", "PS5", "fpkgi", ("ps5",)),
    Feed("ds", "Nintendo DS", "Kekatsu", ("nds",)),
)
DEVICES = tuple(f.device for f in FEEDS)
PASSWORD_HINT = "your RomM password (type it on the device only, never in chat)"  # noqa: S105


@dataclass(frozen=True)
class Guide:
    feed: Feed
    steps: tuple[str, ...]
    warnings: tuple[str, ...]


def feed_for(device: str) -> Feed | None:
    return next((f for f in FEEDS if f.device == device.lower()), None)


def available(present: Collection[str]) -> list[Feed]:
    """The feeds worth offering: their platforms exist in the library."""
    return [f for f in FEEDS if any(slug in present for slug in f.platforms)]


def guide(
    feed: Feed,
    romm_url: str,
    present: Collection[str],
    username: str | None,
    anonymous_downloads: bool | None,
) -> Guide:
    base = romm_url.rstrip("/")
    who = username or "your RomM username"
    steps: list[str]
    if feed.device == "switch":
        parts = urlsplit(base)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        steps = [
            "Open Tinfoil → File Browser, press − (minus) to add a server, and enter:",
            f"Protocol: {parts.scheme} · Host: {parts.hostname} · Port: {port}",
            f"Path: {parts.path}/api/feeds/tinfoil · Title: RomM",
            f"Username: {who} · Password: {PASSWORD_HINT}",
            "Press X to save, then restart Tinfoil; it greets you with “RomM Switch Library”.",
        ]
    elif feed.device == "vita":
        lines = []
        if "psvita" in present:
            lines += [f"url_games {base}/api/feeds/pkgj/psvita/games",
                      f"url_dlcs {base}/api/feeds/pkgj/psvita/dlc"]  # fmt: skip
        if "psp" in present:
            lines += [f"url_psp_games {base}/api/feeds/pkgj/psp/games",
                      f"url_psp_dlcs {base}/api/feeds/pkgj/psp/dlc"]  # fmt: skip
        if "psx" in present:
            lines.append(f"url_psx_games {base}/api/feeds/pkgj/psx/games")
        steps = [
            "With VitaShell, open ux0:pkgj/config.txt and add these lines:",
            *(f"`{line}`" for line in lines),
            "Save, open pkgj, press △ and choose Refresh.",
        ]
    elif feed.device in {"psp", "ps3"}:
        slug = feed.platforms[0]
        steps = [
            "Add these feed URLs to your pkgi's config.txt (the key names depend on the pkgi "
            "build; see its README):",
            *(f"`{base}/api/feeds/pkgi/{slug}/{kind}`" for kind in ("game", "dlc", "update")),
            "Save, then refresh the list in pkgi.",
        ]
    elif feed.device in {"ps4", "ps5"}:
        steps = [
            f"Put this feed URL in fpkgi's configuration: `{base}/api/feeds/fpkgi/{feed.device}`",
            "Restart fpkgi; your library appears in its browser (only .pkg files install).",
        ]
    else:
        steps = [
            f"Point Kekatsu at this database URL: `{base}/api/feeds/kekatsu/nds`",
            "The DS connects only to WEP or open Wi-Fi; only .nds files load.",
        ]
    return Guide(feed, tuple(steps), _warnings(feed, who, anonymous_downloads))


def _warnings(feed: Feed, who: str, anonymous: bool | None) -> tuple[str, ...]:
    if feed.app == "Tinfoil":
        if anonymous:
            return ()
        state = (
            "This RomM requires sign-in for downloads, so Tinfoil will list your games but "
            "installs fail with 401."
            if anonymous is False
            else "Installs only work if RomM allows downloads without sign-in."
        )
        return (
            "Tinfoil signs in to read the feed but not to download files. " + state
            + " Ask an admin about DISABLE_DOWNLOAD_ENDPOINT_AUTH.",
        )  # fmt: skip
    if anonymous:
        return ()
    return (
        f"RomM will ask {feed.app} for a username and password: use {who} and "
        f"{PASSWORD_HINT}. If {feed.app} has no fields for them, put them in the URLs "
        "(http://username:password@host/...), on the device.",
    )
