"""Titles of requested games: cleaning what people type, a normal form, and matching ROMs.

The normal form ignores case, accents, punctuation, region/revision tags in brackets and a
leading "The", and reads roman numerals as numbers ("Final Fantasy VII" = "Final Fantasy 7").
Numbers are significant: "Final Fantasy VII" and "Final Fantasy VIII" never match, whatever
else they share. A bare "X" stays a letter (Mega Man X is not Mega Man 10).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

TITLE_MAX = 100
DETAILS_MAX = 500
REASON_MAX = 300

_TAGS = re.compile(r"\([^)]*\)|\[[^\]]*\]|\{[^}]*\}")
_ROMAN = re.compile(r"^(x{0,2})(ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}
_MENTION = re.compile(r"@(everyone|here)|<@[!&]?\d+>|<#\d+>", re.IGNORECASE)

Likeness = Literal["exact", "likely", "none"]


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _roman(token: str) -> int | None:
    if not token or not _ROMAN.match(token):
        return None
    total, previous = 0, 0
    for ch in reversed(token):
        value = _ROMAN_VALUES[ch]
        total = total - value if value < previous else total + value
        previous = max(previous, value)
    return total or None


def title_tokens(title: str) -> list[str]:
    text = _TAGS.sub(" ", _fold(title)).replace("&", " and ")
    text = re.sub(r"(?<=\w)['’](?=\w)", "", text)  # Link's → links
    tokens = "".join(ch if ch.isalnum() else " " for ch in text).split()
    if len(tokens) > 1 and tokens[0] == "the":
        tokens = tokens[1:]
    out = []
    for index, word in enumerate(tokens):
        number = _roman(word)
        # "x" alone is a letter; "i" only counts as a numeral at the end ("Final Fantasy I").
        is_numeral = number is not None and word != "x"
        if word == "i" and index != len(tokens) - 1:
            is_numeral = False
        out.append(str(number) if is_numeral and index > 0 else word)
    return out


def title_key(title: str) -> str:
    """The normal form used to spot duplicates and match ROMs by name."""
    return " ".join(title_tokens(title))


def _numbers(tokens: list[str]) -> list[str]:
    return sorted(t for t in tokens if t.isdigit())


def likeness(requested: str, found: str) -> Likeness:
    """How well a ROM's name fits a requested title (names only; platforms are checked
    by the caller)."""
    want, have = title_tokens(requested), title_tokens(found)
    if not want or not have:
        return "none"
    if want == have:
        return "exact"
    if _numbers(want) != _numbers(have):
        return "none"
    small, large = sorted((set(want), set(have)), key=len)
    if len(small) >= 2 and small <= large and len(small) / len(large) >= 0.5:
        return "likely"
    if SequenceMatcher(None, " ".join(want), " ".join(have)).ratio() >= 0.88:
        return "likely"
    return "none"


@dataclass(frozen=True)
class Cleaned:
    text: str
    note: str = ""  # what was changed, to tell the person
    problem: str = ""  # why it is refused (empty: accepted)


def clean_text(text: str, limit: int, what: str, *, trim: bool = False) -> Cleaned:
    """Collapse whitespace, drop control characters, defuse mass mentions; refuse or trim
    what is too long."""
    raw = "".join(ch if ch.isprintable() else " " for ch in text)
    cleaned = " ".join(raw.split())
    defused = _MENTION.sub(lambda m: m.group(0).replace("@", "@\u200b"), cleaned)
    notes = ["mentions were defused"] if defused != cleaned else []
    if len(defused) > limit:
        if not trim:
            return Cleaned(
                defused,
                problem=f"The {what} is too long ({len(defused)} characters; at most {limit}).",
            )
        defused = defused[: limit - 1].rstrip() + "…"
        notes.append(f"{what} shortened to {limit} characters")
    return Cleaned(defused, "; ".join(notes))


def clean_title(text: str) -> Cleaned:
    result = clean_text(text, TITLE_MAX, "game name")
    if result.problem:
        return result
    if not any(ch.isalnum() for ch in result.text):
        return Cleaned(result.text, problem="That does not look like a game name (no letters).")
    if len(title_key(result.text)) < 2 and not result.text.strip().isalnum():
        return Cleaned(result.text, problem="That game name is too short to look for.")
    if re.search(r"https?://", result.text, re.IGNORECASE):
        return Cleaned(
            result.text, problem="Put the game's name, not a link (links go in the details)."
        )
    return result
