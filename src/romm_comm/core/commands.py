"""The command registry: every command is declared once and served by every front end.

A declaration says the name, description, typed options (which autocomplete, which are
required, length limits) and who may run it. Front ends register the declarations their own
way and call `Registry.run`, `Registry.act` and `Registry.complete`; the registry validates
input, checks admin rights again at run time, and turns failures into one short sentence.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal, Protocol, Self, TypeVar

from ..common.closest import closest
from ..common.errors import UserFacingError
from ..store.problems import DISK_FULL, disk_full_in
from .cards import Choice, Reply

log = logging.getLogger(__name__)

OptionType = Literal["string", "integer", "boolean"]


@dataclass(frozen=True)
class Caller:
    """Who is asking, as the front end knows them."""

    id: str
    name: str
    front_end: str
    is_admin: bool = False


class CallContext(Protocol):
    """What the registry needs of a call's context. The features' `Context` (caller, services,
    registry) is the one in use; the core knows nothing of the services."""

    @property
    def caller(self) -> Caller: ...

    @property
    def registry(self) -> Registry | None: ...

    def with_registry(self, registry: Registry) -> Self: ...


C = TypeVar("C", bound=CallContext)
# Handlers take the features' Context; the core only passes it on.
Handler = Callable[[Any, dict[str, Any]], Awaitable[Reply]]
ActionHandler = Callable[[Any, list[str], list[str]], Awaitable[Reply]]
Completer = Callable[[Any, str], Awaitable[list[Choice]]]
# Told of every command and button: (command or action prefix, front end, outcome, seconds);
# outcome is "ok", "error" (the reply is an error), "denied", "invalid", "unknown" or "crashed".
CommandObserver = Callable[[str, str, str, float], None]


@dataclass(frozen=True)
class OptionSpec:
    name: str
    description: str
    type: OptionType = "string"
    required: bool = False
    autocomplete: str | None = None  # name of a registered completer
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    min_value: int | None = None
    max_value: int | None = None


@dataclass(frozen=True)
class CommandSpec:
    name: str
    description: str
    handler: Handler
    options: tuple[OptionSpec, ...] = ()
    admin: bool = False
    private: bool = False  # replies only the caller sees
    usage: str = ""  # extra help text
    personal: bool = False  # replies about the caller alone (see Reply.personal)

    def option(self, name: str) -> OptionSpec | None:
        return next((o for o in self.options if o.name == name), None)


class InputError(Exception):
    """Bad input from a person; the message is shown to them as is."""


ActionEntry = tuple[ActionHandler, bool, bool]  # the handler, admins only, personal


class _Declarations:
    """The declaration API shared by `Registry` and `CommandGroup`: decorators that leave the
    decorated function as it is (so tracebacks and "go to definition" name it)."""

    def add_command(self, spec: CommandSpec) -> None:
        raise NotImplementedError

    def add_action(self, prefix: str, entry: ActionEntry) -> None:
        raise NotImplementedError

    def add_completer(self, name: str, fn: Completer) -> None:
        raise NotImplementedError

    def command(
        self,
        name: str,
        description: str,
        *options: OptionSpec,
        admin: bool = False,
        private: bool = False,
        usage: str = "",
        personal: bool = False,
    ) -> Callable[[Handler], Handler]:
        """`private`: only the caller sees the reply. `personal`: it is about the caller
        alone (their account, their own lists), so chats whose only private place is a
        direct conversation send it there (Reply.personal)."""

        def register(handler: Handler) -> Handler:
            self.add_command(
                CommandSpec(
                    name, description, handler, tuple(options), admin, private, usage, personal
                )
            )
            return handler

        return register

    def action(
        self, prefix: str, *, admin: bool = False, personal: bool = False
    ) -> Callable[[ActionHandler], ActionHandler]:
        def register(handler: ActionHandler) -> ActionHandler:
            self.add_action(prefix, (handler, admin, personal))
            return handler

        return register

    def completer(self, name: str) -> Callable[[Completer], Completer]:
        def register(fn: Completer) -> Completer:
            self.add_completer(name, fn)
            return fn

        return register


@dataclass
class CommandGroup(_Declarations):
    """One feature's commands, actions and completers, declared at module level and added to
    a registry with `registry.include(group)`."""

    name: str
    commands: list[CommandSpec] = field(default_factory=list)
    actions: list[tuple[str, ActionEntry]] = field(default_factory=list)
    completers: list[tuple[str, Completer]] = field(default_factory=list)

    def add_command(self, spec: CommandSpec) -> None:
        self.commands.append(spec)

    def add_action(self, prefix: str, entry: ActionEntry) -> None:
        self.actions.append((prefix, entry))

    def add_completer(self, name: str, fn: Completer) -> None:
        self.completers.append((name, fn))


@dataclass
class Registry(_Declarations):
    """Every command a bot serves. A name, action prefix or completer declared twice is
    refused when it is declared, so a clash shows at start and not as a wrong answer."""

    commands: dict[str, CommandSpec] = field(default_factory=dict)
    actions: dict[str, ActionEntry] = field(default_factory=dict)
    completers: dict[str, Completer] = field(default_factory=dict)
    observers: list[CommandObserver] = field(default_factory=list)  # metrics, from the app

    # --- declaration --------------------------------------------------------------------
    def add_command(self, spec: CommandSpec) -> None:
        if spec.name in self.commands:
            raise ValueError(f"command /{spec.name} declared twice")
        self.commands[spec.name] = spec

    def add_action(self, prefix: str, entry: ActionEntry) -> None:
        if prefix in self.actions:
            raise ValueError(f"action prefix '{prefix}' declared twice")
        self.actions[prefix] = entry

    def add_completer(self, name: str, fn: Completer) -> None:
        if name in self.completers:
            raise ValueError(f"completer '{name}' declared twice")
        self.completers[name] = fn

    def include(self, group: CommandGroup) -> None:
        """Add a feature's declarations; a clash with what is already here is refused."""
        for spec in group.commands:
            self.add_command(spec)
        for prefix, entry in group.actions:
            self.add_action(prefix, entry)
        for name, fn in group.completers:
            self.add_completer(name, fn)

    # --- use ----------------------------------------------------------------------------
    def visible_to(self, caller: Caller) -> list[CommandSpec]:
        return [c for c in self.commands.values() if caller.is_admin or not c.admin]

    def unknown_command(self, name: str, caller: Caller | None = None) -> str:
        """The sentence for a command that does not exist, with the closest ones."""
        specs = self.visible_to(caller) if caller is not None else self.commands.values()
        near = closest(name, [c.name for c in specs])
        hint = f" Did you mean {' or '.join('/' + n for n in near)}?" if near else ""
        return f"Unknown command /{name}.{hint} Type /help for the list."

    async def run(self, ctx: CallContext, name: str, raw: Mapping[str, Any]) -> Reply:
        started = time.perf_counter()
        spec = self.commands.get(name)
        if spec is None:
            self._observe("unknown", ctx, "unknown", started)
            return Reply.error(self.unknown_command(name, ctx.caller))
        if spec.admin and not ctx.caller.is_admin:
            log.info(
                "denied /%s to %s (%s): not an admin", name, ctx.caller.id, ctx.caller.front_end
            )
            self._observe(name, ctx, "denied", started)
            return Reply.error(f"/{name} is for admins only.")
        try:
            args = validate_options(spec, raw)
        except InputError as exc:
            self._observe(name, ctx, "invalid", started)
            return Reply.error(str(exc))
        reply, outcome = await self._guarded(f"/{name}", spec.handler(self._bound(ctx), args))
        self._observe(name, ctx, outcome, started)
        if spec.private and not reply.private:
            reply = _private(reply)
        if spec.personal and reply.tone != "error":
            reply = replace(reply, private=True, personal=True)
        return reply

    async def act(self, ctx: CallContext, action: str, values: list[str] | None = None) -> Reply:
        started = time.perf_counter()
        prefix, *args = action.split(":")
        entry = self.actions.get(prefix)
        if entry is None:
            self._observe("action:unknown", ctx, "unknown", started)
            return Reply.error("That button is no longer available.")
        handler, admin_only, personal = entry
        if admin_only and not ctx.caller.is_admin:
            self._observe(f"action:{prefix}", ctx, "denied", started)
            return Reply.error("That is for admins only.")
        pending = handler(self._bound(ctx), args, list(values or []))
        reply, outcome = await self._guarded(f"action {prefix}", pending)
        self._observe(f"action:{prefix}", ctx, outcome, started)
        if personal and reply.tone != "error":
            reply = replace(reply, private=True, personal=True)
        return reply

    async def complete(
        self, ctx: CallContext, command: str, option: str, partial: str
    ) -> list[Choice]:
        spec = self.commands.get(command)
        opt = spec.option(option) if spec else None
        if opt is None or opt.autocomplete is None:
            return []
        completer = self.completers.get(opt.autocomplete)
        if completer is None:
            return []
        try:
            return (await completer(self._bound(ctx), partial))[:25]
        except UserFacingError:
            return []

    def _bound(self, ctx: C) -> C:
        return ctx if ctx.registry is self else ctx.with_registry(self)

    def _observe(self, name: str, ctx: CallContext, outcome: str, started: float) -> None:
        seconds = time.perf_counter() - started
        for observer in self.observers:
            try:
                observer(name, ctx.caller.front_end, outcome, seconds)
            except Exception:
                log.exception("a command observer failed")

    @staticmethod
    async def _guarded(what: str, pending: Awaitable[Reply]) -> tuple[Reply, str]:
        try:
            reply = await pending
        except InputError as exc:
            return Reply.error(str(exc)), "invalid"
        except UserFacingError as exc:  # RomM's and IGDB's errors: one sentence to act on
            log.warning("%s failed: %s: %s", what, type(exc).__name__, exc.detail)
            return Reply.error(exc.user_message), "error"
        except Exception as exc:
            if disk_full_in(exc):  # one line, not a traceback per command while it lasts
                log.warning("%s failed: the disk holding the bot's data is full (%s)", what, exc)
                return Reply.error(DISK_FULL), "error"
            log.exception("%s crashed", what)
            return Reply.error(
                "Something went wrong on the bot's side; the admins can see it in the log."
            ), "crashed"
        return reply, "error" if reply.tone == "error" else "ok"


