"""How many downloads may stream at once: per person and in total (each holds a RomM
connection and a socket); beyond that a download is turned away with a time to retry."""

from __future__ import annotations

from collections import Counter


class StreamSlots:
    """`take(person)` claims a slot (False when the person or the gateway is at its cap);
    `give_back(person)` frees it."""

    def __init__(self, total: int, per_person: int) -> None:
        self.total = total
        self.per_person = per_person
        self._open: Counter[str] = Counter()

    @property
    def in_use(self) -> int:
        return self._open.total()

    def take(self, person: str) -> bool:
        if self.in_use >= self.total or self._open[person] >= self.per_person:
            return False
        self._open[person] += 1
        return True

    def give_back(self, person: str) -> None:
        self._open[person] -= 1
        if self._open[person] <= 0:
            del self._open[person]
