"""/reports (admins: list by status, view, acknowledge, resolve with a note, reject with a
reason) and the admins' report buttons (`rep:<id>:<what>[:<choice>]`)."""

from __future__ import annotations

from typing import Any

from ...core.cards import Reply, list_reply
from ...core.commands import CommandGroup, InputError, OptionSpec
from ..context import Context
from ..requests.commands import request_id
from ..requests.flow import person_of
from ..requests.matcher import clean_text
from .cards import chosen_outcome, outcome_choices_reply, report_list
from .commands import outcome_problem, service_of, view
from .models import FILTERS, NOTE_MAX, Report, ReportOutcome, statuses_of

ACTIONS = ("list", "view", "acknowledge", "resolve", "reject")
LIST_LIMIT = 25
ADMINS_ONLY = "That is for admins only."

group = CommandGroup("report_admin")


@group.command(
    "reports",
    "Problem reports: list by status, acknowledge, resolve with a note, reject with a reason",
    OptionSpec("status", "Which ones to list (default: open)", choices=FILTERS),
    OptionSpec("action", "What to do (default: list)", choices=ACTIONS),
    OptionSpec("report", "Report number", max_length=20),
    OptionSpec("text", "Note (resolve) or reason (reject), shown to the reporter",
               max_length=NOTE_MAX),
    admin=True,
    private=True,
    usage='/reports action:resolve report:7 text:"Replaced with a good dump"',
)  # fmt: skip
async def reports(ctx: Context, args: dict[str, Any]) -> Reply:
    service = service_of(ctx)
    action = args.get("action", "list")
    if action == "list":
        status = args.get("status", "open")
        found, total = await service.listing(statuses=statuses_of(status), limit=LIST_LIMIT)
        shown = f", newest {LIST_LIMIT} shown" if total > LIST_LIMIT else ""
        return list_reply(
            f"Problem reports: {status}",
            *report_list(found),
            "rep:pick:view",
            "Open a report",
            f"No problem reports ({status}).",
            f"{total} in all{shown}",
        )
    rid = request_id(args.get("report"))
    if rid is None:
        raise InputError(f"action:{action} needs report: the report's number.")
    if action == "view":
        return await view(ctx, [str(rid)], [])
    if action == "acknowledge":
        return await _done(ctx, await service.acknowledge(rid, person_of(ctx)))
    text = clean_text(args.get("text", ""), NOTE_MAX, "text").text
    if not text:
        what = "note the reporter will see" if action == "resolve" else "reason"
        raise InputError(f"action:{action} needs text: the {what}.")
    if action == "resolve":
        return await _done(ctx, await service.resolve(rid, person_of(ctx), text))
    return await _done(ctx, await service.reject(rid, person_of(ctx), text))


@group.action("rep", admin=True)
async def admin_action(ctx: Context, args: list[str], values: list[str]) -> Reply:
    if not ctx.caller.is_admin:  # the registry refuses too; an action never trusts that alone
        return Reply.error(ADMINS_ONLY)
    service = service_of(ctx)
    target = values[0] if args[:1] == ["pick"] and values else (args[0] if args else "")
    rid = request_id(target)
    report = await service.get(rid) if rid is not None else None
    if report is None:
        return Reply.error("There is no such report.")
    what = args[1] if len(args) > 1 else "view"
    choice = args[2] if len(args) > 2 else (values[0] if values else "")
    me = person_of(ctx)
    if what == "view":
        return await view(ctx, [str(report.id)], [])
    if what == "ack":
        return await _done(ctx, await service.acknowledge(report.id, me))
    if what in ("resolve", "reject"):
        if not report.is_open:
            return _already(report)
        return outcome_choices_reply(report, what)
    words = chosen_outcome(what.removesuffix("why"), choice) if what.endswith("why") else None
    if what == "resolvewhy" and words:
        return await _done(ctx, await service.resolve(report.id, me, words))
    if what == "rejectwhy" and words:
        return await _done(ctx, await service.reject(report.id, me, words))
    return Reply.error("That button is no longer available.")


def _already(report: Report) -> Reply:
    return Reply.error(f"Report {report.label} is already {report.status}.")


async def _done(ctx: Context, outcome: ReportOutcome) -> Reply:
    problem = outcome_problem(outcome)
    if problem is not None:
        return problem
    assert outcome.report is not None
    people = 1 + len(outcome.others)
    text = (
        f"Report {outcome.report.label} is {outcome.report.status}. {people} person(s) were "
        "told (failures show in the admin log)."
    )
    shown = await view(ctx, [str(outcome.report.id)], [])
    return Reply(text=text, cards=shown.cards, buttons=shown.buttons, private=True)
