"""/missing: the completeness figure checked against the simulators' truth, paging, "request
this", the day-long cache, and IGDB missing or down."""

from __future__ import annotations

from romm_comm.app.root import App
from romm_comm.features.requests.matcher import title_key
from romm_comm.testing.igdb_sim import IgdbSimulator
from romm_comm.testing.romm_sim import RommSimulator
from tests.helpers.clock import Clock

from .conftest import SNES, AppMaker, ctx, main_games


def snes_id(sim: RommSimulator) -> int:
    platform = sim.library.platform_by_slug("snes")
    assert platform is not None
    return platform.id


def stock_snes(sim: RommSimulator, igdb: IgdbSimulator) -> tuple[set[int], set[str]]:
    """Put 40 of IGDB's SNES games in the library: 30 identified, 10 by name only (one of
    them a numeral away from a listed game, which must not count)."""
    games = main_games(igdb, SNES)
    by_id, by_name = games[100:130], games[200:210]
    platform = snes_id(sim)
    for g in by_id:
        sim.library.add_rom(platform, g["name"], igdb_id=g["id"])
    names = {title_key(g["name"]) for g in by_name}
    for g in by_name:
        sim.library.add_rom(platform, g["name"], fs_name=f"{g['name']} (USA).sfc")
    listed = {title_key(g["name"]) for g in games}
    decoy = next(
        f"{g['name']} VIII"
        for g in games
        if f"{g['name']} VII" in {x["name"] for x in games}
        and title_key(f"{g['name']} VIII") not in listed
    )
    sim.library.add_rom(platform, decoy, fs_name=f"{decoy} (USA).sfc")
    ids = {r.igdb_id for r in sim.library.roms_of(platform) if r.igdb_id is not None}
    return ids, names


