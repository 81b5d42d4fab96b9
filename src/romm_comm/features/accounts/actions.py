"""Applying one account action: the RomM call (if any), its record (link change + event) in one
store transaction, the member's DM and one admin-log line.

Disabling and deleting go through `_destructive`, which asks RomM again right before the call
whether the account is still the one we linked, not an admin, not the bot's own and created by
the bot ("checked twice": the plan checked it too). A DM that cannot be delivered is recorded
and the admins are told; an invite stays retrievable with /my_account until it is used or
expires, a password that never arrived is replaced there.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from pydantic import SecretStr

from ...core.cards import Reply
from ...core.notify import UserRef
from ...romm.errors import RommError, RommNotFound
from ...romm.models import User
from . import notices as notices
from . import store as repo
from .plan import (
    ACTIVE_STATES,
    Account,
    Action,
    Link,
    identity_problem,
    pick_username,
    protected_reason,
)

if TYPE_CHECKING:
    from .service import AccountService

log = logging.getLogger(__name__)

BOT = "bot"


def stamp(moment: datetime | None) -> str | None:
    """A RomM creation time as an identity (RomM answers microseconds only right after
    creating a row, so compare to the second)."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def account_of(user: User) -> Account:
    return Account(user.id, user.username, user.role, user.enabled, stamp(user.created_at))


