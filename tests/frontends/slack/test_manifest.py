"""The shipped Slack app manifest matches what the code uses."""

from __future__ import annotations

import re
from pathlib import Path

from romm_comm.app.settings import Settings

MANIFEST = Path(__file__).parents[3] / "deploy" / "slack-app-manifest.yaml"
SOURCE = Path(__file__).parents[3] / "src" / "romm_comm" / "frontends" / "slack"
# Web API method → the bot scope Slack asks for it.
SCOPES = {
    "chat_postMessage": "chat:write",
    "chat_postEphemeral": "chat:write",
    "chat_update": "chat:write",
    "conversations_open": "im:write",
    "files_upload_v2": "files:write",
    "conversations_list": "channels:read",
}


def _lines() -> list[str]:
    return [line.strip() for line in MANIFEST.read_text(encoding="utf-8").splitlines()]


def test_the_manifest_names_the_default_command_and_socket_mode() -> None:
    default = Settings.model_fields["slack_command"].default
    lines = _lines()
    assert f"- command: {default}" in lines
    assert "socket_mode_enabled: true" in lines
    assert {"- app_mention", "- message.im"} <= set(lines)


def test_the_manifest_grants_every_scope_the_code_needs() -> None:
    code = "\n".join(p.read_text(encoding="utf-8") for p in SOURCE.glob("*.py"))
    used = {m for m in SCOPES if re.search(rf"\.{m}\(", code)}
    assert used >= {"chat_postMessage", "chat_postEphemeral", "conversations_open"}
    granted = {line.removeprefix("- ") for line in _lines() if line.startswith("- ")}
    assert {SCOPES[m] for m in used} <= granted
    assert {"commands", "app_mentions:read", "im:history"} <= granted
