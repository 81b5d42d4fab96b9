"""Text commands in another front end's prefix: mentions rewritten, prefixes recognised."""

from __future__ import annotations

import json
from typing import Any

from romm_comm.app.root import App, build_registry
from romm_comm.core.cards import Button, Choice, Link, Picker, Reply
from romm_comm.core.commands import Caller, CommandGroup, Registry
from romm_comm.core.text_input import (
    Pending,
    command_mentions,
    is_button_press,
    pending_from_json,
    pending_to_json,
    strip_prefix,
)
from romm_comm.features.context import Context

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


async def test_account_replies_are_for_the_asker_only(app: App) -> None:
    """Account details are personal (sent to a direct conversation where a chat has no
    ephemeral replies), whatever the handler returned; an error is not."""
    for name in ("link", "my_account", "accounts", "sync_users", "my_requests", "my_reports"):
        assert REGISTRY.commands[name].personal, name
    group = CommandGroup("test")

    @group.command("mine", "about me", personal=True)
    async def mine(ctx: Context, args: dict[str, Any]) -> Reply:
        return Reply.notice("your account: ok") if not args else Reply.error("no")

    @group.action("me", personal=True)
    async def me(ctx: Context, args: list[str], values: list[str]) -> Reply:
        return Reply.notice("your invite")

    registry = Registry()
    registry.include(group)
    ctx = Context(Caller("1", "member", "test"), app.services)
    reply = await registry.run(ctx, "mine", {})
    assert reply.personal and reply.private and reply.for_asker_only
    assert (await registry.act(ctx, "me:1")).for_asker_only
    stats = await app.registry.run(ctx, "stats", {})
    assert not stats.personal and not stats.for_asker_only
    link = Reply(links=(Link("Download", "https://bot.example.org/dl/x"),))
    assert link.for_asker_only, "a download link is for the asker whatever the flag says"


def test_a_pending_survives_the_store_as_json() -> None:
    picker = Picker(
        "files:1", "Files", (Choice("Disc 1", "11", "700 MB"), Choice("Disc 2", "12")), 1, 2
    )
    pending = Pending(picker, (Button("Next ▶", "page:2"),))
    stored = json.loads(json.dumps(pending_to_json(pending)))
    back = pending_from_json(stored)
    assert back.picker == Picker(picker.action, "Files", picker.choices, 1, 2)
    assert back.buttons == (Button("Next ▶", "page:2"),)
    assert pending_from_json(None) == Pending()
    assert pending_from_json({"picker": None, "buttons": []}) == Pending()


def test_button_presses_are_b_and_a_number() -> None:
    assert is_button_press("b1") and is_button_press(" B12 ")
    assert not is_button_press("b") and not is_button_press("bb1") and not is_button_press("1")
