"""Load and validate config.yaml into frozen settings objects, once, before anything runs."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from core.config_checks import (
    CourtListenerUrl,
    CronRule,
    Email,
    Mailbox,
    SourceUrl,
    Subject,
    TimeZone,
    UscourtsUrl,
    option_error,
)
from core.vocabulary import USER_AGENT, SourceKind
from core.yamlsafe import YamlError, load_yaml, shown

DEFAULT_CONFIG = "config.yaml"


class ConfigError(Exception):
    """config.yaml is missing, unreadable or invalid; the message names the key path."""


class _Section(BaseModel):
    # Unknown keys are errors: a typo in config.yaml must never be silently ignored. Strict
    # types: `timeout: yes` or `enabled: "no"` is an error, not 1 or a quietly enabled source.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Source(_Section):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="source id, used everywhere")
    kind: SourceKind
    url: SourceUrl = Field(
        description="the source's real URL: https (http only for a loopback mirror)"
    )
    court: str = Field(default="", description="court id for PACER/CourtListener sources (txwd, …)")
    enabled: bool = True
    token_env: str = Field(default="", description="name of the env var holding an API token")
    options: dict[str, str | int | float | bool | list[str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _known_options(self) -> Source:
        # Checked here, not in the spider: a typo must stop check-config, not one crawl at night.
        for key, value in self.options.items():
            problem = option_error(self.kind, key, value)
            if problem:
                raise ValueError(problem)
        return self


class Crawl(_Section):
    user_agent: str = USER_AGENT
    download_delay: float = Field(default=1.0, ge=0)
    timeout: int = Field(default=30, gt=0, description="seconds before a request is abandoned")
    retries: int = Field(default=3, ge=0)
    max_response_bytes: int = Field(default=20_000_000, gt=0)
    obey_robots: bool = True
    stale_after_hours: float = Field(default=2.0, gt=0)
    processes: int = Field(
        default=1, ge=1, le=8, description="crawl processes side by side, each with its sources"
    )


class Thresholds(_Section):
    entity: float = Field(default=0.9, ge=0, le=1)
    group: float = Field(default=0.75, ge=0, le=1)
    review: float = Field(default=0.5, ge=0, le=1)


class Matching(_Section):
    thresholds: Thresholds = Thresholds()
    aliases: dict[str, list[str]] = Field(
        default_factory=dict, description="extra names per registry id (HZ001: [..])"
    )
    exclusions: dict[str, list[str]] = Field(
        default_factory=dict, description="party patterns that must never match a registry id"
    )
    stop_words: list[str] = Field(default_factory=list)


class Smtp(_Section):
    host: str
    port: int = 587
    user: str = ""
    password_env: str = Field(
        default="", description="name of the env var holding the SMTP password"
    )
    security: Literal["starttls", "ssl", "none"] = "starttls"
    sender: Mailbox
    timeout: int = 30
    ca_file: str = Field(
        default="", description="PEM file of a private CA that signed the server's cert"
    )

    def password(self) -> str:
        """The SMTP password read from the environment variable named in config."""
        return os.environ.get(self.password_env, "") if self.password_env else ""


class LevelRule(_Section):
    level: Literal["red", "orange", "yellow"]
    forums: list[str] = Field(default_factory=list)
    events: list[str] = Field(default_factory=list)


# The forums a case can have (crawlers set them); auto sign-off rules must name them exactly.
FORUMS: tuple[str, ...] = ("usdc", "itc", "upc", "news")


class AutoSignoff(_Section):
    """Notices of these levels in these forums are signed off without an approver."""

    levels: list[Literal["red", "orange", "yellow"]] = Field(min_length=1)
    forums: list[Literal["usdc", "itc", "upc", "news"]] = Field(min_length=1)


def _entity_only() -> list[Literal["entity"]]:
    return ["entity"]


class Alerts(_Section):
    out_dir: str = "data/out"
    auto_send_levels: list[Literal["entity"]] = Field(default_factory=_entity_only)
    auto_send_min_score: float = Field(default=0.95, ge=0, le=1)
    subject: Subject = "【海外知识产权风险预警】{forum} {case_no} {company}"
    notice_rules: list[LevelRule] = Field(default_factory=list)
    max_attempts: int = Field(default=6, ge=1)
    retry_base_seconds: int = Field(default=300, ge=1)
    auto_signoff: list[AutoSignoff] = Field(
        default_factory=list, description="levels × forums signed off without an approver (off)"
    )
    chromium: str = Field(
        default="/usr/bin/chromium",
        description="headless Chromium that prints each notice's PDF copy; empty: no PDF",
    )


class Bureau(_Section):
    name: str = "惠州市市场监督管理局（知识产权局）"
    desk: str = "知识产权保护科"
    email: Email
    phone: str
    address: str = ""
    hotline: str = "12330"


class Pacer(_Section):
    """Paid PACER docket reports for the party lists of new IP cases (off unless configured)."""

    username: str = Field(default="", description="PACER account; a non-filer account is best")
    password_env: str = Field(default="", description="name of the env var holding the password")
    client_code: str = ""
    monthly_budget_usd: float = Field(default=0.0, ge=0, description="0 = never buy")
    allow_over_waiver: bool = Field(
        default=False, description="allow a quarter's fees to pass PACER's $30 fee waiver"
    )
    max_reports_per_run: int = Field(default=10, ge=1)
    login_url: UscourtsUrl = "https://pacer.login.uscourts.gov/services/cso-auth"
    ecf_url: UscourtsUrl = "https://ecf.{court}.uscourts.gov"
    courtlistener_url: CourtListenerUrl = "https://www.courtlistener.com"
    courtlistener_token_env: str = "IPWATCH_COURTLISTENER_TOKEN"

    def password(self) -> str:
        """The PACER password read from the environment variable named in config."""
        return os.environ.get(self.password_env, "") if self.password_env else ""

    @property
    def can_buy(self) -> bool:
        """True when an account and a budget are configured (the password is checked at login)."""
        return bool(self.username and self.password_env and self.monthly_budget_usd > 0)


class Job(_Section):
    cron: CronRule
    sources: list[str] = Field(default_factory=list)


class Schedule(_Section):
    timezone: TimeZone = "Asia/Shanghai"
    misfire_grace_seconds: int = Field(default=600, gt=0)
    jobs: dict[str, Job] = Field(default_factory=dict)


class Web(_Section):
    """The analysts' console (`ipwatch serve`)."""

    secure_cookies: bool = Field(
        default=False, description="send the session cookie only over HTTPS (behind TLS)"
    )
    session_secret_env: str = Field(
        default="IPWATCH_SESSION_SECRET",
        description="env var with the cookie-signing secret; unset: a private key file",
    )
    labels: str = Field(
        default="", description="labelled parties CSV used to show a settings change's effect"
    )
    login_attempts: int = Field(default=5, ge=1, description="failed logins before a pause")
    login_window_minutes: int = Field(default=15, ge=1)


