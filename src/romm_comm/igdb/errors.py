"""Typed errors of the IGDB client. Each carries one sentence a user can act on."""

from __future__ import annotations

from ..common.errors import UserFacingError


class IgdbError(UserFacingError):
    """Base class. `user_message` is safe to show in chat: no secrets, no response bodies."""

    user_message = "IGDB could not answer; try again later."


class IgdbNotConfigured(IgdbError):
    user_message = "IGDB is not set up on this bot (IGDB_CLIENT_ID / IGDB_CLIENT_SECRET)."


class IgdbAuthError(IgdbError):
    user_message = (
        "Twitch refused the bot's IGDB credentials; an admin should check IGDB_CLIENT_ID and "
        "IGDB_CLIENT_SECRET."
    )


class IgdbUnavailable(IgdbError):
    user_message = "IGDB is not answering; try again in a minute."


class IgdbRateLimited(IgdbUnavailable):
    user_message = "IGDB is busy (too many requests); try again in a few seconds."


class IgdbBadResponse(IgdbError):
    user_message = "IGDB sent an answer the bot could not read; try again later."
