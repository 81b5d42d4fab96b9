"""Platform emojis as the core sees them: a front end that can upload emojis (Discord)
registers an `EmojiSyncer` in `Services.emoji_syncers` under its name; `/emojis` asks it to
sync or to tell its state, and every sync answers with an `EmojiReport`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass
class EmojiReport:
    mode: str  # "application", "guild" or "off"
    held: int = 0  # platform emojis the bot has after the sync
    capacity: int = 0  # how many it may have
    platforms: int = 0  # platforms in the library
    uploaded: list[str] = field(default_factory=list)  # slugs
    deleted: list[str] = field(default_factory=list)  # slugs (only the bot's own emojis)
    forgotten: list[str] = field(default_factory=list)  # bot emojis someone else deleted
    no_icon: dict[str, str] = field(default_factory=dict)  # slug → why there is no image
    no_room: int = 0  # platforms that wanted an emoji but got no slot
    note: str = ""  # why the sync stopped early or did not run

    @property
    def changed(self) -> bool:
        return bool(self.uploaded or self.deleted or self.forgotten or self.note)


class EmojiSyncer(Protocol):
    async def sync(self, *, reason: str, force: bool = False) -> EmojiReport:
        """Bring the platform emojis in line with the library now (`force`: retry icons that
        were missing before)."""
        ...

    async def status(self) -> EmojiReport:
        """What is there now, without changing anything."""
        ...
