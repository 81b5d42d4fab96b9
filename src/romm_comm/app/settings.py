"""Settings from the environment and a `.env` file, validated once at start.

Our own names (ROMM_URL, DISCORD_TOKEN, ...) are primary; the earlier bot's names (API_URL,
TOKEN, USER, PASS, DOMAIN, ...) are accepted as aliases so its users can switch without
rewriting their configuration. `USER` is read from the process environment only when `PASS`
is there too: every Unix shell exports `$USER`, and taking the login name for the RomM user
would be a silent misconfiguration. Secrets may also come from `<NAME>_FILE` (settings_env).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AliasChoices,
    Field,
    PrivateAttr,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    DotEnvSettingsSource,
    EnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from ..common.url_userinfo import REFUSED, has_userinfo, mask_userinfo
from .settings_env import (
    SECRET_FIELDS,
    Layer,
    SecretFileProblems,
    SecretFilesSource,
    keep_shell_user_out,
    legacy_notices,
    origin,
)


def _env(*names: str) -> AliasChoices:
    return AliasChoices(*names)


IdList = Annotated[list[int], NoDecode]
SlackIdList = Annotated[list[str], NoDecode]


def _tokens(value: str) -> list[str]:
    """`a,b;c d` → ["a", "b", "c", "d"]: the separators every list setting takes."""
    return [p for p in value.replace(";", ",").replace(" ", ",").split(",") if p]


def _id_values(value: Any, *, signed: bool) -> Any:
    """`1,2;3 4` → [1, 2, 3, 4]; `signed` also takes negative ids (Telegram's groups)."""
    if isinstance(value, int):
        return [value]
    if isinstance(value, str):
        parts = _tokens(value)
        if not all((p.lstrip("-") if signed else p).isdigit() for p in parts):
            raise ValueError("must be numeric ids separated by commas")
        return [int(p) for p in parts]
    return value


def _checked_url(value: str, schemes: tuple[str, ...]) -> str:
    """`value` stripped of spaces and trailing slashes, if it starts with one of `schemes`
    and holds no user name or password (those would be shown and logged with it)."""
    value = value.strip().rstrip("/")
    if "://" not in value or value.split("://", 1)[0].lower() not in schemes:
        raise ValueError("must start with http:// or https://")
    if has_userinfo(value):
        raise ValueError(REFUSED)
    return value


class _ProcessEnvSource(EnvSettingsSource):
    """The process environment, minus a shell's own `$USER` (see module docstring)."""

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return keep_shell_user_out(super()._load_env_vars())


def _layers(settings_cls: type[BaseSettings], dotenv: EnvSettingsSource) -> list[Layer]:
    return [
        Layer("environment", _ProcessEnvSource(settings_cls).env_vars),
        Layer(".env", dotenv.env_vars),
    ]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
        # `NAME=` (as in .env.example or a compose env_file) means "not set".
        env_ignore_empty=True,
    )

    # --- RomM --------------------------------------------------------------------------
    romm_url: str | None = Field(None, validation_alias=_env("ROMM_URL", "API_URL"))
    romm_api_token: SecretStr | None = Field(
        None, validation_alias=_env("ROMM_API_TOKEN", "ROMM_CLIENT_TOKEN")
    )
    romm_username: str | None = Field(
        None, validation_alias=_env("ROMM_USERNAME", "ROMM_USER", "USER")
    )
    romm_password: SecretStr | None = Field(
        None, validation_alias=_env("ROMM_PASSWORD", "ROMM_PASS", "PASS")
    )
    romm_public_url: str | None = Field(None, validation_alias=_env("ROMM_PUBLIC_URL", "DOMAIN"))
    api_timeout: float = Field(10.0, gt=0, le=300, validation_alias=_env("API_TIMEOUT"))
    cache_ttl: int = Field(900, ge=0, le=86_400, validation_alias=_env("CACHE_TTL"))
    sync_rate: int = Field(3600, ge=30, le=86_400, validation_alias=_env("SYNC_RATE"))
    romm_max_concurrency: int = Field(4, ge=1, le=64, validation_alias=_env("ROMM_MAX_CONCURRENCY"))
    romm_rate_limit: float = Field(20.0, gt=0, le=1000, validation_alias=_env("ROMM_RATE_LIMIT"))

    # --- Storage and logging -----------------------------------------------------------
    data_dir: Path = Field(Path("data"), validation_alias=_env("DATA_DIR"))
    log_level: str = Field("INFO", validation_alias=_env("LOG_LEVEL"))

    # --- Discord -----------------------------------------------------------------------
    discord_token: SecretStr | None = Field(None, validation_alias=_env("DISCORD_TOKEN", "TOKEN"))
    discord_guild_id: int | None = Field(None, validation_alias=_env("DISCORD_GUILD_ID", "GUILD"))
    admin_ids: IdList = Field(default_factory=list, validation_alias=_env("ADMIN_IDS", "ADMIN_ID"))
    admin_role_ids: IdList = Field(default_factory=list, validation_alias=_env("ADMIN_ROLE_IDS"))
    log_channel_id: int | None = Field(None, validation_alias=_env("LOG_CHANNEL_ID", "CHANNEL_ID"))
    show_api_success: bool = Field(False, validation_alias=_env("SHOW_API_SUCCESS"))
    update_voice_names: bool = Field(True, validation_alias=_env("UPDATE_VOICE_NAMES"))
    stats_channel_ids: IdList = Field(
        default_factory=list, validation_alias=_env("STATS_CHANNEL_IDS")
    )
    discord_api_url: str | None = Field(None, validation_alias=_env("DISCORD_API_URL"))
    discord_gateway_url: str | None = Field(None, validation_alias=_env("DISCORD_GATEWAY_URL"))
    # Where announcements go by topic; scans and requests fall back to the log channel.
    recent_roms_channel_id: int | None = Field(
        None, validation_alias=_env("RECENT_ROMS_CHANNEL_ID")
    )
    scans_channel_id: int | None = Field(None, validation_alias=_env("SCANS_CHANNEL_ID"))
    requests_channel_id: int | None = Field(None, validation_alias=_env("REQUESTS_CHANNEL_ID"))
    # Platform emojis: "auto" = application emojis (no server slots used), "guild" = the
    # server's free emoji slots minus EMOJI_RESERVE, "off" = only emojis already there.
    emoji_mode: Literal["auto", "application", "guild", "off"] = Field(
        "auto", validation_alias=_env("EMOJI_MODE")
    )
    emoji_reserve: int = Field(10, ge=0, le=250, validation_alias=_env("EMOJI_RESERVE"))

    # --- Telegram ----------------------------------------------------------------------
    telegram_bot_token: SecretStr | None = Field(None, validation_alias=_env("TELEGRAM_BOT_TOKEN"))
    # Requests go to {base}/bot{token}/{method}, files to {base}/file/bot{token}/{path}.
    telegram_api_url: str = Field(
        "https://api.telegram.org", validation_alias=_env("TELEGRAM_API_URL")
    )
    telegram_admin_ids: IdList = Field(
        default_factory=list, validation_alias=_env("TELEGRAM_ADMIN_IDS")
    )
    telegram_chat_ids: IdList = Field(
        default_factory=list, validation_alias=_env("TELEGRAM_CHAT_IDS")
    )
    telegram_group_admins: bool = Field(False, validation_alias=_env("TELEGRAM_GROUP_ADMINS"))
    telegram_log_chat_id: int | None = Field(None, validation_alias=_env("TELEGRAM_LOG_CHAT_ID"))
    telegram_recent_roms_chat_id: int | None = Field(
        None, validation_alias=_env("TELEGRAM_RECENT_ROMS_CHAT_ID")
    )
    telegram_scans_chat_id: int | None = Field(
        None, validation_alias=_env("TELEGRAM_SCANS_CHAT_ID")
    )
    telegram_requests_chat_id: int | None = Field(
        None, validation_alias=_env("TELEGRAM_REQUESTS_CHAT_ID")
    )

    @field_validator("telegram_admin_ids", "telegram_chat_ids", mode="before")
    @classmethod
    def _telegram_ids(cls, value: Any) -> Any:
        """Numeric ids, comma-separated; group ids are negative (-1001234567890)."""
        return _id_values(value, signed=True)

    # --- Web server and download gateway ----------------------------------------------
    web_enabled: bool = Field(True, validation_alias=_env("WEB_ENABLED"))
    web_host: str = Field("0.0.0.0", validation_alias=_env("WEB_HOST"))
    web_port: int = Field(8088, ge=0, le=65535, validation_alias=_env("WEB_PORT"))
    web_public_url: str | None = Field(None, validation_alias=_env("PUBLIC_URL", "WEB_PUBLIC_URL"))
    web_trust_forwarded: bool = Field(False, validation_alias=_env("WEB_TRUST_FORWARDED"))
    metrics_token: SecretStr | None = Field(None, validation_alias=_env("METRICS_TOKEN"))
    dashboard_enabled: bool = Field(True, validation_alias=_env("DASHBOARD_ENABLED"))
    # Comma-separated Apprise URLs (they hold tokens: a secret, never printed).
    notify_urls: SecretStr | None = Field(None, validation_alias=_env("NOTIFY_URLS"))
    notify_events: str = Field("admin,requests,scans", validation_alias=_env("NOTIFY_EVENTS"))
    # A signed JSON POST per notice (the URL may hold a token: a secret too).
    webhook_url: SecretStr | None = Field(None, validation_alias=_env("WEBHOOK_URL"))
    webhook_secret: SecretStr | None = Field(None, validation_alias=_env("WEBHOOK_SECRET"))
    # Seconds between checks that RomM answers (admins are told when it stops and is back).
    romm_watch_interval: float = Field(
        60.0, ge=0, le=86_400, validation_alias=_env("ROMM_WATCH_INTERVAL")
    )
    dashboard_session_hours: float = Field(
        12.0, gt=0, le=24 * 90, validation_alias=_env("DASHBOARD_SESSION_HOURS")
    )
    dashboard_signin_rate: float = Field(
        5.0, gt=0, le=1000, validation_alias=_env("DASHBOARD_SIGNIN_RATE")
    )
    download_links: Literal["gateway", "romm"] = Field(
        "gateway", validation_alias=_env("DOWNLOAD_LINKS")
    )
    link_secret: SecretStr | None = Field(None, validation_alias=_env("LINK_SECRET"))
    link_ttl: int = Field(86_400, ge=60, le=30 * 86_400, validation_alias=_env("LINK_TTL"))
    download_rate_limit: float = Field(
        60.0, gt=0, le=100_000, validation_alias=_env("DOWNLOAD_RATE_LIMIT")
    )
    download_burst: int = Field(30, ge=1, le=100_000, validation_alias=_env("DOWNLOAD_BURST"))
    web_max_downloads: int = Field(64, ge=1, le=10_000, validation_alias=_env("WEB_MAX_DOWNLOADS"))
    web_max_downloads_per_person: int = Field(
        3, ge=1, le=1000, validation_alias=_env("WEB_MAX_DOWNLOADS_PER_PERSON")
    )

    # --- Accepted now for the earlier bot's configuration; used by later features ------
    requests_enabled: bool = Field(True, validation_alias=_env("REQUESTS_ENABLED"))
    igdb_client_id: str | None = Field(None, validation_alias=_env("IGDB_CLIENT_ID"))
    igdb_client_secret: SecretStr | None = Field(None, validation_alias=_env("IGDB_CLIENT_SECRET"))
    request_limit: int = Field(5, ge=1, le=1000, validation_alias=_env("REQUEST_LIMIT"))
    # Seconds between checks of new games against pending requests (0 = only after scans).
    request_check_interval: int = Field(
        900, ge=0, le=86_400, validation_alias=_env("REQUEST_CHECK_INTERVAL")
    )
    # Where IGDB and Twitch's token endpoint are when not the real ones (the simulator).
    igdb_api_url: str | None = Field(None, validation_alias=_env("IGDB_API_URL"))
    twitch_token_url: str | None = Field(None, validation_alias=_env("TWITCH_TOKEN_URL"))

    # --- Prowlarr: indexer search for admins fulfilling requests (optional) --------------
    prowlarr_url: str | None = Field(None, validation_alias=_env("PROWLARR_URL"))
    prowlarr_api_key: SecretStr | None = Field(None, validation_alias=_env("PROWLARR_API_KEY"))
    prowlarr_timeout: float = Field(30.0, gt=0, le=600, validation_alias=_env("PROWLARR_TIMEOUT"))

    enable_user_manager: bool = Field(False, validation_alias=_env("ENABLE_USER_MANAGER"))
    auto_register_role_id: int | None = Field(None, validation_alias=_env("AUTO_REGISTER_ROLE_ID"))
    # Accounts (ENABLE_USER_MANAGER): what new accounts get (checked against RomM at start),
    # when disabled ones are deleted (never by default), invite lifetime, sync timer.
    account_role: str | None = Field(None, validation_alias=_env("ACCOUNT_ROLE"))
    account_permission_group: str | None = Field(
        None, validation_alias=_env("ACCOUNT_PERMISSION_GROUP")
    )
    account_delete_after_days: int | None = Field(
        None, ge=1, le=3650, validation_alias=_env("ACCOUNT_DELETE_AFTER_DAYS")
    )
    account_invite_ttl: int = Field(
        3 * 86_400, ge=300, le=30 * 86_400, validation_alias=_env("ACCOUNT_INVITE_TTL")
    )
    account_sync_interval: int = Field(
        900, ge=1, le=86_400, validation_alias=_env("ACCOUNT_SYNC_INTERVAL")
    )

    # --- Scans and recently added -------------------------------------------------------
    # Seconds between edits of a scan's progress message (the summary replaces it at the end).
    scan_progress_interval: float = Field(
        5.0, ge=0.05, le=600, validation_alias=_env("SCAN_PROGRESS_INTERVAL")
    )
    # Seconds between looks at RomM's task list when the scan socket cannot be used.
    scan_poll_interval: float = Field(
        15.0, ge=0.05, le=3600, validation_alias=_env("SCAN_POLL_INTERVAL")
    )
    recent_roms_enabled: bool = Field(False, validation_alias=_env("RECENT_ROMS_ENABLED"))
    recent_roms_bulk_threshold: int = Field(
        10, ge=1, le=1000, validation_alias=_env("RECENT_ROMS_BULK_THRESHOLD")
    )
    # Seconds between looks for games added by others (0 = only after scans).
    recent_roms_interval: int = Field(
        900, ge=0, le=86_400, validation_alias=_env("RECENT_ROMS_INTERVAL")
    )

    # --- Slack (Socket Mode: no public endpoint) -------------------------------------------
    slack_bot_token: SecretStr | None = Field(None, validation_alias=_env("SLACK_BOT_TOKEN"))
    slack_app_token: SecretStr | None = Field(None, validation_alias=_env("SLACK_APP_TOKEN"))
    slack_api_url: str | None = Field(None, validation_alias=_env("SLACK_API_URL"))
    slack_command: str = Field("/romm", validation_alias=_env("SLACK_COMMAND"))
    slack_admin_ids: SlackIdList = Field(
        default_factory=list, validation_alias=_env("SLACK_ADMIN_IDS")
    )
    slack_channel_ids: SlackIdList = Field(
        default_factory=list, validation_alias=_env("SLACK_CHANNEL_IDS")
    )
    slack_log_channel_id: str | None = Field(None, validation_alias=_env("SLACK_LOG_CHANNEL_ID"))
    slack_recent_roms_channel_id: str | None = Field(
        None, validation_alias=_env("SLACK_RECENT_ROMS_CHANNEL_ID")
    )
    slack_scans_channel_id: str | None = Field(
        None, validation_alias=_env("SLACK_SCANS_CHANNEL_ID")
    )
    slack_requests_channel_id: str | None = Field(
        None, validation_alias=_env("SLACK_REQUESTS_CHANNEL_ID")
    )

    @property
    def slack_configured(self) -> bool:
        return self.slack_bot_token is not None and self.slack_app_token is not None

    @field_validator("slack_command")
    @classmethod
    def _slack_command(cls, value: str) -> str:
        name = value.strip().lstrip("/").lower()
        if not name or len(name) > 32 or not all(c.isalnum() or c in "-_" for c in name):
            raise ValueError("must be a slash command like /romm (letters, digits, - and _)")
        return "/" + name

    @field_validator("slack_admin_ids", "slack_channel_ids", mode="before")
    @classmethod
    def _slack_ids(cls, value: Any) -> Any:
        if isinstance(value, str):
            parts = _tokens(value)
            if not all(p.isalnum() for p in parts):
                raise ValueError("must be Slack ids (U…, C…) separated by commas")
            return [p.upper() for p in parts]
        return value

    @field_validator(
        "slack_log_channel_id",
        "slack_recent_roms_channel_id",
        "slack_scans_channel_id",
        "slack_requests_channel_id",
        mode="before",
    )
    @classmethod
    def _slack_channel(cls, value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip().upper()
            if text and not text.isalnum():
                raise ValueError("must be a Slack channel id like C0123456789")
            return text or None
        return value

    # --- end of Slack -----------------------------------------------------------------------
    # --- Matrix -------------------------------------------------------------------------
    matrix_homeserver: str | None = Field(None, validation_alias=_env("MATRIX_HOMESERVER"))
    matrix_user_id: str | None = Field(None, validation_alias=_env("MATRIX_USER_ID"))
    matrix_access_token: SecretStr | None = Field(
        None, validation_alias=_env("MATRIX_ACCESS_TOKEN")
    )
    matrix_password: SecretStr | None = Field(None, validation_alias=_env("MATRIX_PASSWORD"))
    matrix_rooms: Annotated[list[str], NoDecode] = Field(
        default_factory=list, validation_alias=_env("MATRIX_ROOMS")
    )
    matrix_admin_ids: Annotated[list[str], NoDecode] = Field(
        default_factory=list, validation_alias=_env("MATRIX_ADMIN_IDS")
    )
    matrix_admin_power_level: int | None = Field(
        None, ge=0, le=100, validation_alias=_env("MATRIX_ADMIN_POWER_LEVEL")
    )
    matrix_command_prefix: str = Field(
        "!", min_length=1, max_length=8, validation_alias=_env("MATRIX_COMMAND_PREFIX")
    )
    matrix_log_room: str | None = Field(None, validation_alias=_env("MATRIX_LOG_ROOM"))
    matrix_recent_room: str | None = Field(None, validation_alias=_env("MATRIX_RECENT_ROOM"))
    matrix_scans_room: str | None = Field(None, validation_alias=_env("MATRIX_SCANS_ROOM"))
    matrix_requests_room: str | None = Field(None, validation_alias=_env("MATRIX_REQUESTS_ROOM"))

    @field_validator("matrix_rooms", "matrix_admin_ids", mode="before")
    @classmethod
    def _matrix_list(cls, value: Any) -> Any:
        return _tokens(value) if isinstance(value, str) else value

    @property
    def matrix_configured(self) -> bool:
        return self.matrix_homeserver is not None and (
            self.matrix_access_token is not None or self.matrix_password is not None
        )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        assert isinstance(dotenv_settings, DotEnvSettingsSource)
        files = SecretFilesSource(settings_cls, _layers(settings_cls, dotenv_settings))
        return (init_settings, files, _ProcessEnvSource(settings_cls), dotenv_settings)

    @field_validator(
        "romm_url",
        "romm_public_url",
        "discord_api_url",
        "discord_gateway_url",
        "web_public_url",
        "igdb_api_url",
        "twitch_token_url",
        "prowlarr_url",
    )
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        return _checked_url(value, ("http", "https", "ws", "wss"))

    @field_validator("telegram_api_url", "matrix_homeserver", "slack_api_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        """Blank is unset (by `_blank_is_unset`) where the field may be; a blank
        TELEGRAM_API_URL, which may not, is refused here."""
        return None if value is None else _checked_url(value, ("http", "https"))

    @field_validator("admin_ids", "admin_role_ids", "stats_channel_ids", mode="before")
    @classmethod
    def _id_list(cls, value: Any) -> Any:
        return _id_values(value, signed=False)

    @field_validator(
        "romm_username",
        "discord_token",
        "romm_api_token",
        "romm_password",
        "igdb_client_id",
        "igdb_client_secret",
        "metrics_token",
        "notify_urls",
        "prowlarr_api_key",
        "webhook_url",
        "webhook_secret",
        "telegram_bot_token",
        "slack_bot_token",
        "slack_app_token",
        "slack_api_url",
        "matrix_homeserver",
        "matrix_user_id",
        "matrix_access_token",
        "matrix_password",
        "matrix_log_room",
        "matrix_recent_room",
        "matrix_scans_room",
        "matrix_requests_room",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("download_links", "emoji_mode", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("link_ttl", "account_invite_ttl", "account_sync_interval", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        """Seconds, or a number with a unit: 90m, 24h, 2d."""
        if isinstance(value, str):
            text = value.strip().lower()
            units = {"s": 1, "m": 60, "h": 3600, "d": 86_400}
            if text[-1:] in units and text[:-1].strip().isdigit():
                return int(text[:-1]) * units[text[-1]]
        return value

    @field_validator(
        "account_role", "account_permission_group", "account_delete_after_days", mode="before"
    )
    @classmethod
    def _account_unset(cls, value: Any) -> Any:
        """Blank is unset; ACCOUNT_DELETE_AFTER_DAYS=never too."""
        if isinstance(value, str) and value.strip().lower() in ("", "never"):
            return None
        return value.strip() if isinstance(value, str) else value

    @field_validator("link_secret", mode="before")
    @classmethod
    def _secret_length(cls, value: Any) -> Any:
        raw = value.get_secret_value() if isinstance(value, SecretStr) else value
        if isinstance(raw, str) and not raw.strip():
            return None
        if isinstance(raw, str) and len(raw) < 16:
            raise ValueError("must be at least 16 characters (a long random string)")
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR")
        return level

    # Where the variables were read from (set by load_settings): for `check` and notices.
    _layers: list[Layer] = PrivateAttr(default_factory=list)

    def origin(self, field: str) -> str | None:
        """Which variable set `field`, and where: `PASS (environment)`."""
        return origin(type(self), field, self._layers)

    def secrets(self) -> list[SecretStr | None]:
        """Every secret value set (for the log's redaction); each notification URL too."""
        found: list[SecretStr | None] = [getattr(self, name) for name in sorted(SECRET_FIELDS)]
        if self.telegram_bot_token is not None:  # its secret half, should a line hold only that
            found.append(SecretStr(self.telegram_bot_token.get_secret_value().partition(":")[2]))
        return found + [SecretStr(url) for url in self.notification_urls()]

    def notification_urls(self) -> list[str]:
        if self.notify_urls is None:
            return []
        return [u.strip() for u in self.notify_urls.get_secret_value().split(",") if u.strip()]

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        url = value.get_secret_value().strip()
        if not url.lower().startswith(("http://", "https://")) or " " in url:
            raise ValueError("must be an http:// or https:// URL")  # never the URL itself
        return SecretStr(url)

    @model_validator(mode="after")
    def _webhook_signed(self) -> Settings:
        if self.webhook_url is not None and self.webhook_secret is None:
            raise ValueError("WEBHOOK_URL needs WEBHOOK_SECRET (every POST is signed with it)")
        return self

    @field_validator("notify_events")
    @classmethod
    def _known_events(cls, value: str) -> str:
        known = ("admin", "requests", "scans", "recent_roms")
        events = [e.strip().lower() for e in value.split(",") if e.strip()]
        unknown = [e for e in events if e not in known]
        if unknown:
            raise ValueError(f"unknown event type {unknown[0]!r}; use: {', '.join(known)}")
        return ",".join(events)

    def legacy_notices(self) -> list[str]:
        """The earlier bot's variables that are set but mean nothing here."""
        return legacy_notices(self._layers)

    # --- Derived -----------------------------------------------------------------------
    @property
    def romm_configured(self) -> bool:
        return self.romm_url is not None

    @property
    def public_url(self) -> str | None:
        """Where users open RomM pages and files (falls back to the API URL)."""
        return self.romm_public_url or self.romm_url

    @property
    def igdb_configured(self) -> bool:
        return bool(self.igdb_client_id and self.igdb_client_secret)

    @property
    def prowlarr_configured(self) -> bool:
        return bool(self.prowlarr_url and self.prowlarr_api_key)

    @property
    def is_demo(self) -> bool:
        """Nothing configured at all: run the bundled simulator and the console."""
        return (
            self.romm_url is None
            and self.discord_token is None
            and not self.slack_configured
            and not self.matrix_configured
            and self.telegram_bot_token is None
        )


# One example of a right value per variable, for start-up messages.
EXAMPLES: dict[str, str] = {
    "romm_url": "ROMM_URL=http://192.168.1.10:8080",
    "romm_public_url": "ROMM_PUBLIC_URL=https://romm.example.org",
    "api_timeout": "API_TIMEOUT=10",
    "cache_ttl": "CACHE_TTL=900",
    "sync_rate": "SYNC_RATE=3600",
    "romm_max_concurrency": "ROMM_MAX_CONCURRENCY=4",
    "romm_rate_limit": "ROMM_RATE_LIMIT=20",
    "log_level": "LOG_LEVEL=INFO",
    "discord_guild_id": "DISCORD_GUILD_ID=123456789012345678",
    "admin_ids": "ADMIN_IDS=123456789012345678,234567890123456789",
    "admin_role_ids": "ADMIN_ROLE_IDS=345678901234567890",
    "log_channel_id": "LOG_CHANNEL_ID=456789012345678901",
    "stats_channel_ids": "STATS_CHANNEL_IDS=567890123456789012,678901234567890123",
    "show_api_success": "SHOW_API_SUCCESS=false",
    "update_voice_names": "UPDATE_VOICE_NAMES=true",
    "requests_enabled": "REQUESTS_ENABLED=true",
    "request_limit": "REQUEST_LIMIT=5",
    "request_check_interval": "REQUEST_CHECK_INTERVAL=900",
    "enable_user_manager": "ENABLE_USER_MANAGER=false",
    "auto_register_role_id": "AUTO_REGISTER_ROLE_ID=789012345678901234",
    "account_role": "ACCOUNT_ROLE=viewer (RomM 4) or ACCOUNT_ROLE=user (RomM 5)",
    "account_permission_group": 'ACCOUNT_PERMISSION_GROUP="Viewer (legacy)"',
    "account_delete_after_days": "ACCOUNT_DELETE_AFTER_DAYS=30 (or never)",
    "account_invite_ttl": "ACCOUNT_INVITE_TTL=3d",
    "account_sync_interval": "ACCOUNT_SYNC_INTERVAL=15m",
    "scan_progress_interval": "SCAN_PROGRESS_INTERVAL=5",
    "scan_poll_interval": "SCAN_POLL_INTERVAL=15",
    "recent_roms_enabled": "RECENT_ROMS_ENABLED=true",
    "recent_roms_bulk_threshold": "RECENT_ROMS_BULK_THRESHOLD=10",
    "recent_roms_interval": "RECENT_ROMS_INTERVAL=900",
    "recent_roms_channel_id": "RECENT_ROMS_CHANNEL_ID=456789012345678902",
    "scans_channel_id": "SCANS_CHANNEL_ID=456789012345678903",
    "requests_channel_id": "REQUESTS_CHANNEL_ID=456789012345678904",
    "emoji_mode": "EMOJI_MODE=auto",
    "emoji_reserve": "EMOJI_RESERVE=10",
    "discord_api_url": "DISCORD_API_URL=http://127.0.0.1:8000/api/v10",
    "discord_gateway_url": "DISCORD_GATEWAY_URL=ws://127.0.0.1:8000/gateway",
    "matrix_homeserver": "MATRIX_HOMESERVER=https://matrix.example.org",
    "matrix_user_id": "MATRIX_USER_ID=@romm:example.org",
    "matrix_rooms": "MATRIX_ROOMS=#games:example.org,!abcdef:example.org",
    "matrix_admin_ids": "MATRIX_ADMIN_IDS=@alice:example.org,@bob:example.org",
    "matrix_admin_power_level": "MATRIX_ADMIN_POWER_LEVEL=50",
    "matrix_command_prefix": "MATRIX_COMMAND_PREFIX=!",
    "web_port": "WEB_PORT=8088",
    "web_public_url": "PUBLIC_URL=https://dl.example.org",
    "download_links": "DOWNLOAD_LINKS=gateway",
    "link_ttl": "LINK_TTL=24h",
    "download_rate_limit": "DOWNLOAD_RATE_LIMIT=60",
    "download_burst": "DOWNLOAD_BURST=30",
    "web_max_downloads": "WEB_MAX_DOWNLOADS=64",
    "web_max_downloads_per_person": "WEB_MAX_DOWNLOADS_PER_PERSON=3",
    "slack_command": "SLACK_COMMAND=/romm",
    "slack_admin_ids": "SLACK_ADMIN_IDS=U0123456789,U0234567890",
    "slack_channel_ids": "SLACK_CHANNEL_IDS=C0123456789",
    "slack_api_url": "SLACK_API_URL=http://127.0.0.1:8000/api/",
}


class SettingsError(Exception):
    """Every problem with the configuration, one readable line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _field_for_alias() -> dict[str, str]:
    names: dict[str, str] = {}
    for field, info in Settings.model_fields.items():
        names[field.upper()] = field
        if isinstance(info.validation_alias, AliasChoices):
            for choice in info.validation_alias.choices:
                names[str(choice).upper()] = field
    return names


def _variable_names(field: str) -> str:
    info = Settings.model_fields[field]
    alias = info.validation_alias
    if isinstance(alias, AliasChoices):
        names = [str(c) for c in alias.choices]
        return names[0] + (f" (or {', '.join(names[1:])})" if len(names) > 1 else "")
    return field.upper()


def home_dir() -> Path:
    """Where `.env` and a relative DATA_DIR are: ROMM_COMM_HOME (the `romm-comm` script sets
    it to its own folder), else the current folder (the container's /app)."""
    return Path(os.environ.get("ROMM_COMM_HOME") or ".")


def load_settings(
    env_file: str | Path | None = ".env", home: Path | None = None, **overrides: Any
) -> Settings:
    """Load and validate; raise SettingsError listing every problem at once.

    A relative `env_file` and DATA_DIR are taken from `home` (default: `home_dir()`)."""
    base = home if home is not None else home_dir()
    if env_file is not None and not Path(env_file).is_absolute():
        env_file = base / env_file
    try:
        settings = Settings(_env_file=env_file, **overrides)  # type: ignore[call-arg]
        settings._layers = _layers(Settings, DotEnvSettingsSource(Settings, env_file=env_file))
        if not settings.data_dir.is_absolute():
            settings.data_dir = base / settings.data_dir
        return settings
    except SecretFileProblems as exc:
        raise SettingsError(exc.problems) from None
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else "?"
            field = _field_for_alias().get(field.upper(), field)
            msg = str(err["msg"]).removeprefix("Value error, ")
            if field in Settings.model_fields:
                where = _variable_names(field)
                example = EXAMPLES.get(field)
                hint = f" (example: {example})" if example else ""
            else:
                where, hint = field, ""
            given = err.get("input")
            secret = field in SECRET_FIELDS
            given = mask_userinfo(given) if isinstance(given, str) else given
            shown = f" — got {given!r}" if isinstance(given, str) and not secret else ""
            problems.append(f"{where}: {msg}{shown}{hint}")
        raise SettingsError(problems) from None


def mask(secret: SecretStr | None) -> str:
    """How a secret is shown to people: set or not, never its value."""
    if secret is None:
        return "(not set)"
    value = secret.get_secret_value()
    if value.startswith("rmm_"):
        return "rmm_…(set)"
    return "•••••• (set)"
