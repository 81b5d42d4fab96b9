"""`romm-comm check`: is Prowlarr reachable, which version, is the key right, and are there
enabled indexers and download clients (without them a grab cannot go anywhere)?"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import SecretStr

from ...prowlarr.client import ProwlarrClient
from ...prowlarr.errors import ProwlarrAuthError, ProwlarrError, ProwlarrUnavailable


@dataclass(frozen=True)
class Finding:
    level: Literal["ok", "warn", "problem"]
    text: str


def _names(items: list[str]) -> str:
    return ", ".join(items[:5]) + (f" and {len(items) - 5} more" if len(items) > 5 else "")


async def probe_prowlarr(url: str, api_key: SecretStr, *, api_timeout: float) -> list[Finding]:
    client = ProwlarrClient(url, api_key, timeout=api_timeout)
    try:
        try:
            status = await client.status()
        except ProwlarrUnavailable as exc:
            return [Finding("problem", f"PROWLARR_URL {url}: {exc.user_message}")]
        except ProwlarrAuthError as exc:
            return [Finding("ok", f"reachable at {url}"), Finding("problem", exc.user_message)]
        except ProwlarrError as exc:
            return [Finding("problem", f"PROWLARR_URL {url}: {exc.user_message}")]
        found = [Finding("ok", f"reachable at {url}, Prowlarr {status.version}; API key valid")]
        try:
            indexers = await client.indexers()
            clients = await client.download_clients()
        except ProwlarrError as exc:
            return [*found, Finding("problem", exc.user_message)]
        on = [i.name for i in indexers if i.enable]
        if on:
            found.append(Finding("ok", f"{len(on)} indexer(s) enabled: {_names(on)}"))
        else:
            found.append(
                Finding("problem", "no enabled indexers: Search indexers will find nothing")
            )
        usable = [c for c in clients if c.enable]
        if usable:
            names = [f"{c.name} ({c.protocol})" for c in usable]
            found.append(
                Finding("ok", f"{len(usable)} download client(s) enabled: {_names(names)}")
            )
            protocols = {c.protocol for c in usable}
            lacking = sorted({i.protocol for i in indexers if i.enable} - protocols)
            if lacking:
                found.append(
                    Finding("warn", f"no enabled download client for {', '.join(lacking)} releases")
                )
        else:
            found.append(
                Finding(
                    "problem",
                    "no enabled download client in Prowlarr: grabs will be refused "
                    "(Prowlarr: Settings → Download Clients)",
                )
            )
        return found
    finally:
        await client.close()
