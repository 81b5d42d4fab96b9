"""Platform emojis as application emojis (EMOJI_MODE=auto, the default): no server slot is
used, the application's other emojis are never touched, a restart uploads nothing."""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any

from PIL import Image

from tests.fakes.discord import Emoji, FakeDiscord
from tests.frontends.discord.conftest import FAST, Harness, Running, final
from tests.helpers.waiting import eventually


def app_path(fd: FakeDiscord) -> str:
    return f"/applications/{fd.application_id}/emojis*"


def ours(fd: FakeDiscord) -> dict[str, Emoji]:
    return {e.name: e for e in fd.app_emojis.values() if e.name not in ("logo", "psx_old")}


async def start(harness: Harness, **settings: Any) -> Running:
    values: dict[str, Any] = {"emoji_mode": "auto"}
    values.update(settings)
    run = await harness.start(replace(FAST, emoji_gap=0.0), **values)
    emojis = run.bot.platform_emojis
    assert emojis is not None
    await eventually(lambda: emojis.syncs >= 1, what="the first emoji sync")
    return run


def developer_emoji(fd: FakeDiscord, name: str) -> Emoji:
    """An application emoji the developer uploaded in the portal (not the bot's)."""
    emoji = Emoji(fd.ids.next(), name, b"\x89PNG\r\n\x1a\n")
    fd.app_emojis[emoji.id] = emoji
    return emoji


async def test_application_emojis_use_no_server_slot_and_show_everywhere(
    harness: Harness,
) -> None:
    fd = harness.fd
    member = fd.add_emoji("party", b"png")
    logo = developer_emoji(fd, "logo")
    log = fd.add_text_channel("romm-log")
    run = await start(harness, log_channel_id=log.id)

    slugs = sorted(p.slug for p in run.app.services.catalog.platforms)
    assert sorted(ours(fd)) == slugs
    assert fd.calls("POST", f"/guilds/{fd.guild.id}/emojis") == []
    assert list(fd.guild.emojis) == [member.id] and logo.id in fd.app_emojis
    with Image.open(io.BytesIO(ours(fd)["n64"].image)) as image:
        assert image.format == "PNG" and max(image.size) <= 128

    mapping = run.app.services.platform_emoji
    assert mapping["n64"] == f"<:n64:{ours(fd)['n64'].id}>"
    report = fd.messages(log.id)[-1].content
    assert "10 of 1999 application emojis used for 10 platforms." in report

    card = await final(await fd.slash(fd.owner.id, "random", {"platform": "Nintendo 64"}))
    (platform,) = [f["value"] for f in card.embeds[0]["fields"] if f["name"] == "Platform"]
    assert platform == f"{mapping['n64']} Nintendo 64"


async def test_a_restart_uploads_nothing_and_other_emojis_are_never_touched(
    harness: Harness,
) -> None:
    fd = harness.fd
    developer_emoji(fd, "logo")
    taken = developer_emoji(fd, "psx")  # the developer's own psx icon: used, not duplicated
    run = await start(harness)
    assert "psx" not in {e.name for e in fd.app_emojis.values() if e.id != taken.id}
    assert run.app.services.platform_emoji["psx"] == f"<:psx:{taken.id}>"
    uploads = len(fd.calls("POST", app_path(fd)))
    assert uploads == 9
    await harness.stop(run)

    run = await start(harness)
    assert len(fd.calls("POST", app_path(fd))) == uploads
    assert fd.calls("DELETE", app_path(fd)) == [] and fd.calls("PATCH", app_path(fd)) == []
    assert run.app.services.platform_emoji["n64"].startswith("<:n64:")

    gone = ours(fd)["snes"]  # deleted in the developer portal
    del fd.app_emojis[gone.id]
    answer = await final(await fd.slash(fd.owner.id, "emojis", {"action": "sync"}))
    text = answer.embeds[0]["description"]
    assert "Deleted by someone else" in text and "Uploaded 1: snes." in text
    assert ours(fd)["snes"].id != gone.id


async def test_emojis_status_and_the_command_elsewhere(harness: Harness) -> None:
    fd = harness.fd
    run = await start(harness)
    member = fd.add_member(name="member")
    denied = await final(await fd.slash(member.user.id, "emojis", {"action": "sync"}))
    assert denied.ephemeral and denied.content == "/emojis is for admins only."
    status = await final(await fd.slash(fd.owner.id, "emojis", {"action": "status"}))
    assert (
        "10 of 2000 application emojis used for 10 platforms." in (status.embeds[0]["description"])
    )
    from romm_comm.core.commands import Caller
    from romm_comm.features.context import Context

    console = Context(Caller("console", "op", "console", is_admin=True), run.app.services)
    reply = await run.app.registry.run(console, "emojis", {"action": "sync"})
    assert reply.text == "Platform emojis are uploaded on Discord only; run /emojis there."


async def test_romm_down_at_start_changes_nothing_and_emojis_follow_once_it_answers(
    harness: Harness,
) -> None:
    fd, sim = harness.fd, harness.sim
    log = fd.add_text_channel("romm-log")
    sim.faults.fail("/api", 500)
    run = await start(harness, log_channel_id=log.id)
    assert fd.app_emojis == {} and fd.calls("POST", app_path(fd)) == []
    assert not any("Platform emojis" in m.content for m in fd.messages(log.id))
    sim.faults.clear()
    live, emojis = run.bot.live, run.bot.platform_emojis
    assert live is not None and emojis is not None
    assert await live.tick()  # the refresh loads the platforms: a sync follows
    await eventually(lambda: emojis.syncs >= 2, what="the sync after RomM came back")
    assert len(ours(fd)) == 10
    assert "Uploaded 10: " in fd.messages(log.id)[-1].content
