"""Replies as plain, readable text for a terminal."""

from __future__ import annotations

from ...core.cards import Attachment, Reply
from ...core.format import plain, render_card
from .text_qr import text_qr

__all__ = ["plain", "render_card", "render_reply"]


def render_reply(reply: Reply) -> str:
    lines: list[str] = []
    if reply.text:
        prefix = "Error: " if reply.tone == "error" else ""
        lines.extend((prefix + plain(reply.text)).splitlines())
    for card in reply.cards:
        if lines:
            lines.append("")
        lines.extend(render_card(card, lambda url: _image(url, reply.attachments)))
    for link in reply.links:
        lines.append(f"-> {link.label}: {link.url}")
    shown = {c.image_url for c in reply.cards}
    for attachment in reply.attachments:
        if f"attachment://{attachment.filename}" not in shown:
            lines.append(f"[attachment {attachment.filename}, {len(attachment.data)} bytes]")
    if reply.picker:
        picker = reply.picker
        lines.append("")
        lines.append(f"{picker.placeholder}:")
        width = len(str(len(picker.choices)))
        for number, choice in enumerate(picker.choices, start=1):
            extra = f" — {choice.description}" if choice.description else ""
            lines.append(f"  {number:>{width}}) {choice.label}{extra}")
        if picker.max_values > 1:
            lines.append("Type a number, several (1,3) or 'all'.")
        else:
            lines.append("Type a number to choose.")
    if reply.buttons:
        lines.append("  ".join(f"[b{i}] {b.label}" for i, b in enumerate(reply.buttons, 1)))
    return "\n".join(lines)


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
