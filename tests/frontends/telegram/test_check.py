"""`romm-comm check`'s Telegram section, against the fake Bot API over real HTTP."""

from __future__ import annotations

import io

from pydantic import SecretStr

from romm_comm.cli.check import run_check
from tests.conftest import settings_for
from tests.frontends.telegram.conftest import GROUP, Harness


async def check_text(harness: Harness, **extra: object) -> str:
    out = io.StringIO()
    await run_check(
        settings_for(harness.sim, harness.data_dir, **harness.settings_values(**extra)), out
    )
    assert "\nTelegram\n" in out.getvalue(), out.getvalue()
    return out.getvalue().split("\nTelegram\n", 1)[1]


async def test_a_good_setup_is_confirmed(harness: Harness) -> None:
    text = await check_text(harness)
    assert "✓ TELEGRAM_BOT_TOKEN works: the bot is @RommTestBot" in text
    assert "✓ privacy mode is on" in text
    assert f"✓ the bot is in Retro club ({GROUP})" in text


async def test_what_is_wrong_is_said_one_line_each(harness: Harness) -> None:
    tg = harness.tg
    tg.can_read_all_group_messages = True
    tg.groups[GROUP].bot_status = "left"
    text = await check_text(harness, telegram_chat_ids=[GROUP, -100777])
    assert "privacy mode is off" in text
    assert "the bot is not in Retro club: add it again" in text
    assert "the bot is not in the chat -100777: add it to that group" in text
    assert harness.tg.rejections == []
    bad = await check_text(harness, telegram_bot_token=SecretStr("123:wrong"))
    assert "✗ TELEGRAM_BOT_TOKEN was refused by Telegram" in bad
    assert "123:wrong" not in bad
