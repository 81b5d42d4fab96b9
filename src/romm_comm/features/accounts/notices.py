"""What members and admins are told about accounts: neutral replies (cards) for DMs and the
admin log. Passwords and invite links only ever go into a member's own DM or private reply;
admin-log lines never carry them."""

from __future__ import annotations

from datetime import datetime

from ...core.cards import Card, Field, Link, Reply
from .plan import Action

PAIRING_STEPS = (
    "1. In RomM open **Settings → Client API tokens** and create a token (any name; "
    "the scope `me.read` is enough).\n"
    "2. Press **Pair** on that token: RomM shows an 8-character code for a minute.\n"
    "3. Here, run `/link code:XXXXXXXX` with that code.\n"
    "The bot checks with RomM who you are, records the link and deletes that token."
)


def when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def invite_dm(url: str, expires_at: datetime, role_name: str, *, again: bool = False) -> Reply:
    opening = (
        "Your earlier RomM invite expired, so here is a new one."
        if again
        else f"You have the **{role_name}** role, so you are invited to our RomM game library."
    )
    text = (
        f"{opening}\nOpen the link to create your account: it works once and expires "
        f"**{when(expires_at)}**.\nAfter registering, link it to Discord so the bot knows it "
        f"is yours:\n{PAIRING_STEPS}"
    )
    card = Card(title="Your RomM invite", text=text)
    return Reply(cards=(card,), links=(Link("Create my RomM account", url),), private=True)


def credentials_dm(
    romm_url: str | None, username: str, password: str, role_name: str, *, reset: bool = False
) -> Reply:
    opening = (
        "Here is a new password for your RomM account (the first one never reached you)."
        if reset
        else f"You have the **{role_name}** role, so a RomM account was made for you."
    )
    card = Card(
        title="Your RomM account",
        text=f"{opening}\nChange the password when you first sign in (your avatar → Profile).",
        fields=(Field("Username", username), Field("Password", password)),
    )
    links = (Link("Open RomM", romm_url),) if romm_url else ()
    return Reply(cards=(card,), links=links, private=True)


def change_dm(action: Action, delete_after_days: int | None) -> Reply | None:
    """The DM telling a member what happened to their account (None: nothing to tell)."""
    account = action.romm_username
    why = "you no longer have the role" if "role" in action.reason else action.reason
    if action.kind == "disable":
        later = (
            f"It will be deleted after {delete_after_days} day(s) without the role."
            if delete_after_days is not None
            else "Nothing is deleted."
        )
        text = (
            f"Your RomM account **{account}** is disabled because {why}. Your saves are kept. "
            f"{later} It comes back if you get the role again."
        )
    elif action.kind == "enable":
        text = f"Welcome back: your RomM account **{account}** is enabled again."
    elif action.kind == "relink":
        text = f"Your Discord account is linked again to the RomM account **{account}**."
    elif action.kind in ("refuse", "unlink"):
        text = (
            f"Your Discord account is no longer linked to the RomM account **{account}** "
            f"because {why if action.kind == 'unlink' else 'you no longer have the role'}. "
            "The RomM account itself was not changed."
        )
    elif action.kind == "delete":
        text = (
            f"Your RomM account **{account}** was deleted after {delete_after_days} day(s) "
            "without the role."
        )
    else:
        return None
    return Reply(text=text, private=True)


def admin_line(text: str, tone: str = "info") -> Reply:
    return Reply(text=f"Accounts: {text}", tone="warning" if tone == "warning" else "info")


def action_line(action: Action, outcome: str) -> str:
    """`disabled RomM account bob of Bob (lost the role)` and the like."""
    who = action.member_name or action.member_key
    account = f"RomM account {action.romm_username}" if action.romm_username else ""
    verbs = {
        "invite": f"invited {who}",
        "create": f"created {account} for {who}",
        "enable": f"re-enabled {account} of {who}",
        "relink": f"linked {who} to {account} again",
        "disable": f"disabled {account} of {who}",
        "delete": f"deleted {account} of {who}",
        "unlink": f"unlinked {who} from {account} (an imported link, never proven)",
        "refuse": f"refused to disable or delete {account} of {who}: {action.reason}; "
        "the member is only unlinked",
        "forget": f"forgot the link of {who} to {account}",
        "cancel_invite": f"cancelled the pending invite of {who}",
        "expire_invite": f"the invite of {who} expired",
        "redeliver": f"delivered the invite to {who}",
    }
    line = verbs.get(action.kind, f"{action.kind} {who}")
    if action.reason and action.kind not in ("refuse", "unlink"):
        line += f" ({action.reason})"
    return f"{line}{outcome}."
