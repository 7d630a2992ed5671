"""CLI commands for the match stage: eval, explain, review and features."""

from __future__ import annotations

import getpass
import os
from datetime import UTC, datetime
from pathlib import Path

import click

from core.match_settings import effective_config
from core.registry_store import NAME_KIND_LABELS, VARIANT_KINDS
from core.review import REASON_CODES
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
@json_option
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
        echo_json(report)
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


@click.command()
@click.argument("party")
@click.option(
    "--location", default="", help='Where the source says the party is ("Huizhou, China").'
)
@config_option
@json_option
def explain(party: str, location: str, config_path: str, as_json: bool) -> None:
    """Show why a party matches (or not): level, registry name, tokens, places, runner-up.

    \b
    Example:
        ipwatch explain "TCL Industries Holdings (H.K.) Limited"
    """
    from matcher.evaluate import explain_record

    record = explain_record(_matcher(config_path), party, location)
    if as_json:
        echo_json(record)
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
    for cand in record["candidates"]:
        click.echo(
            f"候选 candidate: {cand['company_id']} {cand['name_zh']} {cand['score']:.2f} "
            f"({'; '.join(cand['why'])})"
        )
    if record["candidates"]:
        click.echo(f'关联 link: ipwatch registry link "{party}" ID --reason …')


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
    from core.review import pending_list

    emit(pending_list(open_store(load(config_path))), fmt)


def _decide(
    config_path: str,
    match_id: str,
    action: str,
    by: str,
    reason: str,
    kind: str = "",
    code: str = "",
) -> None:
    from matcher.registry import RegistryError
    from matcher.registry_db import load_db_registry
    from matcher.review import ReviewError, decide

    cfg = load(config_path)
    db = open_store(cfg)
    try:
        registry = load_db_registry(db, cfg) if kind else None
        done = decide(
            db, registry, match_id, action, by=by, reason=reason, variant_kind=kind,
            reason_code=code,
        )  # fmt: skip
    except (ReviewError, RegistryError) as exc:
        raise click.ClickException(str(exc)) from None
    info(f"{done.status}: {match_id} ({done.party} → {done.target}) by {by}")
    info(f"撤销 undo: ipwatch review undo {done.batch}")
    if action == "confirm":
        from alerts.confirm import confirmation_effects

        for line in confirmation_effects(db, cfg, match_id, by, datetime.now(UTC), bool(kind)):
            info(line)
    if done.name:
        info(
            f"已添加名称 added name #{done.name.id} '{done.name.text}' ({done.name.kind}) to "
            f"{done.target}; 撤销 undo: ipwatch registry remove-name {done.target} "
            f"{done.name.id} --reason …"
        )
    elif action == "confirm" and done.party != done.matched_name:
        info(f"提示 Hint: add '{done.party}' as a name of {done.target} with --as-variant")


_by = click.option(
    "--by",
    default=lambda: os.environ.get("USER") or getpass.getuser(),
    show_default="$USER",
    help="Who decides (stored with the decision).",
)


@review.command()
@click.argument("match_id")
@click.option(
    "--as-variant", is_flag=True, help="Also add the party's spelling as a registry name."
)
@click.option(
    "--kind",
    type=click.Choice(VARIANT_KINDS),
    default=None,
    help="Which kind of name the spelling is (asked when omitted).",
)
@click.option("--reason", default="", help="Why (optional for a confirmation).")
@_by
@click.pass_obj
def confirm(
    config_path: str, match_id: str, as_variant: bool, kind: str | None, reason: str, by: str
) -> None:
    """Confirm a match; --as-variant adds the spelling as a typed name (undo: registry remove-name).

    \b
    Example:
        ipwatch review confirm 3f2a9c0d1e2b4a5f --as-variant --kind en_variant
    """
    if as_variant and not kind:
        for k in VARIANT_KINDS:
            click.echo(f"  {k:16} {NAME_KIND_LABELS[k]}", err=True)
        kind = click.prompt(
            "这是哪一类名称？ Which kind of name is it", type=click.Choice(VARIANT_KINDS)
        )
    _decide(config_path, match_id, "confirm", by, reason, (kind or "") if as_variant else "")


@review.command()
@click.argument("match_id")
@click.option("--reason", required=True, help="Why the match is wrong (stored).")
@click.option(
    "--code",
    type=click.Choice(list(REASON_CODES)),
    default=None,
    help="Reason code, as in the console: "
    + ", ".join(f"{k} {v}" for k, v in REASON_CODES.items()),
)
@_by
@click.pass_obj
def dismiss(config_path: str, match_id: str, reason: str, code: str | None, by: str) -> None:
    """Dismiss a match: this party string never matches this company again.

    \b
    Example:
        ipwatch review dismiss 3f2a9c0d1e2b4a5f --code foreign_parent --reason "Korean parent"
    """
    _decide(config_path, match_id, "dismiss", by, reason, code=code or "")


@review.command(name="undo")
@click.argument("batch")
@_by
@click.pass_obj
def undo_command(config_path: str, batch: str, by: str) -> None:
    """Take back a decision (or a console batch): the matches return to the queue.

    Names the decision taught are withdrawn (kept in the history). Same as the console's 撤销.

    \b
    Example:
        ipwatch review undo 9c41d0e2a7b35f18
    """
    from matcher.review import ReviewError
    from matcher.review_undo import undo

    db = open_store(load(config_path))
    try:
        done = undo(db, batch, by)
    except ReviewError as exc:
        raise click.ClickException(str(exc)) from None
    ids = done.matches
    info(f"已撤销 undone {len(ids)}: {', '.join(ids)} — 回到待复核 back in the queue")
    for notice_id in done.drafts:
        info(f"已删除该确认起草的预警提示草稿 {notice_id} draft deleted")


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
