"""A scan request on its way to RomM, what comes back, and refusals in plain words."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Literal

from pydantic import SecretStr

from .models import ScanRun

NOT_AUTHORIZED = "not authorized"
ALREADY_RUNNING = "already in progress"
WAITING_EXPIRY = 120.0  # a request RomM never answered stops labelling the next scan

Result = Literal["started", "requested", "refused", "busy", "unavailable", "stopping", "idle"]


@dataclass
class ScanOutcome:
    result: Result
    text: str = ""
    run: ScanRun | None = None


@dataclass
class Waiting:
    """A request sent over the socket, waiting for RomM's first answer."""

    label: str
    by: str
    answer: asyncio.Future[str | None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )
    since: float = field(default_factory=lambda: asyncio.get_running_loop().time())

    def labels_next_scan(self) -> bool:
        age = asyncio.get_running_loop().time() - self.since
        return self.label != "stop" and not self.answer.done() and age < WAITING_EXPIRY


def explain_refusal(text: str) -> str:
    lowered = text.lower()
    if NOT_AUTHORIZED in lowered:
        return (
            "RomM did not let the bot run scans: the RomM account in ROMM_USERNAME must be "
            "an admin (scans need the tasks.run permission)."
        )
    if ALREADY_RUNNING in lowered:
        return (
            "RomM is already running a scan (perhaps started from its web page). Wait for it "
            "to finish, or stop it with /scan stop."
        )
    return f"RomM refused the scan: {text}"


def socket_plan(
    username: str | None, password: SecretStr | None, romm_at_least_5: bool
) -> tuple[bool, str]:
    """Whether the scan socket can be used, and why not when it cannot."""
    if username and password is not None:
        return True, ""
    if not romm_at_least_5:
        return True, ""  # before 5.0 the socket needed no sign-in
    return False, (
        "ROMM_USERNAME/ROMM_PASSWORD are not set: RomM 5 only accepts scans from a signed-in "
        "session, so scans cannot be started from chat"
    )
