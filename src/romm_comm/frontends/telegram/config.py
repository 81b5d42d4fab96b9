"""What the Telegram front end needs to know, handed over by the composition root.

The front end never reads the settings: `app` builds this from them (`App.telegram`), and
the names are the settings' own, so a reader finds each one in the README's table.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Protocol

from pydantic import SecretStr

from ...core.commands import Registry
from ...core.notify import topic_targets
from ...features.services import Services

DEFAULT_API_URL = "https://api.telegram.org"


@dataclass(frozen=True)
class TelegramConfig:
    telegram_bot_token: SecretStr | None = None
    telegram_api_url: str = DEFAULT_API_URL
    telegram_admin_ids: list[int] = field(default_factory=list)
    telegram_chat_ids: list[int] = field(default_factory=list)
    telegram_group_admins: bool = False
    telegram_log_chat_id: int | None = None
    telegram_recent_roms_chat_id: int | None = None
    telegram_scans_chat_id: int | None = None
    telegram_requests_chat_id: int | None = None

    @classmethod
    def from_values(cls, source: Any) -> TelegramConfig:
        """The same-named values of `source` (the settings)."""
        return cls(**{f.name: getattr(source, f.name) for f in fields(cls)})

    def topic_chats(self) -> dict[str, int | None]:
        """Where announcements go by topic; scans and requests fall back to the log chat."""
        return topic_targets(
            self.telegram_log_chat_id,
            recent_roms=self.telegram_recent_roms_chat_id,
            scans=self.telegram_scans_chat_id,
            requests=self.telegram_requests_chat_id,
        )


class Host(Protocol):
    """What the front end runs on: the shared services and registry, and its own options."""

    services: Services
    registry: Registry

    @property
    def telegram(self) -> TelegramConfig: ...
