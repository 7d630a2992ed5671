"""Compare two registry files before one replaces the other: added, removed, changed."""

from __future__ import annotations

from dataclasses import dataclass, field

from matcher.registry import Registry
from matcher.types import Company

COMPARED = ("name_zh", "name_en", "district", "industry", "products", "parent_group",
            "contact_email")  # fmt: skip


@dataclass(frozen=True)
class RegistryDiff:
    """What importing a registry file would change."""

    added: list[Company] = field(default_factory=list)
    removed: list[Company] = field(default_factory=list)
    changed: list[tuple[str, str, str, str]] = field(default_factory=list)  # id, field, old, new
    errors: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """True when the import changes nothing."""
        return not (self.added or self.removed or self.changed)


def _names(c: Company) -> str:
    return "; ".join(sorted(n.text for n in c.names))


def diff_registries(old: Registry, new: Registry) -> RegistryDiff:
    """Companies added, removed and fields changed (names compared as one sorted list)."""
    before = {c.id: c for c in old.companies}
    after = {c.id: c for c in new.companies}
    changed = []
    for cid in sorted(set(before) & set(after)):
        a, b = before[cid], after[cid]
        for name in COMPARED:
            if getattr(a, name) != getattr(b, name):
                changed.append((cid, name, str(getattr(a, name)), str(getattr(b, name))))
        if _names(a) != _names(b):
            changed.append((cid, "names", _names(a), _names(b)))
    return RegistryDiff(
        added=[after[i] for i in sorted(set(after) - set(before))],
        removed=[before[i] for i in sorted(set(before) - set(after))],
        changed=changed,
        errors=new.errors,
    )
