"""/popular, /recent_downloads, /feeds, QR codes and play links, as a person sees them."""

from __future__ import annotations

from pathlib import Path

import aiohttp

from romm_comm.app.root import App
from romm_comm.core.commands import Caller
from romm_comm.features.context import Context
from romm_comm.features.downloads.links import LinkSigner, load_secret
from romm_comm.features.downloads.qr_image import render_png
from romm_comm.testing.romm_sim import RommSimulator
from tests.conftest import settings_for

MARIO = "Super Mario 64 (USA).z64"
ZELDA = "The Legend of Zelda - A Link to the Past (USA).sfc"
CIA = "Animal Crossing - New Leaf (USA).cia"


def rom_id(sim: RommSimulator, fs_name: str) -> int:
    return next(r.id for r in sim.library.roms.values() if r.fs_name == fs_name)


async def download(app: App, sim: RommSimulator, fs_name: str, user: str, name: str) -> str:
    """Make a link for `user` and download through it; the link is returned."""
    links = await app.services.downloads.links_for(user, name)
    url = links.rom(await app.services.catalog.rom(rom_id(sim, fs_name), admin=True))
    assert url is not None
    await fetch(app, url)
    return url


async def fetch(app: App, url: str) -> None:
    async with aiohttp.ClientSession() as http, http.get(url) as resp:
        assert resp.status == 200
        await resp.read()
    await app.web.gateway.settle()  # type: ignore[union-attr]


async def test_popular_counts_people_and_downloads_in_a_window(
    app: App, sim: RommSimulator, member_ctx: Context
) -> None:
    empty = await app.registry.run(member_ctx, "popular", {})
    assert empty.text == "No downloads through the bot in the last 30 days."
    await download(app, sim, MARIO, "discord:1", "alice")
    bobs = await download(app, sim, MARIO, "discord:2", "bob")
    await fetch(app, bobs)  # the same link again: one download
    await download(app, sim, ZELDA, "discord:1", "alice")
    async with app.services.store.transaction() as conn:  # a download from long ago
        await conn.execute(
            "UPDATE downloads SET started_at = '2020-01-01T00:00:00.000Z' WHERE rom_id = ?",
            (rom_id(sim, ZELDA),),
        )
    reply = await app.registry.run(member_ctx, "popular", {})
    card = reply.cards[0]
    assert card.title == "Most downloaded games, last 30 days"
    assert card.text == "1. Super Mario 64 (Nintendo 64) — 2 times, by 2 people"
    assert reply.picker is not None and reply.picker.action == "rom"
    assert [c.value for c in reply.picker.choices] == [str(rom_id(sim, MARIO))]
    longer = await app.registry.run(member_ctx, "popular", {"days": "3650"})
    assert longer.cards[0].text.splitlines()[1].startswith("2. The Legend of Zelda")
    bad = await app.registry.run(member_ctx, "popular", {"days": "0"})
    assert bad.tone == "error" and "at least 1" in bad.text


async def test_recent_downloads_show_people_only_to_admins(
    app: App, sim: RommSimulator, member_ctx: Context, admin_ctx: Context
) -> None:
    await download(app, sim, MARIO, "discord:1", "alice")
    member = await app.registry.run(member_ctx, "recent_downloads", {})
    assert member.private
    line = member.cards[0].text
    assert line.startswith("Super Mario 64 (Nintendo 64) · just now") and "alice" not in line
    admin = await app.registry.run(admin_ctx, "recent_downloads", {})
    assert "· alice ·" in admin.cards[0].text and admin.cards[0].text.endswith("✓")


