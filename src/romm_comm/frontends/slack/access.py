"""Who may do what on Slack: admins by user id, the channels the bot answers in."""

from __future__ import annotations

from dataclasses import dataclass

from ...core.commands import Caller
from .config import SlackConfig

FRONT_END = "slack"


@dataclass(frozen=True)
class Access:
    admin_ids: frozenset[str]
    channel_ids: frozenset[str]

    @classmethod
    def of(cls, config: SlackConfig) -> Access:
        return cls(frozenset(config.slack_admin_ids), frozenset(config.slack_channel_ids))

    def caller(self, user_id: str, name: str = "") -> Caller:
        return Caller(user_id, name or user_id, FRONT_END, user_id in self.admin_ids)

    def answers_in(self, channel_id: str) -> bool:
        """DMs with the app always; channels when listed (or when none are listed)."""
        return channel_id.startswith("D") or not self.channel_ids or channel_id in self.channel_ids

    def refusal(self) -> str:
        where = ", ".join(f"<#{c}>" for c in sorted(self.channel_ids))
        return f"I answer in {where} and in a direct message with me."