async def test_the_figure_pages_and_order_match_the_simulators(
    app: App, sim: RommSimulator, igdb: IgdbSimulator
) -> None:
    ids, names = stock_snes(sim, igdb)
    truth = main_games(igdb, SNES)
    have = [g for g in truth if g["id"] in ids or title_key(g["name"]) in names]
    assert len(have) >= 40 and len(truth) > 800  # the truth is not trivial
    pct = round(100 * len(have) / len(truth))

    first = await app.registry.run(ctx(app), "missing", {"platform": "snes"})
    assert first.tone != "error", first.text
    assert f"{len(have):,} of {len(truth):,} — {pct}%" in first.text
    card = first.cards[0]
    last = -(-(len(truth) - len(have)) // 10)
    assert card.title == f"Missing on Super Famicom (page 1 of {last})"
    lines = card.text.splitlines()
    assert len(lines) == 10 and lines[0].startswith("1. ") and lines[9].startswith("10. ")
    ratings = [float(line.split("★ ")[1].split(" ")[0]) for line in lines if "★" in line]
    assert ratings == sorted(ratings, reverse=True)
    missing_names = {g["name"] for g in truth} - {g["name"] for g in have}
    assert all(line.split(". ", 1)[1].rsplit(" (", 1)[0] in missing_names for line in lines[:3])
    assert [b.label for b in first.buttons] == ["Next ▶"]

    second = await app.registry.act(ctx(app), first.buttons[0].action)
    assert second.cards[0].title.endswith(f"(page 2 of {last})")
    assert second.cards[0].text.startswith("11. ")
    assert [b.label for b in second.buttons] == ["◀ Previous", "Next ▶"]
    back = await app.registry.act(ctx(app), second.buttons[0].action)
    assert back.cards[0].text == card.text

    popular = await app.registry.run(
        ctx(app), "missing", {"platform": "snes", "sort": "popularity"}
    )
    counts = [
        int(line.split(" ratings")[0].rsplit("— ", 1)[1].replace(",", ""))
        for line in popular.cards[0].text.splitlines()
    ]
    assert counts == sorted(counts, reverse=True)

    everything = await app.registry.run(ctx(app), "missing", {"platform": "snes", "include": "all"})
    all_types = [g for g in igdb.platform_games(SNES) if "version_parent" not in g]
    assert f"of {len(all_types):,} — " in everything.text


async def test_request_this_starts_the_request_flow(app: App, igdb: IgdbSimulator) -> None:
    first = await app.registry.run(ctx(app), "missing", {"platform": "snes"})
    assert first.picker is not None and first.picker.action == "igdbreq:snes"
    top = first.picker.choices[0]
    confirm = await app.registry.act(ctx(app), first.picker.action, [top.value])
    assert confirm.cards[0].title == f"Request: {top.label}"
    sent = await app.registry.act(ctx(app), confirm.buttons[0].action)
    assert f"Request #1 {top.label} (Super Famicom) sent" in sent.text
    assert app.services.requests is not None
    (stored,) = await app.services.requests.listing(statuses=["pending"], limit=5)
    assert stored.igdb_id == int(top.value)


async def test_the_list_is_fetched_once_a_day(app: App, igdb: IgdbSimulator, clock: Clock) -> None:
    def answered(endpoint: str | None = None) -> int:
        """IGDB calls answered (a 429 under load is retried: a second call, not a second fetch)."""
        return sum(1 for c in igdb.calls if c.status != 429 and endpoint in (None, c.endpoint))

    await app.registry.run(ctx(app), "missing", {"platform": "snes"})
    cold = answered()
    assert answered("games/count") == 1
    assert answered("games") == -(-len(igdb.platform_games(SNES)) // 500)
    asked = len(igdb.calls)
    again = await app.registry.run(ctx(app), "missing", {"platform": "snes", "sort": "popularity"})
    page = await app.registry.act(ctx(app), again.buttons[0].action)
    assert page.tone != "error" and len(igdb.calls) == asked, "a warm cache asks IGDB nothing"
    clock.advance(23 * 3600)
    await app.registry.run(ctx(app), "missing", {"platform": "snes"})
    assert len(igdb.calls) == asked
    clock.advance(2 * 3600)
    await app.registry.run(ctx(app), "missing", {"platform": "snes"})
    assert answered() == 2 * cold, "a day later the list is fetched again"


async def test_the_cache_survives_a_restart(make_app: AppMaker, igdb: IgdbSimulator) -> None:
    first = await make_app()
    before = await first.registry.run(ctx(first), "missing", {"platform": "snes"})
    await first.close()
    cold = len(igdb.calls)
    second = await make_app()
    after = await second.registry.run(ctx(second), "missing", {"platform": "snes"})
    assert after.text == before.text and len(igdb.calls) == cold


async def test_igdb_not_set_up_is_one_sentence(make_app: AppMaker) -> None:
    app = await make_app(with_igdb=False)
    for name in ("missing", "collection"):
        args = {"platform": "snes"} if name == "missing" else {}
        reply = await app.registry.run(ctx(app), name, args)
        assert reply.tone == "error"
        assert reply.text.startswith("IGDB is not set up on this bot, so the library cannot")


async def test_igdb_down_is_one_sentence(app: App, igdb: IgdbSimulator) -> None:
    igdb.faults.fail_next(503, times=3)
    reply = await app.registry.run(ctx(app), "missing", {"platform": "snes"})
    assert reply.tone == "error" and reply.text == "IGDB is not answering; try again in a minute."
    await igdb.stop()
    reply = await app.registry.run(ctx(app), "collection", {})
    assert reply.tone == "error" and reply.text == "IGDB is not answering; try again in a minute."


async def test_unknown_platform_and_bad_buttons(app: App) -> None:
    reply = await app.registry.run(ctx(app), "missing", {"platform": "amiga cd32"})
    assert reply.tone == "error" and "No platform called 'amiga cd32'" in reply.text
    stale = await app.registry.act(ctx(app), "miss:99999:rating:main:2")
    assert stale.tone == "error" and "no longer has that platform" in stale.text
    bad = await app.registry.act(ctx(app), "miss:x")
    assert bad.tone == "error"


async def test_pages_reuse_the_result_for_five_minutes(app: App, sim: RommSimulator) -> None:
    assert app.services.collection is not None
    moved = Clock(0.0)
    app.services.collection.clock = moved
    first = await app.registry.run(ctx(app), "missing", {"platform": "snes"})
    roms_asked = len([c for c in sim.calls if c.path == "/api/roms"])
    page = await app.registry.act(ctx(app), first.buttons[0].action)
    assert len([c for c in sim.calls if c.path == "/api/roms"]) == roms_asked
    moved.advance(301)
    again = await app.registry.act(ctx(app), first.buttons[0].action)
    assert len([c for c in sim.calls if c.path == "/api/roms"]) > roms_asked
    assert again.cards[0].text == page.cards[0].text
