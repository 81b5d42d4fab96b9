"""Versioned schema changes, applied in order at start (PRAGMA user_version = applied count).

Append new steps; never edit a step that has shipped.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: settings-like state (last stats snapshot, channel ids, ...) and stats history.
    """
    CREATE TABLE kv (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    CREATE TABLE stats_history (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        taken_at   TEXT NOT NULL,
        platforms  INTEGER NOT NULL,
        roms       INTEGER NOT NULL,
        saves      INTEGER NOT NULL,
        states     INTEGER NOT NULL,
        screenshots INTEGER NOT NULL,
        storage_bytes INTEGER NOT NULL,
        users      INTEGER
    );
    """,
    # 2: downloads brokered by the gateway (one row per link; resumed requests add to it)
    # and the names of the chat users links were made for.
    """
    CREATE TABLE downloads (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        link_id     TEXT NOT NULL UNIQUE,
        user_key    TEXT NOT NULL,
        kind        TEXT NOT NULL,
        rom_id      INTEGER,
        firmware_id INTEGER,
        file_ids    TEXT NOT NULL DEFAULT '',
        file_name   TEXT NOT NULL,
        title       TEXT,
        platform    TEXT,
        size_bytes  INTEGER,
        bytes_sent  INTEGER NOT NULL DEFAULT 0,
        requests    INTEGER NOT NULL DEFAULT 0,
        completed   INTEGER NOT NULL DEFAULT 0,
        last_status INTEGER,
        started_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
    );
    CREATE INDEX downloads_by_time ON downloads(started_at);
    CREATE INDEX downloads_by_rom ON downloads(rom_id, started_at);
    CREATE TABLE chat_users (
        user_key   TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    """,
    # 3: game requests: the request, who else wants it, its history (who, when, what),
    # requests being put together (buttons refer to them), and user links imported from the
    # earlier bot (unverified: the accounts feature decides what to trust).
    """
    CREATE TABLE requests (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        user_key      TEXT NOT NULL,
        user_name     TEXT NOT NULL,
        platform_key  TEXT NOT NULL,
        platform_name TEXT NOT NULL,
        title         TEXT NOT NULL,
        title_key     TEXT NOT NULL,
        details       TEXT NOT NULL DEFAULT '',
        igdb_id       INTEGER,
        igdb          TEXT,
        status        TEXT NOT NULL
                      CHECK (status IN ('pending', 'fulfilled', 'rejected', 'cancelled')),
        rom_id        INTEGER,
        reason        TEXT,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL,
        legacy_id     INTEGER UNIQUE
    );
    CREATE UNIQUE INDEX requests_one_pending_per_game ON requests(platform_key, igdb_id)
        WHERE status = 'pending' AND igdb_id IS NOT NULL;
    CREATE INDEX requests_by_status ON requests(status, platform_key, title_key);
    CREATE INDEX requests_by_user ON requests(user_key, status);
    CREATE TABLE request_subscribers (
        request_id INTEGER NOT NULL REFERENCES requests(id),
        user_key   TEXT NOT NULL,
        user_name  TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (request_id, user_key)
    );
    CREATE INDEX request_subscribers_by_user ON request_subscribers(user_key);
    CREATE TABLE request_events (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        request_id INTEGER NOT NULL REFERENCES requests(id),
        at         TEXT NOT NULL,
        actor_key  TEXT,
        actor_name TEXT NOT NULL,
        kind       TEXT NOT NULL,
        text       TEXT NOT NULL DEFAULT '',
        rom_id     INTEGER
    );
    CREATE INDEX request_events_by_request ON request_events(request_id, kind);
    CREATE TABLE request_drafts (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        user_key         TEXT NOT NULL,
        user_name        TEXT NOT NULL,
        platform_key     TEXT,
        platform_name    TEXT NOT NULL DEFAULT '',
        in_library       INTEGER NOT NULL DEFAULT 1,
        igdb_platform_id INTEGER,
        title            TEXT NOT NULL,
        details          TEXT NOT NULL DEFAULT '',
        igdb             TEXT,
        created_at       TEXT NOT NULL
    );
    CREATE TABLE legacy_user_links (
        user_key       TEXT PRIMARY KEY,
        romm_username  TEXT,
        romm_id        INTEGER,
        display_name   TEXT,
        created_by_bot INTEGER NOT NULL DEFAULT 0,
        linked_at      TEXT,
        updated_at     TEXT,
        imported_at    TEXT NOT NULL
    );
    """,
    # 4: emojis the Discord bot uploaded (platform icons), so it only ever edits or deletes
    # its own: guild_id NULL = an application emoji.
    """
    CREATE TABLE discord_emojis (
        emoji_id   INTEGER PRIMARY KEY,
        name       TEXT NOT NULL,
        slug       TEXT NOT NULL,
        guild_id   INTEGER,
        created_at TEXT NOT NULL
    );
    CREATE INDEX discord_emojis_by_scope ON discord_emojis(guild_id, slug);
    """,
    # 5: scans (the running one and the summaries of past ones, with the progress messages
    # to edit) and the ROMs already announced as recently added.
    """
    CREATE TABLE scan_runs (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        label      TEXT NOT NULL,
        started_by TEXT,
        started_at TEXT NOT NULL,
        ended_at   TEXT,
        outcome    TEXT NOT NULL
                   CHECK (outcome IN ('running', 'finished', 'stopped', 'failed', 'interrupted')),
        stats      TEXT NOT NULL,
        detail     TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX scan_runs_by_outcome ON scan_runs(outcome, id);
    CREATE TABLE recent_posted (
        rom_id    INTEGER PRIMARY KEY,
        posted_at TEXT NOT NULL
    );
    """,
    # 6: accounts: one link per member to their RomM account (how it came about, whether the
    # bot created it, proven or an imported claim), invites (the link kept while pending so it
    # is never lost) and the history of every account action.
    """
    CREATE TABLE account_links (
        member_key          TEXT PRIMARY KEY,
        member_name         TEXT NOT NULL,
        romm_id             INTEGER NOT NULL,
        romm_username       TEXT NOT NULL,
        romm_created_at     TEXT,
        state               TEXT NOT NULL
                            CHECK (state IN ('active', 'disabled', 'unlinked', 'deleted', 'gone')),
        origin              TEXT NOT NULL CHECK (origin IN
                            ('created', 'invited', 'linked', 'legacy_created', 'legacy_claimed')),
        created_by_bot      INTEGER NOT NULL,
        verified            INTEGER NOT NULL,
        credentials_pending INTEGER NOT NULL DEFAULT 0,
        disabled_at         TEXT,
        end_reason          TEXT NOT NULL DEFAULT '',
        linked_at           TEXT NOT NULL,
        updated_at          TEXT NOT NULL
    );
    CREATE UNIQUE INDEX account_links_one_member_per_account ON account_links(romm_id)
        WHERE state IN ('active', 'disabled');
    CREATE TABLE account_invites (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        member_key   TEXT NOT NULL,
        member_name  TEXT NOT NULL,
        role         TEXT NOT NULL,
        link         TEXT,
        jti          TEXT,
        status       TEXT NOT NULL
                     CHECK (status IN ('pending', 'used', 'expired', 'cancelled', 'legacy')),
        delivered    INTEGER NOT NULL DEFAULT 0,
        sent_at      TEXT NOT NULL,
        expires_at   TEXT NOT NULL,
        closed_at    TEXT,
        close_reason TEXT NOT NULL DEFAULT ''
    );
    CREATE UNIQUE INDEX account_invites_one_pending ON account_invites(member_key)
        WHERE status = 'pending';
    CREATE TABLE account_events (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        at            TEXT NOT NULL,
        kind          TEXT NOT NULL,
        member_key    TEXT,
        member_name   TEXT NOT NULL DEFAULT '',
        romm_id       INTEGER,
        romm_username TEXT NOT NULL DEFAULT '',
        actor         TEXT NOT NULL,
        text          TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX account_events_by_member ON account_events(member_key, id);
    """,
    # 7: the web dashboard's sign-in sessions (the cookie's value only as a SHA-256 hash).
    """
    CREATE TABLE web_sessions (
        token_hash  TEXT PRIMARY KEY,
        romm_id     INTEGER NOT NULL,
        username    TEXT NOT NULL,
        is_admin    INTEGER NOT NULL,
        csrf        TEXT NOT NULL,
        created_at  REAL NOT NULL,
        expires_at  REAL NOT NULL
    );
    CREATE INDEX web_sessions_by_expiry ON web_sessions(expires_at);
    """,
    # IGDB's game list of one platform, fetched at most once a day (/missing, /collection):
    # one row per platform, the games as compact JSON arrays.
    """
    CREATE TABLE igdb_platform_lists (
        igdb_platform_id INTEGER PRIMARY KEY,
        fetched_at       REAL NOT NULL,
        games            TEXT NOT NULL
    );
    """,
    # problem reports on library games: the report, its history (who else has it: their
    # "me_too" entries), and reports whose game is still to be picked (survive a restart).
    """
    CREATE TABLE problem_reports (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        user_key      TEXT NOT NULL,
        user_name     TEXT NOT NULL,
        rom_id        INTEGER NOT NULL,
        game          TEXT NOT NULL,
        platform_name TEXT NOT NULL DEFAULT '',
        problem       TEXT NOT NULL,
        details       TEXT NOT NULL DEFAULT '',
        status        TEXT NOT NULL
                      CHECK (status IN ('open', 'acknowledged', 'resolved', 'rejected')),
        outcome       TEXT,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL
    );
    CREATE INDEX problem_reports_by_rom ON problem_reports(rom_id, status);
    CREATE INDEX problem_reports_by_user ON problem_reports(user_key);
    CREATE TABLE problem_report_events (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        report_id   INTEGER NOT NULL REFERENCES problem_reports(id),
        at          TEXT NOT NULL,
        actor_key   TEXT,
        actor_name  TEXT NOT NULL,
        kind        TEXT NOT NULL,
        text        TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX problem_report_events_by_report ON problem_report_events(report_id, kind);
    CREATE INDEX problem_report_events_by_actor ON problem_report_events(actor_key, kind);
    CREATE TABLE problem_report_drafts (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        user_key    TEXT NOT NULL,
        user_name   TEXT NOT NULL,
        problem     TEXT NOT NULL,
        details     TEXT NOT NULL DEFAULT '',
        created_at  TEXT NOT NULL
    );
    """,
    # the chat messages that announced a request to the admins, so they can be edited as
    # the request changes (from chat or from the web dashboard).
    """
    CREATE TABLE request_notices (
        request_id INTEGER NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
        front_end  TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        PRIMARY KEY (request_id, front_end, channel_id, message_id)
    );
    """,
    # what the Telegram front end keeps for a while (stored button data, multi-select ticks,
    # deep-link tokens, private chats' last pick lists), with when each was last written, so
    # expired ones can be removed; the rows it kept in kv so far move here, aged from their
    # kv time.
    """
    CREATE TABLE telegram_records (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        written_at REAL NOT NULL
    );
    CREATE INDEX telegram_records_by_age ON telegram_records(written_at);
    INSERT INTO telegram_records(key, value, written_at)
        SELECT key, value, (julianday(updated_at) - 2440587.5) * 86400.0 FROM kv
        WHERE key LIKE 'telegram:callback:%' OR key LIKE 'telegram:multi:%'
           OR key LIKE 'telegram:start:%';
    DELETE FROM kv WHERE key LIKE 'telegram:callback:%' OR key LIKE 'telegram:multi:%'
        OR key LIKE 'telegram:start:%';
    """,
)
