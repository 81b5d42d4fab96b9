"""When a QR code of a download link can work on a handheld, and the reason when not."""

from __future__ import annotations

from typing import Any

from romm_comm.features.downloads.qr_policy import decide
from romm_comm.romm.models import Rom


def rom(**fields: Any) -> Rom:
    data: dict[str, Any] = {
        "id": 1,
        "fs_name": "Game (USA).cia",
        "platform_id": 3,
        "platform_slug": "3ds",
        "platform_display_name": "Nintendo 3DS",
    }
    data.update(fields)
    return Rom.model_validate(data)


def test_a_single_cia_on_the_3ds_works_with_fbi() -> None:
    decision = decide(rom(files=[{"id": 9, "file_name": "Game (USA).cia"}]))
    assert decision.ok and decision.installer is not None
    assert decision.installer.app == "FBI" and decision.file_name == "Game (USA).cia"


def test_a_vpk_on_the_vita_works_with_vitashell() -> None:
    decision = decide(rom(fs_name="Persona.vpk", platform_slug="psvita"))
    assert decision.ok and decision.installer is not None
    assert decision.installer.app == "VitaShell"


def test_a_multi_file_bundle_is_refused_with_the_reason() -> None:
    files = [{"id": i, "file_name": f"part{i}.cia"} for i in range(3)]
    decision = decide(rom(has_multiple_files=True, files=files))
    assert not decision.ok
    assert "bundle of 3 files" in decision.reason and "FBI" in decision.reason


def test_a_cartridge_dump_is_refused_because_fbi_cannot_install_it() -> None:
    decision = decide(rom(fs_name="Game (USA).3ds"))
    assert not decision.ok
    assert ".3ds file" in decision.reason and ".cia" in decision.reason


def test_other_platforms_are_refused_naming_the_platform() -> None:
    decision = decide(rom(fs_name="Mario.z64", platform_slug="n64", platform_display_name="N64"))
    assert not decision.ok and "N64 game" in decision.reason


def test_the_platform_folder_name_counts_too() -> None:
    decision = decide(rom(fs_name="x.vpk", platform_slug="custom", platform_fs_slug="vita"))
    assert decision.ok
