"""Well-formed URLs from what RomM returns.

RomM appends `?ts={updated_at}` to cover paths without encoding it (a space, and on some
versions `+00:00`), and file names hold anything a file system allows. Chat platforms refuse
such URLs (Discord answers 400 "Not a well formed URL"), so every URL the bot hands out goes
through `well_formed`: characters a URL may not hold are percent-encoded, what is already
encoded stays as it is, nothing is encoded twice.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit, urlunsplit

# RFC 3986: unreserved and reserved characters (plus `%`, handled below) stay as they are.
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_QUERY_SAFE = _PATH_SAFE + "?"
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _encode(part: str, safe: str) -> str:
    return quote(_LONE_PERCENT.sub("%25", part), safe=safe)


def well_formed(url: str) -> str:
    """`url` with every character a URL may not hold percent-encoded (idempotent)."""
    parts = urlsplit(url.strip())
    return urlunsplit(
        (
            parts.scheme,
            parts.netloc,
            _encode(parts.path, _PATH_SAFE),
            _encode(parts.query, _QUERY_SAFE),
            _encode(parts.fragment, _QUERY_SAFE),
        )
    )


def join(base: str, path: str) -> str:
    """A RomM path (with its query) below `base`, or `path` itself when it is absolute."""
    if path.startswith(("http://", "https://")):
        return well_formed(path)
    return well_formed(base.rstrip("/") + "/" + path.lstrip("/"))
