"""Cards for game requests as members see them: the request form's steps, lists, one
request with its history, and the messages people get when a request is closed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ...core.cards import Button, Card, Choice, Field, Link, Picker, Reply, action_id, list_reply
from ...core.format import shorten
from ...igdb.models import IgdbGame
from ...romm.models import Rom
from .models import STATUS_LABELS, Draft, GameRequest, IgdbPick, Person, RequestEvent

IGDB_CARDS = 3
IGDB_CHOICES = 10
NONE_OF_THESE = "0"
HISTORY_LINES = 15
HISTORY_CHARS = 1000  # Discord's embed fields hold 1024

EVENT_WORDS = {
    "created": "asked for it",
    "subscribed": "wants it too",
    "unsubscribed": "stopped following",
    "withdrawn": "withdrew",
    "taken_over": "took the request over",
    "note": "noted",
    "fulfilled": "fulfilled it",
    "auto_fulfilled": "fulfilled it (the game arrived)",
    "rejected": "rejected it",
    "cancelled": "cancelled it",
    "suggested": "found a possible match",
    "not_a_match": "said a found game is not it",
    "dm_sent": "told",
    "dm_failed": "could not message",
    "imported": "imported it",
    "grabbed": "sent a release to the download client",
    "on_its_way": "found a copy: it is on its way",
}
PRIVATE_EVENTS = frozenset({"dm_sent", "dm_failed", "suggested", "not_a_match", "grabbed"})


def pick_of(game: IgdbGame) -> IgdbPick:
    return IgdbPick(
        id=game.id,
        name=game.name,
        year=game.year,
        cover_url=game.cover_url,
        summary=shorten(game.summary or "", 400),
        platforms=tuple(game.platform_labels()),
        url=game.page_url,
    )


def when(iso: str) -> str:
    return iso[:10]


def describe_game(pick: IgdbPick) -> str:
    parts = [str(pick.year) if pick.year else (pick.release_date or "")]
    if pick.platforms:
        parts.append(shorten(", ".join(pick.platforms), 120))
    return " · ".join(p for p in parts if p)


def library_matches_reply(draft: Draft, roms: Sequence[Rom]) -> Reply:
    choices = tuple(
        Choice(shorten(rom.title, 100), str(rom.id), shorten(rom.fs_name, 100)) for rom in roms
    )
    return Reply(
        text=f"The library may already have '{draft.title}' on {draft.platform_name}. "
        "Pick one to download it, or go on with the request if it is not there.",
        picker=Picker(action="rom", placeholder="You already have…", choices=choices[:25]),
        buttons=(
            Button("Not there — request it", action_id("reqd", draft.id, "igdb"), "primary"),
            Button("Cancel", action_id("reqd", draft.id, "drop")),
        ),
        private=True,
    )


def igdb_choices_reply(draft: Draft, games: Sequence[IgdbGame], note: str = "") -> Reply:
    cards = tuple(
        Card(
            title=f"{g.name} ({g.year})" if g.year else g.name,
            url=g.page_url,
            text=shorten(g.summary or "", 300),
            fields=(Field("Platforms", shorten(", ".join(g.platform_labels()) or "?", 200)),),
            thumbnail_url=g.cover_url,
        )
        for g in games[:IGDB_CARDS]
    )
    choices = [
        Choice(
            shorten(f"{g.name} ({g.year})" if g.year else g.name, 100),
            str(g.id),
            shorten(", ".join(g.platform_labels()), 100),
        )
        for g in games[:IGDB_CHOICES]
    ]
    choices.append(Choice("None of these", NONE_OF_THESE, "Send a plain request with your words"))
    return Reply(
        text=(note + "\n" if note else "") + f"Which game do you mean by '{draft.title}'?",
        cards=cards,
        picker=Picker(
            action=action_id("reqd", draft.id, "pick"),
            placeholder="Pick the exact game",
            choices=tuple(choices),
        ),
        buttons=(Button("Cancel", action_id("reqd", draft.id, "drop")),),
        private=True,
    )


def platform_choice_reply(draft: Draft, platforms: Sequence[tuple[str, str, bool]]) -> Reply:
    choices = tuple(
        Choice(shorten(name, 100), key, "in the library" if here else "not in the library yet")
        for key, name, here in platforms[:25]
    )
    title = draft.igdb.name if draft.igdb else draft.title
    return Reply(
        text=f"For which platform do you want '{title}'?",
        picker=Picker(action_id("reqd", draft.id, "plat"), "Choose a platform", choices),
        private=True,
    )


def confirm_reply(draft: Draft, note: str = "") -> Reply:
    pick = draft.igdb
    fields = [Field("Platform", draft.platform_name)]
    if pick:
        described = describe_game(pick)
        if described:
            fields.append(Field("IGDB", described, False))
    if draft.details:
        fields.append(Field("Details", draft.details, False))
    lines = []
    if not draft.in_library:
        lines.append(
            f"The library has no {draft.platform_name} games yet; RomM supports the "
            "platform, so it can still be requested."
        )
    if pick and pick.summary:
        lines.append(shorten(pick.summary, 300))
    card = Card(
        title=f"Request: {pick.name if pick else draft.title}",
        url=pick.url if pick else None,
        text="\n".join(lines),
        fields=tuple(fields),
        thumbnail_url=pick.cover_url if pick else None,
        footer="Not sent yet.",
    )
    return Reply(
        text=note,
        cards=(card,),
        buttons=(
            Button("Send request", action_id("reqd", draft.id, "send"), "success"),
            Button("Cancel", action_id("reqd", draft.id, "drop")),
        ),
        private=True,
    )


def duplicate_reply(request: GameRequest, user_key: str, subscribed: bool) -> Reply:
    if request.requester.key == user_key:
        return Reply.notice(
            f"You already asked for this: request {request.label}, {request.status} since "
            f"{when(request.created_at)}. /my_requests shows it.",
            private=True,
        )
    if subscribed:
        return Reply.notice(
            f"You are already on the list for request {request.label}; you will get a message "
            "when it arrives.",
            private=True,
        )
    return Reply(
        text=f"{request.requester.name} already asked for this on {when(request.created_at)} "
        f"(request {request.label}). Do you want a message when it arrives?",
        buttons=(Button("Notify me too", action_id("reqsub", request.id), "primary"),),
        private=True,
    )


def request_line(request: GameRequest, user_key: str | None = None) -> str:
    line = (
        f"#{request.id} {STATUS_LABELS[request.status]} — {request.title} ({request.platform_name})"
    )
    line += f" · {when(request.created_at)}"
    if user_key is not None and request.requester.key != user_key:
        line += " · following"
    if request.status == "rejected" and request.reason:
        line += f" · reason: {shorten(request.reason, 120)}"
    return line


def request_list_reply(
    requests: Sequence[GameRequest],
    title: str,
    *,
    user_key: str | None = None,
    action: str = "reqv",
    empty: str = "No requests.",
    footer: str = "",
) -> Reply:
    choices = [
        Choice(shorten(f"#{r.id} {r.title}", 100), str(r.id), STATUS_LABELS[r.status])
        for r in requests
    ]
    lines = [request_line(r, user_key) for r in requests]
    return list_reply(title, lines, choices, action, "Open a request", empty, footer)


def history_text(
    events: Sequence[RequestEvent],
    *,
    admin: bool,
    words: Mapping[str, str] = EVENT_WORDS,
    private: frozenset[str] = PRIVATE_EVENTS,
) -> str:
    lines = []
    for event in events:
        if event.kind in private and not admin:
            continue
        what = words.get(event.kind, event.kind)
        line = f"{when(event.at)} {event.actor.name} {what}"
        if event.text:
            line += f": {shorten(event.text, 200)}"
        if event.rom_id and admin:
            line += f" (RomM id {event.rom_id})"
        lines.append(line)
    kept: list[str] = []
    for line in reversed(lines[-HISTORY_LINES:]):  # the newest lines, within a chat field
        if sum(len(k) + 1 for k in kept) + len(line) > HISTORY_CHARS:
            kept.append("…")
            break
        kept.append(line)
    return "\n".join(reversed(kept)) or "—"


def others_field(label: str, others: Sequence[Person], *, admin: bool) -> Field:
    """Who else is in on it: their names for admins, how many for members."""
    names = ", ".join(p.name for p in others[:10])
    return Field(label, names if admin else f"{len(others)} more")


def request_card(
    request: GameRequest,
    events: Sequence[RequestEvent],
    others: Sequence[Person],
    *,
    admin: bool = False,
) -> Card:
    fields = [
        Field("Status", STATUS_LABELS[request.status]),
        Field("Platform", request.platform_name),
        Field("Asked by", request.requester.name),
    ]
    if others:
        fields.append(others_field("Also wanted by", others, admin=admin))
    if request.igdb:
        fields.append(Field("IGDB", describe_game(request.igdb) or str(request.igdb.id), False))
    if request.details:
        fields.append(Field("Details", request.details, False))
    if request.reason:
        fields.append(Field("Reason", request.reason, False))
    fields.append(Field("History", history_text(events, admin=admin), False))
    return Card(
        title=f"Request #{request.id}: {request.title}",
        url=request.igdb.url if request.igdb else None,
        fields=tuple(fields),
        thumbnail_url=request.igdb.cover_url if request.igdb else None,
        footer=f"Asked {when(request.created_at)} · updated {when(request.updated_at)}",
    )


def member_request_reply(
    request: GameRequest, events: Sequence[RequestEvent], others: Sequence[Person], user_key: str
) -> Reply:
    buttons: tuple[Button, ...] = ()
    if request.status == "pending":
        label = "Cancel my request" if request.requester.key == user_key else "Stop following"
        buttons = (Button(label, action_id("reqx", request.id), "danger"),)
    return Reply(cards=(request_card(request, events, others),), buttons=buttons, private=True)


def on_its_way_message(request: GameRequest, person: Person) -> Reply:
    """The DM someone gets when an admin has sent a copy of the requested game for download."""
    whose = "Your request" if request.requester.key == person.key else "A request you follow"
    return Reply(
        text=f"📦 {whose} {request.label} is on its way: an admin found a copy and it is "
        "downloading. You will get another message when it is in the library.",
        private=True,
    )


def closed_message(request: GameRequest, person: Person, rom_reply: Reply | None) -> Reply:
    """The DM someone gets when a request they are part of is fulfilled or rejected."""
    theirs = request.requester.key == person.key
    whose = "Your request" if theirs else "A request you follow"
    if request.status == "rejected":
        reason = f" Reason: {request.reason}" if request.reason else ""
        return Reply(
            text=f"{whose} {request.label} was rejected.{reason}", tone="warning", private=True
        )
    text = f"🎉 {whose} {request.label} is fulfilled: it is in the library now."
    if rom_reply is None:
        return Reply(
            text=text + " Find it with /search.",
            tone="success",
            private=True,
            links=(Link("IGDB", request.igdb.url),) if request.igdb and request.igdb.url else (),
        )
    return Reply(
        text=text,
        cards=rom_reply.cards,
        links=rom_reply.links,
        picker=rom_reply.picker,
        buttons=rom_reply.buttons,
        tone="success",
        private=True,
    )
