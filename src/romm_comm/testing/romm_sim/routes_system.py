"""System endpoints: heartbeat, config, stats, and the auth endpoints (token, login, logout)."""

from __future__ import annotations

import base64
import binascii
import time
from typing import Any

from aiohttp import web

from .auth import SESSION_COOKIE, SESSION_MAX_AGE
from .catalog import PLATFORM_BINDINGS
from .state import state_of
from .webutil import ApiError, json_response, query_bool

_DEFAULT_EXCLUDED_DIRS = [
    "@eaDir", "assets", "__MACOSX", "#recycle", "$RECYCLE.BIN", ".Trash-*", ".stfolder",
    ".Spotlight-V100", ".fseventsd", ".DocumentRevisions-V100", "System Volume Information",
]  # fmt: skip
_DEFAULT_EXCLUDED_FILES = [
    ".DS_Store", ".localized", ".Trashes", ".stfolder", "@SynoResource", "*:Zone.Identifier",
    "gamelist.xml", "metadata.pegasus.txt",
]  # fmt: skip
_DEFAULT_EXCLUDED_EXTENSIONS = ["db", "ini", "tmp", "bak", "lock", "log", "cache", "crdownload"]


async def heartbeat(request: web.Request) -> web.Response:
    state = state_of(request)
    lib = state.library
    sources = {
        "ANY_SOURCE_ENABLED": True,
        "IGDB_API_ENABLED": True,
        "SS_API_ENABLED": True,
        "SS_DEV_CREDENTIALS_SET": False,
        "MOBY_API_ENABLED": False,
        "STEAMGRIDDB_API_ENABLED": False,
        "RA_API_ENABLED": False,
        "LAUNCHBOX_API_ENABLED": False,
        "HASHEOUS_API_ENABLED": False,
        "PLAYMATCH_API_ENABLED": False,
        "TGDB_API_ENABLED": False,
        "FLASHPOINT_API_ENABLED": False,
        "HLTB_API_ENABLED": False,
        "LIBRETRO_API_ENABLED": True,
        **state.metadata_sources,
    }
    return json_response(
        {
            "SYSTEM": {"VERSION": lib.personality.version, "SHOW_SETUP_WIZARD": False},
            "METADATA_SOURCES": sources,
            "FILESYSTEM": {"FS_PLATFORMS": sorted(p.fs_slug for p in lib.platforms.values())},
            "EMULATION": {
                "DISABLE_EMULATOR_JS": state.emulator_js_disabled,
                "DISABLE_RUFFLE_RS": False,
            },
            "FRONTEND": {
                "DISABLE_USERPASS_LOGIN": False,
                "DISABLE_LOGS_VIEWER": False,
                "YOUTUBE_BASE_URL": "https://www.youtube.com",
            },
            "OIDC": {
                "ENABLED": False,
                "AUTOLOGIN": False,
                "PROVIDER": "",
                "RP_INITIATED_LOGOUT": False,
            },
            "TASKS": {
                "ENABLE_SCHEDULED_RESCAN": False,
                "SCHEDULED_RESCAN_CRON": "0 3 * * *",
                "ENABLE_SCHEDULED_UPDATE_SWITCH_TITLEDB": False,
                "SCHEDULED_UPDATE_SWITCH_TITLEDB_CRON": "0 4 * * *",
                "ENABLE_SCHEDULED_UPDATE_LAUNCHBOX_METADATA": False,
                "SCHEDULED_UPDATE_LAUNCHBOX_METADATA_CRON": "0 4 * * *",
                "ENABLE_SCHEDULED_CONVERT_IMAGES_TO_WEBP": False,
                "SCHEDULED_CONVERT_IMAGES_TO_WEBP_CRON": "0 4 * * *",
            },
        }
    )


