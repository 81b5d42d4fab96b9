"""`python -m romm_comm.cli.healthcheck`: exit 0 when the bot's web server answers
`/health/live`.

The container image's HEALTHCHECK. It asks for liveness, not readiness: RomM being down or
Discord reconnecting is not cured by restarting the bot, and an orchestrator that restarts
unhealthy containers would otherwise do just that (`/health/ready` says what is wrong). It
reads the same settings as the bot (WEB_PORT, WEB_HOST) and asks over loopback unless the
server listens on one address only.
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request

from ..app.settings import SettingsError, load_settings

WILDCARDS = {"0.0.0.0", "::", ""}


def health_url(host: str, port: int) -> str:
    if host in WILDCARDS:
        host = "127.0.0.1" if host != "::" else "::1"
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/health/live"


def main() -> int:
    try:
        settings = load_settings()
    except SettingsError:
        print("unhealthy: the settings are invalid (see the bot's log)")
        return 1
    if not settings.web_enabled:
        print("WEB_ENABLED=false: no web server to ask; reporting healthy")
        return 0
    url = health_url(settings.web_host, settings.web_port)
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - our own http URL
            status = int(answer.status)
    except (urllib.error.URLError, OSError) as exc:
        print(f"unhealthy: {url} did not answer ({exc})")
        return 1
    print(f"{'healthy' if status == 200 else 'unhealthy'}: {url} answered {status}")
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
