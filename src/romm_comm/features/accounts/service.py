"""Accounts: what Discord, our records and RomM say (the situation), the reconciler's plan, and
applying it (account_actions.py) one pass at a time, on events, at start, on a timer and on
an admin's confirmation (/sync_users). Front ends provide the role holders (`Directory`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from ...core.notify import Notifications
from ...romm.client import RommClient
from ...romm.errors import RommError, RommForbidden, RommNotFound
from ...store.db import Store
from . import notices as notices
from . import store as repo
from .actions import BOT, AccountActions, account_of, stamp
from .config import AccountOptions, Resolved, resolve
from .plan import Link, Member, Plan, Situation, plan

if TYPE_CHECKING:
    from .linking import Linker

log = logging.getLogger(__name__)

__all__ = ["BOT", "AccountService", "Directory", "MemberInfo", "Outcome", "account_of", "stamp"]


@dataclass(frozen=True)
class MemberInfo:
    """A member as a chat front end sees them (`id` is that front end's user id)."""

    id: str
    name: str
    holds_role: bool
    present: bool = True


class Directory(Protocol):
    """The chat front end that knows who holds the role (Discord)."""

    @property
    def front_end(self) -> str: ...

    @property
    def role_name(self) -> str: ...

    async def holders(self) -> list[MemberInfo] | None:
        """Every member holding the role; None when the front end cannot list members."""
        ...

    async def lookup(self, ids: Sequence[str]) -> dict[str, MemberInfo]:
        """These members (present=False for those who left); unknown ones are left out."""
        ...


@dataclass
class Outcome:
    plan: Plan
    applied: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    stale: bool = False  # a confirmation for another plan: nothing was applied


class AccountService:
    def __init__(
        self,
        store: Store,
        client: RommClient,
        notifications: Notifications,
        options: AccountOptions,
        *,
        public_url: str | None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.store = store
        self.client = client
        self.notifications = notifications
        self.options = options
        self.public_url = public_url.rstrip("/") if public_url else None
        self.clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self.directory: Directory | None = None
        self.resolved: Resolved | None = None
        self.bot_account_id: int | None = None
        self.lock = asyncio.Lock()  # one reconcile or link at a time
        self._reported: set[str] = set()
        self.invite_links: dict[int, str] = {}
        self.expired_now: set[str] = set()
        from .linking import Linker  # here: that module builds on this one

        self.linker: Linker = Linker(self)
        self.actions = AccountActions(self)
        # Told of every account action carried out: (kind, "done" or "failed"); metrics.
        self.action_observers: list[Callable[[str, str], None]] = []

    def observed(self, kind: str, outcome: str) -> None:
        for observer in self.action_observers:
            observer(kind, outcome)

    @property
    def delete_after(self) -> timedelta | None:
        days = self.options.delete_after_days
        return None if days is None else timedelta(days=days)

    @property
    def role_name(self) -> str:
        return self.directory.role_name if self.directory else "member"

    # --- set-up ----------------------------------------------------------------------------
    async def prepare(self) -> Resolved:
        """Check the settings against the connected RomM; report each problem once."""
        caps = await self.client.capabilities()
        self.bot_account_id = (await self.client.me()).id
        groups = None
        if caps.permission_groups:
            try:
                groups = await self.client.permission_groups()
            except (RommForbidden, RommNotFound):
                groups = None
        resolved = resolve(self.options, caps, groups)
        for problem in resolved.problems:
            if problem not in self._reported:
                self._reported.add(problem)
                log.warning("accounts: %s", problem)
                await self.notifications.admin_log(
                    notices.admin_line(f"new accounts are off until this is fixed: {problem}")
                )
        self.resolved = resolved
        return resolved

    async def ready(self) -> Resolved:
        return self.resolved if self.resolved is not None else await self.prepare()

    # --- what is, what should be -------------------------------------------------------------
    async def situation(self, scope: Sequence[str] | None = None) -> Situation:
        resolved = await self.ready()
        directory = self.directory
        links = await repo.links(self.store.conn)
        stored = await repo.pending_invites(self.store.conn)
        self.invite_links = {s.invite.id: s.link or "" for s in stored.values()}
        front = directory.front_end if directory else ""
        members: dict[str, Member] = {}
        complete = False
        if directory is not None:
            holders = None if scope is not None else await directory.holders()
            complete = holders is not None
            for info in holders or []:
                members[f"{front}:{info.id}"] = _member(front, info)
            # Members we must ask about one by one: those with a live link or invite (and,
            # without a member list, those unlinked by losing the role, who may have it back).
            relevant = ("active", "disabled") if complete else ("active", "disabled", "unlinked")
            tracked = {k for k, v in links.items() if v.state in relevant}
            known = set(scope) if scope is not None else {*tracked, *stored}
            wanted = [k.partition(":")[2] for k in known if k.startswith(front + ":")]
            wanted = [i for i in wanted if f"{front}:{i}" not in members]
            for info in (await directory.lookup(wanted)).values() if wanted else ():
                members[f"{front}:{info.id}"] = _member(front, info)
        accounts = {u.id: account_of(u) for u in await self.client.users()}
        protected = frozenset({self.bot_account_id} if self.bot_account_id is not None else ())
        return Situation(
            members=members,
            complete=complete,
            links={k: v for k, v in links.items() if k.startswith(front + ":")},
            invites={k: s.invite for k, s in stored.items() if k.startswith(front + ":")},
            accounts=accounts,
            protected=protected,
            now=self.clock(),
            delete_after=self.delete_after,
            mode=resolved.mode if directory is not None else "off",
            scope=frozenset(scope) if scope is not None else None,
        )

    async def preview(self) -> Plan:
        async with self.lock:
            return plan(await self.situation())

    async def reconcile(
        self,
        scope: Sequence[str] | None = None,
        *,
        actor: str = BOT,
        expected: str | None = None,
    ) -> Outcome:
        """Compute the difference and apply it (`expected`: only if it is still that plan)."""
        if self.directory is None:
            return Outcome(Plan(()))
        async with self.lock:
            current = plan(await self.situation(scope))
            if expected is not None and current.digest() != expected:
                return Outcome(current, stale=True)
            return await self._apply_all(current, actor)

    async def apply(self, planned: Plan, *, actor: str = BOT) -> Outcome:
        """Apply a plan computed earlier (each destructive step is checked again first)."""
        async with self.lock:
            return await self._apply_all(planned, actor)

    async def _apply_all(self, planned: Plan, actor: str) -> Outcome:
        outcome = Outcome(planned)
        self.expired_now.clear()
        for action in planned.actions:
            try:
                outcome.applied.append(await self.actions.run(action, actor))
            except RommError as exc:
                outcome.failed.append(notices.action_line(action, f" failed: {exc.user_message}"))
                await self.actions.failed(action, actor, exc)
        return outcome

    # --- reading ------------------------------------------------------------------------------
    async def overview(self) -> tuple[list[Link], list[repo.StoredInvite]]:
        links = await repo.links(self.store.conn)
        invites = await repo.pending_invites(self.store.conn)
        return list(links.values()), list(invites.values())

    async def events(self, member_key: str | None = None) -> list[repo.Event]:
        return await repo.events(self.store.conn, member_key)


def _member(front_end: str, info: MemberInfo) -> Member:
    return Member(f"{front_end}:{info.id}", info.name, info.holds_role, info.present)