async def config(request: web.Request) -> web.Response:
    lib = state_of(request).library
    present = {p.fs_slug for p in lib.platforms.values()}
    excluded_dirs = sorted(_DEFAULT_EXCLUDED_DIRS)
    excluded_files = sorted(_DEFAULT_EXCLUDED_FILES)
    excluded_ext = sorted(_DEFAULT_EXCLUDED_EXTENSIONS)
    return json_response(
        {
            "CONFIG_FILE_MOUNTED": True,
            "CONFIG_FILE_WRITABLE": True,
            "CONFIG_FILE_PARSE_ERROR": None,
            "EXCLUDED_PLATFORMS": excluded_dirs,
            "EXCLUDED_SINGLE_EXT": excluded_ext,
            "EXCLUDED_SINGLE_FILES": excluded_files,
            "EXCLUDED_MULTI_FILES": excluded_dirs,
            "EXCLUDED_MULTI_PARTS_EXT": excluded_ext,
            "EXCLUDED_MULTI_PARTS_FILES": excluded_files,
            "DEFAULT_EXCLUDED_DIRS": _DEFAULT_EXCLUDED_DIRS,
            "DEFAULT_EXCLUDED_FILES": _DEFAULT_EXCLUDED_FILES,
            "DEFAULT_EXCLUDED_EXTENSIONS": _DEFAULT_EXCLUDED_EXTENSIONS,
            "PLATFORMS_BINDING": {k: v for k, v in PLATFORM_BINDINGS.items() if k in present},
            "PLATFORMS_VERSIONS": {},
            "SKIP_HASH_CALCULATION": False,
            "EJS_DEBUG": False,
            "EJS_CACHE_LIMIT": None,
            "EJS_DISABLE_AUTO_UNLOAD": False,
            "EJS_DISABLE_BATCH_BOOTUP": False,
            "EJS_NETPLAY_ENABLED": False,
            "EJS_NETPLAY_ICE_SERVERS": [],
            "EJS_SETTINGS": {},
            "EJS_CONTROLS": {},
            "SCAN_METADATA_PRIORITY": ["igdb", "moby", "ss", "ra", "launchbox", "gamelist",
                                       "hasheous", "tgdb", "flashpoint", "hltb"],
            "SCAN_ARTWORK_PRIORITY": ["sgdb", "igdb", "moby", "ss", "libretro", "ra",
                                      "launchbox", "gamelist", "hasheous", "tgdb",
                                      "flashpoint", "hltb"],
            "SCAN_ARTWORK_PRIORITY_OVERRIDES": {},
            "SCAN_REGION_PRIORITY": ["us", "wor", "ss", "eu", "jp"],
            "SCAN_LANGUAGE_PRIORITY": ["en"],
            "SCAN_MEDIA": ["box2d", "screenshot", "manual"],
            "GAMELIST_AUTO_EXPORT_ON_SCAN": False,
            "GAMELIST_MEDIA_THUMBNAIL": "box2d",
            "GAMELIST_MEDIA_IMAGE": "screenshot",
            "PEGASUS_AUTO_EXPORT_ON_SCAN": False,
        }
    )  # fmt: skip


async def stats(request: web.Request) -> web.Response:
    """No auth required; hidden platforms are left out for signed-in non-admins."""
    state = state_of(request)
    lib = state.library
    principal = state.auth.authenticate(request)
    hidden = set() if principal is None or principal.is_admin else lib.hidden_platform_ids()
    visible = [p for p in lib.platforms.values() if p.id not in hidden]
    data: dict[str, Any] = {
        "PLATFORMS": len(visible),
        "ROMS": sum(len(lib.roms_of(p.id)) for p in visible),
        "SAVES": lib.saves,
        "STATES": lib.states,
        "SCREENSHOTS": lib.screenshots,
        "TOTAL_FILESIZE_BYTES": sum(lib.platform_size(p.id) for p in visible),
    }
    if query_bool(request, "include_platform_stats") and lib.personality.roles_v5:
        coverage: dict[str, list[dict[str, Any]]] = {}
        regions: dict[str, list[dict[str, Any]]] = {}
        for platform in lib.platforms.values():
            if platform.id in hidden:
                continue
            platform_roms = lib.roms_of(platform.id)
            igdb = sum(1 for r in platform_roms if r.igdb_id is not None)
            ss = sum(1 for r in platform_roms if r.ss_id is not None)
            coverage[str(platform.id)] = [
                {"source": source, "matched": count}
                for source, count in (("igdb", igdb), ("ss", ss))
                if count
            ]
            counts: dict[str, int] = {}
            for rom in platform_roms:
                for region in rom.regions:
                    counts[region] = counts.get(region, 0) + 1
            if counts:
                regions[str(platform.id)] = [
                    {"region": k, "count": v}
                    for k, v in sorted(counts.items(), key=lambda kv: -kv[1])
                ]
        data["METADATA_COVERAGE"] = coverage
        data["REGION_BREAKDOWN"] = regions
    return json_response(data)


