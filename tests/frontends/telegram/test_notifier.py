"""The core's notifications on Telegram: posts to the chats named by settings, edits in place,
private messages; a request made on Telegram is answered on Telegram."""

from __future__ import annotations

from romm_comm.core.cards import Reply
from romm_comm.core.notify import UserRef
from tests.frontends.telegram.conftest import GROUP, MEMBER, Harness


async def test_posts_go_to_their_chats_and_progress_is_edited_in_place(harness: Harness) -> None:
    tg = harness.tg
    scans = -1002000000002
    tg.add_group(scans, "Scans", {})
    run = await harness.start(telegram_scans_chat_id=scans)
    notifications = run.app.services.notifications
    assert "telegram" in notifications.notifiers
    (ref,) = await notifications.post("scans", Reply.notice("Scanning… 10%"))
    (ref_log,) = await notifications.admin_log(Reply.notice("The bot started."))
    assert ref_log.channel_id == str(GROUP)
    assert await notifications.edit(ref, Reply.notice("Scanning… 50%"))
    (posted,) = tg.in_chat(scans)
    assert posted.text == "Scanning… 50%" and posted.edits == ["Scanning… 10%"]
    assert await notifications.post("recent_roms", Reply.notice("x")) == []  # no chat set


async def test_direct_messages_reach_people_who_started_the_bot(harness: Harness) -> None:
    tg = harness.tg
    run = await harness.start()
    notifications = run.app.services.notifications
    assert await notifications.direct(UserRef("telegram", str(MEMBER)), Reply.notice("Ready!"))
    assert tg.in_chat(MEMBER)[-1].text == "Ready!"
    tg.people[MEMBER].started = False
    assert not await notifications.direct(UserRef("telegram", str(MEMBER)), Reply.notice("x"))


async def test_the_front_end_reports_its_connection(harness: Harness) -> None:
    run = await harness.start()
    assert run.app.services.front_ends.state()["telegram"] is True
    await harness.stop(run)
    assert run.app.services.front_ends.state()["telegram"] is False


async def test_a_request_made_on_telegram_is_answered_on_telegram(harness: Harness) -> None:
    from romm_comm.features.requests.models import Person

    tg = harness.tg
    run = await harness.start()
    (form,) = await harness.ask(MEMBER, MEMBER, "/request psx Chrono Cross Deluxe")
    (sent,) = await harness.press(MEMBER, form, "Send request")
    assert "Chrono Cross Deluxe" in sent.text
    requests = run.app.services.requests
    assert requests is not None
    (request,) = await requests.pending()
    waiting = tg.wait_sent(MEMBER)
    await requests.reject(request.id, Person("telegram:1004", "Ada"), "not available")
    (told,) = await waiting
    assert "Chrono Cross Deluxe" in told.text and "not available" in told.text
