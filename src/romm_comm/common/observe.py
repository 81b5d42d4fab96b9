"""What the HTTP clients (RomM, IGDB) report about their calls, for whoever counts them.

The clients know nothing about Prometheus: the composition root hands them an observer (the
web side's metrics) and by default they report to `NO_CALLS`, which ignores everything.
Endpoints are reported as templates (`/api/roms/{id}`), never with ids, names or queries."""

from __future__ import annotations

from typing import Protocol


class CallObserver(Protocol):
    def call(self, endpoint: str, status: str, seconds: float) -> None:
        """One request sent; `status` is the HTTP status or "timeout" / "unreachable"."""
        ...

    def retry(self, endpoint: str) -> None: ...

    def cache(self, hit: bool) -> None: ...


class _Ignore:
    def call(self, endpoint: str, status: str, seconds: float) -> None:
        pass

    def retry(self, endpoint: str) -> None:
        pass

    def cache(self, hit: bool) -> None:
        pass


NO_CALLS: CallObserver = _Ignore()


def endpoint_of(path: str) -> str:
    """`/api/roms/12/content/Mario.z64` → `/api/roms/{id}/content/{name}`."""
    parts = path.split("?", 1)[0].split("/")
    out: list[str] = []
    for i, part in enumerate(parts):
        if part.isdigit():
            out.append("{id}")
        elif i > 0 and parts[i - 1] == "content" and part:
            out.append("{name}")
        else:
            out.append(part)
    return "/".join(out)
