"""`.env.example`, generated from the settings class: `python -m romm_comm.app.env_example`.

Every setting gets one line of explanation and one line with its variable: `NAME=` (empty)
for what has no default — fill it in or leave it empty — and `# NAME=default` for the rest.
Secrets are always empty; each can also come from a file named by `<NAME>_FILE`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from .settings import Settings
from .settings_env import SECRET_FIELDS, file_variable, names_of

HEADINGS: dict[str, str] = {
    "romm_url": "RomM",
    "data_dir": "Storage and logging",
    "discord_token": "Discord",
    "telegram_bot_token": "Telegram",
    "web_enabled": "The bot's web server and download gateway",
    "requests_enabled": "Game requests and IGDB",
    "prowlarr_url": "Prowlarr: indexer search for admins fulfilling requests (optional)",
    "enable_user_manager": "RomM accounts for Discord members (optional)",
    "scan_progress_interval": "Scans and recently added games",
    "slack_bot_token": "Slack (Socket Mode; create the app from deploy/slack-app-manifest.yaml)",
    "matrix_homeserver": "Matrix",
}

EXPLAIN: dict[str, str] = {
    "romm_url": "where the bot reaches RomM's web port, e.g. http://romm:8080 in compose",
    "romm_api_token": "RomM client API token (rmm_…, RomM 4.8+), preferred over a password",
    "romm_username": "RomM user for the password fallback, and for starting scans from chat",
    "romm_password": "that user's password",
    "romm_public_url": "where people open RomM pages (default: ROMM_URL)",
    "api_timeout": "seconds before a RomM call is given up",
    "cache_ttl": "seconds RomM answers are cached",
    "sync_rate": "seconds between automatic stats refreshes",
    "romm_max_concurrency": "RomM calls in flight at once",
    "romm_rate_limit": "RomM calls per second at most",
    "data_dir": "where the bot keeps its database and signing key (the image uses /app/data)",
    "log_level": "DEBUG, INFO, WARNING or ERROR",
    "discord_token": "Discord bot token; without it the console front end starts",
    "discord_guild_id": "the Discord server's id",
    "admin_ids": "Discord user ids allowed to use admin commands, comma-separated",
    "admin_role_ids": "Discord role ids whose members may use admin commands, comma-separated",
    "log_channel_id": "channel for refresh results, start-up problems and account actions",
    "show_api_success": "also post successful refreshes to the log channel",
    "update_voice_names": "show library numbers in voice channel names",
    "stats_channel_ids": "voice channels to use for the numbers (default: the bot makes them)",
    "discord_api_url": "for tests only: a Discord-compatible REST server",
    "discord_gateway_url": "for tests only: a Discord-compatible gateway",
    "recent_roms_channel_id": "channel for newly added games",
    "scans_channel_id": "channel for scan progress (default: the log channel)",
    "requests_channel_id": "channel for request notices (default: the log channel)",
    "emoji_mode": "platform emojis: auto/application, guild (server slots) or off",
    "emoji_reserve": "guild emoji slots left free for people",
    "telegram_bot_token": "Telegram bot token from @BotFather; set it to start the Telegram bot",
    "telegram_api_url": "the Bot API server (tests: a local one)",
    "telegram_admin_ids": "Telegram user ids allowed to use admin commands, comma-separated",
    "telegram_chat_ids": "group ids the bot answers in (members may also talk to it privately)",
    "telegram_group_admins": "the groups' administrators may use admin commands too",
    "telegram_log_chat_id": "chat for the admins' log (start-up problems, account actions)",
    "telegram_recent_roms_chat_id": "chat for newly added games",
    "telegram_scans_chat_id": "chat for scan progress (default: the log chat)",
    "telegram_requests_chat_id": "chat for request notices (default: the log chat)",
    "web_enabled": "run the bot's web server (download links, health checks, metrics)",
    "web_host": "address the web server listens on",
    "web_port": "port the web server listens on (publish it for download links)",
    "web_public_url": "where people reach that web server, e.g. https://dl.example.org",
    "web_trust_forwarded": "trust X-Forwarded-For (only behind your own reverse proxy)",
    "metrics_token": "when set, GET /metrics needs Authorization: Bearer <this token>",
    "notify_urls": "admin notices to Apprise URLs, comma-separated (ntfy://, gotify://, mailto://…)",
    "notify_events": "which go there: admin (the admin log), requests, scans, recent_roms",
    "webhook_url": "admin notices as JSON POSTs to this URL (the same NOTIFY_EVENTS)",
    "webhook_secret": "signs each POST (HMAC-SHA256, see README); needed with WEBHOOK_URL",
    "romm_watch_interval": "seconds between checks that RomM answers (admins told; 0: off)",
    "dashboard_enabled": "the requests dashboard at / of the web server (sign in with RomM)",
    "dashboard_session_hours": "how long a dashboard sign-in lasts",
    "dashboard_signin_rate": "dashboard sign-in attempts per minute, per address and per username",
    "download_links": "gateway (signed links through the bot) or romm (straight to RomM)",
    "link_secret": "signing key for download links, 16+ characters (default: kept in DATA_DIR)",
    "link_ttl": "how long a download link works: seconds or 90m, 24h, 2d",
    "download_rate_limit": "downloads per minute per address and per person",
    "download_burst": "downloads allowed at once before that limit applies",
    "web_max_downloads": "downloads streaming at once through the bot (beyond: busy, retry later)",
    "web_max_downloads_per_person": "downloads one person may stream at once",
    "requests_enabled": "the /request commands",
    "igdb_client_id": "Twitch application id for IGDB (game pick, covers, /igdb)",
    "igdb_client_secret": "that application's secret",
    "request_limit": "open requests per member (admins exempt)",
    "request_check_interval": "seconds between matching new games to requests (0: after scans)",
    "igdb_api_url": "for tests only: an IGDB-compatible server",
    "twitch_token_url": "for tests only: a Twitch-compatible token endpoint",
    "prowlarr_url": "where the bot reaches Prowlarr, e.g. http://prowlarr:9696",
    "prowlarr_api_key": "Prowlarr's API key (Settings → General → Security)",
    "prowlarr_timeout": "seconds before a Prowlarr call is given up (searches can be slow)",
    "enable_user_manager": "give members with AUTO_REGISTER_ROLE_ID a RomM account",
    "auto_register_role_id": "the Discord role that grants a RomM account",
    "account_role": "RomM role of new accounts (default: RomM's ordinary user role)",
    "account_permission_group": "RomM 5 permission group of new accounts (default: RomM's default)",
    "account_delete_after_days": "days before a disabled bot-made account is deleted (or never)",
    "account_invite_ttl": "how long an invite works: seconds or 90m, 24h, 3d",
    "account_sync_interval": "how often roles and accounts are compared: seconds or 15m",
    "scan_progress_interval": "seconds between edits of a scan's progress message",
    "scan_poll_interval": "seconds between looks at RomM's task list without the scan socket",
    "recent_roms_enabled": "post newly added games",
    "recent_roms_bulk_threshold": "above this many new games, post a summary by platform",
    "recent_roms_interval": "seconds between looks for games added by others (0: after scans)",
    "slack_bot_token": "Slack bot token (xoxb-…); with SLACK_APP_TOKEN starts the Slack front end",
    "slack_app_token": "Slack app-level token (xapp-…, scope connections:write) for Socket Mode",
    "slack_api_url": "for tests only: a Slack-compatible Web API (default: Slack's own)",
    "slack_command": "the app's slash command (as in the manifest)",
    "slack_admin_ids": "Slack user ids allowed to use admin commands, comma-separated",
    "slack_channel_ids": "channels the bot answers in, comma-separated (DMs always; empty: all)",
    "slack_log_channel_id": "Slack channel for the admin log",
    "slack_recent_roms_channel_id": "Slack channel for newly added games",
    "slack_scans_channel_id": "Slack channel for scan progress (default: the log channel)",
    "slack_requests_channel_id": "Slack channel for request notices (default: the log channel)",
    "matrix_homeserver": "the bot's Matrix homeserver, e.g. https://matrix.example.org",
    "matrix_user_id": "the bot's Matrix user, e.g. @romm:example.org",
    "matrix_access_token": "the bot user's access token (or set MATRIX_PASSWORD)",
    "matrix_password": "the bot user's password: logs in once, keeps the token in DATA_DIR",
    "matrix_rooms": "room ids or aliases the bot joins and answers in, comma-separated",
    "matrix_admin_ids": "Matrix user ids allowed to use admin commands, comma-separated",
    "matrix_admin_power_level": "also admins: members with at least this power level in the room",
    "matrix_command_prefix": "what starts a command in a message (!search n64 mario)",
    "matrix_log_room": "room for start-up problems, request notices and account actions",
    "matrix_recent_room": "room for newly added games",
    "matrix_scans_room": "room for scan progress (default: the log room)",
    "matrix_requests_room": "room for request notices (default: the log room)",
}


def default_text(value: Any) -> str:
    """A default the way it is written in a `.env` file."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)


def render() -> str:
    lines = [
        "# RomM-ComM settings. Copy to .env (or use as a compose env_file) and fill in.",
        "# `NAME=` left empty means not set; `# NAME=value` shows the default.",
        "# Secrets can also come from files: ROMM_PASSWORD_FILE=/run/secrets/romm_password.",
        "# Generated by `python -m romm_comm.app.env_example`; do not edit by hand.",
    ]
    for field, info in Settings.model_fields.items():
        if field in HEADINGS:
            lines += ["", f"# --- {HEADINGS[field]} ---"]
        names = names_of(info, field)
        explain = EXPLAIN[field]
        if len(names) > 1:
            explain += f" (also read: {', '.join(names[1:])})"
        if field in SECRET_FIELDS:
            explain += f"; or {file_variable(info, field)}"
        lines.append(f"# {explain}")
        value = default_text(info.get_default(call_default_factory=True))
        lines.append(f"# {names[0]}={value}" if value else f"{names[0]}=")
    return "\n".join(lines) + "\n"


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    text = render()
    if target is None:
        sys.stdout.write(text)
    else:
        target.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
