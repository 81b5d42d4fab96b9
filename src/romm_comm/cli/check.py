"""`romm-comm check`: the effective settings (secrets masked), then a probe of RomM.

One line per finding; problems are prefixed with ✗ and make the exit status non-zero.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from ..app.romm_client import romm_client, romm_credentials
from ..app.settings import Settings, mask
from ..app.settings_env import SECRET_FIELDS
from ..features.downloads.probe import probe_downloads
from ..features.downloads.service import gateway_base_for, no_public_url
from ..features.prowlarr.probe import probe_prowlarr
from ..features.scans.probe import probe_scans
from ..romm.auth import Credentials
from ..romm.client import RommClient
from ..romm.errors import RommAuthError, RommError, RommForbidden, RommNotFound, RommUnreachable
from ..romm.version import Capabilities


@dataclass
class Report:
    out: TextIO
    problems: list[str] = field(default_factory=list)

    def ok(self, text: str) -> None:
        self.out.write(f"  ✓ {text}\n")

    def note(self, text: str) -> None:
        self.out.write(f"  • {text}\n")

    def warn(self, text: str) -> None:
        self.out.write(f"  ! {text}\n")

    def problem(self, text: str) -> None:
        self.problems.append(text)
        self.out.write(f"  ✗ {text}\n")

    def heading(self, text: str) -> None:
        self.out.write(f"\n{text}\n")


# Addresses of stand-ins for Discord, IGDB and Twitch used by tests: shown only when set.
TEST_ONLY = frozenset(
    {"discord_api_url", "discord_gateway_url", "igdb_api_url", "twitch_token_url", "slack_api_url"}
)


def print_settings(settings: Settings, out: TextIO) -> None:
    out.write("Effective settings\n")
    for name in Settings.model_fields:
        value: Any = getattr(settings, name)
        if name in TEST_ONLY and value is None:
            continue
        shown = mask(value) if name in SECRET_FIELDS else ("(not set)" if value is None else value)
        if isinstance(shown, list):
            shown = ",".join(str(v) for v in shown) or "(none)"
        out.write(f"  {name.upper()} = {shown}\n")


def _client(settings: Settings, creds: Credentials) -> RommClient:
    return romm_client(settings, creds, retries=0, cache_ttl=0)


async def run_check(settings: Settings, out: TextIO) -> int:
    report = Report(out)
    print_settings(settings, out)
    for notice in settings.legacy_notices():
        report.warn(notice)
    await _check_romm(settings, report)
    # Every other service and front end is checked whatever RomM did: a person fixing
    # ROMM_URL wants to know at once whether the chat tokens are right too.
    await _check_prowlarr(settings, report)
    await _check_discord(settings, report)
    await _check_slack(settings, report)
    await _check_matrix(settings, report)
    await _check_telegram(settings, report)
    return _finish(report)


async def _check_romm(settings: Settings, report: Report) -> None:
    """RomM, then what depends on it (credentials, scopes, downloads, scans)."""
    report.heading("RomM")
    if settings.romm_url is None:
        report.problem("ROMM_URL is not set (example: ROMM_URL=http://192.168.1.10:8080)")
        return
    creds = romm_credentials(settings)
    async with _client(settings, Credentials()) as anonymous:
        try:
            info = await anonymous.heartbeat()
        except RommUnreachable as exc:
            report.problem(f"ROMM_URL {settings.romm_url} is not reachable: {exc.detail}")
            return
        except RommError as exc:
            report.problem(
                f"ROMM_URL {settings.romm_url} does not look like RomM ({exc.user_message})"
            )
            return
    caps = Capabilities.from_version(info.version)
    report.ok(f"reachable at {settings.romm_url}, version {info.version}")
    if not caps.known:
        report.note("version tag not a release number; assuming the newest RomM behaviour")
    elif not caps.at_least(4, 4):
        report.note(
            "RomM before 4.4: scan types 'unmatched'/'update' are sent as 'unidentified'/'partial'"
        )
    if settings.romm_public_url is None:
        report.warn(
            "ROMM_PUBLIC_URL (or DOMAIN) is not set: links people click will point at "
            f"{settings.romm_url}"
        )
    working = await _check_auth(settings, creds, caps, report)
    if working is not None:
        async with _client(settings, working) as client:
            await _check_scopes(client, report)
            await _check_downloads(settings, client, report)
    else:
        await _check_downloads(settings, None, report)
    await _check_scans(settings, caps, report)


async def _check_prowlarr(settings: Settings, report: Report) -> None:
    if settings.prowlarr_url is None and settings.prowlarr_api_key is None:
        return
    report.heading("Prowlarr")
    if settings.prowlarr_url is None or settings.prowlarr_api_key is None:
        missing = "PROWLARR_URL" if settings.prowlarr_url is None else "PROWLARR_API_KEY"
        report.problem(f"{missing} is not set: both are needed for Search indexers")
        return
    if not settings.requests_enabled:
        report.warn("REQUESTS_ENABLED=false: Prowlarr is only used on requests, so it stays idle")
    findings = await probe_prowlarr(
        settings.prowlarr_url, settings.prowlarr_api_key, api_timeout=settings.prowlarr_timeout
    )
    for finding in findings:
        {"ok": report.ok, "warn": report.warn, "problem": report.problem}[finding.level](
            finding.text
        )


async def _check_discord(settings: Settings, report: Report) -> None:
    from ..frontends.discord.check import check_discord
    from ..frontends.discord.config import DiscordConfig

    report.heading("Discord")
    for finding in await check_discord(DiscordConfig.from_values(settings)):
        getattr(report, finding.level)(finding.text)


async def _check_slack(settings: Settings, report: Report) -> None:
    from ..frontends.slack.check import check_slack
    from ..frontends.slack.config import SlackConfig

    report.heading("Slack")
    for finding in await check_slack(SlackConfig.from_values(settings)):
        getattr(report, finding.level)(finding.text)


async def _check_matrix(settings: Settings, report: Report) -> None:
    if settings.matrix_homeserver is None:
        report.heading("Matrix")
        report.note("MATRIX_HOMESERVER is not set: no Matrix")
        return
    from ..frontends.matrix.check import check_matrix
    from ..frontends.matrix.config import MatrixConfig

    report.heading("Matrix")
    for finding in await check_matrix(MatrixConfig.from_values(settings)):
        getattr(report, finding.level)(finding.text)


async def _check_telegram(settings: Settings, report: Report) -> None:
    from ..frontends.telegram.check import check_telegram
    from ..frontends.telegram.config import TelegramConfig

    report.heading("Telegram")
    for finding in await check_telegram(TelegramConfig.from_values(settings)):
        getattr(report, finding.level)(finding.text)


async def _check_auth(
    settings: Settings, creds: Credentials, caps: Capabilities, report: Report
) -> Credentials | None:
    report.heading("Authentication")
    _credential_names(settings, report)
    working: Credentials | None = None
    if creds.token is not None:
        if not caps.client_tokens:
            report.problem(
                f"ROMM_API_TOKEN is set, but RomM {caps.version} has no client "
                "tokens (4.8+); use ROMM_USERNAME and ROMM_PASSWORD"
            )
        else:
            token_only = Credentials(token=creds.token)
            async with _client(settings, token_only) as client:
                try:
                    me = await client.me()
                    report.ok(f"client token works (user {me.username}, role {me.role})")
                    working = token_only
                except RommAuthError:
                    report.problem(
                        "ROMM_API_TOKEN was refused by RomM (401): it is wrong, "
                        "revoked, expired, or its owner is disabled"
                    )
                except RommError as exc:
                    report.problem(f"ROMM_API_TOKEN could not be checked: {exc.user_message}")
    if creds.username and creds.password is not None:
        pw_only = Credentials(username=creds.username, password=creds.password)
        async with _client(settings, pw_only) as client:
            try:
                me = await client.me()
                how = {"oauth": "OAuth2 password grant", "basic": "HTTP Basic"}.get(
                    client.auth.mode, client.auth.mode
                )
                report.ok(f"username/password work for {me.username} via {how}")
                working = working or pw_only
            except RommAuthError as exc:
                detail = (
                    exc.detail
                    if "ROMM_PASSWORD" in exc.detail
                    else (f"ROMM_PASSWORD is wrong for user {creds.username}: RomM answered 401")
                )
                report.problem(detail)
            except RommError as exc:
                report.problem(
                    f"ROMM_USERNAME/ROMM_PASSWORD could not be checked: {exc.user_message}"
                )
    elif creds.username and creds.password is None:
        report.problem("ROMM_USERNAME is set but ROMM_PASSWORD is not")
    if creds.mode == "none":
        report.problem(
            "no RomM credentials: set ROMM_API_TOKEN (recommended, RomM 4.8+) or "
            "ROMM_USERNAME and ROMM_PASSWORD (the earlier bot's USER and PASS work too; "
            "USER from the environment only together with PASS, as every shell sets $USER)"
        )
    return working


def _credential_names(settings: Settings, report: Report) -> None:
    """Which variables the credentials came from (never their values)."""
    used = [
        found
        for found in (
            settings.origin(f) for f in ("romm_api_token", "romm_username", "romm_password")
        )
        if found is not None
    ]
    if used:
        report.note("credentials read from " + ", ".join(used))


async def _check_scopes(client: RommClient, report: Report) -> None:
    report.heading("What the bot can do with these credentials")
    probes: list[tuple[str, str, bool, Callable[[], Awaitable[Any]]]] = [
        ("browse platforms", "platforms.read", True, client.platforms),
        ("search games", "roms.read", True, lambda: client.search_roms("a", limit=1)),
        (
            "list firmware",
            "firmware.read",
            False,
            lambda: client.request_json("GET", "/api/firmware"),
        ),
        ("count users for /stats", "users.read", False, client.users),
        (
            "follow scans",
            "tasks.run",
            False,
            lambda: client.request_json("GET", "/api/tasks/status"),
        ),
    ]
    for what, scope, needed, probe in probes:
        try:
            await probe()
            report.ok(f"{what} ({scope})")
        except (RommForbidden, RommAuthError):
            message = f"cannot {what}: the credentials lack the {scope} scope"
            report.problem(message) if needed else report.warn(message)
        except RommNotFound:
            report.warn(f"cannot {what}: this RomM has no such endpoint")
        except RommError as exc:
            report.problem(f"cannot {what}: {exc.user_message}")


async def _check_downloads(settings: Settings, client: RommClient | None, report: Report) -> None:
    """What people get when they click a download link, and whether it can work."""
    report.heading("Downloads")
    gateway = False
    ttl = f"{settings.link_ttl / 3600:g} h"
    base = gateway_base_for(settings.web_public_url, settings.web_host, settings.web_port)
    if settings.download_links == "romm":
        report.note(f"DOWNLOAD_LINKS=romm: cards link straight to RomM at {settings.public_url}")
    elif not settings.web_enabled:
        report.warn("WEB_ENABLED=false: the download gateway is off; cards link straight to RomM")
    elif base is None:
        report.warn(no_public_url(settings.web_port) + "; until then cards link straight to RomM")
    else:
        gateway = True
        where = "" if settings.web_public_url else " (PUBLIC_URL is not set: this machine only)"
        report.ok(
            f"cards carry personal links through the bot at {base}{where}, valid {ttl}; "
            "the bot streams the files from RomM with its own credentials"
        )
    if client is None:
        return
    probe = await probe_downloads(client)
    if not probe.checked:
        report.warn(f"could not try a download: {probe.detail}")
        return
    if probe.accel_redirect:
        message = (
            f"ROMM_URL {settings.romm_url} reaches RomM's backend past its web server: "
            "downloads come back empty with an X-Accel-Redirect header. Point ROMM_URL at "
            "RomM's web address (port 8080 in the official image)"
        )
        report.problem(message) if gateway else report.warn(message)
    elif probe.bytes_served:
        report.ok("a test download from RomM returned the file's bytes")
    else:
        message = f"a test download from RomM failed (status {probe.bot_status})"
        report.problem(message) if gateway else report.warn(message)
    if probe.anonymous_allowed:
        report.warn(
            "RomM's DISABLE_DOWNLOAD_ENDPOINT_AUTH is on: anyone who has a RomM download URL "
            "can download without signing in"
            + ("; the bot's links do not need it, consider turning it off" if gateway else "")
        )
    elif probe.anonymous_allowed is False and gateway:
        report.ok(
            "RomM requires sign-in for downloads; people still download through the bot's "
            "links without a RomM account"
        )
    elif probe.anonymous_allowed is False:
        report.warn(
            "RomM requires sign-in for downloads: people who open a card's link must sign in "
            "to RomM first (the bot's own links avoid this: DOWNLOAD_LINKS=gateway with PUBLIC_URL)"
        )


async def _check_scans(settings: Settings, caps: Capabilities, report: Report) -> None:
    report.heading("Scans")
    assert settings.romm_url is not None
    probe = await probe_scans(
        settings.romm_url,
        caps,
        username=settings.romm_username,
        password=settings.romm_password,
        api_timeout=settings.api_timeout,
    )
    polling = (
        f"scans started in RomM are followed by polling /api/tasks/status every "
        f"{settings.scan_poll_interval:g} s"
    )
    if not probe.socket:
        report.warn(f"{probe.detail}; {polling}")
    elif probe.connected:
        how = f"signed in as {settings.romm_username}" if settings.romm_password else "no sign-in"
        report.ok(f"live scan progress over RomM's Socket.IO channel ({how}); /scan works")
    else:
        report.problem(
            f"cannot open RomM's scan channel: {probe.detail}. Until it works, /scan cannot "
            f"start scans and {polling}"
        )


def _finish(report: Report) -> int:
    if report.problems:
        report.out.write(f"\n{len(report.problems)} problem(s) found.\n")
        return 1
    report.out.write("\nEverything looks right.\n")
    return 0
