"""Each command through the real discord.py, as a Discord user sees the answers."""

from __future__ import annotations

from tests.frontends.discord.conftest import Harness, Running, buttons, final, links, selects


async def test_help_is_private_and_lists_only_what_the_member_may_run(
    harness: Harness, bot: Running
) -> None:
    fd = harness.fd
    member = fd.add_member(name="member")
    reply = await (await fd.slash(member.user.id, "help")).wait_reply()
    assert reply.type == 4 and reply.ephemeral
    text = reply.embeds[0]["description"]
    assert "/search game:… [platform:…]" in text and "/refresh" not in text
    admin_reply = await (await fd.slash(fd.owner.id, "help")).wait_reply()
    assert "/refresh" in admin_reply.embeds[0]["description"]


async def test_stats_shows_the_library_numbers_publicly(harness: Harness, bot: Running) -> None:
    fd = harness.fd
    message = await final(await fd.slash(fd.owner.id, "stats"))
    assert not message.ephemeral
    embed = message.embeds[0]
    assert embed["title"] == "Library statistics"
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Platforms"] == "10" and fields["ROMs"] == "60" and fields["Users"] == "3"


async def test_platforms_lists_display_names_with_server_emojis(
    harness: Harness, bot: Running
) -> None:
    fd = harness.fd
    emoji = fd.add_emoji("n64", b"")
    await fd.flush()
    await bot.bot.live.tick()  # type: ignore[union-attr]
    message = await final(await fd.slash(fd.owner.id, "platforms"))
    text = message.embeds[0]["description"]
    assert f"<:n64:{emoji.id}> Nintendo 64 — 8 ROMs" in text
    assert "Super Famicom — 9 ROMs" in text  # the renamed platform, by its display name


async def test_platform_autocomplete_answers_display_names_from_memory(
    harness: Harness, bot: Running
) -> None:
    fd, sim = harness.fd, harness.sim
    fd.add_emoji("snes", b"")
    await fd.flush()
    sim.reset_calls()
    choices = await fd.autocomplete(
        fd.owner.id, "search", {"platform": "super"}, focused="platform"
    )
    assert choices == [{"name": "Super Famicom (9)", "value": "Super Famicom"}]
    choices = await fd.autocomplete(fd.owner.id, "search", {"platform": "ga"}, focused="platform")
    assert [c["value"] for c in choices] == ["Game Boy", "Game Boy Advance", "Game Boy Color"]
    assert sim.calls == []  # no RomM call while typing
    everything = await fd.autocomplete(fd.owner.id, "random", {"platform": ""}, focused="platform")
    assert len(everything) == 10
    assert not any("<:" in c["name"] for c in everything)  # no raw custom-emoji markup


async def test_search_offers_a_pick_list_and_picking_shows_the_game_card(
    harness: Harness, bot: Running
) -> None:
    fd = harness.fd
    rec = await fd.slash(
        fd.owner.id, "search", {"platform": "PlayStation", "game": "final fantasy"}
    )
    listing = await final(rec)
    assert listing.ephemeral and "Found 2 game(s)" in listing.content
    (menu,) = selects(listing)
    assert menu["custom_id"] == "rom" and menu["max_values"] == 1
    labels = {o["label"]: o["value"] for o in menu["options"]}
    assert set(labels) == {"Final Fantasy VII", "Final Fantasy VIII"}

    card = await final(
        await fd.select(fd.owner.id, listing.id, "rom", [labels["Final Fantasy VII"]])
    )
    assert card.ephemeral and card.id != listing.id  # a new message: the list stays usable
    embed = card.embeds[0]
    assert embed["title"] == "Final Fantasy VII"
    assert embed["url"] == "https://romm.example.org/rom/2"
    shown = links(card)
    assert shown["Open in RomM"] == "https://romm.example.org/rom/2"
    assert any(label.startswith("Download all (") for label in shown)
    assert "QR code" not in {b.get("label") for b in buttons(card)}  # no QR flow on PSX


