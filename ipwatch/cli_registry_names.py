"""`ipwatch registry` name commands: list, add, remove and link names; rank candidates; and
`ipwatch eval-names`, matching from Chinese legal names scored on a file of name pairs.

Also the options the registry commands share (who makes a change, the registry as matched).
"""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path

import click

from core.registry_store import NAME_KIND_LABELS, NAME_KINDS, VARIANT_KINDS
from ipwatch.cli_common import config_option, emit, info, load, open_store, output_options

by_option = click.option(
    "--by",
    default=lambda: os.environ.get("USER") or getpass.getuser(),
    show_default="$USER",
    help="Who makes the change (kept with it).",
)


def open_registry(config_path: str):  # type: ignore[no-untyped-def]
    """The database and the registry as the matcher sees it, or a clear error."""
    from matcher.registry import RegistryError
    from matcher.registry_db import load_db_registry

    cfg = load(config_path)
    db = open_store(cfg)
    try:
        return db, load_db_registry(db, cfg)
    except RegistryError as exc:
        raise click.ClickException(f"{exc}\n  Hint: check `registry:` in config.yaml.") from None


@click.command(name="names")
@click.argument("company_id")
@click.option("--all", "show_all", is_flag=True, help="Include removed names (history).")
@config_option
@output_options
def names_command(company_id: str, show_all: bool, config_path: str, fmt: str | None) -> None:
    """名称 List a company's names with their kind, source, who added them, when and why.

    \b
    Example:
        ipwatch registry names HZ012 --all
    """
    from core.registry_store import company, names

    db, _ = open_registry(config_path)
    if company(db, company_id) is None:
        raise click.ClickException(f"登记表中没有企业 no company {company_id!r}")
    listed = [
        {
            "id": n.id,
            "name": n.text,
            "kind": n.kind,
            "类型": NAME_KIND_LABELS.get(n.kind, n.kind),
            "source": n.source,
            "added_by": n.added_by,
            "added_at": n.added_at,
            "reason": n.reason,
            **({"removed_at": n.removed_at, "removed_by": n.removed_by} if show_all else {}),
        }
        for n in names(db, company_id, history=show_all)
    ]
    emit(listed, fmt)


def _teach(config_path: str, company_id: str, text: str, kind: str, **kw: object) -> None:
    from matcher.review import ReviewError, teach_name

    db, reg = open_registry(config_path)
    try:
        name = teach_name(db, reg, company_id, text, kind, **kw)  # type: ignore[arg-type]
    except ReviewError as exc:
        raise click.ClickException(str(exc)) from None
    info(
        f"已添加名称 added #{name.id} '{name.text}' ({name.kind} {NAME_KIND_LABELS[name.kind]}) "
        f"to {company_id}; 撤销 undo: ipwatch registry remove-name {company_id} {name.id} "
        "--reason …"
    )


@click.command(name="add-name")
@click.argument("company_id")
@click.argument("name")
@click.option("--kind", type=click.Choice(NAME_KINDS), required=True, help="Kind of name.")
@click.option("--reason", required=True, help="Why (kept with the name).")
@click.option("--force", is_flag=True, help="Add even a name the guards refuse (recorded).")
@config_option
@by_option
def add_name(
    company_id: str, name: str, kind: str, reason: str, force: bool, config_path: str, by: str
) -> None:
    """添加名称 Add a typed name to a company, with provenance.

    \b
    Example:
        ipwatch registry add-name HZ012 "Huizhou Juneng Battery Co., Ltd." \\
            --kind en_variant --reason "company letter 2026-03"
    """
    _teach(config_path, company_id, name, kind, by=by, reason=reason, source="analyst", force=force)


@click.command(name="remove-name")
@click.argument("company_id")
@click.argument("name")
@click.option("--reason", required=True, help="Why (kept with the history).")
@config_option
@by_option
def remove_name(company_id: str, name: str, reason: str, config_path: str, by: str) -> None:
    """撤销名称 Remove (undo) a name by its #id or text; it stays in the history.

    \b
    Example:
        ipwatch registry remove-name HZ025 17 --reason "a benefit plan, not the plant"
    """
    from matcher.review import ReviewError, withdraw_name

    db, _ = open_registry(config_path)
    try:
        gone = withdraw_name(db, company_id, name, by=by, reason=reason)
    except ReviewError as exc:
        raise click.ClickException(str(exc)) from None
    info(f"已撤销 removed #{gone.id} '{gone.text}' ({gone.kind}) from {company_id}")


@click.command()
@click.argument("party")
@click.argument("company_id")
@click.option("--reason", required=True, help="Why this party is this company (kept).")
@click.option("--kind", type=click.Choice(VARIANT_KINDS), default="en_variant", show_default=True)
@config_option
@by_option
def link(party: str, company_id: str, reason: str, kind: str, config_path: str, by: str) -> None:
    """关联 Link an unregistered "Huizhou …" party to a company: its spelling becomes a name.

    \b
    Example:
        ipwatch registry candidates "Huizhou Juneng Battery Co., Ltd."
        ipwatch registry link "Huizhou Juneng Battery Co., Ltd." HZ012 --reason "same address"
    """
    _teach(config_path, company_id, party, kind, by=by, reason=reason, source="link")


@click.command()
@click.argument("party", required=False)
@config_option
@output_options
def candidates(party: str | None, config_path: str, fmt: str | None) -> None:
    """候选企业 Rank registry companies a party may be (trade-name pinyin, industry, district).

    Without PARTY: every stored "local" party (says Huizhou, not in the registry) with its
    candidates, ready for `registry link`.

    \b
    Example:
        ipwatch registry candidates "Huizhou Juneng Battery Co., Ltd."
        ipwatch registry candidates
    """
    from core.review import local_parties
    from matcher.learn import rank_candidates

    db, reg = open_registry(config_path)
    parties = [party] if party else local_parties(db)
    emit(
        [
            {
                **({} if party else {"party": p}),
                "id": c.company_id,
                "企业名称": c.name_zh,
                "score": c.score,
                "why": "; ".join(c.reasons),
            }
            for p in parties
            for c in rank_candidates(reg, p)
        ],
        fmt,
    )


# Added to the `registry` group by ipwatch/cli_registry.py.
NAME_COMMANDS: list[click.Command] = [names_command, add_name, remove_name, link, candidates]


@click.command(name="eval-names")
@click.argument("pairs", type=click.Path(dir_okay=False))
@config_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def eval_names(pairs: str, config_path: str, as_json: bool) -> None:
    """Score matching from Chinese legal names alone on Chinese–English name pairs.

    PAIRS has the columns name_zh,name_en,province_or_city,kind. A throw-away registry is
    built from the Chinese names only; every English name is matched as a defendant. Rates
    per kind (pinyin, translated, brand, mixed) and overall, 0–1.

    \b
    Example:
        ipwatch eval-names ../shared/data/cn_en_company_pairs.csv --json
    """
    from matcher.evaluate_names import RATES, PairsError, evaluate_names

    matching = load(config_path).matching
    try:
        report = evaluate_names(Path(pairs), matching)
    except PairsError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    click.echo(f"{'kind 类型':12} {'n':>5}  " + "  ".join(f"{r:>22}" for r in RATES))
    rows = [*report["kinds"].items(), ("overall 合计", report["overall"])]
    for kind, stats in rows:
        rates = "  ".join(f"{stats[r]:>22.4f}" for r in RATES)
        click.echo(f"{kind:12} {stats['n']:>5}  {rates}")


COMMANDS: list[click.Command] = [eval_names]
