"""Small text helpers shared by presenters."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

from .cards import Card, Picker, Reply


def human_size(size: int | None) -> str:
    if size is None:
        return "?"
    value = float(size)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def day(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d") if moment else "unknown"


def ago(moment: datetime, now: datetime) -> str:
    """'just now', '5 min ago', '3 h ago', '2 days ago' (or 'in …' for the future)."""
    seconds = int((now - moment).total_seconds())
    later, seconds = seconds < 0, abs(seconds)
    if seconds < 60:
        return "just now"
    for size, unit in ((86_400, "day"), (3600, "h"), (60, "min")):
        if seconds >= size:
            n = seconds // size
            text = f"{n} {unit}" + ("s" if unit == "day" and n > 1 else "")
            return f"in {text}" if later else f"{text} ago"
    return "just now"  # pragma: no cover - covered by the first test


def human_time(moment: datetime, now: datetime) -> str:
    """Local time, to the minute, and how long ago: '3 Dec 2026 12:56, 5 min ago'."""
    local = moment.astimezone()
    return f"{local.day} {local:%b %Y %H:%M}, {ago(moment, now)}"


def count(n: int | None) -> str:
    return "n/a" if n is None else f"{n:,}"


_MD_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_MD_CODE = re.compile(r"`([^`]*)`")


def plain(text: str) -> str:
    """Markdown that chat front ends render, spelled out for a terminal."""
    text = _MD_LINK.sub(lambda m: f"{m.group(1)}: {m.group(2)}", text)
    return _MD_CODE.sub(lambda m: m.group(1), text)


def card_footer(card: Card, now: datetime | None = None) -> str:
    """The card's footer, led by `As of <how long ago>` when it says when its content is from."""
    if card.as_of is None:
        return card.footer
    moment = human_time(card.as_of, now or datetime.now(UTC))
    return f"As of {moment}" + (f" · {card.footer}" if card.footer else "")


def render_card(
    card: Card, image: Callable[[str], list[str]] | None = None, now: datetime | None = None
) -> list[str]:
    """A card as lines of text (console, plain-text notifications). `image` turns an image
    URL into lines (the console draws QR codes); by default the address is named."""
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
        lines.extend(image(card.image_url) if image else [f"Image: {card.image_url}"])
    if card.thumbnail_url:
        lines.append(f"Cover: {card.thumbnail_url}")
    footer = card_footer(card, now)
    if footer:
        lines.append(f"({footer})")
    return lines


def as_notice(reply: Reply) -> tuple[str, str]:
    """(title, body) in plain text, for notices outside chat (Apprise, the webhook): the
    first card's title, else the first line."""
    lines = plain(reply.text).splitlines() if reply.text else []
    for card in reply.cards:
        lines += render_card(card)
    lines += [f"{link.label}: {link.url}" for link in reply.links]
    title = reply.cards[0].title if reply.cards else (lines[0] if lines else "RomM-ComM")
    return title[:250], "\n".join(lines) or title


def picker_lines(picker: Picker) -> list[str]:
    """A pick list as numbered lines, with how to answer it."""
    lines = [f"{picker.placeholder}:"]
    width = len(str(len(picker.choices)))
    for number, choice in enumerate(picker.choices, start=1):
        extra = f" — {choice.description}" if choice.description else ""
        lines.append(f"  {number:>{width}}) {choice.label}{extra}")
    if picker.max_values > 1:
        lines.append("Type a number, several (1,3) or 'all'.")
    else:
        lines.append("Type a number to choose.")
    return lines


def render_reply(reply: Reply, image: Callable[[str], list[str]] | None = None) -> str:
    """A reply as plain text: its text, cards, links, attachments, numbered choices and
    buttons (`[b1] …`), as everyone who types commands answers them. `image` as for
    `render_card`."""
    lines: list[str] = []
    if reply.text:
        prefix = "Error: " if reply.tone == "error" else ""
        lines.extend((prefix + plain(reply.text)).splitlines())
    for card in reply.cards:
        if lines:
            lines.append("")
        lines.extend(render_card(card, image))
    for link in reply.links:
        lines.append(f"-> {link.label}: {link.url}")
    shown = {c.image_url for c in reply.cards}
    for attachment in reply.attachments:
        if f"attachment://{attachment.filename}" not in shown:
            lines.append(f"[attachment {attachment.filename}, {len(attachment.data)} bytes]")
    if reply.picker:
        lines.append("")
        lines.extend(picker_lines(reply.picker))
    if reply.buttons:
        lines.append("  ".join(f"[b{i}] {b.label}" for i, b in enumerate(reply.buttons, 1)))
    return "\n".join(lines)
