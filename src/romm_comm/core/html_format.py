"""Replies as HTML, for chats that take HTML (Matrix `formatted_body`, Telegram's parse mode).

Card texts use a small Markdown subset (`**bold**`, `` `code` ``, `[label](url)`); this turns
it into escaped HTML using only tags both Matrix and Telegram accept: `b`, `i`, `code`, `a`
(http/https links only). Everything typed by people (game titles, notes, reasons) is escaped.
`newline` is how a line break is written: `<br>` for Matrix, `\\n` for Telegram.
"""

from __future__ import annotations

import html
import re
from datetime import datetime

from .cards import Card
from .format import card_footer

_TOKEN = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)|`([^`]*)`|\*\*(.+?)\*\*")


def link(label: str, url: str) -> str:
    """An `<a>` for http(s) addresses; anything else stays text (no `javascript:` links)."""
    if not url.lower().startswith(("http://", "https://")):
        return html.escape(f"{label} ({url})", quote=False)
    return f'<a href="{html.escape(url, quote=True)}">{html.escape(label, quote=False)}</a>'


def markdown_html(text: str, newline: str = "\n") -> str:
    """The Markdown subset as escaped HTML."""
    out: list[str] = []
    position = 0
    for match in _TOKEN.finditer(text):
        out.append(html.escape(text[position : match.start()], quote=False))
        label, url, code, bold = match.groups()
        if url is not None:
            out.append(link(label, url))
        elif code is not None:
            out.append(f"<code>{html.escape(code, quote=False)}</code>")
        else:
            out.append(f"<b>{html.escape(bold, quote=False)}</b>")
        position = match.end()
    out.append(html.escape(text[position:], quote=False))
    return "".join(out).replace("\n", newline)


def card_html(card: Card, newline: str = "\n", now: datetime | None = None) -> str:
    """A card as HTML lines: the title in bold (linked when it has an address), its text,
    its fields as `name: value`, and the footer in italics. Images are the front end's job."""
    title = f"<b>{html.escape(card.title, quote=False)}</b>"
    if card.url and card.url.lower().startswith(("http://", "https://")):
        title = f'<b><a href="{html.escape(card.url, quote=True)}">'
        title += f"{html.escape(card.title, quote=False)}</a></b>"
    lines = [title]
    if card.text:
        lines.append(markdown_html(card.text, newline))
    for field in card.fields:
        name = html.escape(field.name, quote=False)
        value = markdown_html(field.value, newline)
        joiner = newline if "\n" in field.value else " "
        lines.append(f"<b>{name}:</b>{joiner}{value}")
    footer = card_footer(card, now)
    if footer:
        lines.append(f"<i>{html.escape(footer, quote=False)}</i>")
    return newline.join(lines)
