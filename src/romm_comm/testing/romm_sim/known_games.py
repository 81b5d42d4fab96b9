"""The hand-made core of the library: well-known games and deliberately tricky names.

Present whatever the seed (when the library has at least 20 ROMs), so tests can rely on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from .catalog import KB, MB
from .models import GameMeta


def _ms(day: str) -> int:
    return int(datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp() * 1000)


@dataclass(frozen=True)
class CoreGame:
    platform: str  # platform slug
    fs_name: str
    size: int  # single-file size (ignored when `files` is given)
    files: tuple[tuple[str, int, str | None], ...] = ()  # (path in folder, size, category)
    name: str | None = None  # metadata name; None = unidentified
    igdb_id: int | None = None
    meta: GameMeta | None = None


def split(text: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in text.split(",") if x.strip())


def _meta(
    genres: str,
    companies: str,
    release: str,
    rating: float,
    summary: str,
    *,
    franchises: str = "",
    modes: str = "Single player",
    players: str = "1",
    age: str = "E",
    alt: tuple[str, ...] = (),
    cover: str = "",
    youtube: str | None = None,
) -> GameMeta:
    return GameMeta(
        genres=split(genres),
        franchises=split(franchises),
        companies=split(companies),
        game_modes=split(modes),
        age_ratings=(age,),
        player_count=players,
        release_ms=_ms(release),
        rating=rating,
        summary=summary,
        alternative_names=alt,
        youtube_video_id=youtube,
        cover_image_id=cover or None,
    )


def _cue(bin_name: str) -> int:
    return len(cue_text(bin_name).encode())


def cue_text(bin_name: str) -> str:
    return f'FILE "{bin_name}" BINARY\r\n  TRACK 01 MODE2/2352\r\n    INDEX 01 00:00:00\r\n'


def m3u_text(entries: list[str]) -> str:
    return "".join(f"{e}\n" for e in entries)


_FF7 = "Final Fantasy VII (USA)"
_FF8 = "Final Fantasy VIII (USA)"
_FF8_DISCS = [f"{_FF8} (Disc {n}).chd" for n in (1, 2, 3, 4)]
_BOTW = "The Legend of Zelda - Breath of the Wild [01007EF00011E000]"

CORE_GAMES: tuple[CoreGame, ...] = (
    CoreGame("n64", "Super Mario 64 (USA).z64", 8 * MB, name="Super Mario 64", igdb_id=1074,
             meta=_meta("Platform, Adventure", "Nintendo EAD, Nintendo", "1996-06-23", 91.6,
                        "Mario is invited to Princess Peach's castle, only to find that Bowser "
                        "has stolen the Power Stars and trapped everyone inside the paintings. "
                        "The first 3D Mario adventure, with free roaming across 15 worlds.",
                        franchises="Super Mario", cover="co721v", youtube="9ckBZc2XoGI",
                        alt=("Super Mario 64 (Shindou Edition)", "スーパーマリオ64"))),
    CoreGame("psx", _FF7, 0, files=tuple(
        x for n, size in ((1, 722_534_400), (2, 728_006_400), (3, 717_398_016))
        for x in ((f"{_FF7} (Disc {n}).bin", size, "game"),
                  (f"{_FF7} (Disc {n}).cue", _cue(f"{_FF7} (Disc {n}).bin"), "game"))),
             name="Final Fantasy VII", igdb_id=427,
             meta=_meta("Role-playing (RPG), Turn-based strategy (TBS)", "Square, Sony",
                        "1997-01-31", 92.4,
                        "Cloud Strife, a mercenary and former member of SOLDIER, joins the "
                        "eco-terrorist group AVALANCHE to fight the Shinra Electric Power "
                        "Company, which is draining the planet's life force.",
                        franchises="Final Fantasy", age="T", cover="co1qxr")),
    CoreGame("psx", _FF8, 0, files=(
        *((d, s, "game") for d, s in zip(_FF8_DISCS, (512_884_736, 498_417_664, 505_675_776,
                                                    371_195_904), strict=True)),
        (f"{_FF8}.m3u", len(m3u_text(_FF8_DISCS).encode()), "game")),
             name="Final Fantasy VIII", igdb_id=428,
             meta=_meta("Role-playing (RPG)", "Square, Square Electronic Arts", "1999-02-11", 83.9,
                        "Squall Leonhart, a student at the military academy Balamb Garden, is "
                        "drawn into a conflict with the sorceress Edea that spans time itself.",
                        franchises="Final Fantasy", age="T", cover="co1qxs")),
    CoreGame("snes", "The Legend of Zelda - A Link to the Past (USA).sfc", 1 * MB,
             name="The Legend of Zelda: A Link to the Past", igdb_id=1026,
             meta=_meta("Adventure, Role-playing (RPG)", "Nintendo EAD, Nintendo", "1991-11-21",
                        93.2,
                        "Link sets out to rescue Princess Zelda and the seven maidens from the "
                        "wizard Agahnim, travelling between the Light World and the Dark World.",
                        franchises="The Legend of Zelda", cover="co3vzn",
                        alt=("Zelda no Densetsu: Kamigami no Triforce",))),
    CoreGame("snes", "Chrono Trigger (USA)", 0, files=(
        ("Chrono Trigger (USA).sfc", 4 * MB, "game"),
        ("Chrono Trigger (USA) (Retranslation).ips", 184_320, "game"),
        ("manual/Chrono Trigger (USA).pdf", 2_411_724, "manual")),
             name="Chrono Trigger", igdb_id=20,
             meta=_meta("Role-playing (RPG), Adventure", "Square", "1995-03-11", 94.1,
                        "Crono and his friends travel through time to prevent the global "
                        "catastrophe caused by the parasitic creature Lavos.",
                        franchises="Chrono", age="T", cover="co54iw")),
    CoreGame("gba", "Pokemon - Emerald Version (USA, Europe).gba", 16 * MB,
             name="Pokémon Emerald Version", igdb_id=1517,
             meta=_meta("Role-playing (RPG), Turn-based strategy (TBS)", "Game Freak, Nintendo",
                        "2004-09-16", 85.0,
                        "An enhanced version of Pokémon Ruby and Sapphire set in the Hoenn "
                        "region, adding the Battle Frontier.",
                        franchises="Pokémon", modes="Single player, Multiplayer", players="1-2",
                        cover="co1zhp", alt=("Pokemon Emerald",))),
    CoreGame("gba", 'The "Quoted" Game.gba', 4 * MB),
    CoreGame("nds", "Pokémon Ranger (Europe).nds", 64 * MB, name="Pokémon Ranger",
             igdb_id=2340,
             meta=_meta("Role-playing (RPG), Adventure", "HAL Laboratory, Nintendo", "2006-03-23",
                        72.5,
                        "As a Pokémon Ranger you capture wild Pokémon with the Capture Styler "
                        "by drawing loops around them on the touch screen.",
                        franchises="Pokémon", cover="co2f5u", alt=("Pokemon Ranger",))),
    CoreGame("nds", "100% Orange Juice.nds", 32 * MB),
    CoreGame("gb", "Tom & Jerry (USA).gb", 128 * KB, name="Tom & Jerry", igdb_id=8732,
             meta=_meta("Platform", "Hi Tech Expressions", "1992-03-01", 41.0,
                        "Tom chases Jerry through the house and beyond in this side-scrolling "
                        "platformer.", franchises="Tom and Jerry", cover="co4z0k")),
    CoreGame("gb", "Tetris (World) (Rev 1).gb", 32 * KB, name="Tetris", igdb_id=2998,
             meta=_meta("Puzzle", "Bullet-Proof Software, Nintendo", "1989-06-14", 84.0,
                        "Rotate and drop falling tetrominoes to clear lines in the puzzle game "
                        "that shipped with the Game Boy.",
                        franchises="Tetris", modes="Single player, Multiplayer", players="1-2",
                        cover="co2ufr")),
    CoreGame("gbc", "Link's Awakening DX (USA).gbc", 1 * MB,
             name="The Legend of Zelda: Link's Awakening DX", igdb_id=1028,
             meta=_meta("Adventure, Role-playing (RPG)", "Nintendo EAD, Nintendo", "1998-12-12",
                        88.7,
                        "Shipwrecked on Koholint Island, Link must collect the eight Instruments "
                        "of the Sirens to wake the Wind Fish.",
                        franchises="The Legend of Zelda", cover="co3p2d")),
    CoreGame("gbc", "Pipe | Dream.gbc", 256 * KB),
    # braces, brackets, a printf pattern, a format field and a semicolon in one name
    CoreGame("nes", "C# Quest {Europe} [!] (%s, {0}; Rev 1).nes", 128 * KB),
    CoreGame("nes", "Dr. Mario + Tetris (USA).nes", 256 * KB),
    CoreGame("nes", "ドラゴンクエスト (Japan).nes", 64 * KB, name="ドラゴンクエスト", igdb_id=1229,
             meta=_meta("Role-playing (RPG)", "Chunsoft, Enix", "1986-05-27", 70.2,
                        "A descendant of the legendary hero Erdrick sets out to defeat the "
                        "Dragonlord and restore the Ball of Light to Alefgard.",
                        franchises="Dragon Quest", cover="co5p4q",
                        alt=("Dragon Quest", "Dragon Warrior"))),
    CoreGame("3ds", "Animal Crossing - New Leaf (USA).cia", 1_186_725_888,
             name="Animal Crossing: New Leaf", igdb_id=2618,
             meta=_meta("Simulator", "Nintendo EAD, Nintendo", "2012-11-08", 87.3,
                        "You become the mayor of a village of animals: build public works, set "
                        "ordinances and fill your house and museum.",
                        franchises="Animal Crossing", modes="Single player, Multiplayer",
                        players="1-4", cover="co2nxd")),
    CoreGame("psvita", "Persona 4 Golden (USA).vpk", 3_019_898_880, name="Persona 4 Golden",
             igdb_id=1937,
             meta=_meta("Role-playing (RPG), Turn-based strategy (TBS)", "Atlus", "2012-06-14",
                        93.0,
                        "A high-school student spends a year in rural Inaba, investigating a "
                        "string of murders tied to a mysterious TV world.",
                        franchises="Persona", age="M", cover="co2ov9")),
    CoreGame("switch", "Celeste [01002B30028F6000][v0].nsp", 1_254_096_896, name="Celeste",
             igdb_id=26226,
             meta=_meta("Platform, Indie", "Maddy Makes Games", "2018-01-25", 91.8,
                        "Help Madeline survive her inner demons on her journey to the top of "
                        "Celeste Mountain in this tight precision platformer.",
                        cover="co3byy")),
    CoreGame("switch", _BOTW, 0, files=(
        (f"{_BOTW}[v0].nsp", 14_387_036_160, "game"),
        ("update/The Legend of Zelda - Breath of the Wild [01007EF00011E800][v786432].nsp",
         2_254_857_830, "update"),
        ("dlc/The Legend of Zelda - Breath of the Wild [01007EF00011F001][v0].nsp",
         1_288_490_189, "dlc")),
             name="The Legend of Zelda: Breath of the Wild", igdb_id=7346,
             meta=_meta("Adventure, Role-playing (RPG)", "Nintendo EPD, Nintendo", "2017-03-03",
                        96.4,
                        "Link awakens after a hundred years of slumber to free Hyrule from "
                        "Calamity Ganon in an open world of mountains, ruins and shrines.",
                        franchises="The Legend of Zelda", age="E10+", cover="co3p2c")),
)  # fmt: skip


@dataclass(frozen=True)
class CoreFirmware:
    platform: str
    file_name: str
    size: int
    verified: bool
    hashes: tuple[str, str, str] | None = None  # crc, md5, sha1 (None = derived)


CORE_FIRMWARE: tuple[CoreFirmware, ...] = (
    CoreFirmware("psx", "scph1001.bin", 512 * KB, True,
                 ("37157331", "924e392ed05558ffdb115408c263dccf",
                  "10155d8d6e6e832d6ea66db9bc098321fb5e8ebf")),
    CoreFirmware("psx", "scph5501.bin", 512 * KB, True),
    CoreFirmware("psx", "scph7001.bin", 512 * KB, True),
    CoreFirmware("gba", "gba_bios.bin", 16 * KB, True),
    CoreFirmware("nds", "bios7.bin", 16 * KB, True),
    CoreFirmware("nds", "bios9.bin", 4 * KB, True),
    CoreFirmware("nds", "firmware.bin", 256 * KB, False),
    CoreFirmware("dc", "dc_boot.bin", 2 * MB, True),
    CoreFirmware("dc", "dc_flash.bin", 128 * KB, True),
    CoreFirmware("ps2", "SCPH-70012_BIOS_V12_USA_200.BIN", 4 * MB, True),
    CoreFirmware("segacd", "bios_CD_U.bin", 128 * KB, True),
    CoreFirmware("3ds", "aes_keys.txt", 1 * KB, False),
    CoreFirmware("switch", "prod.keys", 9 * KB, False),
)  # fmt: skip

BIG_FILE_NAME = "Big Test Disc (World).iso"
