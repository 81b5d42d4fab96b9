"""/missing and /collection as people see them: on the console (Shell) and on Discord
(the real discord.py against the fake Discord)."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from io import StringIO
from pathlib import Path

import pytest
from PIL import Image

from romm_comm.app.root import App
from romm_comm.features.context import Context
from romm_comm.frontends.console.shell import Shell, console_caller
from romm_comm.testing.igdb_sim import IgdbSimulator
from romm_comm.testing.romm_sim import RommSimulator
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord.pytest_helpers import serve_fake_discord
from tests.frontends.discord.conftest import Harness, buttons, final, open_harness, selects

from .conftest import SNES, igdb_settings, main_games


async def test_the_console_pages_requests_and_shows_the_chart(
    app: App, igdb: IgdbSimulator
) -> None:
    out = StringIO()
    shell = Shell(app.registry, Context(console_caller(), app.services), out=out)
    script = "\n".join(["/missing platform:snes", "b1", "1", "b1", "/collection"])
    assert await shell.run(StringIO(script + "\n"), interactive=False) == 0
    text = out.getvalue()
    total = len(main_games(igdb, SNES))
    assert f" of {total:,} — " in text
    assert "== Missing on Super Famicom (page 1 of " in text
    assert "== Missing on Super Famicom (page 2 of " in text and "\n11. " in text
    assert "== Request: " in text and "Request #1 " in text and " sent." in text
    assert "== Collection completeness ==" in text
    assert "[image: Completeness per platform (bar chart), " in text


@pytest.fixture
async def fd() -> AsyncIterator[FakeDiscord]:
    async with serve_fake_discord() as fake:
        yield fake


@pytest.fixture
async def harness(fd: FakeDiscord, sim: RommSimulator, tmp_path: Path) -> AsyncIterator[Harness]:
    async with open_harness(fd, sim, tmp_path) as h:
        yield h


async def test_discord_pages_with_buttons_and_attaches_the_chart(
    harness: Harness, igdb: IgdbSimulator
) -> None:
    await harness.start(**igdb_settings(igdb))
    fd = harness.fd
    first = await final(await fd.slash(fd.owner.id, "missing", {"platform": "snes"}))
    assert first.ephemeral
    assert f" of {len(main_games(igdb, SNES)):,} — " in first.content
    assert first.embeds[0]["title"].startswith("Missing on Super Famicom (page 1 of ")
    (picker,) = selects(first)
    assert picker["custom_id"] == "igdbreq:snes" and len(picker["options"]) == 10
    (next_button,) = [b for b in buttons(first) if b.get("label") == "Next ▶"]
    assert next_button["custom_id"].startswith("miss:") and next_button["custom_id"].endswith(
        ":rating:main:2"
    )
    second = await final(await fd.click(fd.owner.id, first.id, next_button["custom_id"]))
    assert "(page 2 of " in second.embeds[0]["title"]
    assert second.embeds[0]["description"].startswith("11. ")

    # cold: one IGDB list per platform, at IGDB's 4 calls a second
    chart = await final(await fd.slash(fd.owner.id, "collection", {}), within=30)
    (attachment,) = chart.attachments
    assert attachment.filename == "collection.png"
    assert chart.embeds[0]["image"]["url"].endswith("collection.png")
    with Image.open(io.BytesIO(attachment.data)) as image:
        assert image.format == "PNG" and image.width == 900
