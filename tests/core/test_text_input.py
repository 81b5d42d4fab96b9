"""Text commands in another front end's prefix: mentions rewritten, prefixes recognised."""

from __future__ import annotations

from typing import Any

from romm_comm.app.root import App, build_registry
from romm_comm.core.cards import Link, Reply
from romm_comm.core.commands import Caller, CommandGroup, Registry
from romm_comm.core.text_input import command_mentions, strip_prefix
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
    for name in ("link", "my_account", "accounts", "sync_users"):
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
