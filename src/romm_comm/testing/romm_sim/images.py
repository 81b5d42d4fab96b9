"""Small generated images: platform icons (.svg / .ico) and ROM covers (.png)."""

from __future__ import annotations

import hashlib
import io
from functools import lru_cache
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw


def _color(key: str) -> tuple[int, int, int]:
    digest = hashlib.sha1(key.encode()).digest()  # noqa: S324 - a colour, not security
    return 40 + digest[0] % 160, 40 + digest[1] % 160, 40 + digest[2] % 160


def _label(slug: str) -> str:
    return slug.replace("-", "")[:4].upper()


@lru_cache(maxsize=512)
def platform_svg(slug: str) -> bytes:
    r, g, b = _color(slug)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">'
        f'<rect x="2" y="2" width="60" height="60" rx="10" fill="rgb({r},{g},{b})"/>'
        '<text x="32" y="38" font-family="sans-serif" font-size="16" font-weight="bold" '
        f'fill="#ffffff" text-anchor="middle">{escape(_label(slug))}</text></svg>\n'
    ).encode()


@lru_cache(maxsize=512)
def platform_ico(slug: str) -> bytes:
    image = Image.new("RGBA", (32, 32), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((1, 1, 30, 30), radius=6, fill=(*_color(slug), 255))
    draw.text((4, 10), _label(slug)[:3], fill=(255, 255, 255, 255))
    buf = io.BytesIO()
    image.save(buf, format="ICO", sizes=[(32, 32)])
    return buf.getvalue()


COVER_SIZES = {"small": (132, 176), "big": (264, 352)}


@lru_cache(maxsize=256)
def cover_png(key: str, title: str, size: str) -> bytes:
    width, height = COVER_SIZES[size]
    image = Image.new("RGB", (width, height), _color(key))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height * 2 // 3, width, height), fill=(20, 20, 28))
    draw.text((8, height * 2 // 3 + 8), title[:20], fill=(240, 240, 240))
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    return buf.getvalue()
