"""FakeDiscord: the aiohttp server (REST + gateway) and the test-facing driving API."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any, Self

from aiohttp import web

from romm_comm.testing.loopback import LoopbackServer, LoopbackSite

from . import messaging
from .gateway import Gateway
from .interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    InteractionRecord,
    base_payload,
    command_data,
    component_data,
    modal_submit_data,
)
from .middleware import API_PREFIX, make_middleware
from .records import RateLimitRule, RestCall
from .rest_app import AppRoutes
from .rest_channels import ChannelRoutes
from .rest_guild import GuildRoutes
from .rest_interactions import InteractionRoutes
from .state import Channel, Member, Message
from .wire import Body
from .world import World

log = logging.getLogger(__name__)


class FakeDiscord(World, LoopbackServer):
    """A Discord-compatible server on 127.0.0.1 for wire-level tests. See the package docs."""

    def __init__(
        self,
        *,
        token: str = "fake-bot-token",
        bot_name: str = "RomM-ComM",
        guild_name: str = "RomM Fans",
    ) -> None:
        super().__init__(token=token, bot_name=bot_name, guild_name=guild_name)
        self.gateway = Gateway(self)
        self.interactions: dict[int, InteractionRecord] = {}
        self.interactions_by_token: dict[str, InteractionRecord] = {}
        self.interaction_deadline = 3.0  # seconds Discord waits for the first callback
        self.rate_limits: list[RateLimitRule] = []
        self._site = LoopbackSite()
        self.request_bodies: dict[int, Body] = {}  # request id -> body, while it is handled
        self._call_waiters: set[asyncio.Event] = set()

    # -- lifecycle ----------------------------------------------------------------------------

    name = "the fake Discord"

    def make_app(self) -> web.Application:
        app = web.Application(middlewares=[make_middleware(self)], client_max_size=64 * 1024**2)
        app.router.add_get("/gateway", self.gateway.handle)
        for group in (AppRoutes, ChannelRoutes, GuildRoutes, InteractionRoutes):
            app.router.add_routes(group(self).routes())
        return app

    async def start(self) -> Self:
        await super().start()
        self.base_url = self.url
        self.gateway.url = self.gateway_url
        return self

    async def stop(self) -> None:
        await self.gateway.close()
        await super().stop()

    @property
    def api_url(self) -> str:
        return f"{self.base_url}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # -- gateway knobs ------------------------------------------------------------------------

    def dispatch(
        self,
        event: str,
        data: dict[str, Any],
        *,
        intent: int | None = None,
        transform: Any = None,
    ) -> int:
        return self.gateway.dispatch(event, data, intent=intent, transform=transform)

    @property
    def close_code_on_identify(self) -> int | None:
        return self.gateway.close_code_on_identify

    @close_code_on_identify.setter
    def close_code_on_identify(self, code: int | None) -> None:
        self.gateway.close_code_on_identify = code

    @property
    def privileged_intents(self) -> int:
        """Privileged intents "enabled in the developer portal"; asking for others -> 4014."""
        return self.gateway.privileged_intents

    @privileged_intents.setter
    def privileged_intents(self, value: int) -> None:
        self.gateway.privileged_intents = value

    async def flush(self) -> None:
        """Wait until every queued gateway frame has been written to the sockets."""
        await self.gateway.drain()

    async def wait_identified(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        await asyncio.wait_for(self.gateway.ready.wait(), timeout)

    def request_reconnect(self) -> None:
        """Send op 7 RECONNECT; the bot closes, reconnects and RESUMEs."""
        self.gateway.request_reconnect()

    # -- REST plumbing ------------------------------------------------------------------------

    def rate_limit(
        self,
        method: str,
        path_pattern: str,
        *,
        times: int = 1,
        retry_after: float = 0.05,
        is_global: bool = False,
    ) -> RateLimitRule:
        """Answer the next `times` matching REST calls with a proper 429.

        `path_pattern` is relative to /api/v10; `{name}` matches one segment, `*` anything.
        """
        rule = RateLimitRule(method.upper(), path_pattern, times, retry_after, is_global)
        self.rate_limits.append(rule)
        return rule

    def body(self, request: web.Request) -> Body:
        """The parsed body of a request being handled (read once, by the middleware)."""
        return self.request_bodies.get(id(request)) or Body()

    def calls(self, method: str | None = None, path_pattern: str | None = None) -> list[RestCall]:
        """Logged REST calls, optionally filtered like rate_limit()."""
        probe = RateLimitRule(method.upper() if method else "*", path_pattern or "*", 1, 0)
        return [c for c in self.requests if probe.matches(c.method, c.path)]

    def call_logged(self, call: RestCall) -> None:
        """Log a REST call (the middleware does, once answered) and wake `wait_call`."""
        self.requests.append(call)
        for waiter in self._call_waiters:
            waiter.set()

    async def wait_call(self, method: str, path_pattern: str, within: float = 10.0) -> RestCall:
        """The latest logged call like `calls(method, path_pattern)`, once there is one."""
        while not (found := self.calls(method, path_pattern)):
            waiter = asyncio.Event()
            self._call_waiters.add(waiter)
            try:
                await asyncio.wait_for(waiter.wait(), within)
            finally:
                self._call_waiters.discard(waiter)
        return found[-1]

    def assert_no_errors(self) -> None:
        if self.errors:
            raise AssertionError("fake discord errors:\n" + "\n".join(map(str, self.errors)))

    # -- driving the bot as a user would ------------------------------------------------------

    def _target_channel(self, channel_id: int | None) -> Channel:
        if channel_id is None:
            return self.channel_named("general")
        ch = self.channels.get(channel_id)
        if ch is None:
            raise LookupError(f"no channel {channel_id}")
        return ch

    def command(self, name: str, guild_id: int | None = None) -> dict[str, Any]:
        """A synced chat command by name: the guild's (default: fd.guild) first, then global."""
        return self._command_in(name, guild_id or self.guild.id)

    def _command_in(self, name: str, guild_id: int | None) -> dict[str, Any]:
        """What a user can run where they are: in a DM (guild_id None) only global commands."""
        scopes = (guild_id, None) if guild_id is not None else (None,)
        for scope in scopes:
            for cmd in self.commands.get(scope, []):
                if cmd["name"] == name and cmd.get("type", 1) == 1:
                    return cmd
        synced = {scope: [c["name"] for c in cmds] for scope, cmds in self.commands.items()}
        raise LookupError(f"command {name!r} is not synced for {scopes} (synced: {synced})")

    def _send_interaction(
        self, itype: int, user_id: int, channel: Channel, data: dict[str, Any], **extra: Any
    ) -> InteractionRecord:
        if not self.gateway.attached_sessions():
            raise RuntimeError("no bot is connected to the fake gateway")
        payload = base_payload(self, itype, user_id, channel, data)
        payload.update(extra)
        rec = InteractionRecord(
            id=int(payload["id"]),
            token=payload["token"],
            type=itype,
            user_id=user_id,
            channel_id=channel.id,
            payload=payload,
            dispatched_at=asyncio.get_running_loop().time(),
            world=self,
        )
        self.interactions[rec.id] = rec
        self.interactions_by_token[rec.token] = rec
        self.dispatch("INTERACTION_CREATE", payload)
        return rec

    async def slash(
        self,
        user_id: int,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        channel_id: int | None = None,
    ) -> InteractionRecord:
        """Run `/name` (`"group sub"` for subcommands) as `user_id`; returns the record."""
        root, *path = name.split()
        channel = self._target_channel(channel_id)
        cmd = self._command_in(root, channel.guild_id)
        data = command_data(self, cmd, path, options or {}, self.guilds.get(channel.guild_id or 0))
        return self._send_interaction(APPLICATION_COMMAND, user_id, channel, data)

    async def autocomplete(
        self,
        user_id: int,
        name: str,
        options: dict[str, Any],
        *,
        focused: str,
        channel_id: int | None = None,
        timeout: float = 3.0,  # noqa: ASYNC109
    ) -> list[dict[str, Any]]:
        """Type into option `focused` of `/name`; returns the choices the bot offered."""
        root, *path = name.split()
        channel = self._target_channel(channel_id)
        cmd = self._command_in(root, channel.guild_id)
        guild = self.guilds.get(channel.guild_id or 0)
        data = command_data(self, cmd, path, options, guild, focused=focused)
        rec = self._send_interaction(AUTOCOMPLETE, user_id, channel, data)
        reply = await rec.wait_reply(timeout)
        return reply.choices

    async def click(self, user_id: int, message_id: int, custom_id: str) -> InteractionRecord:
        """Press a button on a message (the interaction carries the message, as Discord's)."""
        return self._component(user_id, message_id, custom_id, None)

    async def select(
        self, user_id: int, message_id: int, custom_id: str, values: Iterable[str]
    ) -> InteractionRecord:
        """Pick `values` in a select menu on a message."""
        return self._component(user_id, message_id, custom_id, list(values))

    def _component(
        self, user_id: int, message_id: int, custom_id: str, values: list[str] | None
    ) -> InteractionRecord:
        m = self.message(message_id)
        if m is None or m.deleted:
            raise LookupError(f"no message {message_id}")
        data = component_data(m, custom_id, values)
        channel = self._target_channel(m.channel_id)
        rec = self._send_interaction(
            MESSAGE_COMPONENT, user_id, channel, data, message=self.render_message(m)
        )
        rec.component_message_id = m.id
        return rec

    async def submit_modal(
        self, user_id: int, opened: InteractionRecord, values: dict[str, Any]
    ) -> InteractionRecord:
        """Fill in and submit the modal the bot opened (type 9 callback) on `opened`."""
        modal = next((c.data for c in opened.callbacks if c.type == 9), None)
        if modal is None:
            raise LookupError(f"interaction {opened.id} did not open a modal")
        data = modal_submit_data(modal, values)
        channel = self._target_channel(opened.channel_id)
        extra: dict[str, Any] = {}
        source = self.message(opened.component_message_id or 0)
        if source is not None:
            extra["message"] = self.render_message(source)
        rec = self._send_interaction(MODAL_SUBMIT, user_id, channel, data, **extra)
        rec.component_message_id = opened.component_message_id
        return rec

    async def react(self, user_id: int, channel_id: int, message_id: int, emoji: str) -> None:
        """A user adds a reaction (`"📱"` or `"name:id"`): MESSAGE_REACTION_ADD."""
        m = self._message_in(channel_id, message_id)
        messaging.add_reaction(self, user_id, m, emoji)
        await self.flush()

    async def unreact(self, user_id: int, channel_id: int, message_id: int, emoji: str) -> None:
        m = self._message_in(channel_id, message_id)
        messaging.remove_reaction(self, user_id, m, emoji)
        await self.flush()

    async def say(self, user_id: int, channel_id: int, content: str) -> Message:
        """A user posts a plain message: MESSAGE_CREATE (content gated by the intent)."""
        m = messaging.create_message(
            self, self._target_channel(channel_id), user_id, {"content": content}
        )
        await self.flush()
        return m

    async def update_member_roles(self, user_id: int, roles: Iterable[int]) -> Member:
        """An admin changes a member's roles: GUILD_MEMBER_UPDATE."""
        member = self.set_member_roles(user_id, roles)
        await self.flush()
        return member

    def _message_in(self, channel_id: int, message_id: int) -> Message:
        m = self.message(message_id)
        if m is None or m.channel_id != channel_id:
            raise LookupError(f"no message {message_id} in channel {channel_id}")
        return m
