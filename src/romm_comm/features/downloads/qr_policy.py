"""Whether a QR code of a game's download link can work, and why not.

Handheld installers fetch one file from a URL they read from a QR code: FBI (and FBI
Reloaded) on the 3DS installs `.cia` files; VitaShell on the PS Vita installs `.vpk` files.
Anything else (a bundle of several files, a `.3ds` cartridge dump, a Vita `.zip`) would
download something the device cannot install, so the bot refuses with the reason instead.
Pure: no I/O, no chat library; every front end may use it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...romm.models import Rom


@dataclass(frozen=True)
class Installer:
    device: str
    app: str
    extensions: frozenset[str]


FBI = Installer("3DS", "FBI", frozenset({".cia"}))
VITASHELL = Installer("PS Vita", "VitaShell", frozenset({".vpk"}))

# Platform slugs (RomM's slug and usual folder names) → the installer that reads QR codes.
INSTALLERS: dict[str, Installer] = {
    "3ds": FBI,
    "n3ds": FBI,
    "new-nintendo-3ds": FBI,
    "psvita": VITASHELL,
    "vita": VITASHELL,
    "ps-vita": VITASHELL,
}


@dataclass(frozen=True)
class QrDecision:
    ok: bool
    reason: str = ""  # one sentence for the person asking, when not ok
    installer: Installer | None = None
    file_name: str = ""


def installer_for(*slugs: str) -> Installer | None:
    """The installer for a platform given its slug(s), or None when no QR flow exists."""
    for slug in slugs:
        found = INSTALLERS.get(slug.strip().lower())
        if found is not None:
            return found
    return None


def extension_of(file_name: str) -> str:
    dot = file_name.rfind(".")
    return file_name[dot:].lower() if dot > 0 else ""


def decide(rom: Rom) -> QrDecision:
    installer = installer_for(rom.platform_slug, rom.platform_fs_slug)
    platform = rom.platform_display_name or rom.platform_slug or "this platform"
    if installer is None:
        return QrDecision(
            False,
            "QR codes only help on a 3DS (.cia files, with FBI) or a PS Vita (.vpk files, "
            f"with VitaShell); this is a {platform} game: use the download link instead.",
        )
    files = rom.files
    if rom.has_multiple_files or len(files) > 1:
        count = len(files) if files else "several"
        return QrDecision(
            False,
            f"This game is a bundle of {count} files; {installer.app} installs one "
            f"{_exts(installer)} file from a QR code. Download it on a computer instead.",
            installer,
        )
    name = files[0].file_name if files else rom.fs_name
    ext = extension_of(name) or (f".{rom.fs_extension.lower()}" if rom.fs_extension else "")
    if ext not in installer.extensions:
        shown = ext or "extension-less"
        return QrDecision(
            False,
            f"{installer.app} on the {installer.device} installs {_exts(installer)} files; "
            f"this game is a {shown} file, which it cannot install.",
            installer,
            name,
        )
    return QrDecision(True, installer=installer, file_name=name)


def _exts(installer: Installer) -> str:
    return "/".join(sorted(installer.extensions))
