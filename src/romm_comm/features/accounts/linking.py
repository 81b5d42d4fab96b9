"""Linking an existing RomM account, with proof: the member makes a pairing code for one of their
own client tokens in RomM; the bot trades the code for that token, asks RomM with it who it
belongs to, records the link and deletes the token, so no credential of the member is kept.
Anyone can *say* they are `admin`; only the owner can make a pairing code for admin's token.

Also the member's own view (/my_account): their link, or their pending invite (shown again, so
an invite is never lost), or a new password when the first one never reached them.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from dataclasses import dataclass

from pydantic import SecretStr

from ...core.cards import Card, Field, Link, Reply
from ...romm.accounts_api import PairedToken
from ...romm.errors import RommAuthError, RommError, RommForbidden, RommNotFound
from ...romm.models import User
from . import notices as notices
from . import store as repo
from .actions import BOT, account_of, stamp
from .plan import Action
from .plan import Link as AccountLink
from .service import AccountService

log = logging.getLogger(__name__)

CODE = re.compile(r"^[A-Z0-9]{8}$")
ATTEMPTS, WINDOW = 5, 600.0  # /link tries per member (RomM allows 5 a minute for the whole bot)


@dataclass(frozen=True)
class LinkResult:
    ok: bool
    text: str


class Linker:
    def __init__(self, service: AccountService) -> None:
        self.service = service
        self._tries: dict[str, list[float]] = {}

    def instructions(self) -> Reply:
        url = self.service.public_url
        links = (Link("RomM → Client API tokens", f"{url}/client-api-tokens"),) if url else ()
        card = Card(title="Link your RomM account", text=notices.PAIRING_STEPS)
        return Reply(cards=(card,), links=links, private=True)

    def _allowed(self, member_key: str) -> bool:
        now = time.monotonic()
        recent = [t for t in self._tries.get(member_key, []) if t > now - WINDOW]
        recent.append(now)
        self._tries[member_key] = recent
        return len(recent) <= ATTEMPTS

    async def link(self, member_key: str, member_name: str, code: str) -> LinkResult:
        service = self.service
        normal = code.replace("-", "").replace(" ", "").strip().upper()
        if not CODE.match(normal):
            return LinkResult(False, "That is not a pairing code: RomM shows 8 letters and digits.")
        caps = await service.client.capabilities()
        if not caps.pairing:
            return LinkResult(
                False,
                f"Linking needs RomM 4.8 or newer (client API tokens); this RomM is "
                f"{caps.version}. Ask an admin.",
            )
        problem = await self._not_eligible(member_key)
        if problem:
            return LinkResult(False, problem)
        if not self._allowed(member_key):
            return LinkResult(False, "Too many tries: wait ten minutes and make a new code.")
        try:
            paired = await service.client.exchange_pair_code(normal)
        except RommNotFound:
            return LinkResult(
                False,
                "RomM does not know that code, or it expired (codes last a minute and work "
                "once). Press Pair again in RomM and use the new code.",
            )
        except RommForbidden:
            return LinkResult(False, "That RomM account is disabled; ask an admin.")
        except RommError as exc:
            if exc.status == 429:
                return LinkResult(False, "RomM is limiting pairing attempts; try in a minute.")
            raise
        try:
            user = await self._owner(paired)
        finally:
            await self._discard(paired, member_name)
        async with service.lock:
            return await self._record(member_key, member_name, user)

    async def _not_eligible(self, member_key: str) -> str:
        directory = self.service.directory
        if directory is None:
            return "Linking works from the chat server whose role grants RomM accounts."
        front, _, ident = member_key.partition(":")
        if front != directory.front_end:
            return "Linking works from the chat server whose role grants RomM accounts."
        found = (await directory.lookup([ident])).get(ident)
        if found is None or not found.holds_role:
            return f"Linking is for members with the {directory.role_name} role."
        return ""

    async def _owner(self, paired: PairedToken) -> User:
        """Who the token belongs to, as RomM says when asked with that very token."""
        try:
            user = await self.service.client.me_with_token(paired.raw_token)
        except (RommForbidden, RommAuthError):
            # A token without me.read: the exchange itself proved the owner; ask as the bot.
            user = await self.service.client.user(paired.user_id)
        if user.id != paired.user_id:
            raise RommError("the paired token answered for another user")
        return user

    async def _discard(self, paired: PairedToken, member_name: str) -> None:
        try:
            await self.service.client.delete_client_token(paired.id, paired.raw_token)
        except RommError as exc:
            log.warning("accounts: could not delete paired token %s: %s", paired.id, exc.detail)
            await self.service.notifications.admin_log(
                notices.admin_line(
                    f"could not delete the client token #{paired.id} that {member_name} paired "
                    "to link their account; delete it in RomM (Settings → Client API tokens).",
                    "warning",
                )
            )

    async def _record(self, member_key: str, member_name: str, user: User) -> LinkResult:
        service = self.service
        conn = service.store.conn
        action = Action("relink", member_key, member_name, user.id, user.username)
        if user.id == service.bot_account_id:
            await self._refused(action, "it is the bot's own RomM account")
            return LinkResult(False, "That is the bot's own RomM account; it cannot be linked.")
        holder = await repo.holder_of(conn, user.id)
        if holder is not None and holder.member_key != member_key:
            await self._refused(action, f"it is already linked to {holder.member_name}")
            return LinkResult(
                False,
                f"The RomM account {user.username} is already linked to another member. "
                "If it is yours, ask an admin.",
            )
        mine = await repo.link_of(conn, member_key)
        if mine is not None and mine.state in ("active", "disabled") and mine.verified:
            if mine.romm_id == user.id:
                return LinkResult(True, f"You are already linked to {user.username}.")
            await self._refused(action, f"they are already linked to {mine.romm_username}")
            return LinkResult(
                False,
                f"You are already linked to the RomM account {mine.romm_username}; ask an "
                "admin to change it.",
            )
        invite = (await repo.pending_invites(conn)).get(member_key)
        created = user.created_at
        # RomM does not record which invite an account registered with (its user has no such
        # field), and an account made by hand after the invite looks the same: a linked
        # account is never taken for one the bot made, so it is never disabled, deleted or
        # given a permission group by the bot (only accounts the bot created itself are).
        by_invite = False
        group_note = ""
        now = service.clock()
        link = AccountLink(
            member_key=member_key,
            member_name=member_name,
            romm_id=user.id,
            romm_username=user.username,
            state="active",
            origin="invited" if by_invite else "linked",
            created_by_bot=by_invite,
            verified=True,
            romm_created_at=stamp(created),
        )
        how = "registered with the bot's invite" if by_invite else "an existing account"
        if invite is not None:
            how += " (RomM cannot tell whether the invite was used, so the bot leaves it alone)"
        async with service.store.transaction() as tx:
            await repo.put_link(tx, link, now)
            if invite is not None:
                status = "used" if by_invite else "cancelled"
                await repo.close_invite(tx, invite.invite.id, status, "linked", now)
            await repo.add_event(
                tx,
                "link",
                now,
                actor=member_key,
                member_key=member_key,
                member_name=member_name,
                romm_id=user.id,
                romm_username=user.username,
                text=f"proven by pairing; {how}{group_note}",
            )
        admin = " (a RomM admin account)" if account_of(user).is_admin else ""
        await service.notifications.admin_log(
            notices.admin_line(
                f"linked {member_name} to RomM account {user.username}{admin}: proven by "
                f"pairing, {how}{group_note}.",
                "warning" if admin else "info",
            )
        )
        return LinkResult(True, f"Linked: your Discord account is now linked to {user.username}.")

    async def _refused(self, action: Action, why: str) -> None:
        now = self.service.clock()
        async with self.service.store.transaction() as tx:
            await repo.add_event(
                tx,
                "link_refused",
                now,
                actor=action.member_key,
                member_key=action.member_key,
                member_name=action.member_name,
                romm_id=action.romm_id,
                romm_username=action.romm_username,
                text=why,
            )
        await self.service.notifications.admin_log(
            notices.admin_line(
                f"refused to link {action.member_name} to RomM account "
                f"{action.romm_username}: {why}.",
                "warning",
            )
        )

    # --- the member's own view ------------------------------------------------------------
    async def my_account(self, member_key: str, member_name: str) -> Reply:
        service = self.service
        conn = service.store.conn
        link = await repo.link_of(conn, member_key)
        invited = member_key in await repo.pending_invites(conn)
        if (link is None or link.state not in ("active", "disabled")) and not invited:
            # Maybe a role holder the bot has not seen yet (no Server Members intent, or the
            # next sync is a while away): sync this one member now.
            await service.reconcile([member_key])
            link = await repo.link_of(conn, member_key)
        if link is not None and link.state in ("active", "disabled"):
            if link.state == "active" and await repo.credentials_pending(conn, member_key):
                return await self._new_password(link)
            state = "enabled" if link.state == "active" else "disabled (you lost the role)"
            proof = "" if link.verified else " — imported, not proven yet: use /link"
            card = Card(
                title="Your RomM account",
                fields=(Field("Username", link.romm_username), Field("State", state + proof)),
            )
            links = (Link("Open RomM", service.public_url),) if service.public_url else ()
            return Reply(cards=(card,), links=links, private=True)
        invite = (await repo.pending_invites(conn)).get(member_key)
        if invite is not None and invite.link and invite.invite.expires_at > service.clock():
            async with service.store.transaction() as tx:
                await repo.mark_delivered(tx, invite.invite.id)
                await repo.add_event(
                    tx,
                    "invite_shown",
                    service.clock(),
                    actor=member_key,
                    member_key=member_key,
                    member_name=member_name,
                )
            return notices.invite_dm(invite.link, invite.invite.expires_at, service.role_name)
        return Reply.notice(
            "You have no RomM account through the bot. Members with the "
            f"{service.role_name} role get one; if you already have a RomM account, link it "
            "with /link.",
            private=True,
        )

    async def _new_password(self, link: AccountLink) -> Reply:
        """The first password never arrived (DMs closed): set a new one and show it here."""
        service = self.service
        action = Action(
            "relink", link.member_key, link.member_name, link.romm_id, link.romm_username
        )
        if not (link.created_by_bot and link.origin == "created"):
            return Reply.error("Ask an admin: the bot did not create that account.")
        problem = await service.actions.still_same(action)
        user = None if problem else await service.client.user(link.romm_id)
        if user is None or account_of(user).is_admin or link.romm_id == service.bot_account_id:
            return Reply.error("Ask an admin to reset your RomM password.")
        password = SecretStr(secrets.token_urlsafe(12))
        await service.client.set_user_password(link.romm_id, password)
        now = service.clock()
        async with service.store.transaction() as tx:
            await repo.set_credentials_pending(tx, link.member_key, False)
            await repo.add_event(
                tx,
                "password_reset",
                now,
                actor=BOT,
                member_key=link.member_key,
                member_name=link.member_name,
                romm_id=link.romm_id,
                romm_username=link.romm_username,
                text="the first password was not delivered; shown privately",
            )
        await service.notifications.admin_log(
            notices.admin_line(
                f"gave {link.member_name} a new password for RomM account "
                f"{link.romm_username} (the first never reached them), privately."
            )
        )
        return notices.credentials_dm(
            service.public_url,
            link.romm_username,
            password.get_secret_value(),
            service.role_name,
            reset=True,
        )
