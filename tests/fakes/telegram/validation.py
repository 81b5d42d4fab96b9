"""What Telegram's Bot API refuses, checked as it checks: HTML parse mode (only its tags,
balanced, only its entities), text and caption lengths counted on the parsed text,
callback_data bytes, URL buttons and keyboard shape, command lists."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

# https://core.telegram.org/bots/api#html-style
TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
    "tg-emoji", "code", "pre", "blockquote",
}  # fmt: skip
ENTITIES = {"lt", "gt", "amp", "quot"}
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_LIMIT = 64
ROW_LIMIT = 8
BUTTON_LIMIT = 100
COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")


class Rejected(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


def bad(description: str) -> Rejected:
    return Rejected(400, f"Bad Request: {description}")


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            raise bad(f'can\'t parse entities: Unsupported start tag "{tag}"')
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if not href.lower().startswith(("http://", "https://", "tg://")):
                raise bad("can't parse entities: wrong URL in a link")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            raise bad(f"can't parse entities: Can't find end tag corresponding to start tag {tag}")
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if "<" in data or ">" in data:
            raise bad("can't parse entities: unescaped < or >")
        self.text.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in ENTITIES:
            raise bad(f"can't parse entities: Unsupported entity &{name};")
        self.text.append(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.text.append(html.unescape(f"&#{name};"))


def parsed_text(text: str, parse_mode: str | None) -> str:
    """The text Telegram shows (entities parsed), or Rejected."""
    if parse_mode is None:
        return text
    if parse_mode.upper() != "HTML":
        raise bad(f"unsupported parse_mode {parse_mode}")
    if re.search(r"&(?!#?\w+;)", text):
        raise bad("can't parse entities: unescaped &")
    parser = _Parser()
    parser.feed(text)
    parser.close()
    if parser.stack:
        tag = parser.stack[-1]
        raise bad(f"can't parse entities: Can't find end tag corresponding to start tag {tag}")
    return "".join(parser.text)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def check_text(text: Any, parse_mode: str | None) -> str:
    if not isinstance(text, str) or not text.strip():
        raise bad("message text is empty")
    shown = parsed_text(text, parse_mode)
    if not shown.strip():
        raise bad("message text is empty")
    if utf16_len(shown) > TEXT_LIMIT:
        raise bad("message is too long")
    return shown


def check_caption(caption: Any, parse_mode: str | None) -> str:
    if caption is None:
        return ""
    shown = parsed_text(str(caption), parse_mode)
    if utf16_len(shown) > CAPTION_LIMIT:
        raise bad("message caption is too long")
    return shown


def check_markup(markup: Any) -> list[list[dict[str, Any]]]:
    if markup is None:
        return []
    if not isinstance(markup, dict) or not isinstance(markup.get("inline_keyboard"), list):
        raise bad("can't parse reply keyboard markup JSON object")
    rows: list[list[dict[str, Any]]] = markup["inline_keyboard"]
    total = 0
    for row in rows:
        if not isinstance(row, list) or not row:
            raise bad("can't parse inline keyboard button: row must be a non-empty array")
        if len(row) > ROW_LIMIT:
            raise bad("too many buttons in a row")
        for button in row:
            total += 1
            check_button(button)
    if total > BUTTON_LIMIT:
        raise bad("reply markup is too long")
    return rows


def check_button(button: Any) -> None:
    if not isinstance(button, dict) or not str(button.get("text", "")).strip():
        raise bad("can't parse inline keyboard button: Text must be non-empty")
    kinds = [k for k in ("url", "callback_data", "switch_inline_query", "web_app") if k in button]
    if len(kinds) != 1:
        raise bad("can't parse inline keyboard button: exactly one of the optional fields")
    if "callback_data" in button:
        size = len(str(button["callback_data"]).encode("utf-8"))
        if not 1 <= size <= CALLBACK_LIMIT:
            raise bad("BUTTON_DATA_INVALID")
    if "url" in button:
        url = str(button["url"])
        if not re.match(r"^(https?|tg)://[^\s/]+", url, re.IGNORECASE):
            raise bad(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")


def check_commands(commands: Any) -> None:
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad("BOT_COMMANDS_TOO_MUCH")
    for command in commands:
        if not COMMAND.match(str(command.get("command", ""))):
            raise bad("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            raise bad("BOT_COMMAND_DESCRIPTION_INVALID")
