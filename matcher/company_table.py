"""Registry companies packed in one UTF-8 buffer: a million rows without a million objects.

A Company with its typed names is a dozen Python objects, about 1.4 KB at a million companies.
Here each company is one run of UTF-8 bytes in a buffer, found by a flat offsets array, and
becomes a Company again only when it is read. Flat buffers also mean that forked match workers
share their pages: nothing in them carries a reference count to write.

What the matcher's index reads (ids, names, places, groups) is kept in one buffer and the rest
(industry, products, contacts) in another, so the index's version is a digest of the first
buffer alone, taken in one C-level pass (see matcher/index_store.py).
"""

from __future__ import annotations

import hashlib
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import overload

import numpy as np

from matcher.keytable import key_hash, key_hashes
from matcher.types import Company, CompanyName, NameKind

# Fields between the separator; names follow as (text, kind code) pairs.
FIELD, _FIELDS = "\x1f", 7
KINDS: tuple[NameKind, ...] = (
    "legal_zh", "legal_en", "former", "variant", "brand", "licensed", "group", "config",
)  # fmt: skip
_CODE = {kind: str(i) for i, kind in enumerate(KINDS)}
_KIND = {code: kind for kind, code in _CODE.items()}
_BRAND = _CODE["brand"]
# The flat buffers a table is made of, with their item formats.
ARRAYS = {
    "blob": "B", "offsets": "Q", "more": "B", "more_offsets": "Q", "id_hashes": "Q", "id_rows": "I",
}  # fmt: skip


def group_head(parent_group: str) -> str:
    """The group's short name: "TCL (TCL Electronics Holdings Ltd / …)" → "TCL"."""
    return parent_group.split("(", 1)[0].strip().rstrip("?").strip()


def _pack(company: Company) -> tuple[str, str] | None:
    """The company as two strings (what the index reads, the rest), or None when a field
    holds the separator itself."""
    fields = _indexed_fields(company)
    indexed = FIELD.join(fields)
    rest = FIELD.join((company.industry, company.products, company.contact_email))
    if indexed.count(FIELD) != len(fields) - 1 or rest.count(FIELD) != 2:
        return None
    return indexed, rest


def _indexed_fields(company: Company) -> list[str]:
    fields = [
        company.id, company.name_zh, company.name_en, company.district, company.parent_group,
        company.address, str(len(company.names)),
    ]  # fmt: skip
    for name in company.names:
        fields += (name.text, _CODE[name.kind])
    return fields


def _unpack(indexed: str, rest: str) -> Company:
    f = indexed.split(FIELD)
    names = tuple(CompanyName(f[i], _KIND[f[i + 1]]) for i in range(_FIELDS, len(f), 2))
    industry, products, contact = rest.split(FIELD)
    return Company(f[0], f[1], f[2], names, f[3], industry, products, f[4], contact, f[5])


