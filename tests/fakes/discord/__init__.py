"""A Discord-compatible fake server for wire-level tests of the real discord.py.

It serves REST under ``/api/v10`` and the gateway websocket at ``/gateway`` on 127.0.0.1
(port chosen by the OS). The server never imports discord.py; only ``pytest_helpers`` does,
to point it (``Route.BASE`` and ``DiscordWebSocket.DEFAULT_GATEWAY``) and run clients.

Start and point the library (see ``pytest_helpers``)::

    from tests.fakes.discord import FakeDiscord
    from tests.fakes.discord.pytest_helpers import (
        FAST_CLIENT_OPTIONS, BotErrors, discord_pointed_at, running, serve_fake_discord)

    async with serve_fake_discord() as fd:       # started + pointed; asserts fd.errors empty
        bot = MyBot(intents=..., **FAST_CLIENT_OPTIONS)   # guild_ready_timeout=0.05
        errors = BotErrors().install(bot, bot.tree)        # + errors.watch_view(view)
        async with running(bot, fd):          # client.start(fd.token) until ready; close after
            rec = await fd.slash(fd.owner.id, "search", {"platform": "n64"})
            reply = await rec.wait_reply()    # Callback: type, data, ephemeral, elapsed...
        errors.assert_empty()

World (all mutations dispatch the gateway event Discord would send):
    ``fd.token``, ``fd.api_url``, ``fd.gateway_url``, ``fd.application_id``, ``fd.bot``,
    ``fd.owner`` (guild owner, Admin role), ``fd.guild`` (roles ``@everyone``, the bot's
    managed role, ``Admin``; category "Text Channels" with text channel "general"; members
    owner + bot; no emojis; premium tier 0), ``fd.users``, ``fd.guilds``, ``fd.channels``
    (id -> Channel, DMs included), ``fd.emojis``, ``fd.app_emojis``, ``fd.commands``
    (guild id or None -> stored command payloads), ``fd.command(name)`` (guild, then global).
    ``fd.add_member(user_id=None, name, roles=[...], dms_open=True)``, ``fd.add_user``,
    ``fd.remove_member``, ``fd.add_role(name, permissions=...)``, ``fd.role_named``,
    ``fd.add_text_channel / add_voice_channel / add_category(name, parent_id=...)``,
    ``fd.channel_named``, ``fd.add_emoji(name, image)``, ``fd.set_premium_tier(n)``,
    ``fd.messages(channel_id)`` (ephemeral included, see ``Message.ephemeral``),
    ``fd.dm_messages(user_id)``, ``fd.message(id)``.

Driving the bot as a user would (these raise at once on impossible input: unknown command
or option, a value outside an option's choices, a missing or disabled component):
    ``await fd.slash(user_id, "name" | "group sub", {...}, channel_id=None)`` -> InteractionRecord
    (channel_id defaults to "general"; a DM channel from ``fd.open_dm(uid)`` gives a DM
    interaction that only sees global commands)
    ``await fd.autocomplete(user_id, "name", {...}, focused="opt")`` -> list of choices
    ``await fd.click(user_id, message_id, custom_id)``,
    ``await fd.select(user_id, message_id, custom_id, values=[...])`` -> InteractionRecord
    ``await fd.submit_modal(user_id, opened_record, {"input_custom_id": "text"})``
    ``await fd.react / unreact(user_id, channel_id, message_id, "📱" | "name:id")``
    ``await fd.say(user_id, channel_id, "text")``, ``await fd.update_member_roles(uid, [...])``
    ``fd.request_reconnect()`` (op 7; the bot RESUMEs), ``await fd.flush()``.

An ``InteractionRecord`` collects the answer: ``await rec.wait_reply(timeout)`` -> first
``Callback`` (``type``, ``data``, ``files``, ``ephemeral``, ``content``, ``embeds``,
``choices``, ``elapsed`` since dispatch); ``await rec.wait_final(timeout, followups=n)`` ->
the message @original points at once a defer was followed by an edit or follow-up;
``rec.original``, ``rec.followups``, ``rec.original_edits``, ``rec.callbacks``.

Faults and observation:
    ``fd.rate_limit(method, "/channels/{id}", times=1, retry_after=0.05)`` -> 429 with
    ``Via``, ``retry_after`` and ``X-RateLimit-*`` (the rule's ``hits`` list what it caught);
    ``fd.close_code_on_identify = 4014``; ``fd.privileged_intents`` (mask the "portal"
    allows; asking for more closes with 4014); ``fd.interaction_deadline`` (3 s: later
    callbacks get 10062 Unknown interaction); ``fd.requests`` / ``fd.calls(method, pattern)``
    (every REST call: method, path, query, json, files, status, time); ``fd.presence`` and
    ``fd.presence_updates`` (op 3 and IDENTIFY presence); ``fd.gateway.received``,
    ``identify_count``, ``resume_count``.
    ``fd.errors``: requests the fake rejected as bugs (unknown route, invalid JSON, invalid
    form body per Discord's limits, a crash in the fake). They are answered 4xx, never 5xx,
    because the library retries 5xx with growing sleeps. Discord semantics (closed DMs 50007,
    full emoji slots 30008, unknown message...) are not errors. ``fd.assert_no_errors()``.

Behaviour worth knowing: interaction callbacks answer ``?with_response=1`` with
``{"interaction": {..., "response_message_id"}, "resource": {"type", "message"}}``; the first
follow-up after a "thinking" defer replaces the loading message (as Discord does); text
channel names are lower-cased with dashes; ``attachment://name`` in embeds is rewritten to the
attachment's URL (served by the fake); without MESSAGE_CONTENT others' guild messages arrive
with empty content; without GUILD_MEMBERS the GUILD_CREATE carries only the bot's member;
REST mutations check the bot's permissions (MANAGE_CHANNELS, MANAGE_ROLES and role hierarchy,
MANAGE_GUILD_EXPRESSIONS: 403 50013) and Discord's documented limits (content 2000, embeds,
components, choices 25, command names...); emoji uploads need a real image in a data URI.
"""

from .interactions import Callback, InteractionRecord
from .records import FakeError, RateLimitRule, RestCall
from .server import FakeDiscord
from .state import Attachment, Channel, Emoji, Guild, Member, Message, Role, User

__all__ = [
    "Attachment",
    "Callback",
    "Channel",
    "Emoji",
    "FakeDiscord",
    "FakeError",
    "Guild",
    "InteractionRecord",
    "Member",
    "Message",
    "RateLimitRule",
    "RestCall",
    "Role",
    "User",
]
