"""Replies as plain, readable text for a terminal."""

from __future__ import annotations

from ...core.cards import Attachment, Reply
from ...core.format import plain, render_card
from ...core.format import render_reply as render_text
from .text_qr import text_qr

__all__ = ["plain", "render_card", "render_reply"]


def render_reply(reply: Reply) -> str:
    return render_text(reply, lambda url: _image(url, reply.attachments))


def _image(url: str, attachments: tuple[Attachment, ...]) -> list[str]:
    """A web image by its address; a QR code drawn in text; another attached image named."""
    if not url.startswith("attachment://"):
        return [f"Image: {url}"]
    name = url.removeprefix("attachment://")
    attachment = next((a for a in attachments if a.filename == name), None)
    if attachment is None:
        return []
    if attachment.qr_of:
        return [text_qr(attachment.qr_of)]
    what = attachment.description or attachment.filename
    return [f"[image: {what}, {len(attachment.data)} bytes, shown in chat front ends]"]
