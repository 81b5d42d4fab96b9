"""The reconciler at work: missed events converge at start and on the timer (also without the
Server Members intent), /sync_users shows the difference and applies it only when confirmed,
/accounts lists links and invites, and the role given to new accounts is checked against what
the connected RomM accepts."""

from __future__ import annotations

import pytest

from tests.features.accounts.conftest import Accounts, text_of
from tests.frontends.discord.conftest import buttons, final
from tests.helpers.waiting import eventually


async def test_events_missed_while_the_bot_was_off_converge_at_start(accounts: Accounts) -> None:
    await accounts.start()
    sam = accounts.member("Samuel")
    await accounts.give_bot_account(sam, "samuel")
    await accounts.stop()

    # While the bot is off: Samuel loses the role and Tess gets it.
    accounts.fd.set_member_roles(sam.user.id, [])
    tess = accounts.member("Tess", role=True)
    await accounts.start()
    await accounts.wait_log("disabled RomM account samuel of Samuel (lost the role)")
    assert not accounts.romm_user("samuel").enabled
    await accounts.wait_dm(tess, "Password")
    assert accounts.romm_user("tess").enabled


@pytest.mark.parametrize("personality", ["4.x"])
async def test_sync_users_shows_the_difference_and_applies_it_only_when_confirmed(
    accounts: Accounts,
) -> None:
    await accounts.start()
    una = accounts.member("Una")
    vic = accounts.member("Vic")
    for member, name in ((una, "una"), (vic, "vic")):
        await accounts.give_account(member, name)
        await accounts.revoke(member)
        await accounts.wait_log(f"disabled RomM account {name} of")
    # In RomM an admin turns Una's account back on; no event tells the bot.
    accounts.romm_user("una").enabled = True

    owner = accounts.fd.owner.id
    shown = await final(await accounts.fd.slash(owner, "sync_users"), 5)
    assert shown.ephemeral
    text = text_of(shown)
    assert "Account sync: 1 change(s)" in text
    assert "disable RomM account una of Una (re-enabled in RomM)" in text
    assert "Nothing changes until you press Apply" in text
    assert accounts.romm_user("una").enabled  # shown, not applied
    apply = next(b for b in buttons(shown) if b["label"] == "Apply")

    # Meanwhile Vic's account is turned on too: the confirmation no longer fits.
    accounts.romm_user("vic").enabled = True
    stale = await final(await accounts.fd.click(owner, shown.id, apply["custom_id"]), 5)
    assert "changed since it was shown, so nothing was applied" in text_of(stale)
    assert "Account sync: 2 change(s)" in text_of(stale)
    assert accounts.romm_user("una").enabled and accounts.romm_user("vic").enabled

    apply = next(b for b in buttons(stale) if b["label"] == "Apply")
    done = await final(await accounts.fd.click(owner, stale.id, apply["custom_id"]), 5)
    assert "Account sync: 2 applied" in text_of(done)
    assert not accounts.romm_user("una").enabled and not accounts.romm_user("vic").enabled
    rows = await accounts.rows("SELECT actor FROM account_events WHERE kind = 'disable'")
    assert f"discord:{owner}" in {r["actor"] for r in rows}  # who confirmed is on record

    member = accounts.member("Wes")
    denied = await final(await accounts.fd.slash(member.user.id, "sync_users"), 5)
    assert "for admins only" in denied.content


async def test_accounts_lists_links_and_pending_invites(accounts: Accounts) -> None:
    await accounts.start()
    xia = accounts.member("Xia", dms_open=False)
    await accounts.grant(xia)
    await accounts.wait_log("could not DM them")
    yul = accounts.member("Yul", role=True)
    await accounts.link(yul, await accounts.pair_code("bob", "bob-password"))
    listing = await final(await accounts.fd.slash(accounts.fd.owner.id, "accounts"), 5)
    text = text_of(listing)
    assert listing.ephemeral
    assert "Yul → bob: active, existing account, linked with proof" in text
    if accounts.v5:
        assert "Xia: expires" in text and "not delivered (DMs closed)" in text
    else:
        assert "Xia → xia: active, created by the bot" in text


@pytest.mark.parametrize("personality", ["4.x"])
async def test_without_the_members_intent_it_warns_once_and_the_timer_still_syncs(
    accounts: Accounts,
) -> None:
    fd = accounts.fd
    await accounts.start()
    zed = accounts.member("Zed")
    await accounts.give_account(zed, "zed")
    await accounts.stop()

    fd.privileged_intents = 0  # the Server Members switch is off in the developer portal
    run = await accounts.start(account_sync_interval=1)
    lines = [p.text for p in run.runner.diagnostics.problems if p.code == "members_intent"]
    assert len(lines) == 1 and "accounts only follow the role every 1 min" in lines[0]
    notices = [t for t in accounts.admin_log() if "Server Members intent" in t]
    assert len(notices) == 1  # said once, in the start-up problems
    assert not run.bot.intents.members

    fd.set_member_roles(zed.user.id, [])  # no event can reach the bot now
    await fd.flush()
    passes = accounts.bot_accounts.passes
    await eventually(lambda: accounts.bot_accounts.passes > passes, 5, "a timer pass")
    await accounts.wait_log("disabled RomM account zed of Zed (lost the role)")
    assert not accounts.romm_user("zed").enabled

    # A new role holder is found when they ask the bot about their account.
    ada = accounts.member("Adaline", role=True)
    mine = await accounts.slash(ada, "my_account")
    assert "Username: adaline" in text_of(mine) and "State: enabled" in text_of(mine)
    await accounts.wait_dm(ada, "Password")


@pytest.mark.parametrize(
    ("personality", "settings", "problem"),
    [
        ("5.x", {"account_role": "viewer"}, "RomM 5.2.0 has no role 'viewer'"),
        ("5.x", {"account_permission_group": "Players"}, "RomM has no such permission group"),
        ("4.x", {"account_role": "user"}, "RomM 4.8.0 has the roles viewer and editor"),
        ("4.x", {"account_permission_group": "1"}, "permission groups need RomM 5"),
        ("4.x", {"account_role": "admin"}, "the bot never makes RomM admins"),
    ],
)
async def test_a_role_or_group_romm_does_not_accept_stops_new_accounts_and_says_why(
    accounts: Accounts, settings: dict[str, str], problem: str
) -> None:
    abe = accounts.member("Abe", role=True)
    await accounts.start(**settings)
    line = await accounts.wait_log("new accounts are off until this is fixed")
    assert problem in line
    assert accounts.dms(abe) == []
    assert accounts.romm_user("abe") is None
    plan = await accounts.service.preview()
    assert plan.empty and "accounts cannot be made" in plan.notes[0]


@pytest.mark.parametrize("personality", ["5.x"])
async def test_new_accounts_join_the_configured_permission_group(accounts: Accounts) -> None:
    await accounts.start(account_permission_group="editor (LEGACY)")
    ben = accounts.member("Ben")
    await accounts.give_bot_account(ben, "ben")
    user = accounts.romm_user("ben")
    editor = next(g for g in accounts.sim.auth.groups.groups.values() if g.name.startswith("Ed"))
    assert user.permission_group_id == editor.id and user.role == "user"
    await accounts.wait_log("permission group Editor (legacy)")


@pytest.mark.parametrize("personality", ["4.x"])
async def test_editor_role_on_romm_4(accounts: Accounts) -> None:
    await accounts.start(account_role="editor")
    cy = accounts.member("Cyrus")
    await accounts.give_account(cy, "cyrus")
    assert accounts.romm_user("cyrus").role == "editor"
