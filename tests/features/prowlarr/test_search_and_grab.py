"""An admin searches Prowlarr's indexers from a pending request's card and grabs a release:
the list is ranked and filtered by the request matcher's rules, the grab goes to Prowlarr's
download client, lands in the request's history and tells the requester."""

from __future__ import annotations

from romm_comm.app.root import App
from romm_comm.core.cards import Reply
from romm_comm.testing.prowlarr_sim import ProwlarrSimulator, SimRelease
from tests.features.requests.conftest import ADMIN, ALICE, ctx, notifier, service

from .conftest import AppMaker, admin_card, button, pending


def shown(reply: Reply) -> str:
    """Everything a person reads on a reply's cards."""
    parts = [reply.text]
    for card in reply.cards:
        parts += [card.title, card.text, card.footer]
        parts += [f"{f.name}: {f.value}" for f in card.fields]
    return "\n".join(parts)


async def test_search_indexers_ranks_filters_and_grabs(
    papp: App, prowlarr: ProwlarrSimulator
) -> None:
    rid = await pending(papp)
    card = await admin_card(papp, rid)
    search = button(card, "Search indexers")
    found = await papp.registry.act(ctx(papp, ADMIN), search)
    assert found.private and found.picker is not None
    titles = [c.label for c in found.picker.choices]
    # both PlayStation copies of VII; never VIII (another number), the PS4 remake or the
    # Switch port (another platform), nor the PC release (category 4000 is not asked for)
    assert titles == [
        "Final.Fantasy.VII.EUR.PS1-RETRO",
        "Final Fantasy VII (USA) (Disc 1-3) [PSX]",
    ]
    text = found.cards[0].text
    assert "1.8 GB · 900 days · 210 grabs · NZBGeek (usenet)" in text
    assert "1.9 GB · 400 days · 42 seeders, 3 leechers · RetroTracker (torrent)" in text
    assert "Left out: 2 for another platform, 1 another game or number." in found.cards[0].footer
    assert "VIII" not in text
    query = prowlarr.calls_to("GET", "/api/v1/search")[-1].query
    assert ("query", "Final Fantasy VII") in query and ("categories", "1000") in query

    picked = await papp.registry.act(ctx(papp, ADMIN), found.picker.action, ["1"])
    assert picked.cards[0].title == "Final Fantasy VII (USA) (Disc 1-3) [PSX]"
    grabbed = await papp.registry.act(ctx(papp, ADMIN), button(picked, "Grab"))
    assert grabbed.tone == "success", grabbed.text
    assert grabbed.text.startswith(
        "Sent 'Final Fantasy VII (USA) (Disc 1-3) [PSX]' to Prowlarr's download client "
        "(RetroTracker, torrent)."
    )
    assert [g["title"] for g in prowlarr.grabbed] == ["Final Fantasy VII (USA) (Disc 1-3) [PSX]"]

    request = await service(papp).get(rid)
    assert request is not None and request.status == "pending", "fulfilled later, as today"
    events = await service(papp).history(rid)
    grab = next(e for e in events if e.kind == "grabbed")
    assert grab.actor.name == "boss" and grab.actor.key == "test:1" and grab.at
    assert grab.text == "Final Fantasy VII (USA) (Disc 1-3) [PSX] — RetroTracker (torrent)"
    dms = notifier(papp).dms
    assert dms[-1][0] == ALICE.id
    assert "is on its way" in dms[-1][1].text and "#1 Final Fantasy VII" in dms[-1][1].text
    history = shown(await admin_card(papp, rid))
    assert "boss sent a release to the download client: Final Fantasy VII (USA)" in history
    mine = await papp.registry.run(ctx(papp, ALICE), "my_requests", {})
    view = await papp.registry.act(ctx(papp, ALICE), mine.picker.action, [str(rid)])  # type: ignore[union-attr]
    member_view = shown(view)
    assert "found a copy: it is on its way" in member_view
    assert "RetroTracker" not in member_view, "which release is for the admins"


async def test_the_vii_viii_rule_and_the_platform_filter(
    papp: App, prowlarr: ProwlarrSimulator
) -> None:
    prowlarr.releases = [
        SimRelease("Final Fantasy VIII [PS1]", 1, 10, 1, seeders=900, leechers=1),
        SimRelease("Final Fantasy VII Disc 2 [PS1]", 1, 10, 1, seeders=1, leechers=1),
        SimRelease("Final Fantasy [PSX]", 1, 10, 1, seeders=500, leechers=1),
        SimRelease("Final Fantasy VII PlayStation 2 Edition", 1, 10, 1, seeders=500),
        SimRelease("Final Fantasy VII (Sega Saturn)", 1, 10, 1, seeders=500),
        SimRelease("Final Fantasy VII", 1, 10, 1, seeders=5, leechers=1),
    ]
    for n, release in enumerate(prowlarr.releases):
        release.guid = f"g{n}"
    rid = await pending(papp)
    found = await papp.registry.act(ctx(papp, ADMIN), f"idx:{rid}:search")
    assert found.picker is not None
    # the one naming PlayStation first; a disc number is not the game's number
    assert [c.label for c in found.picker.choices] == [
        "Final Fantasy VII Disc 2 [PS1]",
        "Final Fantasy VII",
    ]


async def test_members_cannot_search_or_grab(papp: App, prowlarr: ProwlarrSimulator) -> None:
    rid = await pending(papp)
    member = await papp.registry.act(ctx(papp, ALICE), f"idx:{rid}:search")
    assert member.tone == "error" and member.text == "That is for admins only."
    grab = await papp.registry.act(ctx(papp, ALICE), f"idx:{rid}:grab:0")
    assert grab.text == "That is for admins only."
    assert prowlarr.calls == [] and prowlarr.grabbed == []


async def test_no_button_without_prowlarr(make_papp: AppMaker) -> None:
    app = await make_papp(prowlarr_url=None, prowlarr_api_key=None)
    rid = await pending(app)
    labels = [b.label for b in (await admin_card(app, rid)).buttons]
    assert labels == ["Fulfil", "Reject"]
    assert "idx" not in app.registry.actions


async def test_the_admin_notice_offers_search_indexers(papp: App) -> None:
    await pending(papp)
    notice = notifier(papp).admin[-1]
    assert [b.label for b in notice.buttons] == ["Fulfil", "Reject", "Search indexers", "View"]
