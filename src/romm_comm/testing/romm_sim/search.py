"""`search_term` matching: per-word AND over name and fs_name, `|` separating alternatives.

Two dialects, as RomM's database decides (`Library.search_dialect`):
- "mariadb" (the default; RomM's usual database): each word of 3+ characters becomes an InnoDB
  FULLTEXT boolean term `+word*`. The word's first letter/digit run is required and matched as a
  prefix of an indexed word (only when nothing follows it: "zelda:" is `+zelda` exact). A
  required run that is an InnoDB stop word or shorter than the minimum token size (3) makes the
  whole search find nothing ("the legend", "dr. mario"). Words shorter than 3 characters go
  through `LIKE '%word%'` unescaped, so `%` and `_` match anything and `&` must be typed.
- "postgresql" (and SQLite): lenient `ILIKE %word%` per word, below.

Lenient dialect, case- and accent-insensitive. A word matches as typed ("c#", "dr.", "100%")
or, failing that, by its letters and digits alone ("zelda:" finds "Zelda -"). Words that are
only punctuation ("&", "+", "-") are ignored unless the whole term is punctuation.
Both dialects: a hex string of CRC32 / MD5 / SHA1 length also matches ROM and file hashes.

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

DIALECTS = ("mariadb", "postgresql")
MIN_TOKEN = 3  # innodb_ft_min_token_size
# InnoDB's default full-text stop words (INFORMATION_SCHEMA.INNODB_FT_DEFAULT_STOPWORD).
_STOP_WORD_TEXT = (
    "a about an are as at be by com de en for from how i in is it la of on or that the this "
    "to was what when where who will with und www"
)
STOP_WORDS = frozenset(_STOP_WORD_TEXT.split(" "))
_LIKE_PARTS = re.compile(r"[%_]|[^%_]+")
# A full-text word: letters and digits with their combining marks (kana voicing marks too).
_FT_WORD = re.compile(r"(?:\w|[\u0300-\u036f\u3099-\u309c])+")


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


def _like(word: str) -> re.Pattern[str]:
    """`LIKE '%word%'` as RomM sends it: `%` and `_` are not escaped, so they are wildcards."""
    parts = _LIKE_PARTS.findall(fold(word))
    body = "".join(".*" if p == "%" else "." if p == "_" else re.escape(p) for p in parts)
    return re.compile(body)  # no DOTALL: a column (name, fs_name) is one line of the hay


def _fulltext(word: str) -> re.Pattern[str] | None:
    """The test for `+word*`; None when the required term can never match (stop word or shorter
    than the minimum token size)."""
    folded = fold(word)
    runs = _FT_WORD.findall(folded)
    if not runs:
        return re.compile("")  # only operators and punctuation: no condition
    first = runs[0]
    if len(first) < MIN_TOKEN or first in STOP_WORDS:
        return None
    prefix = len(runs) == 1 and folded.endswith(first)  # "*" right after the word
    tail = "" if prefix else r"(?!\w)"
    return re.compile(r"(?<!\w)" + re.escape(first) + tail)


def _mariadb(index: SearchIndex | None, roms: Sequence[Rom], alternative: str) -> list[Rom]:
    tests: list[re.Pattern[str]] = []
    needles: list[str] = []
    for word in alternative.replace("\x00", "").split():
        if len(word) < MIN_TOKEN:
            tests.append(_like(word))
            continue
        test = _fulltext(word)
        if test is None:
            return []
        tests.append(test)
        needles.extend(_FT_WORD.findall(fold(word))[:1])
    if not tests:
        return []
    pool: Sequence[Rom] = roms
    if index is not None and needles:
        rarest = min(needles, key=index.text.count)
        pool = [index.roms[row] for row in index.rows_with(rarest)]
    return [r for r in pool if all(t.search(r.hay) for t in tests)]


def search(
    lib: Library, roms: Sequence[Rom], term: str, *, order_by: str | None = None
) -> list[Rom]:
    """The ROMs of `roms` (order kept) that match `term`. With `order_by`, `roms` must be
    `lib.ordered(order_by)` and its cached index is used."""
    index = lib.search_index(order_by) if order_by is not None else None
    alternatives = [a for a in term.split("|") if a.strip()] or [term]
    results: list[list[Rom]] = []
    for alternative in alternatives:
        if lib.search_dialect == "mariadb":
            results.append(_mariadb(index, roms, alternative))
            continue
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
