"""Signing in with a password, QR codes as images, and a sync loop that outlives errors."""

from __future__ import annotations

import json
import re
from typing import Any

from nio import MatrixRoom, RoomMessageText
from pydantic import SecretStr

from romm_comm.frontends.matrix.session import SESSION_FILE
from tests.fakes.synapse.person import image_url
from tests.frontends.matrix.conftest import World


async def test_a_password_login_keeps_its_device_across_restarts(world: World) -> None:
    alice = await world.person("alice")
    room = await alice.create_room(world.bot_id)
    password = {
        "matrix_access_token": None,
        "matrix_password": SecretStr(world.bot_user["password"]),
        "matrix_rooms": [room],
    }
    first = await world.start(**password)
    device = first.bot.client.device_id
    await world.stop(first)
    saved = json.loads((world.data_dir / SESSION_FILE).read_text())
    assert saved["device_id"] == device and saved["user_id"] == world.bot_id
    assert (world.data_dir / SESSION_FILE).stat().st_mode & 0o077 == 0
    second = await world.start(**password)
    assert second.bot.client.device_id == device
    await alice.answer(room, world.bot_id, "!platforms")


async def test_a_qr_code_comes_as_an_image_in_the_dm(world: World) -> None:
    alice, room, run = await world.room_with_bot()
    await alice.answer(room, world.bot_id, '!random platform:"Nintendo 3DS"')
    dm = next(iter(run.bot.dm_rooms))
    card = await alice.wait_for(
        lambda: [m for m in alice.messages(dm, world.bot_id) if "QR code" in m.body],
        what="the 3DS card with its QR button",
    )
    button = re.search(r"\[(b\d+)\] QR code", card[0].body)
    assert button, card[0].body
    await alice.say(dm, button.group(1))
    images = await alice.wait_for(
        lambda: [
            m
            for m in alice.images(dm, world.bot_id)
            if m.body.lower().endswith(".png") and "qr" in m.body.lower()
        ],
        what="the QR code image",
    )
    assert image_url(images[0]).startswith("mxc://")
    assert (await alice.image_bytes(images[0])).startswith(b"\x89PNG")
    assert not alice.images(room, world.bot_id)


async def test_an_exception_in_a_callback_does_not_end_the_sync(world: World) -> None:
    alice, room, run = await world.room_with_bot()

    async def broken(room_: MatrixRoom, event: Any) -> None:
        if event.body == "boom":
            raise RuntimeError("a broken callback")

    run.bot.client.add_event_callback(broken, RoomMessageText)
    await alice.say(room, "boom")
    await alice.wait_for(lambda: run.bot.handler_errors, what="the error recorded")
    answered = await alice.answer(room, world.bot_id, "!platforms")
    assert "PlayStation" in answered[-1].body
    assert [str(e) for e in run.bot.handler_errors] == ["a broken callback"]
    run.bot.handler_errors.clear()
