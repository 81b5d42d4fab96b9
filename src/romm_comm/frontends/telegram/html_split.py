"""Telegram HTML cut to size: messages hold 4096 characters, photo captions 1024.

A long reply is split into pieces that each stay within the limit with every tag closed at
the end of a piece and opened again at the start of the next, so each piece is valid HTML on
its own; entities (`&amp;`) are never cut. Pieces break at a line end when one is near.
Lengths are counted on the HTML as sent, which is never shorter than the text Telegram counts.
"""

from __future__ import annotations

import re

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
ELLIPSIS = "…"

_TOKEN = re.compile(r"<[^>]*>|&#?\w+;|\n|[^<&\n]")
_OPEN = re.compile(r"<([a-z]+)[^>]*>")


def _closing(stack: list[tuple[str, str]]) -> str:
    return "".join(f"</{name}>" for name, _ in reversed(stack))


def _opening(stack: list[tuple[str, str]]) -> str:
    return "".join(tag for _, tag in stack)


def split_html(html: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """`html` as pieces of at most `limit` characters, each with balanced tags."""
    if len(html) <= limit:
        return [html] if html else []
    pieces: list[str] = []
    stack: list[tuple[str, str]] = []  # open tags: (name, the tag as written)
    current = ""
    last_break = -1  # where `current` may be cut at a line end (with the stack at that point)
    break_stack: list[tuple[str, str]] = []
    for piece in _TOKEN.findall(html):
        # Reopened tags and this piece, then closing everything, must fit.
        if len(current) + len(piece) + len(_closing(stack)) + _closing_extra(piece) > limit:
            if last_break > len(current) // 2:
                head, tail = current[:last_break], current[last_break + 1 :]
                pieces.append(head + _closing(break_stack))
                current = _opening(break_stack) + tail
            else:
                pieces.append(current + _closing(stack))
                current = _opening(stack)
            last_break = -1
        if piece == "\n":
            last_break, break_stack = len(current), list(stack)
        opening = _OPEN.match(piece)
        if piece.startswith("</"):
            if stack:
                stack.pop()
        elif opening:
            stack.append((opening.group(1), piece))
        current += piece
    if current.strip():
        pieces.append(current + _closing(stack))
    return [p for p in pieces if _visible(p)]


def _closing_extra(token: str) -> int:
    """A tag opened by `token` must be closed in the same piece."""
    opening = _OPEN.match(token)
    return len(opening.group(1)) + 3 if opening else 0


def _visible(piece: str) -> bool:
    return bool(re.sub(r"<[^>]*>", "", piece).strip())


def clip_html(html: str, limit: int) -> str:
    """The first `limit` characters' worth of `html` (tags balanced), with … when cut."""
    if len(html) <= limit:
        return html
    first = split_html(html, limit - len(ELLIPSIS))
    return (first[0] if first else "") + ELLIPSIS
