"""Cards as HTML: the Markdown subset becomes tags, everything people typed is escaped."""

from __future__ import annotations

from romm_comm.core.cards import Card, Field
from romm_comm.core.html_format import card_html, markdown_html


def test_markdown_subset_becomes_html_and_the_rest_is_escaped() -> None:
    text = '**Zelda** <script>alert(1)</script> `a&b` [site](https://x.org/?a=1&b="2")'
    assert markdown_html(text) == (
        "<b>Zelda</b> &lt;script&gt;alert(1)&lt;/script&gt; <code>a&amp;b</code> "
        '<a href="https://x.org/?a=1&amp;b=&quot;2&quot;">site</a>'
    )


def test_only_web_addresses_become_links() -> None:
    shown = markdown_html("[x](javascript:alert(1)) [y](ftp://host/file)")
    assert "<a" not in shown
    assert shown.startswith("x (javascript:alert(1)")
    assert "y (ftp://host/file)" in shown


def test_a_card_has_its_title_fields_and_footer() -> None:
    card = Card(
        title="Mario <64>",
        url="https://romm.example.org/rom/1",
        text="line one\nline two",
        fields=(Field("Platform", "Nintendo 64"), Field("Files", "a.z64\nb.z64")),
        footer="RomM",
    )
    assert card_html(card, newline="<br>") == (
        '<b><a href="https://romm.example.org/rom/1">Mario &lt;64&gt;</a></b><br>'
        "line one<br>line two<br>"
        "<b>Platform:</b> Nintendo 64<br>"
        "<b>Files:</b><br>a.z64<br>b.z64<br>"
        "<i>RomM</i>"
    )
