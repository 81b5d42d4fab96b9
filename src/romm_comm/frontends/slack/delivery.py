"""Sending rendered replies: channel posts, ephemeral replies, DMs and file uploads.

Private replies (download links, QR codes, accounts) never reach a channel: they go as an
ephemeral reply (`response_url` or `chat.postEphemeral`) or into the app's DM with the
person; their files (QR codes) go to that DM, since Slack has no ephemeral files.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from ...core.cards import Attachment
from .render import Rendered

log = logging.getLogger(__name__)

Respond = Callable[..., Awaitable[Any]]


async def dm_channel(client: AsyncWebClient, user_id: str) -> str:
    opened = await client.conversations_open(users=user_id)
    return str(opened["channel"]["id"])


async def upload(client: AsyncWebClient, channel: str, files: list[Attachment]) -> None:
    """Through files.getUploadURLExternal + files.completeUploadExternal (files_upload_v2)."""
    if not files:
        return
    await client.files_upload_v2(
        channel=channel,
        file_uploads=[
            {"file": f.data, "filename": f.filename, "title": f.description or f.filename}
            for f in files
        ],
    )


async def post(client: AsyncWebClient, channel: str, rendered: Rendered) -> str:
    """A message in `channel` (a DM or a channel); its ts."""
    sent = await client.chat_postMessage(
        channel=channel, text=rendered.text, blocks=rendered.blocks, unfurl_links=False
    )
    await upload(client, channel, rendered.files)
    return str(sent["ts"])


async def to_person(client: AsyncWebClient, channel: str, user_id: str, rendered: Rendered) -> None:
    """The answer to a message in `channel`: private ones only `user_id` sees."""
    if not rendered.private or channel.startswith("D"):
        await post(client, channel, rendered)
        return
    await client.chat_postEphemeral(
        channel=channel, user=user_id, text=rendered.text, blocks=rendered.blocks
    )
    if rendered.files:
        await upload(client, await dm_channel(client, user_id), rendered.files)


async def by_response_url(
    client: AsyncWebClient, respond: Respond, channel: str, user_id: str, rendered: Rendered
) -> None:
    """The answer to a slash command or a button: through its `response_url`."""
    response_type = "ephemeral" if rendered.private else "in_channel"
    await respond(
        text=rendered.text,
        blocks=rendered.blocks,
        response_type=response_type,
        replace_original=False,
    )
    if not rendered.files:
        return
    target = await dm_channel(client, user_id) if rendered.private else channel
    await upload(client, target, rendered.files)
