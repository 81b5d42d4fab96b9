"""Web-root assets (served by nginx in RomM, no auth): platform icons and ROM covers."""

from __future__ import annotations

import asyncio

from aiohttp import web

from .catalog import KNOWN_PLATFORMS
from .images import cover_png, platform_ico, platform_svg
from .state import state_of

_ICONS = {p.slug: p.icon for p in KNOWN_PLATFORMS if p.icon}
_CACHE = {"Cache-Control": "max-age=3600"}


async def platform_icon(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    slug, _, ext = name.rpartition(".")
    replaced = state_of(request).faults.icons.get(name)
    if replaced is not None:
        ctype = "image/svg+xml" if ext == "svg" else "image/x-icon"
        return web.Response(body=replaced, content_type=ctype, headers=_CACHE)
    if name == "default.ico":
        return web.Response(
            body=platform_ico("default"), content_type="image/x-icon", headers=_CACHE
        )
    kind = _ICONS.get(slug)
    if ext == "svg" and kind == "svg":
        return web.Response(body=platform_svg(slug), content_type="image/svg+xml", headers=_CACHE)
    if ext == "ico" and kind in ("svg", "ico"):
        return web.Response(body=platform_ico(slug), content_type="image/x-icon", headers=_CACHE)
    raise web.HTTPNotFound()


async def rom_cover(request: web.Request) -> web.Response:
    lib = state_of(request).library
    size = request.match_info["size"]
    try:
        platform_id, rom_id = (
            int(request.match_info["platform_id"]),
            int(request.match_info["rom_id"]),
        )
    except ValueError:
        raise web.HTTPNotFound() from None
    rom = lib.roms.get(rom_id)
    if rom is None or rom.platform_id != platform_id or not (rom.has_cover and rom.is_identified):
        raise web.HTTPNotFound()
    if size not in ("small", "big"):
        raise web.HTTPNotFound()
    body = await asyncio.to_thread(cover_png, f"{lib.seed}:{rom.id}", rom.name, size)
    return web.Response(body=body, content_type="image/png", headers=_CACHE)


def setup(app: web.Application) -> None:
    app.router.add_get("/assets/platforms/{name}", platform_icon)
    app.router.add_get(
        "/assets/romm/resources/roms/{platform_id}/{rom_id}/cover/{size}.png", rom_cover
    )
