"""Recently added posts as neutral replies: one game, a few with a cover grid, or many."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ...core.cards import Attachment, Button, Card, Choice, Field, Picker, Reply, action_id
from ...core.format import day, human_size, shorten
from ...romm.links import Links
from ...romm.models import Rom

GRID_FILE = "new-games.png"
MAX_LISTED = 25
MAX_PLATFORM_FIELDS = 24

EmojiFor = Callable[[str], str]


class RecentCards:
    def __init__(self, links: Links, emoji: EmojiFor) -> None:
        self.links = links
        self.emoji = emoji

    def _platform(self, rom: Rom) -> str:
        name = rom.platform_display_name or rom.platform_slug
        icon = self.emoji(rom.platform_slug)
        return f"{icon} {name}" if icon else name

    def single(self, rom: Rom) -> Reply:
        fields = [Field("Platform", self._platform(rom))]
        if rom.release_date:
            fields.append(Field("Released", day(rom.release_date)))
        if rom.metadatum and rom.metadatum.genres:
            fields.append(Field("Genres", shorten(", ".join(rom.metadatum.genres), 200)))
        fields.append(Field("Size", human_size(rom.total_size)))
        card = Card(
            title=rom.title,
            url=self.links.rom_page(rom.id),
            text=shorten(rom.summary or "", 300),
            fields=tuple(fields),
            thumbnail_url=self.links.cover(rom),
            footer="New in the library",
        )
        return Reply(
            text="🆕 New in the library",
            cards=(card,),
            buttons=(Button("Details & download", action_id("rom", rom.id), emoji="📥"),),
        )

    def grouped(self, roms: Sequence[Rom], grid_png: bytes | None) -> Reply:
        lines = [
            f"• [{shorten(r.title, 80)}]({self.links.rom_page(r.id)}) — {self._platform(r)}"
            for r in roms[:MAX_LISTED]
        ]
        card = Card(
            title=f"🆕 {len(roms)} new games",
            text="\n".join(lines),
            image_url=f"attachment://{GRID_FILE}" if grid_png else None,
            footer="Pick one below for details and a download link",
        )
        picker = Picker(
            action="rom",
            placeholder="Open one of the new games…",
            choices=tuple(
                Choice(shorten(r.title, 100), str(r.id), shorten(self._platform(r), 100))
                for r in roms[:MAX_LISTED]
            ),
        )
        attachments = (
            (Attachment(GRID_FILE, grid_png, f"Covers of {len(roms)} new games"),)
            if grid_png
            else ()
        )
        return Reply(cards=(card,), picker=picker, attachments=attachments)

    def bulk(self, total: int | None, by_platform: dict[str, int], newest: Sequence[Rom]) -> Reply:
        ranked = sorted(by_platform.items(), key=lambda kv: (-kv[1], kv[0]))
        fields = [Field(name, f"+{n:,}") for name, n in ranked[:MAX_PLATFORM_FIELDS]]
        rest = ranked[MAX_PLATFORM_FIELDS:]
        if rest:
            fields.append(
                Field(f"{len(rest)} more platforms", f"+{sum(n for _, n in rest):,}", False)
            )
        if total is not None:
            title = f"🆕 {total:,} new games"
            footer = f"{len(by_platform)} platform(s)"
        else:
            title = f"🆕 More than {len(newest) - 1:,} new games"
            footer = f"By platform among the newest {len(newest)}"
        examples = ", ".join(shorten(r.title, 40) for r in newest[:5])
        card = Card(
            title=title,
            text=f"Among the newest: {examples}" if examples else "",
            fields=tuple(fields),
            footer=footer,
        )
        return Reply(cards=(card,))
