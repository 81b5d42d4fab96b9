"""Secrets configured in settings never reach a log line, even inside a traceback."""

from __future__ import annotations

import io
import logging

from pydantic import SecretStr

from romm_comm.app.logging_setup import RedactSecrets

SECRET = "rmm_" + "9f" * 32


def test_redaction_filter_scrubs_messages_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactSecrets([SecretStr(SECRET).get_secret_value()]))
    log = logging.getLogger("test.redact")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("header was %s", f"Bearer {SECRET}")
        try:
            raise ValueError(f"bad token {SECRET}")
        except ValueError:
            log.exception("failed")
    finally:
        log.removeHandler(handler)
    text = stream.getvalue()
    assert SECRET not in text
    assert "Bearer ***" in text
    assert "bad token ***" in text
