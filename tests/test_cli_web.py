"""`ipwatch users` and `ipwatch serve --help`: accounts from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from ops_support import write_config

from core.config import load_config
from core.store import open_db
from core.users import check_password
from ipwatch.cli import cli


def test_users_add_from_stdin_list_and_login(tmp_path: Path) -> None:
    config = str(write_config(tmp_path))
    done = CliRunner().invoke(
        cli, ["users", "add", "li", "--role", "approver", "--password-stdin", "--config", config],
        input="a-long-password\n",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "已保存账户 saved: li (审核签发人)" in done.output
    listed = CliRunner().invoke(cli, ["users", "list", "--json", "--config", config])
    [row] = json.loads(listed.output)
    assert (row["name"], row["role"]) == ("li", "approver")
    cfg = load_config(config)
    db = open_db(cfg.path(cfg.database))
    stored = db.execute("select password_hash from users").fetchone()[0]
    assert stored.startswith("$argon2id$") and "a-long-password" not in stored
    assert check_password(db, "li", "a-long-password") is not None
    assert check_password(db, "li", "wrong-password") is None
    assert db.execute("select actor, action, target from audit_log").fetchall() == [
        ("cli", "users.add", "li")
    ]


def test_users_add_errors(tmp_path: Path) -> None:
    config = str(write_config(tmp_path))
    short = CliRunner().invoke(
        cli, ["users", "add", "li", "--role", "analyst", "--password-stdin", "--config", config],
        input="short\n",
    )  # fmt: skip
    assert short.exit_code == 1 and short.output.startswith("Error: password: at least 10")
    role = CliRunner().invoke(cli, ["users", "add", "li", "--role", "boss", "--config", config])
    assert role.exit_code == 2 and "'boss' is not one of" in role.output


def test_serve_help_names_the_defaults() -> None:
    done = CliRunner().invoke(cli, ["serve", "--help"])
    assert done.exit_code == 0
    assert "127.0.0.1" in done.output and "8750" in done.output and "Example:" in done.output
