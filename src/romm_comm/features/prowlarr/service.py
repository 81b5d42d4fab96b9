"""Search Prowlarr's indexers for a pending request, rank what they find, grab one.

The ranked results of the last search for a request are kept in the store (the pick list
and the "Grab" button name them by position), so a pick still works after a restart, for as
long as Prowlarr itself remembers the search (30 minutes).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ...prowlarr.client import CONSOLE, PC, ProwlarrClient
from ...prowlarr.errors import ProwlarrNoIndexers
from ...prowlarr.models import Release
from ...romm.models import Platform
from ...store.db import Store
from ..requests.models import GameRequest, Outcome, Person
from ..requests.service import RequestService
from .platform_names import PlatformNames
from .ranking import Ranked, rank

log = logging.getLogger(__name__)

SHOWN = 10  # releases in the pick list
PC_PLATFORMS = frozenset({"win", "dos", "win3x", "pc-98", "linux", "mac", "pc"})
RESULTS_KEY = "prowlarr:results:{}"


def categories_for(platform_key: str) -> tuple[int, ...]:
    return (PC,) if platform_key in PC_PLATFORMS else (CONSOLE,)


@dataclass(frozen=True)
class Found:
    request: GameRequest
    ranked: list[Ranked]  # the best first, at most SHOWN
    total: int  # releases Prowlarr answered
    other_platform: int
    other_game: int


@dataclass(frozen=True)
class Grabbed:
    outcome: Outcome
    release: dict[str, Any]


def release_record(release: Release) -> dict[str, Any]:
    """What is kept of a result (never its download link: that one carries the API key)."""
    return {
        "guid": release.guid,
        "indexerId": release.indexer_id,
        "indexer": release.indexer,
        "title": release.title,
        "size": release.size,
        "age": release.age,
        "seeders": release.seeders,
        "leechers": release.leechers,
        "grabs": release.grabs,
        "protocol": release.protocol,
    }


def grab_text(record: dict[str, Any]) -> str:
    return f"{record['title']} — {record['indexer']} ({record['protocol']})"


class ProwlarrService:
    def __init__(self, client: ProwlarrClient, store: Store, requests: RequestService) -> None:
        self.client = client
        self.store = store
        self.requests = requests

    async def search(self, request: GameRequest, known: Sequence[Platform]) -> Found:
        releases = await self.client.search(request.title, categories_for(request.platform_key))
        if not releases and not any(i.enable for i in await self.client.indexers()):
            raise ProwlarrNoIndexers("no enabled indexers")
        ranking = rank(request.title, request.platform_key, releases, PlatformNames.of(known))
        shown = ranking.ranked[:SHOWN]
        await self.store.set_json(
            RESULTS_KEY.format(request.id), [release_record(r.release) for r in shown]
        )
        log.info(
            "prowlarr: request #%d: %d release(s), %d kept (%d other platform, %d other game)",
            request.id, len(releases), len(ranking.ranked), ranking.other_platform,
            ranking.other_game,
        )  # fmt: skip
        return Found(request, shown, len(releases), ranking.other_platform, ranking.other_game)

    async def result(self, request_id: int, index: int) -> dict[str, Any] | None:
        kept = await self.store.get_json(RESULTS_KEY.format(request_id))
        if not isinstance(kept, list) or not 0 <= index < len(kept):
            return None
        record = kept[index]
        return record if isinstance(record, dict) else None

    async def grab(self, request: GameRequest, record: dict[str, Any], actor: Person) -> Grabbed:
        """Send the release to Prowlarr's download client, then record it on the request and
        tell the people waiting that it is on its way."""
        await self.client.grab(str(record["guid"]), int(record["indexerId"]))
        outcome = await self.requests.on_its_way(request.id, actor, grab_text(record))
        return Grabbed(outcome, record)
