"""Components keep working after a restart: their custom ids are action ids, answered
without any in-memory state of the process that sent them."""

from __future__ import annotations

from tests.frontends.discord.conftest import Harness, Running, final, selects


async def test_a_pick_list_and_a_qr_button_work_after_a_restart(
    harness: Harness, bot: Running
) -> None:
    fd = harness.fd
    listing = await final(
        await fd.slash(fd.owner.id, "search", {"platform": "psx", "game": "final fantasy"})
    )
    assert selects(listing)[0]["custom_id"] == "rom"
    card = await final(
        await fd.slash(fd.owner.id, "search", {"platform": "3ds", "game": "animal crossing"})
    )
    await harness.stop(bot)
    identified = fd.gateway.identify_count

    await harness.start()  # a new process: new App, new bot, same data directory
    assert fd.gateway.identify_count == identified + 1
    again = await final(await fd.select(fd.owner.id, listing.id, "rom", ["3"]))
    assert again.embeds[0]["title"] == "Final Fantasy VIII"
    qr = await final(await fd.click(fd.owner.id, card.id, "qr:17"))
    assert qr.ephemeral and qr.embeds[0]["title"] == "QR code: Animal Crossing: New Leaf"
    assert qr.attachments[0].filename == "qr-17.png"
