"""Every file name RomM can hold downloads through the gateway: braces, brackets, `%s`, `{0}`,
`;`, `#`, `&`, `%` (issue 19: a name with `{` or `}` got a link that always answered 403)."""

from __future__ import annotations

from urllib.parse import quote

import aiohttp
import pytest

from romm_comm.app.root import App
from romm_comm.testing.romm_sim import RommSimulator

from .conftest import rom_by_fs_name, rom_link


@pytest.mark.parametrize(
    "fs_name",
    [
        "Brace {Europe} (Rev 1).gb",
        "Format %s {0} [b1]; v2.gb",
        "}{ only braces {{}}.gb",
        "C# Quest {Europe} [!] (%s, {0}; Rev 1).nes",
        "Tom & Jerry (USA).gb",
        "100% Orange Juice.nds",
    ],
)
async def test_a_tricky_name_downloads_byte_exact(
    app: App, sim: RommSimulator, http: aiohttp.ClientSession, fs_name: str
) -> None:
    if not any(r.fs_name == fs_name for r in sim.library.roms.values()):
        gb = sim.library.platform_by_slug("gb")
        assert gb is not None
        sim.library.add_rom(gb.id, fs_name=fs_name, files=[(fs_name, 5000)])
    rom_id = rom_by_fs_name(sim, fs_name)
    rom = sim.library.roms[rom_id]
    url = await rom_link(app, rom_id)
    assert url.endswith("/" + quote(fs_name, safe=""))
    async with http.get(url) as resp:
        body = await resp.read()
        disposition = resp.headers.get("Content-Disposition", "")
    assert resp.status == 200, body[:200]
    assert body == sim.library.file_bytes(rom.files[0].id)
    assert f"filename*=UTF-8''{quote(fs_name, safe='')}" in disposition
