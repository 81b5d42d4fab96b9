"""Sending replies: the notice, then each image uploaded to the media repository as
`m.image`; private replies go to the person's direct-message room. In an end-to-end
encrypted room the message is encrypted (nio) and the image is uploaded encrypted, its key
in the message (`file`), as the specification has it."""

from __future__ import annotations

import io
import logging
from typing import Any

from nio import AsyncClient, RoomSendResponse, UploadResponse
from PIL import Image as PilImage

from ...core.cards import Reply
from ...core.commands import Registry
from ...features.services import Services
from .e2e import prepare_room
from .images import fetch_image, mime_of
from .render import Image, Rendered, render
from .rooms import KnownRooms

log = logging.getLogger("romm_comm.matrix")


class Sender:
    def __init__(
        self,
        client: AsyncClient,
        services: Services,
        registry: Registry,
        prefix: str,
        known_rooms: KnownRooms,
    ) -> None:
        self.client = client
        self.known_rooms = known_rooms
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
        if self.client.olm is not None and not await self._can_encrypt(room_id):
            log.warning("matrix: could not post in %s: the room is not synced yet", room_id)
            return None
        response = await self.client.room_send(
            room_id, "m.room.message", content, ignore_unverified_devices=True
        )
        if isinstance(response, RoomSendResponse):
            return str(response.event_id)
        log.warning("matrix: could not post in %s: %s", room_id, response)
        return None

    async def _can_encrypt(self, room_id: str) -> bool:
        """With encryption on, nio sends only to rooms it knows (a direct room just made
        is known after the next sync); in an encrypted room, new devices are fetched and
        trusted first (see e2e)."""
        if not await self.known_rooms.wait(room_id):
            return False
        if self.client.rooms[room_id].encrypted:
            await prepare_room(self.client, room_id)
        return True

    def encrypted(self, room_id: str) -> bool:
        room = self.client.rooms.get(room_id)
        return self.client.olm is not None and room is not None and room.encrypted

    async def image(self, room_id: str, image: Image) -> str | None:
        """Send an image as `m.image`. A cover (an address) is fetched and uploaded once:
        its media id is kept in the store and reused for every later card (an encrypted
        upload for encrypted rooms, a plain one for the others)."""
        store = self.services.store
        encrypt = self.encrypted(room_id)
        kind = "mxc-e2e" if encrypt else "mxc"
        key = f"matrix:{kind}:{image.url}" if image.url is not None else None
        content = await store.get_json(key) if key is not None else None
        if content is None:
            content = await self._upload(image, encrypt)
            if content is None:
                return None
            if key is not None:
                await store.set_json(key, content)
        return await self.content(room_id, content)

    async def _upload(self, image: Image, encrypt: bool) -> dict[str, Any] | None:
        data = image.data
        if data is None and image.url is not None:
            data = await fetch_image(image.url, self.services)
        if not data:
            return None
        mime = mime_of(data)
        uploaded, keys = await self.client.upload(
            io.BytesIO(data),
            content_type=mime,
            filename=image.name,
            filesize=len(data),
            encrypt=encrypt,
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
        content: dict[str, Any] = {"msgtype": "m.image", "body": image.name, "info": info}
        if encrypt:
            content["file"] = {**keys, "url": uploaded.content_uri}
        else:
            content["url"] = uploaded.content_uri
        return content
