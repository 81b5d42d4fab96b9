"""The base of the clients' typed errors (RomM, IGDB): each carries one sentence a user can
act on, apart from the detail that goes to the log."""

from __future__ import annotations


class UserFacingError(Exception):
    """`user_message` is safe to show in chat: no secrets, no URLs with secrets, no bodies."""

    user_message = "Something went wrong; try again later."

    def __init__(self, detail: str = "", *, status: int | None = None) -> None:
        super().__init__(detail or self.user_message)
        self.detail = detail
        self.status = status
