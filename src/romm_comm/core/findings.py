"""What `romm-comm check` says about one thing, at one of four levels (each front end's checks
return these; the command line prints them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["ok", "note", "warn", "problem"]


@dataclass(frozen=True)
class Finding:
    level: Level
    text: str
