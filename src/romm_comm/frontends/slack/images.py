"""Covers Slack cannot fetch itself: read through the app and uploaded to Slack.

When RomM is reachable only from the LAN (no ROMM_PUBLIC_URL, no PUBLIC_URL for the bot's
cover relay), a card's cover points at RomM's own address, which Slack's servers cannot open.
Such covers are read with the RomM client (`web_asset`, RomM's unauthenticated /assets/) and
uploaded with files.getUploadURLExternal + files.completeUploadExternal, without sharing them
in any channel; the image block then names the uploaded file (`slack_file`). Each cover is
uploaded once per run.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from ...core.cards import Reply
from ...romm.client import RommClient
from ...romm.errors import RommError
from .errors import slack_error

log = logging.getLogger(__name__)

COVER_MAX_BYTES = 4 * 1024 * 1024
KEPT = 500  # covers remembered as uploaded


class CoverUploads:
    def __init__(self, slack: AsyncWebClient, romm: RommClient, private_base: str | None) -> None:
        self.slack = slack
        self.romm = romm
        self.private_base = private_base.rstrip("/") if private_base else None
        self.uploaded: OrderedDict[str, str] = OrderedDict()  # cover URL → Slack file id

    def _path(self, url: str) -> str | None:
        base = self.private_base
        if base is None or not url.startswith(base + "/assets/"):
            return None
        return url[len(base) :]

    async def prepare(self, reply: Reply) -> dict[str, str]:
        """Slack file ids for the reply's covers that Slack could not fetch (URL → id)."""
        found: dict[str, str] = {}
        for card in reply.cards:
            for url in (card.thumbnail_url, card.image_url):
                if url is None or (path := self._path(url)) is None:
                    continue
                file_id = self.uploaded.get(url) or await self._upload(url, path)
                if file_id:
                    found[url] = file_id
        return found

    async def _upload(self, url: str, path: str) -> str | None:
        try:
            data = await self.romm.web_asset(path, max_bytes=COVER_MAX_BYTES)
        except (RommError, ValueError) as exc:
            log.info("cover %s not read from RomM (%s)", path, type(exc).__name__)
            return None
        name = PurePosixPath(urlsplit(url).path).name or "cover.png"
        try:
            done = await self.slack.files_upload_v2(file=data, filename=name, title=name)
        except SlackApiError as exc:
            log.info("cover %s not uploaded to Slack (%s)", name, slack_error(exc))
            return None
        files = done.get("files") or [done.get("file") or {}]
        file_id = str(files[0].get("id") or "")
        if not file_id:
            return None
        self.uploaded[url] = file_id
        while len(self.uploaded) > KEPT:
            self.uploaded.popitem(last=False)
        return file_id
