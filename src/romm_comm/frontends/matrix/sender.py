"""Sending replies: the notice, then each image uploaded to the media repository as
`m.image`; private replies go to the person's direct-message room."""

from __future__ import annotations

import io
import logging
from typing import Any

from nio import AsyncClient, RoomSendResponse, UploadResponse
from PIL import Image as PilImage

from ...core.cards import Reply
from ...core.commands import Registry
from ...features.services import Services
from .images import fetch_image, mime_of
from .render import Image, Rendered, render

log = logging.getLogger("romm_comm.matrix")


class Sender:
    def __init__(
        self, client: AsyncClient, services: Services, registry: Registry, prefix: str
    ) -> None:
        self.client = client
        self.services = services
        self.registry = registry
        self.prefix = prefix

    def render(self, reply: Reply) -> Rendered:
        return render(reply, self.registry, self.prefix)

    async def send(self, room_id: str, reply: Reply, answering: str | None = None) -> str | None:
        """Post `reply` in `room_id` (as a Matrix reply to the event `answering`, when given);
        the notice's event id (None when refused)."""
        rendered = self.render(reply)
        content = rendered.content()
        if answering is not None:
            content["m.relates_to"] = {"m.in_reply_to": {"event_id": answering}}
        event_id = await self.content(room_id, content)
        for image in rendered.images:
            await self.image(room_id, image)
        return event_id

    async def content(self, room_id: str, content: dict[str, Any]) -> str | None:
        response = await self.client.room_send(
            room_id, "m.room.message", content, ignore_unverified_devices=True
        )
        if isinstance(response, RoomSendResponse):
            return str(response.event_id)
        log.warning("matrix: could not post in %s: %s", room_id, response)
        return None

    async def image(self, room_id: str, image: Image) -> str | None:
        """Send an image as `m.image`. A cover (an address) is fetched and uploaded once:
        its media id is kept in the store and reused for every later card."""
        store = self.services.store
        key = f"matrix:mxc:{image.url}" if image.url is not None else None
        content = await store.get_json(key) if key is not None else None
        if content is None:
            content = await self._upload(image)
            if content is None:
                return None
            if key is not None:
                await store.set_json(key, content)
        return await self.content(room_id, content)

    async def _upload(self, image: Image) -> dict[str, Any] | None:
        data = image.data
        if data is None and image.url is not None:
            data = await fetch_image(image.url, self.services)
        if not data:
            return None
        mime = mime_of(data)
        uploaded, _ = await self.client.upload(
            io.BytesIO(data), content_type=mime, filename=image.name, filesize=len(data)
        )
        if not isinstance(uploaded, UploadResponse):
            log.warning("matrix: could not upload %s: %s", image.name, uploaded)
            return None
        info: dict[str, Any] = {"mimetype": mime, "size": len(data)}
        try:
            with PilImage.open(io.BytesIO(data)) as picture:
                info["w"], info["h"] = picture.size
        except OSError:
            pass
        return {"msgtype": "m.image", "body": image.name, "url": uploaded.content_uri, "info": info}
