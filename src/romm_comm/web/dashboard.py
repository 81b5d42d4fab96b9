"""The requests dashboard at `/`: sign in with your own RomM account, see your requests (or,
as a RomM admin, everyone's) and act on them through the same RequestService as the chat, so
requesters are told in chat exactly as when an admin acts there.

Server-rendered (Jinja2, autoescaped: what people typed shows as text). The session cookie is
HttpOnly, SameSite=Lax and Secure behind an https PUBLIC_URL; every form carries a CSRF token
(a POST without the right one gets 403); sign-in attempts are rate-limited per address and per
username; nothing secret goes into a URL, and the password is neither kept nor logged."""

from __future__ import annotations

import hmac
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from pydantic import SecretStr

from ..features.accounts import store as account_store
from ..features.requests.models import STATUSES, GameRequest, Outcome, Person, RequestQuery
from ..features.requests.service import RequestService
from ..features.requests.store import SORTS
from ..features.services import Services
from ..romm.errors import RommError
from .indexers import IndexerPages
from .ratelimit import RateLimiter
from .sessions import Session, Sessions

log = logging.getLogger(__name__)

COOKIE = "rc_session"
SIGNIN_COOKIE = "rc_signin"  # the sign-in form's CSRF token, before there is a session
PAGE_SIZE = 50
TEMPLATES = Path(__file__).parent / "templates"
MESSAGES = {
    "cancelled": "Request cancelled.",
    "fulfilled": "Request fulfilled; the requester is told in chat.",
    "rejected": "Request rejected; the requester is told in chat.",
    "noted": "Note added.",
    "not_pending": "That request is no longer pending.",
    "not_found": "There is no such request.",
    "handed_over": "You withdrew; someone else who wants it now holds the request.",
    "signed_out": "You are signed out.",
}


@dataclass(frozen=True)
class DashboardOptions:
    session_ttl: float = 12 * 3600.0
    secure_cookies: bool = False  # PUBLIC_URL is https
    signin_per_minute: float = 5.0
    signin_burst: int = 5
    # Wall-clock seconds (sessions' expiry; tests move it forward).
    clock: Callable[[], float] = field(default=time.time, compare=False)


def actor(session: Session) -> Person:
    return Person(f"romm:{session.username}", session.username)


