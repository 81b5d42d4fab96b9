"""Commands typed as text, for every front end without native slash commands.

`/search platform:"Nintendo 64" game:mario` — the same names and options as the slash
commands; values of the required options may also be given in order (`/search n64 super
mario`; the last one takes the rest of the line). A pick list is answered with a number
(`1`, `1,3`, `all`); buttons with `b1`, `b2`. The console, and chat front ends that read
plain messages (Matrix, and commands typed in Telegram or Slack), share this parser and
`TextDialog`, so a line means the same thing everywhere.

`Pending` is what the last reply left to answer (its pick list and buttons); the dialog does
not keep it: a front end holds one per conversation (in memory, or in the store so that
choices survive a restart: `pending_to_json` / `pending_from_json`) and passes it in.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from typing import Any

from .cards import Button, Choice, Picker, Reply
from .commands import CallContext, Registry

YES_NO = {"yes", "no", "y", "n"}
NO_LIST = (
    "There is no list to choose from right now: a number picks from the last list shown "
    "(a /search with several matches, a game's files). Try /search n64 mario, or /help."
)
NO_QUESTION = (
    "Nothing is waiting for a yes or no. When a reply shows buttons, press them with b1, b2…"
)
NO_BUTTONS = "The last reply has no buttons to press (b1, b2… press a reply's buttons)."
_BUTTON_PRESS = re.compile(r"^b\d+$", re.IGNORECASE)
_SELECTION = re.compile(r"^(?:all|\d[\d,\s]*)(?:\s+#.*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Pending:
    """What a conversation can answer next: the last pick list and buttons shown."""

    picker: Picker | None = None
    buttons: tuple[Button, ...] = field(default_factory=tuple)

    def after(self, reply: Reply) -> Pending:
        """A new pick list or set of buttons replaces the old; an error keeps them usable."""
        if reply.tone == "error":
            return self
        return Pending(reply.picker, reply.buttons)


def is_selection(text: str) -> bool:
    """Whether a line answers a pick list (`2`, `1,3`, `all`) rather than being a command."""
    return bool(_SELECTION.match(text.strip()))


def is_button_press(text: str) -> bool:
    """Whether a line presses one of the last reply's buttons (`b1`, `b2`…)."""
    return bool(_BUTTON_PRESS.match(text.strip()))


def pending_to_json(pending: Pending) -> dict[str, Any]:
    """A Pending as JSON for the store (what `pending_from_json` reads back)."""
    picker = pending.picker
    return {
        "picker": None
        if picker is None
        else {
            "action": picker.action,
            "placeholder": picker.placeholder,
            "min_values": picker.min_values,
            "max_values": picker.max_values,
            "choices": [[c.label, c.value, c.description] for c in picker.choices],
        },
        "buttons": [[b.label, b.action] for b in pending.buttons],
    }


def pending_from_json(data: Any) -> Pending:
    """The Pending stored by `pending_to_json`; nothing usable → an empty Pending."""
    if not isinstance(data, dict):
        return Pending()
    raw = data.get("picker")
    picker = None
    if isinstance(raw, dict):
        picker = Picker(
            action=str(raw["action"]),
            placeholder=str(raw.get("placeholder", "")),
            choices=tuple(Choice(str(c[0]), str(c[1]), str(c[2])) for c in raw["choices"]),
            min_values=int(raw.get("min_values", 1)),
            max_values=int(raw.get("max_values", 1)),
        )
    buttons = tuple(Button(str(b[0]), str(b[1])) for b in data.get("buttons", []))
    return Pending(picker, buttons)


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


class TextDialog:
    """Answers one line of text: a button press, a pick, or a command."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry

    async def answer(self, ctx: CallContext, line: str, pending: Pending) -> Reply:
        line = line.strip()
        lowered = line.lower()
        if lowered.startswith("b") and lowered[1:].isdigit():
            index = int(lowered[1:]) - 1
            if 0 <= index < len(pending.buttons):
                return await self.registry.act(ctx, pending.buttons[index].action)
            if not pending.buttons:
                return Reply.error(NO_BUTTONS)
        if _SELECTION.match(line):
            if pending.picker is None:
                return Reply.error(NO_LIST)
            chosen = parse_selection(line.split("#", 1)[0], pending.picker)
            if isinstance(chosen, str):
                return Reply.error(chosen)
            return await self.registry.act(ctx, pending.picker.action, chosen)
        if lowered in YES_NO:
            if not pending.buttons:
                return Reply.error(NO_QUESTION)
            return Reply.error(f"Answer with a button: b1 to b{len(pending.buttons)}.")
        parsed = parse_command_line(line if line.startswith("/") else "/" + line, self.registry)
        if isinstance(parsed, str):
            return Reply.error(parsed)
        name, options = parsed
        return await self.registry.run(ctx, name, options)


def command_mentions(text: str, registry: Registry, prefix: str) -> str:
    """Rewrite `/search`-style mentions of the registry's commands for another prefix.

    Replies and help texts name commands as slash commands; a front end whose commands start
    otherwise (`!search` on Matrix, `/romm search` on Slack) shows them as its people type
    them. Only known command names are rewritten, so paths and dates stay as they are.
    """
    if prefix == "/":
        return text
    names = sorted(registry.commands, key=len, reverse=True)
    if not names:
        return text
    pattern = re.compile(r"(?<![\w/.:])/(" + "|".join(map(re.escape, names)) + r")\b")
    return pattern.sub(lambda m: prefix + m.group(1), text)


def strip_prefix(line: str, prefix: str) -> str | None:
    """The command part of a message that starts with `prefix`, or None when it does not."""
    stripped = line.lstrip()
    if not stripped.startswith(prefix):
        return None
    return stripped[len(prefix) :].lstrip()
