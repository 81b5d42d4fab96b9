"""End-to-end encryption (matrix-nio's `e2e` extra: vodozemac, and peewee for the key store).

- The olm store (the bot's device keys and the sessions it was given) is a SQLite file in
  `DATA_DIR/matrix-store/`, private like the rest of DATA_DIR (folder 0700, files 0600).
- Keys go up and come in between syncs, as nio's own `sync_forever` does it.
- Trust is "trust on first use": every device of a member of a room the bot answers in
  (configured, topic and direct rooms) is marked verified the first time the bot sees it.
  nio keeps the first keys it saw for a device id and ignores later different ones, so a
  device that changes its keys is not believed. Nobody is verified interactively (no emoji
  comparison): the bot shares its room keys with the people it answers, no more.
- Without the extra (not importable), `AVAILABLE` is False and the bot behaves as before:
  it says once that an encrypted room is out of its reach and does not answer there.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from nio import AsyncClient, ErrorResponse

from ...store.privacy import make_folder_private

log = logging.getLogger("romm_comm.matrix")

STORE_FOLDER = "matrix-store"


def _available() -> bool:
    try:
        from nio.crypto import ENCRYPTION_ENABLED
        from nio.store import SqliteStore  # noqa: F401  (peewee)
    except ImportError:
        return False
    return bool(ENCRYPTION_ENABLED)


AVAILABLE = _available()


def store_folder(data_dir: Path) -> Path:
    """The olm store's folder in DATA_DIR, made (or kept) private."""
    folder = data_dir / STORE_FOLDER
    make_folder_private(folder)
    return folder


def open_store(client: AsyncClient, folder: Path) -> bool:
    """Load the olm store for the signed-in device; False (and a log line) when the token
    has no device, which end-to-end encryption needs."""
    if not client.device_id:
        log.warning(
            "matrix: the access token belongs to no device: end-to-end encryption is off "
            "(log in with MATRIX_PASSWORD, or use a token made by a login)"
        )
        return False
    client.load_store()
    make_folder_private(folder)  # the file nio just made
    log.info("matrix: end-to-end encryption on (device %s)", client.device_id)
    return True


async def exchange_keys(client: AsyncClient) -> None:
    """What nio's sync_forever does between syncs: send queued to-device messages (room keys,
    key requests), upload our keys when the server runs low, fetch the keys of people whose
    devices changed, and claim one-time keys to open sessions with new devices."""
    if client.olm is None:
        return
    await client.send_to_device_messages()
    if client.should_upload_keys:
        _logged(await client.keys_upload(), "upload its keys")
    if client.should_query_keys:
        _logged(await client.keys_query(), "fetch people's device keys")
    if client.should_claim_keys:
        _logged(await client.keys_claim(client.get_users_for_key_claiming()), "claim keys")


async def prepare_room(client: AsyncClient, room_id: str) -> None:
    """Before an encrypted message: the device keys of every member (joined or invited) the
    bot knows no device of are fetched, so the room key reaches them too (nio shares it once,
    with the devices it knows then), and new devices are trusted."""
    room = client.rooms[room_id]
    store = client.device_store
    unknown = {
        u for u in room.users if u != client.user_id and not list(store.active_user_devices(u))
    }
    if unknown or client.should_query_keys:
        client.olm.users_for_key_query.update(unknown)
        _logged(await client.keys_query(), "fetch people's device keys")
    trust_on_first_use(client, [room_id])


def trust_on_first_use(client: AsyncClient, room_ids: Iterable[str]) -> int:
    """Mark verified each device, not seen before, of the members of these rooms; the count."""
    if client.olm is None:
        return 0
    from nio.crypto import TrustState

    trusted = 0
    users = {u for r in room_ids if (room := client.rooms.get(r)) for u in room.users}
    for user_id in sorted(users - {client.user_id}):
        for device in client.device_store.active_user_devices(user_id):
            if device.trust_state == TrustState.unset:
                client.verify_device(device)
                trusted += 1
                log.info("matrix: trusting %s's device %s (first seen)", user_id, device.id)
    return trusted


def encryption_state() -> dict[str, Any]:
    """The `m.room.encryption` state event a new encrypted room starts with."""
    return {
        "type": "m.room.encryption",
        "state_key": "",
        "content": {"algorithm": "m.megolm.v1.aes-sha2"},
    }


def _logged(response: Any, what: str) -> None:
    if isinstance(response, ErrorResponse):
        log.warning("matrix: could not %s: %s", what, response)
