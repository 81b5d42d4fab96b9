"""Block Kit checked as Slack checks it: what Slack refuses with `invalid_blocks`."""

from __future__ import annotations

from typing import Any

BLOCK_TYPES = {"section", "actions", "context", "image", "divider", "header"}
MAX_BLOCKS = 50


def _picture(obj: dict[str, Any]) -> bool:
    """An image names a web address or an uploaded file (`slack_file`), and has alt text."""
    file = obj.get("slack_file")
    where = _url(obj.get("image_url")) or (isinstance(file, dict) and bool(file.get("id")))
    return where and bool(obj.get("alt_text"))


def slack_files(blocks: list[dict[str, Any]]) -> list[str]:
    """The ids of the uploaded files the blocks show."""
    found = []
    for block in blocks:
        for obj in [block, block.get("accessory") or {}, *block.get("elements", [])]:
            if isinstance(obj, dict) and isinstance(obj.get("slack_file"), dict):
                found.append(str(obj["slack_file"].get("id")))
    return found


def _url(url: Any) -> bool:
    return isinstance(url, str) and url.startswith(("http://", "https://")) and len(url) <= 3000


def _text(obj: Any, limit: int, kinds: tuple[str, ...] = ("plain_text", "mrkdwn")) -> str | None:
    if not isinstance(obj, dict) or obj.get("type") not in kinds:
        return "a text object is missing or of the wrong type"
    text = obj.get("text")
    if not isinstance(text, str) or not text or len(text) > limit:
        return f"text must be 1 to {limit} characters"
    return None


def _element(el: dict[str, Any], action_ids: set[str]) -> str | None:
    kind = el.get("type")
    if kind == "image":
        return None if _picture(el) else "bad image element"
    if kind in {"mrkdwn", "plain_text"}:
        return _text(el, 3000)
    action_id = el.get("action_id")
    if action_id is not None:
        if not isinstance(action_id, str) or not 1 <= len(action_id) <= 255:
            return "action_id must be 1 to 255 characters"
        if action_id in action_ids:
            return f"action_id {action_id!r} repeats"
        action_ids.add(action_id)
    if kind == "button":
        if problem := _text(el.get("text"), 75, ("plain_text",)):
            return "button: " + problem
        if "value" in el and (not isinstance(el["value"], str) or len(el["value"]) > 2000):
            return "button value must be at most 2000 characters"
        if "url" in el and not _url(el["url"]):
            return "button url is not a valid URL"
        if el.get("style") not in (None, "primary", "danger"):
            return "button style must be primary or danger"
        return None
    if kind in {"static_select", "multi_static_select"}:
        options = el.get("options")
        if not isinstance(options, list) or not 1 <= len(options) <= 100:
            return "a select needs 1 to 100 options"
        for option in options:
            if problem := _text(option.get("text"), 75, ("plain_text",)):
                return "option: " + problem
            value = option.get("value")
            if not isinstance(value, str) or not 1 <= len(value) <= 150:
                return "option value must be 1 to 150 characters"
        return _text(el.get("placeholder"), 150, ("plain_text",)) if "placeholder" in el else None
    return f"unknown element type {kind!r}"


def block_problem(blocks: Any) -> str | None:
    """Why Slack would refuse these blocks, or None."""
    if not isinstance(blocks, list) or len(blocks) > MAX_BLOCKS:
        return f"blocks must be a list of at most {MAX_BLOCKS}"
    action_ids: set[str] = set()
    for block in blocks:
        kind = block.get("type")
        if kind not in BLOCK_TYPES:
            return f"unknown block type {kind!r}"
        if kind == "section":
            if "text" in block and (problem := _text(block["text"], 3000)):
                return "section: " + problem
            fields = block.get("fields", [])
            if len(fields) > 10 or any(_text(f, 2000) for f in fields):
                return "section fields: at most 10 of at most 2000 characters"
            if "text" not in block and not fields:
                return "a section needs text or fields"
            if "accessory" in block and (problem := _element(block["accessory"], action_ids)):
                return problem
        elif kind == "actions":
            elements = block.get("elements", [])
            if not 1 <= len(elements) <= 25:
                return "an actions block holds 1 to 25 elements"
            for el in elements:
                if problem := _element(el, action_ids):
                    return problem
        elif kind == "context":
            elements = block.get("elements", [])
            if not 1 <= len(elements) <= 10:
                return "a context block holds 1 to 10 elements"
            for el in elements:
                if problem := _element(el, action_ids):
                    return problem
        elif kind == "image" and not _picture(block):
            return "an image block needs a valid image_url and alt_text"
    return None
