"""Game requests: create (with de-duplication and quotas), subscribe, cancel, fulfil, reject,
note; each change and its history entry in one transaction. People are told through a
`RequestAnnouncer` (the chat layer); a DM that cannot be delivered is recorded and reported
to the admins, and the request keeps its state."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from ...core.notify import MessageRef
from ...romm.client import RommClient
from ...romm.errors import RommError
from ...romm.models import Rom
from ...store.db import Store
from . import store as repo
from .matcher import title_key
from .models import (
    BOT,
    Draft,
    GameRequest,
    IgdbPick,
    Outcome,
    Person,
    RequestEvent,
    RequestQuery,
)

if TYPE_CHECKING:
    from .watch import CheckReport, NewGameWatch

log = logging.getLogger(__name__)

DRAFT_DAYS = 7


class RequestAnnouncer(Protocol):
    async def new_request(self, request: GameRequest) -> Sequence[MessageRef]:
        """Tell the admins (with buttons to act); the messages posted, to edit later."""
        ...

    async def changed(
        self, request: GameRequest, refs: Sequence[MessageRef], latest_note: str
    ) -> None:
        """Edit the admins' notices to show the request as it is now."""
        ...

    async def tell(self, person: Person, request: GameRequest, rom: Rom | None) -> bool:
        """DM one person that their request was fulfilled or rejected; False if undelivered."""
        ...

    async def on_its_way(self, person: Person, request: GameRequest) -> bool:
        """DM one person that a copy of the game is downloading; False if undelivered."""
        ...

    async def auto_fulfilled(self, request: GameRequest, rom: Rom) -> None: ...

    async def likely_match(self, request: GameRequest, rom: Rom) -> None:
        """Ask the admins to confirm a ROM that looks like the requested game."""
        ...

    async def undelivered(self, request: GameRequest, people: Sequence[Person]) -> None: ...


