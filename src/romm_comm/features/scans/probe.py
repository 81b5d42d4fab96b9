"""`romm-comm check`: can the bot use RomM's scan channel, or will it poll tasks/status?"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import SecretStr

from ...romm.scan_socket import ScanSocket
from ...romm.version import Capabilities
from .starting import socket_plan


@dataclass(frozen=True)
class ScanProbe:
    socket: bool  # the bot will use the Socket.IO channel (else it polls tasks/status)
    connected: bool  # a test connection worked
    detail: str  # why not, in words people act on


async def probe_scans(
    romm_url: str,
    caps: Capabilities,
    *,
    username: str | None,
    password: SecretStr | None,
    api_timeout: float,
) -> ScanProbe:
    usable, reason = socket_plan(username, password, caps.at_least(5))
    if not usable:
        return ScanProbe(False, False, reason)
    socket = ScanSocket(
        romm_url,
        lambda _name, _data: None,
        username=username if password is not None else None,
        password=password,
        timeout=api_timeout,
    )
    socket.start()
    try:
        connected = await socket.first_attempt(api_timeout + 1)
    finally:
        await socket.close()
    return ScanProbe(True, connected, socket.last_error or "no answer in time")
