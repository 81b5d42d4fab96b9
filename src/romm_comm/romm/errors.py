"""Typed errors of the RomM client. Each carries one sentence a user can act on."""

from __future__ import annotations

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


class RommBadResponse(RommError):
    user_message = "RomM sent an answer the bot could not read; try again later."


class RommVersionUnsupported(RommError):
    user_message = "This RomM version is too old for RomM-ComM (3.0 or newer is needed)."