class CompanyTable(Sequence[Company]):
    """Companies in registry order, each rebuilt from the buffer when it is read."""

    def __init__(self, companies: Iterable[Company]) -> None:
        blob, offsets = bytearray(), array("Q", [0])
        more, more_offsets = bytearray(), array("Q", [0])
        self._odd: dict[int, Company] = {}  # rows whose text holds the separator (kept whole)
        ids: list[bytes] = []
        for row, company in enumerate(companies):
            packed = _pack(company)
            if packed is None:
                self._odd[row] = company
            else:
                blob += packed[0].encode()
                more += packed[1].encode()
            offsets.append(len(blob))
            more_offsets.append(len(more))
            ids.append(company.id.encode())
        # Kept as built: a copy to bytes would hold the registry twice for a moment.
        self._blob: bytes | bytearray = blob
        self._more: bytes | bytearray = more
        self._offsets: array[int] | memoryview = offsets
        self._more_offsets: array[int] | memoryview = more_offsets
        # Ids by hash, sorted (a stable sort: of equal ids the first row comes first).
        hashes = np.fromiter(key_hashes(ids), dtype=np.uint64, count=len(ids))
        del ids
        order = np.argsort(hashes, kind="stable")
        # As memoryviews: bisect reads them without a numpy call per look-up.
        self._id_hashes = memoryview(hashes[order].tobytes()).cast("Q")
        self._id_rows = memoryview(order.astype(np.uint32).tobytes()).cast("I")
        self.by_id: Mapping[str, Company] = _ById(self)
        self._digests: dict[str, bytes] = {}

    def arrays(self) -> dict[str, memoryview]:
        """The table's flat buffers as bytes, for storing (see matcher/registry_snapshot.py)."""
        return {
            name: memoryview(getattr(self, f"_{name}")).cast("B")  # type: ignore[arg-type]
            for name in ARRAYS
        }

    def odd_rows(self) -> dict[int, Company]:
        """The rows kept whole because their text holds the separator."""
        return dict(self._odd)

    @classmethod
    def restored(cls, arrays: Mapping[str, bytes], odd: dict[int, Company]) -> CompanyTable:
        """A table from stored buffers (the bytes of `arrays()`, read back) and odd rows."""
        table = cls.__new__(cls)
        table._blob, table._more = arrays["blob"], arrays["more"]
        for name, fmt in ARRAYS.items():
            if fmt != "B":  # used in place: no copy of a million rows' offsets
                view = memoryview(arrays[name]).cast(fmt)  # type: ignore[call-overload]
                setattr(table, f"_{name}", view)
        table._odd = odd
        table.by_id = _ById(table)
        table._digests = {}
        return table

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, row: int) -> Company: ...
    @overload
    def __getitem__(self, row: slice) -> list[Company]: ...
    def __getitem__(self, row: int | slice) -> Company | list[Company]:
        if isinstance(row, slice):
            return [self[i] for i in range(*row.indices(len(self)))]
        if row < 0:
            row += len(self)
        if not 0 <= row < len(self):
            raise IndexError("company row out of range")
        odd = self._odd.get(row) if self._odd else None
        if odd is not None:
            return odd
        indexed = self._blob[self._offsets[row] : self._offsets[row + 1]].decode()
        rest = self._more[self._more_offsets[row] : self._more_offsets[row + 1]].decode()
        return _unpack(indexed, rest)

    def indexed(self, row: int) -> IndexedRow:
        """What the index reads of the company at `row`, straight from the buffer: the many
        candidates of a day's parties need no Company built."""
        odd = self._odd.get(row) if self._odd else None
        if odd is not None:
            return IndexedRow(_indexed_fields(odd))
        fields = self._blob[self._offsets[row] : self._offsets[row + 1]].decode().split(FIELD)
        return IndexedRow(fields)

    def __iter__(self) -> Iterator[Company]:
        for row in range(len(self)):
            yield self[row]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CompanyTable):
            return self.digest() == other.digest()
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"CompanyTable({len(self)} companies)"

    def row_of(self, company_id: str) -> int | None:
        """The row of the company with this id (the first one), or None."""
        h = key_hash(company_id)
        hashes = self._id_hashes
        at = bisect_left(hashes, h)
        while at < len(hashes) and hashes[at] == h:
            row = self._id_rows[at]
            if self._id_of(row) == company_id:
                return row
            at += 1
        return None

    def _id_of(self, row: int) -> str:
        odd = self._odd.get(row) if self._odd else None
        if odd is not None:
            return odd.id
        start = self._offsets[row]
        end = self._blob.find(FIELD.encode(), start, self._offsets[row + 1])
        return self._blob[start:end].decode()

    def digest(self) -> bytes:
        """A digest of every field of every company (both buffers), in one pass each; taken
        once (a table never changes), as the index key and the mirror both ask for it."""
        found = self._digests.get("all")
        if found is None:
            digest = hashlib.sha256(self.indexed_digest())
            digest.update(self._more)
            digest.update(memoryview(self._more_offsets).cast("B"))
            for row, company in sorted(self._odd.items(), key=lambda item: item[0]):
                digest.update(repr((row, company)).encode())
            found = self._digests["all"] = digest.digest()
        return found

    def indexed_digest(self) -> bytes:
        """A digest of what the index reads of every company (not industry, products or
        contacts), read from the buffer in one pass; taken once."""
        found = self._digests.get("indexed")
        if found is None:
            digest = hashlib.sha256(self._blob)
            digest.update(memoryview(self._offsets).cast("B"))
            for row, company in sorted(self._odd.items(), key=lambda item: item[0]):
                digest.update(repr((row, _indexed_fields(company))).encode())
            found = self._digests["indexed"] = digest.digest()
        return found


class IndexedRow:
    """A company's id, Chinese name, places, group and names, as the index reads them."""

    __slots__ = ("_fields",)

    def __init__(self, fields: list[str]) -> None:
        self._fields = fields

    @property
    def id(self) -> str:
        """The company's registry id."""
        return self._fields[0]

    @property
    def name_zh(self) -> str:
        """Its Chinese legal name."""
        return self._fields[1]

    @property
    def place(self) -> str:
        """Its registered address, else its district (where its Chinese name is read)."""
        return self._fields[5] or self._fields[3]

    @property
    def group_head(self) -> str:
        """Its parent group's short name, "" when none."""
        return group_head(self._fields[4])

    def name(self, pos: int) -> tuple[str, NameKind]:
        """Its name at `pos` among its names: (text, kind)."""
        at = _FIELDS + 2 * pos
        return self._fields[at], _KIND[self._fields[at + 1]]

    def names(self) -> list[tuple[str, NameKind]]:
        """Its names, each as (text, kind), in order."""
        f = self._fields
        return [(f[at], _KIND[f[at + 1]]) for at in range(_FIELDS, len(f), 2)]

    def own_group(self) -> str:
        """A company without a parent group is its own group, named by its short name: its
        first Latin brand, else its English, else its Chinese name."""
        fields = self._fields
        for at in range(_FIELDS, len(fields), 2):
            if fields[at + 1] == _BRAND and fields[at].isascii():
                return fields[at]
        return fields[2] or fields[1]


class _ById(Mapping[str, Company]):
    """The table's companies by id, read on demand."""

    def __init__(self, table: CompanyTable) -> None:
        self._table = table

    def __getitem__(self, company_id: str) -> Company:
        row = self._table.row_of(company_id)
        if row is None:
            raise KeyError(company_id)
        return self._table[row]

    def __iter__(self) -> Iterator[str]:
        table = self._table
        for row in range(len(table)):
            company_id = table._id_of(row)
            if table.row_of(company_id) == row:  # an id repeated later is the first one's
                yield company_id

    def __len__(self) -> int:
        return sum(1 for _ in self)
