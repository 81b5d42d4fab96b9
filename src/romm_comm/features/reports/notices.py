"""How the report service reaches people: an admin-log notice with buttons, and DMs."""

from __future__ import annotations

from collections.abc import Sequence

from ...core.notify import Notifications, UserRef
from ..requests.models import Person
from .cards import new_report_notice, status_message, undelivered_notice
from .models import Report


class ChatReportAnnouncer:
    def __init__(self, notifications: Notifications) -> None:
        self.notifications = notifications

    async def new_report(self, report: Report) -> None:
        await self.notifications.admin_log(new_report_notice(report))

    async def tell(self, person: Person, report: Report) -> bool:
        try:
            user = UserRef.parse(person.key)
        except ValueError:
            return False
        return await self.notifications.direct(user, status_message(report, person))

    async def undelivered(self, report: Report, people: Sequence[Person]) -> None:
        await self.notifications.admin_log(undelivered_notice(report, people))
