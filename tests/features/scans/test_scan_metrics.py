"""A scan that ends is counted in /metrics by type and outcome, and so is the command."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from romm_comm.app.root import App
from romm_comm.testing.romm_sim import RommSimulator
from tests.features.scans.conftest import Apps, eventually, finished, scan


def scans_counted(app: App) -> dict[tuple[str, str], float]:
    text = app.metrics.render().decode()
    return {
        (s.labels["type"], s.labels["outcome"]): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == "romm_comm_scans_total"
    }


async def test_a_finished_scan_is_counted(sim: RommSimulator, apps: Apps) -> None:
    sim.scans.stage_roms("n64", ["Banjo-Kazooie"])
    app, seen = await apps.make()
    reply = await scan(app, "platform", "Nintendo 64")
    assert reply.tone == "success"
    await finished(seen)
    counted = await eventually(lambda: scans_counted(app), what="the scan in the metrics")
    assert counted == {("quick scan", "finished"): 1.0}
