"""Health: `/health/live` (the process answers) and `/health/ready` (alias `/health`):
RomM answers, the store works and every front end this process runs is connected.

Each check says what is wrong in a short sentence; nothing in the body is secret (no URL,
no credential, no token): it names the part that failed, not where it lives."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web

from .. import __version__
from ..features.services import Services
from ..romm.errors import RommError

log = logging.getLogger(__name__)

NO_STORE = {"Cache-Control": "no-store"}


async def live(_request: web.Request) -> web.Response:
    return web.json_response({"status": "alive", "version": __version__}, headers=NO_STORE)


async def check_romm(services: Services, within: float) -> str | None:
    try:
        async with asyncio.timeout(within):
            await services.client.heartbeat()
    except TimeoutError:
        return f"RomM did not answer within {within:g} s"
    except RommError as exc:
        return f"RomM is not usable ({type(exc).__name__})"
    return None


async def check_store(services: Services) -> str | None:
    try:
        await services.store.schema_version()
    except Exception as exc:  # closed, locked, damaged: any of them means not ready
        return f"the store does not answer ({type(exc).__name__})"
    return None


def check_front_ends(services: Services) -> str | None:
    missing = services.front_ends.missing()
    if missing:
        return "not connected: " + ", ".join(missing)
    return None


async def readiness(services: Services, within: float) -> tuple[bool, dict[str, Any]]:
    romm, store = await asyncio.gather(check_romm(services, within), check_store(services))
    problems = {"romm": romm, "store": store, "front_ends": check_front_ends(services)}
    checks = {name: ("ok" if why is None else why) for name, why in problems.items()}
    ready = all(why is None for why in problems.values())
    info = services.client.heartbeat_info
    body: dict[str, Any] = {
        "status": "ok" if ready else "unavailable",
        "checks": checks,
        "front_ends": services.front_ends.state(),
        "version": __version__,
        "romm_version": info.version if info and romm is None else None,
        "download_links": services.downloads.mode,
    }
    if not ready:
        log.info("not ready: %s", "; ".join(f"{k}: {v}" for k, v in checks.items() if v != "ok"))
    return ready, body


class Health:
    def __init__(self, services: Services, *, timeout: float = 5.0) -> None:
        self.services = services
        self.timeout = timeout

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/health/live", live)
        app.router.add_get("/health/ready", self.ready)
        app.router.add_get("/health", self.ready)

    async def ready(self, _request: web.Request) -> web.Response:
        ready, body = await readiness(self.services, self.timeout)
        return web.json_response(body, status=200 if ready else 503, headers=NO_STORE)
