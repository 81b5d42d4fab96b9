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
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any, TypeVar

import aiohttp
from cachetools import TLRUCache
from pydantic import SecretStr
from yarl import URL

from ..common.connection_errors import why_unreachable
from ..common.http_session import LazySession
from ..common.observe import NO_CALLS, CallObserver, endpoint_of
from .accounts_api import AccountsApi
from .auth import Authenticator, Credentials
from .download_paths import call_key, is_download_path
from .errors import (
    RommAuthError,
    RommBadResponse,
    RommBusy,
    RommError,
    RommForbidden,
    RommNotFound,
    RommServerError,
    RommTimeout,
    RommUnreachable,
    RommVersionUnsupported,
    retry_after_seconds,
)
from .models import Firmware, Heartbeat, Platform, Rom, RomPage, Stats, User
from .throttle import Throttle
from .version import Capabilities

log = logging.getLogger(__name__)

T = TypeVar("T")
Params = Sequence[tuple[str, str]]

RETRY_STATUSES = frozenset({502, 503, 504})
DOWNLOAD_READ_BUFFER = 256 * 1024  # bytes buffered per download stream (bounds memory)
LIST_FLAGS: Params = (
    ("with_char_index", "false"),
    ("with_filter_values", "false"),
    ("with_rom_id_index", "false"),
)


