"""The webhook's signature, as a receiver checks it.

Each POST carries `X-RomM-ComM-Timestamp: <unix seconds>` and
`X-RomM-ComM-Signature: sha256=<hex>`, the HMAC-SHA256 with WEBHOOK_SECRET of
`<timestamp>.<raw body>` (the timestamp, a dot, the body's bytes as sent). Signing the
timestamp with the body means neither can be changed alone; a receiver refuses a timestamp
more than a few minutes from its own clock (and may remember each `id` it took) to stop replays.
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE = "X-RomM-ComM-Signature"
TIMESTAMP = "X-RomM-ComM-Timestamp"
TOLERANCE = 300  # seconds a receiver should accept between the timestamp and its clock


def signature(secret: bytes, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret, str(timestamp).encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(
    secret: bytes, timestamp: str, body: bytes, given: str, now: float, tolerance: int = TOLERANCE
) -> bool:
    """What a receiver does: the signature matches and the timestamp is recent."""
    if not timestamp.isdigit() or abs(now - int(timestamp)) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, int(timestamp), body), given)