class RequestService:
    def __init__(
        self,
        store: Store,
        client: RommClient,
        *,
        limit: int = 5,
        announcer: RequestAnnouncer | None = None,
    ) -> None:
        self.store = store
        self.client = client
        self.limit = limit
        self.announcer = announcer
        self._watch: NewGameWatch | None = None

    # --- reading ------------------------------------------------------------------------
    async def get(self, request_id: int) -> GameRequest | None:
        return await repo.get_request(self.store.conn, request_id)

    async def history(self, request_id: int) -> list[RequestEvent]:
        return await repo.events(self.store.conn, request_id)

    async def subscribers(self, request_id: int) -> list[Person]:
        return await repo.subscribers(self.store.conn, request_id)

    async def open_count(self, user_key: str) -> int:
        return await repo.open_count(self.store.conn, user_key)

    async def pending(self, limit: int = 10_000) -> list[GameRequest]:
        return await repo.list_requests(self.store.conn, statuses=["pending"], limit=limit)

    async def listing(
        self,
        *,
        statuses: Sequence[str] = (),
        user_key: str | None = None,
        limit: int = 25,
        offset: int = 0,
    ) -> list[GameRequest]:
        return await repo.list_requests(
            self.store.conn, statuses=statuses, user_key=user_key, limit=limit, offset=offset
        )

    async def count(self, statuses: Sequence[str] = ()) -> int:
        return await repo.count_requests(self.store.conn, statuses=statuses)

    async def search(
        self, query: RequestQuery, *, limit: int = 50, offset: int = 0
    ) -> tuple[list[GameRequest], int]:
        return await repo.search_requests(self.store.conn, query, limit=limit, offset=offset)

    async def keys_named(self, name: str) -> list[str]:
        return await repo.keys_named(self.store.conn, name)

    async def platforms_requested(self) -> list[tuple[str, str]]:
        return await repo.platforms_requested(self.store.conn)

    async def counts_by_status(self) -> dict[str, int]:
        return await repo.counts_by_status(self.store.conn)

    async def duplicate_of(
        self, platform_key: str, title: str, igdb_id: int | None
    ) -> GameRequest | None:
        return await repo.find_pending_duplicate(
            self.store.conn, platform_key, title_key(title), igdb_id
        )

    async def involved(self, request: GameRequest, user_key: str) -> bool:
        if request.requester.key == user_key:
            return True
        return any(p.key == user_key for p in await self.subscribers(request.id))

    # --- drafts -------------------------------------------------------------------------
    async def new_draft(
        self,
        person: Person,
        *,
        platform_key: str | None,
        platform_name: str,
        in_library: bool,
        igdb_platform_id: int | None,
        title: str,
        details: str = "",
        igdb: IgdbPick | None = None,
    ) -> Draft:
        cutoff = (datetime.now(UTC) - timedelta(days=DRAFT_DAYS)).isoformat(timespec="seconds")
        async with self.store.transaction() as conn:
            await repo.prune_drafts(conn, cutoff)
            draft_id = await repo.insert_draft(
                conn,
                person,
                platform_key=platform_key,
                platform_name=platform_name,
                in_library=in_library,
                igdb_platform_id=igdb_platform_id,
                title=title,
                details=details,
                igdb=igdb,
            )
            draft = await repo.get_draft(conn, draft_id)
        assert draft is not None
        return draft

    async def draft(self, draft_id: int) -> Draft | None:
        return await repo.get_draft(self.store.conn, draft_id)

    async def update_draft(
        self,
        draft_id: int,
        igdb: IgdbPick | None,
        platform: tuple[str, str, bool, int | None] | None = None,
    ) -> Draft | None:
        async with self.store.transaction() as conn:
            await repo.update_draft(conn, draft_id, igdb=igdb, platform=platform)
            return await repo.get_draft(conn, draft_id)

    async def drop_draft(self, draft_id: int) -> None:
        async with self.store.transaction() as conn:
            await repo.delete_draft(conn, draft_id)

    # --- changes ------------------------------------------------------------------------
    async def create(
        self,
        person: Person,
        *,
        platform_key: str,
        platform_name: str,
        title: str,
        details: str = "",
        igdb: IgdbPick | None = None,
        exempt: bool = False,
    ) -> Outcome:
        """A new request, or a subscription to the pending one for the same game; decided
        and written in one transaction, so two people asking at once get one request."""
        key = title_key(igdb.name if igdb else title)
        async with self.store.transaction() as conn:
            dup = await repo.find_pending_duplicate(
                conn, platform_key, key, igdb.id if igdb else None
            )
            if dup is None and igdb is not None and title_key(title) != key:
                dup = await repo.find_pending_duplicate(conn, platform_key, title_key(title), None)
            if dup is not None:
                return await self._join(conn, dup, person)
            if not exempt:
                count = await repo.open_count(conn, person.key)
                if count >= self.limit:
                    return Outcome("over_limit", open_count=count)
            request_id = await repo.insert_request(
                conn,
                person,
                platform_key=platform_key,
                platform_name=platform_name,
                title=igdb.name if igdb else title,
                title_key=key,
                details=details,
                igdb=igdb,
            )
            await repo.add_event(conn, request_id, person, "created", details)
            request = await repo.get_request(conn, request_id)
        assert request is not None
        log.info("request #%d created by %s", request.id, person.key)
        try:  # from the first request on, new games are compared from this point
            await self.watch.baseline()
        except RommError as exc:
            log.warning("could not note where the library stands: %s", exc.user_message)
        if self.announcer is not None:
            refs = await self.announcer.new_request(request)
            if refs:
                async with self.store.transaction() as conn:
                    await repo.add_notices(conn, request.id, refs)
        return Outcome("created", request)

    async def _refresh_notices(self, request_id: int) -> None:
        """Show a change on the admins' notices of the request (wherever it was made)."""
        if self.announcer is None:
            return
        conn = self.store.conn
        refs = await repo.notices(conn, request_id)
        request = await repo.get_request(conn, request_id)
        if request is None or (not refs and request.status == "pending"):
            return  # nothing to edit, and nothing new to tell
        notes = [e.text for e in await repo.events(conn, request_id) if e.kind == "note"]
        try:
            await self.announcer.changed(request, refs, notes[-1] if notes else "")
        except Exception:  # the change is made; a notice that cannot be edited must not undo it
            log.exception("request #%d: the admins' notices could not be edited", request_id)

    async def _join(self, conn: repo.Conn, request: GameRequest, person: Person) -> Outcome:
        if request.requester.key == person.key:
            return Outcome("already_yours", request)
        if not await repo.add_subscriber(conn, request.id, person):
            return Outcome("already_subscribed", request)
        await repo.add_event(conn, request.id, person, "subscribed")
        await repo.touch(conn, request.id)
        return Outcome("subscribed", request)

    async def subscribe(self, request_id: int, person: Person) -> Outcome:
        async with self.store.transaction() as conn:
            request = await _pending_request(conn, request_id)
            if isinstance(request, Outcome):
                return request
            return await self._join(conn, request, person)

    async def cancel(self, request_id: int, person: Person, reason: str = "") -> Outcome:
        """The requester withdraws (others who want it keep it open: the first of them takes
        it over); a subscriber just stops following."""
        async with self.store.transaction() as conn:
            request = await _pending_request(conn, request_id)
            if isinstance(request, Outcome):
                return request
            subs = await repo.subscribers(conn, request_id)
            if request.requester.key != person.key:
                if not any(p.key == person.key for p in subs):
                    return Outcome("not_yours", request)
                await repo.remove_subscriber(conn, request_id, person.key)
                await repo.add_event(conn, request_id, person, "unsubscribed", reason)
                return Outcome("done", request)
            if subs:
                heir = subs[0]
                await repo.remove_subscriber(conn, request_id, heir.key)
                await repo.set_requester(conn, request_id, heir)
                await repo.add_event(conn, request_id, person, "withdrawn", reason)
                await repo.add_event(conn, request_id, heir, "taken_over")
                outcome = Outcome("handed_over", request, others=subs)
            else:
                await repo.set_status(conn, request_id, "cancelled", reason=reason or None)
                await repo.add_event(conn, request_id, person, "cancelled", reason)
                outcome = Outcome("done", await repo.get_request(conn, request_id))
        await self._refresh_notices(request_id)
        return outcome

    async def note(self, request_id: int, actor: Person, text: str) -> Outcome:
        async with self.store.transaction() as conn:
            request = await repo.get_request(conn, request_id)
            if request is None:
                return Outcome("not_found")
            await repo.add_event(conn, request_id, actor, "note", text)
            await repo.touch(conn, request_id)
        await self._refresh_notices(request_id)
        return Outcome("done", request)

    async def on_its_way(self, request_id: int, actor: Person, what: str) -> Outcome:
        """An admin sent a copy of the game to a download client (`what`: which one, for the
        admins' history): record it and tell the people waiting. The request stays pending
        until the game appears in RomM."""
        async with self.store.transaction() as conn:
            request = await _pending_request(conn, request_id)
            if isinstance(request, Outcome):
                return request
            await repo.add_event(conn, request_id, actor, "grabbed", what)
            await repo.add_event(conn, request_id, actor, "on_its_way")
            await repo.touch(conn, request_id)
            subs = await repo.subscribers(conn, request_id)
        log.info("request #%d: a release was grabbed by %s", request_id, actor.key)
        await self._deliver(request, [request.requester, *subs], None, on_its_way=True)
        return Outcome("done", request, others=subs)

    async def reject(self, request_id: int, actor: Person, reason: str) -> Outcome:
        return await self._close(request_id, actor, "rejected", reason=reason)

    async def fulfil(
        self,
        request_id: int,
        actor: Person,
        *,
        rom_id: int | None = None,
        rom: Rom | None = None,
        note: str = "",
        auto: bool = False,
    ) -> Outcome:
        if rom is None and rom_id is not None:
            rom = await self.client.rom(rom_id)
        return await self._close(request_id, actor, "fulfilled", rom=rom, reason=note, auto=auto)

    async def _close(
        self,
        request_id: int,
        actor: Person,
        status: str,
        *,
        rom: Rom | None = None,
        reason: str = "",
        auto: bool = False,
    ) -> Outcome:
        async with self.store.transaction() as conn:
            request = await _pending_request(conn, request_id)
            if isinstance(request, Outcome):
                return request
            rom_id = rom.id if rom else None
            if status == "fulfilled":
                await repo.set_status(conn, request_id, "fulfilled", rom_id=rom_id, reason=None)
                kind = "auto_fulfilled" if auto else "fulfilled"
            else:
                await repo.set_status(conn, request_id, "rejected", reason=reason)
                kind = "rejected"
            await repo.add_event(conn, request_id, actor, kind, reason, rom_id=rom_id)
            subs = await repo.subscribers(conn, request_id)
            closed = await repo.get_request(conn, request_id)
        assert closed is not None
        log.info("request #%d %s by %s", request_id, closed.status, actor.key or "the bot")
        await self._refresh_notices(request_id)
        await self._deliver(closed, [closed.requester, *subs], rom)
        if auto and rom is not None and self.announcer is not None:
            await self.announcer.auto_fulfilled(closed, rom)
        return Outcome("done", closed, others=subs)

    async def _deliver(
        self,
        request: GameRequest,
        people: Sequence[Person],
        rom: Rom | None,
        *,
        on_its_way: bool = False,
    ) -> None:
        """DM everyone concerned; record who got it and who did not; tell the admins."""
        if self.announcer is None:
            return
        results: list[tuple[Person, bool]] = []
        for person in {p.key: p for p in people}.values():
            try:
                if on_its_way:
                    delivered = await self.announcer.on_its_way(person, request)
                else:
                    delivered = await self.announcer.tell(person, request, rom)
            except Exception:  # one failed message must not stop the others or the record
                log.exception("request #%d: message to %s failed", request.id, person.key)
                delivered = False
            results.append((person, delivered))
        async with self.store.transaction() as conn:
            for person, delivered in results:
                kind = "dm_sent" if delivered else "dm_failed"
                await repo.add_event(conn, request.id, BOT, kind, f"{person.name} ({person.key})")
        failed = [person for person, delivered in results if not delivered]
        if failed:
            log.info("request #%d: %d DM(s) not delivered", request.id, len(failed))
            await self.announcer.undelivered(request, failed)

    async def suggest(self, request: GameRequest, rom: Rom) -> bool:
        """Offer the admins a ROM that looks like the requested game (once per ROM)."""
        async with self.store.transaction() as conn:
            if await repo.has_event(conn, request.id, "suggested", rom.id):
                return False
            await repo.add_event(conn, request.id, BOT, "suggested", rom.title, rom_id=rom.id)
        if self.announcer is not None:
            await self.announcer.likely_match(request, rom)
        return True

    async def dismiss(self, request_id: int, actor: Person, rom_id: int) -> Outcome:
        async with self.store.transaction() as conn:
            request = await repo.get_request(conn, request_id)
            if request is None:
                return Outcome("not_found")
            await repo.add_event(conn, request_id, actor, "not_a_match", rom_id=rom_id)
        return Outcome("done", request)

    # --- new games ----------------------------------------------------------------------
    @property
    def watch(self) -> NewGameWatch:
        if self._watch is None:
            from .watch import NewGameWatch

            self._watch = NewGameWatch(self)
        return self._watch

    async def check_new_games(self) -> CheckReport:
        """Match games added to RomM since the last check against pending requests.
        The scans feature calls this when a scan finishes; a timer calls it too."""
        return await self.watch.check()

    async def rom_for(self, request: GameRequest) -> Rom | None:
        """The library's ROM for a request, when RomM matched one to its IGDB id."""
        if request.igdb_id is None:
            return None
        try:
            rom = await self.client.rom_by_igdb_id(request.igdb_id)
        except RommError:
            return None
        if rom is not None and request.platform_key in (rom.platform_slug, rom.platform_fs_slug):
            return rom
        return None


async def _pending_request(conn: repo.Conn, request_id: int) -> GameRequest | Outcome:
    """The request, if it can still change; else the refusal ("not_found"/"not_pending")."""
    request = await repo.get_request(conn, request_id)
    if request is None:
        return Outcome("not_found")
    if request.status != "pending":
        return Outcome("not_pending", request)
    return request
