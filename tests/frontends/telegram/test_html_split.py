"""Long HTML is split into pieces Telegram accepts: within the limit, every tag balanced."""

from __future__ import annotations

import pytest

from romm_comm.frontends.telegram.html_split import clip_html, split_html
from tests.fakes.telegram.validation import Rejected, parsed_text


@pytest.mark.parametrize("limit", [64, 300, 1024, 4096])
def test_pieces_fit_and_parse(limit: int) -> None:
    html = "<b>Title &amp; more</b>\n" + "\n".join(
        f'<i>line {n} <a href="https://x.org/{n}">link &lt;{n}&gt;</a></i>' for n in range(400)
    )
    pieces = split_html(html, limit)
    assert len(pieces) > 1
    shown = ""
    for piece in pieces:
        assert len(piece) <= limit
        shown += parsed_text(piece, "HTML")  # raises Rejected when Telegram would refuse
    assert "line 399" in shown and "Title & more" in shown


def test_a_single_line_longer_than_the_limit_is_cut_inside_its_tags() -> None:
    pieces = split_html("<code>" + "x" * 5000 + "</code>", 4096)
    assert len(pieces[0]) == 4096 and len(pieces) == 2
    assert sum(p.count("x") for p in pieces) == 5000
    for piece in pieces:
        parsed_text(piece, "HTML")


def test_clip_ends_with_an_ellipsis_and_stays_valid() -> None:
    clipped = clip_html("<b>" + "word " * 400 + "</b>", 1024)
    assert len(clipped) <= 1024 and clipped.endswith("…")
    parsed_text(clipped, "HTML")


def test_the_fake_refuses_what_telegram_refuses() -> None:
    for bad in ("<div>x</div>", "<b>x", "a & b", "<b><i>x</b></i>"):
        with pytest.raises(Rejected):
            parsed_text(bad, "HTML")
