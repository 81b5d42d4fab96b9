"""The IGDB client: Twitch OAuth (client credentials), apicalypse queries, IGDB's rate limit.

The client secret travels only in the token request's form body, never in a URL or a log
line; the access token is cached until shortly before it expires and fetched again once when
IGDB says it is no longer valid. Requests are spaced to IGDB's 4 per second with at most 8
open at a time; a 429 is retried after a pause.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import aiohttp
from pydantic import SecretStr, ValidationError

from ..common.http_session import LazySession
from ..common.observe import NO_CALLS, CallObserver
from . import query
from .errors import IgdbAuthError, IgdbBadResponse, IgdbError, IgdbRateLimited, IgdbUnavailable
from .models import IgdbGame, IgdbPlatform
from .platform_list import LIST_FIELDS, PAGE_SIZE, ListedGame, listed
from .throttle import WindowThrottle

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.igdb.com/v4"
DEFAULT_TOKEN_URL = "https://id.twitch.tv/oauth2/token"  # noqa: S105 - a URL, not a secret
TOKEN_MARGIN = 300.0  # seconds before expiry when a token is renewed
RATE_PER_SECOND = 4
MAX_OPEN = 8
RATE_LIMIT_RETRIES = 2
RECENT_DAYS = 90

ListKind = Literal["upcoming", "popular", "recent", "exclusives"]
LIST_KINDS: tuple[ListKind, ...] = ("upcoming", "popular", "recent", "exclusives")


class IgdbClient:
    def __init__(
        self,
        client_id: str,
        client_secret: SecretStr,
        *,
        api_url: str = DEFAULT_API_URL,
        token_url: str = DEFAULT_TOKEN_URL,
        timeout: float = 10.0,
        rate_per_second: int = RATE_PER_SECOND,
        retry_pause: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        throttle: WindowThrottle | None = None,
    ) -> None:
        self.client_id = client_id
        self._secret = client_secret
        self.api_url = api_url.rstrip("/")
        self.token_url = token_url
        self._http = LazySession(timeout)
        self._throttle = throttle or WindowThrottle(rate_per_second, max_open=MAX_OPEN)
        self._retry_pause = retry_pause
        self._clock = clock  # when the token is due for renewal (tests pass their own)
        self._token: str | None = None
        self._token_expires = 0.0
        self._token_lock = asyncio.Lock()
        self.calls: Counter[str] = Counter()  # endpoint → requests sent
        self.observer: CallObserver = NO_CALLS  # metrics (set by the composition root)

    @property
    def session(self) -> aiohttp.ClientSession:
        return self._http.get()

    async def close(self) -> None:
        await self._http.close()

    # --- token --------------------------------------------------------------------------
    async def _access_token(self, *, renew: bool = False) -> str:
        async with self._token_lock:
            if not renew and self._token and self._clock() < self._token_expires:
                return self._token
            form = {
                "client_id": self.client_id,
                "client_secret": self._secret.get_secret_value(),
                "grant_type": "client_credentials",
            }
            self.calls["token"] += 1
            try:
                async with self.session.post(self.token_url, data=form) as resp:
                    status = resp.status
                    body = await resp.json(content_type=None) if status < 500 else None
            except TimeoutError:
                raise IgdbUnavailable("token request timed out") from None
            except aiohttp.ClientError as exc:
                raise IgdbUnavailable(f"token request: {type(exc).__name__}") from None
            except ValueError:
                raise IgdbBadResponse("token answer is not JSON") from None
            if status in (400, 401, 403):
                log.warning("twitch refused the IGDB client credentials (status %s)", status)
                raise IgdbAuthError(f"token: {status}", status=status)
            if status >= 400 or not isinstance(body, dict):
                raise IgdbUnavailable(f"token: {status}", status=status)
            token, expires_in = body.get("access_token"), body.get("expires_in")
            if not isinstance(token, str) or not isinstance(expires_in, int | float):
                raise IgdbBadResponse("token answer lacks access_token/expires_in")
            margin = min(TOKEN_MARGIN, float(expires_in) / 10)
            self._token = token
            self._token_expires = self._clock() + float(expires_in) - margin
            log.info("igdb: got an access token valid %.0f s", float(expires_in))
            return token

    # --- transport ----------------------------------------------------------------------
    async def query(self, endpoint: str, body: str) -> list[dict[str, Any]]:
        """POST one apicalypse query to /v4/{endpoint}; the decoded list of objects."""
        renewed = False
        limited = 0
        while True:
            token = await self._access_token()
            headers = {
                "Client-ID": self.client_id,
                "Authorization": f"Bearer {token}",
                "Accept": "application/json",
                "Content-Type": "text/plain",
            }
            self.calls[endpoint] += 1
            started = time.perf_counter()
            outcome = "error"
            try:
                async with (
                    self._throttle.slot(),
                    self.session.post(
                        f"{self.api_url}/{endpoint}", data=body.encode(), headers=headers
                    ) as resp,
                ):
                    status = resp.status
                    outcome = str(status)
                    data = await resp.json(content_type=None) if status == 200 else None
            except TimeoutError:
                outcome = "timeout"
                log.warning("igdb %s timed out", endpoint)
                raise IgdbUnavailable(f"{endpoint} timed out") from None
            except aiohttp.ClientError as exc:
                outcome = "unreachable"
                log.warning("igdb %s unreachable: %s", endpoint, type(exc).__name__)
                raise IgdbUnavailable(f"{endpoint}: {type(exc).__name__}") from None
            except ValueError:
                raise IgdbBadResponse(f"{endpoint}: body is not JSON") from None
            finally:
                self.observer.call(endpoint, outcome, time.perf_counter() - started)
            log.debug(
                "igdb %s status=%s ms=%.1f",
                endpoint,
                status,
                (time.perf_counter() - started) * 1000,
            )
            if status == 401 and not renewed:
                renewed = True
                await self._access_token(renew=True)
                continue
            if status == 429 and limited < RATE_LIMIT_RETRIES:
                limited += 1
                await asyncio.sleep(self._retry_pause * limited)
                continue
            self._raise_for_status(status, endpoint)
            if isinstance(data, dict) and endpoint.endswith("/count"):
                return [data]  # {"count": n}
            if not isinstance(data, list):
                raise IgdbBadResponse(f"{endpoint}: expected a list")
            return [item for item in data if isinstance(item, dict)]

    @staticmethod
    def _raise_for_status(status: int, endpoint: str) -> None:
        if status < 400:
            return
        log.warning("igdb %s answered %s", endpoint, status)
        if status in (401, 403):
            raise IgdbAuthError(f"{endpoint}: {status}", status=status)
        if status == 429:
            raise IgdbRateLimited(f"{endpoint}: 429", status=status)
        if status >= 500:
            raise IgdbUnavailable(f"{endpoint}: {status}", status=status)
        raise IgdbError(f"{endpoint}: {status}", status=status)

    async def _games(self, body: str) -> list[IgdbGame]:
        rows = await self.query("games", body)
        try:
            return [IgdbGame.model_validate(row) for row in rows]
        except ValidationError:
            raise IgdbBadResponse("games: unexpected shape") from None

    # --- queries ------------------------------------------------------------------------
    async def search_games(
        self, term: str, platform_id: int | None = None, *, limit: int = 10
    ) -> list[IgdbGame]:
        where = [f"platforms = ({int(platform_id)})"] if platform_id else []
        return await self._games(query.build(search=term, where=where, limit=limit))

    async def games(self, ids: list[int]) -> list[IgdbGame]:
        if not ids:
            return []
        found = await self._games(
            query.build(where=[f"id = ({query.id_list(ids)})"], limit=len(ids))
        )
        order = {game_id: n for n, game_id in enumerate(ids)}
        return sorted(found, key=lambda g: order.get(g.id, len(order)))

    async def game(self, game_id: int) -> IgdbGame | None:
        found = await self.games([game_id])
        return found[0] if found else None

    async def platforms(self, ids: list[int]) -> list[IgdbPlatform]:
        if not ids:
            return []
        body = query.build(
            fields=("name", "abbreviation", "slug"),
            where=[f"id = ({query.id_list(ids)})"],
            limit=len(ids),
        )
        try:
            return [IgdbPlatform.model_validate(r) for r in await self.query("platforms", body)]
        except ValidationError:
            raise IgdbBadResponse("platforms: unexpected shape") from None

    async def game_list(
        self,
        kind: ListKind,
        platform_id: int | None = None,
        *,
        limit: int = 10,
        offset: int = 0,
        now: datetime | None = None,
    ) -> list[IgdbGame]:
        """IGDB lists: upcoming, popular, recent releases, exclusives of one platform."""
        moment = int((now or datetime.now(UTC)).timestamp())
        where = ["version_parent = null"]
        if kind == "exclusives":
            if platform_id is None:
                raise ValueError("exclusives need a platform")
            where.append(f"platforms = {{{int(platform_id)}}}")
        elif platform_id is not None:
            where.append(f"platforms = ({int(platform_id)})")
        if kind == "upcoming":
            where += [f"first_release_date > {moment}", "hypes > 0"]
            sort = "first_release_date asc"
        elif kind == "recent":
            since = moment - int(timedelta(days=RECENT_DAYS).total_seconds())
            where += [f"first_release_date <= {moment}", f"first_release_date > {since}"]
            sort = "first_release_date desc"
        else:
            where.append("total_rating_count > 0")
            sort = "total_rating_count desc"
        return await self._games(query.build(where=where, sort=sort, limit=limit, offset=offset))

    async def platform_game_count(self, platform_id: int) -> int:
        """How many games IGDB lists for a platform (POST /v4/games/count)."""
        body = f"where platforms = ({int(platform_id)});"
        rows = await self.query("games/count", body)
        count = rows[0].get("count") if rows else None
        if not isinstance(count, int):
            raise IgdbBadResponse("games/count: no count")
        return count

    async def platform_games(self, platform_id: int) -> list[ListedGame]:
        """Every game IGDB lists for a platform, every type, in pages of 500: the first page;
        when it is full, the count and the other pages (sent together; the throttle keeps
        them within IGDB's rate). A platform of up to 500 games costs one call."""
        where = [f"platforms = ({int(platform_id)})"]

        async def page(offset: int) -> list[dict[str, Any]]:
            body = query.build(
                fields=LIST_FIELDS, where=where, sort="id asc", limit=PAGE_SIZE, offset=offset
            )
            return await self.query("games", body)

        pages = [await page(0)]
        if len(pages[0]) == PAGE_SIZE:
            total = await self.platform_game_count(platform_id)
            pages += await asyncio.gather(*(page(o) for o in range(PAGE_SIZE, total, PAGE_SIZE)))
        seen: dict[int, ListedGame] = {}
        for rows in pages:
            for row in rows:
                game = listed(row)
                if game is not None:
                    seen.setdefault(game.id, game)
        return sorted(seen.values(), key=lambda g: g.id)
