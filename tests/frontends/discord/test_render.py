"""Rendering stays inside Discord's message limits whatever the card holds."""

from __future__ import annotations

from romm_comm.core.cards import Attachment, Button, Card, Choice, Field, Link, Picker, Reply
from romm_comm.frontends.discord.render import render


def oversized() -> Reply:
    long = "word " * 2000
    return Reply(
        text=long,
        cards=tuple(
            Card(
                title=long,
                text=long,
                fields=tuple(Field(long, long) for _ in range(30)),
                footer=long,
                url="https://romm.example.org/rom/1",
            )
            for _ in range(12)
        ),
        picker=Picker(
            "files:1", long, tuple(Choice(long, str(i), long) for i in range(30)), max_values=30
        ),
        buttons=tuple(Button(long, f"b:{i}") for i in range(7)),
        links=(
            Link("not a web link", "ftp://x"),
            *(Link(long, f"https://romm.example.org/{i}") for i in range(30)),
        ),
        attachments=(Attachment("qr-1.png", b"png"),),
    )


async def test_an_oversized_reply_is_clipped_to_discords_limits() -> None:
    out = render(oversized())
    assert out.content is not None and len(out.content) <= 2000
    assert 1 <= len(out.embeds) <= 10
    assert sum(len(e) for e in out.embeds) <= 6000
    for embed in out.embeds:
        assert len(embed.title or "") <= 256 and len(embed.description or "") <= 4096
        assert len(embed.fields) <= 25
        assert all(len(f.name or "") <= 256 and len(f.value or "") <= 1024 for f in embed.fields)
    assert out.view is not None
    rows = out.view.to_components()
    assert len(rows) <= 5
    (select,) = rows[0]["components"]
    assert select["type"] == 3 and select["custom_id"] == "files:1"
    assert len(select["options"]) == 25 and select["max_values"] == 25
    assert all(len(o["label"]) <= 100 and len(o["description"]) <= 100 for o in select["options"])
    for row in rows[1:]:
        assert 1 <= len(row["components"]) <= 5
        assert all(len(b["label"]) <= 80 for b in row["components"])
    urls = [b.get("url", "") for row in rows for b in row["components"]]
    assert "ftp://x" not in urls
    assert [f.filename for f in out.files] == ["qr-1.png"]


async def test_the_view_is_rendered_but_not_kept_in_memory() -> None:
    """Stopped: discord.py does not store it; interactions.py answers every custom id."""
    out = render(Reply(buttons=(Button("Next ▶", "platforms:2"),), private=True))
    assert out.view is not None and out.view.is_finished()
    assert out.ephemeral and out.content == "Done."
    assert out.view.to_components()[0]["components"][0]["custom_id"] == "platforms:2"


async def test_a_cards_moment_is_a_discord_timestamp() -> None:
    from datetime import UTC, datetime

    moment = datetime(2026, 12, 3, 11, 56, 39, tzinfo=UTC)
    out = render(Reply(cards=(Card("Library statistics", as_of=moment),)))
    assert out.embeds[0].description == f"As of <t:{int(moment.timestamp())}:R>"
    assert "2026-12-03T" not in str(out.embeds[0].to_dict())
