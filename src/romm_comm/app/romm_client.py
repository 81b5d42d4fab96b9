"""The RomM client built from the settings (ROMM_URL, credentials, API timeout)."""

from __future__ import annotations

from typing import Any

from ..romm.auth import Credentials
from ..romm.client import RommClient
from .settings import Settings


def romm_credentials(settings: Settings, *, extra_scopes: tuple[str, ...] = ()) -> Credentials:
    return Credentials(
        token=settings.romm_api_token,
        username=settings.romm_username,
        password=settings.romm_password,
        extra_scopes=extra_scopes,
    )


def romm_client(settings: Settings, creds: Credentials | None = None, **options: Any) -> RommClient:
    """A client for ROMM_URL with `creds` (default: the configured ones); `options` go to
    RommClient (concurrency, rate, cache...)."""
    if settings.romm_url is None:
        raise ValueError("ROMM_URL is not set")
    return RommClient(
        settings.romm_url,
        romm_credentials(settings) if creds is None else creds,
        timeout=settings.api_timeout,
        **options,
    )
