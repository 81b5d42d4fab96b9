"""IgdbSimulator: IGDB v4 and Twitch's OAuth token endpoint over real HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from ..loopback import LoopbackServer, LoopbackSite
from . import apicalypse
from .catalogue import game_rows, platform_rows
from .platform_lists import generate

CLIENT_ID = "igdb-sim-client"
CLIENT_SECRET = "igdb-sim-secret-0123456789"  # noqa: S105 - a test fixture
RATE_LIMIT = 4  # requests per second, as IGDB
MAX_OPEN = 8
SIM: web.AppKey[IgdbSimulator] = web.AppKey("igdb_sim")


@dataclass(frozen=True)
class SimCall:
    endpoint: str
    body: str
    at: float  # when it arrived, on `rate_clock`: the moment IGDB counts it
    status: int


@dataclass
class TokenRequest:
    secret_in_url: bool
    form_keys: tuple[str, ...]
    status: int


@dataclass
class IgdbFaults:
    latency: float = 0.0
    _next: list[tuple[str | None, int]] = field(default_factory=list)

    def fail_next(self, status: int, endpoint: str | None = None, times: int = 1) -> None:
        """The next `times` calls (to `endpoint`, or any) answer `status`."""
        self._next.extend([(endpoint, status)] * times)

    def take(self, endpoint: str) -> int | None:
        for index, (wanted, status) in enumerate(self._next):
            if wanted in (None, endpoint):
                del self._next[index]
                return status
        return None


class IgdbSimulator(LoopbackServer):
    """>>> async with IgdbSimulator() as igdb: igdb.api_url, igdb.token_url"""

    client_id = CLIENT_ID
    client_secret = CLIENT_SECRET

    def __init__(
        self,
        *,
        token_ttl: int = 5_000_000,
        enforce_rate_limit: bool = True,
        platform_lists: dict[int, int] | None = None,
        seed: int = 0,
    ) -> None:
        """`platform_lists`: IGDB platform id → how many generated games it lists besides the
        hand-made catalogue (seeded: the same list for the same seed)."""
        self.started_at = datetime.now(UTC)
        self.games: dict[int, dict[str, Any]] = {g["id"]: g for g in game_rows(self.started_at)}
        for platform_id, size in (platform_lists or {}).items():
            self.games.update((g["id"], g) for g in generate(platform_id, size, seed))
        self.platforms: dict[int, dict[str, Any]] = {p["id"]: p for p in platform_rows()}
        self.token_ttl = token_ttl
        self.clock: Callable[[], float] = time.monotonic  # what "now" is to its tokens
        # What "now" is to the rate limit (a test holding it still sees every call after the
        # 4th in that second answered 429).
        self.rate_clock: Callable[[], float] = time.monotonic
        self.enforce_rate_limit = enforce_rate_limit
        self.faults = IgdbFaults()
        self.calls: list[SimCall] = []
        self.token_requests: list[TokenRequest] = []
        self.rate_limited = 0
        self._tokens: dict[str, float] = {}
        self._recent: deque[float] = deque()
        self._open = 0
        self._site = LoopbackSite()

    # ------------------------------------------------------------------ knobs
    def expire_tokens(self) -> None:
        """Every token handed out so far stops working (IGDB answers 401)."""
        self._tokens.clear()

    def calls_to(self, endpoint: str) -> list[SimCall]:
        return [c for c in self.calls if c.endpoint == endpoint]

    def platform_games(self, platform_id: int) -> list[dict[str, Any]]:
        """The truth: every game IGDB lists for a platform, in id order."""
        return sorted(
            (g for g in self.games.values() if platform_id in g.get("platforms", ())),
            key=lambda g: int(g["id"]),
        )

    def max_per_second(self) -> int:
        """The most accepted API calls that arrived within any one-second window."""
        times = sorted(c.at for c in self.calls if c.status != 429)
        best, start = 0, 0
        for end, moment in enumerate(times):
            while moment - times[start] >= 1.0:
                start += 1
            best = max(best, end - start + 1)
        return best

    # ------------------------------------------------------------------ lifecycle
    name = "the IGDB simulator"

    @property
    def api_url(self) -> str:
        return f"{self.url}/v4"

    @property
    def token_url(self) -> str:
        return f"{self.url}/oauth2/token"

    def make_app(self) -> web.Application:
        app = web.Application()
        app[SIM] = self
        app.router.add_post("/oauth2/token", _token)
        app.router.add_post("/v4/{endpoint}", _api)
        app.router.add_post("/v4/{endpoint}/count", _api)
        return app

    # ------------------------------------------------------------------ behaviour
    def issue_token(self) -> str:
        token = secrets.token_hex(15)
        self._tokens[token] = self.clock() + self.token_ttl
        return token

    def token_valid(self, token: str) -> bool:
        expires = self._tokens.get(token)
        return expires is not None and self.clock() < expires

    def admit(self, now: float) -> bool:
        """IGDB's limit: at most 4 requests arriving a second and 8 open at once."""
        if not self.enforce_rate_limit:
            return True
        while self._recent and now - self._recent[0] >= 1.0:
            self._recent.popleft()
        if len(self._recent) >= RATE_LIMIT or self._open >= MAX_OPEN:
            self.rate_limited += 1
            return False
        self._recent.append(now)
        return True

    def rows(self, endpoint: str) -> list[dict[str, Any]] | None:
        if endpoint == "games":
            return list(self.games.values())
        if endpoint == "platforms":
            return list(self.platforms.values())
        if endpoint == "covers":
            return [
                {"id": g["cover"]["id"], "image_id": g["cover"]["image_id"], "game": g["id"],
                 "width": 264, "height": 374}
                for g in self.games.values()
                if "cover" in g
            ]  # fmt: skip
        return None

    def answer(self, endpoint: str, body: str) -> Any:
        counting = endpoint.endswith("/count")  # IGDB: POST /v4/games/count → {"count": n}
        rows = self.rows(endpoint.removesuffix("/count"))
        if rows is None:
            raise web.HTTPNotFound()
        q = apicalypse.parse(body)
        found = [r for r in rows if apicalypse.matches(r, q)]
        if counting:
            return {"count": len(found)}
        if q.search is not None:
            scored = [(apicalypse.search_score(r, q.search), r) for r in found]
            scored = [(s, r) for s, r in scored if s > 0]
            scored.sort(key=lambda sr: (-sr[0], -sr[1].get("total_rating_count", 0), sr[1]["id"]))
            found = [r for _, r in scored]
        elif q.sort is not None:
            name, descending = q.sort
            present = [r for r in found if r.get(name) is not None]
            present.sort(key=lambda r: (r[name], -r["id"] if descending else r["id"]))
            if descending:
                present.reverse()
            found = present + [r for r in found if r.get(name) is None]
        page = found[q.offset : q.offset + q.limit]
        return [self._project(endpoint, r, q.fields) for r in page]

    def _project(self, endpoint: str, row: dict[str, Any], fields: list[str]) -> dict[str, Any]:
        out: dict[str, Any] = {"id": row["id"]}
        for name in fields:
            top, _, sub = name.partition(".")
            if top == "*":
                out.update({k: v for k, v in row.items() if not k.startswith("_")})
                if "cover" in row:
                    out["cover"] = row["cover"]["id"]
                continue
            if top not in row or top.startswith("_"):
                continue
            value = row[top]
            if endpoint == "games" and top == "cover":
                if sub:
                    previous = out.get("cover")
                    expanded: dict[str, Any] = previous if isinstance(previous, dict) else {}
                    out["cover"] = {**expanded, "id": value["id"], sub: value.get(sub)}
                else:
                    out.setdefault("cover", value["id"])
            elif endpoint == "games" and top == "platforms":
                if sub:
                    current = {p["id"]: p for p in out.get("platforms", []) if isinstance(p, dict)}
                    refs: list[dict[str, Any]] = []
                    for pid in value:
                        entry = current.get(pid, {"id": pid})
                        source = self.platforms.get(pid, {})
                        if sub == "*":
                            entry = {**entry, **source}
                        elif sub in source:
                            entry = {**entry, sub: source[sub]}
                        refs.append(entry)
                    out["platforms"] = refs
                else:
                    out.setdefault("platforms", list(value))
            else:
                out[top] = value
        return out


