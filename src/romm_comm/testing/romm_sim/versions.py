"""Version personalities: which RomM release the simulator pretends to be.

Each flag names the first RomM tag that had the behaviour (see the version table in the
RomM API notes); the simulator switches field names, envelopes and routes on them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

LATEST: tuple[int, int, int] = (5, 2, 0)


def parse_version(version: str) -> tuple[int, int, int]:
    """'5.2.0' -> (5, 2, 0); 'development' or anything unparsable -> the latest known."""
    match = re.match(r"^v?(\d+)\.(\d+)(?:\.(\d+))?", version.strip())
    if not match:
        return LATEST
    return (int(match.group(1)), int(match.group(2)), int(match.group(3) or 0))


@dataclass(frozen=True)
class Personality:
    """Feature switches derived from a RomM version string."""

    version: str

    @cached_property
    def v(self) -> tuple[int, int, int]:
        return parse_version(self.version)

    def at_least(self, major: int, minor: int = 0, patch: int = 0) -> bool:
        return self.v >= (major, minor, patch)

    # --- ROM list envelope and its flags
    @property
    def paged_envelope(self) -> bool:  # 3.9: {items,total,limit,offset,char_index}
        return self.at_least(3, 9)

    @property
    def rom_id_index(self) -> bool:  # 4.4: rom_id_index + with_char_index flag
        return self.at_least(4, 4)

    @property
    def filter_values(self) -> bool:  # 4.6: filter_values + with_filter_values
        return self.at_least(4, 6)

    @property
    def with_rom_id_index_flag(self) -> bool:  # 5.1
        return self.at_least(5, 1)

    @property
    def with_total_flag(self) -> bool:  # 5.2
        return self.at_least(5, 2)

    @property
    def platform_ids_param(self) -> bool:  # 4.6: platform_ids (repeatable) replaced platform_id
        return self.at_least(4, 6)

    # --- ROM fields
    @property
    def has_file_flags(self) -> bool:  # 4.4: has_simple_single_file / ... / has_multiple_files
        return self.at_least(4, 4)

    @property
    def legacy_multi(self) -> bool:  # `multi` until 4.8
        return not self.at_least(4, 8)

    @property
    def legacy_cover_names(self) -> bool:  # `path_cover_s` / `path_cover_l` before 5.0
        return not self.at_least(5, 0)

    @property
    def cover_stamp_offset(self) -> bool:  # `?ts=… 12:58:17+00:00` before 5.0, naive after
        return not self.at_least(5, 0)

    @property
    def legacy_platform_name(self) -> bool:  # ROM `platform_name` dropped in 4.4
        return not self.at_least(4, 4)

    @property
    def custom_names(self) -> bool:  # 3.10: platform custom_name / display_name
        return self.at_least(3, 10)

    @property
    def missing_flags(self) -> bool:  # 4.0: is_identified / missing_from_fs
        return self.at_least(4, 0)

    # --- routes and auth
    @property
    def client_tokens(self) -> bool:  # 4.8: rmm_ tokens, per-file download, firmware_count
        return self.at_least(4, 8)

    @property
    def roles_v5(self) -> bool:  # 5.0: user/admin + permission groups, hidden platforms
        return self.at_least(5, 0)

    @property
    def simple_route(self) -> bool:  # 5.0: /api/roms/{id}/simple
        return self.at_least(5, 0)

    @property
    def random_route(self) -> bool:  # 5.2: /api/roms/random
        return self.at_least(5, 2)

    @property
    def filters_route(self) -> bool:  # /api/roms/filters came with filter_values
        return self.at_least(4, 6)

    @property
    def identifiers_routes(self) -> bool:
        return self.at_least(5, 0)
