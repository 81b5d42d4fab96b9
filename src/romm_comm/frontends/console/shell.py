"""The console front end: one command per line, interactive or from a pipe.

`/search platform:"Nintendo 64" game:mario` — the same names and options as the slash
commands; values of the required options may also be given in order (`/search n64 super
mario`; the last one takes the rest of the line). Choices are answered with a number (`1`,
`1,3`, `all`); buttons with `b1`, `b2`. Interactive sessions get history and line editing
(readline) and tab completion of command and platform names; piped input gets no prompts and
ends at end of input.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from ...core.cards import Button, Picker, Reply
from ...core.commands import Caller, Registry
from ...features.context import Context
from .render import render_reply

EXIT_WORDS = {"quit", "exit", "/quit", "/exit", "q"}
YES_NO = {"yes", "no", "y", "n"}
NO_LIST = (
    "There is no list to choose from right now: a number picks from the last list shown "
    "(a /search with several matches, a game's files). Try /search n64 mario, or /help."
)
NO_QUESTION = (
    "Nothing is waiting for a yes or no. When a reply shows buttons, press them with b1, b2…"
)
NO_BUTTONS = "The last reply has no buttons to press (b1, b2… press a reply's buttons)."
_SELECTION = re.compile(r"^(?:all|\d[\d,\s]*)(?:\s+#.*)?$", re.IGNORECASE)


def parse_command_line(line: str, registry: Registry) -> tuple[str, dict[str, str]] | str:
    """`/name opt:value positional…` → (name, options), or an error sentence."""
    try:
        tokens = shlex.split(line)
    except ValueError:
        tokens = line.split()  # an apostrophe in a game name is not a quoting error
    if not tokens:
        return "Type /help for the list of commands."
    name = tokens[0].lstrip("/").lower()
    spec = registry.commands.get(name)
    if spec is None:
        return registry.unknown_command(name)
    options: dict[str, str] = {}
    positional: list[str] = []  # values in order, before any named option
    trailing: dict[str, list[str]] = {}  # words after a named option, by that option
    owner: str | None = None
    for token in tokens[1:]:
        key, sep, value = token.partition(":")
        if sep and spec.option(key.lower()) is not None:
            owner = key.lower()
            options[owner] = value
        elif owner is None:
            positional.append(token)
        else:
            trailing.setdefault(owner, []).append(token)
    free = [o for o in spec.options if o.name not in options]
    required = [o.name for o in free if o.required]
    if not required:
        # Every required option is named: words after a named option belong to it, so
        # `game:zelda & link` is "zelda & link" (a named last option takes the rest).
        for opt_name, words in trailing.items():
            options[opt_name] = " ".join([options[opt_name], *words]).strip()
    else:
        positional += [word for words in trailing.values() for word in words]
    # Values in order fill the required options (the last takes the rest of the line, so
    # `/request psx final fantasy` asks for "final fantasy"); optional ones then need their
    # name, unless the command has no required option left (`/random n64`).
    targets = required or [o.name for o in free]
    if positional and not targets:
        return f"/{name} got more values than it has options. Type /help."
    for index, opt_name in enumerate(targets):
        if index >= len(positional):
            break
        last = index == len(targets) - 1
        options[opt_name] = " ".join(positional[index:]) if last else positional[index]
    return name, options


def parse_selection(text: str, picker: Picker) -> list[str] | str:
    """`2` / `1,3` / `all` → the chosen values, or an error sentence."""
    count = len(picker.choices)
    text = text.strip().lower()
    if text == "all" and picker.max_values > 1:
        numbers = list(range(1, count + 1))
    else:
        try:
            numbers = [int(part) for part in text.replace(" ", ",").split(",") if part]
        except ValueError:
            return f"Type a number from 1 to {count}."
    if not numbers or any(n < 1 or n > count for n in numbers):
        return f"Type a number from 1 to {count}."
    if len(numbers) > picker.max_values:
        return f"Choose at most {picker.max_values}."
    unique = sorted(set(numbers))
    return [picker.choices[n - 1].value for n in unique]


class Shell:
    def __init__(
        self,
        registry: Registry,
        ctx: Context,
        *,
        out: TextIO | None = None,
    ) -> None:
        self.registry = registry
        self.ctx = ctx
        self.out = out or sys.stdout
        self.picker: Picker | None = None
        self.buttons: tuple[Button, ...] = ()
        self.errors = 0

    def say(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    async def handle(self, line: str) -> bool:
        """Answer one line; False when the person asked to leave."""
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        if line.lower() in EXIT_WORDS:
            return False
        reply = await self._answer(line)
        if reply is not None:
            self._show(reply)
        return True

    async def _answer(self, line: str) -> Reply | None:
        lowered = line.lower()
        if lowered.startswith("b") and lowered[1:].isdigit():
            index = int(lowered[1:]) - 1
            if 0 <= index < len(self.buttons):
                return await self.registry.act(self.ctx, self.buttons[index].action)
            if not self.buttons:
                return Reply.error(NO_BUTTONS)
        if _SELECTION.match(line):
            if self.picker is None:
                return Reply.error(NO_LIST)
            chosen = parse_selection(line.split("#", 1)[0], self.picker)
            if isinstance(chosen, str):
                return Reply.error(chosen)
            return await self.registry.act(self.ctx, self.picker.action, chosen)
        if lowered in YES_NO:
            if not self.buttons:
                return Reply.error(NO_QUESTION)
            return Reply.error(f"Answer with a button: b1 to b{len(self.buttons)}.")
        parsed = parse_command_line(line if line.startswith("/") else "/" + line, self.registry)
        if isinstance(parsed, str):
            return Reply.error(parsed)
        name, options = parsed
        return await self.registry.run(self.ctx, name, options)

    def _show(self, reply: Reply) -> None:
        if reply.tone == "error":
            self.errors += 1
        # A new picker or set of buttons replaces the old; an error keeps them usable.
        if reply.tone != "error":
            self.picker = reply.picker
            self.buttons = reply.buttons
        self.say(render_reply(reply))
        self.say("")

    async def run(self, stream: TextIO | None = None, *, interactive: bool | None = None) -> int:
        stream = stream or sys.stdin
        if interactive is None:
            interactive = stream.isatty()
        read: Callable[[], str]
        if interactive:
            history = _setup_readline(self)
            read = _prompt_reader()
        else:
            history = None
            read = stream.readline
        try:
            while True:
                try:
                    line = await asyncio.to_thread(read)
                except EOFError:
                    break
                except KeyboardInterrupt:
                    break
                if not interactive and line == "":
                    break  # end of piped input
                if not await self.handle(line):
                    break
        finally:
            if history is not None:
                _save_history(history)
        return 0 if interactive or self.errors == 0 else 1


def _prompt_reader() -> Callable[[], str]:
    def read() -> str:
        return input("romm> ")

    return read


def _setup_readline(shell: Shell) -> Path | None:
    try:
        import readline
    except ImportError:  # pragma: no cover - platforms without readline
        return None
    history = Path.home() / ".romm_comm_history"
    with contextlib.suppress(OSError):
        readline.read_history_file(history)
    readline.set_history_length(1000)

    def complete(text: str, state: int) -> str | None:
        buffer = readline.get_line_buffer()
        words: list[str]
        if " " not in buffer.strip():
            words = ["/" + name for name in shell.registry.commands]
        else:
            words = [
                p.display_name if " " not in p.display_name else f'"{p.display_name}"'
                for p in shell.ctx.services.catalog.platforms
            ]
            words = [*words, *(f"platform:{w}" for w in words)]
        matches = [w for w in words if w.lower().startswith(text.lower())]
        return matches[state] if state < len(matches) else None

    readline.set_completer(complete)
    readline.set_completer_delims(" ")
    readline.parse_and_bind("tab: complete")
    return history


def _save_history(path: Path) -> None:
    try:
        import readline

        readline.write_history_file(path)
    except (ImportError, OSError):
        pass


def console_caller(name: str = "console") -> Caller:
    """Whoever runs the console on the bot's machine is its operator, hence an admin."""
    return Caller(id="console", name=name, front_end="console", is_admin=True)
