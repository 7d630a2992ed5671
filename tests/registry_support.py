"""Helpers for registry import tests: a config with its own database, workbooks, the CLI (#13)."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner, Result
from openpyxl import Workbook
from sqlite_utils import Database

from core.config import load_config
from core.store import open_db
from ipwatch.cli import cli

TESTS = Path(__file__).parent
# Credit codes with a correct GB 32100-2015 check character (the last one).
JUNENG, HUAYU, BOLUO = "91441300MA4W5X6Y7X", "91441302MA53AB0C1X", "91441303MA4WQ8K2P3"


def make_config(tmp_path: Path, registry_text: str = "") -> str:
    """A config whose database and configured registry file live in tmp_path."""
    raw = yaml.safe_load((TESTS / "config.test.yaml").read_text(encoding="utf-8"))
    registry = tmp_path / "exporters.csv"
    registry.write_text(
        registry_text
        or "id,name_zh,name_en,aliases,district,industry,products,parent_group,notes,"
        "contact_email\n"
        "HZ900,惠州市好好电子有限公司,Huizhou Haohao Electronics Co. Ltd.,Haohao,,,,,,\n",
        encoding="utf-8",
    )
    raw.update(registry=str(registry), database=str(tmp_path / "ipwatch.db"))
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return str(path)


def book(path: Path, sheets: dict[str, list[list[object]]], hidden: tuple[str, ...] = ()) -> Path:
    """A workbook with one worksheet per entry (header row first), some of them hidden."""
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        if title in hidden:
            ws.sheet_state = "hidden"
    wb.active = next(i for i, t in enumerate(sheets) if t not in hidden)
    wb.save(path)
    return path


def run(config_path: str, *args: str) -> Result:
    """`ipwatch registry …` as the analyst."""
    return CliRunner().invoke(cli, ["registry", *args, "--config", config_path, "--by", "analyst"])


def db_of(config_path: str) -> Database:
    """The database of a test config."""
    cfg = load_config(config_path)
    return open_db(cfg.path(cfg.database))


def companies_by_id(config_path: str) -> dict[str, dict[str, object]]:
    """Every active company row by id."""
    db = db_of(config_path)
    return {
        r["id"]: r for r in db.query("select * from companies where coalesce(removed_at, '') = ''")
    }
