"""Settings for container users: secrets from files, the earlier bot's USER/PASS, its unused
variables named once, `.env.example` matching the settings class, and `--version`."""

from __future__ import annotations

import io
import itertools
import os
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

import romm_comm
from romm_comm.app.env_example import render
from romm_comm.app.settings import Settings, SettingsError, load_settings
from romm_comm.app.settings_env import SECRET_FIELDS, names_of
from romm_comm.cli.check import run_check
from romm_comm.testing.romm_sim import RommSimulator

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the variables a test sets; a shell's own `$USER` stays, as on every machine."""
    known = {n.lower() for f, i in Settings.model_fields.items() for n in names_of(i, f)}
    for name in list(os.environ):
        lowered = name.lower()
        if lowered in known - {"user"} or lowered.endswith("_file"):
            monkeypatch.delenv(name)
        if lowered.startswith(("ggrequestz_", "recent_roms_", "netplay_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("USER", "login-name")


def _romm_comm(*args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    """The command as a person runs it, with only the given variables (and PATH, HOME)."""
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    return subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-m", "romm_comm", *args],
        input="", capture_output=True, text=True, timeout=60, cwd=cwd, env={**keep, **env},
    )  # fmt: skip


# --- secrets from files ----------------------------------------------------------------


@pytest.mark.parametrize("field", sorted(SECRET_FIELDS))
def test_every_secret_can_come_from_a_file(
    field: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    variable = names_of(Settings.model_fields[field], field)[0] + "_FILE"
    text = SECRET_FILE_TEXT.get(field, "a-long-secret-from-a-file")
    secret = tmp_path / "secret"
    secret.write_text(text + "\n")  # the newline an editor leaves is dropped
    monkeypatch.setenv(variable, str(secret))
    for name, value in NEEDED_WITH.get(field, {}).items():
        monkeypatch.setenv(name, value)
    found = getattr(load_settings(None), field)
    assert found is not None
    assert found.get_secret_value() == text


# Secrets that must look like something, or need another setting beside them.
SECRET_FILE_TEXT = {"webhook_url": "https://hooks.example.org/a-long-secret-from-a-file"}
NEEDED_WITH = {"webhook_url": {"WEBHOOK_SECRET": "a-webhook-secret"}}


def test_a_secret_file_named_in_the_env_file_works_too(tmp_path: Path) -> None:
    (tmp_path / "pw").write_text("s3cret")
    env = tmp_path / ".env"
    env.write_text(f"ROMM_USERNAME=bot\nROMM_PASSWORD_FILE={tmp_path / 'pw'}\n")
    settings = load_settings(env)
    assert settings.romm_password is not None
    assert settings.romm_password.get_secret_value() == "s3cret"
    assert settings.origin("romm_password") == f"ROMM_PASSWORD_FILE (file {tmp_path / 'pw'})"


def test_secret_file_problems_are_sentences(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "empty").write_text("\n")
    (tmp_path / "token").write_text("discord-token-value")
    monkeypatch.setenv("ROMM_PASSWORD_FILE", str(tmp_path / "missing"))
    monkeypatch.setenv("IGDB_CLIENT_SECRET_FILE", str(tmp_path / "empty"))
    monkeypatch.setenv("DISCORD_TOKEN_FILE", str(tmp_path / "token"))
    monkeypatch.setenv("TOKEN", "also-set")
    with pytest.raises(SettingsError) as caught:
        load_settings(None)
    assert sorted(caught.value.problems) == [
        "DISCORD_TOKEN_FILE: set either TOKEN or DISCORD_TOKEN_FILE, not both",
        f"IGDB_CLIENT_SECRET_FILE: the file {tmp_path / 'empty'} is empty",
        f"ROMM_PASSWORD_FILE: cannot read {tmp_path / 'missing'} (No such file or directory)",
    ]


def test_a_missing_secret_file_stops_the_process_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "token").write_text("never-printed-token")
    proc = _romm_comm(
        "check",
        cwd=tmp_path,
        ROMM_PASSWORD_FILE="/run/secrets/nothing-here",
        DISCORD_TOKEN_FILE=str(tmp_path / "token"),
    )
    assert proc.returncode == 2
    assert (
        "ROMM_PASSWORD_FILE: cannot read /run/secrets/nothing-here (No such file or directory)"
        in proc.stderr
    )
    assert "Traceback" not in proc.stderr
    assert "never-printed-token" not in proc.stdout + proc.stderr


# --- the earlier bot's USER and PASS ---------------------------------------------------


def test_user_and_pass_from_the_environment_are_the_romm_credentials(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("USER", "bot")  # the earlier bot's compose file sets both
    monkeypatch.setenv("PASS", "s3cret")
    settings = load_settings(None)
    assert settings.romm_username == "bot"
    assert settings.romm_password is not None
    assert settings.romm_password.get_secret_value() == "s3cret"
    assert settings.origin("romm_username") == "USER (environment)"
    assert settings.origin("romm_password") == "PASS (environment)"


def test_user_and_pass_from_the_env_file(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("USER=bot\nPASS=s3cret\n")
    settings = load_settings(env)
    assert settings.romm_username == "bot"
    assert settings.origin("romm_username") == "USER (.env)"
    assert settings.origin("romm_password") == "PASS (.env)"


def test_a_shell_user_alone_is_ignored(tmp_path: Path) -> None:
    settings = load_settings(None)  # USER=login-name from the fixture, no PASS anywhere
    assert settings.romm_username is None
    assert settings.origin("romm_username") is None
    env = tmp_path / ".env"
    env.write_text("PASS=s3cret\n")  # PASS in .env does not make the shell's USER count
    assert load_settings(env).romm_username is None


def test_the_earlier_bots_newer_names_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROMM_USER", "bot")
    monkeypatch.setenv("ROMM_PASS", "s3cret")
    monkeypatch.setenv("ROMM_CLIENT_TOKEN", "rmm_abc")
    settings = load_settings(None)
    assert settings.romm_username == "bot"
    assert settings.romm_api_token is not None
    assert settings.romm_api_token.get_secret_value() == "rmm_abc"


async def test_check_says_which_names_gave_the_credentials(
    sim: RommSimulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ROMM_URL", sim.url)
    monkeypatch.setenv("USER", sim.admin_username)
    monkeypatch.setenv("PASS", sim.admin_password)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    out = io.StringIO()
    await run_check(load_settings(None), out)
    text = out.getvalue()
    assert "• credentials read from USER (environment), PASS (environment)" in text
    assert f"username/password work for {sim.admin_username}" in text
    assert sim.admin_password not in text


async def test_check_without_credentials_explains_user_and_pass(
    sim: RommSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROMM_URL", sim.url)
    out = io.StringIO()
    assert await run_check(load_settings(None), out) == 1
    assert "USER from the environment only together with PASS" in out.getvalue()


# --- the earlier bot's variables that mean nothing here --------------------------------


def test_unused_earlier_variables_are_named_once_at_start(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("GGREQUESTZ_URL=http://ggr:3000\nGGREQUESTZ_ENABLED=true\n")
    proc = _romm_comm(
        "shell", cwd=tmp_path, RECENT_ROMS_MAX_PER_POST="10", GGREQUESTZ_URL="http://ggr:3000"
    )
    assert proc.returncode == 0, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if "earlier bot" in line]
    assert len(lines) == 3, proc.stderr
    assert lines[0].endswith(
        "GGREQUESTZ_ENABLED is a setting of the earlier bot and is ignored: there is no "
        "GGRequestz link; requests live in the bot itself (/request, /request_admin, "
        "REQUESTS_CHANNEL_ID)"
    )
    assert "GGREQUESTZ_URL is a setting of the earlier bot" in lines[1]
    assert "RECENT_ROMS_MAX_PER_POST is a setting of the earlier bot and is ignored" in lines[2]
    assert "RECENT_ROMS_BULK_THRESHOLD" in lines[2]


async def test_check_lists_unused_earlier_variables(
    sim: RommSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROMM_URL", sim.url)
    monkeypatch.setenv("RECENT_ROMS_MAX_PER_POST", "10")
    out = io.StringIO()
    await run_check(load_settings(None), out)
    assert out.getvalue().count("RECENT_ROMS_MAX_PER_POST is a setting of the earlier bot") == 1


# --- .env.example ----------------------------------------------------------------------


def _example_lines() -> dict[str, tuple[str, str]]:
    """NAME → (value, explanation) from the committed .env.example."""
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    found: dict[str, tuple[str, str]] = {}
    for above, line in itertools.pairwise(lines):
        assignment = line.removeprefix("# ")
        name, sep, value = assignment.partition("=")
        if sep and re.fullmatch(r"[A-Z][A-Z0-9_]*", name):
            found[name] = (value, above.removeprefix("# "))
    return found


def test_env_example_has_every_setting_with_its_default_and_an_explanation() -> None:
    example = _example_lines()
    defaults = Settings(_env_file=None)  # type: ignore[call-arg]
    for field, info in Settings.model_fields.items():
        name = names_of(info, field)[0]
        assert name in example, f"{name} is missing from .env.example"
        value, explanation = example[name]
        assert explanation and not explanation.startswith(name), f"{name} has no explanation"
        if field in SECRET_FIELDS:
            assert value == "", f"{name} must be empty in .env.example"
        # The value shown is the one the bot uses when the variable is not set.
        shown = Settings(_env_file=None, **{field: value}) if value else defaults  # type: ignore[call-arg]
        assert getattr(shown, field) == getattr(defaults, field), (
            f"{name}={value} is not the default"
        )
    assert set(example) == {names_of(i, f)[0] for f, i in Settings.model_fields.items()}


def test_env_example_is_what_the_generator_writes() -> None:
    committed = (ROOT / ".env.example").read_text(encoding="utf-8")
    assert committed == render(), "regenerate it: python -m romm_comm.app.env_example .env.example"


def test_env_example_as_an_env_file_starts_the_demo(tmp_path: Path) -> None:
    settings = load_settings(ROOT / ".env.example")
    assert settings.is_demo  # every `NAME=` left empty means not set


# --- --version -------------------------------------------------------------------------


def test_version_is_the_package_version() -> None:
    proc = _romm_comm("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"romm-comm {version('romm-comm')}"
    assert romm_comm.__version__ == version("romm-comm")
