"""A fixed-size Bloom filter: remembers which ids a streamed file holds in constant memory.

The FollowTheMoney loader must tell a reference to a record it chose not to load (a
Person, a Vessel) from a reference to an id the file lacks (a malformed file), without
keeping every id of a multi-gigabyte export. A Bloom filter never says "absent" for an
id it was given; a rare false "present" only turns a malformed reference into a skipped
link, never the other way round.
"""

from __future__ import annotations

import hashlib

DEFAULT_BITS = 1 << 27  # 16 MiB: about 1.4% false positives at 14 million keys
HASHES = 4


class Bloom:
    """Set membership with no false negatives, in ``bits / 8`` bytes."""

    def __init__(self, bits: int = DEFAULT_BITS, hashes: int = HASHES) -> None:
        self.bits = bits
        self.hashes = hashes
        self.array = bytearray(bits // 8 + 1)

    def _positions(self, key: str) -> list[int]:
        digest = hashlib.blake2b(key.encode("utf-8"), digest_size=16).digest()
        first = int.from_bytes(digest[:8], "little")
        step = int.from_bytes(digest[8:], "little") | 1
        return [(first + i * step) % self.bits for i in range(self.hashes)]

    def add(self, key: str) -> None:
        """Remember ``key``."""
        for pos in self._positions(key):
            self.array[pos >> 3] |= 1 << (pos & 7)

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        return all(self.array[pos >> 3] & (1 << (pos & 7)) for pos in self._positions(key))