class Dashboard:
    def __init__(
        self,
        services: Services,
        requests: RequestService,
        options: DashboardOptions,
        client_address: Callable[[web.Request], str],
    ) -> None:
        self.services = services
        self.requests = requests
        self.options = options
        self.sessions = Sessions(services.store, ttl=options.session_ttl, clock=options.clock)
        self.by_address = RateLimiter(options.signin_per_minute, options.signin_burst)
        self.by_username = RateLimiter(options.signin_per_minute, options.signin_burst)
        self.client_address = client_address

    def add_routes(self, app: web.Application) -> None:
        aiohttp_jinja2.setup(
            app,
            loader=jinja2.FileSystemLoader(TEMPLATES),
            autoescape=jinja2.select_autoescape(default=True),
        )
        app.router.add_get("/", self.home)
        app.router.add_post("/signin", self.sign_in)
        app.router.add_post("/signout", self.sign_out)
        app.router.add_get("/requests/{id:\\d+}/fulfil", self.fulfil_page)
        app.router.add_post("/requests/{id:\\d+}/{action:cancel|fulfil|reject|note}", self.act)
        if self.services.prowlarr is not None:
            IndexerPages(self, self.services.prowlarr, actor).add_routes(app)

    # --- pages --------------------------------------------------------------------------
    async def home(self, request: web.Request) -> web.StreamResponse:
        session = await self._session(request)
        if session is None:
            return self._signin_page(request, message=MESSAGES.get(request.query.get("m", "")))
        query = request.query
        status = query.get("status", "pending" if session.is_admin else "")
        statuses = [status] if status in STATUSES else []
        platform = query.get("platform", "")
        text = query.get("q", "")[:100]
        sort = query.get("sort", "newest")
        page = max(1, _int(query.get("page")) or 1)
        selected = RequestQuery(
            statuses=tuple(statuses),
            platform_key=platform or None,
            text=text,
            user_keys=None if session.is_admin else tuple(await self._keys(session)),
            sort=sort if sort in SORTS else "newest",
        )
        rows, total = await self.requests.search(
            selected, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
        )
        context = {
            "session": session,
            "rows": rows,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // PAGE_SIZE)),
            "status": status,
            "statuses": [(s, s.capitalize()) for s in STATUSES],
            "platform": platform,
            "platforms": await self.requests.platforms_requested() if session.is_admin else [],
            "q": text,
            "sort": sort,
            "sorts": list(SORTS),
            "message": MESSAGES.get(query.get("m", "")),
            "history": await self._history(rows),
            "indexers": self.services.prowlarr is not None,
        }
        return self._render("requests.html", request, context)

    async def fulfil_page(self, request: web.Request) -> web.StreamResponse:
        session = await self._session(request)
        if session is None or not session.is_admin:
            raise web.HTTPForbidden(text="403: for RomM admins only.")
        found = await self.requests.get(int(request.match_info["id"]))
        if found is None:
            raise web.HTTPNotFound(text="404: there is no such request.")
        candidates = []
        rom = await self._quietly(self.requests.rom_for(found))
        if rom is not None:
            candidates.append(rom)
        platform = await self._quietly(
            self.services.catalog.resolve_platform(found.platform_key, admin=True)
        )
        if platform is not None:
            result = await self._quietly(
                self.services.catalog.search(found.title, platform, admin=True)
            )
            if result is not None:
                candidates += [r for r in result.page.items[:10] if r.id != getattr(rom, "id", 0)]
        context = {"session": session, "req": found, "candidates": candidates}
        return self._render("fulfil.html", request, context)

    # --- signing in and out -------------------------------------------------------------
    async def sign_in(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        given = str(form.get("csrf", ""))
        expected = request.cookies.get(SIGNIN_COOKIE, "")
        if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            raise web.HTTPForbidden(text="403: the form is stale; reload the page.")
        username = str(form.get("username", "")).strip()[:150]
        password = SecretStr(str(form.get("password", "")))
        if not username or not password.get_secret_value():
            return self._signin_page(request, error="Enter your RomM username and password.")
        wait = max(
            self.by_address.take(self.client_address(request)),
            self.by_username.take(username.casefold()),
        )
        if wait:
            log.info("dashboard: sign-in attempts for %r rate-limited", username)
            response = self._signin_page(
                request, error=f"Too many attempts; try again in {int(wait) + 1} s.", status=429
            )
            response.headers["Retry-After"] = str(int(wait) + 1)
            return response
        try:
            user = await self.services.client.sign_in(username, password)
        except RommError as exc:
            log.warning("dashboard: sign-in could not reach RomM: %s", type(exc).__name__)
            return self._signin_page(
                request, error="RomM cannot be reached right now; try again later.", status=503
            )
        if user is None or not user.enabled:
            log.info("dashboard: sign-in refused for %r", username)
            return self._signin_page(request, error="Wrong username or password.", status=401)
        token, _ = await self.sessions.open(user.id, user.username, user.role == "admin")
        log.info("dashboard: %s signed in (%s)", user.username, user.role)
        response = web.HTTPSeeOther("/")
        response.set_cookie(
            COOKIE,
            token,
            max_age=int(self.options.session_ttl),
            httponly=True,
            samesite="Lax",
            secure=self.options.secure_cookies,
            path="/",
        )
        response.del_cookie(SIGNIN_COOKIE, path="/")
        raise response

    async def sign_out(self, request: web.Request) -> web.StreamResponse:
        session = await self._checked(request)
        await self.sessions.close(request.cookies.get(COOKIE))
        log.info("dashboard: %s signed out", session.username)
        response = web.HTTPSeeOther("/?m=signed_out")
        response.del_cookie(COOKIE, path="/")
        raise response

    # --- actions ------------------------------------------------------------------------
    async def act(self, request: web.Request) -> web.StreamResponse:
        session = await self._checked(request)
        form = await request.post()
        rid = int(request.match_info["id"])
        action = request.match_info["action"]
        found = await self.requests.get(rid)
        if found is None:
            return _back("not_found")
        if action == "cancel":
            if not await self._owns(session, found):
                raise web.HTTPForbidden(text="403: that is not your request.")
            # The requester themselves withdraws, as they would from chat.
            outcome = await self.requests.cancel(rid, found.requester, "withdrawn on the web")
            return _back(_code(outcome, "cancelled"))
        if not session.is_admin:
            raise web.HTTPForbidden(text="403: for RomM admins only.")
        who = actor(session)
        text = str(form.get("text", form.get("reason", ""))).strip()[:1000]
        if action == "reject":
            reason = str(form.get("reason", "")).strip()[:1000]
            return _back(_code(await self.requests.reject(rid, who, reason), "rejected"))
        if action == "note":
            if not text:
                return _back("noted")
            return _back(_code(await self.requests.note(rid, who, text), "noted"))
        rom_id = _int(str(form.get("rom_id_typed", ""))) or _int(str(form.get("rom_id", "")))
        try:
            outcome = await self.requests.fulfil(rid, who, rom_id=rom_id)
        except RommError as exc:
            log.warning("dashboard: fulfil #%d: %s", rid, type(exc).__name__)
            raise web.HTTPServiceUnavailable(text="503: RomM cannot be reached.") from None
        return _back(_code(outcome, "fulfilled"))

    # --- for the dashboard's other pages -------------------------------------------------
    async def session_of(self, request: web.Request) -> Session | None:
        """The signed-in session of a request (None: show the sign-in form)."""
        return await self._session(request)

    def page(
        self, name: str, request: web.Request, context: dict[str, Any], status: int = 200
    ) -> web.Response:
        """A template rendered with the dashboard's headers (no cache, CSP, nosniff)."""
        return self._render(name, request, context, status)

    def signin(self, request: web.Request) -> web.Response:
        return self._signin_page(request)

    async def checked(self, request: web.Request) -> Session:
        """The session of a POST with the right CSRF token; 403 otherwise."""
        return await self._checked(request)

    async def people_of(self, session: Session) -> list[str]:
        """The chat people a signed-in RomM account is (see `_keys`)."""
        return await self._keys(session)

    # --- helpers ------------------------------------------------------------------------
    async def _session(self, request: web.Request) -> Session | None:
        return await self.sessions.get(request.cookies.get(COOKIE))

    async def _checked(self, request: web.Request) -> Session:
        """The session of a POST with the right CSRF token; 403 otherwise."""
        session = await self._session(request)
        form = await request.post()
        given = str(form.get("csrf", ""))
        if session is None or not hmac.compare_digest(given.encode(), session.csrf.encode()):
            raise web.HTTPForbidden(text="403: sign in again (the form is stale).")
        return session

    async def _keys(self, session: Session) -> list[str]:
        """The chat people this RomM account is: its linked member (accounts feature), else
        requests made under its username."""
        keys = [actor(session).key]
        link = await account_store.holder_of(self.services.store.conn, session.romm_id)
        if link is not None:
            keys.append(link.member_key)
        elif self.services.accounts is None:
            keys += await self.requests.keys_named(session.username)
        return keys

    async def _owns(self, session: Session, found: GameRequest) -> bool:
        keys = await self._keys(session)
        return found.requester.key in keys

    async def _history(self, rows: list[GameRequest]) -> dict[int, list[Any]]:
        return {r.id: await self.requests.history(r.id) for r in rows}

    @staticmethod
    async def _quietly(pending: Any) -> Any:
        try:
            return await pending
        except Exception:  # a missing platform or RomM away: the page shows fewer choices
            return None

    def _signin_page(
        self,
        request: web.Request,
        *,
        error: str | None = None,
        message: str | None = None,
        status: int = 200,
    ) -> web.Response:
        token = secrets.token_urlsafe(24)
        response = self._render(
            "signin.html", request, {"error": error, "message": message, "csrf": token}, status
        )
        response.set_cookie(
            SIGNIN_COOKIE,
            token,
            httponly=True,
            samesite="Strict",
            secure=self.options.secure_cookies,
            path="/",
        )
        return response

    @staticmethod
    def _render(
        name: str, request: web.Request, context: dict[str, Any], status: int = 200
    ) -> web.Response:
        response = aiohttp_jinja2.render_template(name, request, context, status=status)
        response.headers["Cache-Control"] = "no-store"
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self';"
            " form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        return response


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text else None
    except ValueError:
        return None


def _code(outcome: Outcome, done: str) -> str:
    if outcome.kind in ("done", "handed_over"):
        return "handed_over" if outcome.kind == "handed_over" else done
    return outcome.kind if outcome.kind in MESSAGES else "not_pending"


def _back(code: str) -> web.StreamResponse:
    raise web.HTTPSeeOther(f"/?m={code}")
