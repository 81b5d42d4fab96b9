"""What the Matrix front end needs to know, handed over by the composition root.

The front end never reads the settings: `app` builds this from them (`matrix_config`), with
the settings' own names so a reader finds each one in the README's table.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Protocol

from pydantic import SecretStr

from ...core.commands import Registry
from ...features.services import Services


@dataclass(frozen=True)
class MatrixConfig:
    matrix_homeserver: str | None = None
    matrix_user_id: str | None = None
    matrix_access_token: SecretStr | None = None
    matrix_password: SecretStr | None = None
    matrix_rooms: list[str] = field(default_factory=list)
    matrix_admin_ids: list[str] = field(default_factory=list)
    matrix_admin_power_level: int | None = None
    matrix_command_prefix: str = "!"
    matrix_log_room: str | None = None
    matrix_recent_room: str | None = None
    matrix_scans_room: str | None = None
    matrix_requests_room: str | None = None
    data_dir: Path = Path("data")  # a password login keeps its token and device id here

    @classmethod
    def from_values(cls, source: Any) -> MatrixConfig:
        """The same-named values of `source` (the settings)."""
        return cls(**{f.name: getattr(source, f.name) for f in fields(cls)})


class Host(Protocol):
    """What the front end runs on: the shared services and registry, and its own options."""

    services: Services
    registry: Registry

    @property
    def matrix(self) -> MatrixConfig: ...
