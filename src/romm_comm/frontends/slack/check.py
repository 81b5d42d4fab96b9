"""`romm-comm check`, Slack part: over the Web API only (no Socket Mode session is kept).

Is SLACK_BOT_TOKEN valid (auth.test), does SLACK_APP_TOKEN open Socket Mode
(apps.connections.open: the URL it hands out is not used), which channels the app is in
(and whether the configured ones are among them), and the command the app must declare.
Slack does not let a bot list its own slash commands, so the check names the manifest that
declares SLACK_COMMAND instead of asking Slack.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from ...common.connection_errors import why_unreachable
from .config import SlackConfig
from .errors import slack_error
from .manifest import DEFAULT_COMMAND
from .runner import SlackOptions, web_client

Level = Literal["ok", "note", "warn", "problem"]
CHANNEL_PAGES = 20  # at most 20 × 200 channels are looked at


@dataclass(frozen=True)
class Finding:
    level: Level
    text: str


async def check_slack(config: SlackConfig) -> list[Finding]:
    if config.slack_bot_token is None and config.slack_app_token is None:
        return [Finding("note", "SLACK_BOT_TOKEN and SLACK_APP_TOKEN are not set: no Slack")]
    if config.slack_bot_token is None or config.slack_app_token is None:
        missing = "SLACK_BOT_TOKEN" if config.slack_bot_token is None else "SLACK_APP_TOKEN"
        return [Finding("problem", f"{missing} is not set: Slack needs both tokens")]
    options = SlackOptions(rate_limit_retries=1)
    bot = web_client(config.slack_api_url, config.slack_bot_token.get_secret_value(), options)
    app = web_client(config.slack_api_url, config.slack_app_token.get_secret_value(), options)
    try:
        who = await bot.auth_test()
    except SlackApiError as exc:
        return [Finding("problem", f"SLACK_BOT_TOKEN was refused by Slack ({slack_error(exc)})")]
    except aiohttp.ClientConnectionError as exc:
        return [Finding("problem", f"Slack is not reachable: {why_unreachable(exc)}")]
    found = [
        Finding("ok", f"SLACK_BOT_TOKEN works: signed in as {who.get('user')} in {who.get('team')}")
    ]
    found.append(await _socket_mode(app))
    found += await _channels(bot, config)
    found.append(_command(config.slack_command))
    return found


async def _socket_mode(app: AsyncWebClient) -> Finding:
    try:
        opened = await app.apps_connections_open(app_token=app.token or "")
    except SlackApiError as exc:
        return Finding(
            "problem",
            f"SLACK_APP_TOKEN does not open Socket Mode ({slack_error(exc)}): make an app-level "
            "token with connections:write and turn Socket Mode on",
        )
    if not str(opened.get("url", "")).startswith(("wss://", "ws://")):
        return Finding("problem", "Slack opened Socket Mode without a websocket address")
    return Finding("ok", "SLACK_APP_TOKEN opens Socket Mode")


async def _channels(bot: AsyncWebClient, config: SlackConfig) -> list[Finding]:
    joined: dict[str, str] = {}
    cursor = ""
    try:
        for _ in range(CHANNEL_PAGES):
            page = await bot.conversations_list(
                types="public_channel,private_channel",
                exclude_archived=True,
                limit=200,
                cursor=cursor or None,
            )
            joined.update(_members(page.get("channels") or []))
            cursor = str((page.get("response_metadata") or {}).get("next_cursor") or "")
            if not cursor:
                break
    except SlackApiError as exc:
        return [Finding("warn", f"could not list channels ({slack_error(exc)})")]
    found: list[Finding] = []
    if joined:
        names = ", ".join(f"#{name}" for name in sorted(joined.values()))
        found.append(Finding("ok", f"the app is in {names}"))
    else:
        found.append(Finding("note", "the app is in no channel yet (/invite @RomM where needed)"))
    wanted = {
        "SLACK_LOG_CHANNEL_ID": config.slack_log_channel_id,
        "SLACK_RECENT_ROMS_CHANNEL_ID": config.slack_recent_roms_channel_id,
        "SLACK_SCANS_CHANNEL_ID": config.slack_scans_channel_id,
        "SLACK_REQUESTS_CHANNEL_ID": config.slack_requests_channel_id,
    }
    for name, channel in wanted.items():
        if channel and channel not in joined:
            found.append(
                Finding("warn", f"{name}={channel}: the app is not in it, notices fail there")
            )
    for channel in config.slack_channel_ids:
        if channel not in joined:
            found.append(
                Finding(
                    "note",
                    f"SLACK_CHANNEL_IDS names {channel}, where the app is not: the slash "
                    "command works there, mentions do not",
                )
            )
    return found


def _members(channels: list[dict[str, Any]]) -> dict[str, str]:
    return {str(c["id"]): str(c.get("name", c["id"])) for c in channels if c.get("is_member")}


def _command(command: str) -> Finding:
    if command == DEFAULT_COMMAND:
        return Finding(
            "note",
            f"the app must declare {command}: deploy/slack-app-manifest.yaml does "
            "(Slack does not let a bot list its commands)",
        )
    return Finding(
        "warn",
        f"SLACK_COMMAND={command}: the shipped manifest declares {DEFAULT_COMMAND}; create "
        f"the app from `python -m romm_comm.frontends.slack.manifest {command}`",
    )
