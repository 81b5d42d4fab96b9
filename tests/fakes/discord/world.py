"""The fake's mutable world plus the mutations that Discord announces over the gateway.

Every mutation (from REST or from a test) dispatches the event Discord would send, so the
bot's caches stay true. Dispatch goes through `World.dispatch`, wired to the gateway by
FakeDiscord.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from . import intents, payloads
from .records import FakeError, RestCall
from .state import (
    ADMINISTRATOR,
    DEFAULT_EVERYONE_PERMISSIONS,
    DM,
    GUILD_CATEGORY,
    GUILD_TEXT,
    GUILD_VOICE,
    Channel,
    Emoji,
    Guild,
    Member,
    Message,
    Role,
    Snowflakes,
    User,
    channel_name,
)

Transform = Callable[[int, dict[str, Any]], dict[str, Any]]

# What the bot's managed role may do by default: manage channels/roles/messages/expressions,
# view, send, embed, attach, history, reactions, external emojis, connect, create expressions.
BOT_ROLE_PERMISSIONS = (
    (1 << 4)
    | (1 << 6)
    | (1 << 10)
    | (1 << 11)
    | (1 << 13)
    | (1 << 14)
    | (1 << 15)
    | (1 << 16)
    | (1 << 18)
    | (1 << 20)
    | (1 << 28)
    | (1 << 30)
    | (1 << 43)
)


class World:
    def __init__(self, *, token: str, bot_name: str, guild_name: str) -> None:
        self.ids = Snowflakes()
        self.token = token
        self.application_id = self.ids.next()
        self.bot = User(self.application_id, bot_name, bot=True)
        self.owner = User(self.ids.next(), "owner")
        self.users: dict[int, User] = {self.bot.id: self.bot, self.owner.id: self.owner}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.app_emojis: dict[int, Emoji] = {}
        # synced application commands: guild id (None = global) -> stored payloads
        self.commands: dict[int | None, list[dict[str, Any]]] = {}
        self.presence: dict[str, Any] | None = None
        self.presence_updates: list[dict[str, Any]] = []
        self.errors: list[FakeError] = []
        self.requests: list[RestCall] = []
        self.base_url = ""
        self._messages: dict[int, Message] = {}
        self._dm_by_user: dict[int, int] = {}
        self.guild = self._create_default_guild(guild_name)

    # -- wiring -------------------------------------------------------------------------------

    def dispatch(
        self,
        event: str,
        data: dict[str, Any],
        *,
        intent: int | None = None,
        transform: Transform | None = None,
    ) -> int:
        """Send a gateway event to every session holding `intent`; replaced by FakeDiscord."""
        return 0

    def record_error(self, kind: str, method: str, path: str, detail: str) -> None:
        self.errors.append(FakeError(kind, method, path, detail))

    # -- lookups ------------------------------------------------------------------------------

    def guild_of(self, guild_id: int) -> Guild | None:
        return self.guilds.get(guild_id)

    def channel_named(self, name: str, guild: Guild | None = None) -> Channel:
        gid = (guild or self.guild).id
        for ch in self.channels.values():
            if ch.guild_id == gid and ch.name == name:
                return ch
        raise KeyError(f"no channel named {name!r}")

    def guild_channels(self, guild: Guild | None = None) -> list[Channel]:
        gid = (guild or self.guild).id
        return [c for c in self.channels.values() if c.guild_id == gid]

    @property
    def emojis(self) -> list[Emoji]:
        return list(self.guild.emojis.values())

    def messages(self, channel_id: int, *, include_deleted: bool = False) -> list[Message]:
        """Messages in a channel, oldest first (ephemeral ones included; see Message.ephemeral)."""
        return [
            m
            for m in self._messages.values()
            if m.channel_id == channel_id and (include_deleted or not m.deleted)
        ]

    def message(self, message_id: int) -> Message | None:
        return self._messages.get(message_id)

    def store_message(self, m: Message) -> None:
        self._messages[m.id] = m

    def dm_channel_id(self, user_id: int) -> int | None:
        return self._dm_by_user.get(user_id)

    def dm_messages(self, user_id: int) -> list[Message]:
        cid = self._dm_by_user.get(user_id)
        return [] if cid is None else self.messages(cid)

    # -- rendering ----------------------------------------------------------------------------

    def render_channel(self, ch: Channel) -> dict[str, Any]:
        recipients = [self.users[ch.recipient_id]] if ch.recipient_id in self.users else []
        return payloads.channel(ch, recipients=recipients)

    def render_message(self, m: Message) -> dict[str, Any]:
        author = self.users.get(m.author_id) or User(m.author_id, "unknown")
        guild = self.guilds.get(m.guild_id or 0)
        inter_user = self.users.get(m.interaction_user_id or 0)
        return payloads.message(
            m,
            author=author,
            base_url=self.base_url,
            me_id=self.bot.id,
            author_member=guild.members.get(m.author_id) if guild else None,
            application_id=self.application_id if m.webhook_id else None,
            interaction_user=inter_user,
        )

    def render_member(self, guild: Guild, m: Member) -> dict[str, Any]:
        return {"guild_id": str(guild.id), **payloads.member(m)}

    def guild_payload(self, guild: Guild) -> dict[str, Any]:
        return payloads.guild(guild, emoji_creators=self.users)

    def guild_create_payload(self, guild: Guild, session_intents: int) -> dict[str, Any]:
        members = list(guild.members.values())
        if not session_intents & intents.GUILD_MEMBERS:
            members = [m for m in members if m.user.id == self.bot.id]
        return payloads.guild_create(
            guild, channels=self.guild_channels(guild), members=members, emoji_creators=self.users
        )

    # -- guild, members, roles ----------------------------------------------------------------

    def _create_default_guild(self, name: str) -> Guild:
        g = Guild(self.ids.next(), name, owner_id=self.owner.id)
        self.guilds[g.id] = g
        g.roles[g.id] = Role(g.id, "@everyone", permissions=DEFAULT_EVERYONE_PERMISSIONS)
        bot_role = Role(
            self.ids.next(),
            self.bot.name,
            BOT_ROLE_PERMISSIONS,
            1,
            managed=True,
            bot_id=self.bot.id,
        )
        admin = Role(self.ids.next(), "Admin", ADMINISTRATOR, 2, color=0xE67E22, hoist=True)
        g.roles[bot_role.id] = bot_role
        g.roles[admin.id] = admin
        g.members[self.owner.id] = Member(self.owner, [admin.id])
        g.members[self.bot.id] = Member(self.bot, [bot_role.id])
        category = self._new_channel(g, GUILD_CATEGORY, "Text Channels", position=0)
        self._new_channel(g, GUILD_TEXT, "general", parent_id=category.id, position=0)
        return g

    def role_named(self, name: str, guild: Guild | None = None) -> Role:
        for role in (guild or self.guild).roles.values():
            if role.name == name:
                return role
        raise KeyError(f"no role named {name!r}")

    def add_user(self, name: str, *, user_id: int | None = None, dms_open: bool = True) -> User:
        """A Discord user (not necessarily a member of any guild)."""
        u = User(user_id or self.ids.next(), name, dms_open=dms_open)
        self.users[u.id] = u
        return u

    def add_member(
        self,
        user_id: int | None = None,
        name: str = "member",
        *,
        roles: Iterable[int] = (),
        dms_open: bool = True,
        guild: Guild | None = None,
    ) -> Member:
        """Add a member (creating the user if needed); dispatches GUILD_MEMBER_ADD."""
        g = guild or self.guild
        u = self.users.get(user_id or 0) or self.add_user(name, user_id=user_id, dms_open=dms_open)
        u.dms_open = dms_open
        m = Member(u, [int(r) for r in roles])
        g.members[u.id] = m
        self.dispatch("GUILD_MEMBER_ADD", self.render_member(g, m), intent=intents.GUILD_MEMBERS)
        return m

    def remove_member(self, user_id: int, guild: Guild | None = None) -> None:
        g = guild or self.guild
        m = g.members.pop(user_id)
        data = {"guild_id": str(g.id), "user": payloads.user(m.user)}
        self.dispatch("GUILD_MEMBER_REMOVE", data, intent=intents.GUILD_MEMBERS)

    def set_member_roles(
        self, user_id: int, roles: Iterable[int], guild: Guild | None = None
    ) -> Member:
        g = guild or self.guild
        m = g.members[user_id]
        m.roles = [int(r) for r in roles if int(r) != g.id]
        self.dispatch("GUILD_MEMBER_UPDATE", self.render_member(g, m), intent=intents.GUILD_MEMBERS)
        return m

    def add_role(
        self,
        name: str,
        *,
        permissions: int = 0,
        color: int = 0,
        hoist: bool = False,
        mentionable: bool = False,
        guild: Guild | None = None,
    ) -> Role:
        g = guild or self.guild
        position = max((r.position for r in g.roles.values()), default=0) + 1
        role = Role(self.ids.next(), name, permissions, position, color, hoist, False, mentionable)
        g.roles[role.id] = role
        self.announce_role("GUILD_ROLE_CREATE", g, role)
        return role

    def announce_role(self, event: str, g: Guild, role: Role) -> None:
        data: dict[str, Any] = {"guild_id": str(g.id), "role": payloads.role(role)}
        if event == "GUILD_ROLE_DELETE":
            data = {"guild_id": str(g.id), "role_id": str(role.id)}
        self.dispatch(event, data, intent=intents.GUILDS)

    def set_premium_tier(self, tier: int, guild: Guild | None = None) -> None:
        """Change the boost level (and so the emoji slots); dispatches GUILD_UPDATE."""
        if tier not in (0, 1, 2, 3):
            raise ValueError("premium tier is 0..3")
        g = guild or self.guild
        g.premium_tier = tier
        self.dispatch("GUILD_UPDATE", self.guild_payload(g), intent=intents.GUILDS)

    # -- channels -----------------------------------------------------------------------------

    def _new_channel(self, g: Guild, ctype: int, name: str, **fields: Any) -> Channel:
        ch = Channel(self.ids.next(), ctype, name, guild_id=g.id, **fields)
        self.channels[ch.id] = ch
        return ch

    def add_channel(
        self, ctype: int, name: str, *, guild: Guild | None = None, **fields: Any
    ) -> Channel:
        """Create a guild channel as an admin would; dispatches CHANNEL_CREATE."""
        g = guild or self.guild
        if "position" not in fields:
            same = [c.position for c in self.guild_channels(g) if c.type == ctype]
            fields["position"] = max(same, default=-1) + 1
        ch = self._new_channel(g, ctype, channel_name(ctype, name), **fields)
        self.dispatch("CHANNEL_CREATE", self.render_channel(ch), intent=intents.GUILDS)
        return ch

    def add_text_channel(self, name: str, **fields: Any) -> Channel:
        return self.add_channel(GUILD_TEXT, name, **fields)

    def add_voice_channel(self, name: str, **fields: Any) -> Channel:
        return self.add_channel(GUILD_VOICE, name, **fields)

    def add_category(self, name: str, **fields: Any) -> Channel:
        return self.add_channel(GUILD_CATEGORY, name, **fields)

    def update_channel(self, ch: Channel, **fields: Any) -> Channel:
        for key, value in fields.items():
            setattr(ch, key, value)
        self.dispatch("CHANNEL_UPDATE", self.render_channel(ch), intent=intents.GUILDS)
        return ch

    def delete_channel(self, ch: Channel) -> dict[str, Any]:
        data = self.render_channel(ch)
        del self.channels[ch.id]
        if ch.type == DM:
            self._dm_by_user.pop(ch.recipient_id or 0, None)
        else:
            self.dispatch("CHANNEL_DELETE", data, intent=intents.GUILDS)
        return data

    def open_dm(self, user_id: int) -> Channel:
        cid = self._dm_by_user.get(user_id)
        if cid is not None:
            return self.channels[cid]
        ch = Channel(self.ids.next(), DM, "", recipient_id=user_id)
        self.channels[ch.id] = ch
        self._dm_by_user[user_id] = ch.id
        return ch

    # -- emojis -------------------------------------------------------------------------------

    def add_emoji(
        self,
        name: str,
        image: bytes = b"",
        *,
        animated: bool = False,
        user_id: int | None = None,
        guild: Guild | None = None,
    ) -> Emoji:
        """Add a guild emoji (no slot check: tests may overfill); dispatches GUILD_EMOJIS_UPDATE."""
        g = guild or self.guild
        ctype = "image/gif" if animated else "image/png"
        e = Emoji(self.ids.next(), name, image, ctype, animated, user_id=user_id or self.owner.id)
        g.emojis[e.id] = e
        self.announce_emojis(g)
        return e

    def announce_emojis(self, g: Guild) -> None:
        data = {
            "guild_id": str(g.id),
            "emojis": [
                payloads.emoji(e, self.users.get(e.user_id or 0)) for e in g.emojis.values()
            ],
        }
        self.dispatch("GUILD_EMOJIS_UPDATE", data, intent=intents.GUILD_EXPRESSIONS)

    def emoji_counts(self, g: Guild) -> tuple[int, int]:
        """(static, animated) emojis in use."""
        animated = sum(1 for e in g.emojis.values() if e.animated)
        return len(g.emojis) - animated, animated
