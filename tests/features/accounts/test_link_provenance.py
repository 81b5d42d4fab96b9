"""/link never takes an account for one the bot made (issue 19): RomM does not record which
invite an account registered with, so an account made by hand after the member's invite was
sent is linked as an existing account — never given the permission group, never disabled or
deleted by the bot — and a RomM admin's account is never modified. Both personalities."""

from __future__ import annotations

from tests.fakes.discord.state import Member
from tests.features.accounts.conftest import Accounts


async def _hand_made_after_the_role(
    accounts: Accounts, name: str, username: str, role: str = ""
) -> Member:
    """The member gets the role (an invite on RomM 5; on RomM 4 the bot's own account creation
    fails), then an admin makes an account for them by hand in RomM."""
    member = accounts.member(name)
    if accounts.v5:
        await accounts.grant(member)
        await accounts.wait_dm(member, "Your RomM invite")
    else:
        accounts.sim.faults.fail("/api/users", 500, method="POST")
        await accounts.grant(member)
        await accounts.wait_log("failed")
        accounts.sim.faults.clear()
    role = role or ("user" if accounts.v5 else "viewer")
    accounts.sim.library.add_user(username, f"{username}-pw-123", role)
    return member


async def test_a_hand_made_account_linked_after_an_invite_is_never_disabled_or_deleted(
    accounts: Accounts,
) -> None:
    group = "editor (LEGACY)" if accounts.v5 else None
    await accounts.start(account_delete_after_days=2, account_permission_group=group)
    hal = await _hand_made_after_the_role(accounts, "Hal", "hal_by_hand")
    answer = await accounts.link(hal, await accounts.pair_code("hal_by_hand", "hal_by_hand-pw-123"))
    assert answer.content == "Linked: your Discord account is now linked to hal_by_hand."
    line = await accounts.wait_log("linked Hal to RomM account hal_by_hand")
    assert "an existing account" in line and "registered with the bot's invite" not in line
    assert "permission group" not in line
    row = await accounts.link_row(hal)
    assert row is not None and (row["origin"], row["created_by_bot"]) == ("linked", 0)
    user = accounts.romm_user("hal_by_hand")
    assert user.permission_group_id is None  # still RomM's default group

    await accounts.revoke(hal)
    await accounts.wait_log("hal_by_hand")
    await accounts.tick()
    accounts.shift(days=3)
    await accounts.tick()
    assert accounts.romm_user("hal_by_hand") is user and user.enabled  # left alone
    kinds = await accounts.event_kinds(hal)
    assert "disable" not in kinds and "delete" not in kinds


async def test_linking_a_romm_admin_after_an_invite_never_modifies_the_admin(
    accounts: Accounts,
) -> None:
    group = "editor (LEGACY)" if accounts.v5 else None
    await accounts.start(account_permission_group=group)
    ivy = await _hand_made_after_the_role(accounts, "Ivy", "boss", "admin")
    answer = await accounts.link(ivy, await accounts.pair_code("boss", "boss-pw-123"))
    assert "Linked" in answer.content
    line = await accounts.wait_log("linked Ivy to RomM account boss (a RomM admin account)")
    assert "permission group" not in line
    boss = accounts.romm_user("boss")
    assert boss.permission_group_id is None and boss.role == "admin" and boss.enabled
    await accounts.revoke(ivy)
    await accounts.tick()
    assert accounts.romm_user("boss") is boss and boss.enabled and boss.role == "admin"
