"""Cards for admins: request notices in the admin channel and request cards with buttons.

Every button's action id carries the request id (`req:45:fulfil`), so it works after a
restart, from any front end.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...core.cards import Button, Card, Choice, Field, Picker, Reply, action_id
from ...core.format import human_size, shorten
from ...romm.models import Rom
from .cards import describe_game, request_card, when
from .models import STATUS_LABELS, GameRequest, Person, RequestEvent

REJECT_REASONS: dict[str, str] = {
    "unavailable": "No good copy of this game could be found.",
    "platform": "This game is not available for that platform.",
    "duplicate": "The library already has this game.",
    "policy": "This game does not fit the library's rules.",
    "other": "An admin declined it.",
}
WITHOUT_GAME = "0"
INDEXERS_ACTION = "idx"  # the Prowlarr feature's actions: `idx:<request id>:search`


def admin_buttons(
    request: GameRequest, *, view: bool = False, indexers: bool = False
) -> tuple[Button, ...]:
    """`indexers`: Prowlarr is set up, so pending requests get "Search indexers"."""
    if request.status != "pending":
        return (Button("View", action_id("req", request.id, "view")),) if view else ()
    buttons = [
        Button("Fulfil", action_id("req", request.id, "fulfil"), "success", "✅"),
        Button("Reject", action_id("req", request.id, "reject"), "danger", "✖"),
    ]
    if indexers:
        buttons.append(
            Button("Search indexers", action_id(INDEXERS_ACTION, request.id, "search"), emoji="🔎")
        )
    if view:
        buttons.append(Button("View", action_id("req", request.id, "view")))
    return tuple(buttons)


def new_request_notice(
    request: GameRequest,
    in_library: bool | None = None,
    latest_note: str = "",
    *,
    indexers: bool = False,
) -> Reply:
    """The admins' notice of a request; edited in place as it changes (the status, the
    reason, the latest note), so the chat shows what happened wherever an admin acted."""
    fields = [
        Field("Platform", request.platform_name),
        Field("Asked by", f"{request.requester.name} ({request.requester.key})"),
    ]
    if request.igdb:
        fields.append(Field("IGDB", describe_game(request.igdb) or str(request.igdb.id), False))
    if request.details:
        fields.append(Field("Details", request.details, False))
    if in_library is False and request.status == "pending":
        fields.append(Field("Note", "The library has no games for this platform yet.", False))
    title = f"New request #{request.id}: {request.title}"
    if request.status != "pending":
        title = f"Request #{request.id} {request.status}: {request.title}"
        fields.insert(0, Field("Status", STATUS_LABELS[request.status]))
        if request.reason:
            fields.append(Field("Reason", request.reason, False))
    if latest_note:
        fields.append(Field("Latest note", latest_note, False))
    card = Card(
        title=title,
        url=request.igdb.url if request.igdb else None,
        fields=tuple(fields),
        thumbnail_url=request.igdb.cover_url if request.igdb else None,
        footer=f"Asked {when(request.created_at)}",
    )
    return Reply(cards=(card,), buttons=admin_buttons(request, view=True, indexers=indexers))


def admin_request_reply(
    request: GameRequest,
    events: Sequence[RequestEvent],
    others: Sequence[Person],
    text: str = "",
    *,
    indexers: bool = False,
) -> Reply:
    return Reply(
        text=text,
        cards=(request_card(request, events, others, admin=True),),
        buttons=admin_buttons(request, indexers=indexers),
        private=True,
    )


def rom_line(rom: Rom) -> str:
    return f"{rom.title} — {rom.fs_name} ({human_size(rom.fs_size_bytes)})"


def fulfil_choices_reply(request: GameRequest, roms: Sequence[Rom]) -> Reply:
    choices = [
        Choice(shorten(rom.title, 100), str(rom.id), shorten(rom_line(rom), 100))
        for rom in roms[:24]
    ]
    choices.append(Choice("Fulfil without a game link", WITHOUT_GAME, "Only mark it fulfilled"))
    text = (
        f"Which game in the library fulfils request {request.label}?"
        if roms
        else f"No game in the library looks like request {request.label}. Fulfil it anyway?"
    )
    return Reply(
        text=text,
        picker=Picker(
            action_id("req", request.id, "fulfilwith"), "Choose the game", tuple(choices)
        ),
        private=True,
    )


def reject_choices_reply(request: GameRequest) -> Reply:
    choices = tuple(Choice(shorten(text, 100), code) for code, text in REJECT_REASONS.items())
    return Reply(
        text=f"Why is request {request.label} rejected? (For your own words: "
        f"/request_admin action:reject request:{request.id} text:…)",
        picker=Picker(action_id("req", request.id, "rejectwhy"), "Choose a reason", choices),
        private=True,
    )


def likely_match_notice(request: GameRequest, rom: Rom) -> Reply:
    card = Card(
        title=f"Request #{request.id} may be fulfilled",
        text=f"A new game looks like '{request.title}' on {request.platform_name}. "
        "Is it the requested game?",
        fields=(
            Field("Requested", f"{request.title} ({request.platform_name})"),
            Field("Found", rom_line(rom), False),
            Field("Asked by", request.requester.name),
        ),
        footer=f"RomM id {rom.id}",
    )
    return Reply(
        cards=(card,),
        buttons=(
            Button(
                "Yes, fulfil with it", action_id("req", request.id, "confirm", rom.id), "success"
            ),
            Button("Not this one", action_id("req", request.id, "dismiss", rom.id)),
        ),
    )


def auto_fulfilled_notice(request: GameRequest, rom: Rom) -> Reply:
    return Reply(
        text=f"Request {request.label} was fulfilled automatically: '{rom.title}' "
        f"(RomM id {rom.id}) arrived with the same IGDB id.",
        tone="success",
    )


def undelivered_notice(request: GameRequest, people: Sequence[Person]) -> Reply:
    return undelivered_reply(people, "request", request.label, request.status, "/my_requests")


def undelivered_reply(
    people: Sequence[Person], noun: str, label: str, status: str, where: str
) -> Reply:
    """For the admins: these people could not be told about a request (report…) of theirs."""
    names = ", ".join(f"{p.name} ({p.key})" for p in people)
    return Reply(
        text=f"Could not message {names} about {noun} {label} (direct messages "
        f"closed, or their chat is not connected). The {noun} stays {status}; "
        f"they will see it in {where}.",
        tone="warning",
    )
