"""Settings: our names, the earlier bot's names, a shell's $USER ignored, all problems at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from romm_comm.app.settings import SettingsError, load_settings, mask

OUR_VARS = [
    "ROMM_URL", "API_URL", "ROMM_API_TOKEN", "ROMM_USERNAME", "ROMM_PASSWORD", "USER", "PASS",
    "ROMM_PUBLIC_URL", "DOMAIN", "API_TIMEOUT", "CACHE_TTL", "SYNC_RATE", "DISCORD_TOKEN",
    "TOKEN", "GUILD", "DISCORD_GUILD_ID", "ADMIN_IDS", "ADMIN_ID", "CHANNEL_ID", "DATA_DIR",
    "LOG_LEVEL", "UPDATE_VOICE_NAMES", "SHOW_API_SUCCESS",
]  # fmt: skip


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in OUR_VARS:
        monkeypatch.delenv(name, raising=False)


def test_nothing_configured_is_the_demo() -> None:
    settings = load_settings(None)
    assert settings.is_demo
    assert settings.romm_url is None


def test_shell_user_alone_is_never_the_romm_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "alice")
    settings = load_settings(None)
    assert settings.romm_username is None
    assert settings.romm_password is None


def test_user_and_pass_are_taken_from_the_env_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("USER", "login-name")
    env = tmp_path / ".env"
    env.write_text(
        "API_URL=http://romm.lan:8080/\nUSER=bot\nPASS=s3cret\nDOMAIN=https://romm.example.org\n"
    )
    settings = load_settings(env)
    assert settings.romm_url == "http://romm.lan:8080"
    assert settings.romm_username == "bot"
    assert settings.romm_password is not None
    assert settings.romm_password.get_secret_value() == "s3cret"
    assert settings.public_url == "https://romm.example.org"


def test_earlier_bot_names_are_aliases(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOKEN", "discord-token")
    monkeypatch.setenv("GUILD", "123")
    monkeypatch.setenv("ADMIN_ID", "42")
    monkeypatch.setenv("CHANNEL_ID", "77")
    monkeypatch.setenv("SYNC_RATE", "600")
    monkeypatch.setenv("UPDATE_VOICE_NAMES", "false")
    settings = load_settings(None)
    assert settings.discord_token is not None
    assert settings.discord_guild_id == 123
    assert settings.admin_ids == [42]
    assert settings.log_channel_id == 77
    assert settings.sync_rate == 600
    assert settings.update_voice_names is False


def test_our_names_win_and_lists_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROMM_URL", "https://romm.example.org")
    monkeypatch.setenv("ADMIN_IDS", "1, 2;3")
    settings = load_settings(None)
    assert settings.admin_ids == [1, 2, 3]


def test_every_problem_is_reported_at_once_with_an_example(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("API_URL", "romm.local")
    monkeypatch.setenv("API_TIMEOUT", "soon")
    monkeypatch.setenv("ADMIN_ID", "12,abc")
    monkeypatch.setenv("LOG_LEVEL", "chatty")
    with pytest.raises(SettingsError) as caught:
        load_settings(None)
    problems = caught.value.problems
    assert len(problems) == 4
    joined = "\n".join(problems)
    assert "ROMM_URL (or API_URL): must start with http:// or https://" in joined
    assert "example: ROMM_URL=http://" in joined
    assert "API_TIMEOUT" in joined and "example: API_TIMEOUT=10" in joined
    assert "ADMIN_IDS (or ADMIN_ID)" in joined
    assert "LOG_LEVEL" in joined


def test_secret_values_are_never_echoed_in_problems(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROMM_URL", "not-a-url")
    monkeypatch.setenv("ROMM_API_TOKEN", "rmm_" + "ab" * 32)
    with pytest.raises(SettingsError) as caught:
        load_settings(None)
    assert "abab" not in str(caught.value)


def test_mask_shows_only_whether_a_secret_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROMM_API_TOKEN", "rmm_" + "cd" * 32)
    settings = load_settings(None)
    assert mask(settings.romm_api_token) == "rmm_…(set)"
    assert mask(None) == "(not set)"
    assert "cdcd" not in repr(settings)
