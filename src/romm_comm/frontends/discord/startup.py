"""What the bot checks once connected: is it in the guild, may it do what it needs."""

from __future__ import annotations

import discord

from .config import DiscordConfig
from .diagnostics import Diagnostics

# What the bot asks for in its invite link.
INVITE_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
    add_reactions=True,
    use_external_emojis=True,
    manage_channels=True,
    manage_expressions=True,
    manage_roles=True,
)


def invite_url(application_id: int | None) -> str:
    if application_id is None:
        return "https://discord.com/developers/applications"
    return discord.utils.oauth_url(
        application_id, permissions=INVITE_PERMISSIONS, scopes=("bot", "applications.commands")
    )


def find_guild(
    client: discord.Client, settings: DiscordConfig, diag: Diagnostics
) -> discord.Guild | None:
    wanted = settings.discord_guild_id
    if wanted is not None:
        guild = client.get_guild(wanted)
        if guild is None:
            diag.resolve("commands")  # the same cause: say it once, clearly
            diag.report(
                "guild_missing",
                f"The bot is not in the server DISCORD_GUILD_ID={wanted}; invite it with "
                f"{invite_url(client.application_id)}",
            )
        return guild
    if len(client.guilds) == 1:
        return client.guilds[0]
    diag.report(
        "guild_unset",
        f"DISCORD_GUILD_ID is not set and the bot is in {len(client.guilds)} servers: set it "
        "(example: DISCORD_GUILD_ID=123456789012345678) for stats channels and emojis.",
    )
    return None


def check_permissions(guild: discord.Guild, settings: DiscordConfig, diag: Diagnostics) -> None:
    perms = guild.me.guild_permissions
    if settings.update_voice_names and not perms.manage_channels:
        diag.report(
            "manage_channels",
            f"The bot lacks Manage Channels in {guild.name}: stats voice channels are off "
            "until it is granted (or set UPDATE_VOICE_NAMES=false).",
        )
    # Only the guild's own emoji slots need the permission; application emojis do not.
    if settings.emoji_mode == "guild" and not perms.manage_expressions:
        diag.report(
            "manage_emojis",
            f"The bot lacks Manage Emojis and Stickers in {guild.name}: platform emojis "
            "cannot be uploaded until it is granted.",
        )


PORTAL_INTENTS = "https://discord.com/developers/applications → Bot → Privileged Gateway Intents"


def members_intent_line(settings: DiscordConfig | None = None) -> str:
    if settings is not None and settings.enable_user_manager:
        minutes = max(1, round(settings.account_sync_interval / 60))
        return (
            "The Server Members intent is disabled for this bot: Discord cannot tell it when "
            "the role is given or taken or a member leaves, so RomM accounts only follow the "
            f"role every {minutes} min (ACCOUNT_SYNC_INTERVAL) and new role holders are only "
            "seen when they use /link or /my_account; member features stay limited until it is "
            f"enabled at {PORTAL_INTENTS}."
        )
    return (
        "The Server Members intent is disabled for this bot: member features (role-based "
        f"accounts, member events) are off until it is enabled at {PORTAL_INTENTS}."
    )
