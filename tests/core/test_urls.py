"""Every URL the bot hands out is well formed: what RomM returns is encoded once, never twice."""

from __future__ import annotations

import pytest

from romm_comm.common.urls import well_formed
from romm_comm.romm.links import Links
from romm_comm.romm.models import Rom

COVER = "/assets/romm/resources/roms/3/9/cover/big.png?ts=2026-12-03 12:58:17"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "https://r.example/roms/3/9/cover/small.png?ts=2026-12-03 12:58:17",
            "https://r.example/roms/3/9/cover/small.png?ts=2026-12-03%2012:58:17",
        ),
        (
            "https://r.example/a.png?ts=2026-12-03 12:58:17+00:00",
            "https://r.example/a.png?ts=2026-12-03%2012:58:17+00:00",
        ),
        ("https://r.example/a%20b/c d.zip", "https://r.example/a%20b/c%20d.zip"),
        (
            "https://r.example/brace {Europe} [!].gba",
            "https://r.example/brace%20%7BEurope%7D%20%5B!%5D.gba",
        ),
        ("https://r.example/100%.png", "https://r.example/100%25.png"),
        ("https://r.example/Pokémon.gba", "https://r.example/Pok%C3%A9mon.gba"),
    ],
)
def test_well_formed_encodes_what_a_url_may_not_hold(raw: str, expected: str) -> None:
    assert well_formed(raw) == expected
    assert well_formed(expected) == expected  # never encoded twice


def test_covers_from_either_romm_generation_become_well_formed_urls() -> None:
    links = Links("https://romm.example.org/")
    new = Rom.model_validate(
        {"id": 9, "fs_name": "x.z64", "platform_id": 3, "path_cover_large": COVER}
    )
    old = Rom.model_validate(
        {"id": 9, "fs_name": "x.z64", "platform_id": 3, "path_cover_l": COVER + "+00:00"}
    )
    assert links.cover(new) == (
        "https://romm.example.org/assets/romm/resources/roms/3/9/cover/big.png?ts=2026-12-03%2012:58:17"
    )
    assert links.cover(old) == (
        "https://romm.example.org/assets/romm/resources/roms/3/9/cover/big.png"
        "?ts=2026-12-03%2012:58:17+00:00"
    )
    remote = Rom.model_validate(
        {"id": 1, "fs_name": "x", "platform_id": 1, "url_cover": "https://cdn.example/a b.jpg"}
    )
    assert links.cover(remote) == "https://cdn.example/a%20b.jpg"
