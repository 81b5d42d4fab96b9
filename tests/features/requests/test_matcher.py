"""The title normal form and look-alike test that decide duplicates and suggestions."""

from __future__ import annotations

import pytest

from romm_comm.features.requests.matcher import clean_title, likeness, title_key


@pytest.mark.parametrize(
    ("requested", "found", "expected"),
    [
        ("Final Fantasy VII", "Final Fantasy VIII", "none"),
        ("Final Fantasy VIII", "Final Fantasy VII (Europe)", "none"),
        ("Final Fantasy", "Final Fantasy VII", "none"),
        ("Final Fantasy VII", "Final Fantasy 7", "exact"),
        ("Street Fighter II", "Street Fighter 2 (USA) [!]", "exact"),
        ("Mega Man X", "Mega Man 10", "none"),
        ("Tom & Jerry", "Tom and Jerry", "exact"),
        ("Pokemon Emerald", "Pokémon Emerald Version", "likely"),
        ("Zelda A Link to the Past", "The Legend of Zelda: A Link to the Past", "likely"),
        ("Chrono Triger", "Chrono Trigger", "likely"),
        ("Chrono Trigger", "Chrono Cross", "none"),
        ("Super Mario 64", "Super Mario Sunshine", "none"),
    ],
)
def test_likeness(requested: str, found: str, expected: str) -> None:
    assert likeness(requested, found) == expected


def test_the_normal_form_ignores_tags_case_accents_and_a_leading_the() -> None:
    assert title_key("The Legend of Zelda: Link's Awakening DX (USA) [v1.1]") == (
        "legend of zelda links awakening dx"
    )
    assert title_key("Pokémon Emerald") == title_key("POKEMON emerald")
    assert title_key("Final Fantasy IX") != title_key("Final Fantasy X")


def test_titles_people_type_are_checked() -> None:
    assert clean_title("  Chrono   Trigger ").text == "Chrono Trigger"
    assert clean_title("???").problem
    assert "too long" in clean_title("x" * 101).problem
    assert clean_title("@here Doom").text.startswith("@\u200bhere")
