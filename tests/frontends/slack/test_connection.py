"""Socket Mode reconnects, files, notifications: the real slack-sdk against FakeSlack."""

from __future__ import annotations

from romm_comm.core.cards import Reply
from romm_comm.core.notify import UserRef
from tests.frontends.slack.conftest import Harness


async def test_a_disconnect_envelope_reconnects_and_commands_keep_working(slack: Harness) -> None:
    await slack.start()
    fake = slack.fake
    await fake.disconnect()
    await fake.wait_connected(2)
    await fake.send_command("stats")
    [answer] = await fake.wait_answers(1)
    assert answer.kind == "respond"
    assert fake.calls.count("apps.connections.open") == 2


async def test_a_dropped_socket_redelivers_without_running_the_command_twice(
    slack: Harness,
) -> None:
    await slack.start()
    fake = slack.fake
    fake.lose_next_ack = True
    env = await fake.send_command("stats")
    await fake.wait_answers(1)  # it ran; its ack was lost with the connection
    await fake.drop()
    await fake.wait_connected(2)  # the fake sends the envelope again on the new socket
    await fake.wait_for(lambda: env.acks)
    assert env.retry_attempt == 1
    assert [a.envelope for a in fake.answers] == [env.id]  # answered once
    fake.answers.clear()  # the lost first ack made the answer precede the one counted
    await fake.send_command("stats")
    assert len(await fake.wait_answers(1)) == 1


async def test_a_qr_code_is_uploaded_to_the_persons_dm_only(slack: Harness) -> None:
    await slack.start()
    fake = slack.fake
    await fake.press("qr:17", "QR code")
    await fake.wait_for(lambda: fake.uploads)
    [upload] = fake.uploads
    assert upload["filename"] == "qr-17.png" and upload["data"].startswith(b"\x89PNG")
    assert upload["channel"] == "DMEMBER1"  # the app's DM, never the channel
    upload_calls = [c for c in fake.calls if c.startswith(("conversations.open", "files."))]
    assert upload_calls[:3] == [
        "conversations.open",
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
    ]
    [card] = [a for a in fake.answers if a.kind == "respond"]
    assert card.response_type == "ephemeral"


async def test_notifications_reach_slack_dms_and_topic_channels(slack: Harness) -> None:
    await slack.start(slack_requests_channel_id="CGENERAL")
    fake = slack.fake
    assert slack.app is not None
    notifications = slack.app.services.notifications
    assert await notifications.direct(UserRef("slack", "UMEMBER1"), Reply(text="**done**"))
    [ref] = await notifications.post("requests", Reply(text="new request"))
    assert ref.channel_id == "CGENERAL"
    assert await notifications.edit(ref, Reply(text="request answered"))
    kinds = [(a.kind, a.channel) for a in fake.answers]
    assert kinds == [("post", "DMEMBER1"), ("post", "CGENERAL"), ("update", "CGENERAL")]
    assert fake.answers[0].blocks[0]["text"]["text"] == "*done*"
    assert slack.app.services.front_ends.state()["slack"] is True


async def test_covers_of_a_lan_only_romm_are_uploaded_once_and_shown(slack: Harness) -> None:
    await slack.start(romm_public_url=None)  # Slack cannot open RomM's own address
    fake = slack.fake
    await fake.send_action(
        {"type": "static_select", "action_id": "rom"}, selected_option={"value": "2"}
    )
    [card] = await fake.wait_answers(1)
    [file_id] = [
        b["accessory"]["slack_file"]["id"]
        for b in card.blocks
        if "slack_file" in b.get("accessory", {})
    ]
    [upload] = fake.uploads
    assert upload["id"] == file_id and upload["channel"] is None  # shared in no channel
    assert upload["data"][:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xdb", b"RIFF")
    images = [b for b in card.blocks if b.get("type") == "image" or "accessory" in b]
    assert all("image_url" not in b.get("accessory", b) for b in images)  # no LAN image URL
    await fake.send_action(
        {"type": "static_select", "action_id": "rom"}, selected_option={"value": "2"}
    )
    await fake.wait_answers(2)
    assert len(fake.uploads) == 1  # the same cover is not uploaded again
