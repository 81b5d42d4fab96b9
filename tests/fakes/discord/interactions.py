"""Interactions as a user's client creates them, and the record of how the bot answered."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import payloads
from .state import DM, FLAG_EPHEMERAL, Attachment, Channel, Guild, Message

if TYPE_CHECKING:
    from .world import World

PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
RESOLVABLE = {6: "users", 7: "channels", 8: "roles", 9: "mentionables"}
# How long a test waits for the answer after a defer: a guard against a hang, not a budget.
AFTER_DEFER_GUARD = 30.0


@dataclass
class Callback:
    """One `POST /interactions/{id}/{token}/callback` (types 4,5,6,7,8,9)."""

    type: int
    data: dict[str, Any]
    files: list[Attachment]
    elapsed: float  # seconds from dispatch to the callback's arrival

    @property
    def ephemeral(self) -> bool:
        return bool(int(self.data.get("flags") or 0) & FLAG_EPHEMERAL)

    @property
    def content(self) -> str:
        return str(self.data.get("content") or "")

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return list(self.data.get("embeds") or [])

    @property
    def choices(self) -> list[dict[str, Any]]:
        return list(self.data.get("choices") or [])


@dataclass
class InteractionRecord:
    """An interaction the fake dispatched, and everything the bot did with its token."""

    id: int
    token: str
    type: int
    user_id: int
    channel_id: int
    payload: dict[str, Any]
    dispatched_at: float
    world: World = field(repr=False)
    callbacks: list[Callback] = field(default_factory=list)
    original_id: int | None = None  # the message @original points at (after a callback)
    original_edits: int = 0  # PATCH @original count
    followup_ids: list[int] = field(default_factory=list)
    component_message_id: int | None = None  # message carrying the clicked component
    _changed: asyncio.Event = field(default_factory=asyncio.Event, repr=False)

    def notify(self) -> None:
        self._changed.set()

    @property
    def reply(self) -> Callback | None:
        return self.callbacks[0] if self.callbacks else None

    @property
    def original(self) -> Message | None:
        return self.world.message(self.original_id) if self.original_id else None

    @property
    def followups(self) -> list[Message]:
        found = [self.world.message(mid) for mid in self.followup_ids]
        return [m for m in found if m is not None]

    async def wait_for(
        self,
        predicate: Callable[[InteractionRecord], bool],
        timeout: float,  # noqa: ASYNC109
        what: str,
    ) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate(self):
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(self._describe_timeout(what, timeout))
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except TimeoutError:
                continue

    async def wait_reply(self, timeout: float = 3.0) -> Callback:  # noqa: ASYNC109
        """The first callback (type 4/5/6/7/8/9)."""
        await self.wait_for(lambda r: bool(r.callbacks), timeout, "an interaction callback")
        assert self.reply is not None
        return self.reply

    async def wait_final(
        self,
        timeout: float = 3.0,  # noqa: ASYNC109
        *,
        followups: int = 0,
    ) -> Message | None:
        """The message @original points at once the answer is complete.

        After a defer (type 5/6) that is when @original was edited or a follow-up arrived;
        with `followups=n` it also waits for n follow-up messages. `timeout` bounds the first
        callback (Discord's budget); what follows a defer has no such budget at Discord (the
        token lives 15 minutes), so it is waited for as long as it takes on a loaded machine.
        """

        def done(r: InteractionRecord) -> bool:
            if not r.callbacks:
                return False
            if r.callbacks[0].type in (5, 6) and not (r.original_edits or r.followup_ids):
                return False
            return len(r.followup_ids) >= followups

        await self.wait_reply(timeout)
        await self.wait_for(
            done, AFTER_DEFER_GUARD, f"a final answer with {followups} follow-up(s)"
        )
        return self.original

    def _describe_timeout(self, what: str, timeout: float) -> str:
        errors = "; ".join(str(e) for e in self.world.errors) or "none"
        kinds = [c.type for c in self.callbacks]
        return (
            f"interaction {self.id} (type {self.type}): no {what} within {timeout}s; "
            f"callbacks={kinds} edits={self.original_edits} followups={len(self.followup_ids)}; "
            f"fake errors: {errors}. A handler exception in the bot is only logged: "
            "check the bot's on_error hooks."
        )


def base_payload(
    world: World,
    itype: int,
    user_id: int,
    channel: Channel,
    data: dict[str, Any],
    *,
    locale: str = "en-US",
) -> dict[str, Any]:
    """The fields discord.py insists on, filled as Discord fills them."""
    interaction_id = world.ids.next()
    payload: dict[str, Any] = {
        "id": str(interaction_id),
        "application_id": str(world.application_id),
        "type": itype,
        "data": data,
        "channel_id": str(channel.id),
        "channel": {**world.render_channel(channel), "permissions": "0"},
        "token": "fake-" + secrets.token_urlsafe(24),
        "version": 1,
        "locale": locale,
        "entitlements": [],
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
    }
    user = world.users[user_id]
    guild = world.guilds.get(channel.guild_id or 0)
    if guild is None or channel.type == DM:
        payload.update(
            user=payloads.user(user),
            context=1,
            authorizing_integration_owners={"1": str(user_id)},
            app_permissions=str(1 << 11 | 1 << 14 | 1 << 15),
        )
        return payload
    member = guild.members.get(user_id)
    if member is None:
        raise LookupError(f"user {user_id} is not a member of guild {guild.id}")
    perms = guild.member_permissions(user_id)
    payload["channel"]["permissions"] = str(perms)
    payload.update(
        guild_id=str(guild.id),
        guild={"id": str(guild.id), "locale": guild.preferred_locale, "features": guild.features},
        guild_locale=guild.preferred_locale,
        member={**payloads.member(member), "permissions": str(perms)},
        context=0,
        authorizing_integration_owners={"0": str(guild.id)},
        app_permissions=str(guild.member_permissions(world.bot.id)),
    )
    return payload


def command_data(
    world: World,
    command: dict[str, Any],
    path: list[str],
    options: dict[str, Any],
    guild: Guild | None,
    *,
    focused: str | None = None,
) -> dict[str, Any]:
    """`data` of an APPLICATION_COMMAND (or AUTOCOMPLETE) interaction, options typed from the
    synced command so a test can't send what Discord's client would not."""
    defs = command.get("options") or []
    nested: list[dict[str, Any]] = []
    container = nested
    for name in path:
        sub = _option_def(defs, name, (1, 2))
        entry: dict[str, Any] = {"type": sub["type"], "name": name, "options": []}
        container.append(entry)
        container = entry["options"]
        defs = sub.get("options") or []
    resolved: dict[str, dict[str, Any]] = {}
    for name, value in options.items():
        opt = _option_def(defs, name, (3, 4, 5, 6, 7, 8, 9, 10, 11))
        choices = [c["value"] for c in opt.get("choices") or []]
        if choices and name != focused and value not in choices:
            raise ValueError(f"option {name!r}: {value!r} is not one of its choices {choices}")
        entry = {"type": opt["type"], "name": name, "value": value}
        if name == focused:
            entry["focused"] = True
            entry["value"] = str(value)
        elif opt["type"] in RESOLVABLE:
            entry["value"] = str(value)
            _resolve(world, guild, opt["type"], int(value), resolved)
        container.append(entry)
    missing = [o["name"] for o in defs if o.get("required") and o["name"] not in options]
    if missing and focused is None:
        raise ValueError(f"required option(s) missing: {missing}")
    if focused is not None and focused not in options:
        raise ValueError(f"focused option {focused!r} has no value in options")
    data: dict[str, Any] = {
        "id": command["id"],
        "name": command["name"],
        "type": command.get("type", 1),
        "options": nested,
    }
    if command.get("guild_id"):
        data["guild_id"] = command["guild_id"]
    if resolved:
        data["resolved"] = resolved
    return data


def _option_def(defs: list[dict[str, Any]], name: str, types: tuple[int, ...]) -> dict[str, Any]:
    for opt in defs:
        if opt.get("name") == name and opt.get("type") in types:
            return opt
    known = [o.get("name") for o in defs]
    raise ValueError(f"the command has no option {name!r} here (known: {known})")


def _resolve(
    world: World, guild: Guild | None, otype: int, oid: int, out: dict[str, dict[str, Any]]
) -> None:
    if oid in world.users and otype in (6, 9):
        out.setdefault("users", {})[str(oid)] = payloads.user(world.users[oid])
        member = guild.members.get(oid) if guild else None
        if member is not None:
            out.setdefault("members", {})[str(oid)] = payloads.member(member, with_user=False)
    elif guild is not None and oid in guild.roles and otype in (8, 9):
        out.setdefault("roles", {})[str(oid)] = payloads.role(guild.roles[oid])
    elif oid in world.channels and otype == 7:
        rendered = world.render_channel(world.channels[oid])
        out.setdefault("channels", {})[str(oid)] = {**rendered, "permissions": "0"}
    else:
        raise ValueError(f"option value {oid} does not resolve to a known user/role/channel")


def component_data(message: Message, custom_id: str, values: list[str] | None) -> dict[str, Any]:
    """`data` of a MESSAGE_COMPONENT interaction, checked against the message's components."""
    comp = message.find_component(custom_id)
    if comp is None:
        ids = [c.get("custom_id") for c in message.iter_components() if c.get("custom_id")]
        raise ValueError(f"message {message.id} has no component {custom_id!r} (has {ids})")
    if comp.get("disabled"):
        raise ValueError(f"component {custom_id!r} is disabled: a user cannot use it")
    ctype = int(comp["type"])
    data: dict[str, Any] = {"custom_id": custom_id, "component_type": ctype}
    if ctype == 2:
        if values is not None:
            raise ValueError(f"{custom_id!r} is a button: use click()")
        return data
    if values is None:
        raise ValueError(f"{custom_id!r} is a select menu: use select()")
    lo, hi = int(comp.get("min_values", 1)), int(comp.get("max_values", 1))
    if not lo <= len(values) <= hi:
        raise ValueError(f"select {custom_id!r} takes {lo}..{hi} values, got {len(values)}")
    if ctype == 3:
        allowed = [o["value"] for o in comp.get("options") or []]
        bad = [v for v in values if v not in allowed]
        if bad:
            raise ValueError(f"select {custom_id!r} has no option(s) {bad} (has {allowed})")
    data["values"] = list(values)
    return data


