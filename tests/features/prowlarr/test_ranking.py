"""The ranking on its own: the matcher's number rule, platform names in release titles, and
which categories a platform is searched in."""

from __future__ import annotations

from romm_comm.features.prowlarr.platform_names import PlatformNames
from romm_comm.features.prowlarr.ranking import game_numbers, rank
from romm_comm.features.prowlarr.service import categories_for
from romm_comm.prowlarr.models import Release
from romm_comm.romm.models import Platform

PLATFORMS = [
    Platform(id=1, slug="psx", fs_slug="psx", name="PlayStation"),
    Platform(id=2, slug="ps2", fs_slug="ps2", name="PlayStation 2"),
    Platform(id=3, slug="n64", fs_slug="n64", name="Nintendo 64"),
    Platform(id=4, slug="nds", fs_slug="nds", name="Nintendo DS"),
    Platform(id=5, slug="win", fs_slug="win", name="PC (Microsoft Windows)"),
    Platform(
        id=6, slug="genesis-slash-megadrive", fs_slug="genesis", name="Sega Mega Drive/Genesis"
    ),
]
NAMES = PlatformNames.of(PLATFORMS)


def titles(game: str, platform: str, *found: str) -> list[str]:
    releases = [
        Release(guid=str(n), indexerId=1, title=t, seeders=len(found) - n)
        for n, t in enumerate(found)
    ]
    return [r.release.title for r in rank(game, platform, releases, NAMES).ranked]


def test_vii_never_takes_viii_nor_the_bare_name() -> None:
    assert titles(
        "Final Fantasy VII", "psx",
        "Final Fantasy VIII [PSX]", "Final Fantasy [PSX]", "Final Fantasy 7 [PSX]",
    ) == ["Final Fantasy 7 [PSX]"]  # fmt: skip
    assert titles("Final Fantasy VIII", "psx", "Final Fantasy VII (USA)") == []


def test_disc_and_version_numbers_and_years_are_not_the_games_number() -> None:
    assert game_numbers(["final", "fantasy", "7", "disc", "2"]) == {"7"}
    assert game_numbers(["zelda", "v1", "1", "1998"]) == set()


def test_a_title_naming_another_platform_is_dropped() -> None:
    assert titles(
        "Super Mario 64", "n64",
        "Super Mario 64 (Nintendo 64)", "Super.Mario.64.DS.USA.NDS-XPA", "Super Mario 64 [N64]",
    ) == ["Super Mario 64 (Nintendo 64)", "Super Mario 64 [N64]"]  # fmt: skip
    # PlayStation 2 is not PlayStation: the longer name wins
    assert titles("Tekken 3", "psx", "Tekken 3 PlayStation 2 Remaster", "Tekken 3 PS1") == [
        "Tekken 3 PS1"
    ]
    # the game's own words are no platform: "Sonic Genesis" on the Mega Drive is kept
    assert titles("Sonic Genesis", "genesis-slash-megadrive", "Sonic Genesis (USA)") == [
        "Sonic Genesis (USA)"
    ]


def test_pc_platforms_search_the_pc_category() -> None:
    assert categories_for("win") == (4000,) and categories_for("psx") == (1000,)
    assert titles("Final Fantasy VII", "win", "Final Fantasy VII (PC) [GOG]", "FF VII PSX") == [
        "Final Fantasy VII (PC) [GOG]"
    ]
