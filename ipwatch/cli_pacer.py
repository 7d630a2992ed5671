"""CLI for paid party lists and court feeds: `ipwatch pacer …` and `ipwatch sources add-courts`."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import click

from core import court_feeds, ledger
from core.config import ConfigError
from ipwatch.cli_common import config_option, emit, info, load, open_store
from ipwatch.cli_crawl import sources


@click.group()
def pacer() -> None:
    """PACER docket reports bought for the party lists of new IP cases.

    \b
    Example:
        ipwatch pacer spend
        ipwatch pacer estimate --samples data/samples/pacer_2022-12-06
    """


@pacer.command()
@config_option
@click.option("--month", default="", help="Only this month (YYYY-MM); default: every row.")
@click.option("--json", "as_json", is_flag=True, help="Print spend and ledger as one JSON object.")
def spend(config_path: str, month: str, as_json: bool) -> None:
    """Show month-to-date PACER spend, the budget left and the ledger (cost from receipts).

    \b
    Example:
        ipwatch pacer spend
        ipwatch pacer spend --json
    """
    cfg = load(config_path)
    db = open_store(cfg)
    try:
        now = datetime.now(UTC)
        s = ledger.spend(db, now)
        rows = ledger.entries(db, month)
        why_not = ledger.refusal(cfg.pacer.monthly_budget_usd, cfg.pacer.allow_over_waiver, s)
    finally:
        db.close()
    summary = {
        "month": s.month, "month_usd": s.month_usd, "month_committed_usd": s.month_committed,
        "quarter": s.quarter, "quarter_usd": s.quarter_usd, "bought": s.bought,
        "refused": s.refused, "unreceipted": s.unreceipted,
        "budget_usd": cfg.pacer.monthly_budget_usd, "can_buy_now": not why_not,
        "why_not": why_not,
    }  # fmt: skip
    if as_json:
        click.echo(json.dumps({**summary, "ledger": rows}, ensure_ascii=False, indent=2))
        return
    info(
        f"本月 {s.month} 支出 month-to-date: ${s.month_committed:.2f} / 预算 budget "
        f"${cfg.pacer.monthly_budget_usd:.2f}; 本季度 quarter {s.quarter}: ${s.quarter_usd:.2f} "
        f"(fee waiver up to ${ledger.WAIVER_USD:.0f}); bought {s.bought}, refused {s.refused}"
    )
    if why_not:
        info(f"暂不购买 not buying now: {why_not}")
    emit(rows, None)


@pacer.command()
@config_option
@click.option(
    "--samples",
    default="data/samples/pacer_2022-12-06",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder of recorded feeds (ecf.<court>.rss.xml).",
)
@click.option(
    "--dockets",
    default="tests/examples/pacer_dockets",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder of recorded docket reports whose receipts price the simulated purchases.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the estimate as JSON.")
def estimate(config_path: str, samples: str, dockets: str, as_json: bool) -> None:
    """Estimate how many "et al" IP cases recorded feeds would buy, priced from real receipts.

    \b
    Example:
        ipwatch pacer estimate
    """
    from ipwatch.party_lists import estimate_purchases

    cfg = load(config_path)
    try:
        result = estimate_purchases(cfg.path(samples), cfg.path(dockets))
    except (OSError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    info(
        f"IP cases {result['ip_cases']}, of which caption hides defendants (et al / Schedule A) "
        f"and new: {result['to_buy']}; simulated cost ${result['cost_usd']:.2f} "
        f"(receipts: {', '.join(f'${c:.2f}' for c in result['receipts'])})"
    )
    emit(result["cases"], None)


@sources.command("add-courts")
@config_option
@click.argument("court_ids", nargs=-1)
@click.option("--all", "all_courts", is_flag=True, help="Every district court with a feed.")
@click.option("--write", is_flag=True, help="Append the entries to config.yaml (else print them).")
def add_courts(config_path: str, court_ids: tuple[str, ...], all_courts: bool, write: bool) -> None:
    """Generate config entries for district-court feeds from PACER's court list.

    Named courts are added enabled; with --all the IP-heavy courts are enabled and the rest are
    listed with `enabled: false`, ready to enable. Courts already configured are skipped.

    \b
    Example:
        ipwatch sources add-courts njd nyed --write
        ipwatch sources add-courts --all
    """
    if bool(court_ids) == all_courts:
        raise click.ClickException("name one or more courts (e.g. njd) or pass --all")
    try:
        planned = court_feeds.plan(config_path, list(court_ids), all_courts)
        if planned.skipped:
            info(f"已配置，跳过 already configured: {', '.join(planned.skipped)}")
        if not planned.lines:
            info("无新增 nothing to add")
            return
        if write:
            court_feeds.write(config_path, planned.lines)
            info(f"已写入 wrote {len(planned.lines)} court feeds into {config_path}")
        else:
            click.echo("\n".join(planned.lines))
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


COMMANDS: list[click.Command] = [pacer]
