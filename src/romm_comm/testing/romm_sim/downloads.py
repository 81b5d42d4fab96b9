"""Downloads: whole ROMs (one file or a zip), single ROM files, firmware.

"direct" mode answers like RomM behind its nginx (bytes, Content-Length, ETag, Range);
"accel" mode like the backend alone (empty body + X-Accel-Redirect, mod_zip manifest);
"nozip" mode like an nginx without its zip module (the Debian one): single files are bytes,
multi-file zips come back as the backend's mod_zip manifest with `X-Archive-Files: zip`.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote

from aiohttp import web

from .auth import Principal
from .content import CHUNK, BytesSource, Source, firmware_source, generated_m3u, rom_file_source
from .library import Library
from .models import Rom, RomFile
from .routes_roms import visible_rom
from .serialize_roms import rom_file_json
from .state import SimState, state_of
from .webutil import ApiError, http_date, parse_int, path_int
from .zipper import ZipEntry, build_zip

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_INLINE_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "mp3": "audio/mpeg",
    "ogg": "audio/ogg",
    "flac": "audio/flac",
    "wav": "audio/wav",
}


class _Unsatisfiable(Exception):
    pass


@dataclass
class Pace:
    """Download rate limit, in bytes per second for each download stream; None = unlimited.
    Also counts the download bodies being sent right now (tests wait on it)."""

    rate: float | None = None
    open_streams: int = 0
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    def _count(self, delta: int) -> None:
        self.open_streams += delta
        self._changed.set()

    async def wait_open(self, count: int) -> None:
        """Until exactly `count` download bodies are being sent."""
        while self.open_streams != count:
            self._changed.clear()
            await self._changed.wait()


PACE: web.AppKey[Pace] = web.AppKey("romm_sim_download_pace", Pace)


async def _write_paced(
    response: web.StreamResponse, chunks: Iterable[bytes | memoryview], rate: float
) -> None:
    """Write no byte before its due time at `rate` bytes/s (at most one CHUNK per write)."""
    loop = asyncio.get_running_loop()
    started, sent = loop.time(), 0
    for chunk in chunks:
        view = memoryview(chunk)
        for i in range(0, len(view), CHUNK):
            piece = view[i : i + CHUNK]
            sent += len(piece)
            delay = started + sent / rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            await response.write(piece)


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """(start, end-exclusive) for a single `bytes=` range; None = serve everything."""
    if not header:
        return None
    match = _RANGE.match(header.strip().replace(" ", ""))
    if not match or (not match.group(1) and not match.group(2)):
        return None  # malformed or multi-range: ignore, like nginx for multipart here
    first, last = match.group(1), match.group(2)
    if not first:
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise _Unsatisfiable
        return max(0, size - suffix), size
    start = int(first)
    if start >= size:
        raise _Unsatisfiable
    end = min(size, int(last) + 1) if last else size
    if end <= start:
        return None
    return start, end


def attachment(name: str, *, inline: bool = False) -> str:
    quoted = quote(name, safe="")
    return (
        f"{'inline' if inline else 'attachment'}; filename*=UTF-8''{quoted}; filename=\"{quoted}\""
    )


async def send_source(
    request: web.Request,
    source: Source,
    headers: dict[str, str],
    *,
    content_type: str = "application/octet-stream",
) -> web.StreamResponse:
    size = source.size
    try:
        span = parse_range(request.headers.get("Range"), size)
    except _Unsatisfiable:
        return web.Response(status=416, headers={"Content-Range": f"bytes */{size}", **headers})
    start, end = span if span is not None else (0, size)
    response = web.StreamResponse(status=206 if span else 200, headers=headers)
    response.content_type = content_type
    response.headers["Accept-Ranges"] = "bytes"
    if span:
        response.headers["Content-Range"] = f"bytes {start}-{end - 1}/{size}"
    response.content_length = end - start
    await response.prepare(request)
    pace = request.app.get(PACE)
    if request.method == "HEAD":
        await response.write_eof()
        return response
    if pace is not None:
        pace._count(1)
    try:
        if pace is not None and pace.rate:
            await _write_paced(response, source.chunks(start, end), pace.rate)
        else:
            for chunk in source.chunks(start, end):
                await response.write(chunk)
    finally:
        if pace is not None:
            pace._count(-1)
    await response.write_eof()
    return response


def _reader(state: SimState, request: web.Request, scope: str) -> Principal | None:
    if state.disable_download_auth:
        return state.auth.authenticate(request)
    return state.auth.require(request, scope)


def _nginx_headers(name: str, size: int, mtime: float, *, inline: bool = False) -> dict[str, str]:
    return {
        "Content-Disposition": attachment(name, inline=inline),
        "Last-Modified": http_date(mtime),
        "ETag": f'"{int(mtime):x}-{size:x}"',
    }


def _library_path(lib: Library, rom: Rom, f: RomFile) -> str:
    return "/library/" + quote(rom_file_json(lib, rom, f)["full_path"])


async def _serve_files(
    request: web.Request, state: SimState, rom: Rom, files: list[RomFile], zip_name: str
) -> web.StreamResponse:
    lib = state.library
    if state.download_mode == "nozip" and len(files) > 1:
        return _manifest(lib, rom, files, zip_name)
    if state.download_mode == "accel":
        if len(files) == 1:
            headers = {
                "Content-Disposition": attachment(files[0].file_name),
                "X-Accel-Redirect": _library_path(lib, rom, files[0]),
            }
            return web.Response(
                status=200, headers=headers, content_type="application/octet-stream"
            )
        return _manifest(lib, rom, files, zip_name)
    if len(files) == 1:
        f = files[0]
        return await send_source(
            request, rom_file_source(lib, f), _nginx_headers(f.file_name, f.size, f.updated_at)
        )
    entries = [ZipEntry(f.rel_path, rom_file_source(lib, f), f.updated_at) for f in files]
    m3u = generated_m3u(rom, files)
    if m3u is not None:
        entries.append(ZipEntry(f"{zip_name}.m3u", BytesSource(m3u.encode()), rom.updated_at))
    need_crc = request.method != "HEAD"
    archive = await asyncio.to_thread(build_zip, entries, with_crc=need_crc)
    headers = _nginx_headers(f"{zip_name}.zip", archive.size, rom.updated_at)
    return await send_source(request, archive, headers, content_type="application/zip")


def _manifest(lib: Library, rom: Rom, files: list[RomFile], zip_name: str) -> web.Response:
    """The backend's answer for a zip: a file list for nginx's mod_zip."""
    manifest = "".join(f"- {f.size} {_library_path(lib, rom, f)} {f.rel_path}\n" for f in files)
    headers = {"Content-Disposition": attachment(f"{zip_name}.zip"), "X-Archive-Files": "zip"}
    return web.Response(status=200, headers=headers, text=manifest, content_type="text/plain")


async def rom_content(request: web.Request) -> web.StreamResponse:
    """GET/HEAD /api/roms/{id}/content/{file_name}[?file_ids=a,b]"""
    state = state_of(request)
    principal = _reader(state, request, "roms.read")
    rom = visible_rom(state.library, principal, path_int(request, "id"))
    files = list(rom.files)
    raw_ids = request.query.get("file_ids")
    if raw_ids:
        wanted = {parse_int(x, ("query", "file_ids")) for x in raw_ids.split(",") if x.strip()}
        files = [f for f in rom.files if f.id in wanted]
        if not files:
            raise ApiError(404, "No matching files found for this ROM")
    return await _serve_files(request, state, rom, files, request.match_info["file_name"])


async def rom_file_content(request: web.Request) -> web.StreamResponse:
    """GET/HEAD /api/roms/{file_id}/files/content/{file_name} (4.8+): the id is a RomFile id."""
    state = state_of(request)
    lib = state.library
    if not lib.personality.client_tokens:
        raise web.HTTPNotFound()
    principal = _reader(state, request, "roms.read")
    f = lib.files.get(path_int(request, "id"))
    if f is None:
        raise ApiError(404, "File not found")
    rom = visible_rom(lib, principal, f.rom_id)
    if state.download_mode == "accel":
        return await _serve_files(request, state, rom, [f], f.file_name)
    ext = f.file_name.rsplit(".", 1)[-1].lower()
    content_type = _INLINE_TYPES.get(ext)
    headers = _nginx_headers(f.file_name, f.size, f.updated_at, inline=content_type is not None)
    return await send_source(
        request,
        rom_file_source(lib, f),
        headers,
        content_type=content_type or "application/octet-stream",
    )


async def firmware_content(request: web.Request) -> web.StreamResponse:
    """GET/HEAD /api/firmware/{id}/content/{file_name}: served by the backend itself."""
    state = state_of(request)
    lib = state.library
    principal = _reader(state, request, "firmware.read")
    fw = lib.firmware.get(path_int(request, "id"))
    hidden = lib.hidden_platform_ids() if not (principal and principal.is_admin) else set()
    if fw is None or fw.platform_id in hidden:
        raise ApiError(404, "Firmware not found")
    quoted = quote(fw.file_name)
    disposition = (
        f'attachment; filename="{fw.file_name}"'
        if quoted == fw.file_name
        else f"attachment; filename*=utf-8''{quoted}"
    )
    headers = {
        "Content-Disposition": disposition,
        "Last-Modified": http_date(fw.updated_at),
        "ETag": f'"{fw.md5}"',
    }
    return await send_source(request, firmware_source(lib, fw), headers)


def setup(app: web.Application) -> None:
    for method in ("GET", "HEAD"):
        app.router.add_route(method, "/api/roms/{id}/content/{file_name:[^/]+}", rom_content)
        app.router.add_route(
            method, "/api/roms/{id}/files/content/{file_name:[^/]+}", rom_file_content
        )
        app.router.add_route(
            method, "/api/firmware/{id}/content/{file_name:[^/]+}", firmware_content
        )
