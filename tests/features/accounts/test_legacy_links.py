"""The earlier bot's `user_links` and `pending_invites`, imported with the requests import: links
to accounts it created are managed; links it took on a member's word stay unproven claims that
are only ever unlinked; a link whose RomM id now belongs to someone else is forgotten."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from romm_comm.app.root import DB_NAME
from romm_comm.cli.import_legacy import import_legacy
from romm_comm.store.db import Store
from tests.features.accounts.conftest import Accounts, text_of
from tests.frontends.discord.conftest import final

LEGACY_SCHEMA = """
CREATE TABLE user_links (
    discord_id INTEGER PRIMARY KEY, romm_username TEXT NOT NULL, romm_id INTEGER NOT NULL,
    discord_username TEXT, discord_avatar TEXT, created_by_bot INTEGER DEFAULT 0,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE pending_invites (
    discord_id INTEGER PRIMARY KEY, jti TEXT, role TEXT, sent_at TIMESTAMP, expires_at TIMESTAMP
);
"""


def legacy_db(path: Path, links: list[tuple[int, str, int, str, int]], invite_for: int) -> Path:
    conn = sqlite3.connect(path)
    conn.executescript(LEGACY_SCHEMA)
    conn.executemany(
        "INSERT INTO user_links (discord_id, romm_username, romm_id, discord_username, "
        "created_by_bot, created_at) VALUES (?, ?, ?, ?, ?, '2025-01-02 03:04:05')",
        links,
    )
    conn.execute(
        "INSERT INTO pending_invites VALUES (?, 'jti-1', 'viewer', '2025-02-01 00:00:00', "
        "'2025-02-01 00:10:00')",
        (invite_for,),
    )
    conn.commit()
    conn.close()
    return path


async def test_the_earlier_bots_links_are_imported_and_trusted_only_as_far_as_proven(
    accounts: Accounts,
) -> None:
    sim = accounts.sim
    lena_user = sim.add_user("lena", "lena-pw-123")  # made by the earlier bot
    bob = accounts.romm_user("bob")
    lena = accounts.member("Lena", role=True)
    mia = accounts.member("Mia", role=True)  # claimed alice in the earlier bot, no proof
    ola = accounts.member("Ola", role=True)  # her RomM id now belongs to bob
    noa = accounts.member("Noah", role=True)  # only had a pending invite
    path = legacy_db(
        accounts.tmp / "romm_bot.db",
        [
            (lena.user.id, "Lena", lena_user["id"], "Lena", 1),
            (mia.user.id, "alice", accounts.romm_user("alice").id, "Mia", 0),
            (ola.user.id, "oldname", bob.id, "Ola", 1),
        ],
        invite_for=noa.user.id,
    )
    store = await Store.open(accounts.tmp / DB_NAME)
    report = await import_legacy(store, path)
    again = await import_legacy(store, path)  # a second run changes nothing
    await store.close()
    assert report.links_imported == 3
    assert any("accounts: user link of Lena" in s and "already linked" in s for s in again.skipped)

    await accounts.start()
    await accounts.wait_log("forgot the link of Ola to RomM account oldname")
    if accounts.v5:
        await accounts.wait_dm(noa, "Your RomM invite")
    else:
        await accounts.wait_dm(noa, "Password")
    listing = text_of(await final(await accounts.fd.slash(accounts.fd.owner.id, "accounts"), 5))
    assert "Lena → lena: active, created by the earlier bot" in listing
    assert "Mia → alice: active, imported from the earlier bot, not proven" in listing
    invites = await accounts.rows("SELECT status FROM account_invites ORDER BY id")
    assert invites[0]["status"] == "legacy"  # kept as history, never delivered again
    mine = await accounts.slash(mia, "my_account")
    assert "not proven yet: use /link" in text_of(mine)

    for member in (lena, mia, ola):
        await accounts.revoke(member)
    await accounts.wait_log("disabled RomM account lena of Lena (lost the role)")
    await accounts.wait_log("unlinked Mia from RomM account alice (an imported link")
    assert not accounts.romm_user("lena").enabled
    assert accounts.romm_user("alice").enabled and bob.enabled  # never touched
    assert (await accounts.link_row(mia))["state"] == "unlinked"  # type: ignore[index]
    # Ola held the role with no usable link, so she was treated as new (invite or account).
    assert (await accounts.event_kinds(ola))[:2] == ["import", "forget"]
