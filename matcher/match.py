"""The matcher: built once per run from config, registry and analyst decisions; matches parties."""

from __future__ import annotations

import fnmatch
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from core.config import Config, Matching
from matcher.algorithm import LOCAL_SCORE, Scored, score, upper_bound
from matcher.features import Candidate, huizhou_words
from matcher.index import ENTITY_KINDS, Hit, Index, NameEntry
from matcher.index_store import load_or_build
from matcher.match_rank import KIND_RANK, RELATION_RANK, _describe, _namesake, _rank, _tied
from matcher.normalize import NormName, canonical, parse_location, parse_name
from matcher.parties import AltName, alternative_names
from matcher.products import ProductAdvisory, ProductIndex
from matcher.registry import Registry, group_of
from matcher.types import Evidence, MatchResult, Party

if TYPE_CHECKING:
    from sqlite_utils import Database

    from matcher.textscan import TextScanner

# Distinct parties whose verdicts are kept for the rest of the run.
RESULT_CACHE = 100_000


def _pattern(text: str) -> str:
    """A config exclusion pattern in canonical form, keeping its '*' wildcards."""
    return "*".join(canonical(part) for part in text.split("*"))


class Matcher:
    """Ties parties to registry companies through the index and explains every verdict."""

    def __init__(
        self,
        registry: Registry,
        matching: Matching,
        dismissed: set[tuple[str, str]] | None = None,
        variants: list[tuple[str, str]] | None = None,
        index_dir: Path | None = None,
    ) -> None:
        self.registry = registry
        self.matching = matching
        self.thresholds = matching.thresholds
        self.stop_words = frozenset(canonical(w) for w in matching.stop_words)
        if index_dir is None:
            self.index = Index(registry, self.stop_words)
        else:
            # Built once per registry version and settings; analysts' variants are added below.
            self.index = load_or_build(registry, self.stop_words, index_dir)
        self.companies = registry.table.by_id
        self._results: dict[Party, MatchResult] = {}
        self.dismissed = dismissed or set()
        self.exclusions = [
            (target, _pattern(p)) for target, pats in matching.exclusions.items() for p in pats
        ]
        for company_id, text in variants or []:
            company = self.companies.get(company_id)
            if company:
                group = self.index.groups.get(group_of(company), "")
                norm = parse_name(text, self.stop_words)
                self.index.add(NameEntry(company_id, group, text, "config", norm, False))

    @cached_property
    def scanner(self) -> TextScanner:
        """The spaCy PhraseMatcher over registry names, built on first use."""
        from matcher.textscan import TextScanner

        return TextScanner(self.registry)

    @cached_property
    def products(self) -> ProductIndex:
        """Product words of every registered exporter."""
        return ProductIndex(self.registry)

    def _excluded(self, canon: str, entry: NameEntry) -> str:
        targets = {entry.company_id, entry.group}
        if (canon, entry.company_id or entry.group) in self.dismissed:
            return f"an analyst dismissed '{canon}' for {entry.company_id or entry.group}"
        for target, pattern in self.exclusions:
            if (target in targets or target.lower() == entry.group.lower()) and fnmatch.fnmatchcase(
                canon, pattern
            ):
                return f"config.yaml matching.exclusions {target}: '{pattern}'"
        return ""

    def _hits(self, alt: AltName, location: str) -> tuple[list[Hit], NormName]:
        norm = parse_name(alt.text, self.stop_words)
        if not norm.tokens:
            return [], norm
        index = self.index
        hits = index.exact(norm) + index.contained(norm)
        if not any(_settles(h, norm) for h in hits):
            hits += index.fuzzy(norm) + index.by_pinyin(norm) + index.derived(norm, location)
        return hits, norm

    def candidates(
        self, party: Party, prune: bool = True
    ) -> tuple[list[tuple[Scored, Candidate]], list[str]]:
        """Scored candidates for a party, best first, and why any candidate was excluded.

        Hits are scored in order of the best score they could reach; with `prune`, scoring
        stops once no remaining hit can beat the best or the runner-up (keeps matching fast).
        """
        location = parse_location(party.location, self.stop_words)
        screen = bool(self.dismissed or self.exclusions)
        canon = canonical(party.raw) if screen else ""
        pending: list[tuple[float, tuple[int, int, str], int, AltName, NormName, Hit]] = []
        for alt in alternative_names(party.raw):
            hits, norm = self._hits(alt, party.location)
            relation = RELATION_RANK[alt.relation]
            for hit in hits:
                tie = (KIND_RANK.get(hit.entry.kind, 3), relation, hit.entry.company_id)
                pending.append((-upper_bound(hit, alt.relation), tie, len(pending), alt, norm, hit))
        # Among equal bounds the preferred kind of name comes first, so pruning keeps tie-breaks.
        pending.sort(key=lambda p: p[:3])
        scored: list[tuple[Scored, Candidate]] = []
        excluded: list[str] = []
        best_id, best, runner = "", -1.0, -1.0
        leader: tuple[Scored, Candidate] | None = None
        for neg_bound, _, _, alt, norm, hit in pending:
            if prune and (-neg_bound <= runner or -neg_bound < self.thresholds.review):
                break
            why = self._excluded(canon, hit.entry) if screen else ""
            if why:
                excluded.append(why)
                continue
            ident = hit.entry.company_id or hit.entry.group
            if prune and leader and ident == best_id:
                if _outranked(-neg_bound, hit, alt, leader, self.thresholds.entity):
                    continue  # another name of the leading company that cannot rank above it
            cand = Candidate(party, alt, norm, location, hit)
            result = score(cand, self.thresholds)
            scored.append((result, cand))
            if result.score > best:
                if ident != best_id:
                    runner = max(runner, best)
                best_id, best, leader = ident, result.score, (result, cand)
            elif ident != best_id:
                runner = max(runner, result.score)
        scored.sort(key=_rank)
        return scored, sorted(set(excluded))

    def match(self, party: Party) -> MatchResult:
        """The best registry company for a party, with its level, score and evidence.

        A day names the same parties many times ("Does 1-10", large retailers); the verdict
        depends on the party alone, so each distinct party is matched once per run.
        """
        cached = self._results.get(party)
        if cached is None:
            cached = self._match(party)
            self.remember(party, cached)
        return cached

    def known(self, party: Party) -> MatchResult | None:
        """The verdict already reached for this party in this run, if any."""
        return self._results.get(party)

    def remember(self, party: Party, result: MatchResult) -> None:
        """Keep a verdict reached for this matcher elsewhere (a forked worker) as this run's."""
        if len(self._results) >= RESULT_CACHE:
            self._results.clear()
        self._results[party] = result

    def _match(self, party: Party) -> MatchResult:
        scored, excluded = self.candidates(party)
        notes = {"excluded": Evidence(0.0, "; ".join(excluded))} if excluded else {}
        if not scored or scored[0][0].level == "none":
            return self._fallback(party, notes)
        best, cand = scored[0]
        entry = cand.hit.entry
        ident = entry.company_id or entry.group
        runner = next(
            ((s, c) for s, c in scored if (c.hit.entry.company_id or c.hit.entry.group) != ident),
            None,
        )
        level, tied = best.level, _tied(scored, best, ident)
        if level == "entity" and entry.kind == "derived" and runner and _namesake(runner, best):
            # Another registered firm spells the same: a derived name cannot tell them apart.
            notes["namesake"] = Evidence(
                0.0, f"another registered firm also fits: {_describe(runner)}; an analyst decides"
            )
            level = "review"
        if tied:
            # Two firms equally likely (e.g. differing only by a district the party omits):
            # an analyst decides; the lower id never wins silently.
            notes["tie"] = Evidence(
                0.0, f"tie: scores equal for {', '.join([ident, *tied])}; an analyst must choose"
            )
            level = "review" if level in ("entity", "group") else level
        return MatchResult(
            party=party,
            level=level,
            score=round(best.score, 4),
            company_id=entry.company_id,
            group=entry.group,
            matched_name=entry.text,
            matched_kind=entry.kind,
            explanations={**best.explanations, **notes},
            runner_up=_describe(runner) if runner else "",
            derived=entry.kind == "derived",
            tied=tuple(tied),
        )

    def _fallback(self, party: Party, notes: dict[str, Evidence]) -> MatchResult:
        """Local when the party says Huizhou but no registry name fits, else none."""
        loc = parse_location(party.location, self.stop_words)
        for alt in alternative_names(party.raw) or (AltName(party.raw, "primary"),):
            norm = parse_name(alt.text, self.stop_words)
            if not (norm.hz_places or loc.hz_places):
                continue  # no Huizhou word: not local (the common case, decided here)
            hit = Hit(NameEntry("", "", "", "", norm, False), "none")
            ev = huizhou_words(Candidate(party, alt, norm, loc, hit))
            if ev.score > 0:
                ev = Evidence(
                    ev.score, ev.detail + "; no registry name fits: unregistered Huizhou company"
                )
                return MatchResult(
                    party, "local", LOCAL_SCORE, explanations={"huizhou_words": ev, **notes}
                )
        return MatchResult(party, "none", 0.0, explanations=notes)

    def scan_text(self, text: str) -> list[Party]:
        """Registry names and Huizhou company mentions found in free text."""
        return self.scanner.scan(text)

    def product_advisories(self, scope: str, named_ids: set[str]) -> list[ProductAdvisory]:
        """Registered exporters not named whose products overlap an ITC product scope."""
        return self.products.advisories(scope, named_ids)


