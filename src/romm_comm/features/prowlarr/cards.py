"""What admins see of Prowlarr: the ranked releases as a pick list, one release with "Grab",
and what a grab came to. No download link is ever shown: Prowlarr's carry its API key."""

from __future__ import annotations

from typing import Any

from ...core.cards import Button, Card, Choice, Field, Picker, Reply, action_id
from ...core.format import human_size, shorten
from ..requests.admin_cards import INDEXERS_ACTION
from ..requests.models import GameRequest
from .service import Found, Grabbed, release_record


def age_text(days: int) -> str:
    if days <= 0:
        return "today"
    return "1 day" if days == 1 else f"{days:,} days"


def peers_text(record: dict[str, Any]) -> str:
    if record.get("protocol") == "torrent" or record.get("seeders") is not None:
        return f"{record.get('seeders') or 0} seeders, {record.get('leechers') or 0} leechers"
    grabs = record.get("grabs")
    return f"{grabs:,} grabs" if isinstance(grabs, int) else "grabs unknown"


def release_line(record: dict[str, Any]) -> str:
    return (
        f"{human_size(int(record.get('size') or 0))} · {age_text(int(record.get('age') or 0))}"
        f" · {peers_text(record)} · {record.get('indexer') or '?'} ({record.get('protocol')})"
    )


def _dropped(found: Found) -> str:
    parts = []
    if found.other_platform:
        parts.append(f"{found.other_platform} for another platform")
    if found.other_game:
        parts.append(f"{found.other_game} another game or number")
    return f" Left out: {', '.join(parts)}." if parts else ""


def results_reply(found: Found) -> Reply:
    request = found.request
    if not found.ranked:
        head = (
            f"Prowlarr's indexers found nothing for '{request.title}'."
            if not found.total
            else f"None of the {found.total} release(s) Prowlarr found fits "
            f"'{request.title}' on {request.platform_name}."
        )
        return Reply(text=head + _dropped(found), tone="warning", private=True)
    records = [release_record(r.release) for r in found.ranked]
    lines = [
        f"{n}. {shorten(rec['title'], 90)}\n   {release_line(rec)}"
        for n, rec in enumerate(records, 1)
    ]
    card = Card(
        title=f"Releases for request {request.label}",
        text="\n".join(lines),
        footer=f"{found.total} found by Prowlarr, best {len(records)} shown.{_dropped(found)}",
    )
    choices = tuple(
        Choice(shorten(rec["title"], 100), str(n), shorten(release_line(rec), 100))
        for n, rec in enumerate(records)
    )
    picker = Picker(action_id(INDEXERS_ACTION, request.id, "pick"), "Choose a release", choices)
    return Reply(cards=(card,), picker=picker, private=True)


def release_reply(request: GameRequest, index: int, record: dict[str, Any]) -> Reply:
    card = Card(
        title=shorten(str(record["title"]), 200),
        fields=(
            Field("Size", human_size(int(record.get("size") or 0))),
            Field("Age", age_text(int(record.get("age") or 0))),
            Field("Peers" if record.get("protocol") == "torrent" else "Grabs", peers_text(record)),
            Field("Indexer", str(record.get("indexer") or "?")),
            Field("Protocol", str(record.get("protocol"))),
            Field("Request", request.label, False),
        ),
    )
    grab = Button("Grab", action_id(INDEXERS_ACTION, request.id, "grab", index), "success", "⬇")
    back = Button("Back to the list", action_id(INDEXERS_ACTION, request.id, "search"))
    return Reply(cards=(card,), buttons=(grab, back), private=True)


def grabbed_reply(grabbed: Grabbed) -> Reply:
    sent = (
        f"Sent '{grabbed.release['title']}' to Prowlarr's download client "
        f"({grabbed.release['indexer']}, {grabbed.release['protocol']})."
    )
    request = grabbed.outcome.request
    if grabbed.outcome.kind != "done" or request is None:  # closed meanwhile by someone else
        state = f"is already {request.status}" if request else "no longer exists"
        return Reply(
            text=f"{sent} The request {state}, so nothing was added to it.",
            tone="warning",
            private=True,
        )
    people = 1 + len(grabbed.outcome.others)
    return Reply(
        text=f"{sent} Request {request.label} stays pending until the game appears in RomM; "
        f"{people} person(s) were told it is on its way.",
        tone="success",
        private=True,
    )
