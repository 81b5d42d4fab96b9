"""A grid of game covers as one PNG (blocking Pillow work: call it in a thread)."""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence

from PIL import Image, ImageDraw, UnidentifiedImageError

log = logging.getLogger(__name__)

TILE = (132, 176)  # RomM's small cover size
GAP = 6
BACKGROUND = (32, 34, 37)
PLACEHOLDER = (64, 68, 75)
MAX_SOURCE_PIXELS = 4096 * 4096  # refuse absurd images (decompression bombs)


def render_grid(covers: Sequence[tuple[str, bytes | None]], columns: int = 3) -> bytes:
    """(title, image bytes or None) per game → PNG. Missing or broken covers get a tile with
    the title, so the grid always matches the list next to it."""
    count = max(1, len(covers))
    columns = max(1, min(columns, count))
    rows = -(-count // columns)
    width = columns * TILE[0] + (columns + 1) * GAP
    height = rows * TILE[1] + (rows + 1) * GAP
    canvas = Image.new("RGB", (width, height), BACKGROUND)
    for index, (title, data) in enumerate(covers):
        x = GAP + (index % columns) * (TILE[0] + GAP)
        y = GAP + (index // columns) * (TILE[1] + GAP)
        canvas.paste(_tile(title, data), (x, y))
    out = io.BytesIO()
    canvas.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _tile(title: str, data: bytes | None) -> Image.Image:
    if data:
        try:
            with Image.open(io.BytesIO(data)) as source:
                if source.width * source.height > MAX_SOURCE_PIXELS:
                    raise ValueError("cover too large")
                image = source.convert("RGB")
            image.thumbnail(TILE)
            tile = Image.new("RGB", TILE, BACKGROUND)
            tile.paste(image, ((TILE[0] - image.width) // 2, (TILE[1] - image.height) // 2))
            return tile
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
            log.info("cover grid: unreadable cover for %s", title)
    tile = Image.new("RGB", TILE, PLACEHOLDER)
    draw = ImageDraw.Draw(tile)
    for line_no, line in enumerate(_wrap(title, 18)[:6]):
        draw.text((8, 12 + line_no * 14), line, fill=(235, 235, 235))
    return tile


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return [line[:width] for line in lines]