class AccountActions:
    """The handler of each plan action (`_do_<kind>`), for one AccountService."""

    def __init__(self, service: AccountService) -> None:
        self.s = service

    async def run(self, action: Action, actor: str) -> str:
        handler = getattr(self, f"_do_{action.kind}")
        line: str = await handler(action, actor)
        self.s.observed(action.kind, "done")
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
        now = self.s.clock()
        async with self.s.store.transaction() as conn:
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
        if await self.s.notifications.direct(UserRef.parse(action.member_key), reply):
            return ""
        await self._record(action, BOT, "dm_failed", "could not DM the member")
        return "; the member could not be told (DMs closed)"

    async def _log(self, action: Action, outcome: str = "", *, warn: bool = False) -> str:
        line = notices.action_line(action, outcome)
        tone = "warning" if warn else "info"
        await self.s.notifications.admin_log(notices.admin_line(line, tone))
        return line

    async def failed(self, action: Action, actor: str, exc: RommError) -> None:
        log.warning("accounts: %s failed: %s", action.kind, exc.detail)
        self.s.observed(action.kind, "failed")
        await self._record(action, actor, "failed", f"{action.kind}: {exc.user_message}")
        line = notices.action_line(action, f" failed: {exc.user_message}")
        await self.s.notifications.admin_log(notices.admin_line(line, "warning"))

    async def _do_adopt(self, action: Action, actor: str) -> str:
        assert action.romm_id is not None
        user = await self.s.client.user(action.romm_id)
        async with self.s.store.transaction() as conn:
            await repo.adopt(
                conn, action.member_key, user.username, stamp(user.created_at), self.s.clock()
            )
        return notices.action_line(action, "")

    async def _do_forget(self, action: Action, actor: str) -> str:
        await self._record(action, actor, "forget", state="gone", end_reason=action.reason)
        return await self._log(action, warn=True)

    async def _do_cancel_invite(self, action: Action, actor: str) -> str:
        assert action.invite_id is not None
        now = self.s.clock()
        async with self.s.store.transaction() as conn:
            await repo.close_invite(conn, action.invite_id, "cancelled", action.reason, now)
        await self._record(action, actor, "cancel_invite")
        return await self._log(action)

    async def _do_expire_invite(self, action: Action, actor: str) -> str:
        assert action.invite_id is not None
        now = self.s.clock()
        async with self.s.store.transaction() as conn:
            await repo.close_invite(conn, action.invite_id, "expired", "expired", now)
        await self._record(action, actor, "expire_invite")
        self.s.expired_now.add(action.member_key)
        return await self._log(action)

    async def _do_redeliver(self, action: Action, actor: str) -> str:
        assert action.invite_id is not None
        url = self.s.invite_links.get(action.invite_id)
        stored = (await repo.pending_invites(self.s.store.conn)).get(action.member_key)
        if not url or stored is None:
            return notices.action_line(action, ": nothing to deliver")
        reply = notices.invite_dm(url, stored.invite.expires_at, self.s.role_name)
        if not await self.s.notifications.direct(UserRef.parse(action.member_key), reply):
            return notices.action_line(action, ": DMs still closed")  # told the admins before
        async with self.s.store.transaction() as conn:
            await repo.mark_delivered(conn, action.invite_id)
        await self._record(action, actor, "dm_delivered", "invite delivered on a later try")
        return await self._log(action)

    async def _do_invite(self, action: Action, actor: str) -> str:
        resolved = await self.s.ready()
        ttl = self.s.options.invite_ttl
        try:
            invite = await self.s.client.invite_link(resolved.role, ttl)
        except RommNotFound:
            # No invite links on this RomM after all: make accounts instead, from now on.
            self.s.resolved = replace(resolved, mode="create")
            return await self._do_create(replace(action, kind="create"), actor)
        token = invite.token.get_secret_value()
        url = invite.url or f"{self.s.public_url or self.s.client.base_url}/register?token={token}"
        now = self.s.clock()
        expires = now + timedelta(seconds=ttl)
        async with self.s.store.transaction() as conn:
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
        again = action.member_key in self.s.expired_now
        reply = notices.invite_dm(url, expires, self.s.role_name, again=again)
        if await self.s.notifications.direct(UserRef.parse(action.member_key), reply):
            async with self.s.store.transaction() as conn:
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
        resolved = await self.s.ready()
        taken = [u.username for u in await self.s.client.users()]
        username = pick_username(action.member_name, taken)
        password = SecretStr(secrets.token_urlsafe(12))
        user = await self.s.client.create_user(username, password, resolved.role)
        action = replace(action, romm_id=user.id, romm_username=user.username)
        group_note = await self.set_group(user.id)
        now = self.s.clock()
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
        async with self.s.store.transaction() as conn:
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
            self.s.public_url, user.username, password.get_secret_value(), self.s.role_name
        )
        if await self.s.notifications.direct(UserRef.parse(action.member_key), reply):
            async with self.s.store.transaction() as conn:
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
        resolved = await self.s.ready()
        if resolved.group_id is None:
            return ""
        try:
            await self.s.client.set_permission_group(user_id, resolved.group_id)
        except RommError as exc:
            return f", permission group not set ({exc.user_message})"
        return f", permission group {resolved.group_name}"

    async def _do_enable(self, action: Action, actor: str) -> str:
        problem = await self.still_same(action)
        if problem:
            return await self._do_forget(replace(action, kind="forget", reason=problem), actor)
        assert action.romm_id is not None
        await self.s.client.set_user_enabled(action.romm_id, True)
        await self._record(action, actor, "enable", state="active")
        told = await self._tell(action, notices.change_dm(action, self.s.options.delete_after_days))
        return await self._log(action, told)

    async def _do_relink(self, action: Action, actor: str) -> str:
        problem = await self.still_same(action)
        if problem:
            return notices.action_line(action, f": not linked again ({problem})")
        await self._record(action, actor, "relink", state="active")
        told = await self._tell(action, notices.change_dm(action, self.s.options.delete_after_days))
        return await self._log(action, told)

    async def _do_unlink(self, action: Action, actor: str) -> str:
        await self._record(action, actor, "unlink", state="unlinked", end_reason="unproven")
        told = await self._tell(action, notices.change_dm(action, self.s.options.delete_after_days))
        return await self._log(action, told)

    async def _do_refuse(self, action: Action, actor: str) -> str:
        reason = "role_lost" if action.reason == "the bot did not create it" else "protected"
        await self._record(action, actor, "refuse", state="unlinked", end_reason=reason)
        told = await self._tell(action, notices.change_dm(action, self.s.options.delete_after_days))
        return await self._log(action, told, warn=True)

    async def _do_disable(self, action: Action, actor: str) -> str:
        link = await self._destructive(action, actor)
        if isinstance(link, str):
            return link
        assert action.romm_id is not None
        await self.s.client.set_user_enabled(action.romm_id, False)
        was_active = link.state == "active"
        since = link.disabled_at if not was_active and link.disabled_at else self.s.clock()
        await self._record(action, actor, "disable", state="disabled", disabled_at=since)
        dm = notices.change_dm(action, self.s.options.delete_after_days) if was_active else None
        return await self._log(action, await self._tell(action, dm))

    async def _do_delete(self, action: Action, actor: str) -> str:
        link = await self._destructive(action, actor)
        if isinstance(link, str):
            return link
        assert action.romm_id is not None
        await self.s.client.delete_user(action.romm_id)
        await self._record(action, actor, "delete", state="deleted", end_reason="grace ended")
        told = await self._tell(action, notices.change_dm(action, self.s.options.delete_after_days))
        return await self._log(action, told, warn=True)

    # --- the protections, checked again right before a destructive RomM call ------------------
    async def still_same(self, action: Action) -> str:
        """Why the linked account is not the one we recorded ("" when it is)."""
        link = await repo.link_of(self.s.store.conn, action.member_key)
        if link is None or action.romm_id is None or link.romm_id != action.romm_id:
            return "the link changed meanwhile"
        try:
            user = await self.s.client.user(action.romm_id)
        except RommNotFound:
            return "the account no longer exists in RomM"
        return identity_problem(link, account_of(user))

    async def _destructive(self, action: Action, actor: str) -> Link | str:
        """The fresh link when disabling/deleting may go ahead, else the line saying why not
        (the refusal is recorded and posted like every other action)."""
        link = await repo.link_of(self.s.store.conn, action.member_key)
        if (
            link is None
            or action.romm_id is None
            or link.romm_id != action.romm_id
            or link.state not in ACTIVE_STATES
        ):
            return notices.action_line(action, ": skipped, the link changed meanwhile")
        try:
            user = await self.s.client.user(action.romm_id)
        except RommNotFound:
            forget = replace(action, kind="forget", reason="the account no longer exists in RomM")
            return await self._do_forget(forget, actor)
        account = account_of(user)
        problem = identity_problem(link, account)
        if problem:
            return await self._do_forget(replace(action, kind="forget", reason=problem), actor)
        protected = {self.s.bot_account_id} if self.s.bot_account_id is not None else set()
        reason = protected_reason(account, link, protected)
        if reason:
            refusal = replace(action, kind="refuse", reason=reason)
            return await self._do_refuse(refusal, actor)
        return link
