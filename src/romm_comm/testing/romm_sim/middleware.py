"""Request pipeline: call log, faults, malformed JSON, Server-Timing, FastAPI-style errors, CSRF."""

from __future__ import annotations

import asyncio
import logging
import secrets
import time

from aiohttp import web
from aiohttp.typedefs import Handler

from .auth import CSRF_COOKIE, CSRF_HEADER
from .faults import malform
from .state import Call, state_of
from .webutil import JSON_CT, ApiError, json_response

log = logging.getLogger(__name__)

_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
_CSRF_EXEMPT = (
    "/api/token",
    "/api/client-tokens/exchange",
    "/api/auth/device/init",
    "/api/auth/device/token",
    "/ws",
    "/netplay",
)


@web.middleware
async def record_calls(request: web.Request, handler: Handler) -> web.StreamResponse:
    state = state_of(request)
    start = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as exc:
        status = exc.status
        raise
    except asyncio.CancelledError:
        status = 499  # the client went away (or the simulator stopped) before an answer
        raise
    finally:
        state.calls.append(
            Call(
                request.method,
                request.path,
                request.rel_url.raw_query_string,
                status,
                (time.perf_counter() - start) * 1000,
            )
        )


@web.middleware
async def inject_faults(request: web.Request, handler: Handler) -> web.StreamResponse:
    state = state_of(request)
    faults = state.faults
    if faults.hang:
        await faults.wait_while_hanging()
        if state.stopping:
            raise web.HTTPServiceUnavailable()
    failure = faults.take_failure(request.method, request.path)
    if failure is not None:
        return failure
    if faults.latency > 0 and request.path.startswith("/api"):
        await asyncio.sleep(faults.latency)
    response = await handler(request)
    if (
        faults.malformed_json
        and isinstance(response, web.Response)
        and response.status == 200
        and response.content_type == JSON_CT
        and isinstance(response.body, bytes)
    ):
        response.body = malform(response.body)
    return response


@web.middleware
async def server_timing(request: web.Request, handler: Handler) -> web.StreamResponse:
    """`Server-Timing: sim;dur=<ms>` on JSON answers: the simulator's own time, so benchmarks
    can subtract it."""
    start = time.perf_counter()
    response = await handler(request)
    if isinstance(response, web.Response) and response.content_type == JSON_CT:
        response.headers["Server-Timing"] = f"sim;dur={(time.perf_counter() - start) * 1000:.3f}"
    return response


@web.middleware
async def fastapi_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as exc:
        return exc.response()
    except web.HTTPNotFound:
        if request.path.startswith("/api"):
            return json_response({"detail": "Not Found"}, 404)
        return web.Response(status=404, text=_NGINX_404, content_type="text/html")
    except web.HTTPMethodNotAllowed as exc:
        return json_response(
            {"detail": "Method Not Allowed"}, 405, {"Allow": ", ".join(sorted(exc.allowed_methods))}
        )
    except web.HTTPException:
        raise
    except (asyncio.CancelledError, ConnectionResetError):
        raise
    except Exception:
        log.exception("romm_sim handler failed: %s %s", request.method, request.path)
        return web.Response(status=500, text="Internal Server Error", content_type="text/plain")


@web.middleware
async def csrf(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Starlette-CSRF as RomM configures it: unsafe methods without an Authorization header
    need `x-csrftoken` equal to the `romm_csrftoken` cookie."""
    if request.method not in _SAFE_METHODS and not request.path.startswith(_CSRF_EXEMPT):
        scheme = request.headers.get("Authorization", "").split(" ", 1)[0].lower()
        if scheme not in ("basic", "bearer"):
            cookie = request.cookies.get(CSRF_COOKIE)
            header = request.headers.get(CSRF_HEADER)
            if not cookie or not header or not secrets.compare_digest(cookie, header):
                return web.Response(
                    status=403, text="CSRF token verification failed", content_type="text/plain"
                )
    return await handler(request)


async def set_csrf_cookie(request: web.Request, response: web.StreamResponse) -> None:
    """Like RomM: API answers hand out a `romm_csrftoken` cookie when the client has none."""
    if request.path.startswith("/api") and CSRF_COOKIE not in request.cookies:
        # Cookies set here would be too late (already rendered into headers): add the header.
        token = secrets.token_urlsafe(32)
        response.headers.add("Set-Cookie", f"{CSRF_COOKIE}={token}; Path=/; SameSite=lax")


MIDDLEWARES = (record_calls, inject_faults, server_timing, fastapi_errors, csrf)

_NGINX_404 = (
    "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
    "<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
