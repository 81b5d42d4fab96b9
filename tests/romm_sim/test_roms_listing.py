"""GET /api/roms: search encoding, pagination, ordering, filters, envelope flags, hidden."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest

from romm_comm.testing.romm_sim import RommSimulator

from .conftest import SPEC, basic, bearer

QUIET = {"with_char_index": "false", "with_filter_values": "false", "with_rom_id_index": "false"}


async def _roms(sim: RommSimulator, http: aiohttp.ClientSession, **params: Any) -> Any:
    query = {"limit": "100", **QUIET, **{k: str(v) for k, v in params.items()}}
    async with http.get(
        f"{sim.url}/api/roms", params=query, headers=bearer(sim.admin_token)
    ) as resp:
        assert resp.status == 200, await resp.text()
        return await resp.json()


SPECIAL_TERMS = [
    ("Tom & Jerry", "Tom & Jerry (USA).gb"),
    ("C# Quest", "C# Quest {Europe} [!] (%s, {0}; Rev 1).nes"),
    ("Dr. Mario + Tetris", "Dr. Mario + Tetris (USA).nes"),
    ("100% Orange", "100% Orange Juice.nds"),
    ("Link's Awakening", "Link's Awakening DX (USA).gbc"),
    ('"Quoted"', 'The "Quoted" Game.gba'),
    ("Pokémon Ranger", "Pokémon Ranger (Europe).nds"),
    ("pokemon ranger", "Pokémon Ranger (Europe).nds"),
    ("ドラゴンクエスト", "ドラゴンクエスト (Japan).nes"),
    ("zelda: a link to the past", "The Legend of Zelda - A Link to the Past (USA).sfc"),
]
# On MariaDB a required FULLTEXT term that is too short ("dr") or a stop word ("the") finds nothing.
NOTHING_ON_MARIADB = {"Dr. Mario + Tetris", "zelda: a link to the past"}


@pytest.mark.parametrize(("term", "fs_name"), SPECIAL_TERMS)
async def test_search_with_special_characters_on_mariadb(
    sim: RommSimulator, http: aiohttp.ClientSession, term: str, fs_name: str
) -> None:
    page = await _roms(sim, http, search_term=term)
    expected = [] if term in NOTHING_ON_MARIADB else [fs_name]
    assert [item["fs_name"] for item in page["items"]] == expected
    assert page["total"] == len(expected)


@pytest.mark.parametrize(("term", "fs_name"), SPECIAL_TERMS)
async def test_search_with_special_characters_on_postgresql(
    http: aiohttp.ClientSession, term: str, fs_name: str
) -> None:
    async with RommSimulator(library=SPEC, search_dialect="postgresql") as pg:
        page = await _roms(pg, http, search_term=term)
    assert [item["fs_name"] for item in page["items"]] == [fs_name]
    assert page["total"] == 1


@pytest.mark.parametrize(
    ("term", "found"),
    [
        ("the legend", 0),  # "the" is an InnoDB stop word
        ("dr. mario", 0),  # "dr" is shorter than innodb_ft_min_token_size
        ("tom and jerry", 0),  # "and" is an ordinary word there: "&" does not match it
        ("tom & jerry", 1),  # "&" goes through LIKE and must be typed
        ("%", 200),  # LIKE '%%%': everything
        ("_", 200),
    ],
)
async def test_mariadb_fulltext_quirks(
    sim: RommSimulator, http: aiohttp.ClientSession, term: str, found: int
) -> None:
    page = await _roms(sim, http, search_term=term)
    assert page["total"] == found, [i["name"] for i in page["items"]]


async def test_search_terms_arrive_percent_encoded(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    sim.reset_calls()
    await _roms(sim, http, search_term="Tom & Jerry #1 100%")
    query = sim.calls[-1].query
    assert "%26" in query and "%23" in query and "%25" in query


async def test_pipe_separates_alternatives(sim: RommSimulator, http: aiohttp.ClientSession) -> None:
    names = {i["fs_name"] for i in (await _roms(sim, http, search_term="zelda|tetris"))["items"]}
    assert {
        "The Legend of Zelda - A Link to the Past (USA).sfc",
        "Tetris (World) (Rev 1).gb",
        "Link's Awakening DX (USA).gbc",
        "Dr. Mario + Tetris (USA).nes",
    } <= names
    assert all("zelda" in n.lower() or "tetris" in n.lower() or "link" in n.lower() for n in names)
    piped = await _roms(sim, http, search_term="Pipe | Dream")
    assert "Pipe | Dream.gbc" in {i["fs_name"] for i in piped["items"]}


async def test_search_by_file_hash(sim: RommSimulator, http: aiohttp.ClientSession) -> None:
    rom = sim.library.roms[1]
    crc = sim.library.file_hashes(rom.files[0])[0]
    page = await _roms(sim, http, search_term=crc)
    assert [i["id"] for i in page["items"]] == [1]


async def test_pagination_walks_the_whole_result_once(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    seen: list[int] = []
    offset = 0
    while True:
        page = await _roms(sim, http, limit=37, offset=offset)
        assert page["limit"] == 37 and page["offset"] == offset and page["total"] == 200
        seen += [i["id"] for i in page["items"]]
        if len(page["items"]) < 37:
            break
        offset += 37
    assert sorted(seen) == sorted(sim.library.roms) and len(seen) == len(set(seen))
    keys = [sim.library.roms[i].sort_key for i in seen]
    assert keys == sorted(keys)


async def test_default_envelope_has_indexes_and_flags_turn_them_off(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    url = f"{sim.url}/api/roms"
    async with http.get(url, params={"limit": "2"}, headers=bearer(sim.admin_token)) as resp:
        full = await resp.json()
    assert len(full["items"]) == 2 and len(full["rom_id_index"]) == 200
    assert full["rom_id_index"][:2] == [i["id"] for i in full["items"]]
    assert full["char_index"] and min(full["char_index"].values()) == 0
    assert full["filter_values"]["platforms"] == sorted(sim.library.platforms)
    assert "USA" in full["filter_values"]["regions"]
    assert all(item["files"] == [] for item in full["items"])
    quiet = await _roms(sim, http, limit=2, with_total="false")
    assert quiet["char_index"] == {} and quiet["rom_id_index"] == [] and quiet["total"] is None
    assert all(v == [] for v in quiet["filter_values"].values())


async def test_limit_is_validated_like_fastapi(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    for bad in ("0", "10001", "ten"):
        url = f"{sim.url}/api/roms"
        async with http.get(url, params={"limit": bad}, headers=bearer(sim.admin_token)) as resp:
            assert resp.status == 422
            detail = (await resp.json())["detail"]
            assert detail[0]["loc"] == ["query", "limit"]


async def test_order_by_size_desc_and_platform_filter(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    page = await _roms(sim, http, order_by="fs_size_bytes", order_dir="desc", limit=20)
    sizes = [i["fs_size_bytes"] for i in page["items"]]
    assert sizes == sorted(sizes, reverse=True)
    psx = sim.library.platform_by_slug("psx")
    snes = sim.library.platform_by_slug("snes")
    assert psx and snes
    url = f"{sim.url}/api/roms?platform_ids={psx.id}&platform_ids={snes.id}&limit=200"
    async with http.get(url, headers=bearer(sim.admin_token)) as resp:
        items = (await resp.json())["items"]
    assert {i["platform_id"] for i in items} == {psx.id, snes.id}
    assert len(items) == len(sim.library.roms_of(psx.id)) + len(sim.library.roms_of(snes.id))


async def test_matched_and_with_files(sim: RommSimulator, http: aiohttp.ClientSession) -> None:
    unmatched = await _roms(sim, http, matched="false", limit=200)
    assert unmatched["items"] and all(i["is_unidentified"] for i in unmatched["items"])
    assert all(i["path_cover_small"] == "" and i["igdb_id"] is None for i in unmatched["items"])
    ff7 = await _roms(sim, http, search_term="Final Fantasy VII (USA)", with_files="true")
    item = ff7["items"][0]
    assert item["has_multiple_files"] and len(item["files"]) == 6


async def test_updated_after_sees_new_games(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    cutoff = datetime.fromtimestamp(time.time() - 1, UTC).isoformat()
    assert (await _roms(sim, http, updated_after=cutoff))["total"] == 0
    n64 = sim.library.platform_by_slug("n64")
    assert n64 is not None
    added = sim.library.add_rom(
        n64.id, name="Banjo-Kazooie", igdb_id=1083, files=[("Banjo-Kazooie (USA).z64", 16 << 20)]
    )
    page = await _roms(sim, http, updated_after=cutoff)
    assert [i["id"] for i in page["items"]] == [added["id"]]
    assert page["items"][0]["name"] == "Banjo-Kazooie" and page["total"] == 1


async def test_hidden_platform_is_invisible_to_plain_users(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    hidden = [p for p in sim.library.platforms.values() if p.hidden]
    assert len(hidden) == 1
    pid = hidden[0].id
    user = basic("alice", "alice-password")
    async with http.get(f"{sim.url}/api/platforms", headers=user) as resp:
        assert pid not in {p["id"] for p in await resp.json()}
    async with http.get(f"{sim.url}/api/platforms/{pid}", headers=user) as resp:
        assert resp.status == 404
    async with http.get(f"{sim.url}/api/roms", params={"limit": "500"}, headers=user) as resp:
        page = await resp.json()
    assert pid not in {i["platform_id"] for i in page["items"]}
    assert page["total"] == 200 - len(sim.library.roms_of(pid))
    rom_id = sim.library.roms_of(pid)[0].id
    async with http.get(f"{sim.url}/api/roms/{rom_id}", headers=user) as resp:
        assert resp.status == 404
    async with http.get(f"{sim.url}/api/platforms/{pid}", headers=bearer(sim.admin_token)) as resp:
        assert resp.status == 200
