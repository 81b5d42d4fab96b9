"""Platform icons fetched from the RomM simulator over HTTP and turned into emoji PNGs."""

from __future__ import annotations

import io
import os
from collections.abc import AsyncIterator

import pytest
from PIL import Image

from romm_comm.features.emojis.icons import (
    EMOJI_MAX_BYTES,
    PlatformIcons,
    cairo_svg_renderer,
    to_emoji_png,
)
from romm_comm.romm.auth import Credentials
from romm_comm.romm.client import RommClient
from romm_comm.romm.errors import RommUnreachable
from romm_comm.testing.romm_sim import RommSimulator

HAS_CAIRO = cairo_svg_renderer() is not None


@pytest.fixture
async def client(sim: RommSimulator) -> AsyncIterator[RommClient]:
    # No credentials at all: icons are served without auth.
    async with RommClient(sim.url, Credentials(), timeout=2.0) as romm:
        yield romm


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(data)) as image:
        return image.size


def ico(size: int, *, noise: bool = False) -> bytes:
    if noise:
        image = Image.frombytes("RGBA", (size, size), os.urandom(size * size * 4))
    else:
        image = Image.new("RGBA", (size, size), (200, 30, 30, 255))
    buf = io.BytesIO()
    image.save(buf, format="ICO", sizes=[(size, size)])
    return buf.getvalue()


@pytest.mark.skipif(not HAS_CAIRO, reason="the system cairo library is not installed")
async def test_an_svg_icon_is_rendered_at_emoji_size(
    client: RommClient, sim: RommSimulator
) -> None:
    icon = await PlatformIcons(client).fetch("n64")
    assert icon.ok and icon.source == "svg"
    assert icon.png is not None and png_size(icon.png) == (128, 128)
    paths = [c.path for c in sim.calls]
    assert paths == ["/assets/platforms/n64.svg"]


async def test_without_an_svg_renderer_the_ico_is_used(
    client: RommClient, sim: RommSimulator
) -> None:
    icon = await PlatformIcons(client, svg_renderer=None).fetch("n64")
    assert icon.ok and icon.source == "ico"
    assert icon.png is not None and png_size(icon.png) == (32, 32)
    assert [c.path for c in sim.calls] == ["/assets/platforms/n64.ico"]


async def test_an_icon_missing_on_romm_says_so(client: RommClient, sim: RommSimulator) -> None:
    sim.faults.fail("/assets/platforms/snes.", 404)
    icon = await PlatformIcons(client).fetch("snes")
    assert not icon.ok and icon.png is None
    assert ".ico not on RomM (404)" in icon.problem


async def test_a_file_too_large_is_not_read_and_the_next_format_is_tried(
    client: RommClient, sim: RommSimulator
) -> None:
    sim.faults.icons["psx.svg"] = b"<svg>" + b" " * (2 * 1024 * 1024)
    icon = await PlatformIcons(client).fetch("psx")
    assert icon.ok and icon.source == "ico"  # the .svg was too large; the .ico is fine
    sim.faults.icons["psx.ico"] = b"\0" * (2 * 1024 * 1024)
    icon = await PlatformIcons(client).fetch("psx")
    assert not icon.ok and ".ico too large" in icon.problem


async def test_an_icon_of_large_dimensions_is_shrunk_within_discords_limits(
    client: RommClient, sim: RommSimulator
) -> None:
    sim.faults.icons["gba.ico"] = ico(256, noise=True)
    icon = await PlatformIcons(client, svg_renderer=None).fetch("gba")
    assert icon.png is not None and png_size(icon.png) == (128, 128)
    assert len(icon.png) <= EMOJI_MAX_BYTES


async def test_a_file_that_is_not_an_image_is_refused(
    client: RommClient, sim: RommSimulator
) -> None:
    sim.faults.icons["nds.ico"] = b"<html>not found</html>"
    sim.faults.icons["nds.svg"] = b"<svg this is not xml"
    icon = await PlatformIcons(client).fetch("nds")
    assert not icon.ok and ".ico is not a readable image" in icon.problem


async def test_romm_down_is_raised_not_taken_for_a_missing_icon(
    client: RommClient, sim: RommSimulator
) -> None:
    await sim.stop()
    with pytest.raises(RommUnreachable):
        await PlatformIcons(client).fetch("n64")


async def test_only_asset_paths_are_fetched(client: RommClient) -> None:
    with pytest.raises(ValueError, match="not a RomM web asset"):
        await client.web_asset("/api/platforms", max_bytes=10)
    with pytest.raises(ValueError, match="not a RomM web asset"):
        await client.web_asset("/assets/../api/users", max_bytes=10)


def test_a_huge_noisy_picture_still_fits_an_emoji() -> None:
    image = Image.frombytes("RGBA", (1024, 1024), os.urandom(1024 * 1024 * 4))
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    assert len(buf.getvalue()) > EMOJI_MAX_BYTES
    png = to_emoji_png(buf.getvalue())
    assert png_size(png) == (128, 128) and len(png) <= EMOJI_MAX_BYTES
