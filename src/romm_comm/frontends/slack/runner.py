"""`run_slack(app, stop)`: run the Slack front end until `stop` is set; return the exit code.

Socket Mode (slack-sdk's aiohttp client) reconnects by itself: on a `disconnect` envelope,
on a closed socket, and when pings stop coming back. Slack delivers an envelope again when it
saw no ack (after a drop); envelope ids already answered are acknowledged and not run twice.
Rate limits (429 with Retry-After) are waited out by slack-sdk's retry handler.

SLACK_API_URL points the whole process at a Slack-compatible server (tests and demos).
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.adapter.socket_mode.async_internals import run_async_bolt_app
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web.async_client import AsyncWebClient

from .access import FRONT_END
from .bot import SlackBot
from .config import Host
from .errors import slack_error
from .notifier import SlackNotifier

log = logging.getLogger("romm_comm.slack")

EXIT_OK, EXIT_FAILED, EXIT_CONFIG = 0, 1, 2
SLACK_API = "https://slack.com/api/"
ENVELOPES_KEPT = 2000


@dataclass(frozen=True)
class SlackOptions:
    ping_interval: float = 10.0  # seconds between Socket Mode pings (tests: short)
    rate_limit_retries: int = 3


def web_client(api_url: str | None, token: str, options: SlackOptions) -> AsyncWebClient:
    return AsyncWebClient(
        token=token,
        base_url=api_url.rstrip("/") + "/" if api_url else SLACK_API,  # the SDK joins with /
        retry_handlers=[
            AsyncRateLimitErrorRetryHandler(max_retry_count=options.rate_limit_retries),
            AsyncConnectionErrorRetryHandler(),
        ],
    )


class OnceHandler(AsyncSocketModeHandler):
    """Bolt's Socket Mode handler that acknowledges every envelope before any work starts,
    and runs each envelope once, even when Slack sends it again after a reconnect."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seen: OrderedDict[str, None] = OrderedDict()

    async def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        # The ack goes first, so slow RomM calls never make Slack wait (3 s) or resend.
        await client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
        if req.envelope_id in self.seen:
            log.info("envelope %s came again (after a reconnect); not run twice", req.envelope_id)
            return
        self.seen[req.envelope_id] = None
        while len(self.seen) > ENVELOPES_KEPT:
            self.seen.popitem(last=False)
        response = await run_async_bolt_app(self.app, req)
        if response.status != 200:
            log.info("slack: envelope %s not handled (%s)", req.envelope_id, response.status)


async def run_slack(host: Host, stop: asyncio.Event, options: SlackOptions | None = None) -> int:
    return await SlackRunner(host, options).run(stop)


class SlackRunner:
    def __init__(self, host: Host, options: SlackOptions | None = None) -> None:
        self.host = host
        self.options = options or SlackOptions()
        self.ready = asyncio.Event()
        self.bot: SlackBot | None = None
        self.handler: OnceHandler | None = None
        self.problems: list[str] = []

    def _report(self, line: str) -> None:
        self.problems.append(line)
        log.error("slack: %s", line)

    async def run(self, stop: asyncio.Event) -> int:
        config = self.host.slack
        if config.slack_bot_token is None or config.slack_app_token is None:
            self._report("SLACK_BOT_TOKEN and SLACK_APP_TOKEN must both be set.")
            return EXIT_CONFIG
        front_ends = self.host.services.front_ends
        front_ends.expect(FRONT_END)
        client = web_client(
            config.slack_api_url, config.slack_bot_token.get_secret_value(), self.options
        )
        try:
            who = await client.auth_test()
        except SlackApiError as exc:
            self._report(
                f"Slack refused SLACK_BOT_TOKEN ({slack_error(exc)}): reinstall the "
                "app to the workspace and copy its Bot User OAuth Token."
            )
            return EXIT_CONFIG
        log.info("slack: signed in as %s in %s", who.get("user"), who.get("team"))
        bot = SlackBot(self.host, client)
        self.bot = bot
        handler = OnceHandler(
            bot.bolt,
            config.slack_app_token.get_secret_value(),
            web_client=client,
            ping_interval=self.options.ping_interval,
        )
        self.handler = handler
        handler.client.message_listeners.append(self._on_message)
        handler.client.on_close_listeners.append(self._on_close)
        notifier = SlackNotifier(client, config, bot.render)
        try:
            try:
                await handler.connect_async()  # type: ignore[no-untyped-call]
            except SlackApiError as exc:
                self._report(
                    f"Slack refused SLACK_APP_TOKEN ({slack_error(exc)}): make an "
                    "app-level token with the connections:write scope."
                )
                return EXIT_CONFIG
            self.host.services.notifications.register(notifier)
            await stop.wait()
            return EXIT_OK
        finally:
            self.host.services.notifications.unregister(FRONT_END)
            front_ends.connected(FRONT_END, False)
            await handler.close_async()  # type: ignore[no-untyped-call]

    async def _on_message(self, _client: Any, message: dict[Any, Any], _raw: str | None) -> None:
        if message.get("type") == "hello":
            self.host.services.front_ends.connected(FRONT_END)
            self.ready.set()

    async def _on_close(self, _message: Any) -> None:
        self.host.services.front_ends.connected(FRONT_END, False)
