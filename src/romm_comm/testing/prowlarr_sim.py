"""ProwlarrSimulator: Prowlarr's API v1 (search, grab, status, indexers, download clients)
over real HTTP on 127.0.0.1, with the shapes and refusals of the real thing:

- every /api/v1 call needs the `X-Api-Key` header (or `apikey=`); otherwise 401, empty body;
- GET /api/v1/search passes the query to each enabled indexer, which matches each word as a
  substring of the title (as many trackers do: "vii" also finds "VIII"); `categories` keep
  releases in that category or a sub-category (1000 → 1080); results are remembered for
  grabs; `downloadUrl`/`magnetUrl` are Prowlarr proxy links carrying the API key;
- POST /api/v1/search {guid, indexerId} grabs a release found by an earlier search: 404
  "Couldn't find requested release in cache" otherwise, 409 when the indexer fails, 500 when
  no enabled download client takes that protocol; success answers the release.

>>> async with ProwlarrSimulator() as prowlarr: prowlarr.url, prowlarr.api_key
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from aiohttp import web

from .loopback import LoopbackServer, LoopbackSite

API_KEY = "0123456789abcdef0123456789abcdef"  # a test fixture, Prowlarr's 32-hex format
VERSION = "1.24.3.4754"
SIM: web.AppKey[ProwlarrSimulator] = web.AppKey("prowlarr_sim")
Handler = Callable[[web.Request], Awaitable[web.Response]]
GB = 1024**3
MB = 1024**2

CATEGORY_NAMES = {
    1000: "Console", 1010: "Console/NDS", 1020: "Console/PSP", 1030: "Console/Wii",
    1040: "Console/XBox", 1050: "Console/XBox 360", 1080: "Console/PS3", 1090: "Console/Other",
    1110: "Console/3DS", 1120: "Console/PS Vita", 1180: "Console/PS4", 4000: "PC",
    4050: "PC/Games",
}  # fmt: skip


@dataclass
class SimRelease:
    title: str
    indexer_id: int
    size: int
    days_old: int
    categories: tuple[int, ...] = (1000,)
    seeders: int | None = None
    leechers: int | None = None
    grabs: int | None = None
    guid: str = ""


@dataclass
class SimIndexer:
    id: int
    name: str
    protocol: str  # "torrent" or "usenet"
    enable: bool = True
    fails_grabs: bool = False  # the indexer will not hand out the file (409)


@dataclass
class SimDownloadClient:
    id: int
    name: str
    protocol: str
    enable: bool = True


@dataclass(frozen=True)
class SimCall:
    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    status: int
    key_in_url: bool


def default_indexers() -> list[SimIndexer]:
    return [SimIndexer(1, "RetroTracker", "torrent"), SimIndexer(2, "NZBGeek", "usenet")]


def default_releases() -> list[SimRelease]:
    t, u = 1, 2
    return [
        SimRelease("Final Fantasy VII (USA) (Disc 1-3) [PSX]", t, 1_900 * MB, 400, (1000,), 42, 3),
        SimRelease("Final.Fantasy.VII.EUR.PS1-RETRO", u, 1_850 * MB, 900, (1000,), grabs=210),
        SimRelease("Final Fantasy VIII (USA) [PSX]", t, 2_600 * MB, 380, (1000,), 55, 4),
        SimRelease("Final Fantasy VII (PC) [GOG]", t, 1_200 * MB, 200, (4000, 4050), 80, 2),
        SimRelease("Final Fantasy VII Remake Intergrade PS4", t, 90 * GB, 30, (1180,), 300, 20),
        SimRelease("Final Fantasy VII [Nintendo Switch] NSP", t, 12 * GB, 60, (1000,), 25, 1),
        SimRelease("Final Fantasy VII Ebook Guide", t, 40 * MB, 10, (7000,), 5, 0),
        SimRelease("Chrono Trigger (USA) [SNES]", t, 4 * MB, 700, (1000,), 12, 0),
        SimRelease("Super Mario 64 (USA) [N64]", t, 8 * MB, 900, (1000,), 90, 1),
        SimRelease("Super.Mario.64.DS.USA.NDS-XPA", u, 32 * MB, 1200, (1010,), grabs=77),
    ]


class ProwlarrSimulator(LoopbackServer):
    """Prowlarr over real HTTP. Modes: `releases = []` (nothing found), `indexers = []` or all
    disabled (nothing to search), `gate` (a search waits until it is set; `searching` is set
    when one arrived), `grab_error` (every grab answers that status and message)."""

    api_key = API_KEY
    name = "the Prowlarr simulator"

    def __init__(self) -> None:
        self.started_at = datetime.now(UTC)
        self.indexers: list[SimIndexer] = default_indexers()
        self.download_clients: list[SimDownloadClient] = [
            SimDownloadClient(1, "qBittorrent", "torrent"),
            SimDownloadClient(2, "SABnzbd", "usenet"),
        ]
        self.releases: list[SimRelease] = default_releases()
        self.gate: asyncio.Event | None = None
        self.searching = asyncio.Event()
        self.grab_error: tuple[int, str] | None = None
        self.calls: list[SimCall] = []
        self.grabbed: list[dict[str, Any]] = []  # the releases sent to a download client
        self._cache: dict[tuple[int, str], SimRelease] = {}
        self._site = LoopbackSite()
        for n, release in enumerate(self.releases, 1):
            release.guid = release.guid or f"https://tracker.example/t/{n}?sid=abc&x=%2B"

    # ------------------------------------------------------------------ lifecycle
    def make_app(self) -> web.Application:
        app = web.Application()
        app[SIM] = self
        app.router.add_get("/api/v1/search", _search)
        app.router.add_post("/api/v1/search", _grab)
        app.router.add_get("/api/v1/system/status", _status)
        app.router.add_get("/api/v1/indexer", _indexers)
        app.router.add_get("/api/v1/downloadclient", _download_clients)
        return app

    def calls_to(self, method: str, path: str) -> list[SimCall]:
        return [c for c in self.calls if c.method == method and c.path == path]

    def add_release(self, release: SimRelease) -> SimRelease:
        release.guid = release.guid or f"https://tracker.example/t/{len(self.releases) + 1}"
        self.releases.append(release)
        return release

    # ------------------------------------------------------------------ behaviour
    def _indexer(self, indexer_id: int) -> SimIndexer | None:
        return next((i for i in self.indexers if i.id == indexer_id), None)

    def search(
        self, query: str, categories: list[int], indexer_ids: list[int], limit: int, offset: int
    ) -> list[dict[str, Any]]:
        usable = {i.id for i in self.indexers if i.enable}
        if indexer_ids:
            usable &= set(indexer_ids)
        words = query.casefold().split()
        found = []
        for release in self.releases:
            if release.indexer_id not in usable:
                continue
            title = release.title.casefold()
            if not all(w in title for w in words):
                continue
            if categories and not any(
                c in categories or c // 1000 * 1000 in categories for c in release.categories
            ):
                continue
            found.append(release)
        page = found[offset : offset + limit]
        for release in page:
            self._cache[(release.indexer_id, release.guid)] = release
        return [self.resource(r) for r in page]

    def resource(self, release: SimRelease) -> dict[str, Any]:
        """Prowlarr's ReleaseResource, as its API writes it (camelCase)."""
        indexer = self._indexer(release.indexer_id)
        protocol = indexer.protocol if indexer else "unknown"
        published = self.started_at - timedelta(days=release.days_old)
        link = (
            f"{self.url}/{release.indexer_id}/download?apikey={self.api_key}"
            f"&link={quote(release.guid, safe='')}&file={quote(release.title)}"
        )
        body: dict[str, Any] = {
            "guid": release.guid,
            "age": release.days_old,
            "ageHours": release.days_old * 24.0,
            "ageMinutes": release.days_old * 1440.0,
            "size": release.size,
            "files": 1,
            "grabs": release.grabs,
            "indexerId": release.indexer_id,
            "indexer": indexer.name if indexer else "",
            "title": release.title,
            "sortTitle": release.title.casefold(),
            "imdbId": 0,
            "tmdbId": 0,
            "tvdbId": 0,
            "tvMazeId": 0,
            "publishDate": published.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "downloadUrl": link,
            "infoUrl": release.guid,
            "indexerFlags": [],
            "categories": [
                {"id": c, "name": CATEGORY_NAMES.get(c, str(c)), "subCategories": []}
                for c in release.categories
            ],
            "protocol": protocol,
            "fileName": release.title + (".torrent" if protocol == "torrent" else ".nzb"),
        }
        if protocol == "torrent":
            body["seeders"] = release.seeders
            body["leechers"] = release.leechers
            body["magnetUrl"] = None
        return body

    def grab(self, guid: str, indexer_id: int) -> tuple[int, dict[str, Any]]:
        if self.grab_error is not None:
            status, message = self.grab_error
            return status, {"message": message, "description": None}
        release = self._cache.get((indexer_id, guid))
        if release is None:
            return 404, {
                "message": "Couldn't find requested release in cache, try searching again",
                "description": None,
            }
        indexer = self._indexer(indexer_id)
        if indexer is None or indexer.fails_grabs:
            return 409, {"message": "Getting release from indexer failed", "description": None}
        protocol = indexer.protocol
        if not any(c.enable and c.protocol == protocol for c in self.download_clients):
            name = protocol.capitalize()
            return 500, {
                "message": f"No {name} Download Client is available",
                "description": None,
            }
        resource = self.resource(release)
        self.grabbed.append(resource)
        return 200, resource


