"""The one RomM client every part of the bot uses.

One aiohttp session (no cookie jar: a `romm_session` cookie would override the token),
a throttle, a bounded TTL cache with in-flight de-duplication, retries with backoff for
idempotent calls, typed errors, and the version probe that switches behaviour.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

import aiohttp
from cachetools import TLRUCache

from .auth import Authenticator, Credentials
from .errors import (
    RommAuthError,
    RommBadResponse,
    RommError,
    RommForbidden,
    RommNotFound,
    RommServerError,
    RommTimeout,
    RommUnreachable,
    RommVersionUnsupported,
)
from .models import Firmware, Heartbeat, Platform, Rom, RomPage, Stats, User
from .throttle import Throttle
from .version import Capabilities

log = logging.getLogger(__name__)

T = TypeVar("T")
Params = Sequence[tuple[str, str]]

RETRY_STATUSES = frozenset({502, 503, 504})
LIST_FLAGS: Params = (
    ("with_char_index", "false"),
    ("with_filter_values", "false"),
    ("with_rom_id_index", "false"),
)


class RommClient:
    def __init__(
        self,
        base_url: str,
        creds: Credentials,
        *,
        timeout: float = 10.0,
        max_concurrency: int = 4,
        rate_per_second: float = 20.0,
        cache_ttl: float = 900.0,
        cache_size: int = 512,
        retries: int = 2,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.auth = Authenticator(creds, self.base_url)
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._throttle = Throttle(max_concurrency, rate_per_second)
        self._cache_ttl = cache_ttl
        self._cache: TLRUCache[tuple[Any, ...], Any] = TLRUCache(
            maxsize=cache_size,
            ttu=lambda _k, _v, now: now + self._cache_ttl,
            timer=time.monotonic,
        )
        self._inflight: dict[tuple[Any, ...], asyncio.Future[Any]] = {}
        self._retries = retries
        self._session: aiohttp.ClientSession | None = None
        self._caps: Capabilities | None = None
        self.heartbeat_info: Heartbeat | None = None
        self.calls: Counter[str] = Counter()  # path → requests sent (for benchmarks/tests)

    # --- lifecycle ----------------------------------------------------------------------
    async def __aenter__(self) -> RommClient:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=self._timeout,
                cookie_jar=aiohttp.DummyCookieJar(),
                headers={"User-Agent": "RomM-ComM", "Accept": "application/json"},
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def invalidate(self) -> None:
        """Forget every cached answer (after /refresh, a scan, a rename...)."""
        self._cache.clear()

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())

    # --- transport ----------------------------------------------------------------------
    async def request_json(
        self,
        method: str,
        path: str,
        params: Params = (),
        *,
        data: dict[str, str] | None = None,
        idempotent: bool | None = None,
    ) -> Any:
        """Send one request (with auth, throttle, retries) and return the decoded JSON."""
        idempotent = method in {"GET", "HEAD"} if idempotent is None else idempotent
        attempts = 1 + (self._retries if idempotent else 0)
        last: RommError | None = None
        for attempt in range(attempts):
            if attempt:
                await asyncio.sleep(0.25 * 2 ** (attempt - 1) * (1 + random.random() / 2))
            try:
                return await self._send(method, path, params, data)
            except (RommUnreachable, RommServerError) as exc:
                if isinstance(exc, RommTimeout) or (
                    isinstance(exc, RommServerError) and exc.status not in RETRY_STATUSES
                ):
                    raise
                last = exc
        assert last is not None
        raise last

    async def _send(
        self, method: str, path: str, params: Params, data: dict[str, str] | None
    ) -> Any:
        url = self.base_url + path
        for auth_attempt in range(2):
            headers = await self.auth.header(self.session)
            started = time.perf_counter()
            self.calls[path] += 1
            try:
                async with (
                    self._throttle.slot(),
                    self.session.request(
                        method, url, params=list(params), data=data, headers=headers
                    ) as resp,
                ):
                    status = resp.status
                    if (
                        status == 401
                        and auth_attempt == 0
                        and await self.auth.rejected(self.session)
                    ):
                        continue
                    self._raise_for_status(status, path)
                    try:
                        body = await resp.json(content_type=None)
                    except ValueError:
                        raise RommBadResponse(f"{path}: body is not JSON") from None
            except TimeoutError:
                log.warning("romm %s %s timed out", method, path)
                raise RommTimeout(f"{method} {path} timed out") from None
            except aiohttp.ClientConnectionError as exc:
                log.warning("romm %s %s unreachable: %s", method, path, type(exc).__name__)
                raise RommUnreachable(f"{method} {path}: {type(exc).__name__}") from None
            except aiohttp.ClientPayloadError:
                raise RommBadResponse(f"{path}: truncated body") from None
            log.debug(
                "romm %s %s status=%s ms=%.1f",
                method,
                path,
                status,
                (time.perf_counter() - started) * 1000,
            )
            return body
        raise RommAuthError(f"{path}: 401 after re-login", status=401)

    @staticmethod
    def _raise_for_status(status: int, path: str) -> None:
        if status < 400:
            return
        log.warning("romm %s answered %s", path, status)
        if status == 401:
            raise RommAuthError(f"{path}: 401", status=status)
        if status == 403:
            raise RommForbidden(f"{path}: 403", status=status)
        if status == 404:
            raise RommNotFound(f"{path}: 404", status=status)
        if status >= 500:
            raise RommServerError(f"{path}: {status}", status=status)
        raise RommError(f"{path}: {status}", status=status)

    async def _cached(self, key: tuple[Any, ...], load: Callable[[], Awaitable[T]]) -> T:
        """Answer from the cache, or share one in-flight load among concurrent callers."""
        try:
            return self._cache[key]  # type: ignore[no-any-return]
        except KeyError:
            pass
        pending = self._inflight.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        try:
            value = await load()
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved: waiters re-raise it themselves
            raise
        else:
            future.set_result(value)
            if self._cache_ttl > 0:
                self._cache[key] = value
            return value
        finally:
            del self._inflight[key]

    # --- version ------------------------------------------------------------------------
    async def heartbeat(self) -> Heartbeat:
        body = await self.request_json("GET", "/api/heartbeat")
        if not isinstance(body, dict):
            raise RommBadResponse("/api/heartbeat: not an object")
        info = Heartbeat.from_json(body)
        caps = Capabilities.from_version(info.version)
        if not caps.supported:
            raise RommVersionUnsupported(f"RomM {info.version}")
        self.heartbeat_info, self._caps = info, caps
        return info

    async def capabilities(self) -> Capabilities:
        if self._caps is None:
            await self.heartbeat()
        assert self._caps is not None
        return self._caps

    # --- library ------------------------------------------------------------------------
    async def platforms(self) -> list[Platform]:
        async def load() -> list[Platform]:
            body = await self.request_json("GET", "/api/platforms")
            return [Platform.model_validate(p) for p in _expect_list(body, "/api/platforms")]

        return await self._cached(("platforms",), load)

    async def search_roms(
        self, term: str, platform_id: int | None = None, *, limit: int = 25
    ) -> RomPage:
        params: list[tuple[str, str]] = [
            ("search_term", term),
            ("limit", str(limit)),
            ("offset", "0"),
            ("order_by", "name"),
            ("order_dir", "asc"),
            *LIST_FLAGS,
        ]
        if platform_id is not None:
            params.append(await self._platform_param(platform_id))
        body = await self.request_json("GET", "/api/roms", params)
        return _rom_page(body)

    async def list_roms(
        self,
        platform_id: int | None = None,
        *,
        limit: int = 50,
        offset: int = 0,
        order_by: str = "name",
        order_dir: str = "asc",
    ) -> RomPage:
        params: list[tuple[str, str]] = [
            ("limit", str(limit)),
            ("offset", str(offset)),
            ("order_by", order_by),
            ("order_dir", order_dir),
            *LIST_FLAGS,
        ]
        if platform_id is not None:
            params.append(await self._platform_param(platform_id))
        return _rom_page(await self.request_json("GET", "/api/roms", params))

    async def rom(self, rom_id: int) -> Rom:
        body = await self.request_json("GET", f"/api/roms/{int(rom_id)}")
        return _validate(Rom, body, "/api/roms/{id}")

    async def random_rom(self, platform_id: int | None = None) -> Rom | None:
        caps = await self.capabilities()
        if caps.random_endpoint:
            params = [await self._platform_param(platform_id)] if platform_id else []
            body = await self.request_json("GET", "/api/roms/random", params)
            return None if body is None else _validate(Rom, body, "/api/roms/random")
        first = await self.list_roms(platform_id, limit=1)
        total = first.total if first.total is not None else len(first.items)
        if total <= 1:
            return first.items[0] if first.items else None
        page = await self.list_roms(platform_id, limit=1, offset=random.randrange(total))
        return page.items[0] if page.items else None

    async def firmware(self, platform_id: int) -> list[Firmware]:
        params = [("platform_id", str(int(platform_id)))]
        body = await self.request_json("GET", "/api/firmware", params)
        return [Firmware.model_validate(f) for f in _expect_list(body, "/api/firmware")]

    async def stats(self) -> Stats:
        return _validate(Stats, await self.request_json("GET", "/api/stats"), "/api/stats")

    async def me(self) -> User:
        return _validate(User, await self.request_json("GET", "/api/users/me"), "/api/users/me")

    async def users(self) -> list[User]:
        body = await self.request_json("GET", "/api/users")
        return [User.model_validate(u) for u in _expect_list(body, "/api/users")]

    async def _platform_param(self, platform_id: int) -> tuple[str, str]:
        caps = await self.capabilities()
        name = "platform_ids" if caps.multi_platform_filter else "platform_id"
        return name, str(int(platform_id))


def _expect_list(body: Any, path: str) -> list[Any]:
    if not isinstance(body, list):
        raise RommBadResponse(f"{path}: expected a list")
    return body


def _validate(model: type[T], body: Any, path: str) -> T:
    try:
        return model.model_validate(body)  # type: ignore[attr-defined, no-any-return]
    except ValueError:
        raise RommBadResponse(f"{path}: unexpected shape") from None


def _rom_page(body: Any) -> RomPage:
    """RomM ≥ 3.9 answers an envelope; older versions a bare list."""
    if isinstance(body, list):
        return RomPage(items=[_validate(Rom, r, "/api/roms") for r in body], total=len(body))
    return _validate(RomPage, body, "/api/roms")
