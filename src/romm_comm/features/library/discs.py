"""A game's files as the choices a person makes: one per disc, not one per file.

A disc image is often several files that only work together: a `.cue` sheet and its `.bin`
(or one `.bin` per audio track), `.ccd`/`.img`/`.sub`, a `.gdi` and its tracks. Files whose
names differ only in extension and a "(Track N)" part make one disc; a `.m3u` playlist and
every other file stand alone. Choices carry the id of a group's first file; the chosen ids are
expanded back to whole groups from the same files, so a choice never splits a disc.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ...romm.models import RomFile

DISC_PARTS = frozenset({"bin", "cue", "img", "ccd", "sub", "gdi", "raw", "iso", "wav", "toc"})
_TRACK = re.compile(r"\s*[\(\[]?\s*track\s*\d+\s*[\)\]]?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class FileGroup:
    name: str  # the disc's name (file name without extension and track), or the file name
    files: tuple[RomFile, ...]

    @property
    def key_id(self) -> int:
        return self.files[0].id

    @property
    def size(self) -> int:
        return sum(f.file_size_bytes for f in self.files)

    @property
    def kinds(self) -> str:
        """`bin + cue`, `8 × bin + cue`: what the group is made of."""
        counts: dict[str, int] = {}
        for f in self.files:
            ext = _ext(f.file_name) or "file"
            counts[ext] = counts.get(ext, 0) + 1
        return " + ".join(f"{n} × {ext}" if n > 1 else ext for ext, n in counts.items())


def _ext(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def _disc_key(name: str) -> str | None:
    ext = _ext(name)
    if ext not in DISC_PARTS:
        return None
    return _disc_name(name).casefold()


def _disc_name(name: str) -> str:
    return _TRACK.sub("", name.rsplit("/", 1)[-1].rsplit(".", 1)[0]).strip()


def group_files(files: Iterable[RomFile]) -> list[FileGroup]:
    """The files in their order, one group per disc (or per file that is not a disc part)."""
    order: list[str] = []
    members: dict[str, list[RomFile]] = {}
    names: dict[str, str] = {}
    for f in files:
        disc = _disc_key(f.file_name)
        key = f"disc:{disc}" if disc else f"file:{f.id}"
        if key not in members:
            order.append(key)
            members[key] = []
            names[key] = (
                f.file_name
                if disc is None
                else _TRACK.sub("", f.file_name.rsplit(".", 1)[0]).strip()
            )
        members[key].append(f)
    groups = []
    for key in order:
        group = members[key]
        name = names[key] if len(group) > 1 else group[0].file_name
        groups.append(FileGroup(name, tuple(group)))
    return groups


def expand(files: Sequence[RomFile], chosen_ids: Iterable[int]) -> list[RomFile]:
    """Every file of each group that holds one of the chosen ids, in the game's order."""
    wanted = set(chosen_ids)
    return [f for g in group_files(files) if wanted & {m.id for m in g.files} for f in g.files]
