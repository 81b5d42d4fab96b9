"""/collection: completeness per platform as a table and a readable bar chart (a PNG)."""

from __future__ import annotations

import io

from PIL import Image

from romm_comm.app.root import App
from romm_comm.features.collection.chart import render_png
from romm_comm.testing.igdb_sim import IgdbSimulator
from romm_comm.testing.romm_sim import RommSimulator

from .conftest import SNES, ctx, main_games


async def test_the_table_and_the_chart(app: App, sim: RommSimulator, igdb: IgdbSimulator) -> None:
    reply = await app.registry.run(ctx(app), "collection", {})
    card = reply.cards[0]
    assert card.title == "Collection completeness"
    assert card.image_url == "attachment://collection.png"
    (attachment,) = reply.attachments
    assert attachment.filename == "collection.png"
    with Image.open(io.BytesIO(attachment.data)) as image:
        assert image.format == "PNG" and image.width == 900 and image.height > 100

    snes = sim.library.platform_by_slug("snes")
    assert snes is not None
    truth = main_games(igdb, SNES)
    owned = {r.igdb_id for r in sim.library.roms_of(snes.id)}
    have = sum(1 for g in truth if g["id"] in owned)
    assert 0 < have < len(truth) / 100  # under 1%, shown as 1% (0% only when none is owned)
    row = next(line for line in card.text.splitlines() if line.startswith("Super Famicom"))
    assert row.split()[-3:] == [f"{have:,}", f"{len(truth):,}", "1%"]
    # every library platform is compared (each has an IGDB id), most complete first
    # (a platform IGDB lists no main games for shows "—", not a misleading 0%)
    shown = [line.split()[-1] for line in card.text.splitlines()[2:-2]]
    percents = [int(p.rstrip("%")) for p in shown if p != "—"]
    assert percents == sorted(percents, reverse=True)
    assert all(p.endswith("%") for p in shown[: len(percents)]), "— comes last"
    assert "Main games, all platforms:" in card.text


def test_the_chart_is_sorted_and_labelled() -> None:
    png = render_png([("Low", 1, 10), ("High", 9, 10), ("Full", 5, 5), ("Empty", 0, 0)], "T")
    with Image.open(io.BytesIO(png)) as image:
        rgb = image.convert("RGB")
        assert rgb.height == 56 + 4 * 34 + 20
        # the first row is the full platform: a green bar; the last, with no games, no bar
        bar_left = 16 + 250 + 5
        assert rgb.getpixel((bar_left, 56 + 10)) == (40, 167, 69)
        assert rgb.getpixel((bar_left, 56 + 3 * 34 + 10)) == (226, 230, 236)
