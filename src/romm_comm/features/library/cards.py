"""Turn library results into neutral replies (cards). No chat library, no I/O."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from ...core.cards import (
    ACTION_ID_MAX,
    Button,
    Card,
    Choice,
    Field,
    Link,
    Picker,
    Reply,
    action_id,
)
from ...core.format import count, day, human_size, shorten
from ...romm.links import Links
from ...romm.models import Firmware, Platform, Rom
from ..downloads import qr_policy
from ..downloads.service import DownloadLinks
from .catalog import SearchResult, UnknownPlatform
from .discs import FileGroup, expand, group_files
from .stats import LibraryStats

EmojiFor = Callable[[str], str]
FIRMWARE_PAGE = 10
PLATFORM_PAGE = 25

SEARCH_TIPS = (
    "Tips: try fewer or shorter words, check the spelling, or leave out the region "
    'and punctuation ("mario 64" finds "Super Mario 64 (USA)").'
)


def platform_label(p: Platform, emoji: EmojiFor) -> str:
    icon = emoji(p.slug)
    return f"{icon} {p.display_name}" if icon else p.display_name


def stats_reply(stats: LibraryStats) -> Reply:
    fields = (
        Field("Platforms", count(stats.platforms)),
        Field("ROMs", count(stats.roms)),
        Field("Saves", count(stats.saves)),
        Field("States", count(stats.states)),
        Field("Screenshots", count(stats.screenshots)),
        Field("Storage", human_size(stats.storage_bytes)),
        Field("Users", count(stats.users)),
    )
    return Reply(
        cards=(
            Card("Library statistics", fields=fields, as_of=datetime.fromisoformat(stats.taken_at)),
        )
    )


def stale_notice(since: datetime) -> str:
    return (
        "RomM is not answering, so this list may be out of date: it is from "
        f"{since:%Y-%m-%d %H:%M} UTC."
    )


def platforms_reply(platforms: Sequence[Platform], page: int, emoji: EmojiFor) -> Reply:
    if not platforms:
        return Reply.notice("The library has no platforms yet.")
    pages = max(1, -(-len(platforms) // PLATFORM_PAGE))
    page = min(max(page, 1), pages)
    chunk = platforms[(page - 1) * PLATFORM_PAGE : page * PLATFORM_PAGE]
    lines = [f"{platform_label(p, emoji)} — {p.rom_count:,} ROMs" for p in chunk]
    total = sum(p.rom_count for p in platforms)
    footer = f"{len(platforms)} platforms, {total:,} ROMs"
    if pages > 1:
        footer += f" · page {page}/{pages}"
    return Reply(
        cards=(Card("Platforms", text="\n".join(lines), footer=footer),),
        buttons=_pager("platforms", page, pages),
    )


def _pager(prefix: str, page: int, pages: int, *args: object) -> tuple[Button, ...]:
    buttons = []
    if page > 1:
        buttons.append(Button("◀ Previous", action_id(prefix, *args, page - 1)))
    if page < pages:
        buttons.append(Button("Next ▶", action_id(prefix, *args, page + 1)))
    return tuple(buttons)


def unknown_platform_reply(exc: UnknownPlatform, emoji: EmojiFor) -> Reply:
    if exc.suggestions:
        names = ", ".join(platform_label(p, emoji) for p in exc.suggestions)
        return Reply.error(f"No platform called '{exc.query}'. Did you mean: {names}?")
    return Reply.error(f"No platform called '{exc.query}'. /platforms lists them all.")


REQUEST_ACTION = "reqnew"  # handled by the requests feature: start a request for a title


def request_button(platform: Platform, term: str) -> Button | None:
    """A "request it" button carrying the platform and the words (cut to fit an action id)."""
    title = " ".join(term.replace(":", " ").split())
    room = ACTION_ID_MAX - len(f"{REQUEST_ACTION}:{platform.id}:")
    if not title:
        return None
    return Button("Request it", action_id(REQUEST_ACTION, platform.id, title[:room]), "primary")


def no_results_reply(result: SearchResult, emoji: EmojiFor, *, requests: bool) -> Reply:
    where = f" on {platform_label(result.platform, emoji)}" if result.platform else ""
    text = f"No games matching '{result.term}'{where}."
    picker = None
    if result.suggestions:
        text += " The closest names in the library:"
        picker = Picker(
            action="rom",
            placeholder="Did you mean…",
            choices=tuple(
                Choice(
                    label=shorten(rom.title, 100),
                    value=str(rom.id),
                    description=shorten(rom.platform_display_name, 100),
                )
                for rom in result.suggestions
            ),
        )
    else:
        text += f"\n{SEARCH_TIPS}"
    buttons: tuple[Button, ...] = ()
    if requests and result.platform is not None:
        button = request_button(result.platform, result.term)
        buttons = (button,) if button else ()
    elif requests:
        text += f'\nNot in the library? /request platform:… game:"{result.term}" asks for it.'
    return Reply(text=text, picker=picker, buttons=buttons, private=True, tone="warning")


def search_reply(result: SearchResult, emoji: EmojiFor, *, requests: bool = False) -> Reply:
    where = f" on {platform_label(result.platform, emoji)}" if result.platform else ""
    items = result.page.items
    if not items:
        return no_results_reply(result, emoji, requests=requests)
    total = result.page.total
    shown = len(items)
    more = f" (showing the first {shown} of {total:,})" if total and total > shown else ""
    choices = tuple(
        Choice(
            label=shorten(rom.title, 100),
            value=str(rom.id),
            description=shorten(
                " · ".join(
                    ([] if result.platform else [rom.platform_display_name])
                    + [rom.fs_name, human_size(rom.fs_size_bytes)]
                ),
                100,
            ),
        )
        for rom in items
    )
    return Reply(
        text=f"Found {total if total is not None else shown} game(s) matching "
        f"'{result.term}'{where}{more}. Pick one:",
        picker=Picker(action="rom", placeholder="Choose a game", choices=choices),
        private=True,
    )


def rom_reply(
    rom: Rom,
    links: Links,
    downloads: DownloadLinks,
    emoji: EmojiFor,
    *,
    emulator_disabled: bool = False,
) -> Reply:
    fields: list[Field] = [Field("Platform", _platform_of(rom, emoji))]
    if rom.release_date:
        fields.append(Field("Released", day(rom.release_date)))
    meta = rom.metadatum
    if meta and meta.genres:
        fields.append(Field("Genres", shorten(", ".join(meta.genres), 200)))
    if meta and meta.companies:
        fields.append(Field("Companies", shorten(", ".join(meta.companies), 200)))
    files = rom.files
    download = downloads.rom(rom)
    groups = group_files(files)
    picker = _files_picker(rom, groups) if download and rom.has_multiple_files else None
    if rom.has_multiple_files and files:
        title = f"Files ({len(files)}, {human_size(rom.total_size)})"
        if picker is not None:  # the picker lists them: said once, not twice
            discs = sum(1 for g in groups if len(g.files) > 1)
            shown = (
                f"{discs} discs"
                if discs == len(groups)
                else f"{len(groups)} choices" + (f", {discs} of them discs" if discs else "")
            )
            fields.append(Field(title, f"{shown}: pick some below, or download all.", False))
        else:
            listing = "\n".join(
                f"{f.file_name} ({human_size(f.file_size_bytes)})" for f in files[:10]
            )
            if len(files) > 10:
                listing += f"\n… and {len(files) - 10} more"
            fields.append(Field(title, listing, False))
    else:
        fields.append(Field("File", f"{rom.fs_name} ({human_size(rom.total_size)})", False))
    link_list = [Link("Open in RomM", links.rom_page(rom.id))]
    all_label = "Download all" if rom.has_multiple_files else "Download"
    if download:
        link_list.append(Link(f"{all_label} ({human_size(rom.total_size)})", download))
    play = links.play(rom, emulator_disabled=emulator_disabled)
    if play:
        link_list.append(Link("Play in browser", play))
    if rom.igdb_id and rom.slug:
        link_list.append(Link("IGDB", f"https://www.igdb.com/games/{rom.slug}"))
    card = Card(
        title=rom.title,
        url=links.rom_page(rom.id),
        text=shorten(rom.summary or "", 400),
        fields=tuple(fields),
        thumbnail_url=links.cover(rom),
        footer=_footer(f"RomM id {rom.id}", downloads),
    )
    buttons: tuple[Button, ...] = ()
    if download and qr_policy.installer_for(rom.platform_slug, rom.platform_fs_slug):
        buttons = (Button("QR code", action_id("qr", rom.id), emoji="📱"),)
    return Reply(
        text=downloads.refused or "",
        cards=(card,),
        links=tuple(link_list),
        picker=picker,
        buttons=buttons,
        private=True,
    )


def _files_picker(rom: Rom, groups: Sequence[FileGroup]) -> Picker | None:
    """One choice per disc (its cue sheet and tracks together) or per other file."""
    if len(groups) < 2:
        return None
    return Picker(
        action=action_id("files", rom.id),
        placeholder="Download only some files…",
        choices=tuple(
            Choice(
                shorten(g.name, 100),
                str(g.key_id),
                human_size(g.size) if len(g.files) == 1 else f"{g.kinds} · {human_size(g.size)}",
            )
            for g in groups[:25]
        ),
        min_values=1,
        max_values=min(len(groups), 25),
    )


def _footer(text: str, downloads: DownloadLinks) -> str:
    return f"{text} · {downloads.expiry_note}" if downloads.expiry_note else text


def _platform_of(rom: Rom, emoji: EmojiFor) -> str:
    icon = emoji(rom.platform_slug)
    name = rom.platform_display_name or rom.platform_slug
    return f"{icon} {name}" if icon else name


def files_reply(rom: Rom, file_ids: Sequence[int], downloads: DownloadLinks) -> Reply:
    chosen = expand(rom.files, file_ids)
    if not chosen:
        return Reply.error("None of those files belong to this game any more; search again.")
    url = downloads.rom(rom, [f.id for f in chosen])
    if url is None:
        return Reply.error(downloads.refused or "Downloads are not available.")
    size = sum(f.file_size_bytes for f in chosen)
    names = "\n".join(f"{f.file_name} ({human_size(f.file_size_bytes)})" for f in chosen)
    what = "1 file" if len(chosen) == 1 else f"{len(chosen)} files as one zip"
    return Reply(
        cards=(
            Card(
                f"{rom.title}: {what}",
                text=names,
                footer=_footer(f"Total {human_size(size)}", downloads),
            ),
        ),
        links=(Link(f"Download ({human_size(size)})", url),),
        private=True,
    )


def firmware_reply(
    platform: Platform,
    firmware: Sequence[Firmware],
    page: int,
    downloads: DownloadLinks,
    emoji: EmojiFor,
) -> Reply:
    label = platform_label(platform, emoji)
    if not firmware:
        return Reply(text=f"No firmware (BIOS) files for {label}.", private=True)
    pages = max(1, -(-len(firmware) // FIRMWARE_PAGE))
    page = min(max(page, 1), pages)
    chunk = firmware[(page - 1) * FIRMWARE_PAGE : page * FIRMWARE_PAGE]
    fields = tuple(
        Field(
            shorten(fw.file_name, 250),
            "\n".join(
                [
                    f"{human_size(fw.file_size_bytes)}" + (" · verified" if fw.is_verified else ""),
                    f"CRC32 `{fw.crc_hash or '?'}`",
                    f"MD5 `{fw.md5_hash or '?'}`",
                    f"SHA1 `{fw.sha1_hash or '?'}`",
                    *_markdown_link("Download", downloads.firmware(fw)),
                ]
            ),
            False,
        )
        for fw in chunk
    )
    footer = f"{len(firmware)} file(s)" + (f" · page {page}/{pages}" if pages > 1 else "")
    return Reply(
        text=downloads.refused or "",
        cards=(Card(f"Firmware for {label}", fields=fields, footer=_footer(footer, downloads)),),
        buttons=_pager("fw", page, pages, platform.id),
        private=True,
    )


def _markdown_link(label: str, url: str | None) -> list[str]:
    return [f"[{label}]({url})"] if url else []
