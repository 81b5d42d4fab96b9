"""A stored (uncompressed) zip laid out up front, so its size is known and ranges work.

Entries use the UTF-8 name flag; ZIP64 records are written when sizes or offsets need them
(or always, with `force_zip64`, so tests can check that path on small files).
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from .content import BytesSource, ConcatSource, Source

_MAX32 = 0xFFFFFFFF
_MAX16 = 0xFFFF


@dataclass(frozen=True)
class ZipEntry:
    name: str
    source: Source
    mtime: float


def _dos_time(ts: float) -> tuple[int, int]:
    dt = datetime.fromtimestamp(ts, UTC)
    if dt.year < 1980:
        dt = datetime(1980, 1, 1, tzinfo=UTC)
    return (
        (dt.hour << 11) | (dt.minute << 5) | (dt.second // 2),
        ((dt.year - 1980) << 9) | (dt.month << 5) | dt.day,
    )


def build_zip(
    entries: Sequence[ZipEntry], *, with_crc: bool = True, force_zip64: bool = False
) -> ConcatSource:
    """The whole archive as one source. `with_crc=False` gives the same size without
    computing CRCs (enough for HEAD)."""
    parts: list[Source] = []
    central: list[bytes] = []
    offset = 0
    for entry in entries:
        name = entry.name.encode()
        size = entry.source.size
        crc = entry.source.crc32() if with_crc else 0
        dos_time, dos_date = _dos_time(entry.mtime)
        big = force_zip64 or size >= _MAX32
        version = 45 if big else 20
        local_extra = struct.pack("<HHQQ", 1, 16, size, size) if big else b""
        local = struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, version, 0x0800, 0, dos_time, dos_date, crc,
            _MAX32 if big else size, _MAX32 if big else size, len(name), len(local_extra),
        ) + name + local_extra  # fmt: skip
        parts.append(BytesSource(local))
        parts.append(entry.source)
        far = force_zip64 or offset >= _MAX32
        fields = ([size, size] if big else []) + ([offset] if far else [])
        central_extra = (
            struct.pack(f"<HH{len(fields)}Q", 1, 8 * len(fields), *fields) if fields else b""
        )
        central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                45 if big or far else 20,
                45 if big or far else version,
                0x0800,
                0,
                dos_time,
                dos_date,
                crc,
                _MAX32 if big else size,
                _MAX32 if big else size,
                len(name),
                len(central_extra),
                0,
                0,
                0,
                0o100644 << 16,
                _MAX32 if far else offset,
            )
            + name
            + central_extra
        )
        offset += len(local) + size
    cd = b"".join(central)
    count = len(central)
    tail = b""
    if force_zip64 or offset >= _MAX32 or len(cd) >= _MAX32 or count >= _MAX16:
        zip64_eocd_offset = offset + len(cd)
        tail += struct.pack(
            "<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, len(cd), offset
        )
        tail += struct.pack("<IIQI", 0x07064B50, 0, zip64_eocd_offset, 1)
    tail += struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, min(count, _MAX16), min(count, _MAX16),
        min(len(cd), _MAX32), min(offset, _MAX32), 0,
    )  # fmt: skip
    parts.append(BytesSource(cd + tail))
    return ConcatSource(parts)
