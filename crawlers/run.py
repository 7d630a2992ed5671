"""Run a crawl in a fresh subprocess (Twisted's reactor cannot restart) and report per source."""

from __future__ import annotations

import logging
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import click

from core.config import Config, ConfigError, Source, load_config
from core.dbfile import private_umask
from core.feed_items import StoredKeys
from core.store import StoreError, now_iso, open_db
from crawlers.base import SourceOutcome, SourceSpec
from crawlers.health import last_build_dates, last_parse_seconds, record_outcome

# One spider class per source kind; kinds without a spider yet are recorded as failed. Named,
# not imported: a crawl process imports only the spiders (and parsers) of the kinds it crawls.
SPIDERS: dict[str, str] = {
    "pacer_rss": "crawlers.spiders.pacer_rss.PacerRssSpider",
    "fr_itc": "crawlers.spiders.fr_itc.FrItcSpider",
    "edis": "crawlers.spiders.edis.EdisSpider",
    "courtlistener": "crawlers.spiders.courtlistener.CourtListenerSpider",
    "feed": "crawlers.spiders.feeds.FeedSpider",
    "upc": "crawlers.spiders.upc.UpcSpider",
}


@dataclass(frozen=True)
class SourceResult:
    """One source's result of a crawl run, as recorded in the `sources` table."""

    source: str
    status: str  # ok | unchanged | failed | disabled | throttled (see crawlers.health)
    items_seen: int
    new_items: int
    skipped: int
    error: str
    parse_seconds: float = 0.0  # CPU seconds the spider spent parsing this source


def select_sources(cfg: Config, source_ids: list[str] | None) -> list[Source]:
    """The sources to crawl: those listed (ConfigError names the known ids) or all enabled."""
    if source_ids:
        return [cfg.source(source_id) for source_id in dict.fromkeys(source_ids)]
    return [s for s in cfg.sources if s.enabled]


