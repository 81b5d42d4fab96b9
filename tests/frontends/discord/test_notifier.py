"""The core's notifications on Discord (DiscordNotifier) through the real discord.py: DMs,
the admin log, topic channels, edits in place, and buttons that outlive the process."""

from __future__ import annotations

from romm_comm.core.cards import Attachment, Button, Card, Reply
from romm_comm.core.notify import MessageRef, UserRef
from tests.fakes.discord import FakeDiscord
from tests.frontends.discord.conftest import Harness, Running, final

ARRIVED = Reply(
    text="Your request arrived!",
    cards=(Card("Super Mario 64", text="Now in the library."),),
)


def dm_to(user_id: int) -> UserRef:
    return UserRef("discord", str(user_id))


async def test_a_dm_is_delivered_and_closed_dms_answer_false(
    harness: Harness, bot: Running
) -> None:
    fd = harness.fd
    notifications = bot.app.services.notifications
    assert "discord" in notifications.notifiers  # registered once ready
    open_dms = fd.add_member(name="open")
    closed = fd.add_member(name="closed", dms_open=False)

    assert await notifications.direct(dm_to(open_dms.user.id), ARRIVED) is True
    (dm,) = fd.dm_messages(open_dms.user.id)
    assert dm.content == "Your request arrived!"
    assert dm.embeds[0]["title"] == "Super Mario 64"

    assert await notifications.direct(dm_to(closed.user.id), ARRIVED) is False
    assert fd.dm_messages(closed.user.id) == []
    assert await notifications.direct(dm_to(999_999_999_999), ARRIVED) is False  # no such user
    assert await notifications.direct(UserRef("discord", "not-a-number"), ARRIVED) is False


async def test_the_admin_log_goes_to_the_log_channel_and_nowhere_without_one(
    harness: Harness,
) -> None:
    fd = harness.fd
    log = fd.add_text_channel("romm-log")
    run = await harness.start(log_channel_id=log.id)
    notifications = run.app.services.notifications
    (ref,) = await notifications.admin_log(Reply(text="DMs of @someone are closed"))
    (message,) = fd.messages(log.id)
    assert message.content == "DMs of @someone are closed"
    assert ref == MessageRef("discord", str(log.id), str(message.id))
    await harness.stop(run)

    run = await harness.start()  # no LOG_CHANNEL_ID
    assert await run.app.services.notifications.admin_log(Reply(text="lost")) == []
    assert [m.content for m in fd.messages(log.id)] == ["DMs of @someone are closed"]


async def test_topics_go_to_their_channels_with_the_log_channel_as_fallback(
    harness: Harness,
) -> None:
    fd = harness.fd
    log, recent, requests = (fd.add_text_channel(n) for n in ("log", "new-games", "requests"))
    run = await harness.start(
        log_channel_id=log.id, recent_roms_channel_id=recent.id, requests_channel_id=requests.id
    )
    post = run.app.services.notifications.post
    assert len(await post("recent_roms", Reply(text="3 new games"))) == 1
    assert len(await post("requests", Reply(text="New request: Zelda"))) == 1
    assert len(await post("scans", Reply(text="Scan done"))) == 1  # no SCANS_CHANNEL_ID
    assert await post("netplay", Reply(text="unknown topic")) == []
    assert [m.content for m in fd.messages(recent.id)] == ["3 new games"]
    assert [m.content for m in fd.messages(requests.id)] == ["New request: Zelda"]
    assert [m.content for m in fd.messages(log.id)] == ["Scan done"]
    await harness.stop(run)

    run = await harness.start(scans_channel_id=recent.id)  # nothing else set
    post = run.app.services.notifications.post
    assert await post("recent_roms", Reply(text="nowhere")) == []
    assert await post("requests", Reply(text="nowhere")) == []
    assert len(await post("scans", Reply(text="Scan started"))) == 1
    assert [m.content for m in fd.messages(recent.id)][-1] == "Scan started"


async def test_a_posted_message_is_edited_in_place_until_it_is_gone(harness: Harness) -> None:
    fd = harness.fd
    scans = fd.add_text_channel("scans")
    run = await harness.start(scans_channel_id=scans.id)
    notifications = run.app.services.notifications
    (ref,) = await notifications.post("scans", Reply(cards=(Card("Scan: 10%"),)))
    assert await notifications.edit(ref, Reply(cards=(Card("Scan: 60%", text="psx"),)))
    (message,) = fd.messages(scans.id)
    assert str(message.id) == ref.message_id and len(message.edits) == 1
    assert message.embeds[0]["title"] == "Scan: 60%"
    message.deleted = True  # an admin deleted it
    assert await notifications.edit(ref, Reply(cards=(Card("Scan: 90%"),))) is False
    assert await notifications.edit(MessageRef("console", "1", "2"), Reply(text="x")) is False


async def test_attachments_are_sent_as_files(harness: Harness) -> None:
    fd = harness.fd
    recent = fd.add_text_channel("new-games")
    run = await harness.start(recent_roms_channel_id=recent.id)
    grid = Attachment("covers.png", b"\x89PNG\r\n\x1a\nfake", "cover grid")
    reply = Reply(
        cards=(Card("New games", image_url="attachment://covers.png"),), attachments=(grid,)
    )
    assert await run.app.services.notifications.post("recent_roms", reply)
    (message,) = fd.messages(recent.id)
    assert message.attachments[0].filename == "covers.png"
    assert message.embeds[0]["image"]["url"].endswith("/covers.png")


async def test_a_button_on_a_posted_message_works_after_a_restart(harness: Harness) -> None:
    fd: FakeDiscord = harness.fd
    recent = fd.add_text_channel("new-games")
    run = await harness.start(recent_roms_channel_id=recent.id)
    card = Reply(
        cards=(Card("Animal Crossing: New Leaf"),),
        buttons=(Button("QR code", "qr:17", emoji="📱"),),
    )
    (ref,) = await run.app.services.notifications.post("recent_roms", card)
    await harness.stop(run)
    assert "discord" not in run.app.services.notifications.notifiers  # unregistered on close

    await harness.start(recent_roms_channel_id=recent.id)  # a new process, same data
    member = fd.add_member(name="member")
    answer = await final(await fd.click(member.user.id, int(ref.message_id), "qr:17"))
    assert answer.ephemeral and answer.embeds[0]["title"] == "QR code: Animal Crossing: New Leaf"
    assert answer.attachments[0].filename == "qr-17.png"
