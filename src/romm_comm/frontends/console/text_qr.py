"""QR codes drawn with characters, two modules per line, for a terminal to show and a phone to
scan (light modules are drawn, dark ones left blank: right for the usual dark terminal)."""

from __future__ import annotations

import io

import qrcode  # type: ignore[import-untyped]
from qrcode.constants import ERROR_CORRECT_M  # type: ignore[import-untyped]


def text_qr(data: str) -> str:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=2)
    code.add_data(data)
    code.make(fit=True)
    out = io.StringIO()
    code.print_ascii(out=out, invert=True)
    return out.getvalue().rstrip("\n")
