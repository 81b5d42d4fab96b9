"""What the gateway refuses: forged, expired and re-aimed links, path tricks, floods,
RomM without its web server, disabled accounts — and it never leaks the bot's credentials."""

from __future__ import annotations

import base64
import logging
import time
from pathlib import Path
from urllib.parse import quote

import aiohttp
import pytest
from pydantic import SecretStr
from yarl import URL

from romm_comm.app.root import App
from romm_comm.core.commands import Caller
from romm_comm.features.context import Context
from romm_comm.features.downloads.links import LinkSigner, load_secret
from romm_comm.testing.romm_sim import RommSimulator

from ..conftest import settings_for
from .conftest import only_download_paths, rom_by_fs_name, rom_link, romm_paths, split_link

MARIO = "Super Mario 64 (USA).z64"
ZELDA = "The Legend of Zelda - A Link to the Past (USA).sfc"


async def expect_refused(http: aiohttp.ClientSession, url: str | URL, *, status: int = 403) -> str:
    async with http.get(url) as resp:
        body = await resp.text()
        assert resp.status == status, (url, resp.status, body[:200])
        assert resp.headers["Content-Type"].startswith("text/html")
        assert "Content-Disposition" not in resp.headers
    return body


def reencode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode(token: str) -> bytes:
    return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))


