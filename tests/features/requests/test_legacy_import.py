"""`romm-comm import-legacy PATH`: databases built in the earlier bot's schemas, imported
twice; what was imported and skipped is reported; imported requests live on."""

from __future__ import annotations

import sqlite3
from io import StringIO
from pathlib import Path

import pytest

from romm_comm.app.root import App
from romm_comm.cli import main as cli
from romm_comm.cli.import_legacy import run_import_legacy
from romm_comm.core.commands import Caller
from romm_comm.features.context import Context
from romm_comm.testing.romm_sim import RommSimulator
from tests.conftest import settings_for

from .conftest import RecordingNotifier, platform_id, service

FULL_SCHEMA = """
CREATE TABLE requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL, username TEXT NOT NULL,
    platform TEXT NOT NULL, game_name TEXT NOT NULL, details TEXT, status TEXT DEFAULT 'pending',
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    fulfilled_by INTEGER, fulfiller_name TEXT, notes TEXT, auto_fulfilled BOOLEAN DEFAULT 0,
    igdb_id INTEGER, platform_mapping_id INTEGER, igdb_game_name TEXT, ggr_request_id TEXT
);
CREATE TABLE request_subscribers (
    id INTEGER PRIMARY KEY AUTOINCREMENT, request_id INTEGER NOT NULL, user_id INTEGER NOT NULL,
    username TEXT NOT NULL, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE user_links (
    discord_id INTEGER PRIMARY KEY, romm_username TEXT NOT NULL, romm_id INTEGER,
    discord_username TEXT, discord_avatar TEXT, created_by_bot BOOLEAN DEFAULT 0,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE pending_invites (
    discord_id INTEGER PRIMARY KEY, jti TEXT, role TEXT, sent_at TIMESTAMP, expires_at TIMESTAMP
);
"""
FF9_DETAILS = (
    "PAL version please\n\nIGDB Metadata:\nGame: Final Fantasy IX\nRelease Date: 2000-07-07\n"
    "Cover URL: https://images.igdb.com/igdb/image/upload/t_cover_big/co1x.jpg"
)
REQUESTS = [
    (1, 111, "alice", "PlayStation", "Final Fantasy IX", FF9_DETAILS, "pending", None, None,
     None, 0, 415, None, "Final Fantasy IX"),
    (2, 112, "bob", "Nintendo 64", "Mario Kart 64", "", "fulfilled", 999, "oldadmin",
     "added v1.1", 0, 2327, 1, "Mario Kart 64"),
    (3, 111, "alice", "Super Nintendo Entertainment System", "Secret of Mana 3", None, "reject",
     999, "oldadmin", "no English release", 0, None, None, None),
    (4, 112, "bob", "Game Boy", "Wario Land", None, "cancelled", None, None, None, 0, None,
     None, None),
    (5, 113, "carol", "PlayStation", "Parasite Eve", None, "on hold", None, None, None, 0, None,
     None, None),
    (6, 113, "carol", "PlayStation", "FF9", None, "pending", None, None, None, 0, 415, None,
     "Final Fantasy IX"),
    (7, 113, "carol", "Amstrad GX4000", "Burnin' Rubber", None, "pending", None, None, None, 0,
     None, None, None),
]  # fmt: skip


