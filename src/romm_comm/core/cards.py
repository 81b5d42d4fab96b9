"""Neutral replies ("cards") that every front end renders its own way.

Discord turns them into embeds, select menus and buttons; the console into plain text with
numbered choices. Nothing here knows about any chat library.

Interactive parts carry an *action id* (`rom:123`, `files:45`, `fw:3:2`) that encodes all the
state needed to answer, so a button pressed after a restart still works.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Tone = Literal["info", "success", "warning", "error"]
ButtonStyle = Literal["primary", "secondary", "success", "danger"]

# Limits shared by the front ends (Discord's are the tightest).
MAX_CHOICES = 25
MAX_FIELDS = 25
MAX_BUTTONS = 5
ACTION_ID_MAX = 100


@dataclass(frozen=True)
class Field:
    name: str
    value: str
    inline: bool = True


@dataclass(frozen=True)
class Link:
    """A URL a person opens (a link button on Discord, a printed URL on the console)."""

    label: str
    url: str


@dataclass(frozen=True)
class Button:
    """A button that runs an action in the bot."""

    label: str
    action: str
    style: ButtonStyle = "secondary"
    emoji: str | None = None


@dataclass(frozen=True)
class Choice:
    label: str
    value: str
    description: str = ""
    emoji: str | None = None


@dataclass(frozen=True)
class Picker:
    """Choose one (or several) of up to 25 options; the values go to `action`."""

    action: str
    placeholder: str
    choices: tuple[Choice, ...]
    min_values: int = 1
    max_values: int = 1


@dataclass(frozen=True)
class Card:
    title: str
    text: str = ""
    url: str | None = None
    fields: tuple[Field, ...] = ()
    image_url: str | None = None
    thumbnail_url: str | None = None
    footer: str = ""
    # The moment the card's content is from ("As of …"): each front end renders it its way
    # (a terminal: local time and how long ago; Discord: a timestamp each reader sees locally).
    as_of: datetime | None = None


@dataclass(frozen=True)
class Reply:
    text: str = ""
    cards: tuple[Card, ...] = ()
    picker: Picker | None = None
    buttons: tuple[Button, ...] = ()
    links: tuple[Link, ...] = ()
    private: bool = False
    tone: Tone = "info"
    attachments: tuple[Attachment, ...] = field(default=())
    # About the asker alone (their account, an invite, their own requests): never shown in a
    # shared room. Chats with ephemeral replies (Discord, Slack) show it so; chats without
    # (Matrix, Telegram) send it to a direct conversation. Download links and QR codes count
    # too, whatever this says (see `for_asker_only`).
    personal: bool = False

    @property
    def for_asker_only(self) -> bool:
        """Whether this must reach the asker in a direct conversation where a chat has no
        ephemeral replies: it is personal, or carries download links or a QR code."""
        if self.tone == "error":
            return False
        return self.personal or bool(self.links) or any(a.qr_of for a in self.attachments)

    @classmethod
    def error(cls, text: str) -> Reply:
        return cls(text=text, private=True, tone="error")

    @classmethod
    def notice(cls, text: str, *, private: bool = False) -> Reply:
        return cls(text=text, private=private)


@dataclass(frozen=True)
class Attachment:
    """A file sent with the reply (e.g. a QR code PNG)."""

    filename: str
    data: bytes
    description: str = ""
    qr_of: str = ""  # a QR code image: the text it encodes (a terminal draws it as text)


def action_id(*parts: object) -> str:
    """Join parts into an action id; ':' separates parts and may not occur inside them."""
    text = ":".join(str(p) for p in parts)
    if len(text) > ACTION_ID_MAX:
        raise ValueError(f"action id too long: {text[:40]}…")
    return text


def list_reply(
    title: str,
    lines: Sequence[str],
    choices: Sequence[Choice],
    action: str,
    placeholder: str,
    empty: str,
    footer: str = "",
) -> Reply:
    """A private list (requests, reports…) as one card, with a pick list to open one."""
    if not lines:
        return Reply.notice(empty, private=True)
    return Reply(
        cards=(Card(title, text="\n".join(lines), footer=footer),),
        picker=Picker(action=action, placeholder=placeholder, choices=tuple(choices[:MAX_CHOICES])),
        private=True,
    )
