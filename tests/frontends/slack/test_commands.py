"""Slash commands, picks, private replies and admin rights through the real slack-bolt."""

from __future__ import annotations

import pytest

from tests.fakes.slack.server import Answer
from tests.frontends.slack.conftest import ADMIN, Harness
from tests.helpers.waiting import eventually


def _elements(answer: Answer, kind: str) -> list[dict]:
    found = []
    for block in answer.blocks:
        for el in block.get("elements", []) + (
            [block["accessory"]] if "accessory" in block else []
        ):
            if el.get("type") == kind:
                found.append(el)
    return found


async def test_search_answers_in_the_channel_with_a_pick_list(slack: Harness) -> None:
    await slack.start()
    fake = slack.fake
    env = await fake.send_command("search n64 mario")
    [answer] = await fake.wait_answers(1)
    assert answer.envelope == env.id and answer.kind == "respond"
    assert env.acks and env.acks[0] < answer.seq  # acknowledged before it was answered
    text = answer.all_text()
    assert "mario" in text.lower()


async def test_a_typo_gets_did_you_mean_as_typed_on_slack(slack: Harness) -> None:
    await slack.start()
    await slack.fake.send_command("serch n64 mario")
    [answer] = await slack.fake.wait_answers(1)
    assert answer.response_type == "ephemeral"
    assert "/romm search" in answer.all_text()


async def test_help_names_commands_as_people_type_them(slack: Harness) -> None:
    await slack.start()
    await slack.fake.send_command("")
    [answer] = await slack.fake.wait_answers(1)
    assert "/romm " in answer.all_text()


async def test_admin_command_refused_to_a_member_and_run_for_an_admin(slack: Harness) -> None:
    await slack.start()
    fake = slack.fake
    await fake.send_command("scan")
    [refused] = await fake.wait_answers(1)
    assert "admins only" in refused.all_text() and refused.response_type == "ephemeral"
    await fake.send_command("scan", user=ADMIN)
    answers = await fake.wait_answers(2)
    assert "admins only" not in answers[1].all_text()


async def test_pick_a_game_then_its_files_the_link_is_ephemeral_only(slack: Harness) -> None:
    await slack.start()
    fake = slack.fake
    await fake.send_command("search psx final fantasy")
    [listing] = await fake.wait_answers(1)
    assert listing.response_type == "ephemeral"
    [select] = _elements(listing, "static_select")
    assert select["action_id"] == "rom"
    labels = {o["text"]["text"]: o for o in select["options"]}
    assert set(labels) == {"Final Fantasy VII", "Final Fantasy VIII"}
    await fake.send_action(select, selected_option=labels["Final Fantasy VII"])
    card = (await fake.wait_answers(2))[1]
    assert card.response_type == "ephemeral"
    assert "<https://romm.example.org/rom/2|Final Fantasy VII>" in card.all_text()
    [files] = _elements(card, "multi_static_select")
    assert files["action_id"] == "files:2" and files["max_selected_items"] == 3
    disc1 = [o for o in files["options"] if "(Disc 1)" in o["text"]["text"]]
    await fake.send_action(files, selected_options=disc1)
    chosen = (await fake.wait_answers(3))[2]
    assert chosen.response_type == "ephemeral"
    [link] = [b for b in _elements(chosen, "button") if "url" in b]
    assert link["text"]["text"] == "Download (689.1 MB)"
    assert slack.app is not None
    assert link["url"].startswith(slack.app.services.downloads.gateway_base + "/dl/")
    # the personal link never reached anything the channel sees
    assert not any(link["url"] in a.all_text() for a in fake.answers if a.visible_to_channel)


async def test_rate_limited_call_is_retried_after_retry_after(slack: Harness) -> None:
    await slack.start()
    fake = slack.fake
    fake.rate_limit["chat.postMessage"] = 1
    await fake.send_mention("stats")
    [answer] = await fake.wait_answers(1)
    assert answer.kind == "post" and answer.channel == "CGENERAL"
    assert fake.calls.count("chat.postMessage") == 2


async def test_a_dm_is_answered_in_the_dm(slack: Harness) -> None:
    await slack.start()
    await slack.fake.send_event(
        {
            "type": "message",
            "channel_type": "im",
            "user": "UMEMBER1",
            "channel": "DMEMBER1",
            "text": "stats",
        }
    )
    [answer] = await slack.fake.wait_answers(1)
    assert answer.channel == "DMEMBER1"


async def test_channels_not_listed_get_a_pointer(slack: Harness) -> None:
    await slack.start(slack_channel_ids=["CGENERAL"])
    await slack.fake.send_command("stats", channel="COTHER")
    [answer] = await slack.fake.wait_answers(1)
    assert answer.response_type == "ephemeral" and "<#CGENERAL>" in answer.all_text()


async def test_romm_calls_per_command_equal_the_consoles(slack: Harness) -> None:
    from romm_comm.core.commands import Caller
    from romm_comm.core.text_input import Pending, TextDialog
    from romm_comm.features.context import Context

    await slack.start()
    assert slack.app is not None
    app, sim, fake = slack.app, slack.sim, slack.fake
    console = Context(Caller("console", "console", "console"), app.services)
    dialog = TextDialog(app.registry)
    for count, line in enumerate(("search psx final fantasy", "platforms", "firmware psx"), 1):
        await dialog.answer(console, line, Pending())  # what is loaded once per run is loaded
        app.services.client.invalidate()
        sim.reset_calls()
        await fake.send_command(line)
        await fake.wait_answers(count)
        through_slack, slack_calls = len(sim.calls), list(sim.calls)
        app.services.client.invalidate()
        sim.reset_calls()
        await dialog.answer(console, line, Pending())
        assert through_slack == len(sim.calls), (line, slack_calls, list(sim.calls))


async def test_a_private_answer_to_a_mention_is_ephemeral(slack: Harness) -> None:
    await slack.start()
    fake = slack.fake
    await fake.send_mention("search psx final fantasy")
    [answer] = await fake.wait_answers(1)
    assert answer.kind == "ephemeral" and answer.user == "UMEMBER1"
    assert "Final Fantasy VII" in answer.all_text()
    assert not any(a.visible_to_channel for a in fake.answers)


async def test_a_mention_where_the_app_may_not_post_is_logged_not_crashed(
    slack: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    await slack.start()
    fake = slack.fake
    env = await fake.send_mention("stats", channel="COTHER")
    await eventually(lambda: "not delivered (not_in_channel)" in caplog.text)
    assert env.acks and fake.answers == []


async def test_a_request_made_on_slack_is_answered_on_slack(slack: Harness) -> None:
    await slack.start()
    fake = slack.fake
    await fake.send_command('request psx game:"Chrono Cross Remix" details:"PAL please"')
    [draft] = await fake.wait_answers(1)
    assert draft.response_type == "ephemeral"
    [send] = [b for b in _elements(draft, "button") if b["text"]["text"] == "Send request"]
    await fake.send_action(send)
    await fake.wait_answers(2)
    assert slack.app is not None and slack.app.services.requests is not None
    [request] = await slack.app.services.requests.listing(statuses=["pending"], limit=5)
    assert request.requester.key == "slack:UMEMBER1"
    count = len(fake.answers)
    await fake.send_command(
        f'request_admin action:reject request:{request.id} text:"No PAL version"', user=ADMIN
    )
    answers = await fake.wait_for(
        lambda: [a for a in fake.answers[count:] if a.channel == "DMEMBER1"]
    )
    assert "No PAL version" in answers[0].all_text()
