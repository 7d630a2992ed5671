"""Load and validate config.yaml into frozen settings objects, once, before anything runs."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

DEFAULT_CONFIG = "config.yaml"


class ConfigError(Exception):
    """config.yaml is missing, unreadable or invalid; the message names the key path."""


class _Section(BaseModel):
    # Unknown keys are errors: a typo in config.yaml must never be silently ignored.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class Source(_Section):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="source id, used everywhere")
    kind: Literal["pacer_rss", "fr_itc", "edis", "courtlistener", "feed", "upc"]
    url: str = Field(description="the source's real URL")
    court: str = Field(default="", description="court id for PACER/CourtListener sources (txwd, …)")
    enabled: bool = True
    token_env: str = Field(default="", description="name of the env var holding an API token")
    options: dict[str, str | int | float | bool | list[str]] = Field(default_factory=dict)


class Crawl(_Section):
    user_agent: str = "ipwatch/0.1 (+https://amr.huizhou.gov.cn; ipwatch@hzamr.gov.cn)"
    download_delay: float = Field(default=1.0, ge=0)
    timeout: int = Field(default=30, gt=0, description="seconds before a request is abandoned")
    retries: int = Field(default=3, ge=0)
    max_response_bytes: int = Field(default=20_000_000, gt=0)
    obey_robots: bool = True
    stale_after_hours: float = Field(default=2.0, gt=0)


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
    sender: str
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


def _entity_only() -> list[Literal["entity"]]:
    return ["entity"]


class Alerts(_Section):
    out_dir: str = "data/out"
    auto_send_levels: list[Literal["entity"]] = Field(default_factory=_entity_only)
    auto_send_min_score: float = Field(default=0.95, ge=0, le=1)
    subject: str = "【海外知识产权风险预警】{forum} {case_no} {company}"
    notice_rules: list[LevelRule] = Field(default_factory=list)
    max_attempts: int = Field(default=6, ge=1)
    retry_base_seconds: int = Field(default=300, ge=1)


class Bureau(_Section):
    name: str = "惠州市市场监督管理局（知识产权局）"
    desk: str = "知识产权保护科"
    email: str
    phone: str
    address: str = ""
    hotline: str = "12330"


class Job(_Section):
    cron: str
    sources: list[str] = Field(default_factory=list)


class Schedule(_Section):
    timezone: str = "Asia/Shanghai"
    misfire_grace_seconds: int = 600
    jobs: dict[str, Job] = Field(default_factory=dict)


class Config(_Section):
    database: str = "data/ipwatch.db"
    registry: str = "data/exporters.csv"
    timezone: str = "Asia/Shanghai"
    log_file: str = "data/out/ipwatch.log"
    event_retention_days: int = Field(default=365, ge=1)
    crawl: Crawl = Crawl()
    sources: list[Source]
    matching: Matching = Matching()
    alerts: Alerts = Alerts()
    smtp: Smtp | None = None
    bureau: Bureau
    analysts: list[str] = Field(default_factory=list)
    cc: list[str] = Field(default_factory=list)
    bcc: list[str] = Field(default_factory=list)
    schedule: Schedule = Schedule()
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
        if e["type"] not in ("missing", "extra_forbidden") and "input" in e:
            what += f", got {e['input']!r}"
        lines.append(f"{name}: {where}: {what}")
    return "\n".join(lines)


def load_config(path: str | os.PathLike[str] = DEFAULT_CONFIG) -> Config:
    """Read and validate config.yaml; raise ConfigError naming every bad key path."""
    p = Path(path)
    name = p.name
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{p}: file not found (pass --config or set IPWATCH_CONFIG)") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{name}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{name}: (top level): must be a mapping of settings")
    try:
        cfg = Config.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_format_error(name, exc)) from None
    return cfg.model_copy(update={"base_dir": str(p.resolve().parent)})
