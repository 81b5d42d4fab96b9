"""Discord JSON shapes for the fake's state objects (API v10, as discord.py 2.x reads them)."""

from __future__ import annotations

from typing import Any

from .state import (
    DM,
    GUILD_CATEGORY,
    GUILD_STAGE_VOICE,
    GUILD_VOICE,
    Attachment,
    Channel,
    Emoji,
    Guild,
    Member,
    Message,
    Role,
    User,
)


def user(u: User) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(u.id),
        "username": u.name,
        "discriminator": "0",
        "global_name": u.global_name,
        "avatar": u.avatar,
        "public_flags": 0,
        "flags": 0,
        "banner": None,
        "accent_color": None,
        "avatar_decoration_data": None,
    }
    if u.bot:
        data["bot"] = True
    return data


def client_user(u: User) -> dict[str, Any]:
    return {**user(u), "verified": True, "mfa_enabled": False, "locale": "en-US", "email": None}


def role(r: Role) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(r.id),
        "name": r.name,
        "color": r.color,
        "colors": {"primary_color": r.color, "secondary_color": None, "tertiary_color": None},
        "hoist": r.hoist,
        "icon": None,
        "unicode_emoji": None,
        "position": r.position,
        "permissions": str(r.permissions),
        "managed": r.managed,
        "mentionable": r.mentionable,
        "flags": 0,
    }
    if r.bot_id is not None:
        data["tags"] = {"bot_id": str(r.bot_id)}
    return data


def member(m: Member, *, with_user: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "nick": m.nick,
        "avatar": None,
        "banner": None,
        "roles": [str(r) for r in m.roles],
        "joined_at": m.joined_at,
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "pending": False,
        "flags": 0,
        "communication_disabled_until": None,
    }
    if with_user:
        data["user"] = user(m.user)
    return data


def overwrite(o: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(o["id"]),
        "type": int(o.get("type", 0)),
        "allow": str(o.get("allow", "0")),
        "deny": str(o.get("deny", "0")),
    }


def channel(c: Channel, *, recipients: list[User] | None = None) -> dict[str, Any]:
    if c.type == DM:
        return {
            "id": str(c.id),
            "type": DM,
            "last_message_id": _opt_id(c.last_message_id),
            "recipients": [user(u) for u in recipients or []],
            "flags": 0,
        }
    data: dict[str, Any] = {
        "id": str(c.id),
        "type": c.type,
        "guild_id": str(c.guild_id),
        "name": c.name,
        "position": c.position,
        "permission_overwrites": [overwrite(o) for o in c.permission_overwrites],
        "parent_id": _opt_id(c.parent_id),
        "nsfw": c.nsfw,
        "flags": 0,
    }
    if c.type == GUILD_CATEGORY:
        return data
    data["last_message_id"] = _opt_id(c.last_message_id)
    data["rate_limit_per_user"] = c.rate_limit_per_user
    if c.type in (GUILD_VOICE, GUILD_STAGE_VOICE):
        data.update(bitrate=c.bitrate, user_limit=c.user_limit, rtc_region=None)
    else:
        data["topic"] = c.topic
    return data


def emoji(e: Emoji, creator: User | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(e.id),
        "name": e.name,
        "roles": [str(r) for r in e.roles],
        "require_colons": True,
        "managed": False,
        "animated": e.animated,
        "available": e.available,
    }
    if creator is not None:
        data["user"] = user(creator)
    return data


def attachment(a: Attachment, base_url: str, channel_id: int) -> dict[str, Any]:
    url = f"{base_url}/attachments/{channel_id}/{a.id}/{a.filename}"
    data: dict[str, Any] = {
        "id": str(a.id),
        "filename": a.filename,
        "size": a.size,
        "url": url,
        "proxy_url": url,
        "content_type": a.content_type,
    }
    if a.description is not None:
        data["description"] = a.description
    return data


