"""Accounts at the wire: the real bot (discord.py) against FakeDiscord and the RomM simulator in
two personalities (4.8 with roles viewer/editor, 5.2 with user + permission groups), a real
SQLite store, members doing what members do (get the role, register with the invite, pair a
token in RomM, type /link), and the admins' log channel read back as people see it.
"""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import aiohttp
import pytest

from romm_comm.features.accounts.service import AccountService
from romm_comm.testing.romm_sim import LibrarySpec, RommSimulator
from tests.fakes.discord import FakeDiscord, Message
from tests.fakes.discord.pytest_helpers import serve_fake_discord
from tests.fakes.discord.state import Member
from tests.frontends.discord.conftest import Harness, Running, final, open_harness
from tests.helpers.waiting import eventually

VERSIONS = {"4.x": "4.8.0", "5.x": "5.2.0"}
LIBRARY = LibrarySpec(roms=20, platforms=4, seed=1)
BOT_ACCOUNT = "admin"  # the simulator's admin token is the bot's credential


@pytest.fixture(params=sorted(VERSIONS))
def personality(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def sim_library() -> LibrarySpec:
    return LIBRARY


@pytest.fixture
def sim_version(personality: str) -> str:
    return VERSIONS[personality]


@pytest.fixture
async def fd() -> AsyncIterator[FakeDiscord]:
    async with serve_fake_discord() as fake:
        yield fake


def text_of(message: Message) -> str:
    """Everything a person reads in a message: content, embeds, link buttons."""
    parts = [message.content]
    for embed in message.embeds:
        parts += [str(embed.get("title") or ""), str(embed.get("description") or "")]
        parts += [f"{f.get('name')}: {f.get('value')}" for f in embed.get("fields") or []]
        parts.append(str((embed.get("footer") or {}).get("text") or ""))
    for comp in message.iter_components():
        if comp.get("type") == 2:
            parts.append(f"[{comp.get('label')}]({comp.get('url') or comp.get('custom_id')})")
    return "\n".join(p for p in parts if p)


def link_urls(message: Message) -> dict[str, str]:
    return {str(c.get("label")): str(c["url"]) for c in message.iter_components() if c.get("url")}


@dataclass
class Accounts:
    """One scenario: the harness plus what the accounts tests keep doing."""

    harness: Harness
    personality: str
    tmp: Path

    def __post_init__(self) -> None:
        fd = self.harness.fd
        self.role = fd.add_role("RomM players")
        self.log = fd.add_text_channel("romm-log")
        self.offset = timedelta()
        self.run: Running | None = None

    @property
    def fd(self) -> FakeDiscord:
        return self.harness.fd

    @property
    def sim(self) -> RommSimulator:
        return self.harness.sim

    @property
    def v5(self) -> bool:
        return self.personality == "5.x"

    @property
    def service(self) -> AccountService:
        assert self.run is not None and self.run.app.services.accounts is not None
        return self.run.app.services.accounts

    # --- the bot --------------------------------------------------------------------------
    async def start(self, **settings: Any) -> Running:
        values: dict[str, Any] = {
            "enable_user_manager": True,
            "auto_register_role_id": self.role.id,
            "log_channel_id": self.log.id,
            "account_sync_interval": 3600,  # tests run passes themselves (tick) unless said
            "update_voice_names": False,
        }
        values.update(settings)
        self.run = await self.harness.start(**values)
        self.service.clock = lambda: datetime.now(UTC) + self.offset
        await eventually(lambda: self.bot_accounts.passes >= 1, 5, "the start-up sync")
        return self.run

    async def stop(self) -> None:
        assert self.run is not None
        await self.harness.stop(self.run)
        self.run = None

    @property
    def bot_accounts(self) -> Any:
        assert self.run is not None and self.run.bot.accounts is not None
        return self.run.bot.accounts

    async def tick(self) -> None:
        """One full pass, as the timer runs it."""
        await self.bot_accounts.tick()

    def shift(self, **delta: float) -> None:
        self.offset += timedelta(**delta)

    # --- Discord members --------------------------------------------------------------------
    def member(self, name: str, *, role: bool = False, dms_open: bool = True) -> Member:
        return self.fd.add_member(
            name=name, roles=[self.role.id] if role else [], dms_open=dms_open
        )

    async def grant(self, member: Member) -> None:
        await self.fd.update_member_roles(member.user.id, [*member.roles, self.role.id])

    async def revoke(self, member: Member) -> None:
        roles = [r for r in member.roles if r != self.role.id]
        await self.fd.update_member_roles(member.user.id, roles)

    def dms(self, member: Member) -> list[str]:
        return [text_of(m) for m in self.fd.dm_messages(member.user.id)]

    def dm_messages(self, member: Member) -> list[Message]:
        return self.fd.dm_messages(member.user.id)

    def admin_log(self) -> list[str]:
        return [text_of(m) for m in self.fd.messages(self.log.id)]

    async def wait_dm(self, member: Member, needle: str, count: int = 1) -> str:
        def found() -> list[str]:
            return [t for t in self.dms(member) if needle in t]

        await eventually(lambda: len(found()) >= count, 5, f"a DM with {needle!r}")
        return found()[-1]

    async def wait_log(self, needle: str) -> str:
        def found() -> list[str]:
            return [t for t in self.admin_log() if needle in t]

        await eventually(lambda: bool(found()), 5, f"an admin-log line with {needle!r}")
        return found()[-1]

    async def slash(self, member: Member, name: str, **options: Any) -> Message:
        rec = await self.fd.slash(member.user.id, name, options)
        return await final(rec, 5)

    async def link(self, member: Member, code: str) -> Message:
        return await self.slash(member, "link", code=code)

    # --- the store ----------------------------------------------------------------------------
    async def rows(self, sql: str, *args: Any) -> list[dict[str, Any]]:
        async with self.service.store.conn.execute(sql, args) as cur:
            return [dict(r) for r in await cur.fetchall()]

    async def link_row(self, member: Member) -> dict[str, Any] | None:
        found = await self.rows(
            "SELECT * FROM account_links WHERE member_key = ?", f"discord:{member.user.id}"
        )
        return found[0] if found else None

    async def event_kinds(self, member: Member) -> list[str]:
        found = await self.rows(
            "SELECT kind FROM account_events WHERE member_key = ? ORDER BY id",
            f"discord:{member.user.id}",
        )
        return [r["kind"] for r in found]

    # --- RomM, as its users and admins use it ------------------------------------------------
    def romm_user(self, username: str) -> Any:
        return self.sim.library.user_by_name(username)

    async def http(self, method: str, path: str, auth: str = "", **kwargs: Any) -> Any:
        headers = {"Authorization": auth} if auth else {}
        async with (
            aiohttp.ClientSession() as session,
            session.request(method, self.sim.url + path, headers=headers, **kwargs) as resp,
        ):
            body = await resp.text()
            return resp.status, (json.loads(body) if body else None)

    @staticmethod
    def basic(username: str, password: str) -> str:
        return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()

    async def pair_code(
        self, username: str, password: str, scopes: tuple[str, ...] = ("me.read",)
    ) -> str:
        """What a member does in RomM's UI: make a client token, press Pair."""
        auth = self.basic(username, password)
        body = {"name": "discord-link", "scopes": list(scopes), "expires_in": None}
        status, token = await self.http("POST", "/api/client-tokens", auth, json=body)
        assert status == 201, token
        status, paired = await self.http("POST", f"/api/client-tokens/{token['id']}/pair", auth)
        assert status == 200, paired
        return str(paired["code"])

    async def register(self, invite_dm: Message, username: str, password: str) -> Any:
        """Open the invite link and sign up, as the member's browser would (the page's first
        request hands out the CSRF cookie the form then sends back)."""
        url = link_urls(invite_dm)["Create my RomM account"]
        token = parse_qs(urlparse(url).query)["token"][0]
        body = {"username": username, "email": "", "password": password, "token": token}
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
            async with browser.get(self.sim.url + "/api/heartbeat") as resp:
                csrf = resp.cookies["romm_csrftoken"].value
            async with browser.post(
                self.sim.url + "/api/users/register", json=body, headers={"x-csrftoken": csrf}
            ) as resp:
                return resp.status, await resp.json()

    async def give_bot_account(self, member: Member, username: str) -> str:
        """An account the bot provably made, on both personalities: RomM cannot say which
        invite an account registered with, so on RomM 5 invite links are made unavailable and
        the bot creates the account itself (as on RomM 4). Returns the password."""
        if self.v5:
            self.sim.faults.fail("/api/users/invite-link", 404, method="POST")
        await self.grant(member)
        text = await self.wait_dm(member, "Password")
        assert f"Username: {username}\n" in text, text  # made from the Discord name
        return text.split("Password: ", 1)[1].split("\n", 1)[0]

    async def give_account(self, member: Member, username: str) -> str:
        """Grant the role until the member has an account the bot made: on RomM 4 the bot
        creates it; on RomM 5 the member registers with the invite and links it.
        Returns the password."""
        await self.grant(member)
        if not self.v5:
            text = await self.wait_dm(member, "Password")
            assert f"Username: {username}\n" in text, text  # made from the Discord name
            return text.split("Password: ", 1)[1].split("\n", 1)[0]
        await self.wait_dm(member, "Your RomM invite")
        invite = next(m for m in self.dm_messages(member) if "invite" in text_of(m))
        status, _ = await self.register(invite, username, f"{username}-pw-123")
        assert status == 201
        answer = await self.link(member, await self.pair_code(username, f"{username}-pw-123"))
        assert "Linked" in answer.content, answer.content
        return f"{username}-pw-123"


@pytest.fixture
async def accounts(
    fd: FakeDiscord, sim: RommSimulator, tmp_path: Path, personality: str
) -> AsyncIterator[Accounts]:
    async with open_harness(fd, sim, tmp_path) as harness:
        yield Accounts(harness, personality, tmp_path)
