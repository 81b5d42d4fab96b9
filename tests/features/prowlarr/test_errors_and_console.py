"""Each Prowlarr failure is one sentence where the admin clicked, on the console too; the API
key appears in no log line and no card."""

from __future__ import annotations

import logging
import socket
from io import StringIO

import pytest

from romm_comm.app.root import App
from romm_comm.features.context import Context
from romm_comm.frontends.console.notifier import ConsoleNotifier
from romm_comm.frontends.console.shell import Shell, console_caller
from romm_comm.testing.prowlarr_sim import ProwlarrSimulator
from tests.features.requests.conftest import ADMIN, ctx

from .conftest import AppMaker, admin_card, button, pending


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def search(app: App, rid: int) -> str:
    reply = await app.registry.act(ctx(app, ADMIN), f"idx:{rid}:search")
    return reply.text


async def test_prowlarr_down(make_papp: AppMaker) -> None:
    app = await make_papp(prowlarr_url=f"http://127.0.0.1:{closed_port()}")
    rid = await pending(app)
    assert await search(app, rid) == (
        "Prowlarr is not reachable (connection refused (nothing listens on that port)); "
        "check that it runs and that PROWLARR_URL points at it."
    )


async def test_a_wrong_key(make_papp: AppMaker, prowlarr: ProwlarrSimulator) -> None:
    wrong = "ffffffffffffffffffffffffffffffff"
    app = await make_papp(prowlarr_api_key=wrong)
    rid = await pending(app)
    text = await search(app, rid)
    assert text.startswith("Prowlarr refused the bot's API key (401);")
    assert wrong not in text


async def test_no_indexers(papp: App, prowlarr: ProwlarrSimulator) -> None:
    for indexer in prowlarr.indexers:
        indexer.enable = False
    rid = await pending(papp)
    assert await search(papp, rid) == (
        "Prowlarr has no enabled indexers, so there is nothing to search; add or enable one "
        "in Prowlarr (Indexers)."
    )


async def test_zero_results(papp: App, prowlarr: ProwlarrSimulator) -> None:
    prowlarr.releases = []
    rid = await pending(papp)
    reply = await papp.registry.act(ctx(papp, ADMIN), f"idx:{rid}:search")
    assert reply.tone == "warning" and reply.picker is None
    assert reply.text == "Prowlarr's indexers found nothing for 'Final Fantasy VII'."


async def test_nothing_fits(papp: App, prowlarr: ProwlarrSimulator) -> None:
    prowlarr.releases = [r for r in prowlarr.releases if "VIII" in r.title or "PS4" in r.title]
    rid = await pending(papp)
    assert await search(papp, rid) == (
        "None of the 2 release(s) Prowlarr found fits 'Final Fantasy VII' on PlayStation. "
        "Left out: 1 for another platform, 1 another game or number."
    )


async def test_a_rejected_grab(papp: App, prowlarr: ProwlarrSimulator) -> None:
    rid = await pending(papp)
    found = await papp.registry.act(ctx(papp, ADMIN), f"idx:{rid}:search")
    prowlarr.download_clients[0].enable = False  # no torrent client
    assert found.picker is not None
    picked = await papp.registry.act(ctx(papp, ADMIN), found.picker.action, ["1"])
    grab = await papp.registry.act(ctx(papp, ADMIN), button(picked, "Grab"))
    assert grab.tone == "error"
    assert grab.text == (
        "Prowlarr did not send that release to its download client: "
        "No Torrent Download Client is available"
    )
    assert papp.services.requests is not None
    kinds = [e.kind for e in await papp.services.requests.history(rid)]
    assert "grabbed" not in kinds, "nothing is recorded for a refused grab"


async def test_a_stale_result_says_search_again(papp: App, prowlarr: ProwlarrSimulator) -> None:
    rid = await pending(papp)
    found = await papp.registry.act(ctx(papp, ADMIN), f"idx:{rid}:search")
    prowlarr._cache.clear()  # Prowlarr forgot the search (30 minutes, or a restart)
    assert found.picker is not None
    picked = await papp.registry.act(ctx(papp, ADMIN), found.picker.action, ["0"])
    grab = await papp.registry.act(ctx(papp, ADMIN), button(picked, "Grab"))
    assert grab.text == (
        "Prowlarr no longer has that search result (it keeps them for 30 minutes); search "
        "indexers again and pick it anew."
    )
    gone = await papp.registry.act(ctx(papp, ADMIN), f"idx:{rid}:grab:7")
    assert gone.text == "That search result is gone; search indexers again."


async def test_the_console_searches_and_grabs_and_the_key_stays_secret(
    papp: App, prowlarr: ProwlarrSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    rid = await pending(papp)
    out = StringIO()
    shell = Shell(papp.registry, Context(console_caller(), papp.services), out=out)
    papp.services.notifications.register(ConsoleNotifier(shell.say))
    card = await admin_card(papp, rid)
    labels = [b.label for b in card.buttons]
    script = "\n".join(
        [
            f"/request_admin action:view request:{rid}",
            f"b{labels.index('Search indexers') + 1}",
            "2",  # the USA release
            "b1",  # Grab
        ]
    )
    assert await shell.run(StringIO(script + "\n"), interactive=False) == 0
    text = out.getvalue()
    assert "== Releases for request #1 Final Fantasy VII (PlayStation) ==" in text
    assert "1. Final.Fantasy.VII.EUR.PS1-RETRO" in text
    assert "Final Fantasy VIII" not in text and "Remake" not in text
    assert "== Final Fantasy VII (USA) (Disc 1-3) [PSX] ==" in text
    assert "Sent 'Final Fantasy VII (USA) (Disc 1-3) [PSX]' to Prowlarr's download client" in text
    assert len(prowlarr.grabbed) == 1
    assert prowlarr.api_key not in text, "not on any card"
    assert "apikey" not in text and "/download?" not in text, "no Prowlarr download link"
    assert prowlarr.api_key not in caplog.text
    assert "prowlarr" in caplog.text.lower(), "the calls were logged"
