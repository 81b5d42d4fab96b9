"""QR codes for 3DS/Vita installers: a button on the game card, or a 📱 reaction; always
private; refused with the reason when the QR code cannot work."""

from __future__ import annotations

import io

from PIL import Image

from tests.fakes.discord import Message, messaging
from tests.frontends.discord.conftest import Harness, Running, buttons, final
from tests.helpers.waiting import eventually


def png_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        return image.size


async def card_of(harness: Harness, platform: str, game: str) -> Message:
    fd = harness.fd
    return await final(await fd.slash(fd.owner.id, "search", {"platform": platform, "game": game}))


async def test_the_qr_button_sends_the_code_privately(harness: Harness, bot: Running) -> None:
    fd = harness.fd
    card = await card_of(harness, "Nintendo 3DS", "animal crossing")
    (qr,) = [b for b in buttons(card) if b.get("label") == "QR code"]
    assert qr["custom_id"] == "qr:17" and qr["emoji"]["name"] == "📱"

    answer = await final(await fd.click(fd.owner.id, card.id, "qr:17"))
    assert answer.ephemeral and answer.id != card.id  # the card stays as it was
    embed = answer.embeds[0]
    assert embed["title"] == "QR code: Animal Crossing: New Leaf"
    assert (
        "FBI" in embed["description"]
        and "Animal Crossing - New Leaf (USA).cia" in (embed["description"])
    )
    (attachment,) = answer.attachments
    assert attachment.filename == "qr-17.png"
    width, height = png_size(attachment.data)
    assert width == height and width > 100
    assert embed["image"]["url"].endswith("qr-17.png")  # shown inside the embed


async def test_a_qr_code_that_cannot_work_is_refused_with_the_reason(
    harness: Harness, bot: Running
) -> None:
    fd = harness.fd
    cartridge = await card_of(harness, "Nintendo 3DS", "bright samurai")
    refusal = await (await fd.click(fd.owner.id, cartridge.id, "qr:56")).wait_reply()
    assert refusal.ephemeral and not refusal.files
    assert "FBI on the 3DS installs .cia files; this game is a .3ds file" in refusal.content

    bundle = await card_of(harness, "PlayStation Vita", "glider")
    refusal = await (await fd.click(fd.owner.id, bundle.id, "qr:57")).wait_reply()
    assert "bundle of 2 files" in refusal.content and "VitaShell" in refusal.content


async def test_a_phone_reaction_on_a_public_game_card_sends_the_code_by_dm(
    harness: Harness, bot: Running
) -> None:
    fd = harness.fd
    general = fd.channel_named("general")
    posted = messaging.create_message(
        fd,
        general,
        fd.bot.id,
        {"embeds": [{"title": "Persona 4 Golden", "url": "https://romm.example.org/rom/18"}]},
    )
    member = fd.add_member(name="vita-owner")
    await fd.react(member.user.id, general.id, posted.id, "📱")
    await eventually(lambda: bool(fd.dm_messages(member.user.id)), what="a DM")
    (dm,) = fd.dm_messages(member.user.id)
    assert dm.embeds[0]["title"] == "QR code: Persona 4 Golden"
    assert "VitaShell" in dm.embeds[0]["description"]
    assert png_size(dm.attachments[0].data)[0] > 100
    assert [m.id for m in fd.messages(general.id)] == [posted.id]  # nothing public


async def test_reactions_elsewhere_are_ignored_and_closed_dms_are_explained(
    harness: Harness, bot: Running
) -> None:
    fd = harness.fd
    general = fd.channel_named("general")
    shy = fd.add_member(name="shy", dms_open=False)
    someone_elses = await fd.say(shy.user.id, general.id, "https://romm.example.org/rom/18")
    await fd.react(fd.owner.id, general.id, someone_elses.id, "📱")
    card = messaging.create_message(
        fd,
        general,
        fd.bot.id,
        {"embeds": [{"title": "Persona 4 Golden", "url": "https://romm.example.org/rom/18"}]},
    )
    await fd.react(shy.user.id, general.id, card.id, "qr_code:123")
    await eventually(lambda: len(fd.messages(general.id)) == 3, what="the DM-closed notice")
    notice = fd.messages(general.id)[-1]
    assert notice.author_id == fd.bot.id and f"<@{shy.user.id}>" in notice.content
    assert "cannot send you direct messages" in notice.content
    assert fd.dm_messages(fd.owner.id) == []  # the reaction on a member's message did nothing