def modal_submit_data(modal: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """`data` of a MODAL_SUBMIT answering `modal` (the type 9 callback's data), shaped like it.

    `values` maps a text input's custom_id to its text (a string select's to a list).
    """

    def answer(comp: dict[str, Any]) -> dict[str, Any] | None:
        ctype = comp.get("type")
        if ctype == 1:
            children = [a for a in map(answer, comp.get("components") or []) if a]
            return {"type": 1, "components": children}
        if ctype == 18:
            inner = answer(comp.get("component") or {})
            return {"type": 18, "id": comp.get("id", 0), "component": inner} if inner else None
        custom_id = comp.get("custom_id")
        if custom_id is None:
            return None
        value = values.get(custom_id)
        if value is None and comp.get("required", True) and ctype == 4:
            raise ValueError(f"modal input {custom_id!r} is required")
        if ctype == 4:
            return {
                "type": 4,
                "id": comp.get("id", 0),
                "custom_id": custom_id,
                "value": value or "",
            }
        return {
            "type": ctype,
            "id": comp.get("id", 0),
            "custom_id": custom_id,
            "values": list(value or []),
        }

    known = {str(c["custom_id"]) for c in _walk(modal.get("components") or []) if "custom_id" in c}
    unknown = set(values) - known
    if unknown:
        raise ValueError(f"the modal has no input(s) {sorted(unknown)} (has {sorted(known)})")
    components = [a for a in map(answer, modal.get("components") or []) if a]
    return {"custom_id": modal["custom_id"], "components": components}


def _walk(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for comp in components:
        found.append(comp)
        found.extend(_walk(comp.get("components") or []))
        if isinstance(comp.get("component"), dict):
            found.extend(_walk([comp["component"]]))
    return found
