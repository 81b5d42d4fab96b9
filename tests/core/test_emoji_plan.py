"""The emoji planner: which platform emojis to delete and upload, within the free slots."""

from __future__ import annotations

from romm_comm.features.emojis.plan import (
    EmojiPlan,
    OwnedEmoji,
    PlatformDemand,
    emoji_name,
    plan_emojis,
    ranked,
)

PLATFORMS = [
    PlatformDemand("n64", 8),
    PlatformDemand("psx", 12),
    PlatformDemand("snes", 9),
    PlatformDemand("gba", 3),
    PlatformDemand("nds", 3),
]


def own(*slugs: str) -> list[OwnedEmoji]:
    return [OwnedEmoji(100 + i, emoji_name(s), s) for i, s in enumerate(slugs)]


def plan(owned: list[OwnedEmoji], **kw: object) -> EmojiPlan:
    kw.setdefault("existing_ids", {e.id for e in owned})
    kw.setdefault("others", 0)
    kw.setdefault("limit", 50)
    return plan_emojis(PLATFORMS, owned, **kw)  # type: ignore[arg-type]


def test_platforms_rank_by_rom_count_then_slug() -> None:
    assert ranked(PLATFORMS) == ["psx", "snes", "n64", "gba", "nds"]
    # on a tie, a platform that has its emoji already stays ahead (no churn)
    assert ranked(PLATFORMS, present={"nds"}) == ["psx", "snes", "n64", "nds", "gba"]


def test_first_sync_fills_the_free_slots_minus_the_reserve_by_rom_count() -> None:
    result = plan([], others=45, limit=50, reserve=2)
    assert result.capacity == 3
    assert result.upload == ("psx", "snes", "n64")
    assert result.skipped == ("gba", "nds")
    assert result.delete == () and result.forget == ()


def test_the_same_state_again_plans_nothing() -> None:
    owned = own("psx", "snes", "n64")
    result = plan(owned, others=45, limit=50, reserve=2)
    assert result.empty and result.keep == tuple(owned)


def test_a_higher_limit_adds_the_next_platforms() -> None:
    result = plan(own("psx", "snes", "n64"), others=45, limit=100, reserve=2)
    assert result.upload == ("gba", "nds") and result.delete == ()


def test_a_lower_limit_removes_only_own_emojis_lowest_priority_first() -> None:
    owned = own("psx", "snes", "n64", "gba", "nds")
    result = plan(owned, others=47, limit=50)
    assert result.capacity == 3
    assert [e.slug for e in result.delete] == ["nds", "gba"]
    assert result.upload == ()


def test_no_room_at_all_never_goes_negative() -> None:
    result = plan(own("psx"), others=60, limit=50, reserve=5)
    assert result.capacity == 0
    assert [e.slug for e in result.delete] == ["psx"] and result.upload == ()


def test_an_emoji_deleted_by_someone_is_forgotten_and_planned_like_any_other() -> None:
    owned = own("psx", "snes")
    gone = plan(owned, existing_ids={owned[0].id}, others=0, limit=50)
    assert [e.slug for e in gone.forget] == ["snes"]
    assert "snes" in gone.upload  # a slot is free: it comes back at this sync
    # a member took the freed slot: not re-uploaded
    full = plan(owned, existing_ids={owned[0].id}, others=49, limit=50)
    assert full.capacity == 1 and full.upload == () and "snes" in full.skipped


def test_platforms_without_icon_or_covered_give_their_place_to_the_next() -> None:
    result = plan([], limit=3, no_icon={"psx"}, covered={"snes"})
    assert result.upload == ("n64", "gba", "nds")
    # an existing emoji stays even if its icon is gone from RomM now
    kept = plan(own("psx"), limit=3, no_icon={"psx"})
    assert kept.delete == () and kept.upload == ("snes", "n64")


def test_emojis_of_platforms_that_left_the_library_and_duplicates_are_deleted() -> None:
    owned = [*own("psx", "snes"), OwnedEmoji(900, "psx", "psx"), OwnedEmoji(901, "ps9", "ps9")]
    result = plan(owned, limit=50)
    assert sorted(e.id for e in result.delete) == [900, 901]


def test_a_bigger_platform_waits_for_a_free_slot_instead_of_swapping() -> None:
    owned = own("snes", "n64", "gba")
    full = plan(owned, limit=3)
    assert full.empty and full.skipped == ("psx", "nds")
    freed = plan(owned, existing_ids={owned[0].id, owned[1].id}, limit=3)  # gba deleted
    assert freed.upload == ("psx",)  # the free slot goes to the biggest platform without one


def test_emoji_names_are_valid_and_stable() -> None:
    assert emoji_name("genesis-slash-megadrive") == "genesis_slash_megadrive"
    assert emoji_name("3ds") == "3ds"
    assert emoji_name("a") == "a_p"
    long = emoji_name("x" * 40)
    assert len(long) == 32 and long == emoji_name("x" * 40)
    assert emoji_name("x" * 40) != emoji_name("x" * 41)
    assert emoji_name("GamePark - GP32") == "gamepark___gp32"
