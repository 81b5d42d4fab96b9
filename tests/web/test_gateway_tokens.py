"""A gateway link works only as handed out: re-encodings of its token are refused and never
logged as downloads of their own."""

from __future__ import annotations

import aiohttp
from yarl import URL

from romm_comm.app.root import App
from romm_comm.testing.romm_sim import RommSimulator

from .conftest import rom_by_fs_name, rom_link, split_link

MARIO = "Super Mario 64 (USA).z64"


async def link_with(app: App, sim: RommSimulator, char: str) -> str:
    """A link whose token holds `char` (tokens differ per person)."""
    rom_id = rom_by_fs_name(sim, MARIO)
    for n in range(500):
        url = await rom_link(app, rom_id, user=("test", str(1000 + n), f"p{n}"))
        if char in split_link(url)[1]:
            return url
    raise AssertionError(f"no token with {char!r}")


async def download_rows(app: App) -> int:
    await app.web.gateway.settle()  # type: ignore[union-attr]
    async with app.services.store.conn.execute("SELECT COUNT(*) FROM downloads") as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0


async def test_only_the_canonical_token_downloads(
    app: App, sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    dashed = await link_with(app, sim, "-")
    base, token, name = split_link(dashed)
    variants = [
        token + "=",
        token + "==",
        token.replace("-", "+", 1),
        "%00" + token,
        token + "%00",
        token[:5] + "%00" + token[5:],
    ]
    for variant in variants:
        async with http.get(URL(f"{base}/dl/{variant}/{name}", encoded=True)) as resp:
            assert resp.status == 403, variant
    assert await download_rows(app) == 0
    async with http.get(URL(dashed, encoded=True)) as resp:
        assert resp.status == 200
        await resp.read()
    assert await download_rows(app) == 1
