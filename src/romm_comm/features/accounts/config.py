"""What new accounts get, checked against what the connected RomM accepts (the earlier bot sent
`viewer` to RomM 5, which silently made a plain user).

RomM 3.x–4.x: roles viewer / editor / admin; ACCOUNT_ROLE is viewer (default) or editor.
RomM 5.x: roles user / admin and permission groups; ACCOUNT_ROLE may only be user, and
ACCOUNT_PERMISSION_GROUP names a group (id or name) from `/api/permissions/groups`.
New accounts are never admins. A problem switches creating accounts off (revoking still works)
and is reported once, with what to set instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...romm.accounts_api import PermissionGroup
from ...romm.version import Capabilities
from .plan import Mode

LEGACY_ROLES = ("viewer", "editor")


@dataclass(frozen=True)
class AccountOptions:
    """The user settings of the accounts feature."""

    role_id: int | None = None  # AUTO_REGISTER_ROLE_ID
    role: str | None = None  # ACCOUNT_ROLE
    group: str | None = None  # ACCOUNT_PERMISSION_GROUP (id or name)
    delete_after_days: int | None = None  # ACCOUNT_DELETE_AFTER_DAYS (None: never)
    invite_ttl: int = 3 * 86_400  # ACCOUNT_INVITE_TTL, seconds
    sync_interval: int = 900  # ACCOUNT_SYNC_INTERVAL, seconds


@dataclass(frozen=True)
class Resolved:
    mode: Mode  # invite (RomM 5+), create (older, or invites unusable), off (a problem)
    role: str  # sent to RomM for new accounts / invites
    group_id: int | None  # 5.x group to put new accounts in (None: RomM's default group)
    group_name: str
    problems: tuple[str, ...] = ()


def resolve(
    options: AccountOptions, caps: Capabilities, groups: Sequence[PermissionGroup] | None
) -> Resolved:
    role = (options.role or "").strip().lower()
    wanted_group = (options.group or "").strip()
    version = caps.version
    problems: list[str] = []
    if role == "admin":
        problems.append(
            "ACCOUNT_ROLE=admin is refused: the bot never makes RomM admins "
            f"(example: ACCOUNT_ROLE={'user' if caps.permission_groups else 'viewer'})."
        )
    if not caps.permission_groups:
        if role not in ("", "admin", *LEGACY_ROLES):
            problems.append(
                f"ACCOUNT_ROLE={options.role}: RomM {version} has the roles viewer and editor "
                "('user' is a RomM 5 name; example: ACCOUNT_ROLE=viewer)."
            )
        if wanted_group:
            problems.append(
                f"ACCOUNT_PERMISSION_GROUP={wanted_group}: permission groups need RomM 5; "
                f"RomM {version} uses ACCOUNT_ROLE=viewer or editor instead."
            )
        return _done("create", role if role in LEGACY_ROLES else "viewer", None, "", problems)
    if role not in ("", "user", "admin"):
        problems.append(
            f"ACCOUNT_ROLE={options.role}: RomM {version} has no role '{role}' (only user and "
            "admin); what a user may do comes from a permission group: set "
            'ACCOUNT_PERMISSION_GROUP="Viewer (legacy)" or another group instead.'
        )
    group_id, group_name = None, ""
    if wanted_group:
        if groups is None:
            problems.append(
                f"ACCOUNT_PERMISSION_GROUP={wanted_group}: the bot may not read RomM's "
                "permission groups (its RomM account needs users.read)."
            )
        else:
            found = _find_group(wanted_group, groups)
            if found is None:
                names = ", ".join(f'"{g.name}" ({g.id})' for g in groups) or "none"
                problems.append(
                    f"ACCOUNT_PERMISSION_GROUP={wanted_group}: RomM has no such permission "
                    f"group (it has {names})."
                )
            else:
                group_id, group_name = found.id, found.name
    mode: Mode = "invite" if caps.invite_links else "create"
    return _done(mode, "user", group_id, group_name, problems)


def _done(
    mode: Mode, role: str, group_id: int | None, group_name: str, problems: list[str]
) -> Resolved:
    return Resolved("off" if problems else mode, role, group_id, group_name, tuple(problems))


def _find_group(wanted: str, groups: Sequence[PermissionGroup]) -> PermissionGroup | None:
    if wanted.isdigit():
        return next((g for g in groups if g.id == int(wanted)), None)
    folded = wanted.casefold()
    return next((g for g in groups if g.name.casefold() == folded), None)
