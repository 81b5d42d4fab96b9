"""A RomM simulator served over real HTTP on 127.0.0.1, for tests, the demo and benchmarks.

    from romm_comm.testing.romm_sim import RommSimulator, LibrarySpec

    async with RommSimulator(library=LibrarySpec(roms=200, platforms=12, seed=1)) as sim:
        sim.url                      # http://127.0.0.1:<port>
        sim.admin_token              # rmm_ client token with all 22 scopes (None before 4.8)
        sim.make_token(["roms.read"], username="alice")
        sim.add_user("bob2", "pw", role="user", enabled=True)
        sim.library                  # platforms / roms / files / firmware / users, mutable
        sim.library.rename_platform(3, "Super Famicom")
        sim.library.add_rom(1, name="Banjo-Kazooie", igdb_id=1083, files=[("Banjo.z64", 16 << 20)])
        sim.library.file_bytes(file_id, 0, 1024)   # the exact bytes downloads serve
        sim.calls / sim.reset_calls()               # Call(method, path, query, status, duration_ms)
        sim.faults.latency = 0.3; sim.faults.fail("/api/roms", 500, times=2)
        sim.faults.malformed_json = True; sim.faults.hang = True; sim.faults.clear()
        sim.download_mode = "accel"  # answer downloads like the backend without nginx
        sim.disable_download_auth = True          # DISABLE_DOWNLOAD_ENDPOINT_AUTH
        sim.access_token_expiry = 1800            # OAuth access token lifetime (s)
        sim.scans                    # Socket.IO scans at /ws/socket.io (see socket_scans)

Users: admin/admin-password, alice/alice-password, bob/bob-password (plain users).
As a process: `python -m romm_comm.testing.romm_sim --port 0 --roms 1000 --platforms 60`.
"""

from __future__ import annotations

from .faults import Faults
from .generator import LibrarySpec
from .library import Library
from .server import ADMIN_PASSWORD, ADMIN_USERNAME, RommSimulator
from .state import Call

__all__ = [
    "ADMIN_PASSWORD",
    "ADMIN_USERNAME",
    "Call",
    "Faults",
    "Library",
    "LibrarySpec",
    "RommSimulator",
]
