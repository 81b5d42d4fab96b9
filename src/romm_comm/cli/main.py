"""`romm-comm [run|serve|shell|check|import-legacy PATH]`.

With nothing configured, `run` and `shell` start a clearly labelled demo: the bundled RomM
simulator with a sample library, and the console front end. `serve` never reads the console
(containers, services): the Discord bot when DISCORD_TOKEN is set, else the web server and
background work alone, until SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

from pydantic import SecretStr

from .. import __version__
from ..app.logging_setup import setup_logging
from ..app.root import App
from ..app.settings import Settings, SettingsError, load_settings
from ..features.context import Context
from ..frontends.console.notifier import ConsoleNotifier
from ..frontends.console.shell import Shell, console_caller
from ..store.problems import StoreProblem
from . import front_ends

DEMO_BANNER = """\
=====================================================================
 RomM-ComM DEMO: nothing is configured, so this talks to the bundled
 RomM simulator with a generated sample library (not a real RomM),
 and the bundled IGDB simulator for /igdb and /request.
 Set ROMM_URL and ROMM_API_TOKEN (or ROMM_USERNAME/ROMM_PASSWORD) in
 .env to use your own RomM; DISCORD_TOKEN, MATRIX_*, TELEGRAM_BOT_TOKEN
 or SLACK_* tokens to start the chat front ends (see the README).
 Try: /help   /stats   /search platform:"Nintendo 64" game:mario
      /random   /firmware platform:psx   /platforms    (quit: exit)
=====================================================================
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="romm-comm", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"romm-comm {__version__}")
    parser.add_argument(
        "--env-file", help="settings file (default: .env next to romm-comm, or in ROMM_COMM_HOME)"
    )
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="start the bot (the default)")
    sub.add_parser("serve", help="like run, without the console (containers, services)")
    sub.add_parser("shell", help="the console front end")
    sub.add_parser("check", help="show the settings and probe RomM")
    backup = sub.add_parser("backup", help="copy the store to a file (safe while running)")
    backup.add_argument("file", help="where to write the copy (a file or a folder)")
    legacy = sub.add_parser("import-legacy", help="import the earlier bot's requests and links")
    legacy.add_argument("path", help="its data folder or .db file (e.g. data/romm_bot.db)")
    return parser


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(Path(args.env_file).absolute() if args.env_file else ".env")
    except SettingsError as exc:
        print("RomM-ComM cannot start; fix these settings:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        raise SystemExit(2) from None
    command = args.command or "run"
    setup_logging(
        settings.log_level,
        settings.secrets(),
        quiet=command in {"shell", "run", "check"} and not front_ends.configured(settings),
    )
    if command != "check":  # check lists them itself
        for notice in settings.legacy_notices():
            logging.getLogger("romm_comm.settings").warning(notice)
    if command == "import-legacy":
        from .import_legacy import run_import_legacy

        raise SystemExit(asyncio.run(run_import_legacy(settings, Path(args.path), sys.stdout)))
    if command == "backup":
        from ..app.root import DB_NAME
        from ..store.backup import run_backup

        source = settings.data_dir / DB_NAME
        raise SystemExit(run_backup(source, Path(args.file), sys.stdout))
    if command == "check":
        from .check import run_check

        raise SystemExit(asyncio.run(run_check(settings, sys.stdout)))
    try:
        if command in {"run", "serve"} and front_ends.configured(settings):
            raise SystemExit(asyncio.run(_run_chat(settings)))
        if command == "serve":
            raise SystemExit(asyncio.run(_serve(settings)))
        raise SystemExit(asyncio.run(_run_shell(settings)))
    except StoreProblem as exc:
        print(f"RomM-ComM cannot start: {exc}.", file=sys.stderr)
        raise SystemExit(1) from None


@contextlib.asynccontextmanager
async def _romm_settings(settings: Settings) -> AsyncIterator[Settings]:
    """The settings to use: as given, or pointed at an in-process simulator for the demo."""
    if settings.romm_configured:
        yield settings
        return
    from ..testing.igdb_sim import IgdbSimulator
    from ..testing.romm_sim import LibrarySpec, RommSimulator

    sim = RommSimulator(library=LibrarySpec(roms=400, platforms=24, seed=7))
    sim.scans.stage_spread(48)  # files for `/scan full` to find, one by one
    sim.scans.pace = 0.01
    async with contextlib.AsyncExitStack() as stack:
        await stack.enter_async_context(sim)
        igdb: dict[str, object] = {}
        if not settings.igdb_configured:  # /igdb and the request flow's IGDB step work too
            igdb_sim = await stack.enter_async_context(IgdbSimulator())
            igdb = {
                "igdb_client_id": igdb_sim.client_id,
                "igdb_client_secret": SecretStr(igdb_sim.client_secret),
                "igdb_api_url": igdb_sim.api_url,
                "twitch_token_url": igdb_sim.token_url,
            }
        token = sim.admin_token
        demo = settings.model_copy(
            update={
                "romm_url": sim.url,
                "romm_api_token": None,
                "romm_username": sim.admin_username,
                # The scan socket signs in (RomM 5 accepts scans from a session only).
                "romm_password": SecretStr(sim.admin_password),
                "data_dir": settings.data_dir / "demo",
                # Gateway links that work on this machine, on any free port unless one is set.
                "web_host": "127.0.0.1",
                "web_port": settings.web_port if "web_port" in settings.model_fields_set else 0,
                **igdb,
            }
        )
        if token is not None:
            demo = demo.model_copy(update={"romm_api_token": SecretStr(token)})
        yield demo


async def _run_shell(settings: Settings) -> int:
    async with _romm_settings(settings) as effective:
        if not settings.romm_configured:
            print(DEMO_BANNER)
        app = await App.create(effective)
        try:
            await app.start()
            shell = Shell(app.registry, Context(console_caller(), app.services))
            app.services.notifications.register(ConsoleNotifier(shell.say))
            return await shell.run()
        finally:
            await app.close()


def _stop_on_signals() -> asyncio.Event:
    """Set on SIGINT/SIGTERM, so everything closes cleanly (also as a container's process)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    return stop


@contextlib.asynccontextmanager
async def _started_app(settings: Settings) -> AsyncIterator[App]:
    async with _romm_settings(settings) as effective:
        app = await App.create(effective)
        try:
            await app.start()
            yield app
        finally:
            await app.close()


async def _serve(settings: Settings) -> int:
    stop = _stop_on_signals()
    async with _started_app(settings):
        logging.getLogger("romm_comm").warning(
            "no chat front end configured (DISCORD_TOKEN…): serving the web server and "
            "background work only"
        )
        await stop.wait()
    logging.getLogger("romm_comm").info("stopped: web server, RomM session and store closed")
    return 0


async def _run_chat(settings: Settings) -> int:
    stop = _stop_on_signals()
    async with _started_app(settings) as app:
        return await front_ends.run_all(app, front_ends.configured(settings), stop)
