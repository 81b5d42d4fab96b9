"""The shipped Slack app manifest matches what the code uses."""

from __future__ import annotations

import re
from pathlib import Path

from romm_comm.app.settings import Settings
from romm_comm.frontends.slack.manifest import DEFAULT_COMMAND, SCOPES, render_manifest

ROOT = Path(__file__).parents[3]
MANIFEST = ROOT / "deploy" / "slack-app-manifest.yaml"
SOURCE = ROOT / "src" / "romm_comm" / "frontends" / "slack"
# Web API method → the bot scope Slack asks for it.
NEEDS = {
    "chat_postMessage": "chat:write",
    "chat_postEphemeral": "chat:write",
    "chat_update": "chat:write",
    "conversations_open": "im:write",
    "files_upload_v2": "files:write",
    "conversations_list": "channels:read",
    "users_info": "users:read",
}


def test_the_shipped_manifest_is_current_and_names_the_default_command() -> None:
    text = MANIFEST.read_text(encoding="utf-8")
    assert text == render_manifest(), "regenerate: python -m romm_comm.frontends.slack.manifest"
    assert Settings.model_fields["slack_command"].default == DEFAULT_COMMAND
    lines = [line.strip() for line in text.splitlines()]
    assert f"- command: {DEFAULT_COMMAND}" in lines
    assert "socket_mode_enabled: true" in lines
    assert {"- app_mention", "- message.im"} <= set(lines)


def test_the_manifest_grants_every_scope_the_code_needs() -> None:
    code = "\n".join(p.read_text(encoding="utf-8") for p in SOURCE.glob("*.py"))
    used = {m for m in NEEDS if re.search(rf"\.{m}\(", code)}
    assert used >= {"chat_postMessage", "chat_postEphemeral", "conversations_open"}
    assert {NEEDS[m] for m in used} <= set(SCOPES)
    granted = {line.strip().removeprefix("- ") for line in render_manifest().splitlines()}
    assert set(SCOPES) <= granted
