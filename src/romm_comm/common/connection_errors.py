"""Why a connection failed, in words ("connection refused"), not an exception's class name."""

from __future__ import annotations

import aiohttp


def why_unreachable(exc: BaseException) -> str:
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        return "its TLS certificate was not accepted"
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return "the host name was not found"
    if isinstance(exc, aiohttp.ClientConnectorError):
        cause = exc.os_error
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused (nothing listens on that port)"
        if isinstance(cause, TimeoutError):
            return "the connection timed out"
        reason = cause.strerror if isinstance(cause, OSError) and cause.strerror else ""
        return f"could not connect ({reason.lower()})" if reason else "could not connect"
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return "the server closed the connection"
    return "the connection failed"
