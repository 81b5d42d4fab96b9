"""Replies as Telegram messages: HTML text within 4096 characters, cards with a cover as a photo
(uploaded; its caption within 1024 characters), pick lists and buttons as inline keyboards,
links as URL buttons. The keyboard goes on the last message of a reply.

Covers are never hot-linked: Telegram's servers cannot reach a RomM on a LAN, so the front end
fetches the cover through the app (RomM's resources path) and uploads it (`cover` below).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from ...core.cards import Card, Picker, Reply
from ...core.html_format import card_html, markdown_html
from ...features.downloads.covers import RESOURCES, ROUTE
from .callbacks import MULTI, Callbacks
from .html_split import CAPTION_LIMIT, MESSAGE_LIMIT, split_html

LABEL_LIMIT = 64
BUTTONS_PER_ROW = 3
LINKS_PER_ROW = 2
TONE_MARK = {"error": "⚠️ ", "warning": "⚠️ ", "success": "✅ ", "info": ""}
DONE = "Done"


@dataclass(frozen=True)
class Outgoing:
    """One message to send: HTML text, or a photo (a cover path or file) with HTML caption."""

    html: str
    cover: str | None = None  # RomM path under /assets/romm/resources/ to upload
    file: tuple[str, bytes] | None = None  # (filename, bytes) of an image to upload
    keyboard: InlineKeyboardMarkup | None = None

    @property
    def is_photo(self) -> bool:
        return self.cover is not None or self.file is not None


@dataclass
class _Plan:
    messages: list[Outgoing] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def flush(self) -> None:
        if self.text:
            joined = "\n\n".join(self.text)
            self.messages.extend(Outgoing(p) for p in split_html(joined, MESSAGE_LIMIT))
            self.text = []

    def photo(self, caption: str, cover: str | None, file: tuple[str, bytes] | None) -> None:
        self.flush()
        pieces = split_html(caption, CAPTION_LIMIT) if caption else [""]
        self.messages.append(Outgoing(pieces[0], cover=cover, file=file))
        rest = "".join(pieces[1:])
        if rest:
            self.messages.extend(Outgoing(p) for p in split_html(rest, MESSAGE_LIMIT))


def cover_path(card: Card) -> str | None:
    """The RomM resource path of the card's image (a RomM URL or the bot's cover relay)."""
    for url in (card.image_url, card.thumbnail_url):
        if not url:
            continue
        path = urlsplit(url).path
        if RESOURCES in path:
            return RESOURCES + path.split(RESOURCES, 1)[1]
        marker = ROUTE + "/"
        if marker in path:
            tail = path.split(marker, 1)[1].split("/", 1)
            if len(tail) == 2:
                return RESOURCES + tail[1]
    return None


def reply_html(reply: Reply) -> str:
    return TONE_MARK.get(reply.tone, "") + markdown_html(reply.text, "\n") if reply.text else ""


async def render(reply: Reply, callbacks: Callbacks) -> list[Outgoing]:
    plan = _Plan()
    if reply.text:
        plan.text.append(reply_html(reply))
    for card in reply.cards:
        body = card_html(card, "\n")
        cover = cover_path(card)
        if cover is not None:
            plan.photo(body, cover, None)
        else:
            plan.text.append(body)
    for attachment in reply.attachments:
        caption = html.escape(attachment.description, quote=False)
        plan.photo(caption, None, (attachment.filename, attachment.data))
    plan.flush()
    keyboard = await keyboard_of(reply, callbacks)
    if not plan.messages:
        plan.messages.append(Outgoing(html.escape("Done.", quote=False)))
    if keyboard is not None:
        last = plan.messages[-1]
        plan.messages[-1] = Outgoing(last.html, last.cover, last.file, keyboard)
    return plan.messages


def _label(text: str) -> str:
    text = " ".join(text.split()) or "·"
    return text if len(text) <= LABEL_LIMIT else text[: LABEL_LIMIT - 1] + "…"


def _rows(buttons: list[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]


async def keyboard_of(reply: Reply, callbacks: Callbacks) -> InlineKeyboardMarkup | None:
    rows: list[list[InlineKeyboardButton]] = []
    picker = reply.picker
    if picker is not None and picker.choices:
        if picker.max_values > 1:
            key = await callbacks.multi(picker)
            rows += multi_rows(picker, key, set())
        else:
            for choice in picker.choices:
                label = f"{choice.emoji} {choice.label}" if choice.emoji else choice.label
                data = await callbacks.choice(picker.action, choice.value)
                rows.append([InlineKeyboardButton(text=_label(label), callback_data=data)])
    pressable = [
        InlineKeyboardButton(
            text=_label(f"{b.emoji} {b.label}" if b.emoji else b.label),
            callback_data=await callbacks.button(b.action),
        )
        for b in reply.buttons
    ]
    rows += _rows(pressable, BUTTONS_PER_ROW)
    links = [
        InlineKeyboardButton(text=_label(link.label), url=link.url)
        for link in reply.links
        if link.url.lower().startswith(("http://", "https://"))
    ]
    rows += _rows(links, LINKS_PER_ROW)
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def multi_rows(picker: Picker, key: str, chosen: set[int]) -> list[list[InlineKeyboardButton]]:
    """Toggle buttons (☑ when ticked) and a Done button that sends what is ticked."""
    rows = []
    for index, choice in enumerate(picker.choices):
        mark = "☑" if index in chosen else "☐"
        rows.append(
            [
                InlineKeyboardButton(
                    text=_label(f"{mark} {choice.label}"), callback_data=f"{MULTI}{key}:{index}"
                )
            ]
        )
    done = f"{DONE} ({len(chosen)})" if chosen else DONE
    rows.append([InlineKeyboardButton(text=done, callback_data=f"{MULTI}{key}:d")])
    return rows
