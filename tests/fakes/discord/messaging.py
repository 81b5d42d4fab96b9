"""Creating, editing and deleting messages and reactions, with the gateway events Discord sends."""

from __future__ import annotations

import copy
from typing import Any

from . import intents, payloads
from .state import (
    DM,
    FLAG_EPHEMERAL,
    FLAG_LOADING,
    Attachment,
    Channel,
    Message,
    now_iso,
)
from .validation import check_message
from .wire import UploadedFile
from .world import World

_EDITABLE_FLAGS = ~(FLAG_EPHEMERAL | FLAG_LOADING)


def create_message(
    world: World,
    channel: Channel,
    author_id: int,
    data: dict[str, Any],
    files: list[UploadedFile] | None = None,
    *,
    msg_type: int = 0,
    webhook_id: int | None = None,
    interaction_id: int | None = None,
    interaction_user_id: int | None = None,
    validate: bool = True,
) -> Message:
    files = files or []
    if validate:
        check_message(data, has_files=bool(files), creating=True)
    m = Message(
        world.ids.next(),
        channel.id,
        author_id,
        type=msg_type,
        guild_id=channel.guild_id,
        webhook_id=webhook_id,
        interaction_id=interaction_id,
        interaction_user_id=interaction_user_id,
    )
    apply_fields(world, m, data, files, editing=False)
    world.store_message(m)
    if not m.ephemeral:
        channel.last_message_id = m.id
        announce_message(world, "MESSAGE_CREATE", m)
    return m


def edit_message(
    world: World, m: Message, data: dict[str, Any], files: list[UploadedFile] | None = None
) -> Message:
    check_message(data, has_files=bool(files), creating=False)
    apply_fields(world, m, data, files or [], editing=True)
    if not m.ephemeral:
        announce_message(world, "MESSAGE_UPDATE", m)
    return m


def delete_message(world: World, m: Message) -> None:
    m.deleted = True
    if m.ephemeral:
        return
    data: dict[str, Any] = {"id": str(m.id), "channel_id": str(m.channel_id)}
    if m.guild_id is not None:
        data["guild_id"] = str(m.guild_id)
    world.dispatch("MESSAGE_DELETE", data, intent=_message_intent(m))


def apply_fields(
    world: World,
    m: Message,
    data: dict[str, Any],
    files: list[UploadedFile],
    *,
    editing: bool,
) -> None:
    if "content" in data:
        m.content = data["content"] or ""
    if "embeds" in data:
        m.embeds = [{"type": "rich", **copy.deepcopy(e)} for e in data["embeds"] or []]
    if "components" in data:
        m.components = copy.deepcopy(data["components"] or [])
    if data.get("flags") is not None:
        new = int(data["flags"])
        m.flags = (m.flags & ~_EDITABLE_FLAGS) | (new & _EDITABLE_FLAGS) if editing else new
    if not editing:
        m.message_reference = data.get("message_reference")
        m.nonce = data.get("nonce")
    _apply_attachments(world, m, data, files)
    _resolve_attachment_urls(world, m)
    if editing:
        m.edited_timestamp = now_iso()
        m.edits.append({**copy.deepcopy(data), "_files": [f.filename for f in files]})


def _apply_attachments(
    world: World, m: Message, data: dict[str, Any], files: list[UploadedFile]
) -> None:
    indices = {f.index for f in files}
    existing = {a.id for a in m.attachments}
    meta_by_index: dict[int, dict[str, Any]] = {}
    keep: set[int] | None = None
    if data.get("attachments") is not None:
        keep = set()
        for entry in data["attachments"]:
            aid = int(entry["id"])
            if aid in indices and aid not in existing:
                meta_by_index[aid] = entry
            else:
                keep.add(aid)
    new = []
    for f in files:
        meta = meta_by_index.get(f.index, {})
        new.append(
            Attachment(
                world.ids.next(),
                meta.get("filename") or f.filename,
                f.data,
                f.content_type,
                meta.get("description"),
            )
        )
    if keep is not None:
        m.attachments = [a for a in m.attachments if a.id in keep]
    m.attachments.extend(new)


def _resolve_attachment_urls(world: World, m: Message) -> None:
    """Discord rewrites `attachment://name` in embeds to the uploaded file's URL."""
    by_name = {a.filename: a for a in m.attachments}
    for embed in m.embeds:
        for key in ("image", "thumbnail", "author", "footer"):
            part = embed.get(key)
            if not isinstance(part, dict):
                continue
            url_key = "url" if key in ("image", "thumbnail") else "icon_url"
            url = part.get(url_key)
            if isinstance(url, str) and url.startswith("attachment://"):
                att = by_name.get(url.removeprefix("attachment://"))
                if att is not None:
                    real = payloads.attachment(att, world.base_url, m.channel_id)["url"]
                    part[url_key] = real
                    part["proxy_" + url_key] = real


def announce_message(world: World, event: str, m: Message) -> None:
    data = world.render_message(m)
    bot_id = world.bot.id

    def gate_content(session_intents: int, payload: dict[str, Any]) -> dict[str, Any]:
        """Without MESSAGE_CONTENT, others' guild messages arrive without their content."""
        if session_intents & intents.MESSAGE_CONTENT or m.author_id == bot_id:
            return payload
        channel = world.channels.get(m.channel_id)
        if (channel is not None and channel.type == DM) or f"<@{bot_id}>" in m.content:
            return payload
        return {**payload, "content": "", "embeds": [], "attachments": [], "components": []}

    world.dispatch(event, data, intent=_message_intent(m), transform=gate_content)


def _message_intent(m: Message) -> int:
    return intents.GUILD_MESSAGES if m.guild_id is not None else intents.DIRECT_MESSAGES


def add_reaction(world: World, user_id: int, m: Message, emoji: str) -> bool:
    """Record a reaction; False (and no event) if this user already reacted with it."""
    users = m.reactions.setdefault(emoji, [])
    if user_id in users:
        return False
    users.append(user_id)
    data = _reaction_event(world, user_id, m, emoji)
    data["message_author_id"] = str(m.author_id)
    guild = world.guilds.get(m.guild_id or 0)
    member = guild.members.get(user_id) if guild else None
    if member is not None:
        data["member"] = payloads.member(member)
    world.dispatch("MESSAGE_REACTION_ADD", data, intent=_reaction_intent(m))
    return True


def remove_reaction(world: World, user_id: int, m: Message, emoji: str) -> bool:
    users = m.reactions.get(emoji, [])
    if user_id not in users:
        return False
    users.remove(user_id)
    data = _reaction_event(world, user_id, m, emoji)
    world.dispatch("MESSAGE_REACTION_REMOVE", data, intent=_reaction_intent(m))
    return True


def _reaction_event(world: World, user_id: int, m: Message, emoji: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "user_id": str(user_id),
        "channel_id": str(m.channel_id),
        "message_id": str(m.id),
        "emoji": payloads.emoji_ref(emoji),
        "burst": False,
        "burst_colors": [],
        "type": 0,
    }
    if m.guild_id is not None:
        data["guild_id"] = str(m.guild_id)
    return data


def _reaction_intent(m: Message) -> int:
    if m.guild_id is not None:
        return intents.GUILD_MESSAGE_REACTIONS
    return intents.DIRECT_MESSAGE_REACTIONS
