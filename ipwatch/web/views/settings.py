"""匹配设置: aliases, exclusions, stop words and thresholds, each change shown with its effect on
the labelled parties before it is saved with who and why; history, revert and YAML export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from core.audit import record
from core.config import Config, Matching
from core.match_settings import (
    THRESHOLDS_ZH,
    SettingsError,
    as_yaml,
    effective_matching,
    history,
    save,
    validate,
    version,
)
from ipwatch.web.context import ANALYSTS, Ctx, clip, page
from matcher.evaluate import LabelsError, evaluate
from matcher.match import build_matcher
from matcher.registry import RegistryError

# The labelled parties shipped with the tests, used when config `web.labels` is not set.
DEFAULT_LABELS = Path(__file__).resolve().parents[3] / "tests/examples/matcher/party_labels.csv"


def labels_path(cfg: Config) -> Path | None:
    """The labels file a settings change is evaluated on, or None when there is none."""
    path = cfg.path(cfg.web.labels) if cfg.web.labels else DEFAULT_LABELS
    return path if path.exists() else None


def _lines(text: str) -> dict[str, list[str]]:
    """`KEY: name` per line into {KEY: [names]} (blank lines ignored)."""
    out: dict[str, list[str]] = {}
    for raw in text.splitlines():
        if not raw.strip():
            continue
        key, sep, value = raw.partition(":")
        if not sep or not key.strip() or not value.strip():
            raise SettingsError(f"“{raw.strip()}”：每行写作 编号: 名称")
        out.setdefault(key.strip(), []).append(value.strip())
    return out


def _as_lines(mapping: dict[str, list[str]]) -> str:
    return "\n".join(f"{k}: {v}" for k, values in mapping.items() for v in values)


def from_form(ctx: Ctx) -> Matching:
    """The settings the form describes; SettingsError names the bad field."""
    thresholds = {}
    for key, label in THRESHOLDS_ZH.items():
        try:
            thresholds[key] = float(ctx.get(f"t_{key}"))
        except ValueError:
            raise SettingsError(f"thresholds.{key}（{label}）: 须为 0 到 1 之间的数") from None
    return validate(
        {
            "thresholds": thresholds,
            "aliases": _lines(ctx.get("aliases")),
            "exclusions": _lines(ctx.get("exclusions")),
            "stop_words": [w.strip() for w in ctx.get("stop_words").splitlines() if w.strip()],
        }
    )


def effect(ctx: Ctx, matching: Matching) -> dict[str, Any]:
    """Evaluate the labelled parties with the given settings (precision, recall, errors)."""
    path = labels_path(ctx.cfg)
    if path is None:
        return {"error": "未找到标注数据（config.yaml web.labels），无法显示效果"}
    try:
        matcher = build_matcher(ctx.cfg.model_copy(update={"matching": matching}), ctx.db)
        report = evaluate(matcher, path).to_json()
    except (LabelsError, RegistryError) as exc:
        return {"error": str(exc)}
    report["keys"] = {(e["line"], e["got"]) for e in report["errors"]}
    report["path"] = str(path)
    return report


def _form_values(matching: Matching) -> dict[str, str]:
    return {
        "aliases": _as_lines(matching.aliases),
        "exclusions": _as_lines(matching.exclusions),
        "stop_words": "\n".join(matching.stop_words),
        "t_entity": str(matching.thresholds.entity),
        "t_group": str(matching.thresholds.group),
        "t_review": str(matching.thresholds.review),
    }


@page()
def settings_page(ctx: Ctx) -> Response:
    """The effective settings in editable form, with their history."""
    current = effective_matching(ctx.cfg, ctx.db)
    return ctx.render(
        "settings.html", values=_form_values(current), versions=history(ctx.db), preview=None
    )


@page(ANALYSTS)
def settings_preview(ctx: Ctx) -> Response:
    """Show the change's effect on the labelled parties, before and after, and offer to save."""
    try:
        proposed = from_form(ctx)
    except SettingsError as exc:
        ctx.flash("error", f"设置有误：{exc}")
        return ctx.redirect("/settings")
    current = effective_matching(ctx.cfg, ctx.db)
    before, after = effect(ctx, current), effect(ctx, proposed)
    fixed = [
        e for e in before.get("errors", []) if (e["line"], e["got"]) not in after.get("keys", set())
    ]
    broken = [
        e for e in after.get("errors", []) if (e["line"], e["got"]) not in before.get("keys", set())
    ]
    return ctx.render(
        "settings.html", values=_form_values(proposed), versions=history(ctx.db),
        preview={"before": before, "after": after, "fixed": fixed, "broken": broken,
                 "unchanged": proposed == current},
    )  # fmt: skip


def _store(ctx: Ctx, matching: Matching, reason: str, action: str) -> Response:
    current = effective_matching(ctx.cfg, ctx.db)
    try:
        version_id = save(ctx.db, matching, ctx.user.name, reason)
    except SettingsError as exc:
        ctx.flash("error", f"未保存：{exc}")
        return ctx.redirect("/settings")
    record(ctx.db, ctx.user.name, action, f"match_settings:{version_id}", reason,
           {"before": current.model_dump(), "after": matching.model_dump()})  # fmt: skip
    ctx.flash("ok", f"已保存为第 {version_id} 版，下次运行起生效。")
    return ctx.redirect("/settings")


@page(ANALYSTS)
def settings_save(ctx: Ctx) -> Response:
    """Save the previewed settings with the reason."""
    try:
        proposed = from_form(ctx)
    except SettingsError as exc:
        ctx.flash("error", f"设置有误：{exc}")
        return ctx.redirect("/settings")
    return _store(ctx, proposed, ctx.get("reason"), "settings.save")


@page(ANALYSTS)
def settings_revert(ctx: Ctx) -> Response:
    """Make an older version the effective one again (a new version, with the reason)."""
    raw = ctx.get("version")
    # Digits only, and small enough for SQLite: anything else is no version at all.
    number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else None
    old = version(ctx.db, number) if number is not None else None
    if old is None:
        ctx.flash("error", f"没有这个版本：“{clip(raw, 30)}”。")
        return ctx.redirect("/settings")
    reason = f"恢复到第 {old.id} 版：{ctx.get('reason')}" if ctx.get("reason") else ""
    return _store(ctx, old.matching, reason, "settings.revert")


@page()
def settings_export(ctx: Ctx) -> Response:
    """The effective settings as a `matching:` block for config.yaml."""
    return PlainTextResponse(
        as_yaml(effective_matching(ctx.cfg, ctx.db)),
        media_type="application/yaml; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="matching.yaml"'},
    )


ROUTES = [
    Route("/settings", settings_page),
    Route("/settings/preview", settings_preview, methods=["POST"]),
    Route("/settings/save", settings_save, methods=["POST"]),
    Route("/settings/revert", settings_revert, methods=["POST"]),
    Route("/settings/export", settings_export),
]
