"""Platform icons from the connected RomM server, as PNGs that Discord accepts as emojis.

RomM's web server serves `/assets/platforms/{slug}.svg`, else `{slug}.ico`, without auth;
nothing is fetched from anywhere else and nothing is bundled. SVG is rendered with CairoSVG
when it can be loaded (it needs the system's cairo library) — in its safe mode, which
fetches nothing an SVG refers to — otherwise the `.ico` is used. Every image becomes a PNG of
at most 128×128 pixels and 256 KiB (Discord's emoji limits). Image work runs in a thread.
"""

from __future__ import annotations

import asyncio
import importlib
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote

from PIL import Image, UnidentifiedImageError

from ...romm.client import RommClient
from ...romm.errors import RommBadResponse, RommError, RommUnreachable

log = logging.getLogger(__name__)

EMOJI_SIZE = 128  # pixels, Discord's emoji size
EMOJI_MAX_BYTES = 256 * 1024  # Discord refuses larger emoji images
MAX_DOWNLOAD = 1024 * 1024  # an icon file larger than this is not read at all
MAX_PIXELS = 4096 * 4096  # a larger raster is refused before it is decoded
RASTER_FORMATS = ("ICO", "PNG", "BMP", "GIF", "JPEG", "WEBP")

SvgRenderer = Callable[[bytes, int], bytes]  # (svg bytes, size) → PNG bytes


class IconError(Exception):
    """This file cannot be turned into an emoji image (the message says why)."""


@dataclass(frozen=True)
class Icon:
    slug: str
    png: bytes | None
    source: str = ""  # "svg" or "ico"
    problem: str = ""  # why there is no PNG

    @property
    def ok(self) -> bool:
        return self.png is not None


def cairo_svg_renderer() -> SvgRenderer | None:
    """CairoSVG when it and the system cairo library load; None otherwise."""
    try:
        cairosvg = importlib.import_module("cairosvg")
    except (ImportError, OSError) as exc:
        log.info("SVG icons cannot be rendered here (%s); .ico icons are used", exc)
        return None

    def render(svg: bytes, size: int) -> bytes:
        # unsafe=False: no external files, entities or URLs; only data: URIs are read.
        png: bytes = cairosvg.svg2png(
            bytestring=svg, output_width=size, output_height=size, unsafe=False
        )
        return png

    return render


class PlatformIcons:
    def __init__(
        self,
        client: RommClient,
        *,
        svg_renderer: SvgRenderer | Literal["auto"] | None = "auto",
        max_download: int = MAX_DOWNLOAD,
    ) -> None:
        self.client = client
        # "auto": CairoSVG if it loads; None: SVG icons are never used (the .ico is).
        self.svg_renderer = cairo_svg_renderer() if svg_renderer == "auto" else svg_renderer
        self.max_download = max_download

    async def fetch(self, slug: str) -> Icon:
        """The platform's icon as an emoji PNG, or why there is none.

        RomM being unreachable is raised (RommUnreachable): that says nothing about the icon.
        """
        problems: list[str] = []
        for ext in ("svg", "ico"):
            if ext == "svg" and self.svg_renderer is None:
                continue
            path = f"/assets/platforms/{quote(slug, safe='')}.{ext}"
            try:
                data = await self.client.web_asset(path, max_bytes=self.max_download)
            except RommUnreachable:
                raise
            except RommBadResponse as exc:
                problems.append(f".{ext} {_short(exc)}")
                continue
            except RommError as exc:
                status = exc.status or "error"
                problems.append(f".{ext} not on RomM ({status})")
                continue
            try:
                png = await asyncio.to_thread(self._convert, data, ext)
            except IconError as exc:
                problems.append(f".{ext} {exc}")
                continue
            return Icon(slug, png, ext)
        problem = "; ".join(problems) or "no icon"
        log.info("platform %s: no emoji image (%s)", slug, problem)
        return Icon(slug, None, problem=problem)

    def _convert(self, data: bytes, ext: str) -> bytes:
        if ext == "svg":
            assert self.svg_renderer is not None
            try:
                rendered = self.svg_renderer(data, EMOJI_SIZE)
            except Exception as exc:  # any parse or render failure of a foreign file
                raise IconError(f"could not be rendered ({type(exc).__name__})") from None
            return to_emoji_png(rendered)
        return to_emoji_png(data)


def _short(exc: RommBadResponse) -> str:
    return "too large" if "larger than" in exc.detail else "unreadable"


def to_emoji_png(data: bytes) -> bytes:
    """Any raster RomM serves (.ico, .png...) → a PNG within Discord's emoji limits."""
    try:
        with Image.open(io.BytesIO(data), formats=RASTER_FORMATS) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise IconError(f"too large ({width}×{height} pixels)")
            image.load()
            rgba = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise IconError(f"is not a readable image ({type(exc).__name__})") from None
    size = EMOJI_SIZE
    while True:
        frame = rgba.copy()
        frame.thumbnail((size, size), Image.Resampling.LANCZOS)
        png = _png(frame)
        if len(png) <= EMOJI_MAX_BYTES:
            return png
        reduced = _png(frame.quantize(colors=256).convert("RGBA"))
        if len(reduced) <= EMOJI_MAX_BYTES:
            return reduced
        if size <= 32:
            raise IconError("cannot be made small enough")
        size //= 2


def _png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    return buf.getvalue()
