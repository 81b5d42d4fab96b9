"""The Prowlarr client: API v1 with the `X-Api-Key` header.

The key travels only in that header: never in a URL, a log line or an exception. Prowlarr's
own answers can carry it too (its download links are proxy URLs with `apikey=`), so those
fields are not read, and any message quoted from Prowlarr has the key scrubbed out.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any

import aiohttp
from pydantic import BaseModel, SecretStr, ValidationError

from ..common.connection_errors import why_unreachable
from ..common.http_session import LazySession
from .errors import (
    ProwlarrAuthError,
    ProwlarrBadResponse,
    ProwlarrError,
    ProwlarrGrabRejected,
    ProwlarrUnavailable,
)
from .models import DownloadClient, Indexer, Release, SystemStatus

log = logging.getLogger(__name__)

CONSOLE = 1000  # Newznab category "Console" (Prowlarr includes its sub-categories)
PC = 4000  # Newznab category "PC"
SEARCH_LIMIT = 100
REASON_MAX = 200


class ProwlarrClient:
    def __init__(self, url: str, api_key: SecretStr, *, timeout: float = 30.0) -> None:
        self.url = url.rstrip("/")
        self._key = api_key
        self._http = LazySession(timeout)
        self.calls: Counter[str] = Counter()  # endpoint → requests sent

    async def close(self) -> None:
        await self._http.close()

    def scrub(self, text: str) -> str:
        """`text` without the API key in it (for anything quoted from Prowlarr)."""
        key = self._key.get_secret_value()
        return text.replace(key, "***") if key else text

    # --- transport ----------------------------------------------------------------------
    async def _call(
        self,
        method: str,
        endpoint: str,
        *,
        params: Sequence[tuple[str, str]] = (),
        body: dict[str, Any] | None = None,
    ) -> tuple[int, Any]:
        headers = {"X-Api-Key": self._key.get_secret_value(), "Accept": "application/json"}
        self.calls[endpoint] += 1
        started = time.perf_counter()
        try:
            async with self._http.get().request(
                method, f"{self.url}/api/v1/{endpoint}", params=list(params), json=body,
                headers=headers,
            ) as resp:  # fmt: skip
                status = resp.status
                text = await resp.text()
        except TimeoutError:
            log.warning("prowlarr %s %s timed out", method, endpoint)
            why = "it did not answer in time"
            raise ProwlarrUnavailable(f"{endpoint} timed out", why=why) from None
        except aiohttp.ClientError as exc:
            why = why_unreachable(exc)
            log.warning("prowlarr %s %s unreachable: %s", method, endpoint, why)
            raise ProwlarrUnavailable(f"{endpoint}: {type(exc).__name__}", why=why) from None
        log.debug(
            "prowlarr %s %s status=%s ms=%.1f",
            method, endpoint, status, (time.perf_counter() - started) * 1000,
        )  # fmt: skip
        if status == 401:
            log.warning("prowlarr refused the API key (401)")
            raise ProwlarrAuthError(f"{endpoint}: 401", status=401)
        try:
            data = json.loads(text) if text.strip() else None
        except ValueError:
            data = None
            if status < 400:
                raise ProwlarrBadResponse(f"{endpoint}: body is not JSON", status=status) from None
        return status, data

    def _reason(self, data: Any) -> str:
        """Prowlarr's error message ({"message": …}), short and without the key."""
        message = data.get("message") if isinstance(data, dict) else None
        if not isinstance(message, str) or not message.strip():
            return ""
        text = self.scrub(" ".join(message.split()))
        return text if len(text) <= REASON_MAX else text[: REASON_MAX - 1] + "…"

    async def _get_list(
        self, endpoint: str, model: type[BaseModel], params: Sequence[tuple[str, str]] = ()
    ) -> list[Any]:
        status, data = await self._call("GET", endpoint, params=params)
        if status >= 400:
            reason = self._reason(data)
            log.warning("prowlarr %s answered %s: %s", endpoint, status, reason)
            if status >= 500:
                raise ProwlarrUnavailable(f"{endpoint}: {status}", status=status)
            raise ProwlarrError(f"{endpoint}: {status} {reason}", status=status)
        if not isinstance(data, list):
            raise ProwlarrBadResponse(f"{endpoint}: expected a list", status=status)
        try:
            return [model.model_validate(item) for item in data if isinstance(item, dict)]
        except ValidationError:
            raise ProwlarrBadResponse(f"{endpoint}: unexpected shape", status=status) from None

    # --- API ----------------------------------------------------------------------------
    async def status(self) -> SystemStatus:
        status, data = await self._call("GET", "system/status")
        if status >= 400 or not isinstance(data, dict):
            raise ProwlarrBadResponse(f"system/status: {status}", status=status)
        return SystemStatus.model_validate(data)

    async def indexers(self) -> list[Indexer]:
        return await self._get_list("indexer", Indexer)

    async def download_clients(self) -> list[DownloadClient]:
        return await self._get_list("downloadclient", DownloadClient)

    async def search(
        self,
        query: str,
        categories: Sequence[int] = (CONSOLE,),
        *,
        indexer_ids: Sequence[int] = (),
        limit: int = SEARCH_LIMIT,
    ) -> list[Release]:
        """GET /api/v1/search?query=…&type=search&categories=…: releases of every indexer."""
        params = [("query", query), ("type", "search"), ("limit", str(limit)), ("offset", "0")]
        params += [("categories", str(c)) for c in categories]
        params += [("indexerIds", str(i)) for i in indexer_ids]
        found: list[Release] = await self._get_list("search", Release, params)
        return found

    async def grab(self, guid: str, indexer_id: int) -> Release | None:
        """POST /api/v1/search {guid, indexerId}: Prowlarr sends the release to its download
        client and answers with the release."""
        status, data = await self._call(
            "POST", "search", body={"guid": guid, "indexerId": indexer_id}
        )
        if status >= 400:
            reason = self._reason(data)
            log.warning("prowlarr refused a grab (status %s): %s", status, reason)
            raise ProwlarrGrabRejected(f"grab: {status} {reason}", status=status, reason=reason)
        if isinstance(data, dict):
            try:
                return Release.model_validate(data)
            except ValidationError:
                return None
        return None
