"""/scan from chat at the wire: what is sent to RomM, what the admin and the channel see."""

from __future__ import annotations

import itertools

import pytest

from romm_comm.testing.romm_sim import RommSimulator
from tests.features.scans.conftest import (
    Apps,
    admin,
    fields_of,
    finished,
    rest_calls,
    scan,
    text_of,
)
from tests.helpers.waiting import eventually


async def test_platform_scan_shows_progress_then_a_summary(sim: RommSimulator, apps: Apps) -> None:
    n64 = sim.library.platform_by_slug("n64")
    assert n64 is not None
    sim.scans.stage_roms("n64", ["Banjo-Kazooie", "Blast Corps", "Pilotwings 64"])
    sim.scans.stage_roms("psx", ["Not Scanned (other platform)"])
    sim.scans.pace = 0.15
    app, seen = await apps.make()
    sim.reset_calls()

    reply = await scan(app, "platform", "Nintendo 64")

    assert reply.tone == "success" and "Quick scan of Nintendo 64 started" in reply.text
    sent = sim.scans.requests[-1]
    assert sent["type"] == "quick" and sent["platforms"] == [n64.id]
    message = await finished(seen)
    assert len(seen.on("scans")) == 1, "one progress message, edited in place"
    progress = [v for v in message.versions[:-1] if v.cards[0].title.startswith("🔎")]
    assert progress, "progress was shown while the scan ran"
    assert "Now scanning Nintendo 64" in text_of(progress[-1])
    summary = message.last
    assert summary.cards[0].title == "✅ Scan finished"
    fields = fields_of(summary)
    assert fields["ROMs"] == "3 scanned, 3 added"
    assert fields["Metadata matched"] == "3 of 3 ROMs (100%)"
    assert fields["New ROMs by platform"] == "Nintendo 64: +3"
    assert "started by boss" in text_of(summary)
    gaps = [b - a for a, b in itertools.pairwise(message.edited_at)]
    assert all(gap >= 0.15 for gap in gaps), f"edits at most once per interval: {gaps}"
    recent = await eventually(lambda: seen.on("recent_roms"), what="the recently added post")
    assert len(recent) == 1
    post = recent[0].last
    assert post.cards[0].title == "🆕 3 new games"
    assert post.picker is not None
    assert sorted(c.label for c in post.picker.choices) == [
        "Banjo-Kazooie", "Blast Corps", "Pilotwings 64",
    ]  # fmt: skip
    assert post.attachments and post.attachments[0].data.startswith(b"\x89PNG")
    assert post.cards[0].image_url == f"attachment://{post.attachments[0].filename}"
    covers = [c for c in sim.calls if c.path.startswith("/assets/romm/resources/roms/")]
    assert len(covers) == 3 and all(c.status == 200 for c in covers), "real covers in the grid"
    api = rest_calls(sim)
    assert api == [
        "/api/heartbeat",  # which metadata sources are enabled, to start the scan
        "/api/stats", "/api/platforms", "/api/users",  # fresh numbers after the scan
        "/api/roms",  # the one query for recently added
    ], api  # fmt: skip
    names = {r.name for r in sim.library.roms.values()}
    assert {"Banjo-Kazooie", "Blast Corps", "Pilotwings 64"} <= names
    assert "Not Scanned (other platform)" not in names


async def test_scan_uses_the_metadata_sources_romm_has_enabled(
    sim: RommSimulator, apps: Apps
) -> None:
    sim.scans.set_metadata_sources(
        IGDB_API_ENABLED=False, SS_API_ENABLED=False, MOBY_API_ENABLED=True,
        HASHEOUS_API_ENABLED=True, PLAYMATCH_API_ENABLED=True,
    )  # fmt: skip
    app, seen = await apps.make()
    await scan(app, "full")
    await finished(seen)
    sent = sim.scans.requests[-1]
    assert sent["apis"] == ["moby", "hasheous", "libretro", "playmatch"]
    assert sent["playmatch_enabled"] is True and sent["launchbox_remote_enabled"] is False
    assert sent["type"] == "complete" and sent["platforms"] == []


NAMES_5 = {
    "unmatched": "unmatched", "update": "update", "unidentified": "unmatched",
    "partial": "update", "hashes": "hashes", "new_platforms": "new_platforms",
}  # fmt: skip
NAMES_4_3 = {
    "unmatched": "unidentified", "update": "partial", "unidentified": "unidentified",
    "partial": "partial",
}  # fmt: skip


@pytest.mark.parametrize(
    ("sim_version", "expected"),
    [("5.2.0", NAMES_5), ("4.3.0", NAMES_4_3)],
    indirect=["sim_version"],
)
async def test_every_scan_type_goes_out_with_the_versions_name(
    sim: RommSimulator, apps: Apps, expected: dict[str, str]
) -> None:
    unidentified = sum(1 for r in sim.library.roms.values() if not r.is_identified)
    app, seen = await apps.make(scan_progress_interval=0.05)
    for count, (action, romm_type) in enumerate(expected.items(), start=1):
        reply = await scan(app, action)
        assert reply.tone == "success", (action, reply.text)
        assert sim.scans.requests[-1]["type"] == romm_type, action
        summary = (await finished(seen, count)).last
        assert summary.cards[0].title == "✅ Scan finished", action
    first = fields_of(seen.on("scans")[0].last)  # unmatched: every unidentified game
    live = sim.library.personality.at_least(4, 4)
    assert first["ROMs"] == f"{unidentified} scanned" + (", 0 added" if live else "")
    assert ("Metadata matched" in first) == live, "no invented numbers for RomM 4.3"
    listing = text_of(await scan(app, "summary"))
    assert "Earlier scans" in listing
    assert "· Scan of unmatched games of all platforms ·" in listing


async def test_refresh_right_after_a_scan_tells_what_the_scan_changed(
    sim: RommSimulator, apps: Apps
) -> None:
    app, seen = await apps.make()
    await app.registry.run(admin(app), "refresh", {})
    before = app.services.stats.current
    assert before is not None
    sim.scans.stage_roms("n64", 2)
    await scan(app, "platform", "n64")
    await finished(seen)
    await eventually(
        lambda: (s := app.services.stats.current) is not None and s.roms == before.roms + 2,
        what="the after-scan refresh",
    )

    reply = await app.registry.run(admin(app), "refresh", {})

    assert reply.text.startswith(
        f"Refreshed since the last /refresh: roms {before.roms} → {before.roms + 2}, storage_bytes"
    )
    again = await app.registry.run(admin(app), "refresh", {})
    assert again.text == "Refreshed: nothing changed."


async def test_a_platform_alone_means_a_quick_scan_of_it(sim: RommSimulator, apps: Apps) -> None:
    from romm_comm.core.text_input import parse_command_line

    app, seen = await apps.make()
    for count, line in enumerate(("/scan platform n64", '/scan platform:"Nintendo 64"'), 1):
        parsed = parse_command_line(line, app.registry)
        assert not isinstance(parsed, str), parsed
        name, options = parsed
        reply = await app.registry.run(admin(app), name, options)
        assert reply.tone != "error", reply.text
        assert "Quick scan of Nintendo 64" in text_of(reply)
        await finished(seen, count)
    nothing = await app.registry.run(admin(app), "scan", {})
    assert nothing.tone == "error" and "What should the scan do?" in nothing.text
