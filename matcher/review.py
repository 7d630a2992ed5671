"""Analyst decisions on matches: confirm or dismiss, and a confirmed spelling learnt safely."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from core import audit
from core.registry_store import (
    VARIANT_KINDS,
    RegistryStoreError,
    StoredName,
    add_name,
    remove_name,
)
from core.review_store import get_match, record_decision
from core.store import now_iso
from matcher.learn import name_problem
from matcher.normalize import canonical
from matcher.registry import Registry


class ReviewError(Exception):
    """A decision that cannot be made (unknown match, unsafe name, wrong kind)."""


@dataclass(frozen=True)
class Decision:
    """What an analyst decided on one match, and the name it taught the registry, if any."""

    match_id: str
    party: str
    target: str
    status: str
    by: str
    at: str
    matched_name: str
    name: StoredName | None = None


def decide(
    db: Database,
    registry: Registry | None,
    match_id: str,
    action: str,
    *,
    by: str,
    reason: str,
    variant_kind: str = "",
) -> Decision:
    """Confirm or dismiss a match; with `variant_kind` the party string becomes a typed name."""
    match = get_match(db, match_id)
    if match is None:
        raise ReviewError(f"no match {match_id!r} 没有此匹配 (see `ipwatch review` for ids)")
    status = "confirmed" if action == "confirm" else "dismissed"
    company = registry.company(match["company_id"] or "") if registry else None
    if variant_kind:
        if variant_kind not in VARIANT_KINDS:
            raise ReviewError(f"名称类型 kind must be one of {', '.join(VARIANT_KINDS)}")
        if company is None or registry is None:
            raise ReviewError(
                f"{match_id} 是集团级匹配或企业已不在登记表 matches no registered company; "
                "a group-level spelling cannot become a company's name"
            )
        problem = name_problem(registry, company, match["party"])
        if problem:
            raise ReviewError(f"拒绝添加名称 refused to add {match['party']!r}: {problem}")
    when = now_iso()
    name = None
    with db.atomic():
        record_decision(
            db,
            match,
            action=action,
            status=status,
            by=by,
            reason=reason,
            at=when,
            party_norm=canonical(match["party"]),
            variant=match["party"] if variant_kind else "",
        )
        if variant_kind and company is not None:
            try:
                name = add_name(
                    db,
                    company.id,
                    match["party"],
                    variant_kind,
                    by=by,
                    reason=reason or "confirmed in review",
                    source=f"review:{match_id}",
                    at=when,
                )
            except RegistryStoreError as exc:
                raise ReviewError(str(exc)) from None
        audit.record(
            db,
            by,
            f"review.{action}",
            f"match:{match_id}",
            reason,
            {
                "party": match["party"],
                "company": match["company_id"] or match["group_name"],
                "name_id": name.id if name else None,
                "kind": variant_kind,
            },
            at=when,
        )
    return Decision(
        match_id,
        match["party"],
        match["company_id"] or match["group_name"],
        status,
        by,
        when,
        match["matched_name"] or "",
        name,
    )


def teach_name(
    db: Database,
    registry: Registry,
    company_id: str,
    text: str,
    kind: str,
    *,
    by: str,
    reason: str,
    source: str,
    force: bool = False,
) -> StoredName:
    """Add a name an analyst vouches for (add-name, link), guarded unless `force`, audited."""
    company = registry.company(company_id)
    if company is None:
        raise ReviewError(
            f"登记表中没有企业 no company {company_id!r} (see `ipwatch registry show`)"
        )
    if not reason.strip():
        raise ReviewError("请说明理由 --reason is required: it is kept with the name")
    problem = name_problem(registry, company, text)
    if problem and not force:
        raise ReviewError(f"拒绝添加名称 refused to add {text!r}: {problem} (--force to override)")
    with db.atomic():
        try:
            name = add_name(db, company_id, text, kind, by=by, reason=reason, source=source)
        except RegistryStoreError as exc:
            raise ReviewError(str(exc)) from None
        audit.record(
            db,
            by,
            {"analyst": "registry.add_name"}.get(source, f"registry.{source}"),
            f"company:{company_id}",
            reason,
            {"name": name.text, "kind": kind, "name_id": name.id, "overridden": problem},
        )
    return name


def withdraw_name(db: Database, company_id: str, name: str, *, by: str, reason: str) -> StoredName:
    """Undo a name (soft delete, kept as history), audited."""
    if not reason.strip():
        raise ReviewError("请说明理由 --reason is required")
    with db.atomic():
        try:
            gone = remove_name(db, company_id, name, by=by, reason=reason)
        except RegistryStoreError as exc:
            raise ReviewError(str(exc)) from None
        audit.record(
            db,
            by,
            "registry.remove_name",
            f"company:{company_id}",
            reason,
            {"name": gone.text, "kind": gone.kind, "name_id": gone.id},
        )
    return gone
