"""Neutral replies → Discord messages: embeds, a select menu, buttons, link buttons, files.

Components are sent in a *stopped* view: discord.py renders it but does not keep it in
memory. Every component's custom id is an action id, and `interactions.py` answers any of
them, so they keep working after a restart without per-message state.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import discord

from ...common.urls import well_formed
from ...core.cards import Button, Card, Choice, Link, Picker, Reply
from ...features.emojis.plan import FALLBACK_EMOJI

MAX_ROWS = 5
PER_ROW = 5
MAX_EMBEDS = 10
EMBED_TOTAL = 6000

COLOURS = {
    "info": discord.Colour.blurple(),
    "success": discord.Colour.green(),
    "warning": discord.Colour.gold(),
    "error": discord.Colour.red(),
}
BUTTON_STYLES = {
    "primary": discord.ButtonStyle.primary,
    "secondary": discord.ButtonStyle.secondary,
    "success": discord.ButtonStyle.success,
    "danger": discord.ButtonStyle.danger,
}


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass
class Rendered:
    content: str | None
    embeds: list[discord.Embed]
    view: discord.ui.View | None
    files: list[discord.File] = field(default_factory=list)
    ephemeral: bool = False

    def send_kwargs(self) -> dict[str, Any]:
        """For InteractionResponse.send_message, Webhook.send and Messageable.send."""
        kwargs: dict[str, Any] = {"embeds": self.embeds}
        if self.content:
            kwargs["content"] = self.content
        if self.view is not None:
            kwargs["view"] = self.view
        if self.files:
            kwargs["files"] = self.files
        return kwargs

    def edit_kwargs(self) -> dict[str, Any]:
        """For edit_message / edit_original_response: replaces everything the message had."""
        return {
            "content": self.content or None,
            "embeds": self.embeds,
            "view": self.view,
            "attachments": self.files,
        }


def render(reply: Reply) -> Rendered:
    embeds = _embeds(reply)
    content = clip(reply.text, 2000) if reply.text else None
    if not content and not embeds and not reply.attachments:
        content = "Done."
    files = [
        discord.File(io.BytesIO(a.data), filename=a.filename, description=a.description or None)
        for a in reply.attachments
    ]
    return Rendered(content, embeds, _view(reply), files, reply.private)


def _embeds(reply: Reply) -> list[discord.Embed]:
    embeds: list[discord.Embed] = []
    budget = EMBED_TOTAL
    for card in reply.cards[:MAX_EMBEDS]:
        embed = _fit(embed_of(card, reply.tone), budget)
        if embed is None:
            break
        budget -= len(embed)
        embeds.append(embed)
    return embeds


def _fit(embed: discord.Embed, budget: int) -> discord.Embed | None:
    """Drop trailing fields, then shorten the text, until the embed fits the budget."""
    while len(embed) > budget and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    excess = len(embed) - budget
    if excess > 0 and embed.description:
        keep = len(embed.description) - excess
        embed.description = clip(embed.description, keep) if keep > 20 else None
    return embed if len(embed) <= budget and (embed.title or embed.description) else None


def embed_of(card: Card, tone: str = "info") -> discord.Embed:
    text = card.text
    if card.as_of is not None:  # footers show no <t:…> timestamps; descriptions do
        text = (text + "\n\n" if text else "") + f"As of <t:{int(card.as_of.timestamp())}:R>"
    embed = discord.Embed(
        title=clip(card.title, 256) or None,
        description=clip(text, 4096) or None,
        url=well_formed(card.url) if card.url and _web_url(card.url) else None,
        colour=COLOURS.get(tone, COLOURS["info"]),
    )
    for f in card.fields[:25]:
        embed.add_field(
            name=clip(f.name, 256) or "\u200b",
            value=clip(f.value, 1024) or "\u200b",
            inline=f.inline,
        )
    if card.image_url and _image_url(card.image_url):
        embed.set_image(url=_image(card.image_url))
    if card.thumbnail_url and _image_url(card.thumbnail_url):
        embed.set_thumbnail(url=_image(card.thumbnail_url))
    if card.footer:
        embed.set_footer(text=clip(card.footer, 2048))
    return embed


def _web_url(url: str | None) -> bool:
    return bool(url) and str(url).startswith(("http://", "https://"))


def _image_url(url: str) -> bool:
    return _web_url(url) or url.startswith("attachment://")


def _image(url: str) -> str:
    return url if url.startswith("attachment://") else well_formed(url)


def _view(reply: Reply) -> discord.ui.View | None:
    rows: list[list[discord.ui.Item[discord.ui.View]]] = []
    if reply.picker is not None and reply.picker.choices:
        rows.append([select_of(reply.picker)])
    for group in _chunks([button_of(b) for b in reply.buttons]):
        rows.append(group)
    links = [
        link_of(link)
        for link in reply.links
        if _web_url(link.url) and len(well_formed(link.url)) <= 512
    ]
    for group in _chunks(links):
        rows.append(group)
    if not rows:
        return None
    view = discord.ui.View(timeout=None)
    for row, items in enumerate(rows[:MAX_ROWS]):
        for item in items:
            item.row = row
            view.add_item(item)
    view.stop()  # rendered, never stored: interactions.py answers every custom id
    return view


def _chunks(
    items: Sequence[discord.ui.Item[discord.ui.View]],
) -> list[list[discord.ui.Item[discord.ui.View]]]:
    return [list(items[i : i + PER_ROW]) for i in range(0, len(items), PER_ROW)]


def select_of(picker: Picker) -> discord.ui.Select[discord.ui.View]:
    options = [_option(c) for c in picker.choices[:25]]
    high = max(1, min(picker.max_values, len(options)))
    low = max(0, min(picker.min_values, high))
    return discord.ui.Select(
        custom_id=picker.action,
        placeholder=clip(picker.placeholder, 150) or None,
        min_values=low,
        max_values=high,
        options=options,
    )


def _option(choice: Choice) -> discord.SelectOption:
    return discord.SelectOption(
        label=clip(choice.label, 100) or choice.value[:100],
        value=choice.value[:100],
        description=clip(choice.description, 100) or None,
        emoji=emoji_of(choice.emoji),
    )


def button_of(button: Button) -> discord.ui.Button[discord.ui.View]:
    return discord.ui.Button(
        custom_id=button.action,
        label=clip(button.label, 80),
        style=BUTTON_STYLES.get(button.style, discord.ButtonStyle.secondary),
        emoji=emoji_of(button.emoji),
    )


def link_of(link: Link) -> discord.ui.Button[discord.ui.View]:
    return discord.ui.Button(
        style=discord.ButtonStyle.link, label=clip(link.label, 80), url=well_formed(link.url)
    )


def emoji_of(text: str | None) -> discord.PartialEmoji | None:
    """A unicode emoji or a custom one written `<:name:id>`; None when empty."""
    if not text:
        return None
    return discord.PartialEmoji.from_str(text.strip())


def unicode_emoji(text: str | None) -> str:
    """Only a unicode emoji: autocomplete choice names cannot show custom emojis (and so
    not the 🎮 that stands in for a missing one either: it would mark only those)."""
    if not text or text.startswith("<") or text.startswith(":") or text == FALLBACK_EMOJI:
        return ""
    return text
