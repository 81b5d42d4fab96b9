"""A problem report's life typed on the console (the operator is an admin there): report,
the admin log notice, the list, buttons and picks by number, the messages, the history."""

from __future__ import annotations

from io import StringIO

from romm_comm.app.root import App
from romm_comm.features.context import Context
from romm_comm.frontends.console.notifier import ConsoleNotifier
from romm_comm.frontends.console.shell import Shell, console_caller


async def test_the_console_reports_acknowledges_and_resolves(rapp: App) -> None:
    out = StringIO()
    shell = Shell(rapp.registry, Context(console_caller(), rapp.services), out=out)
    rapp.services.notifications.register(ConsoleNotifier(shell.say))
    script = "\n".join(
        [
            '/report game:"final fantasy" problem:"missing disc" details:"disc <2> & 3"',
            "2",  # Final Fantasy VIII in the pick list
            "/reports status:open",
            "1",  # open report #1
            "b1",  # Acknowledge
            "b1",  # Resolve
            "1",  # The file was replaced with a good copy.
            "/my_reports",
        ]
    )
    assert await shell.run(StringIO(script + "\n"), interactive=False) == 0
    text = out.getvalue()
    assert "Several games match 'final fantasy'. Which one has the problem?" in text
    assert "Thanks: report #1 Final Fantasy VIII" in text
    assert "[admin log] " in text and "== New problem report #1 Final Fantasy VIII" in text
    assert "disc <2> & 3" in text
    assert "== Problem reports: open ==" in text
    assert "is acknowledged. 1 person(s) were told" in text
    assert "[message for you] 👀 Your problem report #1 Final Fantasy VIII" in text
    assert "Report #1 Final Fantasy VIII" in text and "is resolved" in text
    assert "[message for you] ✅ Your problem report #1 Final Fantasy VIII" in text
    mine = text.split("== Your problem reports ==")[1]
    assert "#1 ✅ resolved — Final Fantasy VIII (PlayStation) · missing disc" in mine
