"""Replies as Matrix messages: one `m.notice` (plain `body` and HTML `formatted_body`) and
the images to upload after it (covers, QR codes), never hot-linked.

Commands in texts are named as people type them here (`!search`, see `command_mentions`).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from ...core.cards import Reply
from ...core.commands import Registry
from ...core.format import render_reply
from ...core.html_format import card_html, link, markdown_html
from ...core.text_input import command_mentions

BR = "<br>"


@dataclass(frozen=True)
class Image:
    """An image to send as `m.image`: bytes of an attachment, or an address to fetch."""

    name: str
    data: bytes | None = None
    url: str | None = None


@dataclass(frozen=True)
class Rendered:
    body: str
    html: str
    images: tuple[Image, ...] = field(default_factory=tuple)

    def content(self) -> dict[str, Any]:
        return notice(self.body, self.html)


def notice(body: str, formatted: str | None = None) -> dict[str, Any]:
    content: dict[str, Any] = {"msgtype": "m.notice", "body": body}
    if formatted is not None:
        content["format"] = "org.matrix.custom.html"
        content["formatted_body"] = formatted
    return content


def render(reply: Reply, registry: Registry, prefix: str) -> Rendered:
    body = render_reply(reply, lambda url: [])
    parts: list[str] = []
    if reply.text:
        lead = "<b>Error:</b> " if reply.tone == "error" else ""
        parts.append(lead + markdown_html(reply.text, BR))
    parts.extend(card_html(card, BR) for card in reply.cards)
    if reply.links:
        parts.append(BR.join(f"→ {link(x.label, x.url)}" for x in reply.links))
    if reply.picker is not None:
        picker = reply.picker
        items = "".join(
            f"<li>{html.escape(c.label, quote=False)}"
            + (f" — {html.escape(c.description, quote=False)}" if c.description else "")
            + "</li>"
            for c in picker.choices
        )
        how = "a number, several (1,3) or 'all'" if picker.max_values > 1 else "a number"
        parts.append(
            f"{html.escape(picker.placeholder, quote=False)}:<ol>{items}</ol>"
            f"<i>Reply with {how}.</i>"
        )
    if reply.buttons:
        parts.append(
            " ".join(
                f"<code>b{i}</code> {html.escape(b.label, quote=False)}"
                for i, b in enumerate(reply.buttons, 1)
            )
        )
    return Rendered(
        command_mentions(body, registry, prefix),
        command_mentions(BR.join(parts), registry, prefix),
        tuple(_images(reply)),
    )


def _images(reply: Reply) -> list[Image]:
    attached = {a.filename: a for a in reply.attachments}
    images: list[Image] = []
    used: set[str] = set()
    for card in reply.cards:
        for url in (card.image_url, card.thumbnail_url):
            if not url:
                continue
            if url.startswith("attachment://"):
                name = url.removeprefix("attachment://")
                if name in attached and name not in used:
                    used.add(name)
                    images.append(Image(name, data=attached[name].data))
            else:
                images.append(Image(f"{card.title}.png", url=url))
    for name, attachment in attached.items():
        if name not in used and name.lower().endswith((".png", ".jpg", ".jpeg", ".gif", ".webp")):
            images.append(Image(name, data=attachment.data))
    return images
