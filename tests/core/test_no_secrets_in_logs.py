"""Secrets given in settings never appear in any log line, at any level, even on failures."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pydantic import SecretStr

from romm_comm.app.root import App
from romm_comm.core.commands import Caller
from romm_comm.features.context import Context
from romm_comm.testing.romm_sim import RommSimulator
from tests.conftest import settings_for


async def test_no_secret_in_logs_through_success_and_failure(
    sim: RommSimulator, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    assert sim.admin_token
    password = sim.admin_password
    for creds in (
        {"romm_api_token": SecretStr(sim.admin_token)},
        {"romm_api_token": None, "romm_username": "admin", "romm_password": SecretStr(password)},
        {
            "romm_api_token": None,
            "romm_username": "admin",
            "romm_password": SecretStr("wrong-pw-123"),
        },
    ):
        # A generous timeout: under heavy load a slow answer must not turn into retries.
        app = await App.create(settings_for(sim, tmp_path, api_timeout=10.0, **creds))
        await app.start()
        ctx = Context(Caller("1", "a", "test", is_admin=True), app.services)
        for command, args in [("refresh", {}), ("search", {"platform": "n64", "game": "mario"})]:
            await app.registry.run(ctx, command, args)
        sim.faults.fail(path_prefix="/api/roms", status=500)
        await app.registry.run(ctx, "search", {"platform": "n64", "game": "mario"})
        sim.faults.clear()
        await app.close()
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert "romm " in logged, "the client did log its requests"
    for secret in (sim.admin_token, password, "wrong-pw-123"):
        assert secret not in logged
    assert "Bearer " not in logged and "Basic " not in logged
