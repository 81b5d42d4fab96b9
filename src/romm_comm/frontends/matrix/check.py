"""`romm-comm check`, Matrix part: is the homeserver reachable (and which spec versions it
speaks), is the token valid and whose, whether end-to-end encryption is in this build, which
configured rooms the bot has joined, whether any is encrypted (a problem only without
encryption), and the power levels there."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Literal

from nio import (
    AsyncClient,
    AsyncClientConfig,
    JoinedRoomsResponse,
    RoomGetStateEventResponse,
)

from . import e2e
from .config import MatrixConfig
from .rooms import resolve
from .session import LoginFailed, log_in

Level = Literal["ok", "note", "warn", "problem"]


@dataclass(frozen=True)
class Finding:
    level: Level
    text: str


async def check_matrix(config: MatrixConfig, encryption: bool | None = None) -> list[Finding]:
    """`encryption` None: whether the e2e extra is importable."""
    if config.matrix_homeserver is None:
        return [Finding("note", "MATRIX_HOMESERVER is not set: no Matrix front end")]
    if config.matrix_access_token is None and config.matrix_password is None:
        return [Finding("problem", "MATRIX_ACCESS_TOKEN or MATRIX_PASSWORD is needed")]
    client = AsyncClient(
        config.matrix_homeserver,
        config.matrix_user_id or "",
        config=AsyncClientConfig(encryption_enabled=False, max_timeouts=0, max_limit_exceeded=0),
    )
    try:
        on = e2e.AVAILABLE if encryption is None else encryption
        return await _findings(client, config, on)
    except (OSError, TimeoutError) as exc:
        return [Finding("problem", f"the homeserver is not reachable ({type(exc).__name__})")]
    finally:
        with contextlib.suppress(Exception):
            await client.close()


async def _findings(client: AsyncClient, config: MatrixConfig, encryption: bool) -> list[Finding]:
    found: list[Finding] = []
    response = await client.send("GET", "/_matrix/client/versions")
    if response.status != 200:
        return [Finding("problem", f"the homeserver answered {response.status} to /versions")]
    versions = (await response.json()).get("versions", [])
    found.append(
        Finding("ok", f"the homeserver answers (versions {', '.join(versions[-3:]) or '?'})")
    )
    try:
        user_id = await log_in(client, config)
    except LoginFailed as exc:
        return [*found, Finding("problem", str(exc))]
    found.append(Finding("ok", f"signed in as {user_id}"))
    if config.matrix_user_id and config.matrix_user_id != user_id:
        found.append(
            Finding("warn", f"MATRIX_USER_ID is {config.matrix_user_id}, the token is {user_id}'s")
        )
    if encryption:
        found.append(Finding("ok", "end-to-end encryption is available (encrypted rooms work)"))
    else:
        found.append(
            Finding("note", "end-to-end encryption is not in this build (matrix-nio's e2e extra)")
        )
    joined_response = await client.joined_rooms()
    joined = (
        set(joined_response.rooms) if isinstance(joined_response, JoinedRoomsResponse) else set()
    )
    if not config.matrix_rooms:
        found.append(Finding("warn", "MATRIX_ROOMS is empty: the bot answers in no room"))
    for room in config.matrix_rooms:
        room_id = await resolve(client, room)
        if room_id is None:
            found.append(Finding("problem", f"{room}: no such room alias"))
            continue
        if room_id not in joined:
            found.append(Finding("warn", f"{room}: not joined yet (invite the bot)"))
            continue
        found += await _room(client, room, room_id, user_id, config, encryption)
    return found


async def _room(
    client: AsyncClient,
    room: str,
    room_id: str,
    user_id: str,
    config: MatrixConfig,
    encryption: bool,
) -> list[Finding]:
    found = [Finding("ok", f"{room}: joined")]
    state = await client.room_get_state_event(room_id, "m.room.encryption")
    if isinstance(state, RoomGetStateEventResponse) and state.content:
        if encryption:
            found.append(Finding("ok", f"{room} is encrypted (end-to-end encryption is on)"))
        else:
            found.append(
                Finding(
                    "problem",
                    f"{room} is encrypted: this build has no end-to-end encryption, the bot "
                    "cannot read or answer there",
                )
            )
    return [*found, *await _levels(client, room, room_id, user_id, config)]


async def _levels(
    client: AsyncClient, room: str, room_id: str, user_id: str, config: MatrixConfig
) -> list[Finding]:
    found: list[Finding] = []
    levels = await client.room_get_state_event(room_id, "m.room.power_levels")
    if isinstance(levels, RoomGetStateEventResponse):
        users = levels.content.get("users", {})
        mine = users.get(user_id, levels.content.get("users_default", 0))
        text = f"{room}: the bot's power level is {mine}"
        threshold = config.matrix_admin_power_level
        if threshold is not None:
            admins = sorted(u for u, level in users.items() if level >= threshold)
            text += f"; admins by MATRIX_ADMIN_POWER_LEVEL={threshold}: {', '.join(admins) or '-'}"
        found.append(Finding("note", text))
    return found
