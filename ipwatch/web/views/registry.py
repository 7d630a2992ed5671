"""企业名录: the registry in the database, through the same functions as `ipwatch registry …`.

Search and the company page read core.registry_store (typed names with who/when/why, contacts,
history); an upload is previewed and applied by matcher.registry_import.import_file (the diff of
`ipwatch registry import`, then its `--apply`); names are added, removed and linked with
matcher.review.teach_name / withdraw_name, guarded and audited as on the command line.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import shutil
import tempfile
from pathlib import Path

from starlette.responses import Response
from starlette.routing import Route

from core.audit import record
from core.desk import company_cases, local_match
from core.match_settings import effective_matching
from core.registry_file import display
from core.registry_store import (
    NAME_KIND_LABELS,
    NAME_KINDS,
    VARIANT_KINDS,
    company,
    contacts,
    history,
    names,
)
from core.registry_store import search as search_companies
from ipwatch.web.context import ANALYSTS, Ctx, clip, page, refuse
from ipwatch.web.forms import name_problem
from ipwatch.web.views.review import registry as load_registry
from matcher.learn import rank_candidates
from matcher.registry import RegistryError
from matcher.registry_import import ImportReport, import_file
from matcher.review import ReviewError, teach_name, withdraw_name
from matcher.review_desk import link_party

_SAFE_NAME = re.compile(r"[^\w.\-]+")
_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv", ".txt")


@page()
def registry_home(ctx: Ctx) -> Response:
    """Search the registry by id, credit code or any name part."""
    q = ctx.get("q")
    return ctx.render("registry.html", companies=search_companies(ctx.db, q), q=q)


@page()
def company_page(ctx: Ctx) -> Response:
    """A company: every name with its kind, source, who and when; contacts, cases, history."""
    company_id = ctx.request.path_params["company_id"]
    found = company(ctx.db, company_id)
    if found is None:
        return refuse(ctx.env, ctx.request, 404, f"名录中没有企业 {company_id}")
    aliases = effective_matching(ctx.cfg, ctx.db).aliases.get(company_id, [])
    return ctx.render(
        "company.html", c=found, names=names(ctx.db, company_id), aliases=aliases,
        removed=[n for n in names(ctx.db, company_id, history=True) if n.removed_at],
        labels=NAME_KIND_LABELS, kinds=NAME_KINDS,
        contacts=contacts(ctx.db, company_id).get(company_id, []),
        cases=company_cases(ctx.db, company_id), history=history(ctx.db, company_id)[-30:][::-1],
    )  # fmt: skip


@page(ANALYSTS)
def add_name(ctx: Ctx) -> Response:
    """Add a typed name (as `ipwatch registry add-name`, guarded, audited)."""
    company_id = ctx.request.path_params["company_id"]
    problem = name_problem(ctx.get("name"), ctx.get("kind"))
    if problem:
        ctx.flash("error", problem)
        return ctx.redirect(f"/registry/{company_id}")
    try:
        name = teach_name(
            ctx.db, load_registry(ctx), company_id, ctx.get("name"), ctx.get("kind"),
            by=ctx.user.name, reason=ctx.get("reason"), source="analyst",
        )  # fmt: skip
    except (ReviewError, RegistryError) as exc:
        ctx.flash("error", str(exc))
    else:
        ctx.flash(
            "ok", f"已添加名称 #{name.id}“{clip(name.text)}”（{NAME_KIND_LABELS[name.kind]}）。"
        )
    return ctx.redirect(f"/registry/{company_id}")


@page(ANALYSTS)
def remove_name(ctx: Ctx) -> Response:
    """Withdraw a name (as `ipwatch registry remove-name`; it stays in the history)."""
    company_id = ctx.request.path_params["company_id"]
    try:
        gone = withdraw_name(
            ctx.db, company_id, ctx.get("name_id"), by=ctx.user.name, reason=ctx.get("reason")
        )
    except ReviewError as exc:
        ctx.flash("error", str(exc))
    else:
        ctx.flash("ok", f"已撤销名称 #{gone.id}“{clip(gone.text)}”，保留在历史中。")
    return ctx.redirect(f"/registry/{company_id}")


def _upload(ctx: Ctx) -> tuple[str, bytes]:
    """The uploaded file (first step) or the file carried by the preview form (second step)."""
    name, data = ctx.uploads.get("file", ("", b""))
    if data:
        return name, data
    if ctx.get("content_b64"):
        try:
            return ctx.get("filename"), base64.b64decode(ctx.get("content_b64"), validate=True)
        except (binascii.Error, ValueError):
            return "", b""
    return ctx.get("filename"), ctx.raw("content").encode("utf-8")


def _run_import(ctx: Ctx, filename: str, data: bytes, apply: bool) -> ImportReport:
    """`ipwatch registry import [--apply]` on the upload, written privately to a temp file."""
    safe = _SAFE_NAME.sub("_", Path(filename or "upload.csv").name).strip("._") or "upload"
    if not safe.lower().endswith(_SUFFIXES):
        safe += ".csv"
    folder = tempfile.mkdtemp(prefix="ipwatch-registry-")  # 0700: this user only
    path = Path(folder) / safe
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        keep = ctx.get("keep_missing") == "1"
        try:
            report = import_file(ctx.db, path, apply=apply, by=ctx.user.name, keep_missing=keep)
        except RegistryError as exc:
            raise RegistryError(str(exc).replace(display(path), safe)) from None
        report.errors = [e.replace(display(path), safe) for e in report.errors]
        report.notes = [e.replace(display(path), safe) for e in report.notes]
        return report
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@page(ANALYSTS)
def registry_import(ctx: Ctx) -> Response:
    """Preview the diff of an uploaded workbook or CSV, or apply it after the preview."""
    filename, data = _upload(ctx)
    if not data:
        ctx.flash(
            "error", "请选择名录文件（.xlsx 或 CSV，表头如 企业名称、统一社会信用代码、英文名称）"
        )
        return ctx.redirect("/registry")
    apply = ctx.get("apply") == "1"
    if apply and not ctx.get("reason"):
        ctx.flash("error", "导入须填写原因。")
        return ctx.redirect("/registry")
    try:
        report = _run_import(ctx, filename, data, apply)
    except RegistryError as exc:
        ctx.flash("error", f"名录文件有误：{exc}")
        return ctx.redirect("/registry")
    plan = report.plan
    if not apply:
        return ctx.render(
            "registry_import.html", report=report, plan=plan, filename=filename or "upload.csv",
            content_b64=base64.b64encode(data).decode("ascii"),
            keep_missing=ctx.get("keep_missing") == "1",
        )  # fmt: skip
    summary: dict[str, object] = {
        "file": filename,
        "added": [r.id for r in plan.added],
        "removed": [c.id for c in plan.removed],
        "changed": [r.id for r, _ in plan.changed],
        "bad_rows": report.errors,
    }
    record(
        ctx.db, ctx.user.name, "registry.import", filename or "upload", ctx.get("reason"), summary
    )
    ctx.flash(
        "ok",
        f"已导入：新增 {len(plan.added)}，删除 {len(plan.removed)}，修改 {len(plan.changed)} 项。",
    )
    if report.errors:
        ctx.flash("error", f"{len(report.errors)} 行有错误未导入：" + "；".join(report.errors[:5]))
    return ctx.redirect("/registry")


@page()
def link_form(ctx: Ctx) -> Response:
    """Choose the registry company an unregistered Huizhou party belongs to (ranked candidates)."""
    match = local_match(ctx.db, ctx.request.path_params["match_id"])
    if match is None:
        return refuse(ctx.env, ctx.request, 404, "没有这条未登记惠州企业记录")
    try:
        candidates = rank_candidates(load_registry(ctx), match["party"])
    except RegistryError:
        candidates = []
    return ctx.render(
        "link.html", m=match, companies=search_companies(ctx.db, ctx.get("q")), q=ctx.get("q"),
        candidates=candidates, kinds=VARIANT_KINDS, labels=NAME_KIND_LABELS,
    )  # fmt: skip


@page(ANALYSTS)
def link_apply(ctx: Ctx) -> Response:
    """Link the party to the chosen company, as `ipwatch registry link` (audited)."""
    match_id = ctx.request.path_params["match_id"]
    company_id, kind = ctx.get("company_id"), ctx.get("kind") or "en_variant"
    if kind not in VARIANT_KINDS:  # as `registry link --kind`: official names come from the sheet
        ctx.flash("error", f"名称类型须为 {', '.join(VARIANT_KINDS)}")
        return ctx.redirect(f"/registry/link/{match_id}")
    try:
        effect = link_party(
            ctx.db, load_registry(ctx), match_id, company_id, ctx.user.name, ctx.get("reason"),
            kind,
        )  # fmt: skip
    except (ReviewError, RegistryError) as exc:
        ctx.flash("error", str(exc))
        still = local_match(ctx.db, match_id) is not None
        return ctx.redirect(f"/registry/link/{match_id}" if still else "/registry")
    ctx.flash("ok", f"已关联到 {company_id}：{effect}")
    return ctx.redirect(f"/registry/{company_id}")


ROUTES = [
    Route("/registry", registry_home),
    Route("/registry/import", registry_import, methods=["POST"]),
    Route("/registry/link/{match_id}", link_form),
    Route("/registry/link/{match_id}/apply", link_apply, methods=["POST"]),
    Route("/registry/{company_id}", company_page),
    Route("/registry/{company_id}/names", add_name, methods=["POST"]),
    Route("/registry/{company_id}/names/remove", remove_name, methods=["POST"]),
]
