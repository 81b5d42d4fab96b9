"""An IGDB + Twitch OAuth simulator served over real HTTP, for tests and the demo.

from romm_comm.testing.igdb_sim import IgdbSimulator

async with IgdbSimulator() as igdb:
    ...  # igdb.api_url, igdb.token_url, igdb.client_id, igdb.client_secret, igdb.calls
"""

from __future__ import annotations

from .server import CLIENT_ID, CLIENT_SECRET, IgdbFaults, IgdbSimulator, SimCall

__all__ = ["CLIENT_ID", "CLIENT_SECRET", "IgdbFaults", "IgdbSimulator", "SimCall"]
