"""The accounts reconciler, as a pure function: what Discord says, what we recorded and what
RomM says in; the actions that make them agree out. No I/O, no clock: everything is an input.

Rules (PRODUCT.md, "Accounts"):
- a role holder gets an account: an invite (RomM 5+) or a created account; a disabled account
  of theirs is re-enabled; an account they lost only by losing the role is linked again;
- a member without the role (or gone) loses access: an account the bot created is disabled,
  never deleted at once; after the grace period it is deleted;
- RomM admins, the bot's own account and accounts the bot did not create are never disabled or
  deleted: the member is only unlinked and the refusal is recorded;
- a link whose RomM account vanished or is no longer the same account (ids can be reused) is
  forgotten, never acted on;
- links imported from the earlier bot without proof are never the basis of anything but
  unlinking.
The apply layer checks the protections again right before each RomM call.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

LinkState = Literal["active", "disabled", "unlinked", "deleted", "gone"]
Origin = Literal["created", "invited", "linked", "legacy_created", "legacy_claimed"]
Mode = Literal["invite", "create", "off"]
ActionKind = Literal[
    "forget",  # the linked RomM account vanished or is another account now: drop the link
    "adopt",  # record what RomM says about a linked account (first sight, rename)
    "cancel_invite",  # a pending invite whose member lost the role (or got an account)
    "expire_invite",  # a pending invite past its expiry
    "redeliver",  # a pending invite whose DM did not arrive: try again
    "invite",
    "create",
    "enable",
    "relink",  # link again an account unlinked only because the role was lost
    "disable",
    "unlink",  # drop an imported, never proven claim
    "refuse",  # a protected account: no RomM call, the member is unlinked, the refusal kept
    "delete",
]
ACTIVE_STATES: frozenset[str] = frozenset({"active", "disabled"})
DESTRUCTIVE: frozenset[str] = frozenset({"disable", "delete"})
ORDER: tuple[str, ...] = (
    "forget",
    "adopt",
    "cancel_invite",
    "expire_invite",
    "redeliver",
    "invite",
    "create",
    "enable",
    "relink",
    "disable",
    "unlink",
    "refuse",
    "delete",
)


@dataclass(frozen=True)
class Member:
    """A member as the chat front end knows them."""

    key: str  # "discord:1234"
    name: str
    holds_role: bool
    present: bool = True  # still in the server


@dataclass(frozen=True)
class Link:
    """What we recorded about one member's RomM account."""

    member_key: str
    member_name: str
    romm_id: int
    romm_username: str
    state: LinkState
    origin: Origin
    created_by_bot: bool
    verified: bool  # proven (created by the bot, or paired); False for imported claims
    romm_created_at: str | None = None  # identity: RomM reuses ids, creation times differ
    disabled_at: datetime | None = None
    end_reason: str = ""  # why a link ended ("role_lost", "protected", ...)


@dataclass(frozen=True)
class Invite:
    id: int
    member_key: str
    member_name: str
    sent_at: datetime
    expires_at: datetime
    delivered: bool


@dataclass(frozen=True)
class Account:
    """A RomM user as RomM describes it now."""

    id: int
    username: str
    role: str
    enabled: bool
    created_at: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class Situation:
    members: Mapping[str, Member]  # every holder (when complete) + every member looked up
    complete: bool  # `members` holds every role holder (False: no member list, e.g. no intent)
    links: Mapping[str, Link]
    invites: Mapping[str, Invite]  # pending invites by member key
    accounts: Mapping[int, Account]
    protected: frozenset[int]  # the bot's own RomM account (and any other never to touch)
    now: datetime
    delete_after: timedelta | None  # None: never delete
    mode: Mode
    scope: frozenset[str] | None = None  # only these members (an event about one member)