def message(
    m: Message,
    *,
    author: User,
    base_url: str,
    me_id: int,
    author_member: Member | None = None,
    application_id: int | None = None,
    interaction_user: User | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(m.id),
        "channel_id": str(m.channel_id),
        "author": user(author),
        "content": m.content,
        "timestamp": m.timestamp,
        "edited_timestamp": m.edited_timestamp,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [attachment(a, base_url, m.channel_id) for a in m.attachments],
        "embeds": m.embeds,
        "components": m.components,
        "reactions": [
            {"count": len(users), "me": me_id in users, "emoji": emoji_ref(key)}
            for key, users in m.reactions.items()
            if users
        ],
        "pinned": False,
        "type": m.type,
        "flags": m.flags,
    }
    if m.guild_id is not None:
        data["guild_id"] = str(m.guild_id)
        if author_member is not None:
            data["member"] = member(author_member, with_user=False)
    if m.webhook_id is not None:
        data["webhook_id"] = str(m.webhook_id)
    if application_id is not None:
        data["application_id"] = str(application_id)
    if m.interaction_id is not None and interaction_user is not None:
        data["interaction_metadata"] = {
            "id": str(m.interaction_id),
            "type": 2,
            "user": user(interaction_user),
            "authorizing_integration_owners": {},
        }
    if m.message_reference is not None:
        data["message_reference"] = m.message_reference
    if m.nonce is not None:
        data["nonce"] = m.nonce
    return data


def emoji_ref(key: str) -> dict[str, Any]:
    """`"📱"` -> unicode emoji; `"name:123"` (or `"<:name:123>"`, `"a:name:123"`) -> custom."""
    text = key.strip("<>")
    parts = text.split(":")
    if len(parts) >= 2 and parts[-1].isdigit():
        animated = len(parts) == 3 and parts[0] == "a"
        return {"id": parts[-1], "name": parts[-2], "animated": animated}
    return {"id": None, "name": key}


def guild(g: Guild, *, emoji_creators: dict[int, User] | None = None) -> dict[str, Any]:
    """The guild object without the GUILD_CREATE-only fields (channels, members...)."""
    creators = emoji_creators or {}
    return {
        "id": str(g.id),
        "name": g.name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "description": g.description,
        "owner_id": str(g.owner_id),
        "region": None,
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "features": list(g.features),
        "roles": [role(r) for r in g.roles.values()],
        "emojis": [emoji(e, creators.get(e.user_id or 0)) for e in g.emojis.values()],
        "stickers": [],
        "application_id": None,
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "public_updates_channel_id": None,
        "safety_alerts_channel_id": None,
        "vanity_url_code": None,
        "premium_tier": g.premium_tier,
        "premium_subscription_count": [0, 2, 7, 14][g.premium_tier],
        "premium_progress_bar_enabled": False,
        "preferred_locale": g.preferred_locale,
        "max_members": 500000,
        "max_video_channel_users": 25,
        "max_stage_video_channel_users": 50,
        "incidents_data": None,
    }


def guild_create(
    g: Guild,
    *,
    channels: list[Channel],
    members: list[Member],
    emoji_creators: dict[int, User] | None = None,
) -> dict[str, Any]:
    """GUILD_CREATE: member_count is the true count; `members` may be a subset (no intent)."""
    data = guild(g, emoji_creators=emoji_creators)
    data.update(
        joined_at=members[0].joined_at if members else None,
        large=len(g.members) > 250,
        unavailable=False,
        member_count=len(g.members),
        voice_states=[],
        members=[member(m) for m in members],
        channels=[_without_guild_id(channel(c)) for c in channels],
        threads=[],
        presences=[],
        stage_instances=[],
        guild_scheduled_events=[],
        soundboard_sounds=[],
    )
    return data


def _without_guild_id(data: dict[str, Any]) -> dict[str, Any]:
    data.pop("guild_id", None)
    return data


def _opt_id(value: int | None) -> str | None:
    return None if value is None else str(value)
