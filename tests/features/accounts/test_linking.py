"""/link: an existing RomM account is linked only with proof (a pairing code the owner made in
RomM), never on the member's word; one RomM account links to one member at most."""

from __future__ import annotations

import pytest

from tests.features.accounts.conftest import Accounts, text_of


async def test_linking_with_a_pairing_code_records_the_proven_owner_and_deletes_the_token(
    accounts: Accounts,
) -> None:
    await accounts.start()
    kim = accounts.member("Kim", role=True)
    steps = await accounts.slash(kim, "link")
    assert steps.ephemeral and "Client API tokens" in steps.embeds[0]["description"]

    code = await accounts.pair_code("bob", "bob-password")
    answer = await accounts.link(kim, code.lower()[:4] + "-" + code.lower()[4:])
    assert answer.ephemeral and answer.content == (
        "Linked: your Discord account is now linked to bob."
    )
    row = await accounts.link_row(kim)
    assert row is not None
    assert (row["romm_username"], row["origin"], row["verified"], row["created_by_bot"]) == (
        "bob",
        "linked",
        1,
        0,
    )
    line = await accounts.wait_log("linked Kim to RomM account bob: proven by pairing")
    assert code not in line
    bob = accounts.romm_user("bob")
    remaining = [t for t in accounts.sim.auth.client_tokens.values() if t.user_id == bob.id]
    assert remaining == []  # the paired token is gone: no credential of the member is kept
    mine = await accounts.slash(kim, "my_account")
    assert mine.ephemeral and "Username: bob" in text_of(mine) and "State: enabled" in text_of(mine)


@pytest.mark.parametrize("personality", ["5.x"])
async def test_a_wrong_an_expired_or_a_malformed_code_links_nothing(accounts: Accounts) -> None:
    await accounts.start()
    lee = accounts.member("Lee", role=True)
    wrong = await accounts.link(lee, "ABCD2345")
    assert wrong.ephemeral and "does not know that code, or it expired" in wrong.content
    code = await accounts.pair_code("bob", "bob-password")
    accounts.sim.auth.pairing.expire(code)  # a minute went by
    expired = await accounts.link(lee, code)
    assert "does not know that code, or it expired" in expired.content
    malformed = await accounts.link(lee, "bob")
    assert "That is not a pairing code" in malformed.content
    assert await accounts.link_row(lee) is None
    assert not [line for line in accounts.admin_log() if "linked Lee" in line]


async def test_two_members_cannot_link_the_same_romm_account(accounts: Accounts) -> None:
    await accounts.start()
    max_ = accounts.member("Max", role=True)
    ned = accounts.member("Ned", role=True)
    first = await accounts.link(max_, await accounts.pair_code("bob", "bob-password"))
    assert "Linked" in first.content
    second = await accounts.link(ned, await accounts.pair_code("bob", "bob-password"))
    assert second.ephemeral and "already linked to another member" in second.content
    line = await accounts.wait_log("refused to link Ned to RomM account bob")
    assert "already linked to Max" in line
    assert await accounts.link_row(ned) is None
    row = await accounts.link_row(max_)
    assert row is not None and row["romm_username"] == "bob"
    assert "link_refused" in await accounts.event_kinds(ned)


@pytest.mark.parametrize("personality", ["5.x"])
async def test_only_role_holders_may_link(accounts: Accounts) -> None:
    await accounts.start()
    oz = accounts.member("Oz")
    code = await accounts.pair_code("bob", "bob-password")
    answer = await accounts.link(oz, code)
    assert "Linking is for members with the RomM players role" in answer.content
    assert accounts.sim.auth.pairing.peek(code) is not None  # their code was not used up