def _authorised(request: web.Request) -> tuple[bool, bool]:
    sim = request.app[SIM]
    in_url = "apikey" in request.query
    given = request.headers.get("X-Api-Key") or request.query.get("apikey", "")
    return given == sim.api_key, in_url


def _record(request: web.Request, status: int, in_url: bool) -> None:
    sim = request.app[SIM]
    query = tuple((k, v) for k, v in request.query.items() if k != "apikey")
    sim.calls.append(SimCall(request.method, request.path, query, status, in_url))


def _denied(request: web.Request, in_url: bool) -> web.Response:
    _record(request, 401, in_url)
    return web.Response(status=401)


def _ints(request: web.Request, name: str) -> list[int]:
    return [int(v) for v in request.query.getall(name, []) if v.strip().lstrip("-").isdigit()]


async def _search(request: web.Request) -> web.Response:
    sim = request.app[SIM]
    ok, in_url = _authorised(request)
    if not ok:
        return _denied(request, in_url)
    sim.searching.set()
    if sim.gate is not None:
        await sim.gate.wait()
    limit = int(request.query.get("limit", "100") or 100)
    offset = int(request.query.get("offset", "0") or 0)
    found = sim.search(
        request.query.get("query", ""),
        _ints(request, "categories"),
        _ints(request, "indexerIds"),
        limit,
        offset,
    )
    _record(request, 200, in_url)
    return web.json_response(found)


