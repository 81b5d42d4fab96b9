"""`romm-comm check` (the real command, in its own process) lists every setting but never
prints the notification URLs, the metrics token or the webhook's URL and secret: it says
only whether each is set. Log lines at DEBUG are scrubbed of them too."""

from __future__ import annotations

from pathlib import Path

from romm_comm.testing.romm_sim import RommSimulator
from tests.helpers.processes import run_romm_comm, sim_env

NOTIFY_TOKEN = "ntfy-token-5f1e2d3c4b"
METRICS = "metrics-token-a1b2c3d4e5"
HOOK_TOKEN = "hook-path-token-99aa88bb"
HOOK_SECRET = "hook-secret-77cc66dd55"


async def test_check_never_prints_notification_or_metrics_secrets(
    sim: RommSimulator, tmp_path: Path
) -> None:
    assert sim.admin_token is not None
    env = sim_env(
        sim,
        tmp_path / "d",
        LOG_LEVEL="DEBUG",
        NOTIFY_URLS=f"ntfy://{NOTIFY_TOKEN}@ntfy.example.org/topic,json://127.0.0.1:9/{NOTIFY_TOKEN}",
        METRICS_TOKEN=METRICS,
        WEBHOOK_URL=f"https://hooks.example.org/{HOOK_TOKEN}?key={HOOK_TOKEN}",
        WEBHOOK_SECRET=HOOK_SECRET,
    )
    _, stdout, stderr = await run_romm_comm("check", env=env, cwd=tmp_path)
    text = stdout + stderr
    assert "Effective settings" in text, text
    for name in ("NOTIFY_URLS", "METRICS_TOKEN", "WEBHOOK_URL", "WEBHOOK_SECRET"):
        (line,) = [ln for ln in text.splitlines() if ln.strip().startswith(f"{name} = ")]
        assert line.split(" = ", 1)[1] == "•••••• (set)", line
    for secret in (NOTIFY_TOKEN, METRICS, HOOK_TOKEN, HOOK_SECRET, "hooks.example.org"):
        assert secret not in text
