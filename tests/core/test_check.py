"""`romm-comm check`: masked settings, then one clear line per finding about RomM."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from pydantic import SecretStr

from romm_comm.app.settings import Settings
from romm_comm.cli.check import run_check
from romm_comm.testing.romm_sim import RommSimulator


def _settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


async def test_good_token_passes_and_secrets_are_masked(sim: RommSimulator) -> None:
    assert sim.admin_token
    out = io.StringIO()
    code = await run_check(
        _settings(
            romm_url=sim.url,
            romm_api_token=SecretStr(sim.admin_token),
            romm_public_url="https://romm.example.org",
        ),
        out,
    )
    text = out.getvalue()
    assert code == 0, text
    assert sim.admin_token not in text
    assert "ROMM_API_TOKEN = rmm_…(set)" in text
    assert "version 5.2.0" in text
    assert "client token works (user admin, role admin)" in text
    assert "✓ search games (roms.read)" in text
    assert "Everything looks right." in text
    # every chat front end has its section, saying plainly when it is not set up
    for line in (
        "DISCORD_TOKEN is not set",
        "SLACK_BOT_TOKEN and SLACK_APP_TOKEN are not set",
        "MATRIX_HOMESERVER is not set: no Matrix",
        "TELEGRAM_BOT_TOKEN is not set",
    ):
        assert line in text, line


async def test_wrong_password_is_named(sim: RommSimulator) -> None:
    out = io.StringIO()
    code = await run_check(
        _settings(romm_url=sim.url, romm_username="admin", romm_password=SecretStr("nope")), out
    )
    text = out.getvalue()
    assert code == 1
    assert "✗ ROMM_PASSWORD is wrong for user admin: RomM answered 401" in text
    assert "nope" not in text


async def test_a_token_with_few_scopes_warns_about_what_is_missing(sim: RommSimulator) -> None:
    token = sim.make_token(["platforms.read", "roms.read", "me.read"])
    out = io.StringIO()
    code = await run_check(_settings(romm_url=sim.url, romm_api_token=SecretStr(token)), out)
    text = out.getvalue()
    assert code == 0, text
    assert "! cannot count users for /stats: the credentials lack the users.read scope" in text


async def test_unreachable_romm_and_missing_credentials(sim: RommSimulator) -> None:
    url = sim.url
    await sim.stop()
    out = io.StringIO()
    assert await run_check(_settings(romm_url=url), out) == 1
    assert f"✗ ROMM_URL {url} is not reachable" in out.getvalue()
    assert "connection refused" in out.getvalue()
    assert "ClientConnectorError" not in out.getvalue()
    out = io.StringIO()
    assert await run_check(_settings(), out) == 1
    assert "✗ ROMM_URL is not set" in out.getvalue()


async def test_test_only_addresses_are_shown_only_when_set(sim: RommSimulator) -> None:
    out = io.StringIO()
    await run_check(_settings(romm_url=sim.url), out)
    for name in ("DISCORD_API_URL", "DISCORD_GATEWAY_URL", "IGDB_API_URL", "TWITCH_TOKEN_URL"):
        assert name not in out.getvalue()
    out = io.StringIO()
    await run_check(_settings(romm_url=sim.url, igdb_api_url="http://127.0.0.1:9/v4"), out)
    assert "IGDB_API_URL = http://127.0.0.1:9/v4" in out.getvalue()


async def test_no_credentials_is_a_problem(sim: RommSimulator) -> None:
    out = io.StringIO()
    assert await run_check(_settings(romm_url=sim.url), out) == 1
    assert "no RomM credentials" in out.getvalue()


def test_bad_settings_stop_the_process_with_every_problem(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME"}}
    env.update(ROMM_URL="romm.local", API_TIMEOUT="-3")
    proc = subprocess.run(
        [sys.executable, "-m", "romm_comm", "check"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env=env,
    )
    assert proc.returncode == 2
    assert "ROMM_URL (or API_URL): must start with http:// or https://" in proc.stderr
    assert "API_TIMEOUT" in proc.stderr
    assert "Traceback" not in proc.stderr
