"""A role grants a RomM account; losing it disables the account; getting it back re-enables it;
leaving the server is losing the role. Both RomM personalities (4.x creates accounts with a
password, 5.x sends an invite the member registers with and links)."""

from __future__ import annotations

import logging

import pytest

from tests.features.accounts.conftest import Accounts


async def test_a_role_grant_gives_an_account_by_dm_and_every_step_is_logged_and_stored(
    accounts: Accounts, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="romm_comm")  # everything the bot itself logs
    await accounts.start()
    bob = accounts.member("Bob Smith")
    await accounts.grant(bob)
    if accounts.v5:
        dm = await accounts.wait_dm(bob, "Your RomM invite")
        assert "expires" in dm and "works once" in dm
        assert "[Create my RomM account](https://romm.example.org/register?token=" in dm
        assert "/link code:" in dm  # how to link it once registered
        line = await accounts.wait_log("invited Bob Smith")
        assert "DM delivered" in line and "register?token" not in line
        (invite,) = await accounts.rows("SELECT * FROM account_invites")
        assert invite["status"] == "pending" and invite["delivered"] == 1
        assert accounts.romm_user("bob_smith") is None  # nothing exists until they register
        password = await accounts.give_account(bob, "bobby")
        row = await accounts.link_row(bob)
        # RomM cannot say the invite was used for this account: linked, never taken as made
        # by the bot (so never disabled or deleted by it).
        assert row is not None and row["origin"] == "linked" and row["created_by_bot"] == 0
        (used,) = await accounts.rows("SELECT status FROM account_invites")
        assert used["status"] == "cancelled"
        username = "bobby"
    else:
        dm = await accounts.wait_dm(bob, "Password")
        assert "Username: bob_smith" in dm and "Change the password" in dm
        password = dm.split("Password: ", 1)[1].split("\n", 1)[0]
        user = accounts.romm_user("bob_smith")
        assert user is not None and user.enabled and user.role == "viewer"
        assert user.password == password and len(password) >= 12
        line = await accounts.wait_log("created RomM account bob_smith for Bob Smith")
        assert password not in line
        row = await accounts.link_row(bob)
        assert row is not None and (row["origin"], row["state"]) == ("created", "active")
        assert row["credentials_pending"] == 0
        username = "bob_smith"
    kinds = await accounts.event_kinds(bob)
    assert ("invite" if accounts.v5 else "create") in kinds
    # The secret went to the member only: never into the log or the admin channel.
    assert password not in caplog.text
    assert all(password not in line for line in accounts.admin_log())
    assert accounts.romm_user(username) is not None


async def test_revoke_disables_regrant_re_enables_and_nothing_is_deleted(
    accounts: Accounts,
) -> None:
    await accounts.start()
    carol = accounts.member("Carol")
    await accounts.give_bot_account(carol, "carol")
    user = accounts.romm_user("carol")
    assert user is not None and user.enabled

    await accounts.revoke(carol)
    dm = await accounts.wait_dm(carol, "is disabled")
    assert "because you no longer have the role" in dm and "Nothing is deleted" in dm
    assert not user.enabled and accounts.romm_user("carol") is user  # disabled, not deleted
    await accounts.wait_log("disabled RomM account carol of Carol (lost the role)")
    row = await accounts.link_row(carol)
    assert row is not None and row["state"] == "disabled" and row["disabled_at"]

    await accounts.grant(carol)
    await accounts.wait_dm(carol, "enabled again")
    assert user.enabled
    await accounts.wait_log("re-enabled RomM account carol of Carol")
    row = await accounts.link_row(carol)
    assert row is not None and row["state"] == "active" and row["disabled_at"] is None
    kinds = await accounts.event_kinds(carol)
    assert kinds[-2:] == ["disable", "enable"]


async def test_leaving_the_server_disables_the_account(accounts: Accounts) -> None:
    await accounts.start()
    dave = accounts.member("Dave")
    await accounts.give_bot_account(dave, "dave")
    accounts.fd.remove_member(dave.user.id)
    await accounts.fd.flush()
    await accounts.wait_log("disabled RomM account dave of Dave (left the server)")
    user = accounts.romm_user("dave")
    assert user is not None and not user.enabled
    row = await accounts.link_row(dave)
    assert row is not None and row["state"] == "disabled"
