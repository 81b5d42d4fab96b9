"""Replies of /missing and /collection."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from ...core.cards import Attachment, Button, Card, Choice, Picker, Reply, action_id
from ...core.format import shorten
from ...igdb.platform_list import ListedGame
from .service import Completeness, percent

PAGE = 10
MISSING_ACTION = "miss"
CHART_FILE = "collection.png"


def pages(count: int) -> int:
    return max(1, -(-count // PAGE))


def _line(number: int, game: ListedGame) -> str:
    parts = [f"{number}. {game.name}" + (f" ({game.year})" if game.year else "")]
    if game.rating is not None:
        parts.append(f"★ {game.rating:.0f}")
    if game.rating_count:
        parts.append(f"{game.rating_count:,} ratings")
    return " — ".join(parts)


def missing_reply(
    result: Completeness,
    *,
    page: int,
    sort: str,
    include: str,
    request_action: str | None,
) -> Reply:
    """One page of the games the library lacks, ◀ ▶ to move, a picker to request one."""
    name = result.platform.display_name or result.platform.name
    what = "main games" if include == "main" else f"games ({include} included)"
    if not result.total:
        return Reply.notice(f"IGDB lists no {what} for {name}.", private=True)
    last = pages(len(result.missing))
    page = max(1, min(page, last))
    start = (page - 1) * PAGE
    shown = result.missing[start : start + PAGE]
    head = f"The library has {result.figure} of the {what} IGDB lists for {name}."
    if not result.missing:
        return Reply(text=head + " Nothing is missing.", tone="success", private=True)
    lines = [_line(n, g) for n, g in enumerate(shown, start=start + 1)]
    card = Card(
        f"Missing on {name}" + (f" (page {page} of {last})" if last > 1 else ""),
        text="\n".join(lines),
        footer=f"{len(result.missing):,} missing · by {sort} · from IGDB",
        as_of=datetime.fromtimestamp(result.fetched_at, tz=UTC),
    )
    buttons = []
    here = (MISSING_ACTION, result.platform.id, sort, include)
    if page > 1:
        buttons.append(Button("◀ Previous", action_id(*here, page - 1)))
    if page < last:
        buttons.append(Button("Next ▶", action_id(*here, page + 1)))
    picker = None
    if request_action is not None:
        choices = tuple(Choice(shorten(g.name, 100), str(g.id), str(g.year or "")) for g in shown)
        picker = Picker(action_id(request_action, result.platform.slug), "Request this…", choices)
    return Reply(text=head, cards=(card,), buttons=tuple(buttons), picker=picker, private=True)


def table(results: Sequence[Completeness]) -> str:
    """Platforms, most complete first, as aligned columns."""
    ranked = sorted(results, key=lambda r: (-(r.have / r.total if r.total else 0), _name(r)))
    width = min(28, max((len(_name(r)) for r in ranked), default=8))
    rows = [f"{'Platform':<{width}}  {'Have':>6}  {'IGDB':>6}  {'%':>4}"]
    for r in ranked:
        rows.append(
            f"{shorten(_name(r), width):<{width}}  {r.have:>6,}  {r.total:>6,}  "
            + (f"{percent(r.have, r.total):>3}%" if r.total else "   —")  # IGDB lists none
        )
    return "```\n" + "\n".join(rows) + "\n```"


def _name(result: Completeness) -> str:
    return result.platform.display_name or result.platform.name


def collection_reply(
    results: Sequence[Completeness], skipped: Sequence[str], chart: bytes | None
) -> Reply:
    if not results:
        return Reply.notice(
            "None of the library's platforms is known to IGDB, so there is nothing to compare.",
            private=True,
        )
    have = sum(r.have for r in results)
    total = sum(r.total for r in results)
    notes = [f"Main games, all platforms: {have:,} of {total:,} — {percent(have, total)}%."]
    if skipped:
        notes.append("Not compared (no IGDB id): " + ", ".join(skipped) + ".")
    card = Card(
        "Collection completeness",
        text=table(results) + "\n" + " ".join(notes),
        image_url=f"attachment://{CHART_FILE}" if chart else None,
        footer="Against IGDB's lists · /missing shows what is missing on one platform",
    )
    attachments = (
        (Attachment(CHART_FILE, chart, "Completeness per platform (bar chart)"),) if chart else ()
    )
    return Reply(cards=(card,), attachments=attachments)
