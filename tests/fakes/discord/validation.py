"""Discord's documented limits, checked so a bot that would be rejected by Discord is rejected here.

Each check raises `DiscordError` 50035 (Invalid Form Body), which the fake also records in
`FakeDiscord.errors`.
"""

from __future__ import annotations

import base64
import re
from typing import Any

from .state import FLAG_COMPONENTS_V2
from .wire import DiscordError, invalid_form

COMMAND_NAME = re.compile(r"^[-_\w]{1,32}$")
EMOJI_NAME = re.compile(r"^[A-Za-z0-9_]{2,32}$")

EMBED_LIMITS = {"title": 256, "description": 4096}
EMBED_TOTAL = 6000
# What Discord accepts as "a well formed URL": a scheme, a host, and only characters a URL may
# hold (RFC 3986), with every `%` starting an escape. A raw space or brace is refused.
WELL_FORMED_URL = re.compile(
    r"^(?P<scheme>[a-z][a-z0-9+.-]*)://[^/?#\s]+(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$"
)
URL_MAX = 2048


def well_formed(url: Any, schemes: tuple[str, ...]) -> bool:
    match = WELL_FORMED_URL.match(str(url)) if isinstance(url, str) else None
    return match is not None and match["scheme"] in schemes and len(url) <= URL_MAX


def check_message(
    data: dict[str, Any], *, has_files: bool, creating: bool, where: str = "data"
) -> None:
    content = data.get("content")
    if content is not None and not isinstance(content, str):
        raise invalid_form(f"{where}.content", "must be a string")
    if content and len(content) > 2000:
        raise invalid_form(f"{where}.content", "Must be 2000 or fewer in length.")
    embeds = data.get("embeds") or []
    if len(embeds) > 10:
        raise invalid_form(f"{where}.embeds", "Must be 10 or fewer in length.")
    total = 0
    for i, embed in enumerate(embeds):
        total += _check_embed(embed, f"{where}.embeds.{i}")
    if total > EMBED_TOTAL:
        raise invalid_form(f"{where}.embeds", "Embed size exceeds maximum size of 6000")
    flags = int(data.get("flags") or 0)
    components = data.get("components") or []
    if not flags & FLAG_COMPONENTS_V2:
        _check_action_rows(components, f"{where}.components")
    if creating and not (content or embeds or components or has_files or data.get("poll")):
        raise DiscordError(400, 50006, "Cannot send an empty message", fake_error=True)


def _check_embed(embed: dict[str, Any], where: str) -> int:
    size = 0
    for key, limit in EMBED_LIMITS.items():
        value = embed.get(key) or ""
        if len(value) > limit:
            raise invalid_form(f"{where}.{key}", f"Must be {limit} or fewer in length.")
        size += len(value)
    fields = embed.get("fields") or []
    if len(fields) > 25:
        raise invalid_form(f"{where}.fields", "Must be 25 or fewer in length.")
    for i, fld in enumerate(fields):
        name, value = fld.get("name") or "", fld.get("value") or ""
        if not name or len(name) > 256:
            raise invalid_form(f"{where}.fields.{i}.name", "Must be between 1 and 256 in length.")
        if not value or len(value) > 1024:
            raise invalid_form(f"{where}.fields.{i}.value", "Must be between 1 and 1024 in length.")
        size += len(name) + len(value)
    footer = (embed.get("footer") or {}).get("text") or ""
    author = (embed.get("author") or {}).get("name") or ""
    if len(footer) > 2048:
        raise invalid_form(f"{where}.footer.text", "Must be 2048 or fewer in length.")
    if len(author) > 256:
        raise invalid_form(f"{where}.author.name", "Must be 256 or fewer in length.")
    url = embed.get("url")
    if url is not None and not well_formed(url, ("http", "https")):
        raise invalid_form(f"{where}.url", "Not a well formed URL.")
    for key, field in (
        ("image", "url"),
        ("thumbnail", "url"),
        ("author", "url"),
        ("author", "icon_url"),
        ("footer", "icon_url"),
    ):
        url = (embed.get(key) or {}).get(field)
        if url is not None and not well_formed(url, ("http", "https", "attachment")):
            raise invalid_form(f"{where}.{key}.{field}", "Not a well formed URL.")
    return size + len(footer) + len(author)


