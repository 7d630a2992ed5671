"""Matching settings edited in the console: versions with who and why, merged over config.yaml.

config.yaml's `matching:` stays the starting values. Each saved version holds the whole
effective settings, so history reads plainly and a revert is saving an older version again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import yaml
from pydantic import ValidationError
from sqlite_utils import Database

from core.config import Config, Matching
from core.store import dumps, now_iso, rows


class SettingsError(Exception):
    """Settings from the console are invalid; the message names the field."""


@dataclass(frozen=True)
class SettingsVersion:
    """One saved version of the matching settings."""

    id: int
    at: str
    actor: str
    reason: str
    matching: Matching


def _parse(text: str) -> Matching:
    try:
        return Matching.model_validate(json.loads(text))
    except (ValueError, ValidationError) as exc:
        raise SettingsError(f"stored matching settings are invalid: {exc}") from None


def history(db: Database, limit: int = 50) -> list[SettingsVersion]:
    """Saved versions, newest first."""
    sql = "select * from match_settings order by id desc limit ?"
    return [
        SettingsVersion(r["id"], r["at"], r["actor"], r["reason"], _parse(r["settings"]))
        for r in rows(db, sql, (limit,))
    ]


def version(db: Database, version_id: int) -> SettingsVersion | None:
    """One saved version, or None."""
    for r in rows(db, "select * from match_settings where id = ?", (version_id,)):
        return SettingsVersion(r["id"], r["at"], r["actor"], r["reason"], _parse(r["settings"]))
    return None


def effective_matching(cfg: Config, db: Database | None) -> Matching:
    """The newest saved settings, or config.yaml's `matching:` when none were saved."""
    if db is None or "match_settings" not in db.table_names():
        return cfg.matching
    found = history(db, limit=1)
    return found[0].matching if found else cfg.matching


def effective_config(cfg: Config, db: Database | None) -> Config:
    """The config with the effective matching settings: the one merge every cycle uses."""
    return cfg.model_copy(update={"matching": effective_matching(cfg, db)})


# pydantic's error types in the analysts' words; {…} are filled from the error's context.
ERRORS_ZH = {
    "less_than_equal": "不能大于 {le}",
    "less_than": "须小于 {lt}",
    "greater_than_equal": "不能小于 {ge}",
    "greater_than": "须大于 {gt}",
    "finite_number": "须为有限的数",
    "float_parsing": "须为数字",
    "float_type": "须为数字",
    "string_type": "须为文字",
    "list_type": "须为列表",
    "dict_type": "须为“编号: 名称”的对应",
    "extra_forbidden": "不是可设置的项",
    "missing": "必须填写",
}
THRESHOLDS_ZH = {"entity": "企业阈值", "group": "集团阈值", "review": "复核阈值"}


def error_zh(error: dict[str, object]) -> str:
    """One pydantic error as `field: 中文说明（English）`."""
    where = ".".join(str(p) for p in error["loc"])  # type: ignore[attr-defined]
    template = ERRORS_ZH.get(str(error["type"]))
    context = {  # 1.0 is shown as 1
        k: f"{v:g}" if isinstance(v, float) else v
        for k, v in (error.get("ctx") or {}).items()  # type: ignore[attr-defined]
    }
    text = template.format(**context) if template else "取值无效"  # type: ignore[arg-type]
    return f"{where}: {text}（{error['msg']}）"


def validate(data: dict[str, object]) -> Matching:
    """Check settings from a form; SettingsError names the bad field, in Chinese."""
    try:
        matching = Matching.model_validate(data)
    except ValidationError as exc:
        raise SettingsError(error_zh(dict(exc.errors()[0]))) from None
    t = matching.thresholds
    # A party scoring above the entity threshold must also pass the lower ones (levels nest).
    if not t.review <= t.group <= t.entity:
        raise SettingsError(
            f"thresholds: 须满足 复核阈值 ≤ 集团阈值 ≤ 企业阈值，现为 {t.review} / {t.group} / "
            f"{t.entity}（review ≤ group ≤ entity）"
        )
    return matching


def save(db: Database, matching: Matching, actor: str, reason: str) -> int:
    """Store a new version; the reason is required."""
    if not reason.strip():
        raise SettingsError("reason: say why the settings change (保存须填写原因)")
    table = db.table("match_settings")
    table.insert(
        {
            "at": now_iso(),
            "actor": actor,
            "reason": reason.strip(),
            "settings": dumps(matching.model_dump()),
        }
    )
    return int(table.last_pk or 0)


def as_yaml(matching: Matching) -> str:
    """The settings as a `matching:` block for config.yaml."""
    return yaml.safe_dump({"matching": matching.model_dump()}, allow_unicode=True, sort_keys=True)
