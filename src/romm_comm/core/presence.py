"""Which front ends this process runs and whether each is connected right now.

A front end says it is expected when it starts (`expect`), then reports each connect and
disconnect; readiness checks and metrics read it, and observers hear every change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

Observer = Callable[[str, bool], None]


@dataclass
class FrontEnds:
    _connected: dict[str, bool] = field(default_factory=dict)
    _observers: list[Observer] = field(default_factory=list)

    def observe(self, observer: Observer) -> None:
        self._observers.append(observer)
        for name, up in self._connected.items():
            observer(name, up)

    def expect(self, name: str) -> None:
        """`name` runs in this process: it counts as not connected until it says so."""
        if name not in self._connected:
            self._set(name, False)

    def connected(self, name: str, up: bool = True) -> None:
        self._set(name, up)

    def forget(self, name: str) -> None:
        """`name` stopped on purpose: no longer expected."""
        if self._connected.pop(name, None) is not None:
            for observer in self._observers:
                observer(name, False)

    def state(self) -> dict[str, bool]:
        return dict(self._connected)

    def missing(self) -> list[str]:
        return sorted(name for name, up in self._connected.items() if not up)

    def _set(self, name: str, up: bool) -> None:
        self._connected[name] = up
        for observer in self._observers:
            observer(name, up)
