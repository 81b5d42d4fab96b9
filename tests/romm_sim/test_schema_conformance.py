"""Simulator answers validate against RomM 5.2's own OpenAPI component schemas.

The schemas are a copy (tests/data/romm_openapi_subset.json) of RomM's `/openapi.json`. Object
schemas are made strict (no properties beyond the documented ones) so a misspelt field fails.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from jsonschema import Draft202012Validator

from romm_comm.testing.romm_sim import RommSimulator

from .conftest import bearer

SUBSET = Path(__file__).resolve().parent.parent / "data" / "romm_openapi_subset.json"


def _strict(node: Any) -> Any:
    if isinstance(node, dict):
        out = {k: _strict(v) for k, v in node.items()}
        if "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        return out
    if isinstance(node, list):
        return [_strict(v) for v in node]
    return node


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    doc = json.loads(SUBSET.read_text("utf-8"))
    return {**doc, "components": {"schemas": _strict(doc["components"]["schemas"])}}


def check(document: dict[str, Any], schema: dict[str, Any], instance: Any) -> None:
    root = {**copy.deepcopy(document), **schema}
    errors = sorted(Draft202012Validator(root).iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def array_of(name: str) -> dict[str, Any]:
    return {"type": "array", "items": ref(name)}


async def _get(sim: RommSimulator, http: aiohttp.ClientSession, path: str) -> Any:
    async with http.get(f"{sim.url}{path}", headers=bearer(sim.admin_token)) as resp:
        assert resp.status == 200, f"{path}: {resp.status}"
        return await resp.json()


async def test_system_and_stats(
    sim: RommSimulator, http: aiohttp.ClientSession, document: dict[str, Any]
) -> None:
    check(document, ref("HeartbeatResponse"), await _get(sim, http, "/api/heartbeat"))
    check(document, ref("ConfigResponse"), await _get(sim, http, "/api/config"))
    check(document, ref("StatsReturn"), await _get(sim, http, "/api/stats"))
    with_platforms = await _get(sim, http, "/api/stats?include_platform_stats=true")
    assert with_platforms["METADATA_COVERAGE"] and with_platforms["REGION_BREAKDOWN"]
    check(document, ref("StatsReturn"), with_platforms)


async def test_platforms_and_firmware(
    sim: RommSimulator, http: aiohttp.ClientSession, document: dict[str, Any]
) -> None:
    platforms = await _get(sim, http, "/api/platforms")
    assert len(platforms) == 12
    check(document, array_of("PlatformSchema"), platforms)
    check(document, ref("PlatformSchema"), await _get(sim, http, "/api/platforms/2"))
    firmware = await _get(sim, http, "/api/firmware")
    assert firmware
    check(document, array_of("FirmwareSchema"), firmware)


async def test_rom_envelope_detail_simple_random(
    sim: RommSimulator, http: aiohttp.ClientSession, document: dict[str, Any]
) -> None:
    page = ref("CustomLimitOffsetPage_SimpleRomSchema_")
    check(document, page, await _get(sim, http, "/api/roms?limit=50"))
    check(document, page, await _get(sim, http, "/api/roms?limit=50&offset=150&with_files=true"))
    check(
        document,
        page,
        await _get(sim, http, "/api/roms?limit=5&with_total=false&with_filter_values=false"),
    )
    for rom in list(sim.library.roms.values())[:40]:  # core games: every shape of ROM
        check(document, ref("DetailedRomSchema"), await _get(sim, http, f"/api/roms/{rom.id}"))
    check(document, ref("SimpleRomSchema"), await _get(sim, http, "/api/roms/2/simple"))
    check(document, ref("SimpleRomSchema"), await _get(sim, http, "/api/roms/random"))
    found = await _get(sim, http, "/api/roms/by-metadata-provider?igdb_id=1074")
    assert found["name"] == "Super Mario 64"
    check(document, ref("DetailedRomSchema"), found)


async def test_users_and_tokens(
    sim: RommSimulator, http: aiohttp.ClientSession, document: dict[str, Any]
) -> None:
    check(document, ref("UserSchema"), await _get(sim, http, "/api/users/me"))
    check(document, array_of("UserSchema"), await _get(sim, http, "/api/users"))
    form = {
        "grant_type": "password",
        "username": "admin",
        "password": sim.admin_password,
        "scope": "me.read",
    }
    async with http.post(f"{sim.url}/api/token", data=form) as resp:
        check(document, ref("TokenResponse"), await resp.json())
    payload = {"name": "schema", "scopes": ["me.read"], "expires_in": "30d"}
    async with http.post(
        f"{sim.url}/api/client-tokens", json=payload, headers=bearer(sim.admin_token)
    ) as resp:
        assert resp.status == 201
        created = await resp.json()
    assert created["expires_at"] is not None
    check(document, ref("ClientTokenCreateSchema"), created)
    check(document, array_of("ClientTokenSchema"), await _get(sim, http, "/api/client-tokens"))


def test_strictness_catches_a_misspelt_field(document: dict[str, Any]) -> None:
    firmware = {
        "id": 1, "file_name": "a.bin", "file_name_no_tags": "a", "file_name_no_ext": "a",
        "file_extension": "bin", "file_path": "bios/x", "file_size_bytes": 1,
        "full_path": "bios/x/a.bin", "is_verified": True, "crc_hash": "0", "md5_hash": "0",
        "sha1_hash": "0", "missing_from_fs": False, "created_at": "t", "updated_at": "t",
    }  # fmt: skip
    check(document, ref("FirmwareSchema"), firmware)
    with pytest.raises(AssertionError):
        check(document, ref("FirmwareSchema"), {**firmware, "file_sizes_bytes": 1})
