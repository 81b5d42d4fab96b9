"""Started with the other front ends when its token is set; a refused token ends it alone."""

from __future__ import annotations

import asyncio

from pydantic import SecretStr

from romm_comm.cli.front_ends import configured
from romm_comm.frontends.telegram.runner import EXIT_CONFIG, TelegramRunner
from tests.conftest import create_app, settings_for
from tests.frontends.telegram.conftest import Harness


async def test_configured_when_the_token_is_set(harness: Harness) -> None:
    with_token = settings_for(harness.sim, harness.data_dir, **harness.settings_values())
    assert [f.name for f in configured(with_token)] == ["telegram"]
    both = settings_for(
        harness.sim,
        harness.data_dir,
        **harness.settings_values(discord_token=SecretStr("x.y.z")),
    )
    assert [f.name for f in configured(both)] == ["discord", "telegram"]


async def test_a_refused_token_ends_the_front_end_with_one_line(harness: Harness) -> None:
    values = harness.settings_values(telegram_bot_token=SecretStr("42:refused"))
    app = await create_app(settings_for(harness.sim, harness.data_dir, **values))
    try:
        runner = TelegramRunner(app)
        code = await asyncio.wait_for(runner.run(asyncio.Event()), 10)
    finally:
        await app.close()
    assert code == EXIT_CONFIG
    assert runner.problems == [
        "Telegram rejected TELEGRAM_BOT_TOKEN: ask @BotFather for the bot's token (/token) "
        "and update the setting."
    ]
