"""Text commands in another front end's prefix: mentions rewritten, prefixes recognised."""

from __future__ import annotations

from romm_comm.app.root import build_registry
from romm_comm.core.text_input import command_mentions, strip_prefix

REGISTRY = build_registry()


def test_mentions_of_known_commands_take_the_front_ends_prefix() -> None:
    text = "Try /search n64 mario, or /help. Files live in /roms/n64 and /api/search."
    assert command_mentions(text, REGISTRY, "!") == (
        "Try !search n64 mario, or !help. Files live in /roms/n64 and /api/search."
    )
    assert command_mentions("Type /stats", REGISTRY, "/romm ") == "Type /romm stats"
    assert command_mentions("Type /stats", REGISTRY, "/") == "Type /stats"


def test_a_message_is_a_command_only_with_the_prefix() -> None:
    assert strip_prefix("!search n64 mario", "!") == "search n64 mario"
    assert strip_prefix("  ! stats", "!") == "stats"
    assert strip_prefix("hello there", "!") is None
