"""ROM endpoints: list/search, detail, simple, random, lookups."""

from __future__ import annotations

from aiohttp import web

from .auth import Principal
from .library import Library
from .models import Rom
from .rom_query import cached_filter_values, list_roms, visible_roms
from .serialize_roms import detailed_rom_json, simple_rom_json
from .state import SimState, state_of
from .webutil import ApiError, json_response, parse_int, path_int, query_int_list, query_opt_int

_PROVIDER_IDS = (
    "igdb_id", "moby_id", "ss_id", "ra_id", "launchbox_id", "hasheous_id", "tgdb_id",
    "flashpoint_id", "hltb_id",
)  # fmt: skip


def visible_rom(lib: Library, principal: Principal | None, rom_id: int) -> Rom:
    rom = lib.roms.get(rom_id)
    hidden = rom is not None and rom.platform_id in lib.hidden_platform_ids()
    if rom is None or (hidden and not (principal and principal.is_admin)):
        raise ApiError(404, f"ROM with ID {rom_id} not found")
    return rom


def _reader(state: SimState, request: web.Request) -> Principal:
    """roms.read; under DISABLE_DOWNLOAD_ENDPOINT_AUTH an anonymous caller gets RomM 5.2's
    answer for these routes: a 500 (`UnauthenticatedUser has no attribute id`)."""
    if state.disable_download_auth:
        principal = state.auth.authenticate(request)
        if principal is None:
            raise RuntimeError("UnauthenticatedUser has no attribute 'id' (RomM upstream bug)")
        if "roms.read" not in principal.scopes:
            raise ApiError(403, "Forbidden")
        return principal
    return state.auth.require(request, "roms.read")


async def get_roms(request: web.Request) -> web.Response:
    state = state_of(request)
    principal = state.auth.require(request, "roms.read")
    return json_response(list_roms(request, state.library, principal))


async def get_rom(request: web.Request) -> web.Response:
    state = state_of(request)
    principal = _reader(state, request)
    rom = visible_rom(state.library, principal, path_int(request, "id"))
    return json_response(detailed_rom_json(state.library, rom, user_id=principal.user.id))


async def get_rom_simple(request: web.Request) -> web.Response:
    state = state_of(request)
    if not state.library.personality.simple_route:
        raise web.HTTPNotFound()
    principal = _reader(state, request)
    rom = visible_rom(state.library, principal, path_int(request, "id"))
    return json_response(simple_rom_json(state.library, rom, with_files=True))


async def random_rom(request: web.Request) -> web.Response:
    state = state_of(request)
    principal = state.auth.require(request, "roms.read")
    lib = state.library
    if not lib.personality.random_route:
        parse_int("random", ("path", "id"))  # before 5.2 this path is /api/roms/{id} -> 422
    platform_ids = set(query_int_list(request, "platform_ids"))
    roms = visible_roms(lib, principal, list(lib.roms.values()))
    if platform_ids:
        roms = [r for r in roms if r.platform_id in platform_ids]
    if not roms:
        return json_response(None)
    picked = state.rng.choice(roms)
    if state.random_picks:  # a test chose the draw
        chosen = state.random_picks.pop(0)
        picked = next(r for r in roms if r.id == chosen)
    return json_response(simple_rom_json(lib, picked, with_files=True))


async def rom_filters(request: web.Request) -> web.Response:
    state = state_of(request)
    principal = state.auth.require(request, "roms.read")
    lib = state.library
    if not lib.personality.filters_route:
        parse_int("filters", ("path", "id"))
    return json_response(cached_filter_values(lib, principal))


async def rom_identifiers(request: web.Request) -> web.Response:
    state = state_of(request)
    principal = state.auth.require(request, "roms.read")
    lib = state.library
    if not lib.personality.identifiers_routes:
        parse_int("identifiers", ("path", "id"))
    return json_response([r.id for r in visible_roms(lib, principal, list(lib.roms.values()))])


async def by_metadata_provider(request: web.Request) -> web.Response:
    state = state_of(request)
    principal = _reader(state, request)
    lib = state.library
    wanted = {key: query_opt_int(request, key) for key in _PROVIDER_IDS if key != "flashpoint_id"}
    wanted = {k: v for k, v in wanted.items() if v is not None}
    if not wanted:
        raise ApiError(400, "At least one metadata ID must be provided")
    for rom in visible_roms(lib, principal, list(lib.roms.values())):
        if all(getattr(rom, key, None) == value for key, value in wanted.items()):
            return json_response(detailed_rom_json(lib, rom, user_id=principal.user.id))
    raise ApiError(404, "ROM not found with given metadata IDs")


async def by_hash(request: web.Request) -> web.Response:
    state = state_of(request)
    principal = _reader(state, request)
    lib = state.library
    values = [request.query.get(k, "") for k in ("crc_hash", "md5_hash", "sha1_hash", "ra_hash")]
    values = [v.strip().lower() for v in values if v.strip()]
    if not values:
        raise ApiError(400, "At least one hash must be provided")
    for value in values:
        for rom_id in sorted(lib.roms_with_hash(value)):
            rom = lib.roms[rom_id]
            if rom.platform_id not in lib.hidden_platform_ids() or principal.is_admin:
                return json_response(detailed_rom_json(lib, rom, user_id=principal.user.id))
    raise ApiError(404, "ROM not found with given hash values")


def setup(app: web.Application) -> None:
    get = app.router.add_get
    get("/api/roms", get_roms, allow_head=False)
    get("/api/roms/random", random_rom, allow_head=False)
    get("/api/roms/filters", rom_filters, allow_head=False)
    get("/api/roms/identifiers", rom_identifiers, allow_head=False)
    get("/api/roms/by-metadata-provider", by_metadata_provider, allow_head=False)
    get("/api/roms/by-hash", by_hash, allow_head=False)
    get("/api/roms/{id}", get_rom, allow_head=False)
    get("/api/roms/{id}/simple", get_rom_simple, allow_head=False)
