"""State RomM keeps for account hand-offs: client-token pairing codes (Redis `pair:<code>` in
RomM, 60 s, single use, exchange rate-limited per client address) and permission groups (5.x).

Rules as in RomM's `utils/client_tokens.py`: 8 characters from an alphabet without look-alikes;
a code is read with dashes removed and upper-cased; more than 5 exchange attempts from one
address within 60 s are answered 429.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field

PAIR_CODE_LENGTH = 8
PAIR_CODE_TTL = 60
PAIR_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
EXCHANGE_MAX_ATTEMPTS = 5
EXCHANGE_WINDOW = 60.0


def normalize_code(code: str) -> str:
    return code.replace("-", "").strip().upper()


@dataclass(frozen=True, slots=True)
class PendingPair:
    token_id: int
    user_id: int
    expires_at: float


@dataclass
class PairingCodes:
    ttl: int = PAIR_CODE_TTL
    max_attempts: int = EXCHANGE_MAX_ATTEMPTS  # per client address and window (a test knob)
    codes: dict[str, PendingPair] = field(default_factory=dict)
    _attempts: dict[str, list[float]] = field(default_factory=dict)

    def new(self, token_id: int, user_id: int) -> str:
        code = "".join(secrets.choice(PAIR_ALPHABET) for _ in range(PAIR_CODE_LENGTH))
        self.codes[code] = PendingPair(token_id, user_id, time.time() + self.ttl)
        return code

    def peek(self, code: str) -> PendingPair | None:
        found = self.codes.get(normalize_code(code))
        if found is None or found.expires_at <= time.time():
            return None
        return found

    def take(self, code: str) -> PendingPair | None:
        """Single use: the code is gone after this, whatever happens next."""
        found = self.peek(code)
        self.codes.pop(normalize_code(code), None)
        return found

    def expire(self, code: str) -> None:
        """Make a code time out now (tests; RomM's Redis TTL)."""
        key = normalize_code(code)
        if key in self.codes:
            pending = self.codes[key]
            self.codes[key] = PendingPair(pending.token_id, pending.user_id, time.time() - 1)

    def attempt(self, client: str) -> bool:
        """Count one exchange attempt; False when the client is over the limit."""
        now = time.time()
        recent = [t for t in self._attempts.get(client, []) if t > now - EXCHANGE_WINDOW]
        recent.append(now)
        self._attempts[client] = recent
        return len(recent) <= self.max_attempts


@dataclass(frozen=True, slots=True)
class PermissionGroup:
    id: int
    name: str
    description: str
    is_default: bool = False
    is_system: bool = False
    color: str | None = None


@dataclass
class PermissionGroups:
    """RomM 5's groups; a fresh install has the two migrated system groups."""

    groups: dict[int, PermissionGroup] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.groups:
            self.add(
                "Viewer (legacy)",
                "Read the library; manage only your own collections, assets and devices.",
                is_default=True,
                is_system=True,
                color="#3b82f6",
            )
            self.add(
                "Editor (legacy)",
                "Viewer access plus library-wide create/edit/delete of roms, platforms and "
                "firmware.",
                is_system=True,
                color="#f59e0b",
            )

    def add(
        self,
        name: str,
        description: str = "",
        *,
        is_default: bool = False,
        is_system: bool = False,
        color: str | None = None,
    ) -> PermissionGroup:
        group = PermissionGroup(
            max(self.groups, default=0) + 1, name, description, is_default, is_system, color
        )
        self.groups[group.id] = group
        return group

    @property
    def default_id(self) -> int | None:
        return next((g.id for g in self.groups.values() if g.is_default), None)
