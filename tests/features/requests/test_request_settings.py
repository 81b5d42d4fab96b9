"""Request settings: defaults, the earlier bot's names, clear messages, no secret shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from romm_comm.app.settings import SettingsError, load_settings


def test_defaults_and_earlier_names(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text(
        "REQUESTS_ENABLED=false\nIGDB_CLIENT_ID=abc\nIGDB_CLIENT_SECRET=shh-very-secret\n",
        encoding="utf-8",
    )
    settings = load_settings(env)
    assert not settings.requests_enabled and settings.igdb_configured
    assert settings.request_limit == 5 and settings.request_check_interval == 900
    assert settings.igdb_api_url is None, "the real IGDB unless pointed elsewhere"


def test_a_bad_limit_is_explained_without_showing_secrets(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text(
        "REQUEST_LIMIT=0\nIGDB_CLIENT_SECRET=shh-very-secret\nIGDB_API_URL=igdb.local\n",
        encoding="utf-8",
    )
    with pytest.raises(SettingsError) as caught:
        load_settings(env)
    text = str(caught.value)
    assert "REQUEST_LIMIT" in text and "example: REQUEST_LIMIT=5" in text
    assert "IGDB_API_URL: must start with http:// or https://" in text
    assert "shh-very-secret" not in text