class RommClient(AccountsApi):
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
        retry_pause: float = 0.25,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.auth = Authenticator(creds, self.base_url, clock=clock)
        self._http = LazySession(timeout, {"Accept": "application/json"})
        self._throttle = Throttle(max_concurrency, rate_per_second)
        self._cache_ttl = cache_ttl
        self._cache: TLRUCache[tuple[Any, ...], Any] = TLRUCache(
            maxsize=cache_size,
            ttu=lambda _k, _v, now: now + self._cache_ttl,
            timer=time.monotonic,
        )
        self._inflight: dict[tuple[Any, ...], asyncio.Future[Any]] = {}
        self._retries = retries
        self.retry_pause = retry_pause  # before the first retry; doubles for the next
        self._caps: Capabilities | None = None
        self.heartbeat_info: Heartbeat | None = None
        self.calls: Counter[str] = Counter()  # path → requests sent (for benchmarks/tests)
        self.observer: CallObserver = NO_CALLS  # metrics (set by the composition root)

    # --- lifecycle ----------------------------------------------------------------------
    async def __aenter__(self) -> RommClient:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    @property
    def session(self) -> aiohttp.ClientSession:
        return self._http.get()

    async def close(self) -> None:
        await self._http.close()

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
        json_body: Any = None,
        bearer: SecretStr | None = None,
        idempotent: bool | None = None,
    ) -> Any:
        """Send one request (with auth, throttle, retries) and return the decoded JSON.

        `data` is sent as a form, `json_body` as JSON; `bearer` replaces the bot's own
        credentials for this one request (e.g. a token a member just paired)."""
        idempotent = method in {"GET", "HEAD"} if idempotent is None else idempotent
        attempts = 1 + (self._retries if idempotent else 0)
        last: RommError | None = None
        for attempt in range(attempts):
            if attempt:
                self.observer.retry(endpoint_of(path))
                pause = self.retry_pause * 2 ** (attempt - 1)
                await asyncio.sleep(pause * (1 + random.random() / 2))
            try:
                return await self._send(method, path, params, data, json_body, bearer)
            except (RommUnreachable, RommServerError) as exc:
                if isinstance(exc, RommTimeout) or (
                    isinstance(exc, RommServerError) and exc.status not in RETRY_STATUSES
                ):
                    raise
                last = exc
        assert last is not None
        raise last

    async def _send(
        self,
        method: str,
        path: str,
        params: Params,
        data: dict[str, str] | None,
        json_body: Any = None,
        bearer: SecretStr | None = None,
    ) -> Any:
        url = self.base_url + path
        for auth_attempt in range(2):
            if bearer is not None:
                headers = {"Authorization": f"Bearer {bearer.get_secret_value()}"}
            else:
                headers = await self.auth.header(self.session)
            started = time.perf_counter()
            self.calls[path] += 1
            outcome = "error"
            try:
                async with (
                    self._throttle.slot(),
                    self.session.request(
                        method,
                        url,
                        params=list(params),
                        data=data,
                        json=json_body,
                        headers=headers,
                    ) as resp,
                ):
                    status = resp.status
                    outcome = str(status)
                    if (
                        status == 401
                        and auth_attempt == 0
                        and bearer is None
                        and await self.auth.rejected(self.session)
                    ):
                        continue
                    self._raise_for_status(status, path, resp.headers)
                    try:
                        body = await resp.json(content_type=None)
                    except ValueError:
                        raise RommBadResponse(f"{path}: body is not JSON") from None
            except TimeoutError:
                outcome = "timeout"
                log.warning("romm %s %s timed out", method, path)
                raise RommTimeout(f"{method} {path} timed out") from None
            except aiohttp.ClientConnectionError as exc:
                outcome = "unreachable"
                why = why_unreachable(exc)
                log.warning("romm %s %s unreachable: %s", method, path, why)
                raise RommUnreachable(f"{method} {path}: {why}") from None
            except aiohttp.ClientPayloadError:
                raise RommBadResponse(f"{path}: truncated body") from None
            finally:
                self.observer.call(endpoint_of(path), outcome, time.perf_counter() - started)
            log.debug(
                "romm %s %s status=%s ms=%.1f",
                method,
                path,
                status,
                (time.perf_counter() - started) * 1000,
            )
            return body
        raise RommAuthError(f"{path}: 401 after re-login", status=401)

    @asynccontextmanager
    async def download(
        self,
        path: str,
        params: Params = (),
        *,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        authenticated: bool = True,
        read_timeout: float = 120.0,
    ) -> AsyncIterator[aiohttp.ClientResponse]:
        """Open one RomM download for streaming; the response is yielded whatever its status.

        Only RomM's download paths are accepted (see `download_paths`). No throttle slot is
        held while bytes flow (a long download must not starve the JSON calls) and no total
        timeout applies, only connect and per-read ones. The body is never decompressed.
        """
        if method not in {"GET", "HEAD"} or not is_download_path(path):
            raise ValueError("not a RomM download request")
        url = URL(self.base_url + path, encoded=True)
        timeout = aiohttp.ClientTimeout(
            total=None, sock_connect=self._http.timeout.total, sock_read=read_timeout
        )
        base_headers = {"Accept": "*/*", "Accept-Encoding": "identity", **(headers or {})}
        key = call_key(path)
        for auth_attempt in range(2):
            auth = await self.auth.header(self.session) if authenticated else {}
            self.calls[key] += 1
            try:
                resp = await self.session.request(
                    method,
                    url,
                    params=list(params),
                    headers={**base_headers, **auth},
                    timeout=timeout,
                    read_bufsize=DOWNLOAD_READ_BUFFER,
                    auto_decompress=False,
                    allow_redirects=False,
                )
            except TimeoutError:
                log.warning("romm download %s timed out", key)
                raise RommTimeout(f"{method} {key} timed out") from None
            except aiohttp.ClientConnectionError as exc:
                why = why_unreachable(exc)
                log.warning("romm download %s unreachable: %s", key, why)
                raise RommUnreachable(f"{method} {key}: {why}") from None
            if (
                resp.status == 401
                and authenticated
                and auth_attempt == 0
                and await self.auth.rejected(self.session)
            ):
                resp.close()
                continue
            try:
                yield resp
            finally:
                # A body read to the end frees the connection for reuse; anything else
                # (client gone, error) closes it so RomM stops sending.
                if resp.content.at_eof():
                    resp.release()
                else:
                    resp.close()
            return

    async def web_asset(self, path: str, *, max_bytes: int) -> bytes:
        """A file RomM's web server serves without auth under /assets/ (platform icons).

        No credentials are sent. Raises RommNotFound for 404 and RommBadResponse when the
        file is larger than `max_bytes` (it is not read past that)."""
        if not path.startswith("/assets/") or ".." in path:
            raise ValueError("not a RomM web asset")
        self.calls[path] += 1
        try:
            async with (
                self._throttle.slot(),
                self.session.get(
                    URL(self.base_url + path, encoded=True),
                    headers={"Accept": "image/*"},
                    allow_redirects=False,
                ) as resp,
            ):
                self._raise_for_status(resp.status, path, resp.headers)
                if resp.status != 200:
                    raise RommBadResponse(f"{path}: {resp.status}", status=resp.status)
                chunks: list[bytes] = []
                size = 0
                async for chunk in resp.content.iter_chunked(64 * 1024):
                    size += len(chunk)
                    if size > max_bytes:
                        raise RommBadResponse(f"{path}: larger than {max_bytes} bytes")
                    chunks.append(chunk)
                return b"".join(chunks)
        except TimeoutError:
            raise RommTimeout(f"GET {path} timed out") from None
        except aiohttp.ClientConnectionError as exc:
            raise RommUnreachable(f"GET {path}: {why_unreachable(exc)}") from None
        except aiohttp.ClientPayloadError:
            raise RommBadResponse(f"{path}: truncated body") from None

    @staticmethod
    def _raise_for_status(status: int, path: str, headers: Mapping[str, str] | None = None) -> None:
        if status < 400:
            return
        log.warning("romm %s answered %s", path, status)
        if status == 429:
            wait = retry_after_seconds((headers or {}).get("Retry-After"), time.time())
            raise RommBusy(f"{path}: 429", retry_after=wait)
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
            value = self._cache[key]
        except KeyError:
            pass
        else:
            self.observer.cache(True)
            return value  # type: ignore[no-any-return]
        pending = self._inflight.get(key)
        if pending is not None:
            self.observer.cache(True)  # answered by a load already on its way
            return await asyncio.shield(pending)
        self.observer.cache(False)
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

    async def _raw_page(self, platform_id: int, *, limit: int, offset: int) -> list[Any]:
        """A page of a platform's ROMs in id order, as the JSON items (no model per ROM)."""
        params: list[tuple[str, str]] = [
            ("limit", str(limit)),
            ("offset", str(offset)),
            ("order_by", "id"),
            ("order_dir", "asc"),
            ("with_total", "false"),
            *LIST_FLAGS,
            await self._platform_param(platform_id),
        ]
        body = await self.request_json("GET", "/api/roms", params)
        items = body.get("items", []) if isinstance(body, dict) else body
        if not isinstance(items, list):
            raise RommBadResponse("/api/roms: no item list in the reply")
        return items

    async def rom_names(
        self, platform_id: int, *, limit: int, offset: int
    ) -> list[tuple[int, str, str, int]]:
        """(id, name, fs_name, fs_size_bytes) of a page of a platform's ROMs, in id order.
        Read straight from the JSON: no model per ROM, for indexing whole libraries."""
        items = await self._raw_page(platform_id, limit=limit, offset=offset)
        rows: list[tuple[int, str, str, int]] = []
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("id"), int):
                continue
            fs_name = str(item.get("fs_name") or item.get("file_name") or "")
            size = item.get("fs_size_bytes")
            rows.append(
                (
                    item["id"],
                    str(item.get("name") or ""),
                    fs_name,
                    size if isinstance(size, int) else 0,
                )
            )
        return rows

    async def rom_identities(
        self, platform_id: int, *, limit: int, offset: int
    ) -> list[tuple[int, str, int | None, int | None]]:
        """(id, name, igdb_id, first release in epoch ms) of a page of a platform's ROMs, in
        id order, read straight from the JSON (for comparing whole platforms with IGDB)."""
        items = await self._raw_page(platform_id, limit=limit, offset=offset)
        rows: list[tuple[int, str, int | None, int | None]] = []
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("id"), int):
                continue
            igdb_id = item.get("igdb_id")
            meta = item.get("metadatum")
            released = meta.get("first_release_date") if isinstance(meta, dict) else None
            rows.append(
                (
                    item["id"],
                    str(item.get("name") or item.get("fs_name") or ""),
                    igdb_id if isinstance(igdb_id, int) else None,
                    released if isinstance(released, int) else None,
                )
            )
        return rows

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

    async def sign_in(self, username: str, password: SecretStr) -> User | None:
        """Check a person's own RomM credentials: the password grant (scope `me.read`), then
        `/api/users/me` with the token it gave. None when RomM refuses them; nothing is kept."""
        form = {
            "grant_type": "password",
            "username": username,
            "password": password.get_secret_value(),
            "scope": "me.read",
        }
        started, outcome = time.perf_counter(), "error"
        try:
            async with self.session.post(f"{self.base_url}/api/token", data=form) as resp:
                outcome = str(resp.status)
                if resp.status in (400, 401, 403):
                    return None
                self._raise_for_status(resp.status, "/api/token")
                body = await resp.json(content_type=None)
        except TimeoutError:
            outcome = "timeout"
            raise RommTimeout("POST /api/token timed out") from None
        except aiohttp.ClientConnectionError as exc:
            outcome = "unreachable"
            raise RommUnreachable(f"POST /api/token: {type(exc).__name__}") from None
        except ValueError:
            raise RommBadResponse("/api/token: body is not JSON") from None
        finally:
            self.observer.call("/api/token", outcome, time.perf_counter() - started)
        if not isinstance(body, dict) or not isinstance(body.get("access_token"), str):
            raise RommBadResponse("/api/token: no access_token")
        token = SecretStr(body["access_token"])
        me = await self.request_json("GET", "/api/users/me", bearer=token)
        return _validate(User, me, "/api/users/me")

    async def users(self) -> list[User]:
        body = await self.request_json("GET", "/api/users")
        return [User.model_validate(u) for u in _expect_list(body, "/api/users")]

    async def supported_platforms(self) -> list[Platform]:
        """Every platform RomM knows, in the library or not (cached; a large answer)."""

        async def load() -> list[Platform]:
            body = await self.request_json("GET", "/api/platforms/supported")
            return [
                Platform.model_validate(p) for p in _expect_list(body, "/api/platforms/supported")
            ]

        return await self._cached(("supported_platforms",), load)

    async def roms_updated_after(
        self, since: datetime | None, *, limit: int = 500, offset: int = 0
    ) -> RomPage:
        """ROMs added or changed after `since` (all when None), oldest change first."""
        params: list[tuple[str, str]] = [
            ("limit", str(limit)),
            ("offset", str(offset)),
            ("order_by", "updated_at"),
            ("order_dir", "asc"),
            *LIST_FLAGS,
        ]
        if since is not None:
            params.append(("updated_after", since.isoformat()))
        return _rom_page(await self.request_json("GET", "/api/roms", params))

    async def rom_by_igdb_id(self, igdb_id: int) -> Rom | None:
        """The ROM RomM matched to this IGDB game, or None."""
        params = [("igdb_id", str(int(igdb_id)))]
        try:
            body = await self.request_json("GET", "/api/roms/by-metadata-provider", params)
        except RommNotFound:
            return None
        return _validate(Rom, body, "/api/roms/by-metadata-provider")

    async def newest_roms(self, limit: int) -> RomPage:
        """The `limit` most recently added ROMs, newest first (one call; no total counted)."""
        params: list[tuple[str, str]] = [
            ("limit", str(limit)),
            ("offset", "0"),
            ("order_by", "id"),
            ("order_dir", "desc"),
            *LIST_FLAGS,
        ]
        if (await self.capabilities()).total_flag:
            params.append(("with_total", "false"))
        return _rom_page(await self.request_json("GET", "/api/roms", params))

    async def task_statuses(self) -> list[Any]:
        """Recent background jobs, scans among them (`GET /api/tasks/status`, tasks.run)."""
        return _expect_list(
            await self.request_json("GET", "/api/tasks/status"), "/api/tasks/status"
        )

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