async def test_feeds_are_offered_for_present_platforms_without_passwords(
    sim: RommSimulator, tmp_path: Path
) -> None:
    settings = settings_for(sim, tmp_path, romm_api_token=None, romm_username="admin",
                            romm_password=sim.admin_password)  # fmt: skip
    app = await App.create(settings)
    await app.start()
    try:
        ctx = Context(Caller("100", "member", "test"), app.services)
        overview = await app.registry.run(ctx, "feeds", {})
        assert overview.text == "Feeds for this library: switch, vita, ds."
        listed = overview.cards[0].text
        assert "• `switch`: Tinfoil on Nintendo Switch\n" in listed
        assert "• `ps4`: fpkgi on PS4 — no PS4 games in this library" in listed
        missing = await app.registry.run(ctx, "feeds", {"device": "ps4"})
        assert missing.text == (
            "This library has no PS4 games, so there is no fpkgi feed to connect to."
        )
        tinfoil = await app.registry.run(ctx, "feeds", {"device": "switch"})
        text = tinfoil.cards[0].text
        assert "Host: romm.example.org · Port: 443" in text
        assert "Path: /api/feeds/tinfoil" in text
        assert "Username: your RomM username" in text
        assert "installs fail with 401" in text and tinfoil.private

        async def linked(user: str) -> str | None:  # stand-in for linked accounts (issue 7)
            return "alice" if user == "test:100" else None

        app.services.downloads.romm_username = linked
        vita = await app.registry.run(ctx, "feeds", {"device": "vita"})
        text = vita.cards[0].text
        assert "`url_games https://romm.example.org/api/feeds/pkgj/psvita/games`" in text
        assert "url_psx_games" in text and "url_psp_games" not in text
        assert "use alice and your RomM password (type it on the device only" in text
        for reply in (overview, tinfoil, vita):
            shown = reply.text + "".join(c.text for c in reply.cards)
            assert sim.admin_password not in shown, "the bot's own password never shows"
    finally:
        await app.close()


async def test_feed_warnings_follow_what_romm_allows(
    app: App, sim: RommSimulator, member_ctx: Context
) -> None:
    sim.disable_download_auth = True
    tinfoil = await app.registry.run(member_ctx, "feeds", {"device": "switch"})
    assert "⚠" not in tinfoil.cards[0].text and tinfoil.tone == "info"


async def test_play_link_per_platform_and_emulatorjs_flag(
    sim: RommSimulator, tmp_path: Path
) -> None:
    for disabled in (False, True):
        sim.emulator_js_disabled = disabled
        app = await App.create(settings_for(sim, tmp_path / str(disabled)))
        await app.start()
        try:
            ctx = Context(Caller("100", "member", "test"), app.services)
            mario = await app.registry.act(ctx, "rom", [str(rom_id(sim, MARIO))])
            cia = await app.registry.act(ctx, "rom", [str(rom_id(sim, CIA))])
            play = {link.label: link.url for link in mario.links}.get("Play in browser")
            if disabled:
                assert play is None
            else:
                assert play == f"https://romm.example.org/rom/{rom_id(sim, MARIO)}/ejs"
            assert "Play in browser" not in {link.label for link in cia.links}
        finally:
            await app.close()


async def test_qr_codes_encode_the_persons_gateway_link(
    app: App, sim: RommSimulator, member_ctx: Context, tmp_path: Path
) -> None:
    downloads = app.services.downloads
    downloads.signer = LinkSigner(load_secret(None, tmp_path), 3600, clock=lambda: 1.9e9)
    card = await app.registry.act(member_ctx, "rom", [str(rom_id(sim, CIA))])
    assert [b.action for b in card.buttons] == [f"qr:{rom_id(sim, CIA)}"]
    reply = await app.registry.act(member_ctx, card.buttons[0].action)
    assert reply.private and reply.attachments
    png = reply.attachments[0].data
    links = await downloads.links_for("test:100", "member")
    expected = links.rom(await app.services.catalog.rom(rom_id(sim, CIA), admin=True))
    assert expected is not None and "/dl/" in expected
    assert png == render_png(expected), "the QR code holds the member's own gateway link"
    assert "FBI" in reply.cards[0].text and "expire after 1 h" in reply.cards[0].text

    mario = await app.registry.act(member_ctx, "rom", [str(rom_id(sim, MARIO))])
    assert not mario.buttons, "no QR button where no QR installer exists"
    refused = await app.registry.act(member_ctx, f"qr:{rom_id(sim, MARIO)}")
    assert refused.tone == "error" and "3DS" in refused.text
    three_ds = sim.library.platform_by_slug("3ds")
    assert three_ds is not None
    cart = sim.library.add_rom(three_ds.id, files=[("Cart Dump (USA).3ds", 2048)])
    refused = await app.registry.act(member_ctx, f"qr:{cart['id']}")
    assert refused.tone == "error" and ".3ds file" in refused.text


async def test_feeds_lists_every_device_one_a_line(app: App, member_ctx: Context) -> None:
    from romm_comm.features.downloads.feeds import DEVICES

    reply = await app.registry.run(member_ctx, "feeds", {})
    lines = reply.cards[0].text.splitlines()
    assert [line.split("`")[1] for line in lines] == list(DEVICES)
    assert "ps5" in DEVICES
    ps5 = next(line for line in lines if "`ps5`" in line)
    assert ps5 == "• `ps5`: fpkgi on PS5 — no PS5 games in this library"