def build_current(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(FULL_SCHEMA)
    conn.executemany(
        "INSERT INTO requests (id, user_id, username, platform, game_name, details, status, "
        "fulfilled_by, fulfiller_name, notes, auto_fulfilled, igdb_id, platform_mapping_id, "
        "igdb_game_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, '2024-03-01 10:00:00', '2024-03-05 12:30:00')",
        REQUESTS,
    )
    conn.executemany(
        "INSERT INTO request_subscribers (request_id, user_id, username) VALUES (?, ?, ?)",
        [(1, 112, "bob"), (1, 111, "alice"), (99, 114, "dave")],
    )
    conn.executemany(
        "INSERT INTO user_links (discord_id, romm_username, romm_id, discord_username, "
        "created_by_bot) VALUES (?, ?, ?, ?, ?)",
        [(111, "alice", 5, "alice", 1), (112, "bobby", 6, "bob", 0)],
    )
    conn.execute("INSERT INTO pending_invites (discord_id, jti, role) VALUES (115, 'j', 'user')")
    conn.commit()
    conn.close()


def build_old(folder: Path) -> None:
    """Older versions: requests.db without the later columns, users.db for the links."""
    conn = sqlite3.connect(folder / "requests.db")
    conn.execute(
        "CREATE TABLE requests (id INTEGER PRIMARY KEY, user_id INTEGER, username TEXT, "
        "platform TEXT, game_name TEXT, details TEXT, status TEXT, created_at TIMESTAMP, "
        "updated_at TIMESTAMP)"
    )
    conn.execute(
        "INSERT INTO requests VALUES (1, 221, 'erin', 'Nintendo DS', 'Advance Wars: Dual Strike',"
        " 'IGDB Metadata:\nGame: Advance Wars: Dual Strike\nRelease Date: 2005-06-23', "
        "'fulfilled', '2023-01-02 03:04:05', '2023-01-03 03:04:05')"
    )
    conn.commit()
    conn.close()
    conn = sqlite3.connect(folder / "users.db")
    conn.execute(
        "CREATE TABLE user_links (discord_id INTEGER PRIMARY KEY, romm_username TEXT, "
        "romm_id INTEGER, discord_username TEXT, created_at TIMESTAMP, updated_at TIMESTAMP)"
    )
    conn.execute("INSERT INTO user_links VALUES (221, 'erin', 9, 'erin', NULL, NULL)")
    conn.commit()
    conn.close()


async def test_import_twice_reports_and_keeps_everything(
    sim: RommSimulator, tmp_path: Path
) -> None:
    legacy = tmp_path / "old-bot" / "data"
    legacy.mkdir(parents=True)
    build_current(legacy / "romm_bot.db")
    settings = settings_for(sim, tmp_path / "new", request_check_interval=0)

    out = StringIO()
    assert await run_import_legacy(settings, legacy / "romm_bot.db", out) == 0
    report = out.getvalue()
    assert "Imported: 5 request(s), 1 subscriber(s), 2 user link(s)" in report
    assert "request 5 ('Parasite Eve'): unreadable status ('on hold')" in report
    assert "request 6 ('FF9'): same game as pending request #1" in report
    assert "subscriber alice of request 1: is the requester" in report
    assert "subscriber dave of request 99: its request was not imported" in report
    assert "1 pending invite(s): not imported" in report

    out = StringIO()
    assert await run_import_legacy(settings, legacy / "romm_bot.db", out) == 0
    again = out.getvalue()
    assert "Imported: 0 request(s), 0 subscriber(s), 0 user link(s)" in again
    assert "request 1 ('Final Fantasy IX'): already imported" in again
    assert "user link of bob (discord:112): already imported" in again

    app = await App.create(settings)
    await app.start()
    try:
        requests = service(app)
        assert await requests.count() == 5
        ff9 = await requests.get(1)
        assert ff9 is not None and ff9.status == "pending" and ff9.legacy_id == 1
        assert ff9.requester.key == "discord:111" and ff9.platform_key == "psx"
        assert ff9.details == "PAL version please"
        assert ff9.igdb is not None and ff9.igdb.id == 415
        assert ff9.igdb.release_date == "2000-07-07" and ff9.igdb.year == 2000
        assert (
            ff9.igdb.cover_url == "https://images.igdb.com/igdb/image/upload/t_cover_big/co1x.jpg"
        )
        assert ff9.created_at == "2024-03-01T10:00:00+00:00"
        assert {p.key for p in await requests.subscribers(1)} == {"discord:112", "discord:113"}
        rejected = next(r for r in await requests.listing() if r.legacy_id == 3)
        assert rejected.status == "rejected" and rejected.reason == "no English release"
        assert rejected.platform_key == "snes", "display names are mapped to RomM's platforms"
        kart = next(r for r in await requests.listing() if r.legacy_id == 2)
        history = [(e.kind, e.actor.name, e.text) for e in await requests.history(kart.id)]
        assert ("fulfilled", "oldadmin", "") in history and (
            "note",
            "oldadmin",
            "added v1.1",
        ) in history
        gx = next(r for r in await requests.listing() if r.legacy_id == 7)
        assert gx.platform_key == "name:amstrad gx4000" and gx.platform_name == "Amstrad GX4000"

        # The earlier bot's users keep their requests, see them, and get the DM on arrival.
        discord = RecordingNotifier(front_end="discord")
        app.services.notifications.register(discord)
        alice = Context(Caller(id="111", name="alice", front_end="discord"), app.services)
        mine = await app.registry.run(alice, "my_requests", {})
        assert "Final Fantasy IX (PlayStation)" in mine.cards[0].text
        assert "reason: no English release" in mine.cards[0].text
        await requests.check_new_games()  # the first check notes where the library stands
        sim.library.add_rom(platform_id(sim, "psx"), name="Final Fantasy IX", igdb_id=415)
        report2 = await requests.check_new_games()
        assert [r.legacy_id for r, _ in report2.fulfilled] == [1]
        assert discord.dms_to("111")[-1].cards[0].title == "Final Fantasy IX"
        assert len(discord.dms) == 3, "requester and both followers"
    finally:
        await app.close()


async def test_older_files_without_the_later_columns(sim: RommSimulator, tmp_path: Path) -> None:
    legacy = tmp_path / "data"
    legacy.mkdir()
    build_old(legacy)
    settings = settings_for(sim, tmp_path / "new")
    out = StringIO()
    assert await run_import_legacy(settings, tmp_path, out) == 0
    text = out.getvalue()
    assert "Read: requests.db, users.db" in text
    assert "Imported: 1 request(s), 0 subscriber(s), 1 user link(s)" in text
    app = await App.create(settings)
    try:
        request = await service(app).get(1)
        assert request is not None and request.status == "fulfilled"
        assert request.igdb is None, "no IGDB id: the metadata stays in the details"
        assert request.details.startswith("IGDB Metadata:")
        assert request.platform_key == "nds" and request.requester.name == "erin"
    finally:
        await app.close()


def test_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build_current(tmp_path / "romm_bot.db")
    env = tmp_path / "bot.env"
    env.write_text(f"DATA_DIR={tmp_path / 'data'}\nROMM_URL=\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(SystemExit) as done:
            cli.main(["--env-file", str(env), "import-legacy", str(tmp_path / "romm_bot.db")])
        assert done.value.code == 0
    printed = capsys.readouterr().out
    assert printed.count("Imported: 5 request(s)") == 1
    assert "Imported: 0 request(s), 0 subscriber(s), 0 user link(s)" in printed
    with pytest.raises(SystemExit) as missing:
        cli.main(["--env-file", str(env), "import-legacy", str(tmp_path / "nothing-here")])
    assert missing.value.code == 2
    assert "No earlier-bot database" in capsys.readouterr().out
