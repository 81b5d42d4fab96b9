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


# ---------------------------------------------------------------- searching names people type
# The same normal form on both sides (title_tokens), then per query word: the same word, a
# prefix of a name word (3+ letters), two adjacent name words joined ("megaman" = "Mega Man"),
# two adjacent query words joined ("star fox" = "Starfox"), or one typo (5+ letters). Numbers
# only ever match the same number, so "final fantasy 7" finds VII and never VIII.

FILLER = frozenset({"and", "plus", "of", "the", "a"})
TYPO_MIN = 5


def one_edit(a: str, b: str) -> bool:
    """Whether `a` and `b` differ by exactly one insertion, deletion, substitution or swap of
    two neighbouring letters."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        i, j = diff[0], diff[-1]
        return len(diff) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1 :]


def name_terms(tokens: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """What a name can be found by: its words and each pair of neighbouring words joined."""
    pairs = [tokens[i] + tokens[i + 1] for i in range(len(tokens) - 1)]
    return (*tokens, *pairs)


@dataclass(frozen=True)
class Query:
    """A search as typed, in the normal form: the words that must match, and its numbers."""

    text: str
    words: tuple[str, ...]  # significant words ("and", "of"… left out unless alone)
    numbers: frozenset[str]

    @classmethod
    def of(cls, text: str) -> Query:
        tokens = title_tokens(text)
        significant = tuple(t for t in tokens if t not in FILLER) or tuple(tokens)
        return cls(text, significant, frozenset(t for t in significant if t.isdigit()))


def word_score(word: str, term: str) -> int:
    """How well one query word fits one name term: 3 same, 2 prefix, 1 one typo, 0 not."""
    if word == term:
        return 3
    if word.isdigit() or term.isdigit():
        return 0
    if len(word) >= 3 and term.startswith(word):
        return 2
    if len(word) >= TYPO_MIN and one_edit(word, term):
        return 1
    return 0


def closeness(query: Query, tokens: tuple[str, ...]) -> float:
    """How close a name (its title tokens) is to the query: 0 when a query word finds nothing
    in it or a number differs; higher is closer."""
    if not query.words or not tokens:
        return 0.0
    names = [t for t in tokens if t.isdigit()]
    if query.numbers and not query.numbers <= set(names):
        return 0.0
    terms = name_terms(tokens)
    words = list(query.words)
    total, i = 0, 0
    while i < len(words):
        best = max((word_score(words[i], t) for t in terms), default=0)
        if best < 3 and i + 1 < len(words):
            joined = words[i] + words[i + 1]
            if joined in terms:  # "star fox" for "Starfox"
                total, i = total + 6, i + 2
                continue
        if best == 0:
            return 0.0
        total, i = total + best, i + 1
    exact = 2.0 if tuple(query.words) == tuple(t for t in tokens if t not in FILLER) else 0.0
    return total / (3 * len(words)) + exact - 0.02 * len(tokens)


def partial_closeness(query: Query, tokens: tuple[str, ...]) -> float:
    """For suggestions: the share of query words found in the name (numbers included)."""
    if not query.words or not tokens:
        return 0.0
    terms = name_terms(tokens)
    found = sum(1 for w in query.words if any(word_score(w, t) for t in terms))
    if not found:
        return SequenceMatcher(None, " ".join(query.words), " ".join(tokens)).ratio() - 0.5
    return found / len(query.words) - 0.02 * len(tokens)
