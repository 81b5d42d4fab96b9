"""Commands typed in Telegram chats, pick lists and buttons as inline keyboards, at the wire."""

from __future__ import annotations

from tests.fakes.telegram import BOT_USERNAME, FakeTelegram
from tests.frontends.telegram.conftest import ADMIN, GROUP, MEMBER, OWNER, Harness, Running


async def test_help_asked_in_the_group_is_answered_in_the_group(
    harness: Harness, bot: Running
) -> None:
    """Lists and help hold nothing private: they stay where they were asked."""
    (reply,) = await harness.ask(MEMBER, GROUP, "/help")
    assert "/search" in reply.text and "/scan" not in reply.text
    assert harness.tg.in_chat(MEMBER) == []


async def test_a_command_addressed_to_this_bot_by_name_is_answered_in_the_group(
    harness: Harness, bot: Running
) -> None:
    (reply,) = await harness.ask(MEMBER, GROUP, f"/stats@{BOT_USERNAME}")
    assert reply.text.startswith("Library statistics\nPlatforms: 10\nROMs: 60")


async def test_a_command_for_another_bot_is_left_alone(harness: Harness, bot: Running) -> None:
    tg = harness.tg
    await tg.say(MEMBER, GROUP, "/stats@SomeOtherBot")
    (reply,) = await harness.ask(MEMBER, GROUP, "/serch mario")  # the next one is answered
    assert len(tg.in_chat(GROUP)) == 1
    assert "Did you mean /search" in reply.text  # a typo's answer stays in the group


async def test_values_in_order_and_a_pick_list_as_buttons(harness: Harness, bot: Running) -> None:
    tg = harness.tg
    (listing,) = await harness.ask(OWNER, OWNER, "/search psx final fantasy")
    assert "Found 2 game(s)" in listing.text
    labels = [b["text"] for b in listing.buttons()]
    assert any(label == "Final Fantasy VII" for label in labels)
    (card,) = await harness.press(OWNER, listing, "Final Fantasy VII")
    # the press was answered before the reply was sent
    answered = tg.calls_of("answerCallbackQuery")[-1].at
    assert answered <= tg.calls_of(card.method)[-1].at
    assert "Final Fantasy VII" in card.text
    urls = {b["text"]: b.get("url") for b in card.buttons() if "url" in b}
    assert urls["Open in RomM"] == "https://romm.example.org/rom/2"


async def test_a_cover_is_uploaded_not_linked(harness: Harness, bot: Running) -> None:
    (listing,) = await harness.ask(OWNER, OWNER, "/search psx final fantasy")
    (card,) = await harness.press(OWNER, listing, "Final Fantasy VII")
    assert card.method == "sendPhoto" and card.photo, "the cover is sent as a file"
    assert card.photo[:8] == b"\x89PNG\r\n\x1a\n"
    assert "romm.example.org/assets" not in card.html


async def test_a_multi_file_pick_by_toggle_buttons_and_done(harness: Harness, bot: Running) -> None:
    tg = harness.tg
    (listing,) = await harness.ask(OWNER, OWNER, "/search psx final fantasy")
    (card,) = await harness.press(OWNER, listing, "Final Fantasy VII")
    disc1 = card.button("(Disc 1)")
    assert disc1["text"].startswith("☐")
    await tg.press(OWNER, card, disc1["callback_data"])
    await tg.wait_for(lambda: card.button("(Disc 1)")["text"].startswith("☑"))
    assert card.button("Done")["text"] == "Done (1)"
    (chosen,) = await harness.press(OWNER, card, "Done")
    assert "2 files as one zip" in chosen.text
    ((label, url),) = [(b["text"], b["url"]) for b in chosen.buttons() if "url" in b]
    assert label == "Download (689.1 MB)"
    assert url.startswith(bot.app.services.downloads.gateway_base + "/dl/")


async def test_a_private_link_never_shows_in_the_group(harness: Harness, bot: Running) -> None:
    tg = harness.tg
    (listing,) = await harness.ask(OWNER, GROUP, "/search psx final fantasy")
    assert listing.chat_id == GROUP  # the list is not private; the game's links are
    (card,) = await harness.press(OWNER, listing, "Final Fantasy VII", chat=OWNER)
    assert card.chat_id == OWNER and "Final Fantasy VII" in card.text
    gateway = bot.app.services.downloads.gateway_base
    for sent in tg.in_chat(GROUP):
        assert gateway not in sent.html and not any("url" in b for b in sent.buttons())


async def test_a_member_is_refused_an_admin_command_and_an_admin_is_not(
    harness: Harness, bot: Running
) -> None:
    sim = harness.sim
    sim.reset_calls()
    (reply,) = await harness.ask(MEMBER, MEMBER, "/refresh")
    assert reply.text.endswith("/refresh is for admins only.")
    assert sim.calls == []
    (reply,) = await harness.ask(ADMIN, ADMIN, "/refresh")
    assert "admins only" not in reply.text


async def test_group_administrators_are_admins_when_allowed(harness: Harness) -> None:
    await harness.start(telegram_group_admins=True)
    (reply,) = await harness.ask(OWNER, OWNER, "/refresh")  # the group's creator
    assert "admins only" not in reply.text


async def test_start_publishes_the_members_and_admins_command_lists(
    tg: FakeTelegram, bot: Running
) -> None:
    scopes = {scope: [c["command"] for c in cmds] for scope, cmds in tg.commands.items()}
    members = scopes['{"type": "default"}']
    admins = scopes[f'{{"chat_id": {GROUP}, "type": "chat_administrators"}}']
    assert "search" in members and "scan" not in members
    assert "scan" in admins and set(members) < set(admins)
    assert scopes[f'{{"chat_id": {ADMIN}, "type": "chat"}}'] == admins


async def test_a_long_reply_is_split_into_messages_telegram_accepts(
    harness: Harness, bot: Running
) -> None:
    from romm_comm.core.cards import Card, Reply

    text = "\n".join(f"**Game {n}** — `file {n}.zip` & more" for n in range(400))
    sent = await bot.bot.send(OWNER, Reply(cards=(Card(title="Long", text=text),)))
    pieces = harness.tg.in_chat(OWNER)
    assert len(sent) == len(pieces) > 1
    shown = "".join(p.text for p in pieces)
    assert "Game 0" in shown and "Game 399" in shown  # nothing lost, nothing refused
    assert all(len(p.html) <= 4096 for p in pieces)
