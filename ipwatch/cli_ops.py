"""CLI commands that run the whole cycle and inspect what it stored."""

from __future__ import annotations

import os

import click

from core.config import ConfigError
from core.lock import LockHeld, run_lock
from core.logs import QUIET_ENV, setup_logging
from core.store import StoreError
from ipwatch.cli_common import (
    config_option,
    echo_json,
    emit,
    info,
    json_option,
    load,
    open_store,
    output_options,
)
from ipwatch.demo import SAMPLES, sample_overrides, serve_folder

DISK_HINT = "check that the folder is writable and the disk is not full."


def _run(
    config_path: str, sources: tuple[str, ...], overrides: dict[str, str] | None, as_json: bool
) -> None:
    # Imported here so that `ipwatch --help` does not pay for scrapy, spaCy and the matcher.
    from ipwatch.cycle import format_summary, run_cycle, summary_dict
    from matcher.registry import RegistryError

    cfg = load(config_path)
    try:
        # One cycle at a time per database: a manual run waits for a scheduled one to finish.
        for source_id in sources:
            cfg.source(source_id)  # an unknown id stops here, before anything is recorded
        setup_logging(cfg, quiet=bool(os.environ.get(QUIET_ENV)))
        with run_lock(cfg):
            summary = run_cycle(cfg, config_path, list(sources) or None, overrides)
    except LockHeld as exc:
        raise click.ClickException(f"{exc}; try again when it has finished") from None
    except ConfigError as exc:  # e.g. `ipwatch run nosuch`: names the known source ids
        raise click.ClickException(str(exc)) from None
    except OSError as exc:  # the lock file beside the database cannot be created
        raise click.ClickException(
            f"database {cfg.path(cfg.database)}: {exc}\n  Hint: {DISK_HINT}"
        ) from None
    except StoreError as exc:
        raise click.ClickException(f"{exc}\n  Hint: {DISK_HINT}") from None
    except RegistryError as exc:  # recorded in the runs table; nothing was crawled
        raise click.ClickException(f"{exc}\n  (cycle stopped before crawling)") from None
    if as_json:
        echo_json(summary_dict(summary))
    info(format_summary(summary, cfg.path(cfg.alerts.out_dir)))
    problems = []
    if summary.failed_sources:
        problems.append(
            f"来源失败 failed sources: {', '.join(summary.failed_sources)} "
            "(the others ran; see `ipwatch sources`)"
        )
    if summary.failed_deliveries:
        problems.append(
            f"投递失败 {summary.failed_deliveries} message(s) failed (see `ipwatch notices`)"
        )
    if summary.held_now:
        problems.append(
            f"待处理 {summary.held_now} message(s) held: {'; '.join(summary.held)} — check the "
            "mail log, then `ipwatch notify --release KEY` or `--mark-sent KEY`"
        )
    if problems:
        raise click.ClickException("\n".join(problems))


@click.command()
@config_option
@click.argument("sources", nargs=-1)
@click.option(
    "--once", is_flag=True, help="Run one cycle and exit (the default; kept for cron use)."
)
@json_option
def run(config_path: str, sources: tuple[str, ...], once: bool, as_json: bool) -> None:
    """Run one full cycle: crawl, extract, match, notify, digest.

    Exit code 1 when any source failed (after all other sources ran), or when a message
    failed or was held (the summary names each held message).

    \b
    Example:
        ipwatch run
        ipwatch run pacer_txwd --json
    """
    _run(config_path, sources, None, as_json)


@click.command()
@config_option
@click.option(
    "--samples",
    default=SAMPLES,
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder of recorded feeds (ecf.<court>.rss.xml) to serve on 127.0.0.1.",
)
@json_option
def demo(config_path: str, samples: str, as_json: bool) -> None:
    """Run one cycle on the bundled real feed snapshot, served over local HTTP.

    \b
    Example:
        ipwatch demo
    """
    cfg = load(config_path)
    folder = cfg.path(samples)
    if not folder.is_dir():
        raise click.ClickException(f"{folder}: no such folder of recorded feeds")
    with serve_folder(folder) as base_url:
        overrides = sample_overrides(cfg, base_url, folder)
        info(f"演示 demo: serving {len(overrides)} recorded feeds from {folder} at {base_url}")
        _run(config_path, tuple(overrides), overrides, as_json)


@click.command("check-config")
@config_option
def check_config(config_path: str) -> None:
    """Validate config.yaml and the registry; exit 1 with the key path of any error.

    \b
    Example:
        ipwatch check-config --config /etc/ipwatch/config.yaml
    """
    from matcher.registry import RegistryError
    from matcher.registry_db import registry_from_file

    cfg = load(config_path)
    try:
        registry = registry_from_file(cfg.path(cfg.registry), cfg.matching)
    except RegistryError as exc:
        raise click.ClickException(str(exc)) from None
    for err in registry.errors:
        info(f"登记表 registry: {err}")
    enabled = [s.id for s in cfg.sources if s.enabled]
    info(
        f"配置有效 config OK: {len(enabled)} sources enabled ({', '.join(enabled)}), "
        f"{len(registry.companies)} companies, {len(registry.errors)} bad registry rows, "
        f"SMTP {'on' if cfg.smtp else 'off (.eml files)'}"
    )
    if cfg.smtp and cfg.smtp.user and not cfg.smtp.password():
        # Every message would fail with 535 at the first cycle, naming nothing: say it now.
        raise click.ClickException(
            f"smtp.password_env: 环境变量 {cfg.smtp.password_env or '（未设置）'} 为空，"
            f"SMTP 无法登录 the variable holding the SMTP password for {cfg.smtp.user} is "
            "empty or unset"
        )
    if registry.errors:
        raise click.ClickException(
            f"{len(registry.errors)} bad rows in {cfg.registry} (good rows still load)"
        )


@click.command()
@config_option
@output_options
@click.option("--since", help="Only cases first seen on/after this date (YYYY-MM-DD).")
def cases(config_path: str, fmt: str | None, since: str | None) -> None:
    """List stored cases with their match levels, newest first.

    \b
    Example:
        ipwatch cases --since 2022-12-01 --json
    """
    db = open_store(load(config_path))
    sql = """select c.id, c.forum, c.court, c.docket_number, c.case_name, c.kind, c.first_seen,
             group_concat(distinct m.level) as levels
             from cases c left join matches m on m.case_id = c.id
             where (:since is null or c.first_seen >= :since)
             group by c.id order by c.last_event desc"""
    emit(db.query(sql, {"since": since}), fmt, ["id", "kind", "levels", "case_name"])


@click.command()
@config_option
@output_options
@click.option("--level", type=click.Choice(["entity", "group", "review", "local", "product"]))
def matches(config_path: str, fmt: str | None, level: str | None) -> None:
    """List scored matches, best first, with their review status.

    \b
    Example:
        ipwatch matches --level entity --json
    """
    db = open_store(load(config_path))
    sql = """select m.id, m.level, m.score, m.status, m.role, m.party, m.company_id, m.group_name,
             c.docket_number, c.case_name, m.evidence
             from matches m join cases c on c.id = m.case_id
             where (:level is null or m.level = :level) order by m.score desc, m.id"""
    emit(
        db.query(sql, {"level": level}),
        fmt,
        ["id", "level", "score", "status", "role", "party", "company_id", "docket_number"],
    )


COMMANDS: list[click.Command] = [run, demo, check_config, cases, matches]
