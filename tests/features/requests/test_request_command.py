"""/request through the registry: library first, IGDB pick, confirmation, de-duplication,
quotas and input checks — what the person sees and what is stored."""

from __future__ import annotations

import asyncio

from romm_comm.app.root import App
from romm_comm.features.requests.models import Person
from romm_comm.features.requests.service import RequestService
from romm_comm.store.db import Store
from romm_comm.testing.igdb_sim import IgdbSimulator
from romm_comm.testing.romm_sim import RommSimulator

from .conftest import ADMIN, ALICE, BOB, AppMaker, ctx, notifier, request_game, service


async def test_the_library_is_searched_first_and_offers_the_download(rapp: App) -> None:
    reply = await rapp.registry.run(
        ctx(rapp, ALICE), "request", {"platform": "Nintendo 64", "game": "super mario 64"}
    )
    assert "may already have 'super mario 64' on Nintendo 64" in reply.text
    assert reply.picker is not None and reply.picker.action == "rom"
    mario = next(c for c in reply.picker.choices if c.label == "Super Mario 64")
    card = await rapp.registry.act(ctx(rapp, ALICE), "rom", [mario.value])
    assert card.cards[0].title == "Super Mario 64"
    assert any(link.label.startswith("Download") for link in card.links)
    assert await service(rapp).count() == 0, "nothing is requested by looking"


async def test_igdb_offers_the_exact_game_then_a_confirmation_then_the_request(
    rapp: App, igdb: IgdbSimulator
) -> None:
    c = ctx(rapp, ALICE)
    reply = await rapp.registry.run(
        c, "request", {"platform": "psx", "game": "final fantasy ix", "details": "PAL please"}
    )
    assert "Which game do you mean by 'final fantasy ix'?" in reply.text
    first = reply.cards[0]
    assert first.title == "Final Fantasy IX (2000)"
    assert first.thumbnail_url and first.thumbnail_url.startswith("https://images.igdb.com/")
    assert "PlayStation" in first.fields[0].value and first.text.startswith("Zidane")
    assert reply.picker is not None
    assert reply.picker.choices[-1].label == "None of these"
    confirm = await rapp.registry.act(c, reply.picker.action, ["415"])
    card = confirm.cards[0]
    assert card.title == "Request: Final Fantasy IX"
    fields = {f.name: f.value for f in card.fields}
    assert fields["Platform"] == "PlayStation" and fields["Details"] == "PAL please"
    assert fields["IGDB"].startswith("2000 · PlayStation")
    send = next(b for b in confirm.buttons if b.label == "Send request")
    done = await rapp.registry.act(c, send.action)
    assert done.tone == "success" and "Request #1 Final Fantasy IX (PlayStation) sent" in done.text

    stored = await service(rapp).get(1)
    assert stored is not None and stored.status == "pending" and stored.igdb_id == 415
    assert stored.requester.key == "test:201" and stored.platform_key == "psx"
    history = await service(rapp).history(1)
    assert [(e.kind, e.actor.name, e.text) for e in history] == [("created", "alice", "PAL please")]
    notice = notifier(rapp).admin[-1]
    assert notice.cards[0].title == "New request #1: Final Fantasy IX"
    assert [b.action for b in notice.buttons] == ["req:1:fulfil", "req:1:reject", "req:1:view"]
    assert len(igdb.token_requests) == 1, "one token for the whole conversation"


async def test_none_of_these_sends_the_words_as_typed(rapp: App) -> None:
    done = await request_game(rapp, ALICE, "psx", "Final Fantasy IX Fan Translation", igdb_id=0)
    assert "sent" in done.text
    stored = await service(rapp).get(1)
    assert stored is not None and stored.igdb is None
    assert stored.title == "Final Fantasy IX Fan Translation"


async def test_without_igdb_the_request_is_plain_and_igdb_browsing_is_absent(
    make_app: AppMaker,
) -> None:
    app = await make_app(with_igdb=False)
    assert "igdb" not in app.registry.commands
    reply = await app.registry.run(
        ctx(app, ALICE), "request", {"platform": "psx", "game": "Vagrant Story"}
    )
    assert reply.cards[0].title == "Request: Vagrant Story", "straight to the confirmation"
    done = await app.registry.act(ctx(app, ALICE), reply.buttons[0].action)
    assert "Request #1 Vagrant Story (PlayStation) sent" in done.text


