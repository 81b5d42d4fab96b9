"""A request made on Matrix is answered on Matrix: its fulfilment reaches the requester's DM."""

from __future__ import annotations

from romm_comm.testing.igdb_sim import IgdbSimulator
from tests.features.requests.conftest import igdb, igdb_settings, platform_id, service
from tests.frontends.matrix.conftest import World

__all__ = ["igdb"]  # the IGDB simulator fixture


async def test_a_matrix_request_is_fulfilled_by_a_dm_on_matrix(
    world: World, igdb: IgdbSimulator
) -> None:
    alice = await world.person("alice")
    room = await alice.create_room(world.bot_id)
    log_room = await alice.create_room(world.bot_id)
    run = await world.start(matrix_rooms=[room], matrix_log_room=log_room, **igdb_settings(igdb))
    # the IGDB choices carry links (covers, pages): they come privately, and so on
    (said,) = await alice.answer(
        room, world.bot_id, '!request platform:PlayStation game:"final fantasy ix"'
    )
    assert said.body.endswith("I sent you a private message.")
    dm = next(iter(run.bot.dm_rooms))

    def in_dm(text: str) -> bool:
        return any(text in m.body for m in alice.messages(dm, world.bot_id))

    await alice.wait_for(lambda: in_dm("Which game do you mean by 'final fantasy ix'?"))
    await alice.say(dm, "1")
    await alice.wait_for(lambda: in_dm("[b1]"), what="the request card")
    await alice.say(dm, "b1")
    await alice.wait_for(lambda: in_dm("Request #1 Final Fantasy IX"), what="the request sent")
    await alice.wait_for(
        lambda: any("New request #1" in m.body for m in alice.messages(log_room, world.bot_id)),
        what="the admin log notice",
    )
    world.sim.library.add_rom(platform_id(world.sim, "psx"), name="Final Fantasy IX", igdb_id=415)
    await service(run.app).check_new_games()
    await alice.wait_for(
        lambda: any("is fulfilled" in m.body for m in alice.messages(dm, world.bot_id)),
        what="the fulfilment DM",
    )
    for message in alice.messages(room, world.bot_id):
        assert "/dl/" not in message.body
