"""Invites expire and are replaced; closed DMs never lose an invite or a password: the action is
recorded, the admins are told, the member gets it privately with /my_account."""

from __future__ import annotations

import pytest

from tests.features.accounts.conftest import Accounts, text_of


@pytest.mark.parametrize("personality", ["5.x"])
async def test_an_expired_invite_is_replaced_by_a_new_one(accounts: Accounts) -> None:
    await accounts.start(account_invite_ttl=3600)
    pia = accounts.member("Pia")
    await accounts.grant(pia)
    await accounts.wait_dm(pia, "Your RomM invite")
    accounts.shift(hours=1, minutes=1)
    await accounts.tick()
    dm = await accounts.wait_dm(pia, "Your earlier RomM invite expired, so here is a new one")
    assert "/link code:" in dm  # if they registered meanwhile, linking is all they need
    await accounts.wait_log("the invite of Pia expired")
    rows = await accounts.rows("SELECT status, delivered FROM account_invites ORDER BY id")
    assert [r["status"] for r in rows] == ["expired", "pending"]
    first, second = (m for m in accounts.dm_messages(pia) if "invite" in text_of(m).lower())
    assert text_of(first) != text_of(second)  # a different link
    status, _ = await accounts.register(second, "pia", "pia-pw-123")
    assert status == 201


async def test_closed_dms_keep_the_invite_or_password_and_tell_the_admins(
    accounts: Accounts,
) -> None:
    await accounts.start()
    quinn = accounts.member("Quinn", dms_open=False)
    await accounts.grant(quinn)
    line = await accounts.wait_log("could not DM them (DMs closed)")
    assert "/my_account" in line and "Quinn" in line
    assert accounts.dms(quinn) == []
    assert "dm_failed" in await accounts.event_kinds(quinn)
    mine = await accounts.slash(quinn, "my_account")
    assert mine.ephemeral
    if accounts.v5:
        (invite,) = await accounts.rows("SELECT * FROM account_invites")
        assert invite["status"] == "pending" and invite["link"]
        assert "Create my RomM account" in text_of(mine)
        status, _ = await accounts.register(mine, "quinn", "quinn-pw-123")
        assert status == 201  # the invite they got privately works
    else:
        text = text_of(mine)
        assert "Here is a new password" in text and "Username: quinn" in text
        password = text.split("Password: ", 1)[1].split("\n", 1)[0]
        status, me = await accounts.http("GET", "/api/users/me", accounts.basic("quinn", password))
        assert status == 200 and me["username"] == "quinn"  # the new password works
        again = await accounts.slash(quinn, "my_account")
        assert "Password" not in text_of(again)  # shown once, then only the account's state
        await accounts.wait_log("gave Quinn a new password for RomM account quinn")
        assert password not in "\n".join(accounts.admin_log())


@pytest.mark.parametrize("personality", ["5.x"])
async def test_an_undelivered_invite_is_delivered_once_dms_open(accounts: Accounts) -> None:
    await accounts.start()
    rex = accounts.member("Rex", dms_open=False)
    await accounts.grant(rex)
    await accounts.wait_log("could not DM them")
    await accounts.tick()  # still closed: no second warning, no second invite
    assert len([t for t in accounts.admin_log() if "Rex" in t]) == 1
    accounts.fd.users[rex.user.id].dms_open = True
    await accounts.tick()
    await accounts.wait_dm(rex, "Your RomM invite")
    await accounts.wait_log("delivered the invite to Rex")
    (invite,) = await accounts.rows("SELECT status, delivered FROM account_invites")
    assert (invite["status"], invite["delivered"]) == ("pending", 1)
