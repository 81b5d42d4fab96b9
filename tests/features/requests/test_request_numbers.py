"""Request numbers too large for the store (or not plain digits) get a sentence, not a crash."""

from __future__ import annotations

import pytest

from romm_comm.app.root import App

from .conftest import ADMIN, ALICE, ctx, request_game

HUGE = ["9223372036854775808", "99999999999999999999", "18446744073709551616"]


@pytest.mark.parametrize("number", HUGE)
async def test_a_huge_request_number_is_no_such_request(rapp: App, number: str) -> None:
    await request_game(rapp, ALICE, "psx", "xenogears", igdb_id=1497)
    member = ctx(rapp, ALICE)
    admin = ctx(rapp, ADMIN)
    replies = [
        await rapp.registry.run(member, "cancel_request", {"request": number}),
        await rapp.registry.run(admin, "request_admin", {"action": "view", "request": number}),
        await rapp.registry.run(
            admin, "request_admin", {"action": "reject", "request": number, "text": "no"}
        ),
        await rapp.registry.act(member, "reqsub", [number]),
        await rapp.registry.act(member, "reqx", [number]),
    ]
    for reply in replies:
        assert reply.tone == "error"
        assert "no such request" in reply.text, reply.text
        assert "went wrong" not in reply.text


async def test_a_number_in_other_digits_is_not_a_request_number(rapp: App) -> None:
    reply = await rapp.registry.run(ctx(rapp, ALICE), "cancel_request", {"request": "²"})
    assert reply.tone == "error" and reply.text == "request must be a request number, like 12."
