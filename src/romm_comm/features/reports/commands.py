"""Members' report commands: /report, /my_reports, and their buttons (`repd` a game picked
from several, `repsub` "me too", `repv` one report)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...core.cards import Choice, Reply, list_reply
from ...core.commands import CommandGroup, InputError, OptionSpec
from ...core.format import shorten
from ...romm.errors import RommNotFound
from ...romm.models import Rom
from ..context import Context
from ..requests.commands import request_id
from ..requests.flow import person_of
from ..requests.matcher import clean_text
from ..requests.models import Person
from .cards import (
    duplicate_reply,
    game_choices_reply,
    report_list,
    report_reply,
    rom_label,
)
from .models import DETAILS_MAX, FILTERS, PROBLEMS, ReportOutcome, statuses_of
from .service import ReportService

MY_LIMIT = 25
GAME_MAX = 100
NEEDS_DETAILS = frozenset({"other"})  # "other" says nothing by itself
PROBLEM_CODES = {label: code for code, label in PROBLEMS.items()}
FILE_ANSWERS = {
    "created": "Thanks: report {label} ({problem}) is sent to the admins. You will get a "
    "message when it is dealt with; /my_reports shows it.",
    "already_yours": "You already reported this game: report {label} is {status}.",
    "already_subscribed": "You already have report {label} too; you will be told when it changes.",
}
ME_TOO_ANSWERS = {
    "subscribed": "Noted: you have this problem too (report {label}). You will be told when it "
    "is dealt with.",
    "already_yours": "Report {label} is yours.",
    "already_subscribed": "You already have report {label} too.",
}
EXPIRED = "This report form has expired or was already sent; run /report again."

group = CommandGroup("reports")


@dataclass(frozen=True)
class Wanted:
    """What someone reports, before it is known which game."""

    person: Person
    problem: str
    details: str


def service_of(ctx: Context) -> ReportService:
    service = ctx.services.reports
    if service is None:
        raise InputError("Problem reports are turned off on this bot.")
    return service


def outcome_problem(outcome: ReportOutcome) -> Reply | None:
    """The refusal for an outcome that changed nothing, if it is one."""
    report = outcome.report
    if outcome.kind == "not_found" or report is None:
        return Reply.error("There is no such report.")
    if outcome.kind == "closed":
        return Reply.error(f"Report {report.label} is already {report.status}.")
    return None


@group.completer("library_game")
async def complete_game(ctx: Context, partial: str) -> list[Choice]:
    if len(partial.strip()) < 2:
        return []
    found = await ctx.services.catalog.search(partial, None, admin=ctx.caller.is_admin)
    return [Choice(shorten(rom_label(r), 100), str(r.id)) for r in found.page.items[:25]]


@group.command(
    "report",
    "Report a problem with a game in the library",
    OptionSpec(
        "game", "The game (pick from the list, or type its name)", required=True,
        autocomplete="library_game", max_length=GAME_MAX,
    ),
    OptionSpec("problem", "What is wrong", required=True, choices=tuple(PROBLEMS.values())),
    OptionSpec(
        "details", "What you saw (needed for 'other')", max_length=DETAILS_MAX,
    ),
    private=True,
    usage='/report game:"Chrono Trigger" problem:"broken file" details:"crashes at the fair"',
)  # fmt: skip
async def report(ctx: Context, args: dict[str, Any]) -> Reply:
    service = service_of(ctx)
    problem = PROBLEM_CODES[args["problem"]]
    details = clean_text(args.get("details", ""), DETAILS_MAX, "details")
    if details.problem:
        return Reply.error(details.problem)
    if problem in NEEDS_DETAILS and not details.text:
        return Reply.error(
            f"Say what is wrong in details: the problem '{args['problem']}' needs a few words."
        )
    term = args["game"]
    catalog = ctx.services.catalog
    wanted = Wanted(person_of(ctx), problem, details.text)
    rom = await _rom_by_id(ctx, term)
    if rom is not None:
        return await _file(ctx, wanted, rom)
    found = await catalog.search(term, None, admin=ctx.caller.is_admin)
    roms = found.page.items
    if not roms:
        tips = ", ".join(r.title for r in found.suggestions[:3])
        hint = f" Did you mean: {tips}?" if tips else ""
        return Reply.error(
            f"No game in the library matches '{shorten(term, 60)}'.{hint} "
            "Pick one from the list as you type, or check the name with /search."
        )
    if len(roms) == 1:
        return await _file(ctx, wanted, roms[0])
    draft = await service.new_draft(wanted.person, problem, wanted.details)
    return game_choices_reply(draft, roms, shorten(term, 60))


async def _rom_by_id(ctx: Context, term: str) -> Rom | None:
    """The game whose RomM id was given (what the autocomplete list sends), if any."""
    if not (term.isascii() and term.isdigit()) or len(term) > 12:
        return None
    try:
        return await ctx.services.catalog.rom(int(term), admin=ctx.caller.is_admin)
    except RommNotFound:
        return None


async def _file(ctx: Context, wanted: Wanted, rom: Rom) -> Reply:
    service = service_of(ctx)
    outcome = await service.create(
        wanted.person,
        rom_id=rom.id,
        game=rom.title,
        platform_name=rom.platform_display_name or rom.platform_slug,
        problem=wanted.problem,
        details=wanted.details,
    )
    report = outcome.report
    assert report is not None
    if outcome.kind == "duplicate":  # the details typed wait in a draft for "me too"
        draft = await service.new_draft(wanted.person, wanted.problem, wanted.details)
        return duplicate_reply(report, draft)
    return Reply(
        text=FILE_ANSWERS[outcome.kind].format(
            label=report.label, status=report.status, problem=report.problem_label
        ),
        tone="success" if outcome.kind == "created" else "info",
        private=True,
    )


@group.action("repd")
async def pick_game(ctx: Context, args: list[str], values: list[str]) -> Reply:
    rom = await _rom_by_id(ctx, values[0] if values else "")  # first: RomM away keeps the form
    if rom is None:
        return Reply.error("That game is no longer in the library; run /report again.")
    draft_id = request_id(args[0]) if args else None
    me = person_of(ctx)
    draft = await service_of(ctx).take_draft(draft_id, me) if draft_id is not None else None
    if draft is None:
        return Reply.error(EXPIRED)
    if draft.person.key != me.key:
        return Reply.error("That report form belongs to someone else; run /report yourself.")
    return await _file(ctx, Wanted(me, draft.problem, draft.details), rom)


@group.action("repsub")
async def me_too(ctx: Context, args: list[str], values: list[str]) -> Reply:
    rid = request_id(args[0] if args else None)
    if rid is None:
        return Reply.error("There is no such report.")
    draft_id = request_id(args[1]) if len(args) > 1 else None
    service, me = service_of(ctx), person_of(ctx)
    draft = await service.take_draft(draft_id, me) if draft_id is not None else None
    details = draft.details if draft is not None and draft.person.key == me.key else ""
    outcome = await service.subscribe(rid, me, details)
    problem = outcome_problem(outcome)
    if problem is not None:
        return problem
    assert outcome.report is not None
    label = outcome.report.label
    return Reply(
        text=ME_TOO_ANSWERS[outcome.kind].format(label=label),
        tone="success" if outcome.kind == "subscribed" else "info",
        private=True,
    )


@group.command(
    "my_reports",
    "Your problem reports (and those you have too), with their status and history",
    OptionSpec("status", "Which ones (default: all)", choices=FILTERS),
    private=True,
    personal=True,
)
async def my_reports(ctx: Context, args: dict[str, Any]) -> Reply:
    me = person_of(ctx).key
    mine, total = await service_of(ctx).listing(
        statuses=statuses_of(args.get("status", "all")), user_keys=[me], limit=MY_LIMIT
    )
    return list_reply(
        "Your problem reports",
        *report_list(mine, me),
        "repv",
        "Open a report",
        "You have no problem reports. Tell the admins about a game with /report.",
        f"{total} in all · pick one to see its history",
    )


@group.action("repv")
async def view(ctx: Context, args: list[str], values: list[str]) -> Reply:
    items = values or args
    rid = request_id(items[0] if items else None)
    service = service_of(ctx)
    found = await service.get(rid) if rid is not None else None
    me = person_of(ctx).key
    if found is None or not (ctx.caller.is_admin or await service.involved(found, [me])):
        return Reply.error("There is no such report among yours.")
    events, others = await service.thread(found.id)
    return report_reply(found, events, others, admin=ctx.caller.is_admin)
