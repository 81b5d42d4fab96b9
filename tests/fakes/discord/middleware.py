"""REST plumbing around every handler: body parsing, auth, injected 429s, logging, errors."""

from __future__ import annotations

import asyncio
import logging
import math
import time
import traceback
import zlib
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from aiohttp import web
from aiohttp.typedefs import Middleware

from .records import RateLimitRule, RestCall
from .wire import DiscordError, json_response, read_body

if TYPE_CHECKING:
    from .server import FakeDiscord

log = logging.getLogger(__name__)

API_PREFIX = "/api/v10"
UNAUTHENTICATED = ("/interactions/", "/webhooks/")  # interaction tokens are the credential
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def make_middleware(fd: FakeDiscord) -> Middleware:
    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path == "/gateway":
            return await handler(request)
        path = request.path
        if path.startswith(API_PREFIX):
            path = path.removeprefix(API_PREFIX)
        at = asyncio.get_running_loop().time()
        authorized = request.headers.get("Authorization") == f"Bot {fd.token}"
        call = RestCall(request.method, path, dict(request.query), None, [], 0, at, authorized)
        try:
            response = await _handle(fd, request, handler, call)
        except DiscordError as err:
            if err.fake_error:
                fd.record_error("invalid_request", request.method, path, _describe(err))
            response = json_response(err.body(), status=err.status)
        except web.HTTPException as exc:
            if exc.status not in (404, 405):
                raise
            fd.record_error("unknown_route", request.method, path, "no such route")
            response = json_response({"message": "404: Not Found", "code": 0}, status=404)
        except Exception as exc:  # a bug in the fake: answer 4xx so the library fails fast
            detail = "".join(traceback.format_exception_only(exc)).strip()
            fd.record_error("internal", request.method, path, detail)
            log.exception("fake discord crashed on %s %s", request.method, path)
            response = json_response({"message": f"fake error: {detail}", "code": 0}, status=400)
        call.status = response.status
        fd.call_logged(call)
        return response

    return middleware


async def _handle(
    fd: FakeDiscord, request: web.Request, handler: Handler, call: RestCall
) -> web.StreamResponse:
    body = await read_body(request)
    call.json, call.files = body.json, body.files
    is_api = request.path.startswith(API_PREFIX)
    if is_api and not call.path.startswith(UNAUTHENTICATED) and not call.authorized:
        return json_response({"message": "401: Unauthorized", "code": 0}, status=401)
    for rule in fd.rate_limits:
        if rule.matches(request.method, call.path):
            rule.times -= 1
            rule.hits.append(call)
            return too_many_requests(rule, request.method, call.path)
    fd.request_bodies[id(request)] = body
    try:
        response = await handler(request)
    finally:
        del fd.request_bodies[id(request)]
    if is_api and response.status < 300:
        response.headers.update(bucket_headers(request.method, call.path))
    return response


def _describe(err: DiscordError) -> str:
    return f"{err.status} {err.code} {err.message} {err.errors or ''}".strip()


def too_many_requests(rule: RateLimitRule, method: str, path: str) -> web.Response:
    """A 429 as Discord sends it; without `Via` discord.py would take it for a Cloudflare ban."""
    body = {
        "message": "You are being rate limited.",
        "retry_after": rule.retry_after,
        "global": rule.is_global,
    }
    headers = {
        "Via": "1.1 google",
        "Retry-After": str(max(1, math.ceil(rule.retry_after))),
        "X-RateLimit-Limit": "1",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": f"{time.time() + rule.retry_after:.3f}",
        "X-RateLimit-Reset-After": f"{rule.retry_after:.3f}",
        "X-RateLimit-Bucket": bucket_hash(method, path),
        "X-RateLimit-Scope": "global" if rule.is_global else rule.scope,
    }
    if rule.is_global:
        headers["X-RateLimit-Global"] = "true"
    return json_response(body, status=429, headers=headers)


def bucket_headers(method: str, path: str) -> dict[str, str]:
    """Plenty of room left: the library's own bucket bookkeeping runs, but never sleeps."""
    return {
        "X-RateLimit-Limit": "50",
        "X-RateLimit-Remaining": "49",
        "X-RateLimit-Reset": f"{time.time() + 1:.3f}",
        "X-RateLimit-Reset-After": "1.000",
        "X-RateLimit-Bucket": bucket_hash(method, path),
    }


def bucket_hash(method: str, path: str) -> str:
    template = "/".join("id" if seg.isdigit() else seg for seg in path.split("/"))
    return f"fake-{zlib.crc32(f'{method} {template}'.encode()):08x}"
