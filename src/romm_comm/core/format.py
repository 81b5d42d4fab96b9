"""Small text helpers shared by presenters."""

from __future__ import annotations

import re
from datetime import datetime

from .cards import Card


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


def count(n: int | None) -> str:
    return "n/a" if n is None else f"{n:,}"


_MD_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_MD_CODE = re.compile(r"`([^`]*)`")


def plain(text: str) -> str:
    """Markdown that chat front ends render, spelled out for a terminal."""
    text = _MD_LINK.sub(lambda m: f"{m.group(1)}: {m.group(2)}", text)
    return _MD_CODE.sub(lambda m: m.group(1), text)


def render_card(card: Card) -> list[str]:
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
        lines.append(f"Image: {card.image_url}")
    if card.thumbnail_url:
        lines.append(f"Cover: {card.thumbnail_url}")
    if card.footer:
        lines.append(f"({card.footer})")
    return lines
