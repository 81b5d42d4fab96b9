"""Stats in voice channels: created once in the bot's category (or the admin's channels),
renamed only when a number changed, at most 2 renames per channel per 10 minutes (newest
value wins), 429s respected, nothing deleted, nobody can connect, ids remembered."""

from __future__ import annotations

from typing import Any

from romm_comm.frontends.discord.stats_channels import STORE_KEY
from tests.fakes.discord import Channel, FakeDiscord
from tests.frontends.discord.conftest import Harness, Running
from tests.helpers.waiting import eventually

CONNECT = 1 << 20
NAMES = {
    "Platforms: 10",
    "ROMs: 60",
    "Saves: 18",
    "States: 7",
    "Screenshots: 12",
    "Users: 3",
    "Storage: 13.7 GB",
}


def stat_channels(fd: FakeDiscord) -> dict[str, Channel]:
    """Voice channels by the label before the colon ("ROMs", "Storage", ...)."""
    return {c.name.split(":")[0]: c for c in fd.guild_channels() if c.type == 2}


def denies_connect(channel: Channel, everyone: int) -> bool:
    return any(
        int(o["id"]) == everyone and int(o.get("deny", 0)) & CONNECT
        for o in channel.permission_overwrites
    )


def add_games(harness: Harness, count: int = 1) -> None:
    n64 = harness.sim.library.platform_by_slug("n64")
    assert n64 is not None
    for _ in range(count):
        harness.sim.library.add_rom(n64.id, name="New Game", igdb_id=None)


async def refresh(run: Running) -> None:
    assert run.bot.live is not None
    assert await run.bot.live.tick()


def renames(fd: FakeDiscord, channel: Channel) -> list[Any]:
    return [c for c in fd.calls("PATCH", f"/channels/{channel.id}") if c.status == 200]


async def test_the_bot_creates_its_category_once_and_members_cannot_connect(
    harness: Harness, bot: Running
) -> None:
    fd = harness.fd
    category = fd.channel_named("RomM Stats")
    assert category.type == 4
    channels = stat_channels(fd)
    assert {c.name for c in channels.values()} == NAMES
    assert all(c.parent_id == category.id for c in channels.values())
    assert all(denies_connect(c, fd.guild.id) for c in [category, *channels.values()])
    stored = await bot.app.services.store.get_json(f"{STORE_KEY}.{fd.guild.id}")
    assert stored["category_id"] == category.id
    assert sorted(stored["channels"].values()) == sorted(c.id for c in channels.values())


async def test_a_refresh_with_nothing_new_makes_no_discord_call(
    harness: Harness, bot: Running
) -> None:
    fd = harness.fd
    before = len(fd.requests)
    for _ in range(3):
        await refresh(bot)
    await fd.flush()
    assert fd.requests[before:] == []


async def test_only_the_channels_whose_number_changed_are_renamed(
    harness: Harness, bot: Running
) -> None:
    fd = harness.fd
    add_games(harness)
    await refresh(bot)
    channels = stat_channels(fd)
    await eventually(lambda: channels["ROMs"].name == "ROMs: 61", what="the ROMs rename")
    # 1 MB more storage still shows as 13.7 GB: only the ROMs channel is renamed
    renamed = [c.path for c in fd.calls("PATCH", "/channels/{id}")]
    assert renamed == [f"/channels/{channels['ROMs'].id}"]
    assert channels["Storage"].name == "Storage: 13.7 GB"
    assert fd.presence is not None and fd.presence["activities"][0]["name"] == "61 games"


