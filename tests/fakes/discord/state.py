"""The fake's world: users, guilds, roles, channels, emojis, messages (plain dataclasses).

Nothing here knows about HTTP or websockets; payloads.py turns these into Discord JSON.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

DISCORD_EPOCH_MS = 1420070400000

# Channel types (https://discord.com/developers/docs/resources/channel#channel-object-channel-types)
GUILD_TEXT = 0
DM = 1
GUILD_VOICE = 2
GUILD_CATEGORY = 4
GUILD_ANNOUNCEMENT = 5
GUILD_STAGE_VOICE = 13
GUILD_FORUM = 15

# Message flags
FLAG_EPHEMERAL = 1 << 6
FLAG_LOADING = 1 << 7
FLAG_COMPONENTS_V2 = 1 << 15

# Emoji slots per premium tier, counted separately for static and animated emojis.
EMOJI_SLOTS_BY_TIER = {0: 50, 1: 100, 2: 150, 3: 250}
APPLICATION_EMOJI_LIMIT = 2000

ADMINISTRATOR = 1 << 3
ALL_PERMISSIONS = (1 << 51) - 1
# What a new server grants @everyone: invite, reactions, view, send, embed, attach, history,
# external emojis, connect, speak, change nickname, use application commands.
DEFAULT_EVERYONE_PERMISSIONS = (
    (1 << 0)
    | (1 << 6)
    | (1 << 10)
    | (1 << 11)
    | (1 << 14)
    | (1 << 15)
    | (1 << 16)
    | (1 << 18)
    | (1 << 20)
    | (1 << 21)
    | (1 << 26)
    | (1 << 31)
)


def channel_name(ctype: int, name: str) -> str:
    """Discord lower-cases text channel names and turns spaces into dashes."""
    if ctype in (GUILD_TEXT, GUILD_ANNOUNCEMENT, GUILD_FORUM):
        return "-".join(name.lower().split())
    return name


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


class Snowflakes:
    """Hands out increasing snowflakes whose timestamp part is the current time."""

    def __init__(self) -> None:
        self._last = 0
        self._counter = itertools.count()

    def next(self) -> int:
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        candidate = (ms << 22) | (1 << 17) | (next(self._counter) & 0xFFF)
        self._last = max(candidate, self._last + 1)
        return self._last


@dataclass
class User:
    id: int
    name: str
    bot: bool = False
    global_name: str | None = None
    avatar: str | None = None
    dms_open: bool = True


@dataclass
class Role:
    id: int
    name: str
    permissions: int = 0
    position: int = 0
    color: int = 0
    hoist: bool = False
    managed: bool = False
    mentionable: bool = False
    bot_id: int | None = None


@dataclass
class Member:
    user: User
    roles: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = field(default_factory=now_iso)


@dataclass
class Channel:
    id: int
    type: int
    name: str
    guild_id: int | None = None
    position: int = 0
    parent_id: int | None = None
    topic: str | None = None
    permission_overwrites: list[dict[str, Any]] = field(default_factory=list)
    nsfw: bool = False
    bitrate: int = 64000
    user_limit: int = 0
    rate_limit_per_user: int = 0
    recipient_id: int | None = None  # DM channels only
    last_message_id: int | None = None


@dataclass
class Emoji:
    id: int
    name: str
    image: bytes = b""
    content_type: str = "image/png"
    animated: bool = False
    roles: list[int] = field(default_factory=list)
    user_id: int | None = None
    available: bool = True


@dataclass
class Attachment:
    id: int
    filename: str
    data: bytes
    content_type: str | None = None
    description: str | None = None

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class Message:
    id: int
    channel_id: int
    author_id: int
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    flags: int = 0
    type: int = 0
    guild_id: int | None = None
    webhook_id: int | None = None
    interaction_id: int | None = None
    interaction_user_id: int | None = None
    message_reference: dict[str, Any] | None = None
    nonce: str | int | None = None
    timestamp: str = field(default_factory=now_iso)
    edited_timestamp: str | None = None
    deleted: bool = False
    # emoji key ("📱" or "name:id") -> ids of users who reacted
    reactions: dict[str, list[int]] = field(default_factory=dict)
    # every edit payload applied to this message, oldest first
    edits: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & FLAG_EPHEMERAL)

    @property
    def loading(self) -> bool:
        return bool(self.flags & FLAG_LOADING)

    def iter_components(self) -> list[dict[str, Any]]:
        """Every component of the message, flattened (rows, containers, sections...)."""
        found: list[dict[str, Any]] = []
        stack = list(self.components)
        while stack:
            comp = stack.pop(0)
            found.append(comp)
            stack.extend(comp.get("components", []))
            for key in ("accessory", "component"):
                if isinstance(comp.get(key), dict):
                    stack.append(comp[key])
        return found

    def find_component(self, custom_id: str) -> dict[str, Any] | None:
        for comp in self.iter_components():
            if comp.get("custom_id") == custom_id:
                return comp
        return None


@dataclass
class Guild:
    id: int
    name: str
    owner_id: int
    premium_tier: int = 0
    roles: dict[int, Role] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    emojis: dict[int, Emoji] = field(default_factory=dict)
    features: list[str] = field(default_factory=list)
    preferred_locale: str = "en-US"
    description: str | None = None

    @property
    def emoji_slots(self) -> int:
        return EMOJI_SLOTS_BY_TIER.get(self.premium_tier, 50)

    def member_permissions(self, user_id: int) -> int:
        if user_id == self.owner_id:
            return ALL_PERMISSIONS
        member = self.members.get(user_id)
        perms = self.roles[self.id].permissions if self.id in self.roles else 0
        if member is not None:
            for role_id in member.roles:
                role = self.roles.get(role_id)
                if role is not None:
                    perms |= role.permissions
        if perms & ADMINISTRATOR:
            return ALL_PERMISSIONS
        return perms
