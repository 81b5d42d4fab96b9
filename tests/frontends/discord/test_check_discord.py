"""`romm-comm check`'s Discord section, against the fake Discord over real HTTP."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlparse

import discord
from pydantic import SecretStr

from romm_comm.cli.check import run_check
from romm_comm.frontends.discord.startup import INVITE_PERMISSIONS
from romm_comm.testing.prowlarr_sim import ProwlarrSimulator
from tests.conftest import settings_for
from tests.frontends.discord.conftest import Harness

MANAGE_ROLES = 1 << 28


async def check_text(harness: Harness, **extra: object) -> tuple[int, str]:
    values = harness.settings_values(**extra)
    values.pop("discord_gateway_url")  # check never opens the gateway
    out = io.StringIO()
    code = await run_check(settings_for(harness.sim, harness.data_dir, **values), out)
    assert "\nDiscord\n" in out.getvalue(), out.getvalue()
    return code, out.getvalue().split("\nDiscord\n", 1)[1]


async def test_a_good_setup_is_confirmed_with_a_ready_invite_url(harness: Harness) -> None:
    fd = harness.fd
    code, text = await check_text(harness)
    assert f"✓ DISCORD_TOKEN works: signed in as {fd.bot.name}" in text
    assert "✓ the Server Members intent is enabled" in text
    assert f"✓ the bot is in the server {fd.guild.name}" in text
    assert "✓ it has every permission it needs" in text
    assert "Manage Roles" in text
    (url,) = [w for w in text.split() if w.startswith("https://discord.com/oauth2/authorize")]
    query = parse_qs(urlparse(url).query)
    assert query["permissions"] == [str(INVITE_PERMISSIONS.value)]
    assert query["client_id"] == [str(fd.application_id)]
    assert set(query["scope"][0].split()) == {"bot", "applications.commands"}
    assert fd.token not in text
    assert code == 0, text


async def test_what_is_wrong_is_said_one_line_each(harness: Harness) -> None:
    fd = harness.fd
    fd.privileged_intents = 0
    role = fd.role_named(fd.bot.name)
    role.permissions &= ~MANAGE_ROLES
    _code, text = await check_text(harness)
    assert "! the Server Members intent is disabled" in text
    assert f"! in {fd.guild.name} the bot lacks Manage Roles" in text

    _code, outside = await check_text(harness, discord_guild_id=123456789012345678)
    assert "✗ the bot is not in the server DISCORD_GUILD_ID=123456789012345678" in outside

    code, bad = await check_text(harness, discord_token=SecretStr("not-the-token"))
    assert "✗ DISCORD_TOKEN was refused by Discord" in bad and "not-the-token" not in bad
    assert code == 1


def test_the_readme_names_every_permission_the_invite_asks_for() -> None:
    from pathlib import Path

    from romm_comm.frontends.discord.check import permission_names

    readme = (Path(__file__).parents[3] / "README.md").read_text(encoding="utf-8")
    section = " ".join(readme.split("## Discord", 1)[1].split("\n## ", 1)[0].split())
    for name in permission_names():
        assert name in section, name
    assert isinstance(INVITE_PERMISSIONS, discord.Permissions)


async def test_every_section_is_shown_when_romm_is_unreachable(harness: Harness) -> None:
    url = harness.sim.url
    await harness.sim.stop()  # RomM on a closed port
    async with ProwlarrSimulator() as prowlarr:
        values = harness.settings_values(
            discord_token=SecretStr("not-the-token"),
            prowlarr_url=prowlarr.url,
            prowlarr_api_key=SecretStr(prowlarr.api_key),
        )
        values.pop("discord_gateway_url")
        out = io.StringIO()
        code = await run_check(settings_for(harness.sim, harness.data_dir, **values), out)
    text = out.getvalue()
    assert code == 1
    assert f"✗ ROMM_URL {url} is not reachable" in text
    prowlarr_section = text.split("\nProwlarr\n", 1)[1].split("\n\n", 1)[0]
    assert f"✓ reachable at {prowlarr.url}" in prowlarr_section, text
    discord_section = text.split("\nDiscord\n", 1)[1].split("\n\n", 1)[0]
    assert "✗ DISCORD_TOKEN was refused by Discord" in discord_section, text
    assert "\nSlack\n" in text, text