async def _token(request: web.Request) -> web.Response:
    sim = request.app[SIM]
    form = await request.post()
    values = {**{k: str(v) for k, v in form.items()}, **dict(request.query)}
    in_url = "client_secret" in request.query
    status, body = 200, {}
    if values.get("grant_type") != "client_credentials":
        status, body = 400, {"status": 400, "message": "unsupported grant type"}
    elif values.get("client_id") != sim.client_id:
        status, body = 400, {"status": 400, "message": "invalid client"}
    elif values.get("client_secret") != sim.client_secret:
        status, body = 403, {"status": 403, "message": "invalid client secret"}
    else:
        body = {
            "access_token": sim.issue_token(),
            "expires_in": sim.token_ttl,
            "token_type": "bearer",
        }
    sim.token_requests.append(TokenRequest(in_url, tuple(sorted(form.keys())), status))
    return web.json_response(body, status=status)


async def _api(request: web.Request) -> web.Response:
    sim = request.app[SIM]
    endpoint = request.match_info["endpoint"]
    if request.path.endswith("/count"):
        endpoint += "/count"
    body = await request.text()
    arrived = sim.rate_clock()
    status = 200
    payload: Any = None
    if not sim.admit(arrived):
        status, payload = 429, {"message": "Too Many Requests"}
    sim._open += 1
    try:
        if sim.faults.latency:
            await asyncio.sleep(sim.faults.latency)
        auth = request.headers.get("Authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else ""
        forced = sim.faults.take(endpoint) if status == 200 else None
        if status != 200:
            pass
        elif request.headers.get("Client-ID") != sim.client_id or not sim.token_valid(token):
            status, payload = 401, {"message": "Authorization Failure. Have you tried:",
                                    "Tip 1": "Ensure you are sending Authorization and Client-ID "
                                    "as headers."}  # fmt: skip
        elif forced is not None:
            status, payload = forced, [{"title": "Simulated failure", "status": forced}]
        else:
            try:
                payload = sim.answer(endpoint, body)
            except apicalypse.QueryError as exc:
                status = 400
                payload = [{"title": "Syntax Error", "status": 400, "cause": str(exc)}]
    finally:
        sim._open -= 1
    sim.calls.append(SimCall(endpoint, body, arrived, status))
    return web.json_response(payload, status=status)
