"""Game cards with covers reach Discord: RomM's unencoded `?ts=` becomes a well-formed URL,
and with PUBLIC_URL set the cover comes through the bot's own web server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from romm_comm.testing.romm_sim import RommSimulator
from tests.fakes.discord import FakeDiscord
from tests.frontends.discord.conftest import LIBRARY, PATIENT, Harness, final, open_harness


@pytest.fixture(params=["5.2.0", "4.8.0"])
async def any_sim(request: pytest.FixtureRequest) -> AsyncIterator[RommSimulator]:
    async with RommSimulator(library=LIBRARY, version=request.param) as running:
        yield running


async def _card_of_ff7(harness: Harness) -> dict[str, object]:
    fd = harness.fd
    listing = await final(
        await fd.slash(fd.owner.id, "search", {"platform": "psx", "game": "final fantasy vii"}),
        within=PATIENT,
    )
    card = listing if listing.embeds else None  # one exact match: the card at once
    if card is None:
        card = await final(await fd.select(fd.owner.id, listing.id, "rom", ["2"]), within=PATIENT)
    assert card.embeds[0]["title"] == "Final Fantasy VII"
    return card.embeds[0]


async def test_a_cover_with_romms_raw_timestamp_is_sent_well_formed(
    fd: FakeDiscord, any_sim: RommSimulator, tmp_path: Path
) -> None:
    raw = any_sim.library.roms[2]
    async with open_harness(fd, any_sim, tmp_path) as harness:
        await harness.start(api_timeout=PATIENT)
        embed = await _card_of_ff7(harness)
    thumbnail = embed["thumbnail"]["url"]  # type: ignore[index]
    prefix = f"https://romm.example.org/assets/romm/resources/roms/{raw.platform_id}/2/cover/"
    assert thumbnail.startswith(prefix + "big.png?ts=")
    stamp = thumbnail.split("?ts=", 1)[1]
    assert " " not in thumbnail and "%20" in stamp  # the space RomM leaves in is encoded
    assert stamp.endswith("+00:00") == (any_sim.version.startswith("4."))
    assert not fd.errors


async def test_with_public_url_covers_come_through_the_bots_web_server(
    fd: FakeDiscord, sim: RommSimulator, tmp_path: Path
) -> None:
    async with open_harness(fd, sim, tmp_path) as harness:
        run = await harness.start(web_public_url="https://dl.example.org", api_timeout=PATIENT)
        embed = await _card_of_ff7(harness)
        thumbnail = embed["thumbnail"]["url"]  # type: ignore[index]
        assert thumbnail.startswith("https://dl.example.org/cover/")
        assert "romm.example.org" not in thumbnail
        assert run.app.web is not None
        local = run.app.web.url + thumbnail.removeprefix("https://dl.example.org")
        async with aiohttp.ClientSession() as http:
            sim.reset_calls()
            async with http.get(local) as first:
                body = await first.read()
                assert first.status == 200 and first.content_type == "image/png"
                assert "max-age" in first.headers["Cache-Control"]
            async with http.get(local) as again:
                assert again.status == 200 and await again.read() == body
            fetched = [c.path for c in sim.calls if "/cover/" in c.path]
            assert len(fetched) == 1  # the second answer came from the bot's cache
            mac = thumbnail.split("/cover/", 1)[1].split("/", 1)[0]
            forged = local.replace(mac, "A" * len(mac))
            async with http.get(forged) as refused:
                assert refused.status == 404
            other = local.replace("/2/cover/", "/3/cover/")
            async with http.get(other) as refused:
                assert refused.status == 404  # a path the bot did not sign
            traversal = local.split("?")[0].replace("cover/big.png", "../../../../x")
            async with http.get(traversal) as refused:
                assert refused.status == 404
