"""Logging in: an access token as given, or a password login whose token and device id are
kept in the data directory (`matrix-session.json`, readable by the bot's user only) so a
restart reuses the same device instead of making a new one each time."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from nio import AsyncClient, LoginResponse, WhoamiResponse

from .config import MatrixConfig

log = logging.getLogger("romm_comm.matrix")

SESSION_FILE = "matrix-session.json"
DEVICE_NAME = "RomM-ComM"


class LoginFailed(Exception):
    """The homeserver refused the token or password (a sentence for the admin)."""


def _session_path(config: MatrixConfig) -> Path:
    return config.data_dir / SESSION_FILE


def _saved(config: MatrixConfig) -> dict[str, str] | None:
    try:
        data = json.loads(_session_path(config).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("user_id") != config.matrix_user_id:
        return None
    if data.get("homeserver") != config.matrix_homeserver:
        return None
    return {k: str(v) for k, v in data.items()}


def _save(config: MatrixConfig, token: str, device_id: str) -> None:
    path = _session_path(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "homeserver": config.matrix_homeserver,
        "user_id": config.matrix_user_id,
        "access_token": token,
        "device_id": device_id,
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out)


async def log_in(client: AsyncClient, config: MatrixConfig) -> str:
    """Authenticate `client`; return the bot's user id. Raises LoginFailed."""
    if config.matrix_access_token is not None:
        client.access_token = config.matrix_access_token.get_secret_value()
        return await _whoami(client, "MATRIX_ACCESS_TOKEN")
    saved = _saved(config)
    if saved is not None:
        client.access_token = saved["access_token"]
        client.device_id = saved["device_id"]
        try:
            return await _whoami(client, "the saved session")
        except LoginFailed:
            log.info("matrix: the saved session is no longer valid; logging in again")
    if config.matrix_password is None or not config.matrix_user_id:
        raise LoginFailed("set MATRIX_ACCESS_TOKEN, or MATRIX_USER_ID and MATRIX_PASSWORD")
    client.user = config.matrix_user_id
    if saved is not None:
        client.device_id = saved["device_id"]  # the same device again, not a new one
    response = await client.login(config.matrix_password.get_secret_value(), DEVICE_NAME)
    if not isinstance(response, LoginResponse):
        raise LoginFailed(f"the homeserver refused MATRIX_PASSWORD ({response.status_code})")
    _save(config, response.access_token, response.device_id)
    return str(response.user_id)


async def _whoami(client: AsyncClient, what: str) -> str:
    response = await client.whoami()
    if not isinstance(response, WhoamiResponse):
        raise LoginFailed(f"the homeserver refused {what} ({response.status_code})")
    client.user_id = response.user_id
    if response.device_id:
        client.device_id = response.device_id
    return str(response.user_id)
