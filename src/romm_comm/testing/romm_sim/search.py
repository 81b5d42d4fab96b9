"""`search_term` matching: per-word AND over name and fs_name, `|` separating alternatives.

Case- and accent-insensitive. A word matches as typed ("c#", "dr.", "100%") or, failing that,
by its letters and digits alone ("zelda:" finds "Zelda -"). Words that are only punctuation
("&", "+", "-") are ignored unless the whole term is punctuation. A hex string of CRC32 / MD5 /
SHA1 length also matches ROM and file hashes, as in RomM.

Speed: every letter/digit run of a word must occur in a matching ROM's text, so the rarest one
is looked up first in one joined string per sort order (cache-friendly, ~5 ms per 100k ROMs),
and only those candidates are checked word by word.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate
from typing import TYPE_CHECKING

from .models import Rom, fold

if TYPE_CHECKING:
    from .library import Library

_WORD = re.compile(r"\w+")
_HEX = re.compile(r"^[0-9a-fA-F]+$")

Token = tuple[str, tuple[str, ...]]  # (as typed, its letter/digit runs)


class SearchIndex:
    """The folded texts of an ordered ROM list, joined, with each row's start offset."""

    def __init__(self, roms: list[Rom]) -> None:
        self.roms = roms
        self.text = "\x00".join(r.hay for r in roms)
        self.starts = list(accumulate((len(r.hay) + 1 for r in roms), initial=0))
        self._rows: dict[int, int] | None = None

    def warm(self) -> None:
        self.in_order(set())

    def in_order(self, ids: set[int]) -> list[Rom]:
        """The ROMs with these ids, in this index's order."""
        if self._rows is None:
            self._rows = {r.id: i for i, r in enumerate(self.roms)}
        rows = self._rows
        return [self.roms[i] for i in sorted(rows[rom_id] for rom_id in ids if rom_id in rows)]

    def rows_with(self, needle: str) -> list[int]:
        """Indexes (ascending) of the rows whose text contains `needle`."""
        rows: list[int] = []
        text, starts = self.text, self.starts
        pos = text.find(needle)
        while pos != -1:
            row = bisect_right(starts, pos) - 1
            rows.append(row)
            pos = text.find(needle, starts[row + 1])
        return rows


def _tokens(alternative: str) -> list[Token]:
    raw = fold(alternative.replace("\x00", "")).split()
    tokens = [(t, tuple(_WORD.findall(t))) for t in raw]
    meaningful = [t for t in tokens if t[1]]
    if meaningful:
        return meaningful
    whole = fold(alternative.replace("\x00", "")).strip()
    return [(whole, ())] if whole else []


def _match(roms: Sequence[Rom], tokens: list[Token]) -> list[Rom]:
    found = list(roms)
    for raw, words in tokens:
        if len(words) == 1 and words[0] == raw:
            found = [r for r in found if raw in r.hay]
        else:
            found = [r for r in found if raw in r.hay or (words and all(w in r.hay for w in words))]
        if not found:
            break
    return found


def _candidates(index: SearchIndex, tokens: list[Token]) -> list[Rom]:
    needles = {w for _, words in tokens for w in words} or {raw for raw, _ in tokens}
    if not needles:
        return []
    rarest = min(needles, key=index.text.count)
    if index.text.count(rarest) > len(index.roms) // 4:
        return index.roms  # common everywhere: a straight scan is cheaper
    return [index.roms[row] for row in index.rows_with(rarest)]


def search(
    lib: Library, roms: Sequence[Rom], term: str, *, order_by: str | None = None
) -> list[Rom]:
    """The ROMs of `roms` (order kept) that match `term`. With `order_by`, `roms` must be
    `lib.ordered(order_by)` and its cached index is used."""
    index = lib.search_index(order_by) if order_by is not None else None
    alternatives = [a for a in term.split("|") if a.strip()] or [term]
    results: list[list[Rom]] = []
    for alternative in alternatives:
        tokens = _tokens(alternative)
        if not tokens:
            continue
        pool = _candidates(index, tokens) if index is not None else roms
        results.append(_match(pool, tokens))
    if len(results) == 1:
        hits = results[0]
    else:
        ids = {r.id for hits in results for r in hits}
        hits = index.in_order(ids) if index is not None else [r for r in roms if r.id in ids]
    return _with_hashes(lib, roms, alternatives, hits)


def _with_hashes(
    lib: Library, roms: Sequence[Rom], alternatives: list[str], hits: list[Rom]
) -> list[Rom]:
    hashed: set[int] = set()
    for alternative in alternatives:
        value = alternative.strip()
        if len(value) in (8, 32, 40) and _HEX.match(value):
            hashed |= lib.roms_with_hash(value)
    if not hashed:
        return hits
    ids = {r.id for r in hits} | hashed
    return [r for r in roms if r.id in ids]
