"""The Prowlarr client against the Prowlarr simulator over real HTTP: real field names, the
key only in the X-Api-Key header, and each failure one sentence without the key."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr

from romm_comm.prowlarr import (
    CONSOLE,
    PC,
    ProwlarrAuthError,
    ProwlarrClient,
    ProwlarrGrabRejected,
    ProwlarrUnavailable,
)
from romm_comm.testing.prowlarr_sim import ProwlarrSimulator, SimRelease


@pytest.fixture
async def prowlarr() -> AsyncIterator[ProwlarrSimulator]:
    async with ProwlarrSimulator() as running:
        yield running


@pytest.fixture
async def client(prowlarr: ProwlarrSimulator) -> AsyncIterator[ProwlarrClient]:
    made = ProwlarrClient(prowlarr.url, SecretStr(prowlarr.api_key), timeout=5)
    yield made
    await made.close()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_search_reads_prowlarrs_release_fields(
    client: ProwlarrClient, prowlarr: ProwlarrSimulator
) -> None:
    found = await client.search("final fantasy vii", [CONSOLE])
    titles = [r.title for r in found]
    # the indexers match words as substrings, as trackers do: VIII comes back too
    assert "Final Fantasy VIII (USA) [PSX]" in titles
    assert "Final Fantasy VII (PC) [GOG]" not in titles, "category 4000 is not asked for"
    assert "Final Fantasy VII Remake Intergrade PS4" in titles, "1180 is under 1000"
    first = found[0]
    assert first.title == "Final Fantasy VII (USA) (Disc 1-3) [PSX]"
    assert (first.indexer, first.indexer_id, first.protocol) == ("RetroTracker", 1, "torrent")
    assert (first.seeders, first.leechers, first.age) == (42, 3, 400)
    assert first.size == 1_900 * 1024**2 and first.category_ids == (1000,)
    usenet = next(r for r in found if r.protocol == "usenet")
    assert usenet.grabs == 210 and usenet.seeders is None
    call = prowlarr.calls_to("GET", "/api/v1/search")[-1]
    assert ("type", "search") in call.query and ("categories", "1000") in call.query
    assert not call.key_in_url, "the key goes in the X-Api-Key header only"
    pc = await client.search("final fantasy vii", [PC])
    assert [r.title for r in pc] == ["Final Fantasy VII (PC) [GOG]"]


async def test_grab_sends_a_found_release_to_the_download_client(
    client: ProwlarrClient, prowlarr: ProwlarrSimulator
) -> None:
    found = await client.search("chrono trigger")
    grabbed = await client.grab(found[0].guid, found[0].indexer_id)
    assert grabbed is not None and grabbed.title == "Chrono Trigger (USA) [SNES]"
    assert [g["title"] for g in prowlarr.grabbed] == ["Chrono Trigger (USA) [SNES]"]
    body = prowlarr.calls_to("POST", "/api/v1/search")[-1]
    assert body.status == 200


async def test_refused_grabs_are_sentences(
    client: ProwlarrClient, prowlarr: ProwlarrSimulator
) -> None:
    with pytest.raises(ProwlarrGrabRejected) as unknown:
        await client.grab("https://tracker.example/never-searched", 1)
    assert unknown.value.status == 404
    assert "search indexers again" in unknown.value.user_message
    found = await client.search("super mario 64 ds")
    prowlarr.download_clients[1].enable = False  # no usenet client
    with pytest.raises(ProwlarrGrabRejected) as no_client:
        await client.grab(found[0].guid, found[0].indexer_id)
    assert no_client.value.user_message == (
        "Prowlarr did not send that release to its download client: "
        "No Usenet Download Client is available"
    )
    prowlarr.indexers[1].fails_grabs = True
    prowlarr.download_clients[1].enable = True
    with pytest.raises(ProwlarrGrabRejected) as failing:
        await client.grab(found[0].guid, found[0].indexer_id)
    assert failing.value.status == 409
    assert failing.value.user_message.endswith("Getting release from indexer failed")
    assert prowlarr.grabbed == []


async def test_a_wrong_key_is_401_and_named_without_the_key(
    prowlarr: ProwlarrSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    wrong = "ffffffffffffffffffffffffffffffff"
    client = ProwlarrClient(prowlarr.url, SecretStr(wrong), timeout=5)
    caplog.set_level(logging.DEBUG)
    try:
        with pytest.raises(ProwlarrAuthError) as refused:
            await client.search("zelda")
    finally:
        await client.close()
    assert refused.value.user_message == (
        "Prowlarr refused the bot's API key (401); an admin should check PROWLARR_API_KEY "
        "(Prowlarr: Settings → General → API Key)."
    )
    assert prowlarr.calls[-1].status == 401
    assert wrong not in caplog.text and wrong not in str(refused.value)


async def test_prowlarr_down_is_one_sentence() -> None:
    client = ProwlarrClient(f"http://127.0.0.1:{closed_port()}", SecretStr("k" * 32), timeout=5)
    try:
        with pytest.raises(ProwlarrUnavailable) as down:
            await client.status()
    finally:
        await client.close()
    assert down.value.user_message == (
        "Prowlarr is not reachable (connection refused (nothing listens on that port)); check "
        "that it runs and that PROWLARR_URL points at it."
    )


async def test_the_key_never_reaches_the_log(
    prowlarr: ProwlarrSimulator, client: ProwlarrClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    found = await client.search("final fantasy")
    await client.grab(found[0].guid, found[0].indexer_id)
    prowlarr.grab_error = (500, f"upstream said apikey={prowlarr.api_key} is odd")
    with pytest.raises(ProwlarrGrabRejected) as rejected:
        await client.grab(found[0].guid, found[0].indexer_id)
    assert prowlarr.api_key not in rejected.value.user_message
    assert "apikey=*** is odd" in rejected.value.user_message
    assert caplog.records, "the calls were logged"
    assert prowlarr.api_key not in caplog.text
    assert all(not c.key_in_url for c in prowlarr.calls)


async def test_status_indexers_and_download_clients(client: ProwlarrClient) -> None:
    status = await client.status()
    assert status.app_name == "Prowlarr" and status.version.startswith("1.")
    assert [(i.name, i.enable, i.protocol) for i in await client.indexers()] == [
        ("RetroTracker", True, "torrent"),
        ("NZBGeek", True, "usenet"),
    ]
    assert [c.name for c in await client.download_clients()] == ["qBittorrent", "SABnzbd"]


async def test_a_slow_search_waits_on_the_gate(
    client: ProwlarrClient, prowlarr: ProwlarrSimulator
) -> None:
    prowlarr.gate = asyncio.Event()
    prowlarr.add_release(SimRelease("Gated Game [SNES]", 1, 1024, 1, seeders=1, leechers=0))
    pending = asyncio.create_task(client.search("gated game"))
    await prowlarr.searching.wait()
    assert not pending.done()
    prowlarr.gate.set()
    assert [r.title for r in await pending] == ["Gated Game [SNES]"]
