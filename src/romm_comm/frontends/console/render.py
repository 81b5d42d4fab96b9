"""Replies as plain, readable text for a terminal."""

from __future__ import annotations

from ...core.cards import Reply
from ...core.format import plain, render_card

__all__ = ["plain", "render_card", "render_reply"]


def render_reply(reply: Reply) -> str:
    lines: list[str] = []
    if reply.text:
        prefix = "Error: " if reply.tone == "error" else ""
        lines.extend((prefix + plain(reply.text)).splitlines())
    for card in reply.cards:
        if lines:
            lines.append("")
        lines.extend(render_card(card))
    for link in reply.links:
        lines.append(f"-> {link.label}: {link.url}")
    for attachment in reply.attachments:
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
