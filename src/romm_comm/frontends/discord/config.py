"""What the Discord front end needs to know, handed over by the composition root.

The front end never reads the settings: `app` builds this from them (`discord_config`), and
the names are the settings' own, so a reader finds each one in the README's table.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal, Protocol

from pydantic import SecretStr

from ...core.commands import Registry
from ...features.services import Services

EmojiMode = Literal["auto", "application", "guild", "off"]


@dataclass(frozen=True)
class DiscordConfig:
    discord_token: SecretStr | None = None
    discord_guild_id: int | None = None
    discord_api_url: str | None = None  # tests: a local Discord
    discord_gateway_url: str | None = None
    admin_ids: list[int] = field(default_factory=list)
    admin_role_ids: list[int] = field(default_factory=list)
    log_channel_id: int | None = None
    recent_roms_channel_id: int | None = None
    scans_channel_id: int | None = None
    requests_channel_id: int | None = None
    stats_channel_ids: list[int] = field(default_factory=list)
    update_voice_names: bool = True
    show_api_success: bool = False
    emoji_mode: EmojiMode = "auto"
    emoji_reserve: int = 10
    enable_user_manager: bool = False
    auto_register_role_id: int | None = None
    account_sync_interval: int = 3600
    romm_url: str | None = None  # shown in the presence / log lines, never with secrets
    sync_rate: int = 3600

    @classmethod
    def from_values(cls, source: Any) -> DiscordConfig:
        """The same-named values of `source` (the settings)."""
        return cls(**{f.name: getattr(source, f.name) for f in fields(cls)})


class Host(Protocol):
    """What the front end runs on: the shared services and registry, and its own options."""

    services: Services
    registry: Registry

    @property
    def discord(self) -> DiscordConfig: ...
