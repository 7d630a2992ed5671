"""`ipwatch deadlines`: the due dates a trigger starts, as analysts and checks need them."""

from __future__ import annotations

import json

import click

from alerts.calendars import weekday_zh
from alerts.manual import TriggerError, as_json, parse_day, trigger_deadlines


@click.command()
@click.option("--forum", required=True, metavar="usdc|itc|upc", help="The forum.")
@click.option("--court", default="", metavar="COURT", help="District code (txwd) or UPC state.")
@click.option("--trigger", required=True, metavar="service|waiver|tro", help="What happened.")
@click.option("--date", "day", required=True, metavar="YYYY-MM-DD", help="The trigger day.")
@click.option("--abroad", is_flag=True, help="The waiver request went outside the US.")
@click.option("--temporary-relief", is_flag=True, help="ITC: temporary relief is sought.")
@click.option("--json", "as_json_output", is_flag=True, help="Print JSON.")
def deadlines(
    forum: str,
    court: str,
    trigger: str,
    day: str,
    abroad: bool,
    temporary_relief: bool,
    as_json_output: bool,
) -> None:
    """Print every deadline a trigger starts, counted under the forum's own rule.

    FRCP 6(a)(1) for US district courts, 19 CFR 201.14(a) for the ITC, UPC RoP
    300 for the UPC, with US federal holidays (observed days and executive-order
    closures) from the `holidays` library.

    \b
    Example:
        ipwatch deadlines --forum usdc --court txwd --trigger service --date 2024-11-07
        ipwatch deadlines --forum itc --trigger service --date 2024-06-14 --json
    """
    try:
        found = trigger_deadlines(forum, trigger, parse_day(day), court, abroad, temporary_relief)
    except TriggerError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json_output:
        click.echo(json.dumps(as_json(found), ensure_ascii=False, indent=2))
        return
    for d in found:
        due = f"{d.due_zh}（{weekday_zh(d.due)}）" if d.due else d.due_zh
        click.echo(f"{d.key}  {due}  {d.title_zh}")
        click.echo(f"  依据：{d.source}")
        click.echo(f"  计算：{d.why_zh}")
        for note in d.possible_zh:
            click.echo(f"  可能顺延：{note}")
        if d.china_zh:
            click.echo(f"  节假日提示：{d.china_zh}")


COMMANDS = [deadlines]
