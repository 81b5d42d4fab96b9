"""Typed errors of the Prowlarr client: one sentence a person can act on in `user_message`,
the detail for the log in `detail`. Neither ever holds the API key (nor a URL carrying it)."""

from __future__ import annotations

from ..common.errors import UserFacingError


class ProwlarrError(UserFacingError):
    user_message = "Prowlarr could not answer; try again later."


class ProwlarrNotConfigured(ProwlarrError):
    user_message = "Prowlarr is not set up on this bot (PROWLARR_URL / PROWLARR_API_KEY)."


class ProwlarrUnavailable(ProwlarrError):
    user_message = "Prowlarr is not answering; check that it runs and PROWLARR_URL points at it."

    def __init__(self, detail: str = "", *, status: int | None = None, why: str = "") -> None:
        super().__init__(detail, status=status)
        if why:
            self.user_message = (
                f"Prowlarr is not reachable ({why}); check that it runs and that "
                "PROWLARR_URL points at it."
            )


class ProwlarrAuthError(ProwlarrError):
    user_message = (
        "Prowlarr refused the bot's API key (401); an admin should check PROWLARR_API_KEY "
        "(Prowlarr: Settings → General → API Key)."
    )


class ProwlarrNoIndexers(ProwlarrError):
    user_message = (
        "Prowlarr has no enabled indexers, so there is nothing to search; add or enable one "
        "in Prowlarr (Indexers)."
    )


class ProwlarrGrabRejected(ProwlarrError):
    user_message = "Prowlarr did not send that release to its download client."

    def __init__(self, detail: str = "", *, status: int | None = None, reason: str = "") -> None:
        super().__init__(detail, status=status)
        if status == 404:
            self.user_message = (
                "Prowlarr no longer has that search result (it keeps them for 30 minutes); "
                "search indexers again and pick it anew."
            )
        elif reason:
            self.user_message = (
                f"Prowlarr did not send that release to its download client: {reason}"
            )


class ProwlarrBadResponse(ProwlarrError):
    user_message = (
        "Prowlarr sent an answer the bot could not read; is PROWLARR_URL really Prowlarr?"
    )
