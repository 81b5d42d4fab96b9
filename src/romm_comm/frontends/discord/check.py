"""`romm-comm check`, Discord part: over Discord's REST API only (no gateway connection), is the
token valid, is the bot in the server, is the Server Members intent on, has it the permissions
it needs — and the invite URL that asks for exactly those."""

from __future__ import annotations

import contextlib

import aiohttp
import discord

from ...common.connection_errors import why_unreachable
from ...core.findings import Finding, Level
from .config import DiscordConfig
from .runner import point_at
from .startup import INVITE_PERMISSIONS, PORTAL_INTENTS, invite_url

__all__ = ["Finding", "Level", "check_discord", "permission_names"]


def permission_names(perms: discord.Permissions = INVITE_PERMISSIONS) -> list[str]:
    """'Manage Roles', 'Embed Links'…: the permissions as Discord's settings name them."""
    return [_UI_NAMES.get(name, name.replace("_", " ").title()) for name, on in perms if on]


# discord.py's names where Discord's own settings call a permission differently.
_UI_NAMES = {"read_messages": "View Channels", "external_emojis": "Use External Emojis"}


async def check_discord(config: DiscordConfig) -> list[Finding]:
    if config.discord_token is None:
        return [Finding("note", "DISCORD_TOKEN is not set: the bot runs the console only")]
    point_at(config)
    client = discord.Client(intents=discord.Intents.none())
    try:
        return await _findings(client, config)
    finally:
        with contextlib.suppress(Exception):
            await client.close()


async def _findings(client: discord.Client, config: DiscordConfig) -> list[Finding]:
    found: list[Finding] = []
    assert config.discord_token is not None
    try:
        await client.login(config.discord_token.get_secret_value())
    except discord.LoginFailure:
        return [Finding("problem", "DISCORD_TOKEN was refused by Discord (not a valid bot token)")]
    except aiohttp.ClientConnectionError as exc:
        return [Finding("problem", f"Discord is not reachable: {why_unreachable(exc)}")]
    except discord.HTTPException as exc:
        return [Finding("problem", f"Discord answered {exc.status} to the bot's sign-in")]
    user = client.user
    found.append(Finding("ok", f"DISCORD_TOKEN works: signed in as {user}"))
    app = await client.application_info()
    invite = invite_url(app.id)
    flags = app.flags
    if flags.gateway_guild_members or flags.gateway_guild_members_limited:
        found.append(Finding("ok", "the Server Members intent is enabled"))
    else:
        level: Level = "problem" if config.enable_user_manager else "warn"
        found.append(
            Finding(level, f"the Server Members intent is disabled: enable it at {PORTAL_INTENTS}")
        )
    found += await _guild(client, config, invite)
    found.append(
        Finding(
            "note",
            f"invite URL with exactly the permissions it needs ({', '.join(permission_names())}): "
            f"{invite}",
        )
    )
    return found


async def _guild(client: discord.Client, config: DiscordConfig, invite: str) -> list[Finding]:
    wanted = config.discord_guild_id
    if wanted is None:
        return [Finding("warn", "DISCORD_GUILD_ID is not set (stats channels and emojis need it)")]
    try:
        guild = await client.fetch_guild(wanted)
    except (discord.Forbidden, discord.NotFound):
        return [
            Finding("problem", f"the bot is not in the server DISCORD_GUILD_ID={wanted}: invite it")
        ]
    assert client.user is not None
    member = await guild.fetch_member(client.user.id)
    perms = member.guild_permissions
    found = [Finding("ok", f"the bot is in the server {guild.name}")]
    if perms.administrator:
        return [*found, Finding("ok", "it has every permission (Administrator)")]
    missing = discord.Permissions(INVITE_PERMISSIONS.value & ~perms.value)
    if missing.value:
        found.append(
            Finding(
                "warn",
                f"in {guild.name} the bot lacks {', '.join(permission_names(missing))}: grant "
                "them to its role, or invite it again with the URL below",
            )
        )
    else:
        found.append(Finding("ok", f"it has every permission it needs in {guild.name}"))
    return found
