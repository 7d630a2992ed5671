"""`ipwatch registry …`: import the bureau's sheets, show and export companies, teach names."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

import click

from core.registry_store import NAME_KIND_LABELS, NAME_KINDS, VARIANT_KINDS
from ipwatch.cli_common import config_option, emit, info, load, open_store, output_options

_by = click.option(
    "--by",
    default=lambda: os.environ.get("USER") or getpass.getuser(),
    show_default="$USER",
    help="Who makes the change (kept with it).",
)


def _registry(config_path: str):  # type: ignore[no-untyped-def]
    """The database and the registry as the matcher sees it, or a clear error."""
    from matcher.registry import RegistryError
    from matcher.registry_db import load_db_registry

    cfg = load(config_path)
    db = open_store(cfg)
    try:
        return db, load_db_registry(db, cfg)
    except RegistryError as exc:
        raise click.ClickException(f"{exc}\n  Hint: check `registry:` in config.yaml.") from None


@click.group()
def registry() -> None:
    """企业登记表 The bureau's registry of exporters: import, show, export, names.

    \b
    Example:
        ipwatch registry import 出口企业名录.xlsx            # show the diff
        ipwatch registry import 出口企业名录.xlsx --apply    # write it
        ipwatch registry names HZ012
    """


@registry.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--apply", "do_apply", is_flag=True, help="Write the changes (default: diff only).")
@click.option(
    "--keep-missing", is_flag=True, help="Keep companies the file does not list (partial sheet)."
)
@config_option
@_by
def import_command(
    file: str, do_apply: bool, keep_missing: bool, config_path: str, by: str
) -> None:
    """导入 Import an .xlsx or CSV (UTF-8, UTF-8 BOM, GB18030): diff, then --apply.

    Chinese headers 企业名称/单位名称, 统一社会信用代码, 英文名称, 曾用名, 注册地址/地址, 所属区县,
    行业, 主营产品, 联系人, 邮箱, 电话 and the columns of data/exporters.csv are understood.

    \b
    Example:
        ipwatch registry import 出口企业名录.xlsx --apply
    """
    from matcher.registry import RegistryError
    from matcher.registry_import import import_file

    db = open_store(load(config_path))
    try:
        report = import_file(db, Path(file), apply=do_apply, by=by, keep_missing=keep_missing)
    except RegistryError as exc:
        raise click.ClickException(str(exc)) from None
    sheet, plan = report.sheet, report.plan
    sep = {",": "逗号 ,", ";": "分号 ;", "\t": "制表符 tab"}.get(sheet.delimiter, "")
    info(f"文件 file: {sheet.label}  编码 encoding: {sheet.encoding}  {sep}".rstrip())
    if sheet.ignored_columns:
        info(f"未识别的列 ignored columns: {', '.join(sheet.ignored_columns)}")
    for record in plan.added:
        click.echo(f"+ 新增 added    {record.id}  {record.get('name_zh') or record.get('name_en')}")
    for record, changes in plan.changed:
        click.echo(f"~ 变更 changed  {record.id}  {record.get('name_zh') or record.get('name_en')}")
        for change in changes:
            click.echo(f"      {change}")
    for gone in plan.removed:
        click.echo(f"- 将移除 would be removed  {gone.id}  {gone.name_zh or gone.name_en}")
    for err in report.errors:
        click.echo(f"! {err}", err=True)
    click.echo(
        f"新增 added {len(plan.added)}, 变更 changed {len(plan.changed)}, "
        f"移除 removed {len(plan.removed)}, 未变 unchanged {plan.unchanged}, "
        f"错误行 bad rows {len(report.errors)}"
    )
    if report.applied:
        info("已写入数据库 applied in one transaction.")
    else:
        info("仅预览 preview only: 加 --apply 写入 / add --apply to write it.")
    if report.errors:
        raise click.ClickException(
            f"{len(report.errors)} 行有错误 bad rows in {sheet.label} "
            f"({'good rows loaded' if report.applied else 'good rows would load'})"
        )


@registry.command()
@click.argument("file", type=click.Path(dir_okay=False))
@config_option
def export(file: str, config_path: str) -> None:
    """导出 Export the registry to an .xlsx workbook (companies, and names with provenance).

    \b
    Example:
        ipwatch registry export out/登记表.xlsx
    """
    from core.registry_export import export_xlsx

    if not file.lower().endswith(".xlsx"):
        raise click.ClickException(f"{file}: 请用 .xlsx 文件名 export writes .xlsx only")
    db, _ = _registry(config_path)
    count = export_xlsx(db, Path(file))
    info(f"已导出 exported {count} companies to {file}")


@registry.command()
@click.argument("company_id")
@config_option
@output_options
def show(company_id: str, config_path: str, fmt: str | None) -> None:
    """查看 Show one company: fields, contacts and change history.

    \b
    Example:
        ipwatch registry show HZ012
    """
    from core.registry_store import company, contacts, history

    db, _ = _registry(config_path)
    found = company(db, company_id)
    if found is None:
        raise click.ClickException(f"登记表中没有企业 no company {company_id!r}")
    record = {k: v for k, v in found.__dict__.items() if v}
    people = contacts(db, company_id).get(company_id, [])
    if fmt:
        emit([{**record, "contacts": [p.__dict__ for p in people]}], fmt)
        return
    for key, value in record.items():
        click.echo(f"{key:14} {value}")
    for p in people:
        click.echo(" ".join(x for x in ("联系人 contact", p.name, p.email, p.phone) if x))
    click.echo("历史 history:")
    for h in history(db, company_id)[-20:]:
        change = f"{h['old']} → {h['new']}" if h["old"] and h["new"] else h["old"] or h["new"]
        click.echo(
            " ".join(p for p in (" ", h["at"], h["actor"], h["action"], h["field"], change) if p)
        )


@registry.command(name="names")
@click.argument("company_id")
@click.option("--all", "show_all", is_flag=True, help="Include removed names (history).")
@config_option
@output_options
def names_command(company_id: str, show_all: bool, config_path: str, fmt: str | None) -> None:
    """名称 List a company's names with their kind, source, who added them, when and why.

    \b
    Example:
        ipwatch registry names HZ012 --all
    """
    from core.registry_store import company, names

    db, _ = _registry(config_path)
    if company(db, company_id) is None:
        raise click.ClickException(f"登记表中没有企业 no company {company_id!r}")
    listed = [
        {
            "id": n.id,
            "name": n.text,
            "kind": n.kind,
            "类型": NAME_KIND_LABELS.get(n.kind, n.kind),
            "source": n.source,
            "added_by": n.added_by,
            "added_at": n.added_at,
            "reason": n.reason,
            **({"removed_at": n.removed_at, "removed_by": n.removed_by} if show_all else {}),
        }
        for n in names(db, company_id, history=show_all)
    ]
    emit(listed, fmt)


def _teach(config_path: str, company_id: str, text: str, kind: str, **kw: object) -> None:
    from matcher.review import ReviewError, teach_name

    db, reg = _registry(config_path)
    try:
        name = teach_name(db, reg, company_id, text, kind, **kw)  # type: ignore[arg-type]
    except ReviewError as exc:
        raise click.ClickException(str(exc)) from None
    info(
        f"已添加名称 added #{name.id} '{name.text}' ({name.kind} {NAME_KIND_LABELS[name.kind]}) "
        f"to {company_id}; 撤销 undo: ipwatch registry remove-name {company_id} {name.id} "
        "--reason …"
    )


@registry.command(name="add-name")
@click.argument("company_id")
@click.argument("name")
@click.option("--kind", type=click.Choice(NAME_KINDS), required=True, help="Kind of name.")
@click.option("--reason", required=True, help="Why (kept with the name).")
@click.option("--force", is_flag=True, help="Add even a name the guards refuse (recorded).")
@config_option
@_by
def add_name(
    company_id: str, name: str, kind: str, reason: str, force: bool, config_path: str, by: str
) -> None:
    """添加名称 Add a typed name to a company, with provenance.

    \b
    Example:
        ipwatch registry add-name HZ012 "Huizhou Juneng Battery Co., Ltd." \\
            --kind en_variant --reason "company letter 2026-03"
    """
    _teach(config_path, company_id, name, kind, by=by, reason=reason, source="analyst", force=force)


@registry.command(name="remove-name")
@click.argument("company_id")
@click.argument("name")
@click.option("--reason", required=True, help="Why (kept with the history).")
@config_option
@_by
def remove_name(company_id: str, name: str, reason: str, config_path: str, by: str) -> None:
    """撤销名称 Remove (undo) a name by its #id or text; it stays in the history.

    \b
    Example:
        ipwatch registry remove-name HZ025 17 --reason "a benefit plan, not the plant"
    """
    from matcher.review import ReviewError, withdraw_name

    db, _ = _registry(config_path)
    try:
        gone = withdraw_name(db, company_id, name, by=by, reason=reason)
    except ReviewError as exc:
        raise click.ClickException(str(exc)) from None
    info(f"已撤销 removed #{gone.id} '{gone.text}' ({gone.kind}) from {company_id}")


@registry.command()
@click.argument("party")
@click.argument("company_id")
@click.option("--reason", required=True, help="Why this party is this company (kept).")
@click.option("--kind", type=click.Choice(VARIANT_KINDS), default="en_variant", show_default=True)
@config_option
@_by
def link(party: str, company_id: str, reason: str, kind: str, config_path: str, by: str) -> None:
    """关联 Link an unregistered "Huizhou …" party to a company: its spelling becomes a name.

    \b
    Example:
        ipwatch registry candidates "Huizhou Juneng Battery Co., Ltd."
        ipwatch registry link "Huizhou Juneng Battery Co., Ltd." HZ012 --reason "same address"
    """
    _teach(config_path, company_id, party, kind, by=by, reason=reason, source="link")


@registry.command()
@click.argument("party", required=False)
@config_option
@output_options
def candidates(party: str | None, config_path: str, fmt: str | None) -> None:
    """候选企业 Rank registry companies a party may be (trade-name pinyin, industry, district).

    Without PARTY: every stored "local" party (says Huizhou, not in the registry) with its
    candidates, ready for `registry link`.

    \b
    Example:
        ipwatch registry candidates "Huizhou Juneng Battery Co., Ltd."
        ipwatch registry candidates
    """
    from core.review import local_parties
    from matcher.learn import rank_candidates

    db, reg = _registry(config_path)
    parties = [party] if party else local_parties(db)
    emit(
        [
            {
                **({} if party else {"party": p}),
                "id": c.company_id,
                "企业名称": c.name_zh,
                "score": c.score,
                "why": "; ".join(c.reasons),
            }
            for p in parties
            for c in rank_candidates(reg, p)
        ],
        fmt,
    )


COMMANDS: list[click.Command] = [registry]
