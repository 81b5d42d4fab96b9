"""/igdb lists with "request this", and the whole request story on the console front end."""

from __future__ import annotations

from io import StringIO

from romm_comm.app.root import App
from romm_comm.features.context import Context
from romm_comm.frontends.console.notifier import ConsoleNotifier
from romm_comm.frontends.console.shell import Shell, console_caller
from romm_comm.testing.igdb_sim import IgdbSimulator
from romm_comm.testing.romm_sim import RommSimulator

from .conftest import ALICE, ctx, platform_id, service


async def test_igdb_lists_are_browsable_and_a_game_can_be_requested(rapp: App) -> None:
    c = ctx(rapp, ALICE)
    upcoming = await rapp.registry.run(c, "igdb", {"view": "upcoming"})
    card = upcoming.cards[0]
    assert card.title == "Upcoming games"
    assert card.text.splitlines()[0].startswith("1. Starfall Tactics — ")
    assert "Quiet Lighthouse" not in card.text, "nobody waits for it"
    popular = await rapp.registry.run(c, "igdb", {})
    assert popular.cards[0].title == "Popular games"
    assert popular.cards[0].text.startswith("1. The Legend of Zelda: Breath of the Wild")
    assert [b.label for b in popular.buttons] == ["Next ▶"]
    page2 = await rapp.registry.act(c, popular.buttons[0].action)
    assert page2.cards[0].title == "Popular games (page 2)"
    assert page2.cards[0].text.startswith("11. ")
    exclusives = await rapp.registry.run(
        c, "igdb", {"view": "exclusives", "platform": "PlayStation 5"}
    )
    names = [ch.label for ch in exclusives.picker.choices]  # type: ignore[union-attr]
    assert names == ["Demon's Souls", "Lanterns of Aster"]
    needs = await rapp.registry.run(c, "igdb", {"view": "exclusives"})
    assert needs.tone == "error" and "need a platform" in needs.text
    # "request this": the game's platform is known from the list
    confirm = await rapp.registry.act(c, exclusives.picker.action, ["136879"])  # type: ignore[union-attr]
    assert confirm.cards[0].title == "Request: Demon's Souls"
    assert "library has no PlayStation 5 games yet" in confirm.cards[0].text
    sent = await rapp.registry.act(c, confirm.buttons[0].action)
    assert "Request #1 Demon's Souls (PlayStation 5) sent" in sent.text


async def test_requesting_from_a_list_without_platform_asks_which_one(rapp: App) -> None:
    c = ctx(rapp, ALICE)
    recent = await rapp.registry.run(c, "igdb", {"view": "recent"})
    assert recent.picker is not None
    choice = await rapp.registry.act(c, recent.picker.action, ["90001"])  # Pixel Harbor
    assert choice.picker is not None and "For which platform" in choice.text
    options = {ch.value: ch.description for ch in choice.picker.choices}
    assert options["switch"] == "in the library" and options["ps5"] == "not in the library yet"
    confirm = await rapp.registry.act(c, choice.picker.action, ["switch"])
    sent = await rapp.registry.act(c, confirm.buttons[0].action)
    assert "Pixel Harbor (Nintendo Switch) sent" in sent.text


async def test_a_listed_game_already_in_the_library_is_offered_instead(rapp: App) -> None:
    popular = await rapp.registry.run(ctx(rapp, ALICE), "igdb", {"platform": "n64"})
    reply = await rapp.registry.act(ctx(rapp, ALICE), popular.picker.action, ["1074"])  # type: ignore[union-attr]
    assert reply.picker is not None and reply.picker.action == "rom"
    assert reply.picker.choices[0].label == "Super Mario 64"


async def test_igdb_trouble_is_one_short_sentence(rapp: App, igdb: IgdbSimulator) -> None:
    igdb.faults.fail_next(503, "games", times=3)
    reply = await rapp.registry.run(ctx(rapp, ALICE), "igdb", {"view": "popular"})
    assert reply.tone == "error" and reply.text == "IGDB is not answering; try again in a minute."


async def test_the_console_front_end_requests_and_gets_the_dm(
    rapp: App, sim: RommSimulator
) -> None:
    out = StringIO()
    shell = Shell(rapp.registry, Context(console_caller(), rapp.services), out=out)
    rapp.services.notifications.register(ConsoleNotifier(shell.say))
    script = "\n".join(
        [
            '/request platform:PlayStation game:"final fantasy ix" details:"PAL please"',
            "1",  # Final Fantasy IX on IGDB
            "b1",  # Send request
            "/my_requests",
        ]
    )
    assert await shell.run(StringIO(script + "\n"), interactive=False) == 0
    text = out.getvalue()
    assert "Which game do you mean by 'final fantasy ix'?" in text
    assert "== Request: Final Fantasy IX ==" in text
    assert "Request #1 Final Fantasy IX (PlayStation) sent" in text
    assert "[admin log] " in text and "== New request #1: Final Fantasy IX ==" in text
    assert "#1 ⏳ pending — Final Fantasy IX (PlayStation)" in text
    sim.library.add_rom(platform_id(sim, "psx"), name="Final Fantasy IX", igdb_id=415)
    await service(rapp).check_new_games()
    text = out.getvalue()
    assert (
        "[message for you] 🎉 Your request #1 Final Fantasy IX (PlayStation) is fulfilled" in text
    )
    assert "-> Download" in text
    shown = len(out.getvalue())
    assert await shell.handle("/request_admin action:all") is True, "the console carries on"
    assert "#1 ✅ fulfilled — Final Fantasy IX (PlayStation)" in out.getvalue()[shown:]


async def test_igdb_trouble_on_a_button_is_the_same_short_sentence_on_the_console(
    rapp: App, igdb: IgdbSimulator
) -> None:
    out = StringIO()
    shell = Shell(rapp.registry, Context(console_caller(), rapp.services), out=out)
    assert await shell.run(StringIO("/igdb view:popular\n"), interactive=False) == 0
    assert "== Popular games ==" in out.getvalue()
    igdb.faults.fail_next(503, "games", times=3)
    assert await shell.run(StringIO("b1\n"), interactive=False) == 1, "an error answer"  # Next
    text = out.getvalue()
    assert "IGDB is not answering; try again in a minute." in text
    assert "Something went wrong" not in text and "Popular games (page 2)" not in text
