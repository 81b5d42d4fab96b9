"""Scans on the console front end, and what `romm-comm check` says about them."""

from __future__ import annotations

import io

from pydantic import SecretStr

from romm_comm.app.settings import Settings
from romm_comm.cli.check import run_check
from romm_comm.frontends.console.notifier import ConsoleNotifier
from romm_comm.testing.romm_sim import RommSimulator
from tests.features.scans.conftest import Apps, scan
from tests.helpers.waiting import eventually


async def test_console_shows_a_few_readable_progress_lines_and_the_summary(
    sim: RommSimulator, apps: Apps
) -> None:
    lines: list[str] = []
    sim.scans.stage_roms("n64", 40)
    sim.scans.pace = 0.03
    app, _ = await apps.make(scan_progress_interval=0.25)
    app.services.notifications.register(ConsoleNotifier(lines.append))

    await scan(app, "platform", "n64")
    await eventually(lambda: any("✅ Scan finished" in line for line in lines), what="summary")

    scan_lines = [line for line in lines if line.startswith("[scans")]
    updates = [line for line in scan_lines if line.startswith("[scans] 🔎 Quick scan")]
    assert 2 <= len(updates) <= 12, scan_lines
    assert all("\n" not in line for line in updates), "an update is one line"
    assert "Now scanning Nintendo 64" in updates[-1] and "ROMs scanned:" in updates[-1]
    summary = next(line for line in scan_lines if "✅ Scan finished" in line)
    assert "ROMs: 40 scanned, 40 added" in summary
    assert sum(line.count("\n") + 1 for line in scan_lines) < 60, "not hundreds of lines"


def _settings(sim: RommSimulator, **values: object) -> Settings:
    return Settings(_env_file=None, romm_url=sim.url, **values)  # type: ignore[arg-type]


async def test_check_says_how_scans_are_followed(sim: RommSimulator) -> None:
    out = io.StringIO()
    password = SecretStr(sim.admin_password)
    await run_check(_settings(sim, romm_username="admin", romm_password=password), out)
    assert (
        "✓ live scan progress over RomM's Socket.IO channel (signed in as admin); /scan works"
    ) in out.getvalue()

    out = io.StringIO()
    assert sim.admin_token
    await run_check(_settings(sim, romm_api_token=SecretStr(sim.admin_token)), out)
    assert (
        "! ROMM_USERNAME/ROMM_PASSWORD are not set: RomM 5 only accepts scans from a signed-in "
        "session, so scans cannot be started from chat; scans started in RomM are followed by "
        "polling /api/tasks/status every 15 s"
    ) in out.getvalue()

    out = io.StringIO()
    code = await run_check(
        _settings(
            sim, romm_api_token=SecretStr(sim.admin_token), romm_username="admin",
            romm_password=SecretStr("wrong-password"),
        ),
        out,
    )  # fmt: skip
    assert code == 1
    assert (
        "✗ cannot open RomM's scan channel: RomM refused ROMM_USERNAME/ROMM_PASSWORD at "
        "/api/login (401)."
    ) in out.getvalue()
    assert "wrong-password" not in out.getvalue()
