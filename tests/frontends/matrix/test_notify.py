"""Notifications and media on Matrix: topic rooms, edits in place, DMs, covers, encryption,
and `romm-comm check`'s Matrix section."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest

from romm_comm.core.cards import Card, Reply
from romm_comm.core.notify import UserRef
from romm_comm.frontends.matrix.check import check_matrix
from tests.fakes.synapse.person import image_url
from tests.frontends.matrix.conftest import FAST, World


async def test_posts_go_to_their_rooms_and_progress_is_edited_in_place(world: World) -> None:
    alice = await world.person("alice")
    room = await alice.create_room(world.bot_id)
    scans = await alice.create_room(world.bot_id)
    run = await world.start(matrix_rooms=[room], matrix_scans_room=scans)
    notifications = run.app.services.notifications
    (ref,) = await notifications.post("scans", Reply(cards=(Card("Scan", text="10%"),)))
    assert ref.channel_id == scans
    assert await notifications.edit(ref, Reply(cards=(Card("Scan", text="100%"),)))
    edit = await alice.wait_for(
        lambda: [
            m
            for m in alice.messages(scans, world.bot_id)
            if m.source["content"].get("m.relates_to", {}).get("rel_type") == "m.replace"
        ],
        what="the edit",
    )
    content = edit[0].source["content"]
    assert content["m.relates_to"]["event_id"] == ref.message_id
    assert "100%" in content["m.new_content"]["body"]
    assert await notifications.post("recent_roms", Reply(text="x")) == []  # no room for it


async def test_a_direct_notice_reaches_the_person_in_a_private_room(world: World) -> None:
    alice, room, run = await world.room_with_bot()
    delivered = await run.app.services.notifications.direct(
        UserRef("matrix", alice.user_id), Reply.notice("Your request is in the library.")
    )
    assert delivered
    dm = await alice.wait_for(
        lambda: [
            r
            for r, m in alice.seen
            if m.sender == world.bot_id and "request is in the library" in m.body
        ],
        what="the DM",
    )
    assert dm[0] != room
    # reused the next time, and listed in the bot's m.direct
    assert await run.bot.dms.room_for(alice.user_id) == dm[0]
    direct = await run.bot.dms._direct()
    assert direct[alice.user_id] == [dm[0]]


async def test_a_game_card_brings_its_cover_uploaded_to_the_media_repository(
    world: World,
) -> None:
    alice, room, run = await world.room_with_bot()
    dm = await world.first_final_fantasy(alice, room, run)
    images = await alice.wait_for(lambda: alice.images(dm, world.bot_id), what="the cover")
    content = images[0].source["content"]
    assert "url" not in content  # the direct room is encrypted: so is the image
    assert image_url(images[0]).startswith("mxc://localhost/")  # uploaded, not a link to RomM
    assert content["info"]["mimetype"].startswith("image/")
    assert (await alice.image_bytes(images[0]))[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"RIFF")

    # the same card again: the uploaded cover is reused, RomM is not asked for it again
    await alice.answer(room, world.bot_id, "!search psx final fantasy")
    await alice.answer(room, world.bot_id, "1")
    again = await alice.wait_for(
        lambda: len(found := alice.images(dm, world.bot_id)) >= 2 and found,
        what="the second cover",
    )
    assert image_url(again[1]) == image_url(images[0])
    covers = [c for c in world.sim.calls if c.path.startswith("/assets/") and "/cover/" in c.path]
    assert len(covers) == 1


async def test_without_e2e_an_encrypted_room_is_named_once_in_the_log(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    alice = await world.person("alice")
    response = await alice.client.room_create(
        invite=[world.bot_id],
        initial_state=[
            {
                "type": "m.room.encryption",
                "state_key": "",
                "content": {"algorithm": "m.megolm.v1.aes-sha2"},
            }
        ],
    )
    room = response.room_id
    caplog.set_level(logging.WARNING, "romm_comm.matrix")
    run = await world.start(replace(FAST, encryption=False), matrix_rooms=[room])
    await alice.wait_for(
        lambda: room in run.bot.client.rooms and run.bot.client.rooms[room].encrypted,
        what="the bot in the encrypted room",
    )
    run.bot._warn_encrypted(run.bot.client.rooms[room])
    run.bot._warn_encrypted(run.bot.client.rooms[room])
    lines = [r.getMessage() for r in caplog.records if "is encrypted" in r.getMessage()]
    assert len(lines) == 1 and room in lines[0]
    findings = await check_matrix(run.app.matrix, encryption=False)
    assert any(f.level == "problem" and "encrypted" in f.text for f in findings)


async def test_check_names_the_server_the_user_and_the_rooms(world: World) -> None:
    alice = await world.person("alice")
    room = await alice.create_room(world.bot_id)
    run = await world.start(matrix_rooms=[room, "#nowhere:localhost"], matrix_admin_power_level=50)
    texts = [f"{f.level}: {f.text}" for f in await check_matrix(run.app.matrix)]
    assert texts[0].startswith("ok: the homeserver answers (versions")
    assert f"ok: signed in as {world.bot_id}" in texts
    assert f"ok: {room}: joined" in texts
    assert "problem: #nowhere:localhost: no such room alias" in texts
    assert any(t.startswith(f"note: {room}: the bot's power level is 0") for t in texts)
    for text in texts:
        assert world.bot_user["access_token"] not in text
