"""Replies as plain, readable text for a terminal."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from ...core.cards import Attachment, Card, Reply
from ...core.format import human_time
from .text_qr import text_qr

_MD_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_MD_CODE = re.compile(r"`([^`]*)`")


def plain(text: str) -> str:
    """Markdown that chat front ends render, spelled out for a terminal."""
    text = _MD_LINK.sub(lambda m: f"{m.group(1)}: {m.group(2)}", text)
    return _MD_CODE.sub(lambda m: m.group(1), text)


def render_card(card: Card, attachments: tuple[Attachment, ...] = ()) -> list[str]:
    lines = [f"== {card.title} =="]
    if card.url:
        lines.append(f"   {card.url}")
    if card.text:
        lines.extend(plain(card.text).splitlines())
    for field in card.fields:
        value = plain(field.value)
        if "\n" in value:
            lines.append(f"{field.name}:")
            lines.extend(f"   {line}" for line in value.splitlines())
        else:
            lines.append(f"{field.name}: {value}")
    if card.image_url:
        lines.extend(_image(card.image_url, attachments))
    if card.thumbnail_url:
        lines.append(f"Cover: {card.thumbnail_url}")
    footer = card.footer
    if card.as_of is not None:
        moment = human_time(card.as_of, datetime.now(UTC))
        footer = f"As of {moment}" + (f" · {footer}" if footer else "")
    if footer:
        lines.append(f"({footer})")
    return lines


def render_reply(reply: Reply) -> str:
    lines: list[str] = []
    if reply.text:
        prefix = "Error: " if reply.tone == "error" else ""
        lines.extend((prefix + plain(reply.text)).splitlines())
    for card in reply.cards:
        if lines:
            lines.append("")
        lines.extend(render_card(card, reply.attachments))
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
