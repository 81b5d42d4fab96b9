"""The /collection bar chart: one bar per platform, sorted by completeness, each labelled with
its name, "have / total" and the percentage (rendered in a thread: image work never blocks the
loop)."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFont

from .service import percent

WIDTH = 900
ROW = 34
TOP = 56
BOTTOM = 20
LABEL_W = 250
NUMBERS_W = 200
BAR_H = 20
BACKGROUND = (255, 255, 255)
TRACK = (226, 230, 236)
BAR = (52, 120, 246)
FULL = (40, 167, 69)
TEXT = (30, 30, 30)
MAX_ROWS = 40

Row = tuple[str, int, int]  # (platform name, have, total)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow without FreeType: the fixed bitmap font
        return ImageFont.load_default()


def _fit(draw: ImageDraw.ImageDraw, text: str, font: object, width: int) -> str:
    if draw.textlength(text, font=font) <= width:  # type: ignore[arg-type]
        return text
    while text and draw.textlength(text + "…", font=font) > width:  # type: ignore[arg-type]
        text = text[:-1]
    return text + "…"


def render_png(rows: Sequence[Row], title: str) -> bytes:
    """Blocking: call through `chart_png`. Rows are sorted here (most complete first)."""
    ranked = sorted(rows, key=lambda r: (-(r[1] / r[2] if r[2] else 0.0), r[0]))[:MAX_ROWS]
    height = TOP + ROW * max(1, len(ranked)) + BOTTOM
    image = Image.new("RGB", (WIDTH, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    title_font, font = _font(22), _font(16)
    draw.text((16, 14), title, fill=TEXT, font=title_font)
    bar_x = 16 + LABEL_W
    bar_w = WIDTH - bar_x - NUMBERS_W - 16
    for index, (name, have, total) in enumerate(ranked):
        y = TOP + index * ROW
        share = have / total if total else 0.0
        draw.text((16, y + 2), _fit(draw, name, font, LABEL_W - 12), fill=TEXT, font=font)
        draw.rectangle((bar_x, y, bar_x + bar_w, y + BAR_H), fill=TRACK)
        if share > 0:
            end = bar_x + max(2, round(bar_w * share))
            draw.rectangle((bar_x, y, end, y + BAR_H), fill=FULL if have >= total else BAR)
        label = f"{percent(have, total)}%  {have:,} / {total:,}"
        draw.text((bar_x + bar_w + 12, y + 2), label, fill=TEXT, font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


async def chart_png(rows: Sequence[Row], title: str) -> bytes:
    return await asyncio.to_thread(render_png, list(rows), title)
