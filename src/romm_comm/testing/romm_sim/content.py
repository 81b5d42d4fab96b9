"""Deterministic file contents, generated in chunks so a multi-GiB file costs no memory."""

from __future__ import annotations

import random
import zlib
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from .known_games import cue_text, m3u_text
from .models import Firmware, Rom, RomFile

if TYPE_CHECKING:
    from .library import Library

PERIOD = 1 << 16  # content repeats every 64 KiB
_REPEAT = 5  # the cached buffer holds 5 periods, so any phase can yield 4 periods at once
CHUNK = PERIOD * (_REPEAT - 1)


class Source(Protocol):
    size: int

    def chunks(self, start: int, end: int) -> Iterator[bytes | memoryview]: ...

    def crc32(self) -> int: ...


@lru_cache(maxsize=128)
def _pattern(key: str) -> bytes:
    return random.Random(key).randbytes(PERIOD) * _REPEAT


class PatternSource:
    """Pseudo-random bytes with a 64 KiB period, keyed by e.g. "seed:file:42"."""

    def __init__(self, key: str, size: int) -> None:
        self.key = key
        self.size = size

    def chunks(self, start: int, end: int) -> Iterator[bytes | memoryview]:
        buf = memoryview(_pattern(self.key))
        pos, end = start, min(end, self.size)
        while pos < end:
            phase = pos % PERIOD
            n = min(end - pos, CHUNK)
            yield buf[phase : phase + n]
            pos += n

    def crc32(self) -> int:
        return _pattern_crc(self.key, self.size)


class BytesSource:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.size = len(data)

    def chunks(self, start: int, end: int) -> Iterator[bytes | memoryview]:
        if start < end:
            yield memoryview(self.data)[start:end]

    def crc32(self) -> int:
        return zlib.crc32(self.data)


class ConcatSource:
    """Several sources back to back (a zip: headers and file bodies)."""

    def __init__(self, parts: Sequence[Source]) -> None:
        self.parts = list(parts)
        self.size = sum(p.size for p in self.parts)

    def chunks(self, start: int, end: int) -> Iterator[bytes | memoryview]:
        offset = 0
        for part in self.parts:
            lo, hi = max(start, offset), min(end, offset + part.size)
            if lo < hi:
                yield from part.chunks(lo - offset, hi - offset)
            offset += part.size
            if offset >= end:
                break

    def crc32(self) -> int:
        crc = 0
        for part in self.parts:
            crc = crc32_combine(crc, part.crc32(), part.size)
        return crc


# --- CRC-32 of long periodic content without reading it: zlib's crc32_combine, in GF(2).


def _gf2_times(mat: list[int], vec: int) -> int:
    total = 0
    i = 0
    while vec:
        if vec & 1:
            total ^= mat[i]
        vec >>= 1
        i += 1
    return total


def _gf2_square(mat: list[int]) -> list[int]:
    return [_gf2_times(mat, mat[n]) for n in range(32)]


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """CRC-32 of A+B from crc(A), crc(B) and len(B)."""
    if len2 <= 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]  # one zero bit
    even = _gf2_square(odd)  # two zero bits
    odd = _gf2_square(even)  # four zero bits
    while True:
        even = _gf2_square(odd)
        if len2 & 1:
            crc1 = _gf2_times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = _gf2_square(even)
        if len2 & 1:
            crc1 = _gf2_times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


@lru_cache(maxsize=4096)
def _pattern_crc(key: str, size: int) -> int:
    block = _pattern(key)[:PERIOD]
    count, tail = divmod(size, PERIOD)
    result, base, base_len = 0, zlib.crc32(block), PERIOD
    while count:
        if count & 1:
            result = crc32_combine(result, base, base_len)
        count >>= 1
        if count:
            base = crc32_combine(base, base, base_len)
            base_len *= 2
    return crc32_combine(result, zlib.crc32(block[:tail]), tail) if tail else result


# --- which bytes a ROM file / firmware has


def _text_content(lib: Library, f: RomFile) -> bytes | None:
    """.cue and .m3u files carry real text when their size says so."""
    name = f.file_name
    data: bytes | None = None
    if name.lower().endswith(".cue"):
        data = cue_text(name[:-4] + ".bin").encode()
    elif name.lower().endswith(".m3u"):
        rom = lib.roms.get(f.rom_id)
        if rom is not None:
            discs = [
                g.file_name
                for g in rom.files
                if g.is_top_level and g.file_name.lower().endswith((".chd", ".cue", ".iso"))
            ]
            data = m3u_text(discs).encode()
    return data if data is not None and len(data) == f.size else None


def rom_file_source(lib: Library, f: RomFile) -> Source:
    text = _text_content(lib, f)
    if text is not None:
        return BytesSource(text)
    return PatternSource(f"{lib.seed}:file:{f.id}", f.size)


def firmware_source(lib: Library, fw: Firmware) -> Source:
    return PatternSource(f"{lib.seed}:firmware:{fw.id}", fw.size)


def generated_m3u(rom: Rom, files: Sequence[RomFile]) -> str | None:
    """RomM adds an .m3u listing the .cue files to a multi-disc zip that has none."""
    names = [f.file_name for f in files]
    if any(n.lower().endswith(".m3u") for n in names):
        return None
    cues = sorted(n for n in names if n.lower().endswith(".cue"))
    return m3u_text(cues) if len(cues) > 1 else None
