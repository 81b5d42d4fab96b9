"""The context of one call: who asks, the services a handler may use, the registry serving it."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..core.commands import Caller, Registry
from .services import Services


@dataclass(frozen=True)
class Context:
    caller: Caller
    services: Services
    # The registry serving this call (for /help); `Registry.run`, `act` and `complete` set it.
    registry: Registry | None = None

    def with_registry(self, registry: Registry) -> Context:
        return replace(self, registry=registry)
