"""Platforms and firmware endpoints."""

from __future__ import annotations

import time

from aiohttp import web

from .auth import Principal
from .library import Library
from .models import Platform
from .serialize import firmware_json, platform_json
from .state import state_of
from .webutil import (
    ApiError,
    body_error,
    json_response,
    parse_int,
    path_int,
    query_datetime,
    query_opt_int,
)


def visible_platform(lib: Library, principal: Principal | None, platform_id: int) -> Platform:
    platform = lib.platforms.get(platform_id)
    hidden = platform is not None and platform.id in lib.hidden_platform_ids()
    if platform is None or (hidden and not (principal and principal.is_admin)):
        raise ApiError(404, f"Platform with ID {platform_id} not found")
    return platform


async def list_platforms(request: web.Request) -> web.Response:
    state = state_of(request)
    principal = state.auth.require(request, "platforms.read")
    lib = state.library
    hidden = set() if principal.is_admin else lib.hidden_platform_ids()
    after = query_datetime(request, "updated_after")
    platforms = [
        p
        for p in sorted(lib.platforms.values(), key=lambda p: (p.name.lower(), p.id))
        if p.id not in hidden and (after is None or p.updated_at > after.timestamp())
    ]
    return json_response([platform_json(lib, p) for p in platforms])


async def platform_identifiers(request: web.Request) -> web.Response:
    state = state_of(request)
    principal = state.auth.require(request, "platforms.read")
    lib = state.library
    if not lib.personality.identifiers_routes:
        parse_int("identifiers", ("path", "id"))  # older RomM: taken as /{id} -> 422
    hidden = set() if principal.is_admin else lib.hidden_platform_ids()
    return json_response([p.id for p in lib.platforms.values() if p.id not in hidden])


async def get_platform(request: web.Request) -> web.Response:
    state = state_of(request)
    principal = state.auth.require(request, "platforms.read")
    platform = visible_platform(state.library, principal, path_int(request, "id"))
    return json_response(platform_json(state.library, platform))


async def update_platform(request: web.Request) -> web.Response:
    state = state_of(request)
    principal = state.auth.require(request, "platforms.write")
    lib = state.library
    platform = visible_platform(lib, principal, path_int(request, "id"))
    try:
        body = await request.json()
    except ValueError:
        body = dict(await request.post())
    if not isinstance(body, dict):
        raise body_error((), "model_attributes_type", "Input should be a valid dictionary", body)
    if "custom_name" in body:
        lib.rename_platform(platform.id, str(body.get("custom_name") or ""))
    if "description" in body:
        platform.description = str(body.get("description") or "")
        platform.updated_at = time.time()
    return json_response(platform_json(lib, platform))


async def list_firmware(request: web.Request) -> web.Response:
    state = state_of(request)
    principal = state.auth.require(request, "firmware.read")
    lib = state.library
    platform_id = query_opt_int(request, "platform_id")
    hidden = set() if principal.is_admin else lib.hidden_platform_ids()
    firmware = sorted(lib.firmware.values(), key=lambda f: (f.platform_id, f.file_name))
    return json_response(
        [
            firmware_json(f, lib)
            for f in firmware
            if f.platform_id not in hidden and (platform_id is None or f.platform_id == platform_id)
        ]
    )


async def get_firmware(request: web.Request) -> web.Response:
    state = state_of(request)
    if state.disable_download_auth:
        principal = state.auth.authenticate(request)
    else:
        principal = state.auth.require(request, "firmware.read")
    lib = state.library
    firmware = lib.firmware.get(path_int(request, "id"))
    hidden = set() if principal and principal.is_admin else lib.hidden_platform_ids()
    if firmware is None or firmware.platform_id in hidden:
        raise ApiError(404, "Firmware not found")
    return json_response(firmware_json(firmware, lib))


async def supported_platforms(request: web.Request) -> web.Response:
    """Every platform RomM knows; those not in the library come with id -1 (as RomM 5.2)."""
    from .catalog import KNOWN_PLATFORMS

    state = state_of(request)
    state.auth.require(request, "platforms.read")
    lib = state.library
    present = {p.slug: p for p in lib.platforms.values()}
    out = []
    for info in sorted(KNOWN_PLATFORMS, key=lambda i: i.slug):
        platform = present.get(info.slug) or Platform(-1, info)
        out.append(platform_json(lib, platform))
    return json_response(out)


def setup(app: web.Application) -> None:
    app.router.add_get("/api/platforms", list_platforms, allow_head=False)
    app.router.add_get("/api/platforms/supported", supported_platforms, allow_head=False)
    app.router.add_get("/api/platforms/identifiers", platform_identifiers, allow_head=False)
    app.router.add_get("/api/platforms/{id}", get_platform, allow_head=False)
    app.router.add_put("/api/platforms/{id}", update_platform)
    app.router.add_get("/api/firmware", list_firmware, allow_head=False)
    app.router.add_get("/api/firmware/{id}", get_firmware, allow_head=False)