async def test_multi_file_games_offer_a_multi_select_and_a_sized_download_link(
    harness: Harness, bot: Running
) -> None:
    fd = harness.fd
    listing = await final(
        await fd.slash(fd.owner.id, "search", {"platform": "psx", "game": "final fantasy"})
    )
    card = await final(await fd.select(fd.owner.id, listing.id, "rom", ["2"]))
    (menu,) = selects(card)
    assert menu["custom_id"] == "files:2"
    assert menu["min_values"] == 1 and menu["max_values"] == 3, "one choice per disc"
    disc1 = [o["value"] for o in menu["options"] if "(Disc 1)" in o["label"]]
    assert len(disc1) == 1 and all(o.get("description") for o in menu["options"])  # sizes

    chosen = await final(await fd.select(fd.owner.id, card.id, "files:2", disc1))
    assert chosen.ephemeral
    assert chosen.embeds[0]["title"] == "Final Fantasy VII: 2 files as one zip"
    ((label, url),) = links(chosen).items()
    assert label == "Download (689.1 MB)"
    # a personal, signed link to the bot's download gateway, for exactly these two files
    assert url.startswith(bot.app.services.downloads.gateway_base + "/dl/")
    assert url.endswith(".zip")


async def test_random_and_firmware_answer_with_cards(harness: Harness, bot: Running) -> None:
    fd = harness.fd
    card = await final(await fd.slash(fd.owner.id, "random", {"platform": "Nintendo 3DS"}))
    assert card.ephemeral and card.embeds[0]["url"].startswith("https://romm.example.org/rom/")
    assert {f["value"] for f in card.embeds[0]["fields"] if f["name"] == "Platform"} == {
        "Nintendo 3DS"
    }
    firmware = await final(await fd.slash(fd.owner.id, "firmware", {"platform": "psx"}))
    assert firmware.ephemeral
    assert firmware.embeds[0]["title"] == "Firmware for PlayStation"
    assert len(firmware.embeds[0]["fields"]) == 3


async def test_an_unknown_platform_gets_a_short_private_answer(
    harness: Harness, bot: Running
) -> None:
    fd = harness.fd
    rec = await fd.slash(fd.owner.id, "search", {"platform": "Atari Lynx", "game": "x"})
    reply = await rec.wait_reply()
    assert reply.type == 4 and reply.ephemeral
    assert reply.content.startswith("No platform called 'Atari Lynx'")


async def test_a_member_is_denied_an_admin_command(harness: Harness, bot: Running) -> None:
    fd, sim = harness.fd, harness.sim
    member = fd.add_member(name="member")
    sim.reset_calls()
    reply = await (await fd.slash(member.user.id, "refresh")).wait_reply()
    assert reply.ephemeral and reply.content == "/refresh is for admins only."
    assert sim.calls == []  # nothing reached RomM


async def test_admins_come_from_admin_ids_and_admin_roles(harness: Harness) -> None:
    fd = harness.fd
    listed = fd.add_member(name="listed")
    mods = fd.add_role("Mods")
    moderator = fd.add_member(name="moderator", roles=[mods.id])
    await harness.start(admin_ids=[listed.user.id], admin_role_ids=[mods.id])
    for user in (listed.user, moderator.user):
        message = await final(await fd.slash(user.id, "refresh"))
        assert message.ephemeral and message.content.startswith("Refreshed")


async def test_platform_pages_update_in_place(harness: Harness) -> None:
    """A ◀ ▶ pager edits its own message (type 7) instead of posting a new one."""
    from romm_comm.testing.romm_sim import LibrarySpec, RommSimulator

    async with RommSimulator(library=LibrarySpec(roms=40, platforms=30, seed=2)) as big:
        harness.sim = big
        await harness.start()
        fd = harness.fd
        first = await final(await fd.slash(fd.owner.id, "platforms"))
        assert "page 1/2" in first.embeds[0]["footer"]["text"]
        rec = await fd.click(fd.owner.id, first.id, "platforms:2")
        reply = await rec.wait_reply()
        assert reply.type == 7
        page2 = fd.message(first.id)
        assert page2 is not None and "page 2/2" in page2.embeds[0]["footer"]["text"]
        assert [b["custom_id"] for b in buttons(page2)] == ["platforms:1"]
        await harness.close()
