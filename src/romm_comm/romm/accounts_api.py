"""RomM calls for account management: users, invite links, permission groups (5.x) and
client-token pairing. Part of the one RomM client (`RommClient` inherits these methods).

Secrets (passwords, invite tokens, raw client tokens) travel as `SecretStr` and are only
unwrapped into the request itself; nothing here logs a body.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from .errors import RommAuthError, RommBadResponse, RommForbidden
from .models import User

FormFields = Mapping[str, str]


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class InviteLink(_Model):
    token: SecretStr
    url: str | None = None


class HiddenEntity(_Model):
    entity: str  # "platform" or "rom"
    entity_id: int


class PermissionGroup(_Model):
    id: int
    name: str
    is_default: bool = False
    is_system: bool = False
    hidden: list[HiddenEntity] = Field(default_factory=list)

    @property
    def hidden_platform_ids(self) -> frozenset[int]:
        return frozenset(h.entity_id for h in self.hidden if h.entity == "platform")


class PairedToken(_Model):
    """What `POST /api/client-tokens/exchange` hands back: a fresh raw token of the pairer."""

    id: int
    user_id: int
    name: str = ""
    scopes: list[str] = []
    raw_token: SecretStr


M = TypeVar("M", bound=BaseModel)


def _one(model: type[M], body: Any, path: str) -> M:
    try:
        return model.model_validate(body)
    except ValueError:
        raise RommBadResponse(f"{path}: unexpected shape") from None


class AccountsApi:
    """Mixed into RommClient, which provides `request_json`."""

    async def request_json(
        self,
        method: str,
        path: str,
        params: Sequence[tuple[str, str]] = (),
        *,
        data: dict[str, str] | None = None,
        json_body: Any = None,
        bearer: SecretStr | None = None,
        idempotent: bool | None = None,
    ) -> Any:
        raise NotImplementedError

    # --- users ------------------------------------------------------------------------------
    async def user(self, user_id: int) -> User:
        path = f"/api/users/{int(user_id)}"
        return _one(User, await self.request_json("GET", path), "/api/users/{id}")

    async def create_user(
        self, username: str, password: SecretStr, role: str, *, email: str = ""
    ) -> User:
        body = {
            "username": username,
            "email": email,
            "password": password.get_secret_value(),
            "role": role,
        }
        created = await self.request_json("POST", "/api/users", json_body=body)
        return _one(User, created, "/api/users")

    async def update_user(self, user_id: int, fields: FormFields) -> User:
        """`PUT /api/users/{id}` takes form fields (enabled "true"/"false", password, ...)."""
        path = f"/api/users/{int(user_id)}"
        body = await self.request_json("PUT", path, data=dict(fields), idempotent=True)
        return _one(User, body, "/api/users/{id}")

    async def set_user_enabled(self, user_id: int, enabled: bool) -> User:
        return await self.update_user(user_id, {"enabled": "true" if enabled else "false"})

    async def set_user_password(self, user_id: int, password: SecretStr) -> User:
        return await self.update_user(user_id, {"password": password.get_secret_value()})

    async def delete_user(self, user_id: int) -> None:
        await self.request_json("DELETE", f"/api/users/{int(user_id)}")

    async def invite_link(self, role: str, expiration: int) -> InviteLink:
        params = [("role", role), ("expiration", str(int(expiration)))]
        body = await self.request_json("POST", "/api/users/invite-link", params)
        return _one(InviteLink, body, "/api/users/invite-link")

    # --- permission groups (5.x) ------------------------------------------------------------
    async def permission_groups(self) -> list[PermissionGroup]:
        body = await self.request_json("GET", "/api/permissions/groups")
        if not isinstance(body, list):
            raise RommBadResponse("/api/permissions/groups: expected a list")
        return [_one(PermissionGroup, g, "/api/permissions/groups") for g in body]

    async def set_permission_group(self, user_id: int, group_id: int) -> None:
        body = {"permission_group_id": int(group_id), "set_group": True}
        path = f"/api/permissions/users/{int(user_id)}"
        await self.request_json("PUT", path, json_body=body, idempotent=True)

    # --- client-token pairing ---------------------------------------------------------------
    async def exchange_pair_code(self, code: str) -> PairedToken:
        """Trade a pairing code made in RomM's UI for that token (RomM regenerates it)."""
        body = await self.request_json(
            "POST", "/api/client-tokens/exchange", json_body={"code": code}
        )
        return _one(PairedToken, body, "/api/client-tokens/exchange")

    async def me_with_token(self, token: SecretStr) -> User:
        """`GET /api/users/me` as the token's owner: who paired, in RomM's own words."""
        body = await self.request_json("GET", "/api/users/me", bearer=token)
        return _one(User, body, "/api/users/me")

    async def delete_client_token(self, token_id: int, token: SecretStr) -> None:
        """Remove a paired token: as its owner when it may (me.write), else as an admin."""
        try:
            await self.request_json("DELETE", f"/api/client-tokens/{int(token_id)}", bearer=token)
        except (RommForbidden, RommAuthError):
            await self.request_json("DELETE", f"/api/client-tokens/{int(token_id)}/admin")
