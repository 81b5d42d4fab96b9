"""The names closest to a mistyped one ("serch" → "search", "nintendo 46" → "nintendo 64")."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, names: Iterable[str], limit: int = 3, cutoff: float = 0.6) -> list[str]:
    """Up to `limit` names, closest first, that look like `word` (case is ignored)."""
    by_folded: dict[str, str] = {}
    for name in names:
        by_folded.setdefault(name.casefold(), name)
    found = difflib.get_close_matches(word.casefold(), list(by_folded), limit, cutoff)
    return [by_folded[f] for f in found]
