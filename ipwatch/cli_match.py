"""CLI commands for the match stage: eval, explain, review and features."""

from __future__ import annotations

import getpass
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from core.match_settings import effective_config
from ipwatch.cli_common import config_option, emit, info, load, open_store, output_options


def _matcher(config_path: str, with_db: bool = True):  # type: ignore[no-untyped-def]
    """Build the same matcher as `ipwatch run` (config, registry, analyst decisions)."""
    from matcher.match import build_matcher
    from matcher.registry import RegistryError

    cfg = load(config_path)
    try:
        db = open_store(cfg) if with_db else None
        return build_matcher(effective_config(cfg, db), db)
    except RegistryError as exc:
        raise click.ClickException(f"{exc}\n  Hint: check `registry:` in config.yaml.") from None


@click.command(name="eval")
@click.argument("labels", type=click.Path(dir_okay=False))
@config_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def eval_command(labels: str, config_path: str, as_json: bool) -> None:
    """Score the matcher on labelled parties: precision, recall, errors explained.

    LABELS has the columns case_id,source,party,expected_level,expected_id.

    \b
    Example:
        ipwatch eval tests/examples/matcher/party_labels.csv --json
    """
    from matcher.evaluate import LabelsError, evaluate

    matcher = _matcher(config_path)
    try:
        report = evaluate(matcher, Path(labels)).to_json()
    except LabelsError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    for level, stats in report["levels"].items():
        click.echo(
            f"{level:7} precision {stats['precision']:.3f}  recall {stats['recall']:.3f}  "
            f"support {stats['support']}"
        )
    click.echo(f"误报 false entity alarms: {report['false_entity_alarms']}")
    for err in report["errors"]:
        click.echo(
            f"\nline {err['line']}: {err['party']!r}: expected {err['expected']}, got {err['got']}"
        )
        for name, detail in err["explanation"].items():
            click.echo(f"  - {name}: {detail}")


def explain_record(matcher: Any, party: str, location: str) -> dict[str, Any]:
    """The matcher's verdict on one party as a plain record."""
    from matcher.features import alignment
    from matcher.normalize import parse_name
    from matcher.types import Party

    result = matcher.match(Party(party, "defendant", location))
    scored, _ = matcher.candidates(Party(party, "defendant", location), prune=False)
    company = matcher.companies.get(result.company_id)
    best = scored[0][1] if scored and result.level not in ("none", "local") else None
    name, where = parse_name(party), parse_name(location)
    return {
        "party": party,
        "location": location,
        "level": result.level,
        "score": result.score,
        "company_id": result.company_id,
        "company": (company.name_zh or company.name_en) if company else "",
        "group": result.group,
        "matched_name": result.matched_name,
        "matched_kind": result.matched_kind,
        "alignment": alignment(best) if best else "",
        "huizhou_places": list(name.hz_places + where.hz_places),
        "other_places": list(name.other_places + where.other_places),
        "evidence": {
            k: {"score": e.score, "detail": e.detail} for k, e in result.explanations.items()
        },
        "runner_up": result.runner_up,
    }


@click.command()
@click.argument("party")
@click.option(
    "--location", default="", help='Where the source says the party is ("Huizhou, China").'
)
@config_option
@click.option("--json", "as_json", is_flag=True, help="Print the verdict as JSON.")
def explain(party: str, location: str, config_path: str, as_json: bool) -> None:
    """Show why a party matches (or not): level, registry name, tokens, places, runner-up.

    \b
    Example:
        ipwatch explain "TCL Industries Holdings (H.K.) Limited"
    """
    record = explain_record(_matcher(config_path), party, location)
    if as_json:
        click.echo(json.dumps(record, ensure_ascii=False, indent=2))
        return
    click.echo(f"级别 level: {record['level']}  score {record['score']:.2f}")
    if record["company_id"] or record["group"]:
        click.echo(
            f"企业 company: {record['company_id']} {record['company']}  group: {record['group']}"
        )
        click.echo(f"matched name: {record['matched_name']} ({record['matched_kind']})")
        click.echo(f"tokens: {record['alignment']}")
    click.echo(
        f"Huizhou words: {', '.join(record['huizhou_places']) or '-'}; "
        f"other places: {', '.join(record['other_places']) or '-'}"
    )
    for name, ev in record["evidence"].items():
        click.echo(f"  - {name}: {ev['detail']}")
    click.echo(f"runner-up: {record['runner_up'] or '-'}")


@click.group(invoke_without_command=True)
@config_option
@output_options
@click.pass_context
def review(ctx: click.Context, config_path: str, fmt: str | None) -> None:
    """List pending matches; confirm or dismiss them with `review confirm|dismiss MATCH_ID`.

    \b
    Example:
        ipwatch review
        ipwatch review dismiss 3f2a9c0d1e2b4a5f --reason "Korean parent, not the Huizhou plant"
    """
    ctx.obj = config_path
    if ctx.invoked_subcommand:
        return
    db = open_store(load(config_path))
    from core.review import pending_list

    emit(pending_list(db), fmt)


def _decide(
    config_path: str, match_id: str, action: str, by: str, reason: str, variant: bool
) -> None:
    from core.review import matches_by_id
    from matcher.review import ReviewError, decide

    cfg = load(config_path)
    db = open_store(cfg)
    found = matches_by_id(db, [match_id])
    if not found:
        raise click.ClickException(f"no match {match_id!r} (see `ipwatch review` for pending ids)")
    row = found[0]
    try:
        decide(db, [match_id], action, by, text=reason, link=variant)
    except ReviewError as exc:
        raise click.ClickException(str(exc)) from None
    status = "confirmed" if action == "confirm" else "dismissed"
    info(
        f"{status}: {match_id} ({row['party']} → {row['company_id'] or row['group_name']}) by {by}"
    )
    if action == "confirm":
        from alerts.confirm import confirmation_effects

        for line in confirmation_effects(db, cfg, match_id, by, datetime.now(UTC), variant):
            info(line)
    if action == "confirm" and not variant and row["party"] != row["matched_name"]:
        info(
            f"提示 Hint: add '{row['party']}' as a variant of {row['company_id']} with --as-variant"
        )


_by = click.option(
    "--by",
    default=lambda: os.environ.get("USER") or getpass.getuser(),
    show_default="$USER",
    help="Who decides (stored with the decision).",
)


@review.command()
@click.argument("match_id")
@click.option(
    "--as-variant", is_flag=True, help="Also add the party's spelling as a registry variant."
)
@click.option("--reason", default="", help="Why (optional for a confirmation).")
@_by
@click.pass_obj
def confirm(config_path: str, match_id: str, as_variant: bool, reason: str, by: str) -> None:
    """Confirm a match; --as-variant makes the spelling an entity-level name from now on."""
    _decide(config_path, match_id, "confirm", by, reason, as_variant)


@review.command()
@click.argument("match_id")
@click.option("--reason", required=True, help="Why the match is wrong (stored).")
@_by
@click.pass_obj
def dismiss(config_path: str, match_id: str, reason: str, by: str) -> None:
    """Dismiss a match: this party string never matches this company again."""
    _decide(config_path, match_id, "dismiss", by, reason, False)


@click.command()
def features() -> None:
    """List the matching features with their weights and what each one means.

    \b
    Example:
        ipwatch features
    """
    from matcher.algorithm import FEATURES

    for feat in FEATURES:
        click.echo(f"{feat.name:18} {feat.weight:4.2f}  {feat.role:16} {feat.fn.__doc__}")


COMMANDS: list[click.Command] = [eval_command, explain, review, features]
