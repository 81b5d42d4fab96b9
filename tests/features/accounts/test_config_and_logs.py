"""What new accounts get, resolved against a RomM version (no I/O), and the production logging
keeping the libraries that log request bodies and SQL parameters (a DM with a password, an
invite link) quiet at every level."""

from __future__ import annotations

import logging

from romm_comm.app.logging_setup import setup_logging
from romm_comm.features.accounts.config import AccountOptions, resolve
from romm_comm.romm.accounts_api import PermissionGroup
from romm_comm.romm.version import Capabilities

GROUPS = [
    PermissionGroup(id=1, name="Viewer (legacy)", is_default=True),
    PermissionGroup(id=7, name="Players"),
]


def test_romm_5_invites_users_into_the_group_named_by_id_or_name() -> None:
    caps = Capabilities.from_version("5.2.0")
    by_name = resolve(AccountOptions(group="players"), caps, GROUPS)
    by_id = resolve(AccountOptions(group="7", role="User"), caps, GROUPS)
    assert (by_name.mode, by_name.role, by_name.group_id) == ("invite", "user", 7)
    assert by_id.group_id == 7 and not by_id.problems
    default = resolve(AccountOptions(), caps, GROUPS)
    assert (default.group_id, default.problems) == (None, ())


def test_romm_4_creates_viewers_by_default_and_never_admins() -> None:
    caps = Capabilities.from_version("4.8.0")
    assert resolve(AccountOptions(), caps, None).role == "viewer"
    assert resolve(AccountOptions(), caps, None).mode == "create"
    refused = resolve(AccountOptions(role="admin"), caps, None)
    assert refused.mode == "off" and "never makes RomM admins" in refused.problems[0]


def test_debug_logging_keeps_discord_and_sqlite_bodies_out() -> None:
    setup_logging("DEBUG", [])
    assert logging.getLogger("romm_comm").isEnabledFor(logging.DEBUG)
    for name in ("discord.http", "aiosqlite"):
        assert not logging.getLogger(name).isEnabledFor(logging.DEBUG), name
