"""GET /api/roms: filtering, ordering, paging and the envelope, as each version shaped it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from aiohttp import web

from .auth import Principal
from .library import ORDER_KEYS, Library
from .models import Rom
from .search import search
from .serialize_roms import simple_rom_json
from .webutil import query_bool, query_datetime, query_int, query_int_list, query_opt_int


def _meta_field(name: str) -> Callable[[Rom], tuple[str, ...]]:
    def get(rom: Rom) -> tuple[str, ...]:
        return getattr(rom.meta, name) if rom.meta else ()

    return get


def _player_counts(rom: Rom) -> tuple[str, ...]:
    return (rom.meta.player_count if rom.meta else "1",)


_META_FILTERS: dict[str, Callable[[Rom], tuple[str, ...]]] = {
    **{
        key: _meta_field(key)
        for key in ("genres", "franchises", "collections", "companies", "game_modes", "age_ratings")
    },
    "player_counts": _player_counts,
    "regions": lambda r: r.regions,
    "languages": lambda r: r.languages,
    "tags": lambda r: r.tags,
}
FILTER_KEYS = (*_META_FILTERS, "platforms")


def visible_roms(lib: Library, principal: Principal | None, roms: Sequence[Rom]) -> list[Rom]:
    hidden = lib.hidden_platform_ids()
    if not hidden or (principal is not None and principal.is_admin):
        return list(roms)
    return [r for r in roms if r.platform_id not in hidden]


def filter_values(lib: Library, roms: Sequence[Rom]) -> dict[str, list[Any]]:
    """The `filter_values` of a result: every genre, region, ... platform id present."""
    # ROMs share their metadata tuples, so collect the tuples first and unpack them once.
    groups: dict[str, set[tuple[str, ...]]] = {key: set() for key in _META_FILTERS}
    genres, franchises, collections = groups["genres"], groups["franchises"], groups["collections"]
    companies, modes, ages = groups["companies"], groups["game_modes"], groups["age_ratings"]
    regions, languages, tags = groups["regions"], groups["languages"], groups["tags"]
    players: set[str] = set()
    platforms: set[int] = set()
    for rom in roms:
        meta = rom.meta
        if meta is not None:
            genres.add(meta.genres)
            franchises.add(meta.franchises)
            collections.add(meta.collections)
            companies.add(meta.companies)
            modes.add(meta.game_modes)
            ages.add(meta.age_ratings)
            players.add(meta.player_count)
        else:
            players.add("1")
        regions.add(rom.regions)
        languages.add(rom.languages)
        tags.add(rom.tags)
        platforms.add(rom.platform_id)
    values: dict[str, list[Any]] = {
        key: sorted({v for group in found for v in group}) for key, found in groups.items()
    }
    values["player_counts"] = sorted(players)
    values["platforms"] = sorted(platforms)
    return {key: values[key] for key in FILTER_KEYS}


def empty_filter_values() -> dict[str, list[Any]]:
    return {key: [] for key in FILTER_KEYS}


def _char_index(roms: Sequence[Rom], name_ordered: bool) -> dict[str, int]:
    """First position of each initial in the result sorted by name."""
    ordered = roms if name_ordered else sorted(roms, key=lambda r: r.sort_key)
    index: dict[str, int] = {}
    previous = ""
    for position, rom in enumerate(ordered):
        first = rom.sort_key[:1]
        if first == previous:
            continue
        previous = first
        index.setdefault(first if first.isascii() and first.isalpha() else "#", position)
    return index


def _cached_char_index(
    lib: Library,
    principal: Principal,
    roms: Sequence[Rom],
    filtered: bool,
    *,
    name_ordered: bool,
) -> dict[str, int]:
    if filtered:
        return _char_index(roms, name_ordered)
    key = ("char_index", principal.is_admin)
    found = lib.cache.get(key)
    if found is None:
        everything = visible_roms(lib, principal, lib.ordered("name"))
        found = lib.cache[key] = _char_index(everything, True)
    return dict(found)


def _select(
    request: web.Request, lib: Library, principal: Principal, order_by: str
) -> tuple[list[Rom], bool]:
    """The matching ROMs in ascending `order_by` order, and whether any filter applied."""
    pers = lib.personality
    term = request.query.get("search_term", "")
    ordered = lib.ordered(order_by)
    roms = search(lib, ordered, term, order_by=order_by) if term.strip() else ordered
    filtered = roms is not ordered
    roms = visible_roms(lib, principal, roms)
    if pers.platform_ids_param:
        platform_ids = set(query_int_list(request, "platform_ids"))
    else:
        single = query_opt_int(request, "platform_id")
        platform_ids = {single} if single is not None else set()
    if platform_ids:
        roms = [r for r in roms if r.platform_id in platform_ids]
    matched = query_bool(request, "matched")
    if matched is not None:
        roms = [r for r in roms if r.is_identified == matched]
    if query_bool(request, "missing"):
        roms = []  # nothing is missing from the simulated disk
    updated_after = query_datetime(request, "updated_after")
    if updated_after is not None:
        cutoff = updated_after.timestamp()
        roms = [r for r in roms if r.updated_at > cutoff]
    filtered = filtered or bool(platform_ids) or matched is not None or updated_after is not None
    for key, getter in _META_FILTERS.items():
        wanted = set(request.query.getall(key, []))
        if not wanted:
            continue
        filtered = True
        logic = request.query.get(f"{key}_logic", "any")
        if logic == "all":
            roms = [r for r in roms if wanted.issubset(getter(r))]
        elif logic == "none":
            roms = [r for r in roms if not wanted.intersection(getter(r))]
        else:
            roms = [r for r in roms if wanted.intersection(getter(r))]
    return roms, filtered


def cached_filter_values(lib: Library, principal: Principal | None) -> dict[str, list[Any]]:
    """filter_values of everything this caller can see (cached until the library changes)."""
    key = ("filter_values", principal is not None and principal.is_admin)
    found = lib.cache.get(key)
    if found is None:
        found = lib.cache[key] = filter_values(lib, visible_roms(lib, principal, lib.ordered("id")))
    return dict(found)


def list_roms(request: web.Request, lib: Library, principal: Principal) -> Any:
    pers = lib.personality
    limit = query_int(request, "limit", 50, ge=1, le=10000)
    offset = query_int(request, "offset", 0, ge=0)
    order_by = request.query.get("order_by") or "name"
    if order_by not in ORDER_KEYS:
        order_by = "name"
    descending = (request.query.get("order_dir") or "asc").lower() == "desc"
    with_files = bool(query_bool(request, "with_files"))
    roms, filtered = _select(request, lib, principal, order_by)
    if descending:
        roms = roms[::-1]
    page = roms[offset : offset + limit]
    items = [simple_rom_json(lib, r, with_files=with_files) for r in page]
    if not pers.paged_envelope:
        return items

    def flag(name: str, supported: bool) -> bool:
        value = query_bool(request, name) if supported else None
        return True if value is None else value

    envelope: dict[str, Any] = {
        "items": items,
        "total": len(roms) if flag("with_total", pers.with_total_flag) else None,
        "limit": limit,
        "offset": offset,
        "char_index": (
            _cached_char_index(
                lib, principal, roms, filtered, name_ordered=order_by == "name" and not descending
            )
            if flag("with_char_index", pers.rom_id_index)
            else {}
        ),
    }
    if pers.rom_id_index:
        envelope["rom_id_index"] = (
            [r.id for r in roms] if flag("with_rom_id_index", pers.with_rom_id_index_flag) else []
        )
    if pers.filter_values:
        if not flag("with_filter_values", pers.filter_values):
            envelope["filter_values"] = empty_filter_values()
        elif filtered:
            envelope["filter_values"] = filter_values(lib, roms)
        else:
            envelope["filter_values"] = cached_filter_values(lib, principal)
    return envelope
