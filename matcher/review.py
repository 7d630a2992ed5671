"""Analyst decisions on matches: confirm or dismiss, and a confirmed spelling learnt safely.

The one decision path: `ipwatch review confirm|dismiss` decides one match, the console's review
desk a batch (with reason codes, undo and names linked by default); both go through
`decide_batch`, so the name guards, the stored decision and the audit line are the same.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from core import audit
from core.registry_store import (
    VARIANT_KINDS,
    RegistryStoreError,
    StoredName,
    add_name,
    names,
    remove_name,
)
from core.review import REASON_CODES, matches_by_id, store_decisions
from core.review import Decision as StoredDecision
from core.store import immediate, now_iso
from matcher.learn import name_problem
from matcher.normalize import canonical
from matcher.registry import Registry

DEFENDANT_ROLES = ("defendant", "respondent")


class ReviewError(Exception):
    """A decision that cannot be made (unknown match, unsafe name, wrong kind, no reason)."""


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
    name_refused: str = ""  # why a spelling linked by default was not taught (console)
    batch: str = ""  # undo with `ipwatch review undo BATCH` or the console's 撤销


@dataclass(frozen=True)
class Batch:
    """Decisions taken together: undone together with `undo(batch)` (matcher/review_undo.py)."""

    batch: str
    decisions: tuple[Decision, ...] = field(default_factory=tuple)


def _check(action: str, code: str, text: str, variant_kind: str) -> None:
    if action not in ("confirm", "dismiss"):
        raise ReviewError(f"未知操作 unknown action {action!r}")
    if code and code not in REASON_CODES:
        raise ReviewError(f"未知原因代码 unknown reason code {code!r}")
    if action == "dismiss" and not code and not text.strip():
        raise ReviewError("排除时须选择原因（非本企业 / 外国母公司 / 同名不同企业 / 个人 / 其他）")
    if code == "other" and not text.strip():
        raise ReviewError("选择“其他”时须填写说明")
    if variant_kind and variant_kind not in VARIANT_KINDS:
        raise ReviewError(f"名称类型 kind must be one of {', '.join(VARIANT_KINDS)}")


def _teachable(
    registry: Registry | None, m: dict[str, Any], kind: str, strict: bool
) -> tuple[str, str]:
    """(kind to teach or '', why not): strict (--as-variant) refuses, a default link skips."""
    company = registry.company(m["company_id"] or "") if registry else None
    if company is None or registry is None:
        if strict:
            raise ReviewError(
                f"{m['id']} 是集团级匹配或企业已不在登记表 matches no registered company; "
                "a group-level spelling cannot become a company's name"
            )
        return "", "名录中无对应企业"
    problem = name_problem(registry, company, m["party"])
    if problem and strict:
        raise ReviewError(f"拒绝添加名称 refused to add {m['party']!r}: {problem}")
    return ("", problem) if problem else (kind, "")


def _undecided(found: list[dict[str, Any]], action: str) -> None:
    """Refuse to turn a decision round (dismiss a confirmed match, confirm a dismissed one):
    its notice may be on its way, so that batch is undone first. The same decision again is
    harmless and allowed."""
    other = "confirmed" if action == "dismiss" else "dismissed"
    done = [m for m in found if m["status"] == other]
    if done:
        m = done[0]
        state = "确认" if m["status"] == "confirmed" else "排除"
        raise ReviewError(
            f"匹配 {m['id']}（{m['party']}）已由 {m['reviewed_by'] or '他人'} 于 "
            f"{(m['reviewed_at'] or '')[:16]} {state}，请刷新页面；如需改变，请先撤销那批决定。 "
            f"match {m['id']} was already {m['status']}"
            + (f" (and {len(done) - 1} more)" if len(done) > 1 else "")
        )


def decide_batch(
    db: Database,
    registry: Registry | None,
    match_ids: list[str],
    action: str,
    *,
    by: str,
    reason_code: str = "",
    reason: str = "",
    variant_kind: str = "",
    link_default: bool = False,
    audit_detail: dict[str, Any] | None = None,
    company_id: str = "",
) -> Batch:
    """Confirm or dismiss matches in one transaction and one audit line (see review_undo.py).

    `variant_kind` (CLI --as-variant): every party string becomes a typed name, or nothing is
    written when the guards refuse one. `link_default` (console): a confirmed non-entity match
    to a company teaches its spelling as an English variant where the guards allow.
    `company_id`: link local matches to this company (the console's 关联).
    """
    _check(action, reason_code, reason, variant_kind)
    found = matches_by_id(db, list(dict.fromkeys(match_ids)))
    missing = sorted(set(match_ids) - {m["id"] for m in found})
    if missing or not found:
        shown = ", ".join(repr(i) for i in missing) or "（未选择 none selected）"
        raise ReviewError(f"no match {shown} 没有此匹配 (see `ipwatch review` for ids)")
    _undecided(found, action)
    if company_id:
        found = [{**m, "company_id": company_id} for m in found]
    full_reason = f"{REASON_CODES.get(reason_code, '')} {reason}".strip()
    plans: list[tuple[dict[str, Any], str, str]] = []  # (match, kind to teach, why not)
    for m in found:
        kind, why = "", ""
        if action == "confirm" and variant_kind:
            kind, why = _teachable(registry, m, variant_kind, strict=True)
        elif action == "confirm" and link_default and m["company_id"] and m["level"] != "entity":
            kind, why = _teachable(registry, m, "en_variant", strict=False)
        plans.append((m, kind, why))
    batch, when = secrets.token_hex(8), now_iso()
    stored, out = [], []
    taught: dict[tuple[str, str], StoredName] = {}
    # The write lock first, then the statuses again: two analysts deciding one match at once
    # (one on a page loaded before the other's decision) are served one after the other.
    with immediate(db):
        _undecided(matches_by_id(db, [m["id"] for m in found]), action)
        have = {(n.company_id, n.text.casefold()): n for n in names(db)}
        for m, kind, why in plans:
            key = (m["company_id"], m["party"].casefold())
            name = taught.get(key)
            if kind and name is None and (key not in have or variant_kind):
                try:
                    name = taught[key] = add_name(
                        db, m["company_id"], m["party"], kind, by=by,
                        reason=full_reason or "confirmed in review",
                        source=f"review:{m['id']}", at=when,
                    )  # fmt: skip
                except RegistryStoreError as exc:
                    raise ReviewError(str(exc)) from None
            linked = bool(kind)
            level = "entity" if linked and m["role"] in DEFENDANT_ROLES else m["level"]
            stored.append(
                StoredDecision(
                    m["id"], m["party"], canonical(m["party"]),
                    m["company_id"] or m["group_name"], action, reason_code, full_reason,
                    m["party"] if linked else "", m["level"], level,
                )
            )  # fmt: skip
            status = "confirmed" if action == "confirm" else "dismissed"
            out.append(
                Decision(
                    m["id"], m["party"], m["company_id"] or m["group_name"], status, by, when,
                    m["matched_name"] or "", name if kind else None, why, batch,
                )
            )  # fmt: skip
        store_decisions(db, stored, by, batch, company_id=company_id, at=when)
        one = len(found) == 1
        target = f"match:{found[0]['id']}" if one else ",".join(sorted({d.target for d in stored}))
        audit.record(
            db, by, f"review.{action}", target, full_reason,
            {
                "batch": batch,
                "matches": [d.match_id for d in stored],
                "parties": sorted({d.party for d in stored}),
                "company": stored[0].target if one else "",
                "names": [{"id": n.id, "text": n.text, "kind": n.kind} for n in taught.values()],
                "kind": variant_kind or ("en_variant" if taught else ""),
                **(audit_detail or {}),
            },
            at=when,
        )  # fmt: skip
    return Batch(batch, tuple(out))


def decide(
    db: Database,
    registry: Registry | None,
    match_id: str,
    action: str,
    *,
    by: str,
    reason: str,
    variant_kind: str = "",
    reason_code: str = "",
) -> Decision:
    """Confirm or dismiss one match; with `variant_kind` the party string becomes a typed name."""
    done = decide_batch(
        db, registry, [match_id], action, by=by, reason=reason, variant_kind=variant_kind,
        reason_code=reason_code,
    )  # fmt: skip
    return done.decisions[0]


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
    audit_detail: dict[str, Any] | None = None,
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
            {
                "name": name.text,
                "kind": kind,
                "name_id": name.id,
                "overridden": problem,
                **(audit_detail or {}),
            },
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