def _check_action_rows(rows: list[dict[str, Any]], where: str) -> None:
    if len(rows) > 5:
        raise invalid_form(where, "Must be 5 or fewer in length.")
    for r, row in enumerate(rows):
        if row.get("type") != 1:
            raise invalid_form(f"{where}.{r}.type", "top-level components must be action rows")
        children = row.get("components") or []
        if not children or len(children) > 5:
            raise invalid_form(f"{where}.{r}.components", "Must be between 1 and 5 in length.")
        selects = [c for c in children if c.get("type") in (3, 5, 6, 7, 8)]
        if selects and len(children) > 1:
            raise invalid_form(f"{where}.{r}.components", "A select must be alone in its row.")
        for c, comp in enumerate(children):
            _check_component(comp, f"{where}.{r}.components.{c}")


def _check_component(comp: dict[str, Any], where: str) -> None:
    ctype = comp.get("type")
    custom_id = comp.get("custom_id")
    if custom_id is not None and not 1 <= len(custom_id) <= 100:
        raise invalid_form(f"{where}.custom_id", "Must be between 1 and 100 in length.")
    if ctype == 2:
        label = comp.get("label") or ""
        if len(label) > 80:
            raise invalid_form(f"{where}.label", "Must be 80 or fewer in length.")
        if comp.get("style") == 5:
            if not well_formed(comp.get("url"), ("http", "https", "discord")):
                raise invalid_form(f"{where}.url", "Not a well formed URL.")
            if len(comp["url"]) > 512:
                raise invalid_form(f"{where}.url", "Must be 512 or fewer in length.")
        elif comp.get("style") != 6 and custom_id is None:
            raise invalid_form(f"{where}.custom_id", "A custom id is required.")
        if not label and not comp.get("emoji"):
            raise invalid_form(where, "A button needs a label or an emoji.")
    elif ctype == 3:
        options = comp.get("options") or []
        if not 1 <= len(options) <= 25:
            raise invalid_form(f"{where}.options", "Must be between 1 and 25 in length.")
        seen: set[str] = set()
        for o, opt in enumerate(options):
            for key in ("label", "value"):
                value = opt.get(key) or ""
                if not 1 <= len(value) <= 100:
                    raise invalid_form(
                        f"{where}.options.{o}.{key}", "Must be between 1 and 100 in length."
                    )
            if len(opt.get("description") or "") > 100:
                raise invalid_form(
                    f"{where}.options.{o}.description", "Must be 100 or fewer in length."
                )
            if opt["value"] in seen:
                raise invalid_form(f"{where}.options.{o}.value", "Values must be unique.")
            seen.add(opt["value"])
        if len(comp.get("placeholder") or "") > 150:
            raise invalid_form(f"{where}.placeholder", "Must be 150 or fewer in length.")
        max_values = int(comp.get("max_values", 1))
        if max_values > len(options):
            raise invalid_form(f"{where}.max_values", "Must be <= the number of options.")


def check_choices(choices: Any) -> None:
    if not isinstance(choices, list) or len(choices) > 25:
        raise invalid_form("data.choices", "Must be 25 or fewer in length.")
    for i, choice in enumerate(choices):
        name = choice.get("name") or ""
        if not 1 <= len(name) <= 100:
            raise invalid_form(f"data.choices.{i}.name", "Must be between 1 and 100 in length.")
        value = choice.get("value")
        if isinstance(value, str) and len(value) > 100:
            raise invalid_form(f"data.choices.{i}.value", "Must be 100 or fewer in length.")


