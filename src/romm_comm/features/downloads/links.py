"""Signed, expiring download links: what a link grants, bound to one chat user.

A token is `base64url(payload + mac)`. The payload says what may be downloaded (a ROM, some
of its files, or a firmware file), whether RomM answers it with a zip, when it expires, and
for which chat user it was made. The MAC (HMAC-SHA256, truncated to 128 bits) covers the
payload *and* the file name at the end of the link path, so changing any of them — another
game, another file set, another user, another name, a later expiry — makes the link invalid.
Only the standard library is used; comparison is constant-time.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
import struct
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ...store.problems import StoreProblem, warn_secret_replaced

Kind = Literal["rom", "firmware"]

VERSION = 1
MAC_BYTES = 16
MAX_TOKEN_CHARS = 1024
MAX_FILE_IDS = 500
MAX_USER_BYTES = 200
_KINDS: dict[int, Kind] = {1: "rom", 2: "firmware"}
_KIND_CODES = {kind: code for code, kind in _KINDS.items()}
_ZIP_FLAG = 0x80
_HEAD = struct.Struct(">BBI")  # version, kind (+ zip flag), expiry (unix seconds)
SECRET_FILE = "link-secret"  # noqa: S105 (a file name)


class LinkRefused(Exception):
    """The link cannot be honoured; `reason` is what the person is told."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class LinkInvalid(LinkRefused):
    def __init__(self) -> None:
        super().__init__(
            "This download link is not valid. Ask the bot for the game again to get a new one."
        )


class LinkExpired(LinkRefused):
    def __init__(self) -> None:
        super().__init__(
            "This download link has expired. Ask the bot for the game again to get a fresh one."
        )


@dataclass(frozen=True)
class Grant:
    """What one verified link allows."""

    kind: Kind
    target_id: int  # ROM id or firmware id
    file_ids: tuple[int, ...]  # a subset of the ROM's files; () = the whole ROM
    zipped: bool  # RomM answers with a zip of several files
    user: str  # the chat user the link was made for ("front_end:id")
    expires: int
    name: str  # the file name the person gets
    link_id: str  # a short, non-secret id of this link (for the download log)

    @property
    def upstream_name(self) -> str:
        """The name to put in RomM's path: RomM appends `.zip` itself to bundles."""
        if self.zipped and self.name.lower().endswith(".zip"):
            return self.name[:-4]
        return self.name


class LinkSigner:
    def __init__(
        self, secret: bytes, ttl_seconds: int, clock: Callable[[], float] = time.time
    ) -> None:
        if len(secret) < 16:
            raise ValueError("the link secret must be at least 16 bytes")
        # A key of its own for links, so the same secret can sign other things later.
        self._key = hmac.new(secret, b"romm-comm download links v1", hashlib.sha256).digest()
        self.ttl = ttl_seconds
        self._clock = clock

    def sign(
        self,
        kind: Kind,
        target_id: int,
        user: str,
        name: str,
        *,
        file_ids: Sequence[int] = (),
        zipped: bool = False,
    ) -> str:
        expires = int(self._clock()) + self.ttl
        code = _KIND_CODES[kind] | (_ZIP_FLAG if zipped else 0)
        ids = sorted(set(file_ids))
        user_bytes = user.encode("utf-8")
        if not user_bytes or len(user_bytes) > MAX_USER_BYTES or len(ids) > MAX_FILE_IDS:
            raise ValueError("link user or file set out of bounds")
        payload = bytearray(_HEAD.pack(VERSION, code, expires))
        payload += _varint(target_id) + _varint(len(ids))
        for file_id in ids:
            payload += _varint(file_id)
        payload += user_bytes
        raw = bytes(payload) + self._mac(bytes(payload), name)
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")

    def verify(self, token: str, name: str) -> Grant:
        """The grant of a link, or LinkInvalid / LinkExpired."""
        if not token or len(token) > MAX_TOKEN_CHARS:
            raise LinkInvalid()
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        except (binascii.Error, ValueError):
            raise LinkInvalid() from None
        # Only the form `sign` writes: the decoder skips stray characters (a NUL, `%00`
        # decoded), takes `+` for `-` and ignores padding, and each such variant would
        # otherwise be a download (and a log row) of its own.
        if base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii") != token:
            raise LinkInvalid()
        if len(raw) < _HEAD.size + 2 + MAC_BYTES:
            raise LinkInvalid()
        payload, mac = raw[:-MAC_BYTES], raw[-MAC_BYTES:]
        if not hmac.compare_digest(mac, self._mac(payload, name)):
            raise LinkInvalid()
        grant = _parse(payload, name, token)
        if grant.expires <= self._clock():
            raise LinkExpired()
        return grant

    def _mac(self, payload: bytes, name: str) -> bytes:
        message = payload + b"\x00" + name.encode("utf-8", "surrogatepass")
        return hmac.new(self._key, message, hashlib.sha256).digest()[:MAC_BYTES]


def _parse(payload: bytes, name: str, token: str) -> Grant:
    """Decode a payload whose MAC matched (so it was made by us; still parsed strictly)."""
    try:
        version, code, expires = _HEAD.unpack_from(payload)
        kind = _KINDS[code & ~_ZIP_FLAG]
        pos = _HEAD.size
        target, pos = _read_varint(payload, pos)
        count, pos = _read_varint(payload, pos)
        if version != VERSION or count > MAX_FILE_IDS:
            raise LinkInvalid()
        ids = []
        for _ in range(count):
            file_id, pos = _read_varint(payload, pos)
            ids.append(file_id)
        user = payload[pos:].decode("utf-8")
    except (KeyError, struct.error, UnicodeDecodeError, IndexError):
        raise LinkInvalid() from None
    if not user:
        raise LinkInvalid()
    link_id = hashlib.sha256(token.encode("ascii", "replace")).hexdigest()[:16]
    return Grant(kind, target, tuple(ids), bool(code & _ZIP_FLAG), user, expires, name, link_id)


def _varint(value: int) -> bytes:
    if value < 0:
        raise ValueError("ids are not negative")
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _read_varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]  # IndexError when truncated
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7
        if shift > 63:
            raise IndexError("varint too long")


def load_secret(configured: str | None, data_dir: Path) -> bytes:
    """LINK_SECRET when set; otherwise a random secret kept in the data directory (0600).

    Blocking file I/O: call it through asyncio.to_thread.
    """
    if configured:
        return configured.encode("utf-8")
    path = data_dir / SECRET_FILE
    try:
        text = path.read_text(encoding="ascii").strip()
        if len(text) >= 32:
            return bytes.fromhex(text)
        warn_secret_replaced(path, text)
    except FileNotFoundError:
        pass
    except ValueError:
        raise StoreProblem(
            f"{path} is damaged: delete it (all links made so far stop working)"
        ) from None
    data_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value + "\n")
    return bytes.fromhex(value)
