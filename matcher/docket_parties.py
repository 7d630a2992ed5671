"""Queue new IP cases for their full party list, and merge fetched lists into the cases."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date

from sqlite_utils import Database

from core.config import Config
from core.party_lists import (
    DocketParty,
    PartyListRequest,
    extracted_usdc_cases,
    fetched,
    mark,
    want,
)
from matcher.extract_rows import row_id, store_match
from matcher.ipcases import hides_defendants, ip_reason, is_new
from matcher.match import Matcher
from matcher.types import Evidence, Party, Role

# Said in every notice whose company was found only through a docket's party list.
SOURCE_ZH = {
    "pacer": "据PACER案卷当事人列表",
    "courtlistener": "据CourtListener（RECAP）案卷当事人列表",
}


@dataclass
class MergeResult:
    """What merging fetched party lists added."""

    cases: int = 0
    new_parties: int = 0
    levels: dict[str, int] = field(default_factory=dict)


def role_of(docket_role: str) -> Role:
    """The matcher's side of a docket role: counter-defendants answer a claim, so defend."""
    text = docket_role.lower()
    if "defendant" in text or "respondent" in text:
        return "defendant"
    if "plaintiff" in text or "claimant" in text or "petitioner" in text:
        return "plaintiff"
    return "other"


def queue_party_lists(db: Database, since: str) -> int:
    """Queue every new IP case extracted since `since` whose caption hides defendants."""
    queued = 0
    for c in extracted_usdc_cases(db, since):
        types = [t for line in (c["types"] or "").splitlines() for t in json.loads(line or "[]")]
        seen = date.fromisoformat((c["published"] or "1970-01-01")[:10])
        # The cheap docket-number test first: most of a day's cases were not opened today, and
        # the other two tests parse the caption.
        if not is_new(c["docket_number"], seen, types):
            continue
        caption = c["case_name"] or ""
        reason = ip_reason(types, caption)
        if reason and hides_defendants(caption):
            want(db, PartyListRequest(c["id"], c["court"], c["docket_number"],
                                      c["pacer_case_id"], caption, reason))  # fmt: skip
            queued += 1
    return queued


def _evidence(source: str, p: DocketParty) -> dict[str, Evidence]:
    said = f"; stated: {p.details}" if p.details else ""
    notes = {
        "party_list": Evidence(
            0.0,
            f"{SOURCE_ZH.get(source, source)} (not in the RSS caption; "
            f"role on the docket: {p.docket_role}{said})",
        )
    }
    if p.terminated:
        notes["terminated"] = Evidence(0.0, f"TERMINATED on the docket: {p.terminated}")
    return notes


def merge_party_lists(db: Database, cfg: Config, matcher: Matcher) -> MergeResult:
    """Add every fetched party to its case and match it, as caption parties are matched."""
    out = MergeResult()
    for row in fetched(db):
        cid, source = row["case_id"], row["source"]
        with db.atomic():
            for p in row["parties"]:
                role = role_of(p.docket_role)
                pid = row_id(cid, role, p.name)
                facts = {"docket_role": p.docket_role, "terminated": p.terminated,
                         "details": p.details}  # fmt: skip
                if db.execute("select 1 from parties where id = ?", [pid]).fetchone():
                    db.table("parties").update(pid, facts)  # the caption's party, now detailed
                    continue
                db.table("parties").insert(
                    {"id": pid, "case_id": cid, "role": role, "name": p.name,
                     "location": p.details, "source": f"{source}_docket", **facts}
                )  # fmt: skip
                out.new_parties += 1
                result = matcher.match(Party(p.name, role, p.details))
                if result.level == "none":
                    continue
                result = replace(
                    result, explanations={**result.explanations, **_evidence(source, p)}
                )
                store_match(db, cfg, cid, pid, result)
                if p.terminated:  # a dismissed party: an analyst decides, nothing is auto-sent
                    db.execute(
                        "update matches set status = 'pending' where party_id = ? "
                        "and status = 'auto'",
                        [pid],
                    )
                out.levels[result.level] = out.levels.get(result.level, 0) + 1
            mark(db, cid, "merged")
        out.cases += 1
    return out
