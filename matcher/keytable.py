"""A compact multimap from text keys to name numbers: hashed keys in flat arrays, not objects.

A registry of a million companies has some twenty million lookup keys (identity keys, words,
pinyin, derived trade-name keys and their one-letter-off forms). As Python strings in dicts
they take gigabytes and minutes to load; here each key is a 56-bit number and its names a run
of 32-bit numbers, in four flat arrays that numpy sorts at build time and that a later cycle
maps from the stored file without reading it (see matcher/index_store.py).

Layout: `hashes` (sorted, distinct), `starts` (where each hash's names begin in `refs`),
`refs` (name numbers in the order they were added) and `buckets` (a directory from a hash's
top bits to its first position, so a lookup reads a few array cells instead of a binary search).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from typing import Any

# A prime below 2**56, so a hash times 256 plus a byte still fits in 64 bits (see key_hashes),
# and far from any power of two: near one, names one letter apart at both ends would collide.
MODULUS = 44534042259385951
# Then multiplied by an odd constant modulo 2**64 (one-to-one), so the top bits, which pick
# a key's bucket, are spread evenly even for short keys of similar letters.
MIX = 0x9E3779B97F4A7C15
MASK = (1 << 64) - 1
HASH_BITS = 64
# The stored arrays and their item formats.
ARRAYS = {"hashes": "Q", "starts": "I", "refs": "i", "buckets": "I"}
# Keys whose answers are remembered between look-ups (then the memory starts again).
SEEN = 100_000


def key_hash(key: str) -> int:
    """The key's UTF-8 bytes read as a little-endian number, modulo a 56-bit prime, mixed."""
    return (int.from_bytes(key.encode(), "little") % MODULUS * MIX) & MASK


class KeyTableBuilder:
    """Collects (key, name number, limit kind) triples, then freezes them into a KeyTable."""

    def __init__(self) -> None:
        self.hashes = array("Q")
        self.refs = array("i")
        self.kinds = array("B")
        self._keys: list[bytes] = []
        self._refs: list[int] = []
        self._kinds: list[int] = []

    def add(self, keys: list[str], ref: int, kind: int) -> None:
        """Remember that each of `keys` leads to name number `ref` (kind: its posting limit)."""
        self._keys += [k.encode() for k in keys]
        self._refs += [ref] * len(keys)
        self._kinds += [kind] * len(keys)
        if len(self._keys) >= 500_000:
            self.flush()

    def flush(self) -> None:
        """Hash the keys added since the last flush into the flat columns."""
        if self._keys:
            self.hashes.extend(key_hashes(self._keys))
            self.refs.extend(self._refs)
            self.kinds.extend(self._kinds)
            self._keys, self._refs, self._kinds = [], [], []

    def extend(self, later: KeyTableBuilder) -> None:
        """Take in the keys of another builder, as if added after this one's."""
        self.flush()
        later.flush()
        self.hashes.extend(later.hashes)
        self.refs.extend(later.refs)
        self.kinds.extend(later.kinds)

    def freeze(self, limits: Sequence[int], single: Sequence[int] = ()) -> KeyTable:
        """The table, keeping only keys with at most `limits[kind]` names (rarer is evidence).

        Keys of a kind in `single` keep only their first name: only their presence counts.
        The keys are sorted in PARTS ranges of hashes, one after the other, so that the
        sort's working memory is that of one range, not of the twenty million keys at once.
        """
        import numpy as np

        self.flush()
        hashes = np.frombuffer(self.hashes, dtype=np.uint64)
        refs = np.frombuffer(self.refs, dtype=np.int32)
        kinds = np.frombuffer(self.kinds, dtype=np.uint8)
        limit_of = np.asarray(limits, dtype=np.int64)
        once_kinds = np.asarray(single, dtype=np.uint8)
        found: list[tuple[Any, Any, Any]] = []
        for part in range(PARTS):
            low = np.uint64(part << (HASH_BITS - PART_BITS))
            inside = hashes >= low
            if part + 1 < PARTS:
                inside &= hashes < np.uint64((part + 1) << (HASH_BITS - PART_BITS))
            rows = np.flatnonzero(inside)  # in the order added
            del inside
            found.append(_sorted_part(hashes[rows], refs[rows], kinds[rows], limit_of, once_kinds))
        del hashes, refs, kinds
        self.hashes, self.refs, self.kinds = array("Q"), array("i"), array("B")
        unique = np.concatenate([part[0] for part in found])
        counts = np.concatenate([part[1] for part in found])
        names = np.concatenate([part[2] for part in found])
        del found
        starts = np.r_[0, np.cumsum(counts)].astype(np.uint32)
        return KeyTable.from_arrays(unique, starts, names)


_EDGES = 1 << 20
# Hash ranges sorted one after the other when a table is frozen (the top PART_BITS bits).
PART_BITS = 3
PARTS = 1 << PART_BITS