async def test_tampered_expired_and_reaimed_links_get_a_plain_403(
    app: App, sim: RommSimulator, http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    mario = await rom_link(app, rom_by_fs_name(sim, MARIO))
    zelda = await rom_link(app, rom_by_fs_name(sim, ZELDA))
    base, token, name = split_link(mario)
    _zbase, ztoken, zname = split_link(zelda)
    raw = decode(token)
    attempts = [
        f"{base}/dl/{reencode(bytes([raw[0] ^ 1]) + raw[1:])}/{name}",  # version byte
        f"{base}/dl/{reencode(raw[:6] + bytes([raw[6] ^ 1]) + raw[7:])}/{name}",  # the ROM id
        f"{base}/dl/{reencode(raw[:-1] + bytes([raw[-1] ^ 1]))}/{name}",  # the signature
        f"{base}/dl/{token}/{zname}",  # Mario's link aimed at Zelda's file
        f"{base}/dl/{ztoken}/{name}",  # and the other way round
        f"{base}/dl/{token}/{name[:-1]}",  # another name
        f"{base}/dl/{token[:-3]}/{name}",  # truncated
        f"{base}/dl/not-a-token/{name}",
        f"{base}/dl/{'A' * 2000}/{name}",
    ]
    # Another user: same payload with the user swapped, old signature kept.
    user_at = raw.index(b"test:100")
    other_user = raw[:user_at] + b"test:101" + raw[user_at + 8 :]
    attempts.append(f"{base}/dl/{reencode(other_user)}/{name}")
    # Expired: signed with the bot's own secret (kept in the data directory), two days ago.
    secret = load_secret(None, tmp_path)
    assert (tmp_path / "link-secret").stat().st_mode & 0o077 == 0, "the secret file is private"
    past = LinkSigner(secret, 3600, clock=lambda: time.time() - 2 * 86400)
    rom = await app.services.catalog.rom(rom_by_fs_name(sim, MARIO), admin=True)
    expired = past.sign("rom", rom.id, "test:100", rom.fs_name)
    sim.reset_calls()
    for url in attempts:
        body = await expect_refused(http, url)
        assert "not valid" in body
    body = await expect_refused(http, f"{base}/dl/{expired}/{name}")
    assert "expired" in body
    assert romm_paths(sim) == [], "refused links never reach RomM"
    async with http.get(mario) as ok:
        assert ok.status == 200, "the genuine link still works"


@pytest.mark.parametrize(
    "tail",
    [
        "{token}/..%2F..%2Fapi%2Fusers",
        "{token}/%2e%2e",
        "{token}/..",
        "{token}/name/../../../api/users",
        "{token}/%2e%2e%2f%2e%2e%2fapi%2fusers%2fme",
        "{token}",
        "%2e%2e/%2e%2e/api/users",
        "../api/users",
        "{token}/{name}/extra",
        "{token}/a%00b",
    ],
)
async def test_path_tricks_never_reach_another_romm_path(
    app: App, sim: RommSimulator, http: aiohttp.ClientSession, tail: str
) -> None:
    link = await rom_link(app, rom_by_fs_name(sim, MARIO))
    base, token, name = split_link(link)
    raw = f"{base}/dl/" + tail.format(token=token, name=name)
    sim.reset_calls()
    async with http.get(URL(raw, encoded=True)) as resp:
        assert resp.status in (403, 404), raw
    assert romm_paths(sim) == []


async def test_direct_romm_paths_and_query_injection_are_not_proxied(
    app: App, sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    link = await rom_link(app, rom_by_fs_name(sim, MARIO))
    base = split_link(link)[0]
    sim.reset_calls()
    for path in ("/api/users", "/api/roms/1/content/x", "/api/roms/abc/content/x", "/romm/x"):
        async with http.get(base + path) as resp:
            assert resp.status == 404
    async with http.get(link + "?file_ids=1,2,3&hidden_folder=true") as resp:
        assert resp.status == 200
        await resp.read()
    assert only_download_paths(sim) and len(romm_paths(sim)) == 1
    assert sim.calls[-1].query == "", "the person's query string never goes to RomM"


async def test_rate_limit_answers_429_with_retry_after(
    sim: RommSimulator, tmp_path: Path, http: aiohttp.ClientSession
) -> None:
    settings = settings_for(sim, tmp_path, download_rate_limit=6, download_burst=3,
                            web_trust_forwarded=True)  # fmt: skip
    app = await App.create(settings)
    await app.start()
    try:
        link = await rom_link(app, rom_by_fs_name(sim, MARIO))
        base, _token, name = split_link(link)
        statuses = []
        for _ in range(4):
            async with http.head(link, headers={"X-Forwarded-For": "203.0.113.7"}) as resp:
                statuses.append(resp.status)
                retry = resp.headers.get("Retry-After")
        assert statuses == [200, 200, 200, 429]
        assert retry is not None and 1 <= int(retry) <= 10
        # Forged links are counted too, so guessing is slow.
        for _ in range(3):
            async with http.get(f"{base}/dl/x/{name}", headers={"X-Forwarded-For": "198.51.100.9"}):
                pass
        async with http.get(link, headers={"X-Forwarded-For": "198.51.100.9"}) as resp:
            assert resp.status == 429
        # One person cannot get around the limit by changing address.
        async with http.head(link, headers={"X-Forwarded-For": "192.0.2.1"}) as resp:
            assert resp.status == 429, "the same user's bucket is empty"

        # A download that started goes on: clients fetching in chunks send many ranges.
        chunked = await rom_link(app, rom_by_fs_name(sim, ZELDA), user=("test", "55", "x"))
        never = await rom_link(app, rom_by_fs_name(sim, MARIO), user=("test", "55", "x"))
        here = {"X-Forwarded-For": "192.0.2.50"}
        async with http.get(chunked, headers=here) as resp:
            assert resp.status == 200
            await resp.read()
        for offset in range(1, 21):
            headers = {**here, "Range": f"bytes={offset * 100}-{offset * 100 + 99}"}
            async with http.get(chunked, headers=headers) as resp:
                assert resp.status == 206 and len(await resp.read()) == 100
        for _ in range(2):  # new downloads use up the rest of this person's bucket
            async with http.head(chunked, headers=here) as resp:
                assert resp.status == 200
        async with http.get(never, headers={**here, "Range": "bytes=100-199"}) as resp:
            assert resp.status == 429, "a range on a link that never started is a new download"
        async with http.get(chunked, headers={**here, "Range": "bytes=100-199"}) as resp:
            assert resp.status == 206, "the started one still goes on"
    finally:
        await app.close()


async def test_romm_without_its_web_server_gives_a_clear_502(
    app: App, sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    sim.download_mode = "accel"
    link = await rom_link(app, rom_by_fs_name(sim, MARIO))
    async with http.get(link) as resp:
        body = await resp.text()
        assert resp.status == 502
        assert "X-Accel-Redirect" not in resp.headers
    assert "ROMM_URL" in body and "web server" in body
    assert "/library/" not in body, "RomM's internal paths stay inside"


async def test_a_web_server_without_the_zip_module_is_named_not_mistaken_for_the_backend(
    app: App, sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    """RomM behind an nginx without mod_zip: "Download all" gets the file list, not a zip."""
    sim.download_mode = "nozip"
    psx = sim.library.platform_by_slug("psx")
    assert psx is not None
    rom_id = int(
        sim.library.add_rom(psx.id, fs_name="Two Discs", files=[("D1.bin", 300), ("D2.bin", 200)])[
            "id"
        ]
    )
    async with http.get(await rom_link(app, rom_id)) as resp:
        body = await resp.text()
        assert resp.status == 502
        assert "X-Archive-Files" not in resp.headers
    assert "zip module" in body and "mod_zip" in body
    assert "backend directly" not in body, "ROMM_URL is the web address: not blamed"
    assert "/library/" not in body
    single = await rom_link(app, rom_by_fs_name(sim, MARIO))
    async with http.get(single) as resp:
        assert resp.status == 200, "single files still download"


async def test_the_bots_credentials_never_reach_the_person(
    app: App, sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    assert sim.admin_token
    secret = sim.admin_token.encode()
    link = await rom_link(app, rom_by_fs_name(sim, MARIO))
    base, token, _name = split_link(link)
    seen: list[tuple[int, str, bytes]] = []

    async def fetch(url: str, **headers: str) -> None:
        async with http.get(url, headers=headers) as resp:
            body = await resp.read()
            seen.append((resp.status, str(dict(resp.headers)), body))

    await fetch(link)
    await fetch(link, Range="bytes=5-9")
    await fetch(link, Range="bytes=999999999-")
    await fetch(f"{base}/dl/{token}/x")
    sim.faults.fail("/api/roms", 401)  # RomM stops accepting the bot's token
    await fetch(link)
    sim.faults.clear()
    sim.download_mode = "accel"
    await fetch(link)
    assert sorted({s for s, _h, _b in seen}) == [200, 206, 403, 416, 502]
    for _status, headers, body in seen:
        lowered = headers.lower()
        for banned in ("authorization", "www-authenticate", "set-cookie", "x-accel", "bearer"):
            assert banned not in lowered
        assert secret not in body and secret.decode() not in headers
        assert b"rmm_" not in body and "rmm_" not in headers


async def test_a_disabled_romm_account_gets_no_links_and_old_ones_stop(
    app: App, sim: RommSimulator, http: aiohttp.ClientSession, member_ctx: Context
) -> None:
    link = await rom_link(app, rom_by_fs_name(sim, MARIO))
    disabled = {"test:100"}

    async def allowed(user: str) -> bool:  # stand-in for the accounts feature (issue 7)
        return user not in disabled

    app.services.downloads.user_allowed = allowed
    reply = await app.registry.act(member_ctx, "rom", [str(rom_by_fs_name(sim, MARIO))])
    assert not any(link.label.startswith("Download") for link in reply.links)
    assert "RomM account is disabled" in reply.text
    firmware = await app.registry.run(member_ctx, "firmware", {"platform": "psx"})
    assert "/dl/" not in str(firmware.cards) and "disabled" in firmware.text
    body = await expect_refused(http, link)
    assert "disabled" in body
    other = Context(Caller("7", "someone", "test"), app.services)
    ok = await app.registry.act(other, "rom", [str(rom_by_fs_name(sim, MARIO))])
    assert any("/dl/" in link.url for link in ok.links)


async def test_direct_romm_links_when_asked_or_when_nobody_could_reach_the_bot(
    sim: RommSimulator, tmp_path: Path
) -> None:
    mario = rom_by_fs_name(sim, MARIO)
    direct = f"https://romm.example.org/api/roms/{mario}/content/{quote(MARIO, safe='')}"
    for extra in ({"download_links": "romm"}, {"web_enabled": False}):
        app = await App.create(settings_for(sim, tmp_path / next(iter(extra)), **extra))
        await app.start()
        try:
            ctx = Context(Caller("100", "member", "test"), app.services)
            reply = await app.registry.act(ctx, "rom", [str(mario)])
            url = next(link.url for link in reply.links if link.label.startswith("Download"))
            assert url == direct
            downloads = app.services.downloads
            assert downloads.mode == "romm"
            if "web_enabled" not in extra:
                assert downloads.direct_reason is None, "the admin's choice, nothing to fix"
                continue
            assert "WEB_ENABLED" in (downloads.direct_reason or "")
            # Listening on every interface without PUBLIC_URL: the address people use is
            # unknown, so links stay direct; with PUBLIC_URL they go through the bot.
            downloads.gateway_started("0.0.0.0", 8088)
            assert downloads.mode == "romm"
            assert "PUBLIC_URL is not set" in (downloads.direct_reason or "")
            downloads.public_url = "https://dl.example.org"
            downloads.gateway_started("0.0.0.0", 8088)
            links = await downloads.links_for("test:100", "member")
            url = links.rom(await app.services.client.rom(mario)) or ""
            assert url.startswith("https://dl.example.org/dl/")
        finally:
            await app.close()


async def test_no_secret_or_link_token_in_the_logs(
    sim: RommSimulator,
    tmp_path: Path,
    http: aiohttp.ClientSession,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "a-long-link-secret-for-this-test"
    app = await App.create(settings_for(sim, tmp_path, link_secret=SecretStr(secret)))
    await app.start()
    try:
        link = await rom_link(app, rom_by_fs_name(sim, MARIO))
        base, token, name = split_link(link)
        async with http.get(link) as resp:
            await resp.read()
        await expect_refused(http, f"{base}/dl/{token[:-2]}xx/{name}")
        sim.download_mode = "accel"
        async with http.get(link) as resp:
            assert resp.status == 502
        await app.web.gateway.settle()  # type: ignore[union-attr]
    finally:
        await app.close()
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert "download " in logged and "X-Accel-Redirect" in logged, "downloads are logged"
    assert sim.admin_token and sim.admin_token not in logged
    for hidden in (secret, token, token[:20]):
        assert hidden not in logged