def parse_overrides(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """Turn ['ID=URL', ...] into a mapping; ConfigError for a pair without '='."""
    found: dict[str, str] = {}
    for pair in pairs:
        source_id, sep, url = pair.partition("=")
        if not sep or not source_id or not url:
            raise ConfigError(f"--url {pair!r}: expected SOURCE_ID=URL")
        found[source_id] = url
    return found


def time_limit(cfg: Config, n_sources: int) -> int:
    """Seconds the parent lets a crawl process run before killing it."""
    return 300 + n_sources * cfg.crawl.timeout * (cfg.crawl.retries + 1)


# CPU seconds a crawl process costs before its first request (Python, scrapy and its download
# handlers, the config): measured 0.9–1.1 s with bench/nationwide.py.
PROCESS_START_SECONDS = 1.0


def processes_worth(configured: int, parse_seconds: list[float | None]) -> int:
    """How many of the configured crawl processes the sources' parsing is worth starting.

    Every process pays PROCESS_START_SECONDS before it fetches anything; a second one pays off
    only when the sources' parsing (as much as their last crawl needed) is larger than that.
    A source never crawled counts as unknown, so a first crawl uses all configured processes.
    """
    if any(seconds is None for seconds in parse_seconds):
        return configured
    expected = sum(seconds or 0.0 for seconds in parse_seconds)
    return max(1, min(configured, int(expected // PROCESS_START_SECONDS)))


def split_sources(sources: list[Source], processes: int) -> list[list[Source]]:
    """Sources dealt round-robin to at most `processes` crawl processes (none left empty)."""
    count = max(1, min(processes, len(sources)))
    return [sources[i::count] for i in range(count)]


def crawl(
    cfg_path: str,
    source_ids: list[str] | None = None,
    url_overrides: dict[str, str] | None = None,
    loaded: Config | None = None,
) -> dict[str, SourceResult]:
    """Crawl the enabled (or listed) sources in subprocesses; results per source id.

    The sources are shared out among up to crawl.processes processes running side by side,
    each with its own time limit, so a court that hangs holds back only its own process; a
    poll whose sources parsed little last time runs in one (see processes_worth).
    The caller's already loaded config is used when given (the cycle reads config.yaml once).
    """
    path = Path(cfg_path).resolve()
    cfg = loaded or load_config(path)
    sources = select_sources(cfg, source_ids)
    overrides = url_overrides or {}
    for source_id in overrides:
        cfg.source(source_id)
    # Migrate once here, so the processes below never race to create a table.
    with closing(open_db(cfg.path(cfg.database))) as db:
        parsed = last_parse_seconds(db, [s.id for s in sources])
    processes = processes_worth(cfg.crawl.processes, list(parsed.values()))
    started = now_iso()
    clock = time.monotonic()
    running = []
    for group in split_sources(sources, processes):
        cmd = [sys.executable, "-m", "crawlers.run", "--config", str(path)]
        for source in group:
            cmd += ["--source", source.id]
        for source_id, url in overrides.items():
            if any(s.id == source_id for s in group):
                cmd += ["--url", f"{source_id}={url}"]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        running.append((group, proc, time_limit(cfg, len(group))))
    results: dict[str, SourceResult] = {}
    for group, proc, limit in running:
        try:
            _, log = proc.communicate(timeout=max(0.0, limit - (time.monotonic() - clock)))
            problem = (
                f"crawler process exited with code {proc.returncode}" if proc.returncode else ""
            )
        except subprocess.TimeoutExpired:
            proc.kill()
            _, log = proc.communicate()
            problem = f"crawler process killed after {limit} s"
        if log:
            sys.stderr.write(log)
        results.update(_results(cfg, group, overrides, started, problem, log or ""))
    return {s.id: results[s.id] for s in sources}


def _results(
    cfg: Config,
    sources: list[Source],
    overrides: dict[str, str],
    started: str,
    problem: str,
    log: str,
) -> dict[str, SourceResult]:
    """Each source's recorded health; a database error (a full disk) becomes a StoreError."""
    try:
        with closing(open_db(cfg.path(cfg.database))) as db:
            results = {}
            for source in sources:
                rows = list(db.query("select * from sources where id = ?", [source.id]))
                if not rows or (rows[0]["last_attempt"] or "") < started:
                    # The subprocess died before recording this source: record why, here.
                    tail = log.strip().splitlines()[-1] if log.strip() else "no output"
                    message = f"{problem or 'no health recorded'}: {tail}"
                    outcome = SourceOutcome(
                        source.id, overrides.get(source.id, source.url), source.kind, "failed"
                    )
                    outcome.error = message
                    record_outcome(db, outcome, now_iso())
                    rows = list(db.query("select * from sources where id = ?", [source.id]))
                row = rows[0]
                results[source.id] = SourceResult(
                    source=source.id,
                    status=row["status"],
                    items_seen=row["items_seen"] or 0,
                    new_items=row["new_items"] or 0,
                    skipped=row["skipped"] or 0,
                    error=row["last_error"] or "",
                    parse_seconds=row.get("parse_seconds") or 0.0,
                )
            return results
    except sqlite3.Error as exc:
        raise StoreError(f"database {cfg.path(cfg.database)}: {exc}") from exc


def run_in_this_process(cfg: Config, sources: list[Source], overrides: dict[str, str]) -> None:
    """Run scrapy's CrawlerProcess once for the given sources (call only in a fresh process)."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.misc import load_object

    from crawlers.settings import build_settings

    db = open_db(cfg.path(cfg.database))
    try:
        build_dates = last_build_dates(db)
        now = now_iso()
        for source in sources:
            if source.kind not in SPIDERS:
                outcome = SourceOutcome(source.id, source.url, source.kind, "failed")
                outcome.error = f"no spider for source kind {source.kind!r} yet"
                record_outcome(db, outcome, now)
    finally:
        db.close()
    settings = build_settings(cfg)
    # Close cleanly a minute before the parent would kill us, so fetched events and health are
    # written instead of lost (and not fetched again and again on every run).
    settings.set("CLOSESPIDER_TIMEOUT", time_limit(cfg, len(sources)) - 60, priority="cmdline")
    process = CrawlerProcess(settings)
    # Below the log level no record is built at all (scrapy logs every scraped item at DEBUG).
    logging.getLogger("scrapy").setLevel(settings.get("LOG_LEVEL"))
    for kind, spider_path in SPIDERS.items():
        specs = [
            SourceSpec(
                id=s.id,
                url=overrides.get(s.id, s.url),
                court=s.court,
                kind=s.kind,
                last_build_date=build_dates.get(s.id, ""),
                options=dict(s.options),
                token_env=s.token_env,
                known_items=StoredKeys(cfg.path(cfg.database), s.id),
            )
            for s in sources
            if s.kind == kind
        ]
        if specs:
            process.crawl(load_object(spider_path), sources=specs)
    process.start()


@click.command()
@click.option("--config", "config_path", required=True, type=click.Path(dir_okay=False))
@click.option("--source", "source_ids", multiple=True, help="Source id to crawl (repeatable).")
@click.option("--url", "urls", multiple=True, help="SOURCE_ID=URL to fetch instead (repeatable).")
def main(config_path: str, source_ids: tuple[str, ...], urls: tuple[str, ...]) -> None:
    """Crawl sources once in this process and write events and health to the database.

    \b
    Example:
        python -m crawlers.run --config config.yaml --source pacer_txwd
    """
    private_umask()  # started by `ipwatch`, but also run by hand: its files stay private too
    try:
        cfg = load_config(config_path)
        sources = select_sources(cfg, list(source_ids))
        overrides = parse_overrides(urls)
        for source_id in overrides:
            cfg.source(source_id)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    run_in_this_process(cfg, sources, overrides)


if __name__ == "__main__":
    # Imported here, at the top of a shallow stack: scrapy builds three deprecated-class shims
    # in this module with inspect.stack(), whose cost grows with the stack's depth times the
    # modules loaded; imported later by the download handler it cost a crawl process 0.3 s.
    import scrapy.core.downloader.contextfactory  # noqa: F401

    main()
