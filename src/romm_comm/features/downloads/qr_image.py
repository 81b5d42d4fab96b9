"""QR code PNGs of download links (rendered in a thread: image work never blocks the loop)."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import qrcode  # type: ignore[import-untyped]
from qrcode.constants import ERROR_CORRECT_M  # type: ignore[import-untyped]


def render_png(text: str) -> bytes:
    """Blocking: call through `qr_png`."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=8, border=3)
    code.add_data(text)
    code.make(fit=True)
    image: Any = code.make_image(fill_color="black", back_color="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


async def qr_png(text: str) -> bytes:
    return await asyncio.to_thread(render_png, text)
