"""Platform emojis in the server's own slots (EMOJI_MODE=guild) against the fake Discord and
the RomM simulator: the free slots of the boost level minus the reserve, filled by ROM
counts; boosts ending remove only the bot's own emojis; nothing else is ever touched."""

from __future__ import annotations

import asyncio
import io
import itertools
from dataclasses import replace
from typing import Any

from PIL import Image

from romm_comm.features.emojis.plan import FALLBACK_EMOJI, PlatformDemand, ranked
from tests.fakes.discord import FakeDiscord
from tests.frontends.discord.conftest import FAST, Harness, Running, final
from tests.helpers.waiting import eventually

MANAGE_EXPRESSIONS = 1 << 30
MEMBER_EMOJIS = 44  # of 50 slots at boost tier 0
RESERVE = 2  # → room for 4 platform emojis at tier 0


def emoji_calls(fd: FakeDiscord, method: str) -> list[Any]:
    return fd.calls(method, f"/guilds/{fd.guild.id}/emojis*")


def add_member_emojis(fd: FakeDiscord, count: int = MEMBER_EMOJIS) -> set[int]:
    return {fd.add_emoji(f"member_{i}", b"png").id for i in range(count)}


def bot_emojis(fd: FakeDiscord) -> dict[str, int]:
    return {e.name: e.id for e in fd.guild.emojis.values() if e.user_id == fd.bot.id}


def by_priority(run: Running) -> list[str]:
    platforms = run.app.services.catalog.platforms
    return ranked(PlatformDemand(p.slug, p.rom_count) for p in platforms)


async def start(harness: Harness, **settings: Any) -> Running:
    values: dict[str, Any] = {"emoji_mode": "guild", "emoji_reserve": RESERVE}
    values.update(settings)
    run = await harness.start(replace(FAST, emoji_gap=0.0), **values)
    await synced(run, 1)
    return run


async def synced(run: Running, count: int) -> None:
    emojis = run.bot.platform_emojis
    assert emojis is not None
    await eventually(lambda: emojis.syncs >= count, what=f"emoji sync #{count}")


async def test_first_sync_at_tier_0_uses_only_the_free_slots_minus_the_reserve(
    harness: Harness,
) -> None:
    fd = harness.fd
    members = add_member_emojis(fd)
    log = fd.add_text_channel("romm-log")
    run = await start(harness, log_channel_id=log.id)

    top = by_priority(run)[:4]
    assert sorted(bot_emojis(fd)) == sorted(top)
    assert members <= set(fd.guild.emojis)  # every member emoji is still there
    assert emoji_calls(fd, "DELETE") == [] and emoji_calls(fd, "PATCH") == []
    for emoji in fd.guild.emojis.values():
        if emoji.user_id == fd.bot.id:
            with Image.open(io.BytesIO(emoji.image)) as image:
                assert image.format == "PNG" and max(image.size) <= 128

    mapping = run.app.services.platform_emoji
    for slug, emoji_id in bot_emojis(fd).items():
        assert mapping[slug] == f"<:{slug}:{emoji_id}>"
    rest = by_priority(run)[4:]
    assert all(mapping[slug] == FALLBACK_EMOJI for slug in rest)

    (report,) = [m.content for m in fd.messages(log.id)]
    assert report.startswith("Platform emojis (start):")
    assert "4 of 4 server emoji slots used for 10 platforms." in report
    assert "Uploaded 4: " + ", ".join(top) + "." in report
    assert "6 platform(s) have no free slot and show 🎮." in report

    listing = await final(await fd.slash(fd.owner.id, "platforms"))
    text = listing.embeds[0]["description"]
    first = run.app.services.catalog.platforms[0]
    assert f"{mapping[first.slug]} {first.display_name}" in text


async def test_a_sync_again_and_a_restart_upload_nothing(harness: Harness) -> None:
    fd = harness.fd
    add_member_emojis(fd)
    run = await start(harness)
    uploads = len(emoji_calls(fd, "POST"))
    assert uploads == 4
    answer = await final(await fd.slash(fd.owner.id, "emojis", {"action": "sync"}))
    assert answer.ephemeral and "4 of 4 server emoji slots used" in answer.embeds[0]["description"]
    await harness.stop(run)
    await start(harness)
    assert len(emoji_calls(fd, "POST")) == uploads
    assert emoji_calls(fd, "DELETE") == []


async def test_boosts_add_slots_and_losing_them_removes_only_the_bots_emojis(
    harness: Harness,
) -> None:
    fd = harness.fd
    members = add_member_emojis(fd)
    log = fd.add_text_channel("romm-log")
    run = await start(harness, log_channel_id=log.id)
    order = by_priority(run)

    fd.set_premium_tier(1)  # GUILD_UPDATE: 100 slots
    await synced(run, 2)
    assert sorted(bot_emojis(fd)) == sorted(order)  # all 10 platforms now
    assert all(v != FALLBACK_EMOJI for v in run.app.services.platform_emoji.values())

    before = bot_emojis(fd)
    fd.set_premium_tier(0)  # boosts ended: 50 slots again
    await synced(run, 3)
    assert sorted(bot_emojis(fd)) == sorted(order[:4])
    deleted = {c.path.rsplit("/", 1)[-1] for c in emoji_calls(fd, "DELETE")}
    assert deleted == {str(before[slug]) for slug in order[4:]}  # lowest priority, own only
    assert members <= set(fd.guild.emojis)
    assert "Removed 6 of the bot's own: " + ", ".join(reversed(order[4:])) in (
        fd.messages(log.id)[-1].content
    )

    fd.set_premium_tier(2)  # boosts back: they come back
    await synced(run, 4)
    assert sorted(bot_emojis(fd)) == sorted(order)