def check_commands(commands: Any) -> None:
    if not isinstance(commands, list):
        raise invalid_form("_body", "expected a list of commands")
    if len(commands) > 100:
        raise invalid_form("_body", "Must be 100 or fewer in length.")
    seen: set[tuple[str, int]] = set()
    for i, cmd in enumerate(commands):
        check_command(cmd, f"{i}")
        key = (cmd["name"], int(cmd.get("type", 1)))
        if key in seen:
            raise invalid_form(f"{i}.name", "Application command names must be unique")
        seen.add(key)


def check_command(cmd: dict[str, Any], where: str) -> None:
    name = cmd.get("name") or ""
    ctype = int(cmd.get("type", 1))
    if ctype == 1:
        if not COMMAND_NAME.match(name) or name != name.lower():
            raise invalid_form(f"{where}.name", f"Invalid chat input command name {name!r}")
        desc = cmd.get("description") or ""
        if not 1 <= len(desc) <= 100:
            raise invalid_form(f"{where}.description", "Must be between 1 and 100 in length.")
        _check_options(cmd.get("options") or [], f"{where}.options")
    elif not 1 <= len(name) <= 32:
        raise invalid_form(f"{where}.name", "Must be between 1 and 32 in length.")


def _check_options(options: list[dict[str, Any]], where: str) -> None:
    if len(options) > 25:
        raise invalid_form(where, "Must be 25 or fewer in length.")
    optional_seen = False
    for i, opt in enumerate(options):
        name = opt.get("name") or ""
        if not COMMAND_NAME.match(name) or name != name.lower():
            raise invalid_form(f"{where}.{i}.name", f"Invalid option name {name!r}")
        if not 1 <= len(opt.get("description") or "") <= 100:
            raise invalid_form(f"{where}.{i}.description", "Must be between 1 and 100 in length.")
        if opt.get("type") in (1, 2):
            _check_options(opt.get("options") or [], f"{where}.{i}.options")
            continue
        if opt.get("required"):
            if optional_seen:
                raise invalid_form(
                    f"{where}.{i}.required", "Required options must be placed before optional"
                )
        else:
            optional_seen = True
        choices = opt.get("choices") or []
        if len(choices) > 25:
            raise invalid_form(f"{where}.{i}.choices", "Must be 25 or fewer in length.")
        if choices and opt.get("autocomplete"):
            raise invalid_form(f"{where}.{i}.autocomplete", "Autocomplete and choices clash.")


def check_emoji_name(name: Any, where: str = "name") -> None:
    if not isinstance(name, str) or not EMOJI_NAME.match(name):
        raise invalid_form(where, "Must be 2-32 characters of letters, digits or underscores.")


IMAGE_SIGNATURES = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
    "image/avif": (b"",),
}
EMOJI_MAX_BYTES = 256 * 1024
DATA_URI = re.compile(r"^data:(image/[a-z]+);base64,(.*)$", re.DOTALL)


def decode_image(value: Any, where: str = "image") -> tuple[str, bytes]:
    """A `data:image/...;base64,...` URI -> (content type, bytes); Discord checks the bytes."""
    match = DATA_URI.match(value) if isinstance(value, str) else None
    if match is None:
        raise invalid_form(where, "Must be a data URI (data:image/png;base64,...).")
    ctype = match.group(1)
    try:
        data = base64.b64decode(match.group(2), validate=True)
    except ValueError as exc:
        raise invalid_form(where, "Invalid base64 image data.") from exc
    signatures = IMAGE_SIGNATURES.get(ctype)
    if signatures is None or not any(data.startswith(sig) for sig in signatures):
        raise invalid_form(where, f"Invalid image data for {ctype}.")
    if len(data) > EMOJI_MAX_BYTES:
        raise DiscordError(400, 50045, "File cannot be larger than 256.0 kb.")
    return ctype, data
