"""Scans in the store: the running one (to carry on after a restart) and past summaries."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from ...store.db import Store
from .models import ScanRun, now_utc

KEEP_RUNS = 200  # summaries kept; older ones are dropped
_COLUMNS = "id, label, started_by, started_at, ended_at, outcome, stats, detail"
_COLUMNS = "id, label, started_by, started_at, ended_at, outcome, stats, detail"


class ScanStore:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def save(self, run: ScanRun) -> None:
        """Insert the run (setting `run.id`) or update it, in one transaction."""
        values = (
            run.label,
            run.started_by,
            run.started_at.isoformat(),
            run.ended_at.isoformat() if run.ended_at else None,
            run.outcome,
            json.dumps(asdict(run.stats)),
            json.dumps(run.detail_json(), sort_keys=True),
            now_utc().isoformat(),
        )
        async with self.store.transaction() as conn:
            if run.id is None:
                cursor = await conn.execute(
                    "INSERT INTO scan_runs(label, started_by, started_at, ended_at, outcome, "
                    "stats, detail, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    values,
                )
                run.id = cursor.lastrowid
                await conn.execute(
                    "DELETE FROM scan_runs WHERE outcome != 'running' AND id <= ?",
                    (int(run.id or 0) - KEEP_RUNS,),
                )
            else:
                await conn.execute(
                    "UPDATE scan_runs SET label = ?, started_by = ?, started_at = ?, "
                    "ended_at = ?, outcome = ?, stats = ?, detail = ?, updated_at = ? "
                    "WHERE id = ?",
                    (*values, run.id),
                )

    async def active(self) -> ScanRun | None:
        """The scan that was running when the bot last stopped, if any."""
        runs = await self._select("WHERE outcome = 'running' ORDER BY id DESC LIMIT 1")
        return runs[0] if runs else None

    async def close_stale(self, keep: int | None) -> None:
        """Mark older 'running' rows (left by crashes) as interrupted."""
        async with self.store.transaction() as conn:
            await conn.execute(
                "UPDATE scan_runs SET outcome = 'interrupted' "
                "WHERE outcome = 'running' AND id != ?",
                (keep if keep is not None else -1,),
            )

    async def summaries(self, limit: int = 5) -> list[ScanRun]:
        return await self._select("WHERE outcome != 'running' ORDER BY id DESC LIMIT ?", limit)

    async def _select(self, where: str, *args: object) -> list[ScanRun]:
        # `where` is one of this module's constant clauses; values go in as parameters.
        sql = f"SELECT {_COLUMNS} FROM scan_runs {where}"  # noqa: S608
        async with self.store.conn.execute(sql, args) as cursor:
            rows = await cursor.fetchall()
        return [_run(row) for row in rows]


def _run(row: Any) -> ScanRun:
    stats, detail = json.loads(row["stats"]), json.loads(row["detail"])
    return ScanRun.from_row(
        row["id"], row["label"], row["started_by"], row["started_at"], row["ended_at"],
        row["outcome"], stats, detail,
    )  # fmt: skip
