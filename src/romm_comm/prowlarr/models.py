"""What the bot reads of Prowlarr's API v1 resources (field names as Prowlarr sends them)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Resource(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="ignore", frozen=True)


class Category(_Resource):
    id: int
    name: str = ""


class Release(_Resource):
    """One search result (Prowlarr's ReleaseResource). `downloadUrl`/`magnetUrl` are Prowlarr
    proxy links that carry its API key: kept out of this model on purpose."""

    guid: str
    indexer_id: int = Field(alias="indexerId")
    indexer: str = ""
    title: str
    size: int = 0
    age: int = 0  # days
    publish_date: datetime | None = Field(None, alias="publishDate")
    seeders: int | None = None
    leechers: int | None = None
    grabs: int | None = None
    protocol: Literal["torrent", "usenet", "unknown"] = "unknown"
    categories: tuple[Category, ...] = ()
    info_url: str | None = Field(None, alias="infoUrl")

    @property
    def category_ids(self) -> tuple[int, ...]:
        return tuple(c.id for c in self.categories)


class Indexer(_Resource):
    id: int
    name: str = ""
    enable: bool = False
    protocol: str = "unknown"


class DownloadClient(_Resource):
    id: int
    name: str = ""
    enable: bool = False
    protocol: str = "unknown"


class SystemStatus(_Resource):
    app_name: str = Field("", alias="appName")
    version: str = ""