async def test_platforms_romm_knows_but_the_library_lacks_can_be_requested(rapp: App) -> None:
    reply = await rapp.registry.run(
        ctx(rapp, ALICE), "request", {"platform": "PlayStation 4", "game": "bloodborne"}
    )
    confirm = await rapp.registry.act(ctx(rapp, ALICE), reply.picker.action, ["7334"])  # type: ignore[union-attr]
    assert "library has no PlayStation 4 games yet; RomM supports the platform" in (
        confirm.cards[0].text
    )
    await rapp.registry.act(ctx(rapp, ALICE), confirm.buttons[0].action)
    stored = await service(rapp).get(1)
    assert stored is not None and stored.platform_key == "ps4"
    assert "library has no games for this platform yet" in str(notifier(rapp).admin[-1].cards)
    unknown = await rapp.registry.run(
        ctx(rapp, ALICE), "request", {"platform": "Amstrad GX4000", "game": "x-out"}
    )
    assert unknown.tone == "error" and "No platform called 'Amstrad GX4000'" in unknown.text


async def test_a_pending_request_for_the_same_game_offers_notify_me_too(rapp: App) -> None:
    await request_game(rapp, ALICE, "psx", "final fantasy ix", igdb_id=415)
    offer = await request_game(rapp, BOB, "PlayStation", "final fantasy ix", igdb_id=415)
    assert "alice already asked for this" in offer.text
    assert [b.label for b in offer.buttons] == ["Notify me too"]
    joined = await rapp.registry.act(ctx(rapp, BOB), offer.buttons[0].action)
    assert joined.tone == "success" and "Final Fantasy IX arrives" in joined.text
    again = await rapp.registry.act(ctx(rapp, BOB), offer.buttons[0].action)
    assert "already on the list" in again.text
    own = await request_game(rapp, ALICE, "psx", "final fantasy ix", igdb_id=415)
    assert "You already asked for this" in own.text
    assert await service(rapp).count() == 1
    assert [p.name for p in await service(rapp).subscribers(1)] == ["bob"]
    mine = await rapp.registry.run(ctx(rapp, BOB), "my_requests", {})
    assert "#1 ⏳ pending — Final Fantasy IX (PlayStation)" in mine.cards[0].text
    assert "following" in mine.cards[0].text


async def test_without_igdb_the_same_normalised_title_is_the_same_game(
    make_app: AppMaker,
) -> None:
    app = await make_app(with_igdb=False)
    await request_game(app, ALICE, "psx", "Final Fantasy IX (USA)")
    offer = await request_game(app, BOB, "psx", "final fantasy 9")
    assert "alice already asked for this" in offer.text
    other = await request_game(app, BOB, "psx", "Final Fantasy X")
    assert "sent" in other.text, "X is not IX"
    assert await service(app).count() == 2


async def test_two_people_sending_at_the_same_moment_make_one_request_and_one_subscriber(
    rapp: App,
) -> None:
    forms = []
    for caller in (ALICE, BOB):
        reply = await rapp.registry.run(
            ctx(rapp, caller), "request", {"platform": "psx", "game": "chrono cross"}
        )
        confirm = await rapp.registry.act(ctx(rapp, caller), reply.picker.action, ["1491"])  # type: ignore[union-attr]
        forms.append((caller, next(b for b in confirm.buttons if b.label == "Send request")))
    replies = await asyncio.gather(
        *(rapp.registry.act(ctx(rapp, caller), button.action) for caller, button in forms)
    )
    texts = sorted(r.text for r in replies)
    assert any("sent" in t for t in texts) and any("asked for this game too" in t for t in texts)
    assert await service(rapp).count() == 1
    request = await service(rapp).get(1)
    assert request is not None
    subscribers = await service(rapp).subscribers(1)
    assert len(subscribers) == 1 and subscribers[0].key != request.requester.key
    assert len(notifier(rapp).admin) == 1, "one announcement"


async def test_two_connections_to_one_file_still_make_one_request(
    make_app: AppMaker,
) -> None:
    """Two connections to one SQLite file (BEGIN IMMEDIATE decides), not just two tasks. (Two
    bots on one DATA_DIR are refused at start; other tools, e.g. backup, open the file too.)"""
    first = await make_app()
    store = await Store.open(first.services.store.path)
    try:
        other = RequestService(store, first.services.client)
        assert first.services.store.conn is not store.conn
        outcomes = await asyncio.gather(
            service(first).create(
                Person("test:201", "alice"), platform_key="psx", platform_name="PlayStation",
                title="Xenogears",
            ),
            other.create(
                Person("test:202", "bob"), platform_key="psx", platform_name="PlayStation",
                title="xenogears",
            ),
        )  # fmt: skip
        assert sorted(o.kind for o in outcomes) == ["created", "subscribed"]
        assert await service(first).count() == 1
        assert len(await other.subscribers(1)) == 1
    finally:
        await store.close()


