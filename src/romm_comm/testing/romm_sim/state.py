"""Everything a request handler needs, stored on the aiohttp app."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aiohttp import web

from .auth import AuthStore
from .faults import Faults
from .library import Library

if TYPE_CHECKING:
    from .socket_scans import ScanChannel


@dataclass(frozen=True, slots=True)
class Call:
    """One request the simulator answered."""

    method: str
    path: str
    query: str
    status: int
    duration_ms: float


@dataclass
class SimState:
    library: Library
    auth: AuthStore
    faults: Faults
    calls: list[Call] = field(default_factory=list)
    # "direct" (bytes, like nginx in front) | "accel" (uvicorn alone) | "nozip" (no mod_zip)
    download_mode: str = "direct"
    disable_download_auth: bool = False
    emulator_js_disabled: bool = False  # heartbeat EMULATION.DISABLE_EMULATOR_JS
    rng: random.Random = field(default_factory=random.Random)
    random_picks: list[int] = field(default_factory=list)  # ROM ids /roms/random answers first
    stopping: bool = False
    scans: ScanChannel | None = None  # the Socket.IO scan channel (socket_scans)
    metadata_sources: dict[str, bool] = field(default_factory=dict)  # heartbeat overrides


STATE: web.AppKey[SimState] = web.AppKey("romm_sim_state", SimState)


def state_of(request: web.Request) -> SimState:
    return request.app[STATE]
