"""Accounts: applies the reconciler's plan through the RomM client.

Each action is one RomM call (or none), then its record (link change + event) in one store
transaction, then the member's DM and one admin-log line. Disabling and deleting go through
`_destructive`, which asks RomM again right before the call whether the account is still the
one we linked, not an admin, not the bot's own and created by the bot ("checked twice": the
plan checked it too). A DM that cannot be delivered is recorded and the admins are told; an
invite stays retrievable with /my_account until it is used or expires.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from pydantic import SecretStr

from ..chat.cards import Reply
from ..romm.client import RommClient
from ..romm.errors import RommError, RommForbidden, RommNotFound
from ..romm.models import User
from ..store.db import Store
from . import account_notices as notices
from . import accounts_store as repo
from .account_config import AccountOptions, Resolved, resolve
from .accounts_plan import (
    ACTIVE_STATES,
    Account,
    Action,
    Link,
    Member,
    Plan,
    Situation,
    identity_problem,
    pick_username,
    plan,
    protected_reason,
)
from .notify import Notifications, UserRef

if TYPE_CHECKING:
    from .account_linking import Linker

log = logging.getLogger(__name__)

BOT = "bot"


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


def stamp(moment: datetime | None) -> str | None:
    """A RomM creation time as an identity (RomM answers microseconds only right after
    creating a row, so compare to the second)."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def account_of(user: User) -> Account:
    return Account(user.id, user.username, user.role, user.enabled, stamp(user.created_at))


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
        self._invite_links: dict[int, str] = {}
        self._expired_now: set[str] = set()
        from .account_linking import Linker  # here: that module builds on this one

        self.linker: Linker = Linker(self)

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

    async def _ready(self) -> Resolved:
        return self.resolved if self.resolved is not None else await self.prepare()

    # --- what is, what should be -------------------------------------------------------------
    async def situation(self, scope: Sequence[str] | None = None) -> Situation:
        resolved = await self._ready()
        directory = self.directory
        links = await repo.links(self.store.conn)
        stored = await repo.pending_invites(self.store.conn)
        self._invite_links = {s.invite.id: s.link or "" for s in stored.values()}
        front = directory.front_end if directory else ""
        members: dict[str, Member] = {}
        complete = False
        if directory is not None:
            holders = None if scope is not None else await directory.holders()
            complete = holders is not None
            for info in holders or []:
                members[f"{front}:{info.id}"] = _member(front, info)
            known = set(scope) if scope is not None else {*links, *stored}
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
        self._expired_now.clear()
        for action in planned.actions:
            try:
                outcome.applied.append(await self._apply(action, actor))
            except RommError as exc:
                outcome.failed.append(notices.action_line(action, f" failed: {exc.user_message}"))
                await self._failed(action, actor, exc)
        return outcome

    # --- applying one action -------------------------------------------------------------------
    async def _apply(self, action: Action, actor: str) -> str:
        handler = getattr(self, f"_do_{action.kind}")
        line: str = await handler(action, actor)
        return line

    async def _record(
        self,
        action: Action,
        actor: str,
        kind: str,
        text: str = "",
        *,
        state: str | None = None,
        end_reason: str = "",
        disabled_at: datetime | None = None,
    ) -> datetime:
        now = self.clock()
        async with self.store.transaction() as conn:
            if state is not None:
                await repo.set_state(
                    conn,
                    action.member_key,
                    state,
                    now,
                    end_reason=end_reason,
                    disabled_at=disabled_at,
                )
            await repo.add_event(
                conn,
                kind,
                now,
                actor=actor,
                member_key=action.member_key,
                member_name=action.member_name,
                romm_id=action.romm_id,
                romm_username=action.romm_username,
                text=text or action.reason,
            )
        return now

    async def _tell(self, action: Action, reply: Reply | None) -> str:
        """DM the member; the outcome as it goes into the admin-log line."""
        if reply is None:
            return ""
        if await self.notifications.direct(UserRef.parse(action.member_key), reply):
            return ""
        await self._record(action, BOT, "dm_failed", "could not DM the member")
        return "; the member could not be told (DMs closed)"

    async def _log(self, action: Action, outcome: str = "", *, warn: bool = False) -> str:
        line = notices.action_line(action, outcome)
        await self.notifications.admin_log(notices.admin_line(line, "warning" if warn else "info"))
        return line

    async def _failed(self, action: Action, actor: str, exc: RommError) -> None:
        log.warning("accounts: %s failed: %s", action.kind, exc.detail)
        await self._record(action, actor, "failed", f"{action.kind}: {exc.user_message}")
        line = notices.action_line(action, f" failed: {exc.user_message}")
        await self.notifications.admin_log(notices.admin_line(line, "warning"))

    async def _do_adopt(self, action: Action, actor: str) -> str:
        assert action.romm_id is not None
        user = await self.client.user(action.romm_id)
        async with self.store.transaction() as conn:
            await repo.adopt(
                conn, action.member_key, user.username, stamp(user.created_at), self.clock()
            )
        return notices.action_line(action, "")

    async def _do_forget(self, action: Action, actor: str) -> str:
        await self._record(action, actor, "forget", state="gone", end_reason=action.reason)
        return await self._log(action, warn=True)

    async def _do_cancel_invite(self, action: Action, actor: str) -> str:
        assert action.invite_id is not None
        now = self.clock()
        async with self.store.transaction() as conn:
            await repo.close_invite(conn, action.invite_id, "cancelled", action.reason, now)
        await self._record(action, actor, "cancel_invite")
        return await self._log(action)

    async def _do_expire_invite(self, action: Action, actor: str) -> str:
        assert action.invite_id is not None
        now = self.clock()
        async with self.store.transaction() as conn:
            await repo.close_invite(conn, action.invite_id, "expired", "expired", now)
        await self._record(action, actor, "expire_invite")
        self._expired_now.add(action.member_key)
        return await self._log(action)

    async def _do_redeliver(self, action: Action, actor: str) -> str:
        assert action.invite_id is not None
        url = self._invite_links.get(action.invite_id)
        stored = (await repo.pending_invites(self.store.conn)).get(action.member_key)
        if not url or stored is None:
            return notices.action_line(action, ": nothing to deliver")
        reply = notices.invite_dm(url, stored.invite.expires_at, self.role_name)
        if not await self.notifications.direct(UserRef.parse(action.member_key), reply):
            return notices.action_line(action, ": DMs still closed")  # told the admins before
        async with self.store.transaction() as conn:
            await repo.mark_delivered(conn, action.invite_id)
        await self._record(action, actor, "dm_delivered", "invite delivered on a later try")
        return await self._log(action)

    async def _do_invite(self, action: Action, actor: str) -> str:
        resolved = await self._ready()
        ttl = self.options.invite_ttl
        try:
            invite = await self.client.invite_link(resolved.role, ttl)
        except RommNotFound:
            # No invite links on this RomM after all: make accounts instead, from now on.
            self.resolved = replace(resolved, mode="create")
            return await self._do_create(replace(action, kind="create"), actor)
        token = invite.token.get_secret_value()
        url = invite.url or f"{self.public_url or self.client.base_url}/register?token={token}"
        now = self.clock()
        expires = now + timedelta(seconds=ttl)
        async with self.store.transaction() as conn:
            invite_id = await repo.add_invite(
                conn,
                action.member_key,
                action.member_name,
                role=resolved.role,
                link=url,
                sent_at=now,
                expires_at=expires,
            )
            await repo.add_event(
                conn,
                "invite",
                now,
                actor=actor,
                member_key=action.member_key,
                member_name=action.member_name,
                text=f"expires {notices.when(expires)}",
            )
        again = action.member_key in self._expired_now
        reply = notices.invite_dm(url, expires, self.role_name, again=again)
        if await self.notifications.direct(UserRef.parse(action.member_key), reply):
            async with self.store.transaction() as conn:
                await repo.mark_delivered(conn, invite_id)
            return await self._log(action, f"; expires {notices.when(expires)}, DM delivered")
        await self._record(action, BOT, "dm_failed", "could not DM the invite")
        return await self._log(
            action,
            f"; could not DM them (DMs closed): the invite is kept, they can see it with "
            f"/my_account until {notices.when(expires)}",
            warn=True,
        )

    async def _do_create(self, action: Action, actor: str) -> str:
        resolved = await self._ready()
        taken = [u.username for u in await self.client.users()]
        username = pick_username(action.member_name, taken)
        password = SecretStr(secrets.token_urlsafe(12))
        user = await self.client.create_user(username, password, resolved.role)
        action = replace(action, romm_id=user.id, romm_username=user.username)
        group_note = await self.set_group(user.id)
        now = self.clock()
        link = Link(
            member_key=action.member_key,
            member_name=action.member_name,
            romm_id=user.id,
            romm_username=user.username,
            state="active",
            origin="created",
            created_by_bot=True,
            verified=True,
            romm_created_at=stamp(user.created_at),
        )
        async with self.store.transaction() as conn:
            await repo.put_link(conn, link, now, credentials_pending=True)
            await repo.add_event(
                conn,
                "create",
                now,
                actor=actor,
                member_key=action.member_key,
                member_name=action.member_name,
                romm_id=user.id,
                romm_username=user.username,
                text=f"role {resolved.role}{group_note}",
            )
        reply = notices.credentials_dm(
            self.public_url, user.username, password.get_secret_value(), self.role_name
        )
        if await self.notifications.direct(UserRef.parse(action.member_key), reply):
            async with self.store.transaction() as conn:
                await repo.set_credentials_pending(conn, action.member_key, False)
            return await self._log(action, f"{group_note}; DM delivered")
        await self._record(action, BOT, "dm_failed", "could not DM the password")
        return await self._log(
            action,
            f"{group_note}; could not DM them (DMs closed): they get a new password with "
            "/my_account",
            warn=True,
        )

    async def set_group(self, user_id: int) -> str:
        resolved = await self._ready()
        if resolved.group_id is None:
            return ""
        try:
            await self.client.set_permission_group(user_id, resolved.group_id)
        except RommError as exc:
            return f", permission group not set ({exc.user_message})"
        return f", permission group {resolved.group_name}"

    async def _do_enable(self, action: Action, actor: str) -> str:
        problem = await self.still_same(action)
        if problem:
            return await self._do_forget(replace(action, kind="forget", reason=problem), actor)
        assert action.romm_id is not None
        await self.client.set_user_enabled(action.romm_id, True)
        await self._record(action, actor, "enable", state="active")
        told = await self._tell(action, notices.change_dm(action, self.options.delete_after_days))
        return await self._log(action, told)

    async def _do_relink(self, action: Action, actor: str) -> str:
        problem = await self.still_same(action)
        if problem:
            return notices.action_line(action, f": not linked again ({problem})")
        await self._record(action, actor, "relink", state="active")
        told = await self._tell(action, notices.change_dm(action, self.options.delete_after_days))
        return await self._log(action, told)

    async def _do_unlink(self, action: Action, actor: str) -> str:
        await self._record(action, actor, "unlink", state="unlinked", end_reason="unproven")
        told = await self._tell(action, notices.change_dm(action, self.options.delete_after_days))
        return await self._log(action, told)

    async def _do_refuse(self, action: Action, actor: str) -> str:
        reason = "role_lost" if action.reason == "the bot did not create it" else "protected"
        await self._record(action, actor, "refuse", state="unlinked", end_reason=reason)
        told = await self._tell(action, notices.change_dm(action, self.options.delete_after_days))
        return await self._log(action, told, warn=True)

    async def _do_disable(self, action: Action, actor: str) -> str:
        link = await self._destructive(action, actor)
        if isinstance(link, str):
            return link
        assert action.romm_id is not None
        await self.client.set_user_enabled(action.romm_id, False)
        was_active = link.state == "active"
        since = link.disabled_at if not was_active and link.disabled_at else self.clock()
        await self._record(action, actor, "disable", state="disabled", disabled_at=since)
        dm = notices.change_dm(action, self.options.delete_after_days) if was_active else None
        return await self._log(action, await self._tell(action, dm))

    async def _do_delete(self, action: Action, actor: str) -> str:
        link = await self._destructive(action, actor)
        if isinstance(link, str):
            return link
        assert action.romm_id is not None
        await self.client.delete_user(action.romm_id)
        await self._record(action, actor, "delete", state="deleted", end_reason="grace ended")
        told = await self._tell(action, notices.change_dm(action, self.options.delete_after_days))
        return await self._log(action, told, warn=True)

    # --- the protections, checked again right before a destructive RomM call ------------------
    async def still_same(self, action: Action) -> str:
        """Why the linked account is not the one we recorded ("" when it is)."""
        link = await repo.link_of(self.store.conn, action.member_key)
        if link is None or action.romm_id is None or link.romm_id != action.romm_id:
            return "the link changed meanwhile"
        try:
            user = await self.client.user(action.romm_id)
        except RommNotFound:
            return "the account no longer exists in RomM"
        return identity_problem(link, account_of(user))

    async def _destructive(self, action: Action, actor: str) -> Link | str:
        """The fresh link when disabling/deleting may go ahead, else the line saying why not
        (the refusal is recorded and posted like every other action)."""
        link = await repo.link_of(self.store.conn, action.member_key)
        if (
            link is None
            or action.romm_id is None
            or link.romm_id != action.romm_id
            or link.state not in ACTIVE_STATES
        ):
            return notices.action_line(action, ": skipped, the link changed meanwhile")
        try:
            user = await self.client.user(action.romm_id)
        except RommNotFound:
            forget = replace(action, kind="forget", reason="the account no longer exists in RomM")
            return await self._do_forget(forget, actor)
        account = account_of(user)
        problem = identity_problem(link, account)
        if problem:
            return await self._do_forget(replace(action, kind="forget", reason=problem), actor)
        protected = {self.bot_account_id} if self.bot_account_id is not None else set()
        reason = protected_reason(account, link, protected)
        if reason:
            refusal = replace(action, kind="refuse", reason=reason)
            return await self._do_refuse(refusal, actor)
        return link

    # --- reading ------------------------------------------------------------------------------
    async def overview(self) -> tuple[list[Link], list[repo.StoredInvite]]:
        links = await repo.links(self.store.conn)
        invites = await repo.pending_invites(self.store.conn)
        return list(links.values()), list(invites.values())

    async def events(self, member_key: str | None = None) -> list[repo.Event]:
        return await repo.events(self.store.conn, member_key)


def _member(front_end: str, info: MemberInfo) -> Member:
    return Member(f"{front_end}:{info.id}", info.name, info.holds_role, info.present)
