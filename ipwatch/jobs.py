"""The scheduled jobs: config.yaml's schedule.jobs (or the defaults), their cron triggers."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from datetime import UTC, datetime

from apscheduler.triggers.cron import CronTrigger

from core.config import Config, ConfigError
from core.config_checks import cron_trigger

log = logging.getLogger("ipwatch.schedule")  # the scheduler's log: one place to read its jobs

# Default jobs when config.yaml has no schedule.jobs: (name, cron in Asia/Shanghai, source kinds).
# Why these times: see the schedule section of config.yaml and docs/operator.md.
DEFAULT_JOBS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("pacer", "*/15 * * * *", ("pacer_rss",)),
    ("itc", "0 7 * * *", ("fr_itc", "edis")),
    ("courtlistener", "20 * * * *", ("courtlistener",)),
    ("news", "45 * * * *", ("feed", "upc")),
    ("digest", "30 8 * * mon-fri", ()),
)
DIGEST_JOB = "digest"  # the one job name that writes the digest instead of running a cycle


@dataclass(frozen=True)
class JobSpec:
    """One scheduled job: its config name, cron rule and the sources a cycle job crawls."""

    name: str
    cron: str
    sources: tuple[str, ...] = ()

    def commands(self, config_path: str) -> list[list[str]]:
        """The command lines the job runs, in order: the `ipwatch` commands an operator types."""
        base = [sys.executable, "-m", "ipwatch"]
        if self.name == DIGEST_JOB:
            # Deliver right away: the analysts read the digest at 08:30, not at the next crawl.
            return [[*base, "digest", "--config", config_path],
                    [*base, "notify", "--config", config_path]]  # fmt: skip
        return [[*base, "run", "--json", "--config", config_path, *self.sources]]


def make_trigger(cron: str, timezone: str) -> CronTrigger:
    """A CronTrigger from 5 crontab fields, or 6 with a leading seconds field (for short tests)."""
    try:
        return cron_trigger(cron, timezone)
    except (ValueError, LookupError) as exc:
        raise ConfigError(f"config.yaml: schedule: cron {cron!r}: {exc}") from None


def job_specs(cfg: Config) -> list[JobSpec]:
    """The jobs to schedule: config.yaml's schedule.jobs, or the defaults for configured sources."""
    enabled = [s for s in cfg.sources if s.enabled]
    specs: list[JobSpec] = []
    if cfg.schedule.jobs:
        known = {s.id for s in cfg.sources}
        for name, job in cfg.schedule.jobs.items():
            unknown = [s for s in job.sources if s not in known]
            if unknown:
                raise ConfigError(
                    f"config.yaml: schedule.jobs.{name}.sources: unknown source(s) "
                    f"{', '.join(unknown)} (known: {', '.join(sorted(known))})"
                )
            wanted = job.sources or [s.id for s in enabled]  # no list = every enabled source
            ids = tuple(s.id for s in enabled if s.id in wanted)
            specs.append(JobSpec(name, job.cron, () if name == DIGEST_JOB else ids))
    else:
        for name, cron, kinds in DEFAULT_JOBS:
            ids = tuple(s.id for s in enabled if s.kind in kinds)
            specs.append(JobSpec(name, cron, ids))
    kept = []
    for spec in specs:
        make_trigger(spec.cron, cfg.schedule.timezone)  # a bad rule fails at start, not at 3 a.m.
        if spec.name != DIGEST_JOB and not spec.sources:
            log.info("job %s not scheduled: none of its sources is configured", spec.name)
            continue
        kept.append(spec)
    return kept


def next_run(spec: JobSpec, timezone: str, now: datetime | None = None) -> datetime | None:
    """When the job fires next after `now`, computed from its cron rule (no scheduler state)."""
    return make_trigger(spec.cron, timezone).get_next_fire_time(None, now or datetime.now(UTC))
