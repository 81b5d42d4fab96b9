"""One line per event on stderr, with every configured secret scrubbed as a last defence."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable

from pydantic import SecretStr

from ..common.url_userinfo import mask_userinfo

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = mask_userinfo(message)
        for secret in self.secrets:
            cleaned = cleaned.replace(secret, "***")
        if cleaned != message or record.exc_info:
            if record.exc_info:
                text = logging.Formatter().formatException(record.exc_info)
                for secret in self.secrets:
                    text = text.replace(secret, "***")
                cleaned = f"{cleaned}\n{text}"
                record.exc_info = None
                record.exc_text = None
            record.msg, record.args = cleaned, None
        return True


def setup_logging(level: str, secrets: Iterable[SecretStr | None], *, quiet: bool = False) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactSecrets(s.get_secret_value() for s in secrets if s is not None))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    effective = "WARNING" if quiet and level == "INFO" else level
    root.setLevel(effective)
    # Libraries are chatty at INFO (connection details) and log request bodies and SQL
    # parameters at DEBUG (DMs with passwords, invite links): keep them at WARNING.
    for name in ("aiohttp.access", "discord", "asyncio", "aiosqlite", "slack_sdk", "slack_bolt"):
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
