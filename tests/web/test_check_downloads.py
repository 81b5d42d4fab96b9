"""`romm-comm check` says what people will get when they click a download link."""

from __future__ import annotations

import io

from pydantic import SecretStr

from romm_comm.app.settings import Settings
from romm_comm.cli.check import run_check
from romm_comm.testing.romm_sim import RommSimulator


async def check(sim: RommSimulator, **values: object) -> tuple[int, str]:
    assert sim.admin_token
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        romm_url=sim.url,
        romm_api_token=SecretStr(sim.admin_token),
        romm_public_url="https://romm.example.org",
        **values,
    )
    out = io.StringIO()
    code = await run_check(settings, out)
    return code, out.getvalue().split("\nDownloads\n", 1)[1]


async def test_gateway_with_public_url_and_romm_requiring_sign_in(sim: RommSimulator) -> None:
    code, text = await check(
        sim, web_public_url="https://dl.example.org", link_secret=SecretStr("s" * 32)
    )
    assert code == 0, text
    assert (
        "✓ cards carry personal links through the bot at https://dl.example.org, valid 24 h" in text
    )
    assert "✓ a test download from RomM returned the file's bytes" in text
    assert "✓ RomM requires sign-in for downloads; people still download" in text
    assert "s" * 32 not in text


async def test_no_public_url_is_said_plainly(sim: RommSimulator) -> None:
    code, text = await check(sim)
    assert code == 0
    assert (
        "! PUBLIC_URL is not set, so people cannot reach the bot's web server (port 8088)" in text
    )
    assert "cards link straight to RomM" in text
    assert (
        "! RomM requires sign-in for downloads: people who open a card's link must sign in" in text
    )


async def test_romm_backend_without_its_web_server_is_a_problem(sim: RommSimulator) -> None:
    sim.download_mode = "accel"
    code, text = await check(sim, web_public_url="https://dl.example.org")
    assert code == 1
    assert "✗ ROMM_URL" in text and "X-Accel-Redirect" in text and "port 8080" in text


async def test_open_download_endpoints_are_flagged(sim: RommSimulator) -> None:
    sim.disable_download_auth = True
    code, text = await check(sim, download_links="romm")
    assert code == 0
    assert "• DOWNLOAD_LINKS=romm: cards link straight to RomM at https://romm.example.org" in text
    assert (
        "! RomM's DISABLE_DOWNLOAD_ENDPOINT_AUTH is on: anyone who has a RomM download URL" in text
    )
