"""What the fake observed: REST calls, its own errors, injected rate limits."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .wire import UploadedFile


@dataclass
class RestCall:
    """One REST request as the fake saw it. `path` is relative to /api/v10 (no query)."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    files: list[UploadedFile]
    status: int
    at: float  # loop time when the request arrived
    authorized: bool

    def __repr__(self) -> str:
        return f"<RestCall {self.method} {self.path} -> {self.status}>"


@dataclass
class FakeError:
    """A request the fake rejected as a likely bug (of the bot or of the fake itself)."""

    kind: str  # "unknown_route" | "invalid_request" | "internal" | "gateway"
    method: str
    path: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.kind}] {self.method} {self.path}: {self.detail}"


@dataclass
class RateLimitRule:
    """Answer the next `times` matching requests with 429 (see FakeDiscord.rate_limit)."""

    method: str
    pattern: str
    times: int
    retry_after: float
    is_global: bool = False
    scope: str = "user"
    hits: list[RestCall] = field(default_factory=list)
    _regex: re.Pattern[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._regex = compile_path_pattern(self.pattern)

    def matches(self, method: str, path: str) -> bool:
        if self.times <= 0:
            return False
        if self.method not in ("*", method.upper()):
            return False
        return self._regex.fullmatch(path) is not None


def compile_path_pattern(pattern: str) -> re.Pattern[str]:
    """`/channels/{id}` or `/channels/*`: `{name}` is one path segment, `*` is anything."""
    out = []
    for token in re.split(r"(\{[^}]*\}|\*)", pattern):
        if token == "*":
            out.append(".*")
        elif token.startswith("{") and token.endswith("}"):
            out.append("[^/]+")
        else:
            out.append(re.escape(token))
    return re.compile("".join(out))
