"""Commands typed in a Matrix room, answered through a real Synapse, as a member sees them."""

from __future__ import annotations

from typing import Any

from tests.frontends.matrix.conftest import World


def _content(event: Any) -> dict[str, Any]:
    return dict(event.source["content"])


async def test_help_is_a_notice_with_html_naming_commands_with_the_prefix(world: World) -> None:
    alice, room, _ = await world.room_with_bot()
    (answer,) = await alice.answer(room, world.bot_id, "!help")
    content = _content(answer)
    assert content["msgtype"] == "m.notice"
    assert content["format"] == "org.matrix.custom.html"
    assert "<b>RomM-ComM commands</b>" in content["formatted_body"]
    assert "!search" in content["body"] and "/search" not in content["body"]
    assert "!search" in content["formatted_body"]


async def test_a_typo_gets_did_you_mean_and_chatter_is_ignored(world: World) -> None:
    alice, room, _ = await world.room_with_bot()
    await alice.say(room, "hello everyone, 1 question")
    (answer,) = await alice.answer(room, world.bot_id, "!serch n64 mario")
    assert "!search" in answer.body and "mean" in answer.body.lower()
    assert len(alice.messages(room, world.bot_id)) == 1  # the chatter got nothing


async def test_search_lists_in_the_room_and_a_number_opens_the_card_in_a_dm(
    world: World,
) -> None:
    alice, room, run = await world.room_with_bot()
    (listing,) = await alice.answer(room, world.bot_id, "!search psx final fantasy")
    assert "Final Fantasy VII" in listing.body and "1)" in listing.body
    assert "<ol>" in _content(listing)["formatted_body"]

    said = await alice.answer(room, world.bot_id, "1")
    assert said[-1].body.endswith(": I sent you a private message.")
    dm = next(iter(run.bot.dm_rooms))
    card = await alice.wait_for(
        lambda: [
            m
            for m in alice.messages(dm, world.bot_id)
            if "Final Fantasy" in m.body and m not in alice.images(dm, world.bot_id)
        ],
        what="the game card in the DM",
    )
    assert "/dl/" in card[0].body or "Download" in card[0].body
    # the shared room never saw a link
    for message in alice.messages(room, world.bot_id):
        assert "://" not in message.body
        assert "/dl/" not in _content(message).get("formatted_body", "")


async def test_a_matrix_reply_to_a_list_answers_that_list(world: World) -> None:
    alice, room, run = await world.room_with_bot()
    (first,) = await alice.answer(room, world.bot_id, "!search psx final fantasy")
    await alice.answer(room, world.bot_id, "!platforms")  # a newer reply, no list
    said = await alice.answer(room, world.bot_id, "2", reply_to=first.event_id)
    assert "private message" in said[-1].body
    dm = next(iter(run.bot.dm_rooms))
    await alice.wait_for(
        lambda: [m for m in alice.messages(dm, world.bot_id) if "Final Fantasy VIII" in m.body],
        what="the second game's card",
    )


async def test_the_files_of_a_multi_disc_game_are_picked_in_the_dm(world: World) -> None:
    alice, room, run = await world.room_with_bot()
    dm = await world.first_final_fantasy(alice, room, run)
    card = await alice.wait_for(
        lambda: [m for m in alice.messages(dm, world.bot_id) if "(Disc 1)" in m.body],
        what="the card with its files",
    )
    lines = card[0].body.splitlines()
    disc1 = next(line for line in lines if "(Disc 1)" in line).split(")")[0].strip()
    (chosen,) = await alice.answer(dm, world.bot_id, disc1)
    assert "2 files as one zip" in chosen.body or "Final Fantasy VII" in chosen.body
    assert "/dl/" in chosen.body


async def test_admin_commands_are_refused_to_a_member_and_allowed_to_an_admin(
    world: World,
) -> None:
    alice = await world.person("alice")
    root = await world.person("root")
    room = await alice.create_room(world.bot_id, root.user_id)
    await root.client.join(room)
    await world.start(matrix_rooms=[room], matrix_admin_ids=[root.user_id])
    (refused,) = await alice.answer(room, world.bot_id, "!scan")
    assert refused.body == "Error: !scan is for admins only."
    answered = await root.answer(room, world.bot_id, "!scan")
    assert all("for admins only" not in m.body for m in answered)


async def test_a_power_level_makes_an_admin_when_configured(world: World) -> None:
    alice = await world.person("alice")  # creates the room: power level 100
    bob = await world.person("bob")  # joins it: power level 0
    room = await alice.create_room(world.bot_id, bob.user_id)
    await bob.client.join(room)
    await world.start(matrix_rooms=[room], matrix_admin_power_level=50)
    (refused,) = await bob.answer(room, world.bot_id, "!scan")
    assert refused.body == "Error: !scan is for admins only."
    answered = await alice.answer(room, world.bot_id, "!scan")
    assert all("for admins only" not in m.body for m in answered)