async def test_renames_wait_for_the_limit_and_only_the_newest_value_goes_out(
    harness: Harness, bot: Running
) -> None:
    fd = harness.fd
    roms = stat_channels(fd)["ROMs"]
    for expected in ("ROMs: 61", "ROMs: 62"):
        add_games(harness)
        await refresh(bot)
        await eventually(lambda n=expected: roms.name == n, what=expected)  # type: ignore[misc]
    for _ in range(3):  # three more changes inside the same 10 minutes
        add_games(harness)
        await refresh(bot)
    await fd.flush()
    assert roms.name == "ROMs: 62" and len(renames(fd, roms)) == 2
    channels = bot.bot.stats_channels
    assert channels is not None and channels.limiter.pending(roms.id) == "ROMs: 65"

    harness.clock.offset += 601  # ten minutes later
    channels.kick()
    await eventually(lambda: roms.name == "ROMs: 65", what="the coalesced rename")
    assert [c.json["name"] for c in renames(fd, roms)] == ["ROMs: 61", "ROMs: 62", "ROMs: 65"]


async def test_a_short_429_is_waited_out_and_the_rename_lands(
    harness: Harness, bot: Running
) -> None:
    fd = harness.fd
    roms = stat_channels(fd)["ROMs"]
    rule = fd.rate_limit("PATCH", f"/channels/{roms.id}", retry_after=0.05)
    add_games(harness)
    await refresh(bot)
    await eventually(lambda: roms.name == "ROMs: 61", what="the rename after a 429")
    assert len(rule.hits) == 1
    assert [c.status for c in fd.calls("PATCH", f"/channels/{roms.id}")] == [429, 200]


async def test_a_long_429_blocks_the_channel_without_retrying_until_it_expires(
    harness: Harness, bot: Running
) -> None:
    fd = harness.fd
    roms = stat_channels(fd)["ROMs"]
    rule = fd.rate_limit("PATCH", f"/channels/{roms.id}", retry_after=120)
    add_games(harness)
    await refresh(bot)
    await eventually(lambda: len(rule.hits) == 1, what="the 429")
    add_games(harness)  # another change while blocked: coalesced, not sent
    await refresh(bot)
    await fd.flush()
    assert roms.name == "ROMs: 60" and len(fd.calls("PATCH", f"/channels/{roms.id}")) == 1

    harness.clock.offset += 121
    assert bot.bot.stats_channels is not None
    bot.bot.stats_channels.kick()
    await eventually(lambda: roms.name == "ROMs: 62", what="the rename after the block")
    assert len(fd.calls("PATCH", f"/channels/{roms.id}")) == 2


async def test_channel_ids_survive_a_restart(harness: Harness, bot: Running) -> None:
    fd = harness.fd
    first = {label: c.id for label, c in stat_channels(fd).items()}
    await harness.stop(bot)
    fd.requests.clear()
    add_games(harness)
    again = await harness.start()
    await eventually(lambda: stat_channels(fd)["ROMs"].name == "ROMs: 61", what="rename")
    assert {label: c.id for label, c in stat_channels(fd).items()} == first
    assert fd.calls("POST", f"/guilds/{fd.guild.id}/channels") == []
    assert fd.calls("DELETE", "*") == []
    assert again.bot.stats_channels is not None


async def test_the_admins_own_channels_are_used_and_never_deleted(harness: Harness) -> None:
    fd = harness.fd
    lobby = fd.add_category("Lobby")
    mine = [fd.add_voice_channel(f"stat {i}", parent_id=lobby.id) for i in range(3)]
    await fd.flush()
    await harness.start(stats_channel_ids=[c.id for c in mine])
    wanted = ["Platforms: 10", "ROMs: 60", "Saves: 18"]
    await eventually(lambda: [c.name for c in mine] == wanted, what="the renames")
    assert all(denies_connect(c, fd.guild.id) for c in mine)
    assert fd.calls("POST", f"/guilds/{fd.guild.id}/channels") == []  # nothing created
    assert "RomM Stats" not in {c.name for c in fd.guild_channels()}
    await harness.close()
    assert fd.calls("DELETE", "*") == [] and all(c.id in fd.channels for c in mine)


async def test_update_voice_names_off_touches_no_channel(harness: Harness) -> None:
    fd = harness.fd
    await harness.start(update_voice_names=False)
    assert stat_channels(fd) == {}
    assert fd.calls("POST", f"/guilds/{fd.guild.id}/channels") == []