@dataclass(frozen=True)
class Action:
    kind: ActionKind
    member_key: str
    member_name: str
    romm_id: int | None = None
    romm_username: str = ""
    reason: str = ""
    invite_id: int | None = None

    @property
    def destructive(self) -> bool:
        return self.kind in DESTRUCTIVE

    def describe(self) -> str:
        who = self.member_name or self.member_key
        account = f" RomM account {self.romm_username}" if self.romm_username else ""
        text = {
            "forget": f"forget the link of {who} to{account}",
            "adopt": f"record{account} for {who}",
            "cancel_invite": f"cancel the pending invite of {who}",
            "expire_invite": f"close the expired invite of {who}",
            "redeliver": f"send {who} their invite again",
            "invite": f"invite {who}",
            "create": f"create a RomM account for {who}",
            "enable": f"re-enable{account} of {who}",
            "relink": f"link {who} to{account} again",
            "disable": f"disable{account} of {who}",
            "unlink": f"unlink {who} from{account}",
            "refuse": f"unlink {who} from{account} without touching it",
            "delete": f"delete{account} of {who}",
        }[self.kind]
        return f"{text} ({self.reason})" if self.reason else text


@dataclass(frozen=True)
class Plan:
    actions: tuple[Action, ...]
    notes: tuple[str, ...] = field(default=())  # what is off but left alone, for /sync_users

    @property
    def empty(self) -> bool:
        return not self.actions

    def digest(self) -> str:
        """A short hash of the actions: a confirmation is only valid for the plan it showed."""
        lines = sorted(f"{a.kind}|{a.member_key}|{a.romm_id}|{a.reason}" for a in self.actions)
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def plan(s: Situation) -> Plan:
    actions: list[Action] = []
    notes: list[str] = []
    linked_ids = {link.romm_id for link in s.links.values() if link.state in ACTIVE_STATES}
    keys = set(s.links) | set(s.invites) | {k for k, m in s.members.items() if m.holds_role}
    if s.scope is not None:
        keys &= s.scope
    for key in sorted(keys):
        _plan_member(s, key, linked_ids, actions, notes)
    actions.sort(key=lambda a: (ORDER.index(a.kind), a.member_key))
    return Plan(tuple(actions), tuple(notes))


def _plan_member(
    s: Situation, key: str, linked_ids: set[int], out: list[Action], notes: list[str]
) -> None:
    member = s.members.get(key)
    link = s.links.get(key)
    invite = s.invites.get(key)
    name = (member.name if member else "") or (link.member_name if link else "") or key
    if member is None and not s.complete:
        return  # nobody could tell whether they hold the role: do nothing on a guess
    holds = member is not None and member.holds_role and member.present
    account: Account | None = None
    if link is not None and link.state in ACTIVE_STATES:
        account = s.accounts.get(link.romm_id)
        problem = identity_problem(link, account)
        if problem:
            out.append(Action("forget", key, name, link.romm_id, link.romm_username, problem))
            link, account = None, None
        elif account is not None and (
            link.romm_created_at is None or link.romm_username != account.username
        ):
            out.append(Action("adopt", key, name, account.id, account.username))
    if holds:
        _holder(s, key, name, link, account, invite, linked_ids, out, notes)
    else:
        _not_holder(s, key, name, link, account, invite, member, out, notes)


def identity_problem(link: Link, account: Account | None) -> str:
    if account is None:
        return "the account no longer exists in RomM"
    if link.romm_created_at is not None:
        if account.created_at is not None and not _same_moment(
            account.created_at, link.romm_created_at
        ):
            return "that RomM id now belongs to another account"
        return ""
    if account.username.casefold() != link.romm_username.casefold():
        return f"that RomM id now belongs to {account.username}, not {link.romm_username}"
    return ""


def _same_moment(a: str, b: str) -> bool:
    """Creation times as RomM reports them: to the second, sometimes with microseconds."""
    try:
        return abs((datetime.fromisoformat(a) - datetime.fromisoformat(b)).total_seconds()) <= 1
    except (TypeError, ValueError):
        return a == b


