"""How scored candidates are ranked, tied, told apart from namesakes and described."""

from __future__ import annotations

from matcher.algorithm import Scored
from matcher.features import Candidate
from matcher.features_zh import read

# Ties go to the stronger kind of name, then to the party's own name over its aliases.
KIND_RANK = {"legal_en": 0, "legal_zh": 0, "former": 1, "variant": 1, "config": 1, "group": 2}
RELATION_RANK = {"primary": 0, "former": 1, "aka": 1, "dba": 2}


def _namesake(item: tuple[Scored, Candidate], best: Scored) -> bool:
    """The runner-up is another derived name as good, or as good but for a place not named."""
    s, c = item
    if c.hit.how != "derived" or c.hit.entry.zh is None:
        return False
    if s.level == "entity":
        return round(s.score, 4) >= round(best.score, 4)
    r = read(c.alt.text, c.party.location, c.hit.entry.zh)
    return (
        r.trade_state == "exact"
        and r.place_state == "missing"
        and r.industry_state in ("agree", "vacuous")
    )


def _tied(scored: list[tuple[Scored, Candidate]], best: Scored, ident: str) -> list[str]:
    """Other companies scored exactly as high as the best at the same level.

    At group level the group is the identity: two members of one group are no tie.
    """
    tied: list[str] = []
    group = scored[0][1].hit.entry.group
    for s, c in scored[1:]:
        if round(s.score, 6) != round(best.score, 6) or s.level != best.level:
            continue
        if best.level == "group" and c.hit.entry.group == group:
            continue
        other = c.hit.entry.company_id or c.hit.entry.group
        if other != ident and other not in tied:
            tied.append(other)
    return tied


def _rank(item: tuple[Scored, Candidate]) -> tuple:
    s, c = item
    entity = 0 if s.level == "entity" else 1
    # A registered name outranks a name derived from Chinese: an analyst checked the first.
    return (
        entity,
        c.hit.entry.kind == "derived",
        -round(s.score, 6),
        KIND_RANK.get(c.hit.entry.kind, 3),
        RELATION_RANK[c.alt.relation],
        c.hit.entry.company_id,
    )


def _describe(item: tuple[Scored, Candidate]) -> str:
    s, c = item
    e = c.hit.entry
    who = f"{e.company_id} " if e.company_id else ""
    return f"{who}'{e.text}' ({e.kind}, group {e.group or '-'}): {s.level} {s.score:.2f}"
