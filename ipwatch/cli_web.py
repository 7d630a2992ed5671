"""CLI commands of the console: `ipwatch serve` and `ipwatch users add|list|disable|enable`."""

from __future__ import annotations

import ipaddress
import sys

import click

from core.audit import record
from core.users import ROLES, UserError, add_user, list_users, set_disabled
from ipwatch.cli_common import config_option, emit, info, load, open_store, output_options


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8750, show_default=True, type=click.IntRange(1, 65535))
@config_option
def serve(host: str, port: int, config_path: str) -> None:
    """Run the analysts' web console (Chinese), on loopback unless told otherwise.

    Put it behind the intranet's TLS reverse proxy (docs/operator.md) and set
    `web: {secure_cookies: true}` there.

    \b
    Example:
        ipwatch users add zhang --role analyst
        ipwatch serve --port 8750
    """
    import uvicorn

    from ipwatch.web.app import create_app

    cfg = load(config_path)
    open_store(cfg).close()
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        info(f"注意 Note: listening on {host}, not loopback; serve it only behind TLS.")
    info(f"控制台 console: http://{host}:{port}/  (Ctrl-C to stop)")
    uvicorn.run(create_app(cfg), host=host, port=port, log_level="warning", proxy_headers=True)


@click.group()
def users() -> None:
    """Console accounts: `users add NAME --role analyst|approver|admin`, `users list`,
    `users disable NAME`, `users enable NAME`.

    \b
    Example:
        ipwatch users add li --role approver
        echo "$PASSWORD" | ipwatch users add bot --role analyst --password-stdin
        ipwatch users disable li --reason "调岗 moved to another team"
    """


@users.command(name="add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the account may do.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@config_option
def users_add(name: str, role: str, password_stdin: bool, config_path: str) -> None:
    """Create an account, or reset its role and password (argon2 hash stored; its sessions end)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("密码 Password", hide_input=True, confirmation_prompt=True)
    db = open_store(load(config_path))
    try:
        user = add_user(db, name, role, password)
    except UserError as exc:
        raise click.ClickException(str(exc)) from None
    record(db, "cli", "users.add", user.name, "", {"role": role})
    info(f"已保存账户 saved: {user.name} ({user.role_zh})")


@users.command(name="list")
@config_option
@output_options
def users_list(config_path: str, fmt: str | None) -> None:
    """List the accounts and their roles (never the hashes)."""
    db = open_store(load(config_path))
    emit(
        [
            {"name": u.name, "role": u.role, "created_at": u.created_at, "disabled": u.disabled}
            for u in list_users(db)
        ],
        fmt,
    )


def _set_disabled(name: str, disabled: bool, reason: str, config_path: str) -> None:
    db = open_store(load(config_path))
    try:
        user = set_disabled(db, name, disabled)
    except UserError as exc:
        raise click.ClickException(str(exc)) from None
    record(db, "cli", "users.disable" if disabled else "users.enable", user.name, reason, {})
    state = "已停用 disabled (its sessions ended)" if disabled else "已启用 enabled"
    info(f"{state}: {user.name} ({user.role_zh})")


@users.command(name="disable")
@click.argument("name")
@click.option("--reason", default="", help="Why, for the audit log.")
@config_option
def users_disable(name: str, reason: str, config_path: str) -> None:
    """Stop an account: it cannot log in and its open sessions end at their next request.

    \b
    Example:
        ipwatch users disable li --reason "离职 left the bureau"
    """
    _set_disabled(name, True, reason, config_path)


@users.command(name="enable")
@click.argument("name")
@click.option("--reason", default="", help="Why, for the audit log.")
@config_option
def users_enable(name: str, reason: str, config_path: str) -> None:
    """Let a disabled account log in again (with its old password).

    \b
    Example:
        ipwatch users enable li
    """
    _set_disabled(name, False, reason, config_path)


COMMANDS: list[click.Command] = [serve, users]
