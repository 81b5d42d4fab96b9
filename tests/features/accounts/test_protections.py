"""RomM admins, the bot's own account and accounts the bot did not create are never disabled or
deleted: the member is only unlinked and each refusal is logged and stored. Deleting only
happens after the grace period, and only to accounts the bot made."""

from __future__ import annotations

import pytest

from romm_comm.features.accounts.legacy import import_user_links
from romm_comm.features.accounts.plan import Action, Plan
from tests.features.accounts.conftest import Accounts


async def test_an_account_promoted_to_romm_admin_is_never_disabled(accounts: Accounts) -> None:
    await accounts.start()
    erin = accounts.member("Erin")
    await accounts.give_account(erin, "erin")
    user = accounts.romm_user("erin")
    user.role = "admin"  # a RomM admin promoted the account in RomM meanwhile

    await accounts.revoke(erin)
    line = await accounts.wait_log("refused to disable or delete RomM account erin of Erin")
    assert "a RomM admin" in line and "only unlinked" in line
    dm = await accounts.wait_dm(erin, "no longer linked")
    assert "The RomM account itself was not changed" in dm
    assert user.enabled and accounts.romm_user("erin") is user
    row = await accounts.link_row(erin)
    assert row is not None and row["state"] == "unlinked"
    assert "refuse" in await accounts.event_kinds(erin)


async def test_the_protection_is_checked_again_right_before_the_romm_call(
    accounts: Accounts,
) -> None:
    """A plan made while the account was a plain user, applied after it became an admin."""
    await accounts.start()
    fay = accounts.member("Fay")
    await accounts.give_account(fay, "fay")
    user = accounts.romm_user("fay")
    planned = Plan(
        (Action("disable", f"discord:{fay.user.id}", "Fay", user.id, "fay", "lost the role"),)
    )
    user.role = "admin"
    outcome = await accounts.service.apply(planned)
    assert user.enabled
    assert (
        "refused to disable or delete RomM account fay of Fay: a RomM admin" in (outcome.applied[0])
    )
    await accounts.wait_log("refused to disable or delete RomM account fay")
    assert (await accounts.event_kinds(fay))[-1] == "refuse"


@pytest.mark.parametrize("personality", ["4.x"])
async def test_the_bots_own_account_is_never_linked_disabled_or_deleted(
    accounts: Accounts,
) -> None:
    await accounts.start(account_delete_after_days=1)
    gus = accounts.member("Gus", role=True)
    answer = await accounts.link(gus, await accounts.pair_code("admin", "admin-password"))
    assert answer.ephemeral and "the bot's own RomM account" in answer.content
    await accounts.wait_log("refused to link Gus to RomM account admin")
    assert await accounts.link_row(gus) is None

    # A link to it from the earlier bot, marked as created by that bot, is still refused.
    hal = accounts.member("Hal", role=True)
    row = {"discord_id": hal.user.id, "romm_username": "admin", "romm_id": 1}
    async with accounts.service.store.transaction() as conn:
        await import_user_links(conn, [{**row, "created_by_bot": 1, "discord_username": "Hal"}])
    await accounts.revoke(hal)
    line = await accounts.wait_log("refused to disable or delete RomM account admin of Hal")
    assert "the bot's own RomM account" in line
    bot_user = accounts.romm_user(accounts.sim.admin_username)
    assert bot_user.enabled
    accounts.shift(days=3)
    await accounts.tick()
    assert accounts.romm_user("admin") is bot_user and bot_user.enabled


async def test_an_account_the_bot_did_not_create_is_only_unlinked_and_relinked(
    accounts: Accounts,
) -> None:
    await accounts.start(account_delete_after_days=1)
    ivy = accounts.member("Ivy", role=True)
    answer = await accounts.link(ivy, await accounts.pair_code("alice", "alice-password"))
    assert "Linked" in answer.content and "alice" in answer.content
    alice = accounts.romm_user("alice")

    await accounts.revoke(ivy)
    line = await accounts.wait_log("refused to disable or delete RomM account alice of Ivy")
    assert "the bot did not create it" in line
    await accounts.wait_dm(ivy, "no longer linked to the RomM account **alice**")
    assert alice.enabled
    accounts.shift(days=5)  # far past the grace period: still never deleted
    await accounts.tick()
    assert accounts.romm_user("alice") is alice and alice.enabled

    await accounts.grant(ivy)
    await accounts.wait_dm(ivy, "linked again to the RomM account **alice**")
    row = await accounts.link_row(ivy)
    assert row is not None and (row["state"], row["created_by_bot"]) == ("active", 0)


async def test_deletion_waits_for_the_grace_period_and_takes_only_bot_accounts(
    accounts: Accounts,
) -> None:
    await accounts.start(account_delete_after_days=2)
    jo = accounts.member("Jojo")
    await accounts.give_bot_account(jo, "jojo")
    user = accounts.romm_user("jojo")
    await accounts.revoke(jo)
    await accounts.wait_dm(jo, "deleted after 2 day(s) without the role")  # told in advance
    assert not user.enabled

    accounts.shift(days=1)
    await accounts.tick()
    assert accounts.romm_user("jojo") is user  # inside the grace period

    accounts.shift(days=1, hours=1)
    await accounts.tick()
    assert accounts.romm_user("jojo") is None
    await accounts.wait_log("deleted RomM account jojo of Jojo (disabled over 2 d)")
    await accounts.wait_dm(jo, "was deleted after 2 day(s)")
    row = await accounts.link_row(jo)
    assert row is not None and row["state"] == "deleted"