def _sorted_part(hashes: Any, refs: Any, kinds: Any, limit_of: Any, once_kinds: Any) -> tuple:
    """One hash range's distinct keys, their name counts and their names, sorted by hash."""
    import numpy as np

    # Stable: names under one key keep the order they were added (registry order).
    order = np.argsort(hashes, kind="stable")
    hashes, refs, kinds = hashes[order], refs[order], kinds[order]
    del order
    if len(hashes):
        first = np.flatnonzero(np.r_[True, hashes[1:] != hashes[:-1]])
    else:
        first = np.zeros(0, dtype=np.int64)
    key_kinds = kinds[first]
    counts = np.diff(first, append=len(hashes))
    keep = counts <= limit_of[key_kinds]
    unique = hashes[first[keep]]
    names = np.repeat(keep, counts)
    if len(once_kinds):
        once = np.isin(key_kinds, once_kinds)
        later = np.ones(len(hashes), dtype=bool)
        later[first] = False  # every name after its key's first
        names &= ~(np.repeat(once, counts) & later)
        counts = np.where(once, np.minimum(counts, 1), counts)
    return unique, counts[keep].astype(np.uint32), refs[names]


def _view(data: Any, fmt: str) -> memoryview:
    """A flat numpy array as a memoryview of Python ints (indexing it costs no numpy call)."""
    return memoryview(data).cast("B").cast(fmt)  # type: ignore[call-overload]


def key_hashes(keys: list[bytes]) -> Iterable[int]:
    """key_hash of many keys at once: Horner's rule over byte columns, last byte first."""
    import numpy as np

    if not keys:
        return ()
    table = np.array(keys, dtype=bytes)
    width = table.dtype.itemsize
    columns = table.view(np.uint8).reshape(len(keys), width)
    h = np.zeros(len(keys), dtype=np.uint64)
    base, modulus = np.uint64(256), np.uint64(MODULUS)
    for j in range(width - 1, -1, -1):
        # Trailing padding bytes are zero and add nothing, as in the little-endian number.
        h = (h * base + columns[:, j]) % modulus
    return (h * np.uint64(MIX)).tolist()  # wraps modulo 2**64, as MASK does


class KeyTable:
    """Frozen key → name numbers lookup over four flat arrays (numpy or memoryviews)."""

    def __init__(
        self,
        hashes: Sequence[int],
        starts: Sequence[int],
        refs: Sequence[int],
        buckets: Sequence[int],
        shift: int,
    ) -> None:
        self.hashes, self.starts, self.refs, self.buckets = hashes, starts, refs, buckets
        self.shift = shift
        # Words like "electronics" or "co" are looked up for most parties: remember answers.
        self._seen: dict[str, tuple[int, ...]] = {}

    def arrays(self) -> dict[str, memoryview]:
        """The four arrays by name, as bytes to store (see matcher/index_store.py)."""
        return {
            name: memoryview(getattr(self, name)).cast("B")  # type: ignore[arg-type]
            for name in ARRAYS
        }

    @classmethod
    def from_arrays(cls, hashes, starts, refs) -> KeyTable:  # type: ignore[no-untyped-def]
        """Build the bucket directory over sorted distinct hashes and wrap the arrays."""
        import numpy as np

        bits = max(1, int(len(hashes)).bit_length())
        shift = max(0, HASH_BITS - bits)
        buckets = np.empty((1 << bits) + 1, dtype=np.uint32)
        buckets[-1] = len(hashes)
        # In steps of a million buckets: the edges of all 2**25 at once would take 0.5 GB.
        for start in range(0, 1 << bits, _EDGES):
            stop = min(1 << bits, start + _EDGES)
            edges = np.arange(start, stop, dtype=np.uint64) << np.uint64(shift)
            buckets[start:stop] = np.searchsorted(hashes, edges)
        return cls(
            _view(np.ascontiguousarray(hashes, dtype=np.uint64), "Q"),
            _view(np.ascontiguousarray(starts, dtype=np.uint32), "I"),
            _view(np.ascontiguousarray(refs, dtype=np.int32), "i"),
            _view(buckets, "I"),
            shift,
        )

    def __len__(self) -> int:
        return len(self.hashes)

    def get(self, key: str) -> Sequence[int]:
        """Name numbers stored under `key`, in the order they were added; () when none."""
        cache = self._seen
        found = cache.get(key)
        if found is None:
            if len(cache) >= SEEN:
                cache.clear()
            found = cache[key] = self._find(key_hash(key))
        return found

    def _find(self, h: int) -> tuple[int, ...]:
        b = h >> self.shift
        hashes = self.hashes
        i, end = self.buckets[b], self.buckets[b + 1]
        while i < end:
            found = hashes[i]
            if found == h:
                return tuple(self.refs[self.starts[i] : self.starts[i + 1]])
            if found > h:
                break
            i += 1
        return ()
