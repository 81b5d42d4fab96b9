"""Account commands: /link and /my_account for members, /accounts and /sync_users for admins.

/sync_users shows the difference between role holders and accounts and applies it only after
the Apply button; the button's action id carries a hash of the difference it showed
(`acct_sync:<hash>`), so a confirmation of a difference that has changed since is refused
and the new one is shown instead.
"""

from __future__ import annotations

from typing import Any

from ...core.cards import Button, Card, Reply, action_id
from ...core.commands import CommandGroup, InputError, OptionSpec
from ..context import Context
from .plan import Plan
from .service import AccountService, Outcome

MAX_LINES = 30
SYNC = "acct_sync"


def service_of(ctx: Context) -> AccountService:
    service = ctx.services.accounts
    if service is None:
        raise InputError("Account management is off (ENABLE_USER_MANAGER=false).")
    return service


def member_key(ctx: Context) -> str:
    return f"{ctx.caller.front_end}:{ctx.caller.id}"


group = CommandGroup("accounts")


@group.command(
    "link",
    "Link your existing RomM account (proven with a pairing code from RomM)",
    OptionSpec("code", "The pairing code RomM shows after you press Pair", max_length=20),
    private=True,
    personal=True,
    usage="/link code:ABCD2345 — without a code: how to get one",
)
async def link(ctx: Context, args: dict[str, Any]) -> Reply:
    service = service_of(ctx)
    if "code" not in args:
        return service.linker.instructions()
    result = await service.linker.link(member_key(ctx), ctx.caller.name, args["code"])
    if result.ok:
        return Reply(text=result.text, private=True, tone="success")
    return Reply.error(result.text)


@group.command(
    "my_account", "Your RomM account: its state, or your invite", private=True, personal=True
)
async def my_account(ctx: Context, args: dict[str, Any]) -> Reply:
    return await service_of(ctx).linker.my_account(member_key(ctx), ctx.caller.name)


@group.command(
    "accounts",
    "RomM accounts linked to members, and pending invites",
    admin=True,
    private=True,
    personal=True,
)
async def accounts(ctx: Context, args: dict[str, Any]) -> Reply:
    links, invites = await service_of(ctx).overview()
    link_lines = [
        f"{link.member_name} → {link.romm_username}: {link.state}, {_origin(link.origin)}"
        + ("" if link.verified else ", not proven")
        for link in links
    ]
    invite_lines = [
        f"{s.invite.member_name}: expires {s.invite.expires_at:%Y-%m-%d %H:%M} UTC, "
        + ("delivered" if s.invite.delivered else "not delivered (DMs closed)")
        for s in invites
    ]
    text = (
        "**Links**\n"
        + _lines(link_lines, "none")
        + "\n\n**Pending invites**\n"
        + _lines(invite_lines, "none")
    )
    return Reply(cards=(Card(title="RomM accounts", text=text),), private=True)


@group.command(
    "sync_users",
    "Show what would change between role holders and RomM accounts, then apply it",
    admin=True,
    private=True,
    personal=True,
)
async def sync(ctx: Context, args: dict[str, Any]) -> Reply:
    service = service_of(ctx)
    if service.directory is None:
        return Reply.error("Accounts follow a Discord role: the Discord front end is not up.")
    return _plan_reply(await service.preview())


@group.action(SYNC, admin=True, personal=True)
async def sync_action(ctx: Context, args: list[str], values: list[str]) -> Reply:
    service = service_of(ctx)
    if not args or args[0] == "cancel":
        return Reply.notice("Nothing was changed.", private=True)
    outcome = await service.reconcile(actor=member_key(ctx), expected=args[0])
    if outcome.stale:
        return _plan_reply(
            outcome.plan,
            lead="The difference changed since it was shown, so nothing was applied. "
            "This is the difference now:",
        )
    return _outcome_reply(outcome)


def _origin(origin: str) -> str:
    return {
        "created": "created by the bot",
        "invited": "registered with the bot's invite",
        "linked": "existing account, linked with proof",
        "legacy_created": "created by the earlier bot",
        "legacy_claimed": "imported from the earlier bot",
    }.get(origin, origin)


def _lines(lines: list[str], empty: str) -> str:
    if not lines:
        return empty
    shown = [f"• {line}" for line in lines[:MAX_LINES]]
    if len(lines) > MAX_LINES:
        shown.append(f"… and {len(lines) - MAX_LINES} more")
    return "\n".join(shown)


def _plan_reply(plan: Plan, lead: str = "") -> Reply:
    notes = "\n\n**Left alone**\n" + _lines(list(plan.notes), "") if plan.notes else ""
    if plan.empty:
        text = (lead + "\n" if lead else "") + "Everything is in sync." + notes
        return Reply(cards=(Card(title="Account sync", text=text),), private=True)
    text = (lead + "\n" if lead else "") + _lines([a.describe() for a in plan.actions], "") + notes
    destructive = any(a.destructive for a in plan.actions)
    card = Card(
        title=f"Account sync: {len(plan.actions)} change(s)",
        text=text,
        footer="Nothing changes until you press Apply.",
    )
    buttons = (
        Button(
            "Apply",
            action_id(SYNC, plan.digest()),
            style="danger" if destructive else "primary",
        ),
        Button("Cancel", action_id(SYNC, "cancel")),
    )
    return Reply(cards=(card,), buttons=buttons, private=True)


def _outcome_reply(outcome: Outcome) -> Reply:
    lines = [line[:1].upper() + line[1:] for line in outcome.applied]
    text = _lines(lines, "Nothing to do.")
    if outcome.failed:
        text += "\n\n**Failed**\n" + _lines(outcome.failed, "")
    card = Card(title=f"Account sync: {len(outcome.applied)} applied", text=text)
    return Reply(cards=(card,), private=True, tone="warning" if outcome.failed else "success")