def _outranked(
    bound: float, hit: Hit, alt: AltName, leader: tuple[Scored, Candidate], entity: float
) -> bool:
    """True when another name of the leading company cannot rank above the leader's name
    (see match_rank._rank): not a registered name behind a derived one, not a possible entity
    behind a non-entity, and no higher score or, at equal score, no stronger kind of name."""
    best, cand = leader
    if hit.entry.kind != "derived" and cand.hit.entry.kind == "derived":
        return False
    if best.level != "entity" and bound >= entity:
        return False
    if bound != best.score:
        return bound < best.score
    mine = (KIND_RANK.get(hit.entry.kind, 3), RELATION_RANK[alt.relation])
    theirs = (KIND_RANK.get(cand.hit.entry.kind, 3), RELATION_RANK[cand.alt.relation])
    return mine >= theirs


def _settles(hit: Hit, norm: NormName) -> bool:
    """An exact registered name, or one covering most party words, makes fuzzy lookup moot."""
    if hit.entry.kind not in ENTITY_KINDS:
        return False
    # "TCL Corp." inside a misspelled "TCL Mobile Comunication" must not hide the fuzzy hit.
    return hit.how == "exact" or 2 * len(hit.entry.norm.tokens) > len(norm.tokens)


def load_decisions(db: Database) -> tuple[set[tuple[str, str]], list[tuple[str, str]]]:
    """Analyst dismissals (party, company) and confirmed variants (company, name) from the db."""
    if "decisions" not in db.table_names():
        return set(), []
    dismissed, variants = set(), []
    for row in db.query("select action, party_norm, company_id, variant from decisions"):
        if row["action"] == "dismiss":
            dismissed.add((row["party_norm"], row["company_id"]))
        elif row["variant"]:
            variants.append((row["company_id"], row["variant"]))
    return dismissed, variants


def build_matcher(cfg: Config, db: Database | None = None) -> Matcher:
    """Load the registry and analyst decisions and build the index, once per run.

    With a database the registry is read from it (the configured file is imported when it is
    new or changed) and confirmed spellings are names there; without one, from the file alone.
    """
    from matcher.registry_db import load_db_registry, registry_from_file

    # Built once per registry version and matching settings, then loaded by later cycles.
    index_dir = Path(cfg.path(cfg.database)).parent / "matcher-index"
    if db is None:
        registry = registry_from_file(cfg.path(cfg.registry), cfg.matching)
        return Matcher(registry, cfg.matching, None, None, index_dir)
    registry = load_db_registry(db, cfg, snapshots=index_dir)
    dismissed, _ = load_decisions(db)
    return Matcher(registry, cfg.matching, dismissed, None, index_dir)
