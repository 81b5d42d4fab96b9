"""The accounts feature (ENABLE_USER_MANAGER), built from the settings for the composition root."""

from __future__ import annotations

from ..core.notify import Notifications
from ..features.accounts import store as accounts_store
from ..features.accounts.config import AccountOptions
from ..features.accounts.service import AccountService
from ..features.downloads.service import UserCheck, UsernameLookup
from ..romm.client import RommClient
from ..store.db import Store
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


def build_accounts(
    settings: Settings, *, store: Store, client: RommClient, notifications: Notifications
) -> AccountService | None:
    """The accounts service when ENABLE_USER_MANAGER is on (its front end starts it)."""
    if not settings.enable_user_manager:
        return None
    return AccountService(
        store, client, notifications, account_options(settings), public_url=settings.public_url
    )


def download_hooks(
    accounts: AccountService | None,
) -> tuple[UserCheck | None, UsernameLookup | None]:
    """A member whose linked RomM account is disabled gets no download links; feed
    instructions show the linked RomM username."""
    if accounts is None:
        return None, None

    async def allowed(member_key: str) -> bool:
        link = await accounts_store.link_of(accounts.store.conn, member_key)
        return link is None or link.state != "disabled"

    async def username(member_key: str) -> str | None:
        link = await accounts_store.link_of(accounts.store.conn, member_key)
        return link.romm_username if link is not None and link.state == "active" else None

    return allowed, username