def _holder(
    s: Situation,
    key: str,
    name: str,
    link: Link | None,
    account: Account | None,
    invite: Invite | None,
    linked_ids: set[int],
    out: list[Action],
    notes: list[str],
) -> None:
    if link is not None and link.state == "active" and account is not None:
        if invite is not None:
            out.append(
                Action("cancel_invite", key, name, reason="has an account", invite_id=invite.id)
            )
        if not link.verified:
            notes.append(f"{name}: imported link to {account.username}, not proven (ask for /link)")
        elif not account.enabled:
            notes.append(f"{name}: {account.username} is disabled in RomM by someone; left alone")
        return
    if link is not None and link.state == "disabled" and account is not None:
        out.append(Action("enable", key, name, account.id, account.username, "has the role again"))
        return
    if link is not None and link.state == "unlinked":
        old = s.accounts.get(link.romm_id)
        if (
            old is not None
            and link.end_reason in ("role_lost", "protected")
            and link.verified
            and not identity_problem(link, old)
            and link.romm_id not in linked_ids
        ):
            out.append(Action("relink", key, name, old.id, old.username, "has the role again"))
            return
    if invite is not None:
        if invite.expires_at <= s.now:
            out.append(Action("expire_invite", key, name, reason="expired", invite_id=invite.id))
        else:
            if not invite.delivered:
                out.append(
                    Action("redeliver", key, name, reason="DM not delivered", invite_id=invite.id)
                )
            return
    if s.mode == "invite":
        out.append(Action("invite", key, name, reason="has the role"))
    elif s.mode == "create":
        out.append(Action("create", key, name, reason="has the role"))
    else:
        notes.append(f"{name}: has the role but accounts cannot be made (see the set-up problem)")


def _not_holder(
    s: Situation,
    key: str,
    name: str,
    link: Link | None,
    account: Account | None,
    invite: Invite | None,
    member: Member | None,
    out: list[Action],
    notes: list[str],
) -> None:
    why = "left the server" if member is not None and not member.present else "lost the role"
    if invite is not None:
        out.append(Action("cancel_invite", key, name, reason=why, invite_id=invite.id))
    if link is None or account is None:
        return
    protection = protected_reason(account, link, s.protected)
    if link.state == "active":
        if not link.verified:
            out.append(Action("unlink", key, name, account.id, account.username, why))
        elif protection:
            out.append(Action("refuse", key, name, account.id, account.username, protection))
        else:
            out.append(Action("disable", key, name, account.id, account.username, why))
        return
    if link.state != "disabled":
        return
    if protection:
        out.append(Action("refuse", key, name, account.id, account.username, protection))
    elif account.enabled:
        out.append(Action("disable", key, name, account.id, account.username, "re-enabled in RomM"))
    elif (
        s.delete_after is not None
        and link.disabled_at is not None
        and link.disabled_at + s.delete_after <= s.now
    ):
        days = s.delete_after.days
        out.append(
            Action("delete", key, name, account.id, account.username, f"disabled over {days} d")
        )


def protected_reason(account: Account, link: Link | None, protected: Iterable[int]) -> str:
    """Why this account may not be disabled or deleted ("" when it may). Used by the plan and
    again by the apply layer right before the RomM call."""
    if account.id in set(protected):
        return "the bot's own RomM account"
    if account.is_admin:
        return "a RomM admin"
    if link is None or not link.created_by_bot:
        return "the bot did not create it"
    if not link.verified:
        return "an imported link that was never proven"
    return ""


# --- usernames ------------------------------------------------------------------------------

USERNAME_MIN, USERNAME_MAX = 3, 30
_NOT_ALLOWED = re.compile(r"[^a-z0-9_-]+")


def base_username(display_name: str) -> str:
    """A RomM username from a chat name: ASCII letters, digits, _ and - (RomM's rule)."""
    folded = unicodedata.normalize("NFKD", display_name).encode("ascii", "ignore").decode()
    text = _NOT_ALLOWED.sub("_", folded.lower()).strip("_-")
    text = re.sub(r"_{2,}", "_", text)[:USERNAME_MAX].strip("_-")
    if len(text) < USERNAME_MIN:
        text = (text + "_player" if text else "player")[:USERNAME_MAX]
    return text


def pick_username(display_name: str, taken: Iterable[str]) -> str:
    """The chat name as a RomM username, with _2, _3… when it is taken (case-insensitive)."""
    used = {t.casefold() for t in taken}
    base = base_username(display_name)
    if base not in used:
        return base
    number = 2
    while True:
        suffix = f"_{number}"
        candidate = base[: USERNAME_MAX - len(suffix)] + suffix
        if candidate not in used:
            return candidate
        number += 1
