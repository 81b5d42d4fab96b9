"""Oversize URLs and headers from anyone: one WARNING line a minute, no traceback, no URL."""

from __future__ import annotations

import logging

import aiohttp
import pytest
from yarl import URL

from romm_comm.app.root import App


async def test_oversize_requests_log_one_warning_without_traceback(
    app: App, http: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    base = app.services.downloads.gateway_base
    secretish = "t0kenLike" * 1200
    for _ in range(3):
        async with http.get(URL(f"{base}/dl/{secretish}/x.bin", encoded=True)) as resp:
            assert resp.status >= 400
    async with http.get(f"{base}/health", headers={"X-Big": "b" * 20_000}) as resp:
        assert resp.status >= 400
    async with http.get(f"{base}/health") as resp:
        assert resp.status == 200  # the server goes on
    noisy = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in noisy] == [
        "web server: refused a request it could not read (LineTooLong, from 127.0.0.1)"
    ]
    assert all(r.exc_info is None for r in caplog.records if r.name.startswith("romm_comm.web"))
    assert secretish not in caplog.text
