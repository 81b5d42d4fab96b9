"""HTTP helpers shared by the routes: FastAPI-style JSON bodies, errors and query parsing."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

JSON_CT = "application/json"


def dumps(data: Any) -> bytes:
    """Serialize like FastAPI's JSONResponse (compact, UTF-8, no ASCII escaping)."""
    return json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    return web.Response(body=dumps(data), status=status, content_type=JSON_CT, headers=headers)


class ApiError(Exception):
    """Raised by handlers; turned into a `{"detail": ...}` response by the error middleware."""

    def __init__(self, status: int, detail: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{status}: {detail}")
        self.status = status
        self.detail = detail
        self.headers = headers or {}

    def response(self) -> web.Response:
        return json_response({"detail": self.detail}, self.status, self.headers)


def not_authenticated() -> ApiError:
    return ApiError(401, "Not authenticated", {"WWW-Authenticate": "Bearer"})


def forbidden(detail: str = "Forbidden") -> ApiError:
    return ApiError(403, detail)


def not_found(detail: str = "Not Found") -> ApiError:
    return ApiError(404, detail)


def validation_error(
    loc: tuple[str, ...], kind: str, msg: str, value: Any, ctx: dict[str, Any] | None = None
) -> ApiError:
    item: dict[str, Any] = {"type": kind, "loc": list(loc), "msg": msg, "input": value}
    if ctx:
        item["ctx"] = ctx
    return ApiError(422, [item])


def body_error(loc: tuple[str, ...], kind: str, msg: str, value: Any) -> ApiError:
    return validation_error(("body", *loc), kind, msg, value)


# --- query and path parameters (FastAPI/pydantic semantics and error shapes)

_TRUE = {"true", "1", "yes", "on", "y", "t"}
_FALSE = {"false", "0", "no", "off", "n", "f"}


def parse_int(raw: str, loc: tuple[str, ...]) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        raise validation_error(
            loc,
            "int_parsing",
            "Input should be a valid integer, unable to parse string as an integer",
            raw,
        ) from None


def path_int(request: web.Request, name: str) -> int:
    return parse_int(request.match_info[name], ("path", name))


def query_int(
    request: web.Request, name: str, default: int, *, ge: int | None = None, le: int | None = None
) -> int:
    raw = request.query.get(name)
    if raw is None:
        return default
    value = parse_int(raw, ("query", name))
    if ge is not None and value < ge:
        raise validation_error(
            ("query", name),
            "greater_than_equal",
            f"Input should be greater than or equal to {ge}",
            raw,
            {"ge": ge},
        )
    if le is not None and value > le:
        raise validation_error(
            ("query", name),
            "less_than_equal",
            f"Input should be less than or equal to {le}",
            raw,
            {"le": le},
        )
    return value


def query_opt_int(request: web.Request, name: str) -> int | None:
    raw = request.query.get(name)
    return None if raw is None or raw == "" else parse_int(raw, ("query", name))


def query_int_list(request: web.Request, name: str) -> list[int]:
    return [parse_int(raw, ("query", name)) for raw in request.query.getall(name, [])]


def query_bool(request: web.Request, name: str) -> bool | None:
    raw = request.query.get(name)
    if raw is None:
        return None
    low = raw.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise validation_error(
        ("query", name),
        "bool_parsing",
        "Input should be a valid boolean, unable to interpret input",
        raw,
    )


def parse_datetime(raw: str, loc: tuple[str, ...]) -> datetime:
    try:
        value = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise validation_error(
            loc, "datetime_from_date_parsing", "Input should be a valid datetime", raw
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def query_datetime(request: web.Request, name: str) -> datetime | None:
    raw = request.query.get(name)
    return None if raw is None or raw == "" else parse_datetime(raw, ("query", name))


# --- time formatting


def iso(ts: float) -> str:
    """Seconds-precision ISO-8601 with offset, as RomM stores row timestamps."""
    return datetime.fromtimestamp(int(ts), UTC).isoformat()


def iso_micro(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="microseconds")


def http_date(ts: float) -> str:
    return datetime.fromtimestamp(int(ts), UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
