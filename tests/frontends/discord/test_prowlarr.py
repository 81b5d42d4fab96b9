"""Search indexers and Grab on a request's admin card through real discord.py and the fake
Discord, against the RomM and Prowlarr simulators: a slow Prowlarr search is deferred within
Discord's 3 seconds, the list is a select menu, and the requester gets a DM."""

from __future__ import annotations

import asyncio

from romm_comm.core.commands import Caller
from romm_comm.testing.prowlarr_sim import ProwlarrSimulator
from tests.features.requests.conftest import request_game

from .conftest import Harness, buttons, final, selects


async def test_search_indexers_and_grab_on_discord(harness: Harness) -> None:
    fd = harness.fd
    alice = fd.add_member(name="alice")
    async with ProwlarrSimulator() as prowlarr:
        run = await harness.start(prowlarr_url=prowlarr.url, prowlarr_api_key=prowlarr.api_key)
        asker = Caller(id=str(alice.user.id), name="alice", front_end="discord")
        sent = await request_game(run.app, asker, "PlayStation", "Final Fantasy VII")
        assert "sent" in sent.text
        card = await final(
            await fd.slash(fd.owner.id, "request_admin", {"action": "view", "request": "1"})
        )
        assert card.ephemeral
        search = next(b for b in buttons(card) if b.get("label") == "Search indexers")
        assert search["custom_id"] == "idx:1:search"
        denied = await (await fd.click(alice.user.id, card.id, "idx:1:search")).wait_reply()
        assert denied.content == "That is for admins only."

        prowlarr.gate = asyncio.Event()  # Prowlarr's indexers are slow to answer
        rec = await fd.click(fd.owner.id, card.id, "idx:1:search")
        first = await rec.wait_reply()
        assert first.type in (5, 6), "deferred (the fake refuses it after Discord's 3 s)"
        await prowlarr.searching.wait()
        prowlarr.gate.set()
        listing = await final(rec, within=5.0)
        (menu,) = selects(listing)
        labels = [o["label"] for o in menu["options"]]
        assert labels == [
            "Final.Fantasy.VII.EUR.PS1-RETRO",
            "Final Fantasy VII (USA) (Disc 1-3) [PSX]",
        ]
        assert listing.ephemeral and prowlarr.api_key not in str(listing.embeds)
        picked = await final(await fd.select(fd.owner.id, listing.id, menu["custom_id"], ["1"]))
        grab = next(b for b in buttons(picked) if b.get("label") == "Grab")
        done = await final(await fd.click(fd.owner.id, picked.id, grab["custom_id"]))
        assert done.content.startswith("Sent 'Final Fantasy VII (USA) (Disc 1-3) [PSX]'")
        assert len(prowlarr.grabbed) == 1
        dms = [m.content for m in fd.dm_messages(alice.user.id)]
        assert any("is on its way" in text for text in dms), dms
