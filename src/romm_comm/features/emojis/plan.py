"""Which platform emojis should exist, as a pure decision (no I/O, no chat library).

Given the library's platforms with their ROM counts, the emojis the bot uploaded earlier
(and which of them still exist), how many other emojis occupy slots, the slot limit and a
reserve kept free for people, the planner says what to delete and what to upload:

- the bot may hold at most `limit - reserve - others` emojis (never negative);
- free slots are filled by ROM count (then slug); an emoji that exists is kept while it
  fits, so a sync never swaps emojis around (no churn, and an emoji someone deleted comes
  back only into a free slot);
- only the bot's own emojis are ever deleted: those of platforms that left the library,
  the lowest-priority ones when the capacity shrank, and duplicates of one platform;
- platforms without an icon, or already shown by someone else's emoji of the same name
  ("covered"), are skipped and their place goes to the next platform;
- records of emojis that no longer exist (someone deleted them) are forgotten: the platform
  is planned again like any other, so it comes back only when a slot is free.

The same inputs after the plan was carried out give an empty plan (idempotent).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

FALLBACK_EMOJI = "🎮"  # shown where a platform has no emoji of its own
NAME_MAX = 32
_INVALID = re.compile(r"[^a-z0-9_]+")


@dataclass(frozen=True)
class PlatformDemand:
    slug: str
    rom_count: int


@dataclass(frozen=True)
class OwnedEmoji:
    """An emoji the bot uploaded: its id, its name and the platform slug it shows."""

    id: int
    name: str
    slug: str


@dataclass(frozen=True)
class EmojiPlan:
    capacity: int  # how many emojis the bot may hold after the plan
    keep: tuple[OwnedEmoji, ...] = ()
    delete: tuple[OwnedEmoji, ...] = ()
    upload: tuple[str, ...] = ()  # slugs, highest priority first
    forget: tuple[OwnedEmoji, ...] = ()  # records of emojis that no longer exist
    skipped: tuple[str, ...] = field(default=())  # wanted but no room left

    @property
    def empty(self) -> bool:
        return not (self.delete or self.upload or self.forget)


def emoji_name(slug: str) -> str:
    """A valid emoji name (2-32 of a-z, 0-9, _) for a platform slug; stable for a slug."""
    name = _INVALID.sub("_", slug.strip().lower().replace("-", "_")).strip("_")
    if len(name) > NAME_MAX:
        digest = hashlib.sha1(slug.encode()).hexdigest()[:6]  # noqa: S324 - a name, not security
        name = f"{name[: NAME_MAX - 7].rstrip('_')}_{digest}"
    if len(name) < 2:
        name = f"{name}_p" if name else "platform"
    return name


def ranked(platforms: Iterable[PlatformDemand], present: Collection[str] = ()) -> list[str]:
    """Slugs by priority: more ROMs first; on a tie, one that has an emoji; then by slug."""
    unique = {p.slug: p for p in platforms}
    order = sorted(unique.values(), key=lambda p: (-p.rom_count, p.slug not in present, p.slug))
    return [p.slug for p in order]


def plan_emojis(
    platforms: Sequence[PlatformDemand],
    owned: Sequence[OwnedEmoji],
    *,
    existing_ids: Collection[int],
    others: int,
    limit: int,
    reserve: int = 0,
    no_icon: Collection[str] = (),
    covered: Collection[str] = (),
) -> EmojiPlan:
    capacity = max(0, limit - reserve - others)
    alive = [e for e in owned if e.id in existing_ids]
    forget = tuple(e for e in owned if e.id not in existing_ids)

    by_slug: dict[str, OwnedEmoji] = {}
    duplicates: list[OwnedEmoji] = []
    for emoji in alive:
        if emoji.slug in by_slug:
            duplicates.append(emoji)
        else:
            by_slug[emoji.slug] = emoji

    # An existing emoji is not dropped for a missing icon: the icon is only needed to upload.
    eligible = [
        p
        for p in platforms
        if p.slug in by_slug or (p.slug not in no_icon and p.slug not in covered)
    ]
    order = ranked(eligible, present=by_slug)
    kept = [s for s in order if s in by_slug][:capacity]
    kept_set = set(kept)
    rank = {slug: i for i, slug in enumerate(order)}
    dropped = [e for s, e in by_slug.items() if s not in kept_set]
    # Lowest priority (or gone from the library) first.
    dropped.sort(key=lambda e: -rank.get(e.slug, len(rank)))
    missing = [s for s in order if s not in by_slug]
    free = capacity - len(kept)
    keep = tuple(by_slug[s] for s in kept)
    upload = tuple(missing[:free])
    skipped = tuple(missing[free:])
    return EmojiPlan(
        capacity=capacity,
        keep=keep,
        delete=tuple(duplicates) + tuple(dropped),
        upload=upload,
        forget=forget,
        skipped=skipped,
    )
