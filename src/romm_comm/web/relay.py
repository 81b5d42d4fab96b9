"""Moving a download's body from RomM's socket to the person's, with bounded memory.

Two ways, same outcome: `copy_body` reads chunks through aiohttp and writes them on (works
everywhere); `splice_body` lets the kernel move the bytes socket → pipe → socket (Linux
`splice`, plain TCP on both sides, a known length), so the bot's event loop only schedules
syscalls instead of copying every byte through Python — about twice the throughput and far
less CPU for the chat front ends sharing the loop.

Each counts the bytes sent in `progress` as they go (so a download cut short, even by
cancellation when the person hangs up, is logged with what it sent) and returns the outcome:
"completed" (every byte of the answer sent), "aborted"
(the person went away), "stalled" (the person stopped reading: nothing could be written for
`write_timeout` seconds) or "failed" (RomM stopped sending). Neither raises for those.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import aiohttp
from aiohttp import web

log = logging.getLogger(__name__)

Outcome = Literal["completed", "aborted", "stalled", "failed"]

PIPE_BYTES = 1 << 20
READ_TIMEOUT = 120.0  # seconds RomM may stay silent mid-file (like the client's sock_read)
_F_SETPIPE_SZ = 1031  # Linux fcntl: resize a pipe
_FLAGS = getattr(os, "SPLICE_F_MOVE", 0) | getattr(os, "SPLICE_F_NONBLOCK", 0)


@dataclass
class Progress:
    sent: int = 0


class _RommStopped(Exception):
    pass


class _PersonStalled(Exception):
    pass


async def copy_body(
    upstream: aiohttp.ClientResponse,
    response: web.StreamResponse,
    progress: Progress,
    *,
    write_timeout: float,
) -> Outcome:
    while True:
        try:
            chunk = await upstream.content.readany()
        except (aiohttp.ClientError, TimeoutError):
            return "failed"
        if not chunk:
            return "completed"
        try:
            async with asyncio.timeout(write_timeout):
                await response.write(chunk)
        except ConnectionError:
            return "aborted"
        except TimeoutError:
            return "stalled"
        progress.sent += len(chunk)


def can_splice(upstream: aiohttp.ClientResponse, request: web.Request) -> bool:
    """Plain sockets on both sides and a Content-Length: the kernel can move the body."""
    if not hasattr(os, "splice") or upstream.content_length is None:
        return False
    connection = upstream.connection
    transports = (connection.transport if connection else None, request.transport)
    return all(
        t is not None
        and not t.is_closing()
        and t.get_extra_info("sslcontext") is None
        and t.get_extra_info("socket") is not None
        for t in transports
    )


async def splice_body(
    upstream: aiohttp.ClientResponse,
    request: web.Request,
    response: web.StreamResponse,
    progress: Progress,
    *,
    write_timeout: float,
) -> Outcome:
    """Send the rest of RomM's answer (`can_splice` must be true) with zero copies."""
    assert upstream.connection is not None and upstream.connection.transport is not None
    assert request.transport is not None and upstream.content_length is not None
    romm, person = upstream.connection.transport, request.transport
    loop = asyncio.get_running_loop()
    try:
        # What aiohttp already read from RomM goes first; then RomM's bytes stay in the
        # socket (no await between the last read and the pause, so none slip into aiohttp).
        while True:
            buffered = upstream.content.read_nowait(-1)
            romm.pause_reading()
            if not buffered:
                break
            async with asyncio.timeout(write_timeout):
                await response.write(buffered)
            progress.sent += len(buffered)
        deadline = loop.time() + write_timeout
        while person.get_write_buffer_size():  # our bytes must not overtake aiohttp's
            if person.is_closing():
                return "aborted"
            if loop.time() > deadline:
                return "stalled"
            await asyncio.sleep(0.001)
    except ConnectionError:
        return "aborted"
    except TimeoutError:
        return "stalled"
    except aiohttp.ClientError:
        return "failed"
    remaining = upstream.content_length - progress.sent
    if remaining <= 0:
        return "completed"
    # Our own descriptors: asyncio allows no second watcher on a transport's descriptor.
    src = os.dup(romm.get_extra_info("socket").fileno())
    dst = os.dup(person.get_extra_info("socket").fileno())
    pipe_out, pipe_in = os.pipe()
    with contextlib.suppress(OSError):
        fcntl.fcntl(pipe_in, _F_SETPIPE_SZ, PIPE_BYTES)
    try:
        while remaining > 0:
            try:
                moved = await _splice(
                    loop, src, pipe_in, min(remaining, PIPE_BYTES), False, write_timeout
                )
            except OSError as exc:
                raise _RommStopped from exc
            if moved == 0:
                raise _RommStopped
            while moved:
                written = await _splice(loop, pipe_out, dst, moved, True, write_timeout)
                moved -= written
                remaining -= written
                progress.sent += written
    except (_RommStopped, TimeoutError):
        return "failed"
    except _PersonStalled:
        return "stalled"
    except OSError:
        return "aborted"  # EPIPE, ECONNRESET: the person went away
    finally:
        for fd in (src, dst, pipe_out, pipe_in):
            os.close(fd)
    return "completed"


async def _splice(
    loop: asyncio.AbstractEventLoop,
    src: int,
    dst: int,
    count: int,
    to_person: bool,
    write_timeout: float,
) -> int:
    watched = dst if to_person else src
    while True:
        try:
            return os.splice(src, dst, count, flags=_FLAGS)
        except BlockingIOError:
            await _ready(loop, watched, to_person, write_timeout)


async def _ready(
    loop: asyncio.AbstractEventLoop, fd: int, writable: bool, write_timeout: float
) -> None:
    done: asyncio.Future[None] = loop.create_future()

    def wake() -> None:
        if not done.done():
            done.set_result(None)

    add: Callable[..., None] = loop.add_writer if writable else loop.add_reader
    remove: Callable[[int], bool] = loop.remove_writer if writable else loop.remove_reader
    add(fd, wake)
    try:
        if writable:
            try:
                await asyncio.wait_for(done, write_timeout)
            except TimeoutError:
                raise _PersonStalled from None
        else:
            await asyncio.wait_for(done, READ_TIMEOUT)
    finally:
        remove(fd)
