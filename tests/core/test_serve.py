"""`romm-comm serve` (the container's command): no console, /health answers, the health check
agrees, and SIGTERM closes everything cleanly."""

from __future__ import annotations

import asyncio
import re
import signal
import sys
from pathlib import Path

import aiohttp

from romm_comm.testing.romm_sim import RommSimulator
from tests.helpers.processes import sim_env


async def _healthcheck(env: dict[str, str], cwd: Path) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "romm_comm.cli.healthcheck",
        stdout=asyncio.subprocess.PIPE, cwd=cwd, env=env,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode is not None
    return proc.returncode, out.decode().strip()


async def test_serve_answers_health_and_stops_on_sigterm(
    sim: RommSimulator, tmp_path: Path
) -> None:
    assert sim.admin_token is not None
    env = sim_env(
        sim,
        tmp_path / "data",
        WEB_HOST="127.0.0.1",
        WEB_PORT="0",
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "romm_comm", "serve",
        stdin=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE, cwd=tmp_path, env=env,
    )  # fmt: skip
    assert proc.stderr is not None
    port = None
    log: list[str] = []
    while port is None:
        line = (await asyncio.wait_for(proc.stderr.readline(), 60)).decode()
        assert line, "serve ended before its web server listened:\n" + "".join(log)
        log.append(line)
        found = re.search(r"web server listening on http://127\.0\.0\.1:(\d+)", line)
        port = int(found.group(1)) if found else None
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"http://127.0.0.1:{port}/health") as answer,
    ):
        assert answer.status == 200
        assert (await answer.json())["status"] == "ok"
    env["WEB_PORT"] = str(port)
    assert await _healthcheck(env, tmp_path) == (
        0,
        f"healthy: http://127.0.0.1:{port}/health/live answered 200",
    )
    proc.send_signal(signal.SIGTERM)
    rest = await asyncio.wait_for(proc.stderr.read(), 60)
    assert await proc.wait() == 0
    assert "Traceback" not in rest.decode()
    assert "stopped: web server, RomM session and store closed" in rest.decode()
    assert (tmp_path / "data" / "romm-comm.sqlite3").exists()
    code, said = await _healthcheck(env, tmp_path)
    assert code == 1
    assert said.startswith(f"unhealthy: http://127.0.0.1:{port}/health/live did not answer")
