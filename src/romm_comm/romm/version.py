"""What the connected RomM version can do (see RomM API notes, version table)."""

from __future__ import annotations

import re
from dataclasses import dataclass

LATEST = (99, 0, 0)


def parse_version(text: str) -> tuple[int, int, int] | None:
    """'5.2.0' → (5, 2, 0); 'development' and unknown tags → None (treated as newest)."""
    match = re.match(r"^v?(\d+)\.(\d+)(?:\.(\d+))?", text.strip())
    if not match:
        return None
    major, minor, patch = match.groups()
    return int(major), int(minor), int(patch or 0)


@dataclass(frozen=True)
class Capabilities:
    version: str
    parsed: tuple[int, int, int]

    @classmethod
    def from_version(cls, version: str) -> Capabilities:
        return cls(version=version, parsed=parse_version(version) or LATEST)

    def at_least(self, major: int, minor: int = 0, patch: int = 0) -> bool:
        return self.parsed >= (major, minor, patch)

    @property
    def known(self) -> bool:
        return self.parsed != LATEST

    @property
    def supported(self) -> bool:
        return self.at_least(3, 0)

    @property
    def paged_roms(self) -> bool:
        """`GET /api/roms` returns the {items,total,...} envelope (3.9+)."""
        return self.at_least(3, 9)

    @property
    def multi_platform_filter(self) -> bool:
        """`platform_ids` (repeatable) replaced `platform_id` (4.6+)."""
        return self.at_least(4, 6)

    @property
    def client_tokens(self) -> bool:
        return self.at_least(4, 8)

    @property
    def file_downloads(self) -> bool:
        """Per-file download path `/api/roms/{file_id}/files/content/...` (4.8+)."""
        return self.at_least(4, 8)

    @property
    def pairing(self) -> bool:
        """Client-token pairing codes (`/api/client-tokens/{id}/pair`, `/exchange`), 4.8+."""
        return self.at_least(4, 8)

    @property
    def invite_links(self) -> bool:
        """Invite links the bot hands out (PRODUCT.md: RomM 5+; older ones get accounts)."""
        return self.at_least(5, 0)

    @property
    def permission_groups(self) -> bool:
        """Roles admin/user + permission groups (5.0+), else viewer/editor/admin."""
        return self.at_least(5, 0)

    @property
    def random_endpoint(self) -> bool:
        return self.at_least(5, 2)

    @property
    def total_flag(self) -> bool:
        return self.at_least(5, 2)

    @property
    def rom_id_index_flag(self) -> bool:
        return self.at_least(5, 1)

    @property
    def char_index_flag(self) -> bool:
        return self.at_least(4, 4)

    @property
    def filter_values_flag(self) -> bool:
        return self.at_least(4, 6)

    def scan_type(self, ours: str) -> str:
        """Our scan type names → the connected version's (4.4 renamed two)."""
        if not self.at_least(4, 4):
            return {"unmatched": "unidentified", "update": "partial"}.get(ours, ours)
        return ours
