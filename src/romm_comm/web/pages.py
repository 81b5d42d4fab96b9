"""Small plain pages for people who open a link that cannot be served."""

from __future__ import annotations

from html import escape

from aiohttp import web

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title></head>
<body style="font-family: sans-serif; max-width: 36em; margin: 3em auto; padding: 0 1em">
<h1 style="font-size: 1.4em">{title}</h1>
<p>{text}</p>
<p style="color: #666; font-size: 0.9em">RomM-ComM download gateway</p>
</body></html>
"""


def page(status: int, title: str, text: str, headers: dict[str, str] | None = None) -> web.Response:
    body = _PAGE.format(title=escape(title), text=escape(text))
    response = web.Response(
        status=status, text=body, content_type="text/html", charset="utf-8", headers=headers
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def refused(text: str) -> web.Response:
    return page(403, "Download refused", text)


def not_found(text: str = "There is nothing here.") -> web.Response:
    return page(404, "Not found", text)


def too_many(retry_after: float) -> web.Response:
    seconds = max(1, int(retry_after + 0.999))
    return page(
        429,
        "Too many requests",
        f"Too many downloads from here at once. Try again in {seconds} seconds.",
        headers={"Retry-After": str(seconds)},
    )


def upstream_failed(text: str) -> web.Response:
    return page(502, "Download unavailable", text)


def busy(text: str, retry_after: int) -> web.Response:
    return page(503, "Busy", text, headers={"Retry-After": str(max(1, retry_after))})
