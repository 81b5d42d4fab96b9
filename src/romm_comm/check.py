"""`romm-comm check`: the effective settings (secrets masked), then a probe of RomM.

One line per finding; problems are prefixed with ✗ and make the exit status non-zero.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from .romm.auth import Credentials
from .romm.client import RommClient
from .romm.errors import (
    RommAuthError,
    RommError,
    RommForbidden,
    RommNotFound,
    RommUnreachable,
)
from .romm.version import Capabilities
from .settings import SECRET_FIELDS, Settings, mask


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


def print_settings(settings: Settings, out: TextIO) -> None:
    out.write("Effective settings\n")
    for name in Settings.model_fields:
        value: Any = getattr(settings, name)
        shown = mask(value) if name in SECRET_FIELDS else ("(not set)" if value is None else value)
        if isinstance(shown, list):
            shown = ",".join(str(v) for v in shown) or "(none)"
        out.write(f"  {name.upper()} = {shown}\n")


def _client(settings: Settings, creds: Credentials) -> RommClient:
    assert settings.romm_url is not None
    return RommClient(
        settings.romm_url, creds, timeout=settings.api_timeout, retries=0, cache_ttl=0
    )


async def run_check(settings: Settings, out: TextIO) -> int:
    report = Report(out)
    print_settings(settings, out)
    report.heading("RomM")
    if settings.romm_url is None:
        report.problem("ROMM_URL is not set (example: ROMM_URL=http://192.168.1.10:8080)")
        return _finish(report)
    creds = Credentials(settings.romm_api_token, settings.romm_username, settings.romm_password)
    async with _client(settings, Credentials()) as anonymous:
        try:
            info = await anonymous.heartbeat()
        except RommUnreachable as exc:
            report.problem(f"ROMM_URL {settings.romm_url} is not reachable: {exc.detail}")
            return _finish(report)
        except RommError as exc:
            report.problem(
                f"ROMM_URL {settings.romm_url} does not look like RomM ({exc.user_message})"
            )
            return _finish(report)
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
    return _finish(report)


async def _check_auth(
    settings: Settings, creds: Credentials, caps: Capabilities, report: Report
) -> Credentials | None:
    report.heading("Authentication")
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
            "ROMM_USERNAME and ROMM_PASSWORD"
        )
    return working


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


def _finish(report: Report) -> int:
    if report.problems:
        report.out.write(f"\n{len(report.problems)} problem(s) found.\n")
        return 1
    report.out.write("\nEverything looks right.\n")
    return 0
