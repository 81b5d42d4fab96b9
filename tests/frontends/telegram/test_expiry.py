"""Stored button records, ticks and deep-link tokens expire, and are removed on a schedule."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from romm_comm.frontends.telegram.records import MAX_AGE, Records
from romm_comm.store.db import Store
from romm_comm.store.migrations import MIGRATIONS
from tests.frontends.telegram.conftest import GROUP, MEMBER, OWNER, Harness

DAY = 24 * 3600.0


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


async def records(harness: Harness) -> int:
    run = harness.runs[-1]
    async with run.app.services.store.conn.execute("SELECT COUNT(*) FROM telegram_records") as cur:
        row = await cur.fetchone()
    assert row is not None
    return int(row[0])


async def test_an_expired_list_says_so_and_its_records_are_removed(harness: Harness) -> None:
    clock = Clock()
    run = await harness.start(clock=clock, prune_every=0.05)
    tg = harness.tg
    (listing,) = await harness.ask(OWNER, OWNER, "/search psx final fantasy")
    (card,) = await harness.press(OWNER, listing, "Final Fantasy VII")
    disc1 = card.button("(Disc 1)")
    await tg.press(OWNER, card, disc1["callback_data"])
    await tg.wait_for(lambda: card.button("Done")["text"] == "Done (1)")
    tg.people[MEMBER].started = False
    (group_list,) = await harness.ask(MEMBER, GROUP, "/search psx final fantasy")
    (notice,) = await harness.press(MEMBER, group_list, "Final Fantasy VII", chat=GROUP)
    (link,) = re.findall(r'href="([^"]+)"', notice.html)
    kept = await records(harness)
    assert kept >= 2  # the multi-select ticks and the deep-link token at least

    clock.now += DAY  # a day later everything still works, and nothing is removed
    run.bot.pruned.clear()
    await run.bot.pruned.wait()
    assert await records(harness) == kept
    (again,) = await harness.press(OWNER, listing, "Final Fantasy VII")
    assert "Final Fantasy VII" in again.text
    await run.bot.drain(5)  # what that answer keeps is written at this time

    clock.now += MAX_AGE + 1
    run.bot.pruned.clear()
    await run.bot.pruned.wait()
    assert await records(harness) == 0
    (expired,) = await harness.press(OWNER, card, "Done")
    assert expired.text.endswith("That list has expired: ask again.")
    (ticked,) = await harness.press(OWNER, card, "(Disc 2)")
    assert ticked.text.endswith("That list has expired: ask again.")
    token = link.split("start=", 1)[1]
    (hello,) = await harness.ask(MEMBER, MEMBER, f"/start {token}")
    assert "Final Fantasy VII" not in hello.text


async def test_records_kept_in_kv_before_move_to_the_aged_table(tmp_path: Path) -> None:
    step = next(n for n, script in enumerate(MIGRATIONS) if "telegram_records" in script)
    path = tmp_path / "romm-comm.db"
    raw = sqlite3.connect(path)
    for script in MIGRATIONS[:step]:
        raw.executescript(script)
    raw.execute(f"PRAGMA user_version = {step}")
    rows = [
        ("telegram:callback:abc", '{"a": "rom:1", "v": []}'),
        ("telegram:multi:def", '{"chosen": []}'),
        ("telegram:start:ghi", '{"user": 1}'),
        ("telegram:offset", "42"),
    ]
    raw.executemany(
        "INSERT INTO kv(key, value, updated_at) VALUES (?, ?, '2026-01-02T03:04:05.000Z')", rows
    )
    raw.commit()
    raw.close()
    store = await Store.open(path)
    try:
        moment = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC).timestamp()
        aged = Records(store, clock=lambda: moment)
        assert await aged.get("telegram:callback:abc") == {"a": "rom:1", "v": []}
        assert await aged.get("telegram:multi:def") == {"chosen": []}
        assert await aged.get("telegram:start:ghi") == {"user": 1}
        assert await store.get_json("telegram:callback:abc") is None
        assert await store.get_json("telegram:offset") == 42  # not a record: stays in kv
        later = Records(store, clock=lambda: moment + MAX_AGE + 1)
        assert await later.prune() == 3
    finally:
        await store.close()
