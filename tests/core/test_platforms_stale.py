"""/platforms while RomM is down: the list in memory, saying it may be stale and since when."""

from __future__ import annotations

from pathlib import Path

from romm_comm.app.root import App
from romm_comm.core.commands import Caller
from romm_comm.features.context import Context
from romm_comm.testing.romm_sim import RommSimulator

from ..conftest import settings_for


async def test_platforms_from_memory_while_romm_is_down_say_since_when(
    sim: RommSimulator, tmp_path: Path
) -> None:
    app = await App.create(settings_for(sim, tmp_path, cache_ttl=0))
    try:
        await app.start()
        member = Context(Caller(id="100", name="member", front_end="test"), app.services)
        fresh = await app.registry.run(member, "platforms", {})
        assert fresh.tone != "error" and fresh.text == ""
        loaded_at = app.services.catalog.platforms_loaded_at
        assert loaded_at is not None

        sim.faults.fail("/api", 502)  # RomM is down behind its web server
        stale = await app.registry.run(member, "platforms", {})
        assert stale.tone != "error"
        assert stale.cards == fresh.cards  # the same list, from memory
        assert stale.text == (
            "RomM is not answering, so this list may be out of date: it is from "
            f"{loaded_at:%Y-%m-%d %H:%M} UTC."
        )
        paged = await app.registry.act(member, "platforms", ["1"])
        assert paged.text == stale.text

        sim.faults.clear()  # back: the list is current again, without the notice
        again = await app.registry.run(member, "platforms", {})
        assert again.text == ""
    finally:
        await app.close()
