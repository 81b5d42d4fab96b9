"""Neutral replies → Slack Block Kit: sections with fields, image blocks, selects, buttons.

Every limit Slack enforces is kept here (50 blocks, 3000 characters of section text, 10
fields of 2000, 75-character labels, 100 options, action_id ≤ 255, value ≤ 2000), so a reply
is never refused as `invalid_blocks`. Interactive parts carry the action id: a select's
`action_id` is the picker's action, a button's `value` is its action, so a press after a
restart still works (app.py answers any of them). Files (QR codes, image grids) are returned
apart: Slack takes them through its upload API, not inside blocks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ...common.urls import well_formed
from ...core.cards import Attachment, Card, Picker, Reply
from .mrkdwn import escape, link, mrkdwn

MAX_BLOCKS = 50
SECTION_TEXT = 3000
FIELD_TEXT = 2000
MAX_FIELDS = 10
LABEL = 75
OPTION_VALUE = 150
MAX_OPTIONS = 100
PER_ACTIONS = 25
FALLBACK_TEXT = 3000
LINK_PREFIX = "link:"  # link buttons: Slack tells the app of the click; nothing to run
STYLES = {"primary": "primary", "danger": "danger", "success": "primary"}

Block = dict[str, Any]


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass
class Rendered:
    text: str  # the notification / fallback text
    blocks: list[Block]
    files: list[Attachment] = field(default_factory=list)
    private: bool = False


def render(
    reply: Reply,
    mention: Callable[[str], str] = lambda text: text,
    uploaded: Mapping[str, str] | None = None,
) -> Rendered:
    """`mention` rewrites `/search` for how people type commands here (`/romm search`);
    `uploaded` names the Slack files that stand for covers Slack cannot fetch (images.py)."""
    uploaded = uploaded or {}
    blocks: list[Block] = []
    text = mention(reply.text)
    if text:
        prefix = ":warning: " if reply.tone == "error" else ""
        blocks.append(_section(prefix + mrkdwn(text)))
    shown: set[str] = set()
    for card in reply.cards:
        blocks += _card(card, mention, uploaded)
        shown.update(u for u in (card.image_url, card.thumbnail_url) if u)
    if reply.picker is not None:
        blocks.append(_picker(reply.picker))
    buttons = [_button(i, b.label, b.action, b.style) for i, b in enumerate(reply.buttons)]
    links = [
        {
            "type": "button",
            "text": _plain(lk.label),
            "url": url,
            "action_id": f"{LINK_PREFIX}{i}",
        }
        for i, lk in enumerate(reply.links)
        if (url := web_url(lk.url))
    ]
    elements = buttons + links
    for start in range(0, len(elements), PER_ACTIONS):
        blocks.append({"type": "actions", "elements": elements[start : start + PER_ACTIONS]})
    if len(blocks) > MAX_BLOCKS:
        blocks = [*blocks[: MAX_BLOCKS - 1], _context("(more was cut: Slack shows 50 blocks)")]
    fallback = clip(_fallback(reply, text), FALLBACK_TEXT)
    return Rendered(fallback, blocks, list(reply.attachments), reply.private)


def _fallback(reply: Reply, text: str) -> str:
    if text:
        return escape(text)
    if reply.cards:
        return escape(reply.cards[0].title)
    if reply.picker is not None:
        return escape(reply.picker.placeholder)
    return "RomM"


def _plain(text: str, limit: int = LABEL) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(text, limit) or " ", "emoji": True}


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, SECTION_TEXT)}}


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(text, SECTION_TEXT)}]}


def web_url(url: str | None) -> str | None:
    """An http(s) URL Slack accepts, or None (`attachment://` files are uploaded apart)."""
    if not url or not url.lower().startswith(("http://", "https://")):
        return None
    url = well_formed(url)
    return url if len(url) <= 3000 else None


def _image(url: str | None, uploaded: Mapping[str, str]) -> dict[str, Any] | None:
    """Where an image block finds the picture: an uploaded file, or a web address."""
    if url and url in uploaded:
        return {"slack_file": {"id": uploaded[url]}}
    web = web_url(url)
    return {"image_url": web} if web else None


def _card(card: Card, mention: Callable[[str], str], uploaded: Mapping[str, str]) -> list[Block]:
    url = web_url(card.url)
    title = link(url, card.title) if url else escape(card.title)
    head = f"*{title}*"
    if card.text:
        head += "\n" + mrkdwn(mention(card.text))
    section = _section(head)
    fields = [
        {"type": "mrkdwn", "text": clip(f"*{escape(f.name)}*\n{mrkdwn(f.value)}", FIELD_TEXT)}
        for f in card.fields[:MAX_FIELDS]
    ]
    if fields:
        section["fields"] = fields
    thumbnail = _image(card.thumbnail_url, uploaded)
    if thumbnail:
        section["accessory"] = {"type": "image", **thumbnail, "alt_text": "cover"}
    blocks = [section]
    image = _image(card.image_url, uploaded)
    if image:
        blocks.append({"type": "image", **image, "alt_text": clip(card.title, 2000)})
    footer = card.footer
    if card.as_of is not None:
        stamp = int(card.as_of.timestamp())
        when = f"<!date^{stamp}^As of {{date_short_pretty}} {{time}}|As of {card.as_of:%Y-%m-%d}>"
        footer = when + (f" · {escape(footer)}" if footer else "")
    elif footer:
        footer = escape(footer)
    if footer:
        blocks.append(_context(footer))
    return blocks


def _picker(picker: Picker) -> Block:
    options = [
        {
            "text": _plain(c.label),
            "value": c.value[:OPTION_VALUE],
            **({"description": _plain(c.description)} if c.description else {}),
        }
        for c in picker.choices[:MAX_OPTIONS]
    ]
    element: Block = {
        "type": "multi_static_select" if picker.max_values > 1 else "static_select",
        "action_id": picker.action,
        "placeholder": _plain(picker.placeholder, 150),
        "options": options,
    }
    if picker.max_values > 1:
        element["max_selected_items"] = min(picker.max_values, len(options))
    return {
        "type": "section",
        "text": {"type": "mrkdwn", "text": clip(escape(picker.placeholder), SECTION_TEXT)},
        "accessory": element,
    }


def _button(index: int, label: str, action: str, style: str) -> Block:
    button: Block = {
        "type": "button",
        "text": _plain(label),
        # Unique within the message (Slack refuses repeats); the action itself is the value.
        "action_id": f"b{index}:{action}"[:255],
        "value": action,
    }
    if style in STYLES:
        button["style"] = STYLES[style]
    return button
