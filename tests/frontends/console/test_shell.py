"""The console front end: parsing, numbered choices, piped sessions, and the real process."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from romm_comm.app.root import App, build_registry
from romm_comm.core.cards import Choice, Picker
from romm_comm.core.text_input import parse_command_line, parse_selection
from romm_comm.features.context import Context
from romm_comm.frontends.console.shell import Shell, console_caller
from romm_comm.testing.romm_sim import RommSimulator
from tests.helpers.processes import child_env, run_romm_comm, sim_env

REGISTRY = build_registry()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            '/search platform:"Nintendo 64" game:mario',
            ("search", {"platform": "Nintendo 64", "game": "mario"}),
        ),
        # Values in order fill `game` (the one required option); /search then takes a first
        # word that names a platform as the platform (see the library tests).
        ("/search n64 super mario 64", ("search", {"game": "n64 super mario 64"})),
        ("/search game:zelda platform:snes", ("search", {"platform": "snes", "game": "zelda"})),
        (
            "/search gbc Link's Awakening",
            ("search", {"game": "gbc Link's Awakening"}),
        ),
        ("/SEARCH psx ff", ("search", {"game": "psx ff"})),
        (
            '/search platform:"Super Nintendo Entertainment System" game:zelda & link #1 %',
            (
                "search",
                {"platform": "Super Nintendo Entertainment System", "game": "zelda & link #1 %"},
            ),
        ),
        (
            "/request platform:psx game:final fantasy vii details:the original disc",
            (
                "request",
                {"platform": "psx", "game": "final fantasy vii", "details": "the original disc"},
            ),
        ),
        ("/random", ("random", {})),
        ("/random super nintendo", ("random", {"platform": "super nintendo"})),
        (
            "/request psx final fantasy",
            ("request", {"platform": "psx", "game": "final fantasy"}),
        ),
        (
            '/request psx ff details:"PAL please"',
            ("request", {"platform": "psx", "game": "ff", "details": "PAL please"}),
        ),
        ("/firmware platform:psx", ("firmware", {"platform": "psx"})),
    ],
)
def test_command_lines_parse_like_slash_commands(line: str, expected: object) -> None:
    assert parse_command_line(line, REGISTRY) == expected


def test_bad_command_lines_say_why() -> None:
    assert "Unknown command /dance" in str(parse_command_line("/dance", REGISTRY))
    assert "more values than it has options" in str(
        parse_command_line("/stats now please", REGISTRY)
    )


def test_selection_parsing() -> None:
    picker = Picker("files:1", "Files", tuple(Choice(str(i), f"v{i}") for i in range(1, 5)), 1, 4)
    assert parse_selection("2", picker) == ["v2"]
    assert parse_selection("1,3", picker) == ["v1", "v3"]
    assert parse_selection("all", picker) == ["v1", "v2", "v3", "v4"]
    assert parse_selection("9", picker) == "Type a number from 1 to 4."
    assert parse_selection("two", picker) == "Type a number from 1 to 4."
    single = Picker("rom", "Games", picker.choices)
    assert parse_selection("1,2", single) == "Choose at most 1."


async def test_a_piped_session_searches_picks_and_chooses_files(app: App) -> None:
    out = io.StringIO()
    shell = Shell(app.registry, Context(console_caller(), app.services), out=out)
    script = "\n".join(
        [
            "/search psx final fantasy",
            "1",
            "1,3",
            "/search platform:nowhere game:x",
            "/stats",
            "exit",
            "/help",
        ]
    )
    code = await shell.run(io.StringIO(script + "\n"), interactive=False)
    text = out.getvalue()
    assert "Pick one:" in text and "  1) Final Fantasy" in text
    assert "== Final Fantasy" in text
    assert "-> Download all (" in text
    assert "4 files as one zip" in text, "discs 1 and 3, each with its cue sheet"
    assert "Error: No platform called 'nowhere'" in text
    assert "== Library statistics ==" in text
    assert "RomM-ComM commands" not in text, "input after 'exit' is not read"
    assert code == 1, "a scripted session with an error exits non-zero"


async def test_the_shell_keeps_running_when_romm_fails(app: App, sim: RommSimulator) -> None:
    out = io.StringIO()
    shell = Shell(app.registry, Context(console_caller(), app.services), out=out)
    sim.faults.fail(path_prefix="/api", status=500)
    await shell.handle("/search n64 mario")
    sim.faults.clear()
    await shell.handle("/search n64 mario")
    text = out.getvalue()
    assert "Error: RomM had an internal error; try again later." in text
    assert "Traceback" not in text
    assert "Super Mario 64" in text


def _readme_demo_script() -> str:
    readme = (Path(__file__).parents[3] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Try it in a minute", 1)[1]
    return section.split("```", 2)[1].split("\n", 1)[1]


@pytest.mark.timeout(240)
def test_the_readme_demo_script_is_true(tmp_path: Path) -> None:
    """The script the README gives, piped as it is into the demo: no line fails."""
    script = _readme_demo_script()
    assert "/search psx final fantasy" in script and "1,3" in script
    proc = subprocess.run(
        [sys.executable, "-m", "romm_comm"],
        input=script,
        capture_output=True,
        text=True,
        timeout=180,
        cwd=tmp_path,
        env=child_env(),
    )
    assert "Error:" not in proc.stdout, proc.stdout
    assert proc.returncode == 0, proc.stderr
    assert "Pick one:" in proc.stdout
    assert "== Final Fantasy VII: " in proc.stdout and "as one zip ==" in proc.stdout
    assert "== Popular games ==" in proc.stdout, "the demo's IGDB simulator answers /igdb"


async def test_a_number_or_yes_with_nothing_open_gets_a_sentence(app: App) -> None:
    out = io.StringIO()
    shell = Shell(app.registry, Context(console_caller(), app.services), out=out)
    for line in ("1", "1,3", "yes", "no", "b1"):
        await shell.handle(line)
    text = out.getvalue()
    assert "Unknown command" not in text
    assert text.count("There is no list to choose from right now") == 2
    assert text.count("Nothing is waiting for a yes or no.") == 2
    assert "The last reply has no buttons to press" in text


def test_demo_starts_with_nothing_configured(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "romm_comm"],
        input='/stats\n/search platform:"Nintendo 64" game:mario\n',
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env=child_env(),
    )
    assert proc.returncode == 0, proc.stderr
    assert "RomM-ComM DEMO" in proc.stdout
    assert "== Library statistics ==" in proc.stdout
    assert "Super Mario 64" in proc.stdout
    assert (tmp_path / "data" / "demo" / "romm-comm.sqlite3").exists()


async def test_the_shell_process_talks_to_a_configured_romm(
    sim: RommSimulator, tmp_path: Path
) -> None:
    assert sim.admin_token is not None
    env = sim_env(sim, tmp_path / "d")
    code, text, stderr = await run_romm_comm(
        "shell", env=env, cwd=tmp_path, stdin=b"/firmware psx\n/platforms\n"
    )
    assert code == 0, stderr
    assert "DEMO" not in text
    assert "== Firmware for" in text and "CRC32" in text
    assert "== Platforms ==" in text
    assert sim.admin_token not in text + stderr


def test_a_mistyped_command_line_names_the_closest_command() -> None:
    assert "Did you mean /search?" in str(parse_command_line("/serch n64 mario", REGISTRY))
    assert parse_command_line("/help search", REGISTRY) == ("help", {"command": "search"})


async def test_a_qr_code_is_drawn_in_the_terminal(app: App) -> None:
    out = io.StringIO()
    shell = Shell(app.registry, Context(console_caller(), app.services), out=out)
    await shell.handle('/search platform:"Nintendo 3DS" game:animal crossing')
    await shell.handle("b1")
    text = out.getvalue()
    assert "== QR code: Animal Crossing: New Leaf ==" in text
    assert "attachment://" not in text
    drawn = [line for line in text.splitlines() if set(line) <= set("█▀▄ \xa0") and "█" in line]
    assert len(drawn) > 10, "a QR code of block characters"
    assert "[attachment qr-" not in text, "the image is drawn, not named"


def test_a_cards_moment_is_human_in_the_terminal() -> None:
    from datetime import UTC, datetime, timedelta

    from romm_comm.core.cards import Card, Reply
    from romm_comm.frontends.console.render import render_reply

    moment = datetime.now(UTC) - timedelta(minutes=5, seconds=3)
    text = render_reply(Reply(cards=(Card("Library statistics", as_of=moment),)))
    local = moment.astimezone()
    assert f"(As of {local.day} {local:%b %Y %H:%M}, 5 min ago)" in text
    assert "+00:00" not in text and "T" not in text.split("(As of", 1)[1]


async def test_env_and_data_are_found_next_to_romm_comm_from_any_folder(
    sim: RommSimulator, tmp_path: Path
) -> None:
    """As a systemd unit or cron job runs it: another current folder, the `.env` at home."""
    assert sim.admin_token is not None
    home, elsewhere = tmp_path / "romm-comm", tmp_path / "cwd"
    home.mkdir()
    elsewhere.mkdir()
    (home / ".env").write_text(
        f"ROMM_URL={sim.url}\nROMM_API_TOKEN={sim.admin_token}\nDATA_DIR=./data\n"
    )
    env = child_env(ROMM_COMM_HOME=str(home))
    code, stdout, stderr = await run_romm_comm(
        "shell", env=env, cwd=elsewhere, stdin=b"/platforms\n"
    )
    assert code == 0, stderr
    assert "DEMO" not in stdout and "== Platforms ==" in stdout
    assert (home / "data" / "romm-comm.sqlite3").exists()
    assert not (elsewhere / "data").exists()
    script = (Path(__file__).parents[3] / "romm-comm").read_text()
    assert 'export ROMM_COMM_HOME="${ROMM_COMM_HOME:-$root}"' in script
