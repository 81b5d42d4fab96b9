"""Ranking releases for a request: closeness to the requested title and platform.

Titles are compared in the request matcher's normal form (`requests.matcher.title_tokens`:
case, accents, punctuation and bracketed tags ignored, roman numerals read as numbers), and
by its rules: every word of the requested title must be there, and the numbers must be the
same ones: "Final Fantasy VII" never takes "Final Fantasy VIII" (nor "Final Fantasy"). Disc,
part and version numbers and years do not count as the game's numbers. A release whose title
names another platform than the request's is dropped; one that names the request's platform
ranks above one that names none. Among equals: more seeders (torrents) or grabs (usenet).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ...prowlarr.models import Release
from ..requests.matcher import FILLER, likeness, title_tokens
from .platform_names import PlatformNames, words

# Words of release titles that say nothing about which game it is.
NOISE = frozenset(
    [
        "usa",
        "us",
        "eur",
        "europe",
        "pal",
        "ntsc",
        "jpn",
        "japan",
        "jp",
        "world",
        "en",
        "fr",
        "de",
        "es",
        "it",
        "multi",
        "multi5",
        "rev",
        "proper",
        "repack",
        "iso",
        "rip",
        "chd",
        "bin",
        "cue",
        "rom",
        "roms",
        "redump",
        "nointro",
        "no",
        "intro",
        "complete",
        "retail",
        "scene",
        "gog",
        "disc",
        "disk",
        "cd",
        "dvd",
        "rar",
        "zip",
        "7z",
        "torrent",
    ]
)
_COUNTERS = frozenset({"disc", "disk", "cd", "part", "rev", "revision", "vol", "volume", "of"})
_VERSION = re.compile(r"^v\d+$")
_GROUP = re.compile(r"-[A-Za-z0-9]+$")  # a scene group at the end: "…PS1-RETRO"


@dataclass(frozen=True)
class Ranked:
    release: Release
    score: float
    names_platform: bool  # the title names the requested platform


@dataclass(frozen=True)
class Ranking:
    ranked: list[Ranked]
    other_platform: int  # dropped: the title names another platform
    other_game: int  # dropped: another title or other numbers (a sequel, a remake's number)


def _counted(tokens: Sequence[str], index: int) -> bool:
    """Whether the number at `index` counts discs, parts or versions ("Disc 2", "v1 1")."""
    before = tokens[index - 1] if index else ""
    return before in _COUNTERS or bool(_VERSION.match(before))


def game_numbers(tokens: Sequence[str]) -> set[str]:
    """The numbers that tell games apart: not disc/part counters, versions or years."""
    return {
        str(int(token))
        for index, token in enumerate(tokens)
        if token.isdigit() and int(token) < 100 and not _counted(tokens, index)
    }


def core_words(tokens: Sequence[str]) -> list[str]:
    """The words that name the game: no noise, no counters and their numbers, no years."""
    return [
        token
        for index, token in enumerate(tokens)
        if token not in NOISE
        and not (token.isdigit() and (int(token) >= 100 or _counted(tokens, index)))
        and not _VERSION.match(token)
    ]


def _title_part(release_title: str) -> str:
    return _GROUP.sub("", release_title.replace(".", " ").replace("_", " ")).strip()


def score_release(
    title: str, platform_key: str, release: Release, names: PlatformNames
) -> tuple[str, float, bool]:
    """("ok", score, names_platform) or ("platform"|"game", 0, False) for a dropped one."""
    want = title_tokens(title)
    raw_title = _title_part(release.title)
    named = names.named_in(release.title, ignore=words(title))
    if any(platform_key not in slugs for slugs in named):
        return "platform", 0.0, False
    names_platform = bool(named)
    have = names.without_names(title_tokens(raw_title), ignore=want)
    if game_numbers(want) != game_numbers(have):
        return "game", 0.0, False
    significant = {t for t in want if t not in FILLER} or set(want)
    if not significant <= set(have):
        return "game", 0.0, False
    core = core_words(have)
    extra = {t for t in core if t not in set(want) and t not in FILLER}
    score = 1.0 - 0.1 * len(extra)
    if likeness(title, " ".join(core)) == "exact":
        score += 0.5
    if names_platform:
        score += 0.3
    return "ok", score, names_platform


def rank(
    title: str, platform_key: str, releases: Sequence[Release], names: PlatformNames
) -> Ranking:
    kept: list[Ranked] = []
    other_platform = other_game = 0
    for release in releases:
        verdict, score, named = score_release(title, platform_key, release, names)
        if verdict == "platform":
            other_platform += 1
        elif verdict == "game":
            other_game += 1
        else:
            kept.append(Ranked(release, score, named))
    kept.sort(key=lambda r: (-r.score, -popularity(r.release), -r.release.size))
    return Ranking(kept, other_platform, other_game)


def popularity(release: Release) -> int:
    return release.seeders if release.seeders is not None else (release.grabs or 0)
