"""Wiring of the accounts feature (ENABLE_USER_MANAGER) for the composition root (app.py)."""

from __future__ import annotations

from ..features.accounts import store as accounts_store
from ..features.accounts.config import AccountOptions
from ..features.accounts.service import AccountService
from ..features.downloads.service import DownloadService
from ..features.services import Services
from .settings import Settings


def account_options(settings: Settings) -> AccountOptions:
    return AccountOptions(
        role_id=settings.auto_register_role_id,
        role=settings.account_role,
        group=settings.account_permission_group,
        delete_after_days=settings.account_delete_after_days,
        invite_ttl=settings.account_invite_ttl,
        sync_interval=settings.account_sync_interval,
    )


def build_account_service(settings: Settings, services: Services) -> AccountService | None:
    """The accounts service when ENABLE_USER_MANAGER is on (its front end starts it)."""
    if not settings.enable_user_manager:
        return None
    service = AccountService(
        services.store,
        services.client,
        services.notifications,
        account_options(settings),
        public_url=settings.public_url,
    )
    connect_downloads(service, services.downloads)
    return service


def connect_downloads(accounts: AccountService, downloads: DownloadService) -> None:
    """A member whose linked RomM account is disabled gets no download links; feed
    instructions show the linked RomM username."""

    async def allowed(member_key: str) -> bool:
        link = await accounts_store.link_of(accounts.store.conn, member_key)
        return link is None or link.state != "disabled"

    async def username(member_key: str) -> str | None:
        link = await accounts_store.link_of(accounts.store.conn, member_key)
        return link.romm_username if link is not None and link.state == "active" else None

    downloads.user_allowed = allowed
    downloads.romm_username = username
