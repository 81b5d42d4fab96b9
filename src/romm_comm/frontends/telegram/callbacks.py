"""Inline-keyboard presses → the registry's actions, within Telegram's 64 bytes of callback_data.

- A button: its action id as is (`rom:123`) when it fits.
- A choice of a single pick list: `{action}|{value}` when it fits.
- Anything longer (action ids go up to 100 characters; a multi-file pick carries many values):
  `~{key}`, where `key` names a record in the store holding the action and its values. The key
  is a digest of that record, so the same button made twice reuses one record, and a press
  after a restart still works (until the record expires: see records.py).
- A multi-select pick list: one record per message (`%{key}:{n}` toggles choice n, `%{key}:d`
  is "Done"); the record holds the choices and what is ticked so far.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any

from ...core.cards import Choice, Picker
from .records import Records

CALLBACK_LIMIT = 64  # bytes
STORED = "~"
MULTI = "%"
PICK = "|"
KEY_PREFIX = "telegram:callback:"
MULTI_PREFIX = "telegram:multi:"


@dataclass(frozen=True)
class Press:
    """What a press asks for: run `action` with `values`."""

    action: str
    values: tuple[str, ...] = ()


def _fits(data: str) -> bool:
    return len(data.encode("utf-8")) <= CALLBACK_LIMIT


class Callbacks:
    def __init__(self, records: Records) -> None:
        self.records = records

    async def button(self, action: str) -> str:
        if _fits(action) and not action.startswith((STORED, MULTI)) and PICK not in action:
            return action
        return await self._stored(Press(action))

    async def choice(self, action: str, value: str) -> str:
        data = f"{action}{PICK}{value}"
        if _fits(data) and PICK not in action + value and not action.startswith((STORED, MULTI)):
            return data
        return await self._stored(Press(action, (value,)))

    async def _stored(self, press: Press) -> str:
        record = {"a": press.action, "v": list(press.values)}
        text = json.dumps(record, sort_keys=True, separators=(",", ":"))
        digest = hashlib.sha256(text.encode("utf-8")).digest()[:12]
        key = base64.urlsafe_b64encode(digest).decode("ascii")
        await self.records.put(KEY_PREFIX + key, record)
        return STORED + key

    async def multi(self, picker: Picker) -> str:
        """A new multi-select record; returns its key (toggles are `%{key}:{n}`)."""
        key = secrets.token_urlsafe(9)
        await self.records.put(
            MULTI_PREFIX + key,
            {
                "a": picker.action,
                "values": [c.value for c in picker.choices],
                "labels": [c.label for c in picker.choices],
                "min": picker.min_values,
                "max": picker.max_values,
                "chosen": [],
            },
        )
        return key

    async def multi_state(self, key: str) -> dict[str, Any] | None:
        state = await self.records.get(MULTI_PREFIX + key)
        return state if isinstance(state, dict) else None

    @staticmethod
    def picker_of(state: dict[str, Any]) -> Picker:
        choices = tuple(
            Choice(label=str(label), value=str(value))
            for label, value in zip(state["labels"], state["values"], strict=True)
        )
        return Picker(str(state["a"]), "", choices, int(state["min"]), int(state["max"]))

    async def save_multi(self, key: str, state: dict[str, Any]) -> None:
        await self.records.put(MULTI_PREFIX + key, state)

    async def press(self, data: str) -> Press | None:
        """A button or single choice press; None when its record expired (or a multi toggle)."""
        if data.startswith(MULTI):
            return None
        if data.startswith(STORED):
            record = await self.records.get(KEY_PREFIX + data[1:])
            if not isinstance(record, dict):
                return None
            return Press(str(record["a"]), tuple(str(v) for v in record.get("v", [])))
        action, sep, value = data.partition(PICK)
        return Press(action, (value,) if sep else ())
