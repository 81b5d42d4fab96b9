"""Cards for problem reports: the game pick list, "me too", lists, one report with its
history, the admins' notice and buttons, and the messages people get when a report changes.

Every button's action id carries the report's number (`rep:7:resolve`), so it works after a
restart, from any front end."""

from __future__ import annotations

from collections.abc import Sequence

from ...core.cards import Button, Card, Choice, Field, Picker, Reply, action_id
from ...core.format import human_size, shorten
from ...romm.models import Rom
from ..requests.admin_cards import undelivered_reply
from ..requests.cards import history_text, others_field, when
from ..requests.models import Person
from .models import STATUS_LABELS, Report, ReportDraft, ReportEvent

EVENT_WORDS = {
    "created": "reported it",
    "me_too": "has it too",
    "acknowledged": "acknowledged it",
    "resolved": "resolved it",
    "rejected": "rejected it",
    "dm_sent": "told",
    "dm_failed": "could not message",
}
PRIVATE_EVENTS = frozenset({"dm_sent", "dm_failed"})
# The ready-made notes and reasons an admin picks from: (code, the words the reporter reads).
OUTCOME_CHOICES: dict[str, tuple[tuple[str, str], ...]] = {
    "resolve": (
        ("replaced", "The file was replaced with a good copy."),
        ("metadata", "The game's metadata was fixed."),
        ("discs", "The missing disc(s) were added."),
        ("fixed", "Fixed."),
    ),
    "reject": (
        ("works", "The game works here; try downloading it again."),
        ("duplicate", "This was already reported and dealt with."),
        ("unavailable", "No better copy of this game could be found."),
        ("other", "An admin declined it."),
    ),
}


def chosen_outcome(what: str, code: str) -> str | None:
    """The words of a ready-made note ("resolve") or reason ("reject"), by its code."""
    return dict(OUTCOME_CHOICES.get(what, ())).get(code)


def rom_label(rom: Rom) -> str:
    return f"{rom.title} — {rom.platform_display_name or rom.platform_slug}"


def game_choices_reply(draft: ReportDraft, roms: Sequence[Rom], term: str) -> Reply:
    choices = tuple(
        Choice(
            shorten(rom_label(rom), 100),
            str(rom.id),
            shorten(f"{rom.fs_name} ({human_size(rom.fs_size_bytes)})", 100),
        )
        for rom in roms[:25]
    )
    return Reply(
        text=f"Several games match '{term}'. Which one has the problem?",
        picker=Picker(action_id("repd", draft.id), "Pick the game", choices),
        private=True,
    )


def duplicate_reply(report: Report, draft: ReportDraft) -> Reply:
    return Reply(
        text=f"{report.reporter.name} already reported a problem with {report.game} on "
        f"{when(report.created_at)} (report {report.label}: {report.problem_label}, "
        f'{report.status}). Press "Me too" to be told when it is dealt with too.',
        buttons=(Button("Me too", action_id("repsub", report.id, draft.id), "primary"),),
        private=True,
    )


def report_line(report: Report, user_key: str | None = None) -> str:
    line = f"#{report.id} {STATUS_LABELS[report.status]} — {report.game}"
    if report.platform_name:
        line += f" ({report.platform_name})"
    line += f" · {report.problem_label} · {when(report.created_at)}"
    if user_key is not None and report.reporter.key != user_key:
        line += " · me too"
    if report.outcome and not report.is_open:
        line += f" · {shorten(report.outcome, 120)}"
    return line


def report_list(
    reports: Sequence[Report], user_key: str | None = None
) -> tuple[list[str], list[Choice]]:
    """A list's lines and the pick list's choices (for core's `list_reply`)."""
    lines = [report_line(r, user_key) for r in reports]
    return lines, [
        Choice(shorten(f"#{r.id} {r.game}", 100), str(r.id), STATUS_LABELS[r.status])
        for r in reports
    ]


def report_card(
    report: Report, events: Sequence[ReportEvent], others: Sequence[Person], *, admin: bool
) -> Card:
    fields = [
        Field("Status", STATUS_LABELS[report.status]),
        Field("Problem", report.problem_label),
        Field("Reported by", report.reporter.name),
        *([others_field("Also has it", others, admin=admin)] if others else []),
    ]
    if report.details:
        fields.append(Field("Details", report.details, False))
    if report.outcome:
        what = "Resolution" if report.status == "resolved" else "Reason"
        fields.append(Field(what, report.outcome, False))
    history = history_text(events, admin=admin, words=EVENT_WORDS, private=PRIVATE_EVENTS)
    fields.append(Field("History", history, False))
    return Card(
        title=f"Report {report.label}",
        fields=tuple(fields),
        footer=f"RomM id {report.rom_id} · reported {when(report.created_at)} · "
        f"updated {when(report.updated_at)}",
    )


def admin_buttons(report: Report) -> tuple[Button, ...]:
    if not report.is_open:
        return ()
    buttons = []
    if report.status == "open":
        buttons.append(Button("Acknowledge", action_id("rep", report.id, "ack"), "primary"))
    buttons.append(Button("Resolve", action_id("rep", report.id, "resolve"), "success", "✅"))
    buttons.append(Button("Reject", action_id("rep", report.id, "reject"), "danger", "✖"))
    return tuple(buttons)


def new_report_notice(report: Report) -> Reply:
    fields = [
        Field("Problem", report.problem_label),
        Field("Reported by", f"{report.reporter.name} ({report.reporter.key})"),
    ]
    if report.details:
        fields.append(Field("Details", report.details, False))
    card = Card(
        title=f"New problem report {report.label}",
        fields=tuple(fields),
        footer=f"RomM id {report.rom_id} · reported {when(report.created_at)}",
    )
    return Reply(cards=(card,), buttons=admin_buttons(report))


def report_reply(
    report: Report,
    events: Sequence[ReportEvent],
    others: Sequence[Person],
    *,
    admin: bool,
    text: str = "",
) -> Reply:
    return Reply(
        text=text,
        cards=(report_card(report, events, others, admin=admin),),
        buttons=admin_buttons(report) if admin else (),
        private=True,
    )


def outcome_choices_reply(report: Report, what: str) -> Reply:
    """The ready-made notes (resolve) or reasons (reject) to pick, and how to type one's own."""
    choices = tuple(Choice(shorten(text, 100), code) for code, text in OUTCOME_CHOICES[what])
    word = "note" if what == "resolve" else "reason"
    verb = "resolved" if what == "resolve" else "rejected"
    return Reply(
        text=f"Report {report.label} is {verb} with which {word}? (For your own words: "
        f"/reports action:{what} report:{report.id} text:…)",
        picker=Picker(action_id("rep", report.id, f"{what}why"), f"Choose a {word}", choices),
        private=True,
    )


def status_message(report: Report, person: Person) -> Reply:
    """The message someone gets when a report they made or have too changes."""
    whose = (
        "Your problem report"
        if report.reporter.key == person.key
        else "A problem report you have too"
    )
    if report.status == "acknowledged":
        return Reply(
            text=f"👀 {whose} {report.label} was acknowledged: an admin is looking into it.",
            private=True,
        )
    if report.status == "resolved":
        note = f" Note: {report.outcome}" if report.outcome else ""
        return Reply(
            text=f"✅ {whose} {report.label} is resolved.{note}", tone="success", private=True
        )
    reason = f" Reason: {report.outcome}" if report.outcome else ""
    return Reply(text=f"{whose} {report.label} was rejected.{reason}", tone="warning", private=True)


def undelivered_notice(report: Report, people: Sequence[Person]) -> Reply:
    return undelivered_reply(people, "report", report.label, report.status, "/my_reports")
