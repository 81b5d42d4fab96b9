"""`romm-comm check`'s Slack section, against FakeSlack over real HTTP."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from romm_comm.cli.check import run_check
from romm_comm.testing.romm_sim import RommSimulator
from tests.conftest import settings_for
from tests.fakes.slack.server import APP_TOKEN, BOT_TOKEN, FakeSlack


async def check_text(sim: RommSimulator, data_dir: Path, fake: FakeSlack, **extra: Any) -> str:
    values: dict[str, Any] = {
        "slack_bot_token": SecretStr(BOT_TOKEN),
        "slack_app_token": SecretStr(APP_TOKEN),
        "slack_api_url": fake.api_url,
    }
    values.update(extra)
    out = io.StringIO()
    await run_check(settings_for(sim, data_dir, **values), out)
    text = out.getvalue()
    assert BOT_TOKEN not in text and APP_TOKEN not in text
    return text.split("\nSlack\n", 1)[1]


async def test_a_good_setup_is_confirmed(sim: RommSimulator, tmp_path: Path) -> None:
    async with FakeSlack() as fake:
        text = await check_text(sim, tmp_path, fake, slack_channel_ids=["CGENERAL"])
    assert "✓ SLACK_BOT_TOKEN works: signed in as romm in Fake" in text
    assert "✓ SLACK_APP_TOKEN opens Socket Mode" in text
    assert "✓ the app is in #general" in text
    assert "• the app must declare /romm: deploy/slack-app-manifest.yaml does" in text
    assert fake.calls[:3] == ["auth.test", "apps.connections.open", "conversations.list"]


async def test_what_is_wrong_is_said_one_line_each(sim: RommSimulator, tmp_path: Path) -> None:
    async with FakeSlack() as fake:
        bad_bot = await check_text(sim, tmp_path, fake, slack_bot_token=SecretStr("xoxb-wrong"))
        bad_app = await check_text(sim, tmp_path, fake, slack_app_token=SecretStr("xapp-wrong"))
        elsewhere = await check_text(
            sim, tmp_path, fake, slack_log_channel_id="COTHER", slack_command="/games"
        )
    assert "✗ SLACK_BOT_TOKEN was refused by Slack (invalid_auth)" in bad_bot
    assert "wrong" not in bad_bot
    assert "✗ SLACK_APP_TOKEN does not open Socket Mode (invalid_auth)" in bad_app
    assert "! SLACK_LOG_CHANNEL_ID=COTHER: the app is not in it" in elsewhere
    assert "! SLACK_COMMAND=/games: the shipped manifest declares /romm" in elsewhere


async def test_without_tokens_slack_is_only_mentioned(sim: RommSimulator, tmp_path: Path) -> None:
    async with FakeSlack() as fake:
        text = await check_text(sim, tmp_path, fake, slack_bot_token=None, slack_app_token=None)
    assert "• SLACK_BOT_TOKEN and SLACK_APP_TOKEN are not set" in text
