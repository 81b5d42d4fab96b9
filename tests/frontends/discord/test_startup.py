"""Start-up tells the admin what is wrong, one line each, and starts whatever it can."""

from __future__ import annotations

import asyncio

from pydantic import SecretStr

from tests.fakes.discord import FakeDiscord
from tests.frontends.discord.conftest import Harness, final

MANAGE_CHANNELS = 1 << 4
MANAGE_EXPRESSIONS = 1 << 30


def one_line_each(lines: list[str]) -> None:
    assert lines and all("\n" not in line and len(line) < 400 for line in lines)


async def stats_work(fd: FakeDiscord) -> None:
    message = await final(await fd.slash(fd.owner.id, "stats"))
    assert message.embeds[0]["title"] == "Library statistics"


async def test_a_disabled_members_intent_is_reported_and_the_bot_runs_without_it(
    harness: Harness,
) -> None:
    fd = harness.fd
    fd.privileged_intents = 0  # the portal's Server Members switch is off: 4014
    run = await harness.start()
    diagnostics = run.runner.diagnostics
    assert diagnostics.codes == {"members_intent"}
    (line,) = diagnostics.lines()
    assert "Server Members intent is disabled" in line and "member features" in line
    assert not run.bot.intents.members
    await stats_work(fd)


async def test_an_invalid_token_ends_the_front_end_with_one_line(harness: Harness) -> None:
    run = await harness.start(wait=False, discord_token=SecretStr("not-the-token"))
    code = await asyncio.wait_for(run.task, 5)
    assert code == 2
    (line,) = run.runner.diagnostics.lines()
    assert line.startswith("Discord rejected DISCORD_TOKEN: the token is invalid")
    assert "not-the-token" not in line
    assert harness.fd.gateway.identify_count == 0


async def test_a_bot_outside_the_guild_says_so_with_an_invite_link(harness: Harness) -> None:
    fd = harness.fd
    run = await harness.start(discord_guild_id=123456789012345678)
    diagnostics = run.runner.diagnostics
    assert diagnostics.codes == {"guild_missing"}
    (line,) = diagnostics.lines()
    assert "not in the server DISCORD_GUILD_ID=123456789012345678" in line
    assert f"client_id={fd.application_id}" in line and "applications.commands" in line
    assert run.bot.stats_channels is None
    assert fd.presence is not None  # the rest still runs


async def test_missing_permissions_are_reported_and_stats_channels_stay_off(
    harness: Harness,
) -> None:
    fd = harness.fd
    role = fd.role_named(fd.bot.name)
    role.permissions &= ~(MANAGE_CHANNELS | MANAGE_EXPRESSIONS)
    log = fd.add_text_channel("romm-log")
    run = await harness.start(log_channel_id=log.id, emoji_mode="guild")
    diagnostics = run.runner.diagnostics
    assert diagnostics.codes == {"manage_channels", "manage_emojis"}
    one_line_each(diagnostics.lines())
    assert any("lacks Manage Channels" in line for line in diagnostics.lines())
    assert fd.calls("POST", f"/guilds/{fd.guild.id}/channels") == []
    (notice,) = fd.messages(log.id)  # the admins are told in the log channel too
    assert notice.content.startswith("RomM-ComM started with problems:")
    assert "Manage Emojis" in notice.content
    await stats_work(fd)


async def test_application_emojis_need_no_manage_emojis_permission(harness: Harness) -> None:
    fd = harness.fd
    role = fd.role_named(fd.bot.name)
    role.permissions &= ~MANAGE_EXPRESSIONS
    run = await harness.start(emoji_mode="application")
    assert "manage_emojis" not in run.runner.diagnostics.codes
    assert not any("Manage Emojis" in line for line in run.runner.diagnostics.lines())


async def test_unreachable_romm_at_start_is_reported_and_commands_say_so(
    harness: Harness,
) -> None:
    fd = harness.fd
    await harness.sim.stop()
    run = await harness.start()
    diagnostics = run.runner.diagnostics
    assert diagnostics.codes == {"romm"}
    (line,) = diagnostics.lines()
    assert f"RomM at {harness.sim.url} is not usable" in line
    assert fd.presence is not None and fd.presence["status"] == "dnd"
    rec = await fd.slash(fd.owner.id, "platforms")
    message = await final(rec)
    assert message.ephemeral and message.content == "RomM is not answering; try again in a minute."
