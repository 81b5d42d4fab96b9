"""Typed errors of the RomM client. Each carries one sentence a user can act on."""

from __future__ import annotations

import email.utils
import math

from ..common.errors import UserFacingError


class RommError(UserFacingError):
    """Base class. `user_message` is safe to show in chat: no URLs with secrets, no bodies."""

    user_message = "Something went wrong while talking to RomM."


class RommUnreachable(RommError):
    user_message = "RomM is not answering; try again in a minute."


class RommTimeout(RommUnreachable):
    user_message = "RomM took too long to answer; try again in a minute."


class RommAuthError(RommError):
    user_message = "RomM refused the bot's credentials; an admin should run `romm-comm check`."


class RommForbidden(RommError):
    user_message = "The bot's RomM account is not allowed to do that (missing permission)."


class RommNotFound(RommError):
    user_message = "RomM does not have that (it may have been removed)."


class RommServerError(RommError):
    user_message = "RomM had an internal error; try again later."


class RommBusy(RommError):
    """429 Too Many Requests: RomM (or the proxy in front of it) asks to wait."""

    DEFAULT_WAIT = 30

    def __init__(self, detail: str = "", *, retry_after: int | None = None) -> None:
        super().__init__(detail, status=429)
        self.retry_after = max(1, retry_after) if retry_after is not None else self.DEFAULT_WAIT
        self.user_message = f"RomM is busy, try again in {self.retry_after} s."


def retry_after_seconds(value: str | None, now: float) -> int | None:
    """Retry-After as whole seconds from `now` (a number of seconds, or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return min(int(value), 86_400)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0, min(86_400, math.ceil(when.timestamp() - now)))


class RommBadResponse(RommError):
    user_message = "RomM sent an answer the bot could not read; try again later."


class RommVersionUnsupported(RommError):
    user_message = "This RomM version is too old for RomM-ComM (3.0 or newer is needed)."