async def _grab(request: web.Request) -> web.Response:
    sim = request.app[SIM]
    ok, in_url = _authorised(request)
    if not ok:
        return _denied(request, in_url)
    try:
        body = await request.json()
    except ValueError:
        body = None
    guid = body.get("guid") if isinstance(body, dict) else None
    indexer_id = body.get("indexerId") if isinstance(body, dict) else None
    if not isinstance(guid, str) or not guid or not isinstance(indexer_id, int) or indexer_id < 1:
        _record(request, 400, in_url)
        errors = [{"propertyName": "Guid", "errorMessage": "'Guid' must not be empty."}]
        return web.json_response(errors, status=400)
    status, payload = sim.grab(guid, indexer_id)
    _record(request, status, in_url)
    return web.json_response(payload, status=status)


async def _status(request: web.Request) -> web.Response:
    ok, in_url = _authorised(request)
    if not ok:
        return _denied(request, in_url)
    _record(request, 200, in_url)
    return web.json_response(
        {"appName": "Prowlarr", "instanceName": "Prowlarr", "version": VERSION,
         "isDebug": False, "isProduction": True, "authentication": "forms",
         "branch": "master", "urlBase": ""}
    )  # fmt: skip


def _listing(rows: Callable[[ProwlarrSimulator], list[dict[str, Any]]]) -> Handler:
    """A GET of one of Prowlarr's provider lists (indexers, download clients)."""

    async def handle(request: web.Request) -> web.Response:
        ok, in_url = _authorised(request)
        if not ok:
            return _denied(request, in_url)
        _record(request, 200, in_url)
        return web.json_response(rows(request.app[SIM]))

    return handle


_indexers = _listing(
    lambda sim: [
        {"id": i.id, "name": i.name, "enable": i.enable, "protocol": i.protocol,
         "priority": 25, "appProfileId": 1, "implementation": "Cardigann", "fields": []}
        for i in sim.indexers
    ]
)  # fmt: skip
_download_clients = _listing(
    lambda sim: [
        {"id": c.id, "name": c.name, "enable": c.enable, "protocol": c.protocol,
         "priority": 1, "implementation": c.name, "fields": []}
        for c in sim.download_clients
    ]
)  # fmt: skip


__all__ = ["API_KEY", "ProwlarrSimulator", "SimCall", "SimDownloadClient", "SimIndexer",
           "SimRelease"]  # fmt: skip