def _private(reply: Reply) -> Reply:
    return replace(reply, private=True)


_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off"}


def validate_options(spec: CommandSpec, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Check and convert raw option values; raise InputError with one clear sentence."""
    unknown = [k for k in raw if spec.option(k) is None]
    if unknown:
        known = ", ".join(o.name for o in spec.options) or "none"
        raise InputError(f"/{spec.name} has no option '{unknown[0]}' (options: {known}).")
    args: dict[str, Any] = {}
    for opt in spec.options:
        value = raw.get(opt.name)
        if isinstance(value, str):
            value = value.strip()
            if value == "":
                value = None
        if value is None:
            if opt.required:
                raise InputError(f"/{spec.name} needs {opt.name}: {opt.description}.")
            continue
        args[opt.name] = _convert(spec, opt, value)
    return args


def _convert(spec: CommandSpec, opt: OptionSpec, value: Any) -> Any:
    if opt.type == "integer":
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise InputError(f"{opt.name} must be a whole number.") from None
        if opt.min_value is not None and number < opt.min_value:
            raise InputError(f"{opt.name} must be at least {opt.min_value}.")
        if opt.max_value is not None and number > opt.max_value:
            raise InputError(f"{opt.name} must be at most {opt.max_value}.")
        return number
    if opt.type == "boolean":
        if isinstance(value, bool):
            return value
        text = str(value).lower()
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        raise InputError(f"{opt.name} must be yes or no.")
    text = str(value)
    if any(ord(ch) < 32 for ch in text):
        text = "".join(ch if ord(ch) >= 32 else " " for ch in text).strip()
    if opt.max_length is not None and len(text) > opt.max_length:
        raise InputError(
            f"{opt.name} is too long ({len(text)} characters; at most {opt.max_length})."
        )
    if opt.choices and text.lower() not in {c.lower() for c in opt.choices}:
        raise InputError(f"{opt.name} must be one of: {', '.join(opt.choices)}.")
    if opt.choices:
        text = next(c for c in opt.choices if c.lower() == text.lower())
    return text
