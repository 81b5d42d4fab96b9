"""`romm-comm check` has a Prowlarr section: reachable, version, key valid, indexers and
download clients enabled; the key is masked and never printed."""

from __future__ import annotations

import io
import socket

from pydantic import SecretStr

from romm_comm.app.settings import Settings
from romm_comm.cli.check import run_check
from romm_comm.testing.prowlarr_sim import VERSION, ProwlarrSimulator
from romm_comm.testing.romm_sim import RommSimulator


async def check(sim: RommSimulator, **values: object) -> tuple[int, str]:
    assert sim.admin_token
    settings = Settings(  # type: ignore[arg-type]
        _env_file=None,
        romm_url=sim.url,
        romm_api_token=SecretStr(sim.admin_token),
        romm_public_url="https://romm.example.org",
        **values,
    )
    out = io.StringIO()
    code = await run_check(settings, out)
    return code, out.getvalue()


def section(text: str) -> str:
    return text.split("\nProwlarr\n", 1)[1].split("\n\n", 1)[0]


async def test_a_working_prowlarr(sim: RommSimulator) -> None:
    async with ProwlarrSimulator() as prowlarr:
        code, text = await check(
            sim, prowlarr_url=prowlarr.url, prowlarr_api_key=SecretStr(prowlarr.api_key)
        )
    assert code == 0, text
    assert section(text).splitlines() == [
        f"  ✓ reachable at {prowlarr.url}, Prowlarr {VERSION}; API key valid",
        "  ✓ 2 indexer(s) enabled: RetroTracker, NZBGeek",
        "  ✓ 2 download client(s) enabled: qBittorrent (torrent), SABnzbd (usenet)",
    ]
    assert prowlarr.api_key not in text and "PROWLARR_API_KEY = " in text


async def test_what_is_wrong_with_prowlarr_is_named(sim: RommSimulator) -> None:
    async with ProwlarrSimulator() as prowlarr:
        wrong = "f" * 32
        code, text = await check(sim, prowlarr_url=prowlarr.url, prowlarr_api_key=wrong)
        assert code == 1 and wrong not in text
        assert "  ✗ Prowlarr refused the bot's API key (401)" in section(text)
        for indexer in prowlarr.indexers:
            indexer.enable = False
        prowlarr.download_clients = [prowlarr.download_clients[0]]
        prowlarr.download_clients[0].enable = False
        code, text = await check(sim, prowlarr_url=prowlarr.url, prowlarr_api_key=prowlarr.api_key)
    assert code == 1
    lines = section(text).splitlines()
    assert "  ✗ no enabled indexers: Search indexers will find nothing" in lines
    assert (
        "  ✗ no enabled download client in Prowlarr: grabs will be refused "
        "(Prowlarr: Settings → Download Clients)"
    ) in lines
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, text = await check(
        sim, prowlarr_url=f"http://127.0.0.1:{port}", prowlarr_api_key="k" * 32
    )
    assert code == 1
    assert "Prowlarr is not reachable (connection refused" in section(text)
    code, text = await check(sim, prowlarr_url=f"http://127.0.0.1:{port}")
    assert "  ✗ PROWLARR_API_KEY is not set: both are needed for Search indexers" in text
    code, text = await check(sim)
    assert "\nProwlarr\n" not in text, "no section when Prowlarr is not set up"
