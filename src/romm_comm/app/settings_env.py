"""Where settings come from besides plain variables, and what the bot says about them.

- Docker secrets: every secret setting can also be read from a file named by `<NAME>_FILE`
  (`ROMM_PASSWORD_FILE=/run/secrets/romm_password`), RomM's own convention.
- The earlier bot's compose file passes `USER` and `PASS` as environment variables. Every
  shell exports `$USER`, so `USER` from the environment is taken only when `PASS` is there
  too (no shell sets `PASS`); a `.env` file is always taken at its word.
- The earlier bot's variables that mean nothing here are named once at start, with what
  replaces them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import AliasChoices
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

# Settings whose value is secret: never printed, and readable from a `<NAME>_FILE`.
SECRET_FIELDS = frozenset(
    {
        "romm_api_token",
        "romm_password",
        "discord_token",
        "telegram_bot_token",
        "igdb_client_secret",
        "link_secret",
        "metrics_token",
        "notify_urls",
        "prowlarr_api_key",
        "webhook_url",
        "webhook_secret",
        "slack_bot_token",
        "slack_app_token",
        "matrix_access_token",
        "matrix_password",
    }
)

# The earlier bot's variables with no meaning here, by exact name or by prefix (`…*`), and
# what to use instead.
LEGACY_UNUSED: dict[str, str] = {
    "GGREQUESTZ_*": (
        "there is no GGRequestz link; requests live in the bot itself "
        "(/request, /request_admin, REQUESTS_CHANNEL_ID)"
    ),
    "RECENT_ROMS_MAX_PER_POST": (
        "new games are posted as one card, a cover grid for a few, or a summary by platform "
        "above RECENT_ROMS_BULK_THRESHOLD"
    ),
    "NETPLAY_*": "netplay announcements are not available in this bot",
}


def names_of(info: FieldInfo, field: str) -> list[str]:
    """A setting's variable names, ours first, then the earlier bot's."""
    alias = info.validation_alias
    if isinstance(alias, AliasChoices):
        return [str(choice) for choice in alias.choices]
    return [field.upper()]


def file_variable(info: FieldInfo, field: str) -> str:
    """`ROMM_PASSWORD` → `ROMM_PASSWORD_FILE`."""
    return names_of(info, field)[0] + "_FILE"


def keep_shell_user_out(env: Mapping[str, str | None]) -> dict[str, str | None]:
    """The process environment without `USER` unless `PASS` came with it."""
    kept = dict(env)
    if not (kept.get("pass") or "").strip():
        kept.pop("user", None)
    return kept


class SecretFileProblems(Exception):
    """`<NAME>_FILE` settings that cannot be used, one sentence each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Layer:
    """One place variables come from, as the bot reads it (lower-case names)."""

    where: str
    values: Mapping[str, str | None]


class SecretFilesSource(PydanticBaseSettingsSource):
    """`<NAME>_FILE` for every secret setting, from the same layers as plain variables."""

    def __init__(self, settings_cls: type[BaseSettings], layers: Sequence[Layer]) -> None:
        super().__init__(settings_cls)
        self.layers = layers

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        raise NotImplementedError  # everything happens in __call__

    def __call__(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        problems: list[str] = []
        for field, info in self.settings_cls.model_fields.items():
            if field not in SECRET_FIELDS:
                continue
            found = _secret_file(field, info, self.layers, problems)
            if found is not None:
                values[names_of(info, field)[0]] = found
        if problems:
            raise SecretFileProblems(problems)
        return values


def _secret_file(
    field: str, info: FieldInfo, layers: Sequence[Layer], problems: list[str]
) -> str | None:
    var = file_variable(info, field)
    path = _first(layers, [var])
    if path is None or not path[1].strip():
        return None
    plain = _first(layers, names_of(info, field))
    if plain is not None and plain[1].strip():
        problems.append(f"{var}: set either {plain[0]} or {var}, not both")
        return None
    try:
        text = Path(path[1].strip()).read_text(encoding="utf-8").rstrip("\r\n")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        problems.append(f"{var}: cannot read {path[1].strip()} ({reason})")
        return None
    if not text.strip():
        problems.append(f"{var}: the file {path[1].strip()} is empty")
        return None
    return text


def _first(layers: Sequence[Layer], names: Iterable[str]) -> tuple[str, str] | None:
    """The first of `names` set in the first layer that has one: (NAME, value)."""
    wanted = list(names)
    for layer in layers:
        for name in wanted:
            value = layer.values.get(name.lower())
            if value is not None:
                return name, value
    return None


def origin(settings_cls: type[BaseSettings], field: str, layers: Sequence[Layer]) -> str | None:
    """Which variable gave a setting its value, and from where: `PASS (environment)`."""
    info = settings_cls.model_fields[field]
    if field in SECRET_FIELDS:
        from_file = _first(layers, [file_variable(info, field)])
        if from_file is not None and from_file[1].strip():
            return f"{from_file[0]} (file {from_file[1].strip()})"
    for layer in layers:
        found = _first([layer], names_of(info, field))
        if found is not None and found[1].strip():
            return f"{found[0]} ({layer.where})"
    return None


def legacy_notices(layers: Sequence[Layer]) -> list[str]:
    """One sentence per earlier-bot variable that is set but means nothing here."""
    seen: dict[str, str] = {}
    for layer in layers:
        for name in layer.values:
            upper = name.upper()
            for pattern, instead in LEGACY_UNUSED.items():
                prefix = pattern.removesuffix("*")
                hit = upper.startswith(prefix) if pattern.endswith("*") else upper == pattern
                if hit and upper not in seen:
                    seen[upper] = (
                        f"{upper} is a setting of the earlier bot and is ignored: {instead}"
                    )
    return [seen[name] for name in sorted(seen)]
