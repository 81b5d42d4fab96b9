"""Credentials as RomM resolves them: session cookie, then Basic, then Bearer (rmm_ client token
or OAuth JWT). Effective scopes of a token = token scopes ∩ the owner's current scopes."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from aiohttp import web

from .library import Library
from .models import User
from .pairing import PairingCodes, PermissionGroups
from .webutil import ApiError, forbidden, not_authenticated

SESSION_COOKIE = "romm_session"
CSRF_COOKIE = "romm_csrftoken"
CSRF_HEADER = "x-csrftoken"
SESSION_MAX_AGE = 14 * 86400
REFRESH_EXPIRY = 7 * 86400
MAX_CLIENT_TOKENS = 25


@dataclass(slots=True)
class ClientToken:
    id: int
    name: str
    user_id: int
    scopes: tuple[str, ...]
    token_hash: str
    created_at: float
    expires_at: float | None = None
    last_used_at: float | None = None


@dataclass(frozen=True, slots=True)
class Principal:
    user: User
    scopes: frozenset[str]
    kind: str  # session | basic | oauth | client_token

    @property
    def is_admin(self) -> bool:
        return self.user.role == "admin"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class AuthStore:
    """Client tokens, OAuth tokens, sessions and CSRF tokens of one simulator."""

    def __init__(self, library: Library, access_token_expiry: int = 1800) -> None:
        self.library = library
        self.access_token_expiry = access_token_expiry
        self.clock: Callable[[], float] = time.time  # what "now" is to the OAuth tokens
        self._secret = os.urandom(32)
        self.client_tokens: dict[int, ClientToken] = {}
        self._token_ids: dict[str, int] = {}
        self._next_token_id = 1
        self.sessions: dict[str, int] = {}
        self._refresh_jtis: set[str] = set()
        self._invites: dict[str, tuple[str, float]] = {}  # invite token -> (role, expires at)
        self.pairing = PairingCodes()  # client-token pairing codes (4.8+)
        self.groups = PermissionGroups()  # permission groups (5.x)

    # ------------------------------------------------------------------ client tokens

    def create_client_token(
        self,
        user: User,
        name: str,
        scopes: Iterable[str],
        expires_at: float | None = None,
    ) -> tuple[ClientToken, str]:
        raw = "rmm_" + secrets.token_hex(32)
        token = ClientToken(
            id=self._next_token_id,
            name=name,
            user_id=user.id,
            scopes=tuple(dict.fromkeys(scopes)),
            token_hash=hash_token(raw),
            created_at=time.time(),
            expires_at=expires_at,
        )
        self._next_token_id += 1
        self.client_tokens[token.id] = token
        self._token_ids[token.token_hash] = token.id
        return token, raw

    def delete_client_token(self, token_id: int) -> None:
        token = self.client_tokens.pop(token_id)
        self._token_ids.pop(token.token_hash, None)

    def regenerate_client_token(self, token: ClientToken) -> str:
        self._token_ids.pop(token.token_hash, None)
        raw = "rmm_" + secrets.token_hex(32)
        token.token_hash = hash_token(raw)
        self._token_ids[token.token_hash] = token.id
        return raw

    # ------------------------------------------------------------------ OAuth JWTs

    def issue_jwt(self, user: User, scopes: Iterable[str], kind: str) -> str:
        lifetime = self.access_token_expiry if kind == "access" else REFRESH_EXPIRY
        jti = uuid.uuid4().hex
        claims = {
            "sub": user.username,
            "iss": "romm:oauth",
            "scopes": " ".join(scopes),
            "type": kind,
            "jti": jti,
            "exp": int(self.clock() + lifetime),
        }
        if kind == "refresh":
            self._refresh_jtis.add(jti)
        header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
        signature = hmac.new(self._secret, f"{header}.{payload}".encode(), "sha256").digest()
        return f"{header}.{payload}.{_b64(signature)}"

    def decode_jwt(self, token: str) -> dict[str, object] | None:
        try:
            header, payload, signature = token.split(".")
            expected = hmac.new(self._secret, f"{header}.{payload}".encode(), "sha256").digest()
            if not hmac.compare_digest(expected, _unb64(signature)):
                return None
            claims = json.loads(_unb64(payload))
        except (ValueError, binascii.Error):
            return None
        if not isinstance(claims, dict) or claims.get("iss") != "romm:oauth":
            return None
        exp = claims.get("exp")
        if not isinstance(exp, int) or exp < self.clock():
            return None
        return claims

    def consume_refresh(self, token: str) -> tuple[User, list[str]]:
        """A refresh token works once; raises 401 otherwise."""
        claims = self.decode_jwt(token)
        jti = claims.get("jti") if claims else None
        if claims is None or claims.get("type") != "refresh" or jti not in self._refresh_jtis:
            raise ApiError(401, "Invalid refresh token", {"WWW-Authenticate": "Bearer"})
        self._refresh_jtis.discard(str(jti))
        user = self.library.user_by_name(str(claims.get("sub", "")))
        if user is None or not user.enabled:
            raise ApiError(401, "Invalid refresh token", {"WWW-Authenticate": "Bearer"})
        return user, str(claims.get("scopes", "")).split()

    def revoke_refresh_tokens(self) -> None:
        """Like flushing RomM's Redis: every refresh token dies."""
        self._refresh_jtis.clear()

    # ------------------------------------------------------------------ sessions, invites

    def new_session(self, user: User) -> str:
        sid = str(uuid.uuid4())
        self.sessions[sid] = user.id
        return sid

    def new_invite(self, role: str, expires_in: int = 600) -> str:
        token = secrets.token_urlsafe(24)
        self._invites[token] = (role, time.time() + expires_in)
        return token

    def take_invite(self, token: str) -> str | None:
        """Single use; None when unknown, used or expired."""
        found = self._invites.pop(token, None)
        if found is None or found[1] <= time.time():
            return None
        return found[0]

    def expire_invites(self) -> None:
        """Every outstanding invite times out now (tests)."""
        self._invites = {t: (role, 0.0) for t, (role, _) in self._invites.items()}

    # ------------------------------------------------------------------ resolving a request

    def check_password(self, username: str, password: str) -> User | None:
        user = self.library.user_by_name(username)
        if user is None or not hmac.compare_digest(user.password.encode(), password.encode()):
            return None
        return user

    def _principal(
        self, user: User | None, scopes: Iterable[str] | None, kind: str
    ) -> Principal | None:
        if user is None or not user.enabled:
            return None
        own = set(self.library.user_scopes(user))
        effective = own if scopes is None else own.intersection(scopes)
        user.last_active = time.time()
        return Principal(user, frozenset(effective), kind)

    def authenticate(self, request: web.Request) -> Principal | None:
        """The caller, or None when credentials are missing or invalid."""
        sid = request.cookies.get(SESSION_COOKIE)
        if sid and sid in self.sessions:
            user = self.library.users.get(self.sessions[sid])
            return self._principal(user, None, "session")
        header = request.headers.get("Authorization", "")
        scheme, _, value = header.partition(" ")
        scheme = scheme.lower()
        value = value.strip()
        if scheme == "basic":
            try:
                username, _, password = (
                    base64.b64decode(value, validate=True).decode().partition(":")
                )
            except (ValueError, binascii.Error):
                return None
            return self._principal(self.check_password(username, password), None, "basic")
        if (
            scheme == "bearer"
            and value.startswith("rmm_")
            and self.library.personality.client_tokens
        ):
            token_id = self._token_ids.get(hash_token(value))
            token = self.client_tokens.get(token_id) if token_id is not None else None
            if token is None or (token.expires_at is not None and token.expires_at < time.time()):
                return None
            token.last_used_at = time.time()
            return self._principal(
                self.library.users.get(token.user_id), token.scopes, "client_token"
            )
        if scheme == "bearer":
            claims = self.decode_jwt(value)
            if claims is None or claims.get("type") != "access":
                return None
            user = self.library.user_by_name(str(claims.get("sub", "")))
            return self._principal(user, str(claims.get("scopes", "")).split(), "oauth")
        return None

    def require(self, request: web.Request, *scopes: str) -> Principal:
        principal = self.authenticate(request)
        if principal is None:
            raise not_authenticated()
        if not principal.scopes.issuperset(scopes):
            raise forbidden()
        return principal