class Config(_Section):
    database: str = "data/ipwatch.db"
    registry: str = "data/exporters.csv"
    timezone: TimeZone = "Asia/Shanghai"
    log_file: str = "data/out/ipwatch.log"
    event_retention_days: int = Field(default=365, ge=1)
    crawl: Crawl = Crawl()
    sources: list[Source]
    matching: Matching = Matching()
    alerts: Alerts = Alerts()
    smtp: Smtp | None = None
    bureau: Bureau
    analysts: list[Email] = Field(default_factory=list)
    cc: list[Email] = Field(default_factory=list)
    bcc: list[Email] = Field(default_factory=list)
    schedule: Schedule = Schedule()
    pacer: Pacer = Pacer()
    web: Web = Web()
    base_dir: str = Field(
        default="", exclude=True, description="folder of config.yaml; set on load"
    )

    @model_validator(mode="after")
    def _unique_source_ids(self) -> Config:
        seen: set[str] = set()
        for source in self.sources:
            if source.id in seen:
                raise ValueError(f"duplicate source id {source.id!r}")
            seen.add(source.id)
        for name, job in self.schedule.jobs.items():
            unknown = [s for s in job.sources if s not in seen]
            if unknown:
                raise ValueError(
                    f"schedule.jobs.{name}.sources: unknown source(s) {', '.join(unknown)} "
                    f"(known: {', '.join(sorted(seen))})"
                )
        return self

    def path(self, value: str) -> Path:
        """Resolve a path from config relative to the folder holding config.yaml."""
        p = Path(value)
        return p if p.is_absolute() else Path(self.base_dir or ".") / p

    def source(self, source_id: str) -> Source:
        """The configured source with this id, or ConfigError naming the known ids."""
        for source in self.sources:
            if source.id == source_id:
                return source
        known = ", ".join(s.id for s in self.sources)
        raise ConfigError(f"no source {source_id!r} in config.yaml (known: {known})")


def _format_error(name: str, err: ValidationError) -> str:
    lines = []
    for e in err.errors():
        where = ".".join(str(p) for p in e["loc"]) or "(top level)"
        what = "unknown key" if e["type"] == "extra_forbidden" else e["msg"]
        what = what.removeprefix("Value error, ")
        if e["type"] not in ("missing", "extra_forbidden") and "input" in e:
            what += f", got {shown(e['input'])}"  # a short prefix: never a whole huge value
        lines.append(f"{name}: {where}: {what}")
    return "\n".join(lines)


def load_config(path: str | os.PathLike[str] = DEFAULT_CONFIG) -> Config:
    """Read and validate config.yaml; raise ConfigError naming every bad key path."""
    p = Path(path)
    name = p.name
    try:
        raw = load_yaml(p)
    except FileNotFoundError:
        raise ConfigError(f"{p}: file not found (pass --config or set IPWATCH_CONFIG)") from None
    except IsADirectoryError:
        raise ConfigError(f"{p}: is a folder, not a config file") from None
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read: {exc.strerror}") from None
    except YamlError as exc:
        raise ConfigError(f"{name}: {exc}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{name}: (top level): must be a mapping of settings")
    try:
        cfg = Config.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_format_error(name, exc)) from None
    return cfg.model_copy(update={"base_dir": str(p.resolve().parent)})
