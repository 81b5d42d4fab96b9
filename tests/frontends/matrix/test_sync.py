"""The sync loop: restarts of the bot and of Synapse, old commands, invites, rate limits."""

from __future__ import annotations

import asyncio
import logging

import pytest

from romm_comm.frontends.matrix.bot import NEXT_BATCH_KEY
from tests.frontends.matrix.conftest import World


async def test_a_restart_mid_conversation_keeps_the_list_and_replays_nothing(
    world: World,
) -> None:
    alice, room, first = await world.room_with_bot()
    await alice.answer(room, world.bot_id, "!search psx final fantasy")
    await world.stop(first)
    # said while the bot is away: older than its next start, never executed
    await alice.say(room, "!stats")
    second = await world.start(matrix_rooms=[room])
    stored = await second.app.services.store.get_json(NEXT_BATCH_KEY)
    assert stored
    said = await alice.answer(room, world.bot_id, "1")  # the list from before the restart
    assert said[-1].body.endswith("I sent you a private message.")
    bodies = [m.body for m in alice.messages(room, world.bot_id)]
    assert len(bodies) == 2  # the list and the line about the DM; nothing for !stats


async def test_the_bot_survives_a_synapse_restart(world: World) -> None:
    alice, room, run = await world.room_with_bot()
    await alice.answer(room, world.bot_id, "!platforms")
    await asyncio.to_thread(world.synapse.restart)
    answered = await alice.answer(room, world.bot_id, "!platforms")
    assert "PlayStation" in answered[-1].body
    assert run.bot.app.services.front_ends.state()["matrix"] is True


async def test_an_invite_to_a_room_not_configured_is_refused(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    alice, room, _ = await world.room_with_bot()
    caplog.set_level(logging.INFO, "romm_comm.matrix")
    other = await alice.create_room(world.bot_id)
    await alice.wait_for(
        lambda: any("refused an invite to " + other in r.getMessage() for r in caplog.records),
        what="the refusal in the log",
    )
    await alice.wait_for(
        lambda: world.bot_id not in alice.client.rooms[other].invited_users,
        what="the invite declined",
    )
    assert world.bot_id not in alice.client.rooms[other].users
    # the configured room still works
    await alice.answer(room, world.bot_id, "!platforms")


async def test_a_429_from_synapse_is_waited_out(world: World) -> None:
    admin = world.synapse.register(f"admin{world.tag}", admin=True)
    world.synapse.limit_messages(admin["access_token"], world.bot_id, 1, 1)
    alice, room, run = await world.room_with_bot()
    limited: list[str] = []

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "429" in record.getMessage():
                limited.append(record.getMessage())

    catch = Catch()
    logging.getLogger("nio").addHandler(catch)
    try:
        for _ in range(3):
            await alice.say(room, "!platforms")
        await alice.wait_for(
            lambda: len(alice.messages(room, world.bot_id)) >= 3,
            within=30,
            what="three answers despite the rate limit",
        )
    finally:
        logging.getLogger("nio").removeHandler(catch)
    assert limited, "Synapse never answered 429"
    assert run.bot.handler_errors == []
