"""The Markdown subset cards use (**bold**, `code`, [label](url)) as Slack mrkdwn.

Slack reads `&`, `<` and `>` as control characters, so they are escaped first; then
`**bold**` becomes `*bold*` and `[label](url)` becomes `<url|label>`; `code` stays as it is.
"""

from __future__ import annotations

import re

_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


_CHANNEL = re.compile(r"&lt;(#C[A-Z0-9]+)&gt;")


def escape(text: str) -> str:
    """Slack's control characters escaped; a channel reference `<#C…>` stays a link."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _CHANNEL.sub(r"<\1>", text)


def mrkdwn(text: str) -> str:
    text = escape(text)
    text = _LINK.sub(lambda m: f"<{m.group(2)}|{m.group(1).replace('|', '¦')}>", text)
    return _BOLD.sub(lambda m: f"*{m.group(1)}*", text)


def link(url: str, label: str) -> str:
    return f"<{escape(url)}|{escape(label).replace('|', '¦')}>"
