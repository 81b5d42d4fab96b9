"""Wiring of the accounts feature (ENABLE_USER_MANAGER) for the composition root (app.py)."""

from __future__ import annotations

from .services.account_config import AccountOptions
from .services.accounts import AccountService
from .services.container import Services
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
    return AccountService(
        services.store,
        services.client,
        services.notifications,
        account_options(settings),
        public_url=settings.public_url,
    )