async def token(request: web.Request) -> web.Response:
    state = state_of(request)
    auth = state.auth
    form = await request.post()
    grant_type = str(form.get("grant_type") or "password")
    if grant_type == "refresh_token":
        refresh = str(form.get("refresh_token") or "")
        if not refresh:
            raise ApiError(400, "Missing refresh token")
        user, scopes = auth.consume_refresh(refresh)
    elif grant_type == "password":
        username, password = str(form.get("username") or ""), str(form.get("password") or "")
        if not username or not password:
            raise ApiError(400, "Missing username or password")
        found = auth.check_password(username, password)
        if found is None:
            raise ApiError(401, "Invalid username or password")
        if not found.enabled:
            raise ApiError(403, "Disabled user")
        user = found
        scopes = str(form.get("scope") or "").split()
        if not set(scopes).issubset(state.library.user_scopes(user)):
            raise ApiError(403, "Insufficient scope")
    elif grant_type == "client_credentials":
        raise ApiError(400, "Client credentials are not yet supported")
    else:
        raise ApiError(400, "Invalid or unsupported grant type")
    return json_response(
        {
            "access_token": auth.issue_jwt(user, scopes, "access"),
            "token_type": "bearer",
            "expires": auth.access_token_expiry,
            "refresh_token": auth.issue_jwt(user, scopes, "refresh"),
            "refresh_expires": 7 * 86400,
        }
    )


async def login(request: web.Request) -> web.Response:
    """HTTP Basic -> a `romm_session` cookie (what the Socket.IO scan needs)."""
    auth = state_of(request).auth
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        raise ApiError(401, "Not authenticated", {"WWW-Authenticate": "Basic"})
    try:
        username, _, password = (
            base64.b64decode(value.strip(), validate=True).decode().partition(":")
        )
    except (ValueError, binascii.Error):
        raise ApiError(
            401, "Invalid authentication credentials", {"WWW-Authenticate": "Basic"}
        ) from None
    user = auth.check_password(username, password)
    if user is None:
        raise ApiError(401, "Invalid username or password")
    if not user.enabled:
        raise ApiError(401, "Disabled user")
    user.last_login = user.last_active = time.time()
    response = json_response(None)
    response.set_cookie(
        SESSION_COOKIE,
        auth.new_session(user),
        path="/",
        max_age=SESSION_MAX_AGE,
        httponly=True,
        samesite="strict",
    )
    return response


async def logout(request: web.Request) -> web.Response:
    auth = state_of(request).auth
    sid = request.cookies.get(SESSION_COOKIE)
    if sid:
        auth.sessions.pop(sid, None)
    response = json_response(None)
    response.del_cookie(SESSION_COOKIE, path="/")
    return response


def setup(app: web.Application) -> None:
    app.router.add_get("/api/heartbeat", heartbeat, allow_head=False)
    app.router.add_get("/api/config", config, allow_head=False)
    app.router.add_get("/api/stats", stats, allow_head=False)
    app.router.add_post("/api/token", token)
    app.router.add_post("/api/login", login)
    app.router.add_post("/api/logout", logout)