async def test_a_bot_emoji_deleted_by_a_member_comes_back_only_into_a_free_slot(
    harness: Harness,
) -> None:
    fd = harness.fd
    add_member_emojis(fd)
    run = await start(harness)
    top = by_priority(run)[0]
    mine = bot_emojis(fd)[top]

    del fd.guild.emojis[mine]  # a member deletes it by hand
    fd.announce_emojis(fd.guild)
    mapping = run.app.services.platform_emoji
    await eventually(lambda: mapping[top] == FALLBACK_EMOJI, what="the fallback")
    await asyncio.sleep(0.2)
    assert len(emoji_calls(fd, "POST")) == 4  # not re-uploaded on its own

    fd.add_emoji("member_new", b"png")  # ...and a member takes the freed slot
    answer = await final(await fd.slash(fd.owner.id, "emojis", {"action": "sync"}))
    text = answer.embeds[0]["description"]
    assert f"Deleted by someone else (not re-uploaded until a sync finds a free slot): {top}" in (
        text
    )
    assert top not in bot_emojis(fd) and len(emoji_calls(fd, "POST")) == 4

    del fd.guild.emojis[next(e.id for e in fd.emojis if e.name == "member_new")]
    fd.announce_emojis(fd.guild)
    await final(await fd.slash(fd.owner.id, "emojis", {"action": "sync"}))
    assert top in bot_emojis(fd) and mapping[top] == f"<:{top}:{bot_emojis(fd)[top]}>"


async def test_missing_and_oversized_icons_fall_back_and_give_their_slot_away(
    harness: Harness,
) -> None:
    fd, sim = harness.fd, harness.sim
    add_member_emojis(fd, 41)  # with no reserve: room for 9 of the 10 platforms
    log = fd.add_text_channel("romm-log")
    sim.faults.fail("/assets/platforms/n64.", 404)
    sim.faults.icons["psx.svg"] = b"<svg>" + b" " * (2 * 1024 * 1024)
    sim.faults.icons["psx.ico"] = b"\0" * (2 * 1024 * 1024)
    run = await start(harness, log_channel_id=log.id, emoji_reserve=0)

    others = [s for s in by_priority(run) if s not in ("n64", "psx")]
    assert sorted(bot_emojis(fd)) == sorted(others)  # the 10th got a slot the two left
    mapping = run.app.services.platform_emoji
    assert mapping["n64"] == mapping["psx"] == FALLBACK_EMOJI
    report = fd.messages(log.id)[-1].content
    assert "No usable icon on RomM, shown as 🎮: n64 (" in report
    assert ".ico not on RomM (404))" in report and ".ico too large)" in report

    sim.faults.clear()  # the admin fixed the icons; /emojis sync retries them
    answer = await final(await fd.slash(fd.owner.id, "emojis", {"action": "status"}))
    assert "n64" in answer.embeds[0]["description"]  # status: still without icon
    fd.set_premium_tier(1)
    await synced(run, 2)
    assert "n64" not in bot_emojis(fd)  # an automatic sync does not retry at once
    await final(await fd.slash(fd.owner.id, "emojis", {"action": "sync"}))
    assert {"n64", "psx"} <= set(bot_emojis(fd))


async def test_uploads_are_paced_and_a_429_is_waited_out(harness: Harness) -> None:
    fd = harness.fd
    rule = fd.rate_limit("POST", f"/guilds/{fd.guild.id}/emojis", times=1, retry_after=0.05)
    run = await harness.start(
        replace(FAST, emoji_gap=0.05), emoji_mode="guild", emoji_reserve=RESERVE
    )
    await synced(run, 1)
    posts = [c for c in emoji_calls(fd, "POST") if c.status == 201]
    assert len(posts) == 10 and len(rule.hits) == 1
    gaps = [b.at - a.at for a, b in itertools.pairwise(posts)]
    assert min(gaps) >= 0.045


async def test_without_manage_emojis_nothing_is_attempted(harness: Harness) -> None:
    fd = harness.fd
    role = fd.role_named(fd.bot.name)
    role.permissions &= ~MANAGE_EXPRESSIONS
    run = await start(harness)
    assert emoji_calls(fd, "POST") == [] and "manage_emojis" in run.runner.diagnostics.codes
    answer = await final(await fd.slash(fd.owner.id, "emojis", {"action": "sync"}))
    assert "lacks Manage Emojis and Stickers" in answer.embeds[0]["description"]
    assert emoji_calls(fd, "POST") == []
