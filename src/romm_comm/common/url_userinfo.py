"""User names and passwords written into a URL (`http://admin:pw@host`): refused in settings,
and masked wherever a URL could still be printed or logged."""

from __future__ import annotations

import re

# scheme://userinfo@ — userinfo is anything up to the first @ before the host's / ? or #.
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#@\s]*@")

REFUSED = (
    "must not hold a user name or password (they would be shown and logged with the URL): "
    "put them in ROMM_USERNAME and ROMM_PASSWORD instead"
)


def has_userinfo(url: str) -> bool:
    return _USERINFO.search(url) is not None


def mask_userinfo(text: str) -> str:
    """`text` with the user:password part of every URL in it replaced by `***@`."""
    return _USERINFO.sub(r"\1***@", text)
