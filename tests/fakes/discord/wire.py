"""HTTP plumbing shared by the REST handlers: bodies in, Discord-style JSON out."""

from __future__ import annotations

import json
import mimetypes
import re
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, web

JSON_HEADERS = {"Content-Type": "application/json"}


class DiscordError(Exception):
    """An error answered the way Discord answers it: status + `{"code", "message"[, "errors"]}`.

    `fake_error=True` marks requests that Discord would also reject but that point at a bug
    (in the bot or in the fake): malformed bodies, invalid form bodies, unsupported values.
    Those are copied into `FakeDiscord.errors` so a test fails loudly instead of timing out.
    Plain Discord semantics (unknown message, closed DMs, emoji slots full) are not.
    """

    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        *,
        errors: dict[str, Any] | None = None,
        fake_error: bool = False,
    ) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors
        self.fake_error = fake_error

    def body(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.errors is not None:
            data["errors"] = self.errors
        return data


def invalid_form(field_path: str, problem: str) -> DiscordError:
    """Discord's 50035 'Invalid Form Body' with one field error (always a fake_error)."""
    errors: dict[str, Any] = {"_errors": [{"code": "BASE_TYPE_INVALID", "message": problem}]}
    for part in reversed(field_path.split(".")):
        errors = {part: errors}
    return DiscordError(400, 50035, "Invalid Form Body", errors=errors, fake_error=True)


def not_found(kind: str, code: int) -> DiscordError:
    return DiscordError(404, code, f"Unknown {kind}")


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """JSON with exactly `Content-Type: application/json` (no charset: discord.py compares)."""
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={**JSON_HEADERS, **(headers or {})}
    )


def no_content() -> web.Response:
    return web.Response(status=204)


@dataclass
class UploadedFile:
    index: int
    filename: str
    data: bytes
    content_type: str | None


@dataclass
class Body:
    json: Any = None
    files: list[UploadedFile] = field(default_factory=list)
    form: dict[str, str] = field(default_factory=dict)
    raw: bytes = b""

    def obj(self) -> dict[str, Any]:
        """The JSON body as an object (empty when absent); anything else is a bad request."""
        if self.json is None:
            return {}
        if not isinstance(self.json, dict):
            raise invalid_form("_body", "expected a JSON object")
        return self.json


_FILE_FIELD = re.compile(r"^files\[(\d+)\]$|^file(\d*)$")


async def read_body(request: web.Request) -> Body:
    """JSON, multipart (`payload_json` + `files[n]`, as discord.py sends) or nothing."""
    if request.content_type == "multipart/form-data":
        return await _read_multipart(request)
    raw = await request.read()
    if not raw:
        return Body()
    if request.content_type != "application/json":
        raise invalid_form("_body", f"unsupported content type {request.content_type!r}")
    try:
        return Body(json=json.loads(raw), raw=raw)
    except ValueError as exc:
        raise DiscordError(
            400, 50109, "The request body contains invalid JSON.", fake_error=True
        ) from exc


async def _read_multipart(request: web.Request) -> Body:
    body = Body()
    reader = await request.multipart()
    while True:
        part = await reader.next()
        if part is None:
            break
        if not isinstance(part, BodyPartReader):  # nested multipart: not used by Discord
            raise invalid_form("_body", "nested multipart is not supported")
        data = bytes(await part.read(decode=False))
        name = part.name or ""
        if name == "payload_json":
            try:
                body.json = json.loads(data)
            except ValueError as exc:
                raise DiscordError(
                    400, 50109, "payload_json is not valid JSON.", fake_error=True
                ) from exc
            continue
        match = _FILE_FIELD.match(name)
        if part.filename is not None or match:
            index = int(next((g for g in match.groups() if g), "0")) if match else len(body.files)
            filename = part.filename or f"file{index}"
            ctype = part.headers.get("Content-Type")
            if not ctype or ctype == "application/octet-stream":
                ctype = mimetypes.guess_type(filename)[0] or ctype
            body.files.append(UploadedFile(index, filename, data, ctype))
        else:
            body.form[name] = data.decode(errors="replace")
    return body
