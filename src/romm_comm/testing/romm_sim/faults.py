"""Fault injection: latency, forced errors, malformed JSON and hanging requests."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from aiohttp import web

from .webutil import json_response

_REASONS = {
    400: "Bad Request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    408: "Request Timeout",
    409: "Conflict",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


@dataclass
class FailRule:
    path_prefix: str
    status: int
    remaining: int | None  # None = until cleared
    method: str | None = None
    retry_after: str | None = None  # a Retry-After header (429, 503)

    def matches(self, method: str, path: str) -> bool:
        return path.startswith(self.path_prefix) and (self.method is None or self.method == method)


class Faults:
    """Knobs a test turns while the simulator runs. `clear()` puts everything back."""

    def __init__(self) -> None:
        self.latency: float = 0.0
        self.malformed_json: bool = False
        self.rules: list[FailRule] = []
        # Platform icon file name ("n64.ico") → the bytes served instead (e.g. an oversized
        # icon); a missing icon is `fail("/assets/platforms/n64.", 404)`.
        self.icons: dict[str, bytes] = {}
        self._hang = False
        self._release = asyncio.Event()
        self._release.set()

    @property
    def hang(self) -> bool:
        return self._hang

    @hang.setter
    def hang(self, value: bool) -> None:
        self._hang = value
        if value:
            self._release = asyncio.Event()
        else:
            self._release.set()

    def fail(
        self,
        path_prefix: str = "/api",
        status: int = 500,
        times: int | None = None,
        *,
        method: str | None = None,
        retry_after: str | None = None,
    ) -> None:
        """Answer requests under `path_prefix` with `status` (`times` times, or until cleared),
        with a Retry-After header when given (a proxy's or RomM's rate limit: 429)."""
        self.rules.append(
            FailRule(path_prefix, status, times, method.upper() if method else None, retry_after)
        )

    def clear(self) -> None:
        self.latency = 0.0
        self.malformed_json = False
        self.rules.clear()
        self.icons.clear()
        self.hang = False

    async def wait_while_hanging(self) -> None:
        while self._hang:
            await self._release.wait()

    def release(self) -> None:
        """Let hanging requests go (used on stop)."""
        self._hang = False
        self._release.set()

    def take_failure(self, method: str, path: str) -> web.Response | None:
        for rule in self.rules:
            if rule.matches(method, path) and (rule.remaining is None or rule.remaining > 0):
                if rule.remaining is not None:
                    rule.remaining -= 1
                return error_response(rule.status, rule.retry_after)
        return None


def error_response(status: int, retry_after: str | None = None) -> web.Response:
    """What RomM (uvicorn) or nginx in front of it answers with that status."""
    reason = _REASONS.get(status, "Error")
    extra = {"Retry-After": retry_after} if retry_after is not None else {}
    if status >= 500:
        return web.Response(status=status, text=reason, content_type="text/plain", headers=extra)
    headers = {"Server-Timing": "sim;dur=0.000", **extra}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return json_response({"detail": reason}, status, headers)


def malform(body: bytes) -> bytes:
    """A truncated body that no JSON parser accepts."""
    cut = body[: max(1, len(body) // 2)]
    return cut + b"," if cut.strip() in (b"", b"1", b"-") or cut.isdigit() else cut
