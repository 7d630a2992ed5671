"""CLI command for matching from Chinese legal names: eval-names."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ipwatch.cli_common import config_option, load


@click.command(name="eval-names")
@click.argument("pairs", type=click.Path(dir_okay=False))
@config_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def eval_names(pairs: str, config_path: str, as_json: bool) -> None:
    """Score matching from Chinese legal names alone on Chinese–English name pairs.

    PAIRS has the columns name_zh,name_en,province_or_city,kind. A throw-away registry is
    built from the Chinese names only; every English name is matched as a defendant. Rates
    per kind (pinyin, translated, brand, mixed) and overall, 0–1.

    \b
    Example:
        ipwatch eval-names ../shared/data/cn_en_company_pairs.csv --json
    """
    from matcher.evaluate_names import RATES, PairsError, evaluate_names

    matching = load(config_path).matching
    try:
        report = evaluate_names(Path(pairs), matching)
    except PairsError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    click.echo(f"{'kind 类型':12} {'n':>5}  " + "  ".join(f"{r:>22}" for r in RATES))
    rows = [*report["kinds"].items(), ("overall 合计", report["overall"])]
    for kind, stats in rows:
        rates = "  ".join(f"{stats[r]:>22.4f}" for r in RATES)
        click.echo(f"{kind:12} {stats['n']:>5}  {rates}")


COMMANDS: list[click.Command] = [eval_names]
