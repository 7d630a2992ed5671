"""企业名录: search, company page (names with provenance, contacts, cases), import, link a party."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from starlette.responses import Response
from starlette.routing import Route

from core.audit import record
from core.desk import company_cases, company_row, local_match, search_companies
from core.match_settings import effective_matching
from ipwatch.web.context import ANALYSTS, Ctx, page, refuse
from matcher.extract import sync_registry
from matcher.match import load_decisions
from matcher.registry import RegistryError, load_registry
from matcher.registry_diff import diff_registries
from matcher.review_desk import ReviewError, link_party

KINDS_ZH = {"legal_zh": "中文法定名称", "legal_en": "英文法定名称", "former": "曾用名",
            "variant": "英文变体", "config": "匹配设置别名", "group": "集团名称"}  # fmt: skip


@page()
def registry_home(ctx: Ctx) -> Response:
    """Search the registry by id or any name part."""
    q = ctx.get("q")
    return ctx.render("registry.html", companies=search_companies(ctx.db, q), q=q)


@page()
def company_page(ctx: Ctx) -> Response:
    """A company: every name with where it came from, contacts and cases."""
    company_id = ctx.request.path_params["company_id"]
    row = company_row(ctx.db, company_id)
    if row is None:
        return refuse(ctx.env, ctx.request, 404, f"名录中没有企业 {company_id}")
    matching = effective_matching(ctx.cfg, ctx.db)
    names = [
        ("中文法定名称", row["name_zh"], "名录文件"),
        ("英文法定名称", row["name_en"], "名录文件"),
    ]
    names += [("别名/曾用名", n, "名录文件") for n in (row["aliases"] or "").split(";") if n]
    names += [("匹配设置别名", n, "匹配设置") for n in matching.aliases.get(company_id, [])]
    _, variants = load_decisions(ctx.db)
    names += [("分析员确认的名称", text, "复核决定") for cid, text in variants if cid == company_id]
    contacts = [a for a in (row["contact_email"] or "").replace(",", ";").split(";") if a.strip()]
    return ctx.render(
        "company.html", c=row, names=[n for n in names if n[1]], contacts=contacts,
        cases=company_cases(ctx.db, company_id),
    )  # fmt: skip


def _load_text(ctx: Ctx, text: str):  # type: ignore[no-untyped-def]
    """Validate an uploaded registry through the same loader the cycle uses."""
    fd, name = tempfile.mkstemp(suffix=".csv")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        return load_registry(Path(name), effective_matching(ctx.cfg, ctx.db))
    finally:
        os.unlink(name)


@page(ANALYSTS)
def registry_import(ctx: Ctx) -> Response:
    """Preview (diff) an uploaded registry CSV, or apply it after the preview."""
    text = ctx.raw("file") or ctx.raw("content")
    if not text:
        ctx.flash("error", "请选择名录文件（CSV，列：id,name_zh,name_en,aliases,…）")
        return ctx.redirect("/registry")
    path = ctx.cfg.path(ctx.cfg.registry)
    try:
        new = _load_text(ctx, text)
        old = load_registry(path, effective_matching(ctx.cfg, ctx.db))
    except RegistryError as exc:
        ctx.flash("error", f"名录文件有误：{exc}")
        return ctx.redirect("/registry")
    diff = diff_registries(old, new)
    if ctx.get("apply") != "1":
        return ctx.render("registry_import.html", diff=diff, content=text)
    if diff.errors:
        ctx.flash("error", "名录文件有错误行，未导入：" + "；".join(diff.errors[:5]))
        return ctx.redirect("/registry")
    reason = ctx.get("reason")
    if not reason:
        ctx.flash("error", "导入须填写原因。")
        return ctx.redirect("/registry")
    tmp = path.with_suffix(".import.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)
    sync_registry(ctx.db, new)
    summary: dict[str, object] = {
        "added": [c.id for c in diff.added],
        "removed": [c.id for c in diff.removed],
        "changed": sorted({c[0] for c in diff.changed}),
    }
    record(ctx.db, ctx.user.name, "registry.import", str(path.name), reason, summary)
    ctx.flash(
        "ok",
        f"已导入：新增 {len(diff.added)}，删除 {len(diff.removed)}，修改 {len(diff.changed)} 项。",
    )
    return ctx.redirect("/registry")


@page()
def link_form(ctx: Ctx) -> Response:
    """Choose the registry company an unregistered Huizhou party belongs to."""
    match = local_match(ctx.db, ctx.request.path_params["match_id"])
    if match is None:
        return refuse(ctx.env, ctx.request, 404, "没有这条未登记惠州企业记录")
    return ctx.render(
        "link.html", m=match, companies=search_companies(ctx.db, ctx.get("q")), q=ctx.get("q")
    )


@page(ANALYSTS)
def link_apply(ctx: Ctx) -> Response:
    """Link the party to the chosen company (audited)."""
    match_id = ctx.request.path_params["match_id"]
    company_id = ctx.get("company_id")
    try:
        effect = link_party(ctx.db, match_id, company_id, ctx.user.name, ctx.get("reason"))
    except ReviewError as exc:
        ctx.flash("error", str(exc))
        return ctx.redirect(f"/registry/link/{match_id}")
    ctx.flash("ok", f"已关联到 {company_id}：{effect}")
    return ctx.redirect(f"/registry/{company_id}")


ROUTES = [
    Route("/registry", registry_home),
    Route("/registry/import", registry_import, methods=["POST"]),
    Route("/registry/link/{match_id}", link_form),
    Route("/registry/link/{match_id}/apply", link_apply, methods=["POST"]),
    Route("/registry/{company_id}", company_page),
]
