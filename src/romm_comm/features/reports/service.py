"""Problem reports: create (an open report on the same game is offered as "me too"
instead), subscribe, acknowledge, resolve with a note, reject with a reason; each change and
its history entry in one transaction. The reporter and everyone who has it too are told
through a `ReportAnnouncer` (the chat layer); an undelivered message is recorded and
reported to the admins, and the report keeps its state."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Protocol

from ...store.db import Store
from ..requests.models import BOT, Person
from . import store as repo
from .models import Report, ReportDraft, ReportEvent, ReportOutcome, Status

log = logging.getLogger(__name__)

DRAFT_DAYS = 7


class ReportAnnouncer(Protocol):
    async def new_report(self, report: Report) -> None:
        """Tell the admins (with buttons to act)."""
        ...

    async def tell(self, person: Person, report: Report) -> bool:
        """Message one person that the report changed; False if it was not delivered."""
        ...

    async def undelivered(self, report: Report, people: Sequence[Person]) -> None: ...


class ReportService:
    def __init__(self, store: Store, announcer: ReportAnnouncer | None = None) -> None:
        self.store = store
        self.announcer = announcer

    # --- reading ------------------------------------------------------------------------
    async def get(self, report_id: int) -> Report | None:
        return await repo.get_report(self.store.conn, report_id)

    async def thread(self, report_id: int) -> tuple[list[ReportEvent], list[Person]]:
        """A report's history, and who has it too."""
        history = await repo.events(self.store.conn, report_id)
        return history, repo.me_too(history)

    async def listing(
        self,
        *,
        statuses: Sequence[str] = (),
        user_keys: Sequence[str] | None = None,
        limit: int = 25,
        offset: int = 0,
    ) -> tuple[list[Report], int]:
        return await repo.list_reports(
            self.store.conn, statuses=statuses, user_keys=user_keys, limit=limit, offset=offset
        )

    async def keys_named(self, name: str) -> list[str]:
        return await repo.keys_named(self.store.conn, name)

    async def counts_by_status(self) -> dict[str, int]:
        return await repo.counts_by_status(self.store.conn)

    async def involved(self, report: Report, user_keys: Sequence[str]) -> bool:
        if report.reporter.key in user_keys:
            return True
        subs = await repo.subscribers(self.store.conn, report.id)
        return any(p.key in user_keys for p in subs)

    # --- drafts -------------------------------------------------------------------------
    async def new_draft(self, person: Person, problem: str, details: str) -> ReportDraft:
        cutoff = (datetime.now(UTC) - timedelta(days=DRAFT_DAYS)).isoformat(timespec="seconds")
        async with self.store.transaction() as conn:
            await repo.prune_drafts(conn, cutoff)
            draft_id = await repo.insert_draft(conn, person, problem, details)
        return ReportDraft(draft_id, person, problem, details)

    async def take_draft(self, draft_id: int, person: Person) -> ReportDraft | None:
        """The draft, used up if it is this person's (check `person` on what comes back)."""
        async with self.store.transaction() as conn:
            return await repo.take_draft(conn, draft_id, person.key)

    # --- changes ------------------------------------------------------------------------
    async def create(
        self,
        person: Person,
        *,
        rom_id: int,
        game: str,
        platform_name: str,
        problem: str,
        details: str = "",
    ) -> ReportOutcome:
        """A new report; when the game already has an open one, that one instead (the
        person is offered "me too"). Decided in one transaction: two at once make one."""
        async with self.store.transaction() as conn:
            existing = await repo.open_report_on(conn, rom_id)
            if existing is not None:
                if existing.reporter.key == person.key:
                    return ReportOutcome("already_yours", existing)
                subs = await repo.subscribers(conn, existing.id)
                if any(p.key == person.key for p in subs):
                    return ReportOutcome("already_subscribed", existing)
                return ReportOutcome("duplicate", existing)
            report = await repo.insert_report(
                conn,
                person,
                rom_id=rom_id,
                game=game,
                platform_name=platform_name,
                problem=problem,
                details=details,
            )
        log.info("report #%d created by %s", report.id, person.key)
        if self.announcer is not None:
            await self.announcer.new_report(report)
        return ReportOutcome("created", report)

    async def subscribe(self, report_id: int, person: Person, details: str = "") -> ReportOutcome:
        """ "Me too": told of what happens to the report as the reporter is."""
        async with self.store.transaction() as conn:
            report = await repo.get_report(conn, report_id)
            if report is None:
                return ReportOutcome("not_found")
            if not report.is_open:
                return ReportOutcome("closed", report)
            if report.reporter.key == person.key:
                return ReportOutcome("already_yours", report)
            if any(p.key == person.key for p in await repo.subscribers(conn, report_id)):
                return ReportOutcome("already_subscribed", report)
            await repo.add_event(conn, report_id, person, "me_too", details)
        return ReportOutcome("subscribed", report)

    async def acknowledge(self, report_id: int, actor: Person) -> ReportOutcome:
        return await self._change(report_id, actor, "acknowledged", "")

    async def resolve(self, report_id: int, actor: Person, note: str) -> ReportOutcome:
        return await self._change(report_id, actor, "resolved", note)

    async def reject(self, report_id: int, actor: Person, reason: str) -> ReportOutcome:
        return await self._change(report_id, actor, "rejected", reason)

    async def _change(
        self, report_id: int, actor: Person, status: Status, text: str
    ) -> ReportOutcome:
        async with self.store.transaction() as conn:
            report = await repo.get_report(conn, report_id)
            if report is None:
                return ReportOutcome("not_found")
            if not report.is_open or (status == "acknowledged" and report.status != "open"):
                return ReportOutcome("closed", report)
            await repo.set_status(conn, report_id, status, text or None)
            await repo.add_event(conn, report_id, actor, status, text)
            subs = await repo.subscribers(conn, report_id)
            changed = await repo.get_report(conn, report_id)
        assert changed is not None
        log.info("report #%d %s by %s", report_id, status, actor.key or "the bot")
        await self._deliver(changed, [changed.reporter, *subs])
        return ReportOutcome("done", changed, others=subs)

    async def _deliver(self, report: Report, people: Sequence[Person]) -> None:
        """Message everyone concerned; record who got it and who did not; tell the admins."""
        if self.announcer is None:
            return
        failed: list[Person] = []
        for person in {p.key: p for p in people}.values():
            try:
                delivered = await self.announcer.tell(person, report)
            except Exception:  # one failed message must not stop the others or the record
                log.exception("report #%d: message to %s failed", report.id, person.key)
                delivered = False
            async with self.store.transaction() as conn:
                kind = "dm_sent" if delivered else "dm_failed"
                await repo.add_event(conn, report.id, BOT, kind, f"{person.name} ({person.key})")
            if not delivered:
                failed.append(person)
        if failed:
            await self.announcer.undelivered(report, failed)
