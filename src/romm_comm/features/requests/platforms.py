"""Which platform a request is for: one in the library, or one RomM supports that the
library does not have yet (it can still be requested)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from ...romm.client import RommClient
from ...romm.errors import RommError
from ...romm.models import Platform
from ..library.catalog import Catalog, UnknownPlatform, fold

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RequestPlatform:
    key: str  # RomM's platform slug: what requests are matched on
    name: str  # display name
    in_library: bool
    igdb_id: int | None
    platform_id: int | None = None

    @classmethod
    def of(cls, platform: Platform, *, in_library: bool) -> RequestPlatform:
        return cls(
            key=platform.slug,
            name=platform.display_name,
            in_library=in_library,
            igdb_id=platform.igdb_id,
            platform_id=platform.id if in_library else None,
        )


async def _supported(catalog: Catalog, client: RommClient, *, admin: bool) -> list[Platform]:
    """What RomM supports, less (for members) the library's platforms hidden from them."""
    try:
        supported = await client.supported_platforms()
    except RommError as exc:  # older RomM, or RomM down: only the library's platforms
        log.info("supported platforms unavailable: %s", type(exc).__name__)
        return []
    if admin or not catalog.hidden:
        return supported
    hidden = {p.slug for p in catalog.platforms if p.id in catalog.hidden}
    return [p for p in supported if p.slug not in hidden]


async def resolve(
    catalog: Catalog, client: RommClient, query: str, *, admin: bool
) -> RequestPlatform:
    try:
        platform = await catalog.resolve_platform(query, admin=admin)
        return RequestPlatform.of(platform, in_library=True)
    except UnknownPlatform as missing:
        library_error = missing
    key = fold(query)
    supported = await _supported(catalog, client, admin=admin)
    exact = [
        p
        for p in supported
        if key in {fold(p.name), fold(p.display_name), p.slug.lower(), p.fs_slug.lower()}
    ]
    if exact:
        return RequestPlatform.of(exact[0], in_library=False)
    starts = [p for p in supported if fold(p.display_name).startswith(key)]
    if len(starts) == 1:
        return RequestPlatform.of(starts[0], in_library=False)
    contains = [p for p in supported if key in fold(p.display_name)]
    if not starts and len(contains) == 1:
        return RequestPlatform.of(contains[0], in_library=False)
    suggestions = library_error.suggestions or (starts or contains)[:5]
    raise UnknownPlatform(query, suggestions)


async def by_key(
    catalog: Catalog, client: RommClient, key: str, *, admin: bool
) -> RequestPlatform | None:
    for p in await catalog.ensure_platforms(admin=admin):
        if p.slug == key:
            return RequestPlatform.of(p, in_library=True)
    for p in await _supported(catalog, client, admin=admin):
        if p.slug == key:
            return RequestPlatform.of(p, in_library=False)
    return None


async def for_igdb_platforms(
    catalog: Catalog, client: RommClient, igdb_ids: Iterable[int], *, admin: bool
) -> list[RequestPlatform]:
    """RomM's platforms for IGDB platform ids, those in the library first."""
    wanted = set(igdb_ids)
    found: dict[str, RequestPlatform] = {}
    for p in await catalog.ensure_platforms(admin=admin):
        if p.igdb_id in wanted:
            found.setdefault(p.slug, RequestPlatform.of(p, in_library=True))
    for p in await _supported(catalog, client, admin=admin):
        if p.igdb_id in wanted:
            found.setdefault(p.slug, RequestPlatform.of(p, in_library=False))
    return sorted(found.values(), key=lambda rp: (not rp.in_library, rp.name))
