"""RomM OAuth scopes and which roles hold them."""

from __future__ import annotations

# Order as RomM lists them in `oauth_scopes` (reads first, then writes, then admin ones).
READ_SCOPES: tuple[str, ...] = (
    "me.read",
    "roms.read",
    "platforms.read",
    "assets.read",
    "firmware.read",
    "roms.user.read",
    "collections.read",
    "devices.read",
    "playlists.read",
)
WRITE_SCOPES: tuple[str, ...] = (
    "me.write",
    "roms.user.write",
    "assets.write",
    "devices.write",
    "collections.write",
    "playlists.write",
)
EDIT_SCOPES: tuple[str, ...] = ("roms.write", "platforms.write", "firmware.write")
ADMIN_SCOPES: tuple[str, ...] = ("users.read", "users.write", "tasks.run", "logs.read")

ALL_SCOPES: tuple[str, ...] = READ_SCOPES + WRITE_SCOPES + EDIT_SCOPES + ADMIN_SCOPES

# 5.x: a plain `user` in the default permission group ("Viewer (legacy)") has 15 scopes.
USER_SCOPES_V5: tuple[str, ...] = READ_SCOPES + WRITE_SCOPES

# Before 5.0: roles viewer / editor / admin (no devices / playlists / logs yet).
_LEGACY_READ = tuple(s for s in READ_SCOPES if not s.startswith(("devices.", "playlists.")))
_LEGACY_WRITE = tuple(s for s in WRITE_SCOPES if not s.startswith(("devices.", "playlists.")))
VIEWER_SCOPES_V4: tuple[str, ...] = _LEGACY_READ + _LEGACY_WRITE
EDITOR_SCOPES_V4: tuple[str, ...] = VIEWER_SCOPES_V4 + EDIT_SCOPES
ADMIN_SCOPES_V4: tuple[str, ...] = (*EDITOR_SCOPES_V4, "users.read", "users.write", "tasks.run")


def scopes_for_role(role: str, *, roles_v5: bool) -> tuple[str, ...]:
    """The scopes a user of `role` holds on a RomM of the given generation."""
    if roles_v5:
        return ALL_SCOPES if role == "admin" else USER_SCOPES_V5
    if role == "admin":
        return ADMIN_SCOPES_V4
    if role == "editor":
        return EDITOR_SCOPES_V4
    return VIEWER_SCOPES_V4


def normalize_role(role: str, *, roles_v5: bool) -> str:
    """Coerce a requested role the way RomM does for its generation.

    5.x: only exactly "admin" is admin, anything else becomes "user".
    Before 5.0: viewer / editor / admin; "user" (a 5.x name) is taken as viewer.
    """
    if roles_v5:
        return "admin" if role == "admin" else "user"
    return role if role in ("viewer", "editor", "admin") else "viewer"
