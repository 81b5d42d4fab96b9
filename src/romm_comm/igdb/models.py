"""Typed views of IGDB v4 answers (only the fields the bot asks for)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

IMAGE_BASE = "https://images.igdb.com/igdb/image/upload"


def image_url(image_id: str, size: str = "t_cover_big") -> str:
    return f"{IMAGE_BASE}/{size}/{image_id}.jpg"


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class IgdbPlatform(_Model):
    id: int
    name: str = ""
    abbreviation: str | None = None
    slug: str | None = None

    @property
    def label(self) -> str:
        return self.abbreviation or self.name or str(self.id)


class IgdbCover(_Model):
    id: int | None = None
    image_id: str


class IgdbGame(_Model):
    id: int
    name: str
    slug: str | None = None
    summary: str | None = None
    first_release_date: int | None = None  # epoch seconds
    cover: IgdbCover | None = None
    platforms: list[IgdbPlatform] = Field(default_factory=list)
    total_rating: float | None = None
    url: str | None = None

    @field_validator("platforms", mode="before")
    @classmethod
    def _platform_refs(cls, value: Any) -> Any:
        # Unexpanded references are bare ids.
        if isinstance(value, list):
            return [{"id": v} if isinstance(v, int) else v for v in value]
        return value

    @field_validator("cover", mode="before")
    @classmethod
    def _cover_ref(cls, value: Any) -> Any:
        return None if isinstance(value, int) else value

    @property
    def released(self) -> datetime | None:
        if self.first_release_date is None:
            return None
        return datetime.fromtimestamp(self.first_release_date, tz=UTC)

    @property
    def year(self) -> int | None:
        released = self.released
        return released.year if released else None

    @property
    def cover_url(self) -> str | None:
        return image_url(self.cover.image_id) if self.cover else None

    @property
    def page_url(self) -> str | None:
        if self.url:
            return self.url
        return f"https://www.igdb.com/games/{self.slug}" if self.slug else None

    def platform_labels(self) -> list[str]:
        return [p.name or p.label for p in self.platforms]
