"""The console front end: one command per line, interactive or from a pipe.

Lines are read as `core.text_input` reads them (`/search n64 mario`, `1,3` for a pick,
`b1` for a button), as in every chat front end that reads plain messages. Interactive
sessions get history and line editing (readline) and tab completion of command and platform
names; piped input gets no prompts and ends at end of input.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from ...core.cards import Reply
from ...core.commands import Caller, Registry
from ...core.text_input import Pending, TextDialog
from ...features.context import Context
from .render import render_reply

EXIT_WORDS = {"quit", "exit", "/quit", "/exit", "q"}


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
        self.dialog = TextDialog(registry)
        self.pending = Pending()
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
        reply = await self.dialog.answer(self.ctx, line, self.pending)
        self._show(reply)
        return True

    def _show(self, reply: Reply) -> None:
        if reply.tone == "error":
            self.errors += 1
        self.pending = self.pending.after(reply)
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
