"""What the Slack front end needs to know, handed over by the composition root.

The front end never reads the settings: `app` builds this from them, and the names are the
settings' own (SLACK_BOT_TOKEN is `slack_bot_token`), so a reader finds each in the README.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Protocol

from pydantic import SecretStr

from ...core.commands import Registry
from ...core.notify import topic_targets
from ...features.services import Services


@dataclass(frozen=True)
class SlackConfig:
    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str | None = None  # tests: a local Slack; None is Slack's own
    slack_command: str = "/romm"
    slack_admin_ids: list[str] = field(default_factory=list)
    slack_channel_ids: list[str] = field(default_factory=list)
    slack_log_channel_id: str | None = None
    slack_recent_roms_channel_id: str | None = None
    slack_scans_channel_id: str | None = None
    slack_requests_channel_id: str | None = None
    # Not a setting: RomM's address when Slack cannot reach it (no ROMM_PUBLIC_URL and no cover
    # relay); covers under it are uploaded to Slack instead of linked (images.py).
    private_image_base: str | None = None

    @classmethod
    def from_values(cls, source: Any) -> SlackConfig:
        """The same-named values of `source` (the settings)."""
        return cls(
            **{f.name: getattr(source, f.name) for f in fields(cls) if hasattr(source, f.name)}
        )

    def topic_channels(self) -> dict[str, str | None]:
        return topic_targets(
            self.slack_log_channel_id,
            recent_roms=self.slack_recent_roms_channel_id,
            scans=self.slack_scans_channel_id,
            requests=self.slack_requests_channel_id,
        )


class Host(Protocol):
    """What the front end runs on: the shared services and registry, and its own options."""

    services: Services
    registry: Registry

    @property
    def slack(self) -> SlackConfig: ...
