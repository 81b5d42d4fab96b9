"""End-to-end encryption against the real Synapse: people on matrix-nio clients with their own
keys write in encrypted rooms; the bot decrypts, answers encrypted (what Synapse stores is
`m.room.encrypted`, never the text), opens encrypted direct rooms and keeps its keys private
in the data directory. Also: people may open a direct room with the bot; aliases in
MATRIX_ROOMS."""

from __future__ import annotations

import json
import logging
import stat
from typing import Any

import pytest
from nio import RoomCreateResponse, RoomPreset

from romm_comm.frontends.matrix.check import check_matrix
from romm_comm.frontends.matrix.e2e import STORE_FOLDER
from tests.fakes.synapse.person import Person
from tests.frontends.matrix.conftest import World


def stored_event(world: World, person: Person, room_id: str, event_id: str) -> Any:
    return world.synapse.stored_event(room_id, event_id, person.client.access_token)


async def test_a_command_in_an_encrypted_room_gets_an_encrypted_answer(world: World) -> None:
    alice = await world.person("alice")
    room = await alice.create_room(world.bot_id, encrypted=True)
    await world.start(matrix_rooms=[room])
    (answer,) = await alice.answer(room, world.bot_id, "!help")
    assert answer.decrypted  # alice's client decrypted it
    assert "!search" in answer.body
    assert "<" in answer.source["content"]["formatted_body"]
    stored = stored_event(world, alice, room, answer.event_id)
    assert stored["type"] == "m.room.encrypted"
    assert "search" not in json.dumps(stored["content"])


async def test_private_answers_go_to_an_encrypted_direct_room(world: World) -> None:
    alice = await world.person("alice")
    room = await alice.create_room(world.bot_id, encrypted=True)
    run = await world.start(matrix_rooms=[room])
    dm = await world.first_final_fantasy(alice, room, run)
    card = await alice.wait_for(
        lambda: [m for m in alice.messages(dm, world.bot_id) if "/dl/" in m.body],
        what="the card with its links in the direct room",
    )
    assert alice.client.rooms[dm].encrypted
    assert card[0].decrypted
    assert stored_event(world, alice, dm, card[0].event_id)["type"] == "m.room.encrypted"
    cover = await alice.wait_for(lambda: alice.images(dm, world.bot_id), what="the cover")
    assert "file" in cover[0].source["content"] and "url" not in cover[0].source["content"]
    assert (await alice.image_bytes(cover[0]))[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"RIFF")
    for message in alice.messages(room, world.bot_id):
        assert "/dl/" not in message.body and "://" not in message.body


async def test_the_keys_are_private_in_the_data_directory_and_outlive_a_restart(
    world: World,
) -> None:
    alice = await world.person("alice")
    room = await alice.create_room(world.bot_id, encrypted=True)
    run = await world.start(matrix_rooms=[room])
    await alice.answer(room, world.bot_id, "!stats")
    device = run.bot.client.device_id
    await world.stop(run)
    folder = world.data_dir / STORE_FOLDER
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    files = [p for p in folder.iterdir() if p.is_file()]
    assert files and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in files)
    again = await world.start(matrix_rooms=[room])
    assert again.bot.client.device_id == device
    (answer,) = await alice.answer(room, world.bot_id, "!help")
    assert answer.decrypted and "!search" in answer.body


async def test_check_says_encryption_is_on_for_an_encrypted_room(world: World) -> None:
    alice = await world.person("alice")
    room = await alice.create_room(world.bot_id, encrypted=True)
    run = await world.start(matrix_rooms=[room])
    texts = [f"{f.level}: {f.text}" for f in await check_matrix(run.app.matrix)]
    assert "ok: end-to-end encryption is available (encrypted rooms work)" in texts
    assert f"ok: {room} is encrypted (end-to-end encryption is on)" in texts
    assert not [t for t in texts if t.startswith("problem")]


async def test_a_member_can_open_an_encrypted_direct_room_with_the_bot(world: World) -> None:
    alice, _, run = await world.room_with_bot()
    dm = await alice.create_room(world.bot_id, encrypted=True, direct=True)
    await alice.wait_for(lambda: dm in run.bot.dm_rooms, what="the bot in alice's direct room")
    (answer,) = await alice.answer(dm, world.bot_id, "!help")
    assert answer.decrypted and "!search" in answer.body
    direct = await run.bot.dms._direct()
    assert dm in direct[alice.user_id]
    # and private answers for alice go there from now on
    assert await run.bot.dms.room_for(alice.user_id) == dm


async def test_a_stranger_cannot_open_a_direct_room_with_the_bot(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    _, _, run = await world.room_with_bot()
    stranger = await world.person("mallory")
    caplog.set_level(logging.INFO, "romm_comm.matrix")
    dm = await stranger.create_room(world.bot_id, direct=True)
    await stranger.wait_for(
        lambda: any(
            f"refused an invite to {dm} from {stranger.user_id}" in r.getMessage()
            for r in caplog.records
        ),
        what="the refusal in the log",
    )
    await stranger.wait_for(
        lambda: world.bot_id not in stranger.client.rooms[dm].invited_users,
        what="the invite declined",
    )
    assert world.bot_id not in stranger.client.rooms[dm].users
    assert dm not in run.bot.dm_rooms


async def test_a_room_given_by_its_alias_is_joined_and_answered_in(world: World) -> None:
    alice = await world.person("alice")
    name = f"games{world.tag}"
    # a public room, no invite: the bot finds it by its alias alone and joins
    response = await alice.client.room_create(alias=name, preset=RoomPreset.public_chat)
    assert isinstance(response, RoomCreateResponse), response
    room = response.room_id
    run = await world.start(matrix_rooms=[f"#{name}:localhost"])
    assert room in run.bot.rooms
    await alice.wait_for(
        lambda: (
            world.bot_id in alice.client.rooms[room].users
            and world.bot_id not in alice.client.rooms[room].invited_users
        ),
        what="the bot joined",
    )
    (answer,) = await alice.answer(room, world.bot_id, "!platforms")
    assert answer.body
