"""Which kinds of docket entries each court's feed publishes, judged from stored events."""

from __future__ import annotations

from collections import defaultdict

from sqlite_utils import Database

from core.store import rows

# PACER lets each court choose the entry types its feed publishes (ILND: "order,order-cr,motion,
# cmp"); a feed without complaints never shows a new case, so the operator should know.
KINDS = (("cmp", "complaint"), ("answer", "answer"), ("motion", "motion"), ("order", "order"))


def kind_of(event_type: str) -> str:
    """PACER's category name for one event type: cmp, answer, motion, order or other."""
    text = event_type.lower()
    # The word that comes first names the entry: "Order on Motion …" is an order.
    found = [(text.find(word), kind) for kind, word in KINDS if word in text]
    return min(found)[1] if found else "other"


def published_types(db: Database) -> dict[str, str]:
    """Per source, the categories seen in its stored events, e.g. "cmp,motion,order (+other)"."""
    sql = """select e.source, j.value as type from events e, json_each(e.event_types) j
             where e.source like 'pacer_%' group by e.source, j.value"""
    seen: dict[str, set[str]] = defaultdict(set)
    count: dict[str, int] = defaultdict(int)
    for r in rows(db, sql):
        seen[r["source"]].add(kind_of(str(r["type"])))
        count[r["source"]] += 1
    out = {}
    for source, kinds in seen.items():
        named = [k for k, _ in KINDS if k in kinds]
        extra = " +other" if "other" in kinds else ""
        out[source] = f"{','.join(named) or '-'}{extra} ({count[source]} types)"
    return out
