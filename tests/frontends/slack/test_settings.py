"""The SLACK_* settings: read, normalised, refused with one sentence each."""

from __future__ import annotations

import pytest

from romm_comm.app.settings import SettingsError, load_settings
from romm_comm.cli.front_ends import configured

SLACK_VARS = ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_COMMAND", "SLACK_ADMIN_IDS"]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [*SLACK_VARS, "DISCORD_TOKEN", "TOKEN"]:
        monkeypatch.delenv(name, raising=False)


def test_both_tokens_start_the_slack_front_end(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    assert [f.name for f in configured(load_settings(None))] == []
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1")
    monkeypatch.setenv("SLACK_COMMAND", "Games")
    monkeypatch.setenv("SLACK_ADMIN_IDS", "u012, U034")
    settings = load_settings(None)
    assert [f.name for f in configured(settings)] == ["slack"]
    assert settings.slack_command == "/games"
    assert settings.slack_admin_ids == ["U012", "U034"]
    assert not settings.is_demo
    assert "xoxb-1" not in repr(settings) and "xapp-1" not in repr(settings)


def test_bad_values_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_COMMAND", "/no spaces")
    monkeypatch.setenv("SLACK_ADMIN_IDS", "U1;<@U2>")
    with pytest.raises(SettingsError) as caught:
        load_settings(None)
    text = str(caught.value)
    assert "SLACK_COMMAND" in text and "slash command like /romm" in text
    assert "SLACK_ADMIN_IDS" in text and "Slack ids" in text
