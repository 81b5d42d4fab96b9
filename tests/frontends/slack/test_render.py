"""Block Kit rendering: mrkdwn conversion and Slack's limits."""

from __future__ import annotations

from romm_comm.core.cards import Card, Choice, Field, Picker, Reply
from romm_comm.frontends.slack.mrkdwn import mrkdwn
from romm_comm.frontends.slack.render import render
from tests.fakes.slack.validation import block_problem


def test_markdown_becomes_mrkdwn_with_slacks_characters_escaped() -> None:
    assert mrkdwn("**Zelda** & `a<b>` [open](https://x.org/a?b=1)") == (
        "*Zelda* &amp; `a&lt;b&gt;` <https://x.org/a?b=1|open>"
    )


def test_big_replies_stay_within_slacks_limits() -> None:
    card = Card("t" * 500, "x" * 5000, fields=tuple(Field(f"f{i}", "v" * 3000) for i in range(30)))
    picker = Picker("rom", "p" * 300, tuple(Choice("c" * 200, str(i)) for i in range(150)))
    rendered = render(Reply(text="y" * 5000, cards=(card,) * 60, picker=picker))
    assert block_problem(rendered.blocks) is None
    assert len(rendered.blocks) == 50