async def test_quota_limits_open_requests_admins_are_exempt(make_app: AppMaker) -> None:
    app = await make_app(with_igdb=False, request_limit=2)
    for game in ("Vagrant Story", "Xenogears"):
        assert "sent" in (await request_game(app, ALICE, "psx", game)).text
    refused = await app.registry.run(
        ctx(app, ALICE), "request", {"platform": "psx", "game": "Chrono Cross"}
    )
    assert refused.tone == "error"
    assert "You already have 2 open request(s); the most anyone can have is 2" in refused.text
    offer = await request_game(app, BOB, "psx", "Vagrant Story")
    await app.registry.act(ctx(app, BOB), offer.buttons[0].action)
    assert "sent" in (await request_game(app, BOB, "psx", "Chrono Cross")).text
    assert "sent" in (await request_game(app, BOB, "psx", "Xenosaga")).text, (
        "following a request does not count"
    )
    for game in ("Parasite Eve", "Legend of Mana", "Threads of Fate"):
        assert "sent" in (await request_game(app, ADMIN, "psx", game)).text
    mine = await app.registry.run(ctx(app, ADMIN), "my_requests", {})
    assert "no limit (admin)" in mine.cards[0].footer


async def test_the_quota_holds_when_two_forms_are_sent_at_once(make_app: AppMaker) -> None:
    app = await make_app(with_igdb=False, request_limit=1)
    c = ctx(app, ALICE)
    forms = []
    for game in ("Parasite Eve", "Legend of Mana"):
        reply = await app.registry.run(c, "request", {"platform": "psx", "game": game})
        forms.append(reply.buttons[0].action)
    replies = await asyncio.gather(*(app.registry.act(c, action) for action in forms))
    assert sorted(r.tone for r in replies) == ["error", "success"]
    assert await service(app).count() == 1


async def test_long_or_strange_input_is_refused_or_trimmed_with_a_reason(
    rapp: App, sim: RommSimulator
) -> None:
    c = ctx(rapp, ALICE)
    long = await rapp.registry.run(c, "request", {"platform": "psx", "game": "a" * 101})
    assert long.tone == "error" and "too long (101 characters; at most 100)" in long.text
    odd = await rapp.registry.run(c, "request", {"platform": "psx", "game": "!!! ???"})
    assert odd.tone == "error" and "does not look like a game name" in odd.text
    link = await rapp.registry.run(
        c, "request", {"platform": "psx", "game": "https://example.org/game.iso"}
    )
    assert link.tone == "error" and "not a link" in link.text
    reply = await rapp.registry.run(
        c,
        "request",
        {"platform": "psx", "game": "vagrant story", "details": "@everyone " + "x" * 600},
    )
    assert "Note: mentions were defused; details shortened to 500 characters." in reply.text
    confirm = await rapp.registry.act(c, reply.picker.action, ["1092"])  # type: ignore[union-attr]
    await rapp.registry.act(c, confirm.buttons[0].action)
    stored = await service(rapp).get(1)
    assert stored is not None and len(stored.details) == 500
    assert stored.details.startswith("@\u200beveryone"), "no mass mention reaches the admins"


async def test_a_form_belongs_to_its_owner_and_can_be_dropped(rapp: App) -> None:
    reply = await rapp.registry.run(
        ctx(rapp, ALICE), "request", {"platform": "psx", "game": "xenogears"}
    )
    confirm = await rapp.registry.act(ctx(rapp, ALICE), reply.picker.action, ["1497"])  # type: ignore[union-attr]
    send, cancel = confirm.buttons
    stolen = await rapp.registry.act(ctx(rapp, BOB), send.action)
    assert stolen.tone == "error" and "belongs to someone else" in stolen.text
    dropped = await rapp.registry.act(ctx(rapp, ALICE), cancel.action)
    assert dropped.text == "Request not sent."
    late = await rapp.registry.act(ctx(rapp, ALICE), send.action)
    assert late.tone == "error" and "expired or was already sent" in late.text
    assert await service(rapp).count() == 0


async def test_igdb_down_still_lets_a_plain_request_through(rapp: App, igdb: IgdbSimulator) -> None:
    igdb.faults.fail_next(500, "games", times=5)
    reply = await rapp.registry.run(
        ctx(rapp, ALICE), "request", {"platform": "psx", "game": "xenogears"}
    )
    assert "IGDB is not answering" in reply.text and reply.cards[0].title == "Request: xenogears"
