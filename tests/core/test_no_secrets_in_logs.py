"""Secrets given in settings never appear in any log line, at any level, even on failures."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pydantic import SecretStr

from romm_comm.core.commands import Caller
from romm_comm.features.context import Context
from romm_comm.testing.romm_sim import RommSimulator
from tests.conftest import create_app, settings_for

WRONG_PASSWORD = "wrong-pw-123"


@pytest.mark.parametrize("creds", ["token", "password", "wrong password"])
async def test_no_secret_in_logs_through_success_and_failure(
    creds: str, sim: RommSimulator, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    assert sim.admin_token
    password = sim.admin_password
    given: dict[str, dict[str, object]] = {
        "token": {"romm_api_token": SecretStr(sim.admin_token)},
        "password": {
            "romm_api_token": None,
            "romm_username": "admin",
            "romm_password": SecretStr(password),
        },
        "wrong password": {
            "romm_api_token": None,
            "romm_username": "admin",
            "romm_password": SecretStr(WRONG_PASSWORD),
        },
    }
    # A generous timeout: under heavy load a slow answer must not turn into retries.
    app = await create_app(settings_for(sim, tmp_path, api_timeout=10.0, **given[creds]))
    await app.start()
    try:
        ctx = Context(Caller("1", "a", "test", is_admin=True), app.services)
        for command, args in [("refresh", {}), ("search", {"platform": "n64", "game": "mario"})]:
            await app.registry.run(ctx, command, args)
        sim.faults.fail(path_prefix="/api/roms", status=500)
        await app.registry.run(ctx, "search", {"platform": "n64", "game": "mario"})
        sim.faults.clear()
    finally:
        await app.close()
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    if creds == "wrong password":
        assert "ROMM_PASSWORD is wrong for user admin" in logged
    else:
        assert "romm " in logged, "the client did log its requests"
    for secret in (sim.admin_token, password, WRONG_PASSWORD):
        assert secret not in logged
    assert "Bearer " not in logged and "Basic " not in logged
