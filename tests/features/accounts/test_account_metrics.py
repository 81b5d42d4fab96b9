"""Account actions show in /metrics (parsed with prometheus-client's parser): a role grant
counts one create (4.x) or invite (5.x) as done, and no failure."""

from __future__ import annotations

import aiohttp

from tests.features.accounts.conftest import Accounts
from tests.web.test_metrics import scrape, value


async def test_account_actions_are_counted_by_action_and_outcome(accounts: Accounts) -> None:
    run = await accounts.start()
    bob = accounts.member("Bob Smith")
    await accounts.grant(bob)
    kind = "invite" if accounts.v5 else "create"
    await accounts.wait_log("invited Bob Smith" if accounts.v5 else "created RomM account")
    async with aiohttp.ClientSession() as http:
        samples = await scrape(http, run.app)
    assert value(samples, "romm_comm_account_actions_total", action=kind, outcome="done") == 1
    assert value(samples, "romm_comm_account_actions_total", action=kind, outcome="failed") == 0
