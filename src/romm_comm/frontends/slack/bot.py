"""The Slack app: one slash command, app mentions and DMs, and every button and select.

Every envelope is acknowledged first (runner.OnceHandler sends the empty ack before the
work starts, well inside Slack's 3 seconds; the listeners' `ack()` is then a formality) and
answered afterwards: slash commands and buttons through their `response_url`, mentions and
DMs with `chat.postMessage` / `chat.postEphemeral`. Text is read as the console reads it
(core.text_input): `/romm search n64 mario`, `@RomM search n64 mario`, `2` for a pick.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from ...core.cards import Reply
from ...core.commands import Caller
from ...core.text_input import Pending, TextDialog, command_mentions
from ...features.context import Context
from . import delivery
from .access import Access
from .config import Host
from .errors import slack_error
from .images import CoverUploads
from .render import LINK_PREFIX, Rendered, render

log = logging.getLogger("romm_comm.slack")

_MENTION = re.compile(r"^\s*<@[A-Z0-9]+>\s*")
PENDING_KEPT = 1000  # conversations whose last pick list is remembered


class SlackBot:
    def __init__(self, host: Host, client: AsyncWebClient) -> None:
        self.host = host
        self.client = client
        config = host.slack
        self.command = config.slack_command
        self.access = Access.of(config)
        self.dialog = TextDialog(host.registry)
        self.pending: OrderedDict[tuple[str, str], Pending] = OrderedDict()
        self.handler_errors: list[BaseException] = []
        self.covers = CoverUploads(client, host.services.client, config.private_image_base)
        self.bolt = AsyncApp(
            client=client,
            # The Socket Mode handler has acknowledged already (runner.py): listeners run to
            # the end inside the dispatch, so their errors reach `on_error`.
            process_before_response=True,
            raise_error_for_unhandled_request=False,
            logger=logging.getLogger("slack_bolt.romm"),  # kept at WARNING like slack_sdk
        )
        self.bolt.command(self.command)(self.on_command)
        self.bolt.action(re.compile(".+"))(self.on_action)
        self.bolt.event("app_mention")(self.on_mention)
        self.bolt.event("message")(self.on_message)
        self.bolt.error(self.on_error)

    def mention(self, text: str) -> str:
        return command_mentions(text, self.host.registry, self.command + " ")

    async def render(self, reply: Reply) -> Rendered:
        """Block Kit for `reply`, covers Slack cannot fetch uploaded first."""
        return render(reply, self.mention, await self.covers.prepare(reply))

    def context(self, caller: Caller) -> Context:
        return Context(caller, self.host.services)

    def _remember(self, key: tuple[str, str], reply: Reply) -> None:
        self.pending[key] = self.pending.get(key, Pending()).after(reply)
        self.pending.move_to_end(key)
        while len(self.pending) > PENDING_KEPT:
            self.pending.popitem(last=False)

    async def answer_line(self, caller: Caller, channel: str, line: str) -> Reply:
        key = (channel, caller.id)
        if not line.strip():
            line = "help"
        reply = await self.dialog.answer(
            self.context(caller), line, self.pending.get(key, Pending())
        )
        self._remember(key, reply)
        return reply

    # --- listeners ------------------------------------------------------------------------
    async def on_command(self, ack: Any, body: dict[str, Any], respond: Any) -> None:
        await ack()
        user, channel = str(body.get("user_id", "")), str(body.get("channel_id", ""))
        if not self.access.answers_in(channel):
            reply = Reply.error(self.access.refusal())
        else:
            caller = self.access.caller(user, str(body.get("user_name", "")))
            reply = await self.answer_line(caller, channel, str(body.get("text", "")))
        rendered = await self.render(reply)
        await delivery.by_response_url(self.client, respond, channel, user, rendered)

    async def on_action(self, ack: Any, body: dict[str, Any], respond: Any) -> None:
        await ack()
        actions = body.get("actions") or []
        if not actions:
            return
        action = actions[0]
        action_id = str(action.get("action_id", ""))
        if action_id.startswith(LINK_PREFIX):
            return  # a link button: the browser opens it, nothing to run
        user = str((body.get("user") or {}).get("id", ""))
        channel = str((body.get("channel") or {}).get("id", ""))
        caller = self.access.caller(user, str((body.get("user") or {}).get("username", "")))
        kind = action.get("type")
        if kind == "static_select":
            target, values = action_id, [str(action["selected_option"]["value"])]
        elif kind == "multi_static_select":
            target = action_id
            values = [str(o["value"]) for o in action.get("selected_options") or []]
        else:
            target, values = str(action.get("value", "")), []
        if not self.access.answers_in(channel):
            reply = Reply.error(self.access.refusal())
        else:
            reply = await self.host.registry.act(self.context(caller), target, values)
            self._remember((channel, user), reply)
        rendered = await self.render(reply)
        await delivery.by_response_url(self.client, respond, channel, user, rendered)

    async def on_mention(self, ack: Any, event: dict[str, Any]) -> None:
        await ack()
        await self._text_event(event, _MENTION.sub("", str(event.get("text", ""))))

    async def on_message(self, ack: Any, event: dict[str, Any]) -> None:
        await ack()
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return  # only people's messages in the app's DMs; channels need a mention
        text = str(event.get("text", "")).strip()
        if text.startswith(self.command + " ") or text == self.command:
            text = text[len(self.command) :]
        await self._text_event(event, text)

    async def _text_event(self, event: dict[str, Any], text: str) -> None:
        user, channel = str(event.get("user", "")), str(event.get("channel", ""))
        if not user:
            return
        if not self.access.answers_in(channel):
            reply = Reply.error(self.access.refusal())
        else:
            reply = await self.answer_line(self.access.caller(user), channel, text)
        try:
            await delivery.to_person(self.client, channel, user, await self.render(reply))
        except SlackApiError as exc:  # e.g. not_in_channel: nobody to tell but the log
            log.warning("slack: answer in %s not delivered (%s)", channel, slack_error(exc))

    async def on_error(self, error: Exception) -> None:
        log.error("a Slack handler failed: %s: %s", type(error).__name__, error)
        self.handler_errors.append(error)
