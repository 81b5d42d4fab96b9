"""How the bot proves who it is to RomM: client token, OAuth2 password grant, or Basic.

Order (see the RomM API notes §1.7): an `rmm_` client token when configured; otherwise the
OAuth2 password grant with the scopes the bot needs (fewer if the account lacks some), with
refresh and re-login on 401; HTTP Basic when the token endpoint is unusable.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pydantic import SecretStr

from .errors import RommAuthError, RommError, RommTimeout, RommUnreachable

if TYPE_CHECKING:
    import aiohttp

log = logging.getLogger(__name__)

READ_SCOPES = (
    "me.read",
    "roms.read",
    "platforms.read",
    "firmware.read",
    "assets.read",
    "collections.read",
)
BOT_SCOPES = (*READ_SCOPES, "users.read", "tasks.run")
ACCOUNT_SCOPES = ("users.write", "me.write")  # account management (ENABLE_USER_MANAGER)

AuthMode = Literal["token", "oauth", "basic", "none"]


@dataclass
class Credentials:
    token: SecretStr | None = None
    username: str | None = None
    password: SecretStr | None = None
    extra_scopes: tuple[str, ...] = ()  # asked for on top of BOT_SCOPES (e.g. ACCOUNT_SCOPES)

    @property
    def mode(self) -> AuthMode:
        if self.token is not None:
            return "token"
        if self.username and self.password is not None:
            return "oauth"
        return "none"


class Authenticator:
    """Hands out the Authorization header, logging in or refreshing when needed."""

    def __init__(
        self, creds: Credentials, base_url: str, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._creds = creds
        self._clock = clock  # when a token is due for renewal (tests pass their own)
        self._base = base_url
        self.mode: AuthMode = creds.mode
        self._access: str | None = None
        self._refresh: str | None = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()
        self.granted_scopes: tuple[str, ...] = ()

    def _basic(self) -> str:
        assert self._creds.username and self._creds.password is not None
        raw = f"{self._creds.username}:{self._creds.password.get_secret_value()}"
        return "Basic " + base64.b64encode(raw.encode()).decode()

    async def header(self, session: aiohttp.ClientSession) -> dict[str, str]:
        if self.mode == "token":
            assert self._creds.token is not None
            return {"Authorization": f"Bearer {self._creds.token.get_secret_value()}"}
        if self.mode == "basic":
            return {"Authorization": self._basic()}
        if self.mode == "oauth":
            async with self._lock:
                if self._access is None or self._clock() > self._expires_at:
                    await self._obtain(session)
            if self._access is None:  # _obtain fell back to Basic
                return {"Authorization": self._basic()}
            return {"Authorization": f"Bearer {self._access}"}
        return {}

    async def rejected(self, session: aiohttp.ClientSession) -> bool:
        """A request got 401. Returns True when retrying with fresh credentials makes sense."""
        if self.mode != "oauth":
            return False
        async with self._lock:
            self._access = None
            try:
                await self._obtain(session)
            except RommAuthError:
                return False
        return True

    async def _obtain(self, session: aiohttp.ClientSession) -> None:
        if self._refresh is not None:
            try:
                await self._grant(
                    session, {"grant_type": "refresh_token", "refresh_token": self._refresh}
                )
                return
            except RommUnreachable:
                raise
            except RommError:
                self._refresh = None
        wanted = tuple(dict.fromkeys((*BOT_SCOPES, *self._creds.extra_scopes)))
        for scopes in dict.fromkeys((wanted, BOT_SCOPES, READ_SCOPES)):
            status = await self._password_grant(session, scopes)
            if status == 200:
                self.granted_scopes = scopes
                return
            if status == 401:
                raise RommAuthError(
                    f"ROMM_PASSWORD is wrong for user {self._creds.username}: RomM answered 401",
                    status=401,
                )
            if status != 403:
                break
        # The token endpoint is unusable (too old, disabled, proxied away): fall back to Basic.
        log.info("romm auth: OAuth password grant unavailable, using HTTP Basic")
        self.mode = "basic"

    async def _password_grant(self, session: aiohttp.ClientSession, scopes: tuple[str, ...]) -> int:
        assert self._creds.username and self._creds.password is not None
        form = {
            "grant_type": "password",
            "username": self._creds.username,
            "password": self._creds.password.get_secret_value(),
            "scope": " ".join(scopes),
        }
        try:
            await self._grant(session, form)
        except RommUnreachable:
            raise
        except RommError as exc:
            return exc.status or 0
        return 200

    async def _grant(self, session: aiohttp.ClientSession, form: dict[str, str]) -> None:
        import aiohttp

        try:
            async with session.post(f"{self._base}/api/token", data=form) as resp:
                if resp.status != 200:
                    raise RommError(f"token endpoint answered {resp.status}", status=resp.status)
                body = await resp.json(content_type=None)
                access = str(body["access_token"])
        except TimeoutError:
            raise RommTimeout("token endpoint timed out") from None
        except aiohttp.ClientConnectionError as exc:
            raise RommUnreachable(f"token endpoint: {type(exc).__name__}") from None
        except (aiohttp.ClientError, ValueError, KeyError) as exc:
            raise RommError(f"token endpoint failed: {type(exc).__name__}") from None
        self._access = access
        self._refresh = body.get("refresh_token")
        lifetime = float(body.get("expires") or 1800)
        self._expires_at = self._clock() + max(lifetime - 60, lifetime / 2)
