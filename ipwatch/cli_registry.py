"""`ipwatch registry …`: import the bureau's sheets, show and export companies, teach names."""

from __future__ import annotations

from pathlib import Path

import click

from ipwatch.cli_common import config_option, emit, info, load, open_store, output_options
from ipwatch.cli_registry_names import NAME_COMMANDS, by_option, open_registry


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
@by_option
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
    if sheet.sheets:
        info(f"已读取工作表 sheets read: {', '.join(sheet.sheets)}")
    if sheet.skipped_sheets:
        info(f"未读取的工作表 sheets skipped: {', '.join(sheet.skipped_sheets)}")
    if sheet.ignored_columns:
        info(f"未识别的列 ignored columns: {', '.join(sheet.ignored_columns)}")
    for line in (
        *sheet.warnings,
        *(f"{sheet.label} {r}" for r in sheet.skipped_rows),
        *report.notes,
    ):
        info(f"注意 note: {line}")
    for record in plan.added:
        click.echo(f"+ 新增 added    {record.id}  {record.get('name_zh') or record.get('name_en')}")
    for record, changes in plan.changed:
        click.echo(f"~ 变更 changed  {record.id}  {record.get('name_zh') or record.get('name_en')}")
        for change in changes:
            click.echo(f"      {change}")
    for gone in plan.removed:
        click.echo(f"- 将移除 would be removed  {gone.id}  {gone.name_zh or gone.name_en}")
    for kept in plan.kept:
        click.echo(
            f"= 保留 kept as is  {kept.id}  {kept.name_zh or kept.name_en}"
            "  (有错误的行描述该企业 a bad row describes it)"
        )
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
    db, _ = open_registry(config_path)
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

    db, _ = open_registry(config_path)
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


for _command in NAME_COMMANDS:
    registry.add_command(_command)

COMMANDS: list[click.Command] = [registry]
