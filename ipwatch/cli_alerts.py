"""CLI commands for the alerts stage: the digest, delivery of due messages and the notices sent."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import click

from core.config import Config
from core.lock import LockHeld, run_lock
from ipwatch.cli_common import config_option, info, load, open_store


@contextmanager
def _cycle_lock(cfg: Config) -> Iterator[None]:
    """Hold the database's run lock, so a manual command never overlaps a scheduled cycle."""
    try:
        with run_lock(cfg):
            yield
    except LockHeld as exc:
        raise click.ClickException(str(exc)) from None


@click.command()
@config_option
@click.option(
    "--date", "day", type=click.DateTime(["%Y-%m-%d"]), help="Digest day (default: today)."
)
def digest(config_path: str, day: datetime | None) -> None:
    """Write the analysts' daily digest (HTML + text) and queue its email once per day.

    The digest covers everything since the previous digest email was queued (so
    Monday's covers the weekend), or the 24 hours up to the end of the day (or
    up to now) when there was none.

    \b
    Example:
        ipwatch digest
        ipwatch digest --date 2022-12-07
    """
    from alerts.digest import write_digest

    cfg = load(config_path)
    with _cycle_lock(cfg):
        db = open_store(cfg)
        result = write_digest(db, cfg, day=day.date() if day else None)
    info(f"日报 digest: {result.html_path}\n          {result.text_path}")
    info("邮件已排队 email queued" if result.queued else "今日邮件此前已排队 already queued today")


@click.command()
@config_option
@click.option(
    "--release", metavar="KEY", help="Resend a held (or failed) message; a sent one is refused."
)
@click.option("--mark-sent", metavar="KEY", help="Record that a held message was accepted.")
def notify(config_path: str, release: str | None, mark_sent: str | None) -> None:
    """Queue new warnings and updates, then deliver every due message.

    Without SMTP in config.yaml, messages are written as .eml files into
    <alerts.out_dir>/outbox/. A message interrupted by a crash after its data
    reached the SMTP server is held (never resent on its own): check the mail
    server log for its Message-ID, then --release KEY or --mark-sent KEY.

    \b
    Example:
        ipwatch notify
        ipwatch notify --release 'warning|usdc:txwd:6:22-cv-00217|HZ001|'
    """
    from alerts.outbox import deliver, queue_warnings
    from alerts.recovery import NotHeld
    from alerts.recovery import release as release_message

    cfg = load(config_path)
    with _cycle_lock(cfg):
        db = open_store(cfg)
        for key, as_sent in ((release, False), (mark_sent, True)):
            if key:
                try:
                    info(f"{key}: {release_message(db, key, mark_sent=as_sent)}")
                except KeyError as exc:
                    raise click.ClickException(
                        f"{exc.args[0]} (list keys with `ipwatch notices --json`)"
                    ) from None
                except NotHeld as exc:
                    raise click.ClickException(str(exc)) from None
        queued = queue_warnings(db, cfg)
        for error in queued.errors:
            info(f"跳过 skipped: {error}")
        for notice_id in queued.drafts:
            info(f"待签发 awaiting sign-off: ipwatch notices approve '{notice_id}'")
        for notice_id in queued.released:
            info(f"联系人已登记，发给企业 sent to the company now: {notice_id}")
        result = deliver(db, cfg)
    if result.busy:
        info(f"未投递 delivery skipped: {result.busy}")
    info(
        f"新预警 warnings: {queued.warnings} {' '.join(queued.notices)}  更新 updates: "
        f"{queued.updates}\n已发送/写出 delivered: {result.sent}（部分拒收 partial: "
        f"{result.partial}）  重试 retrying: {result.retrying}  失败 failed: {result.failed}  "
        f"待处理 held: {result.held}"
    )
    if result.failed:
        raise click.ClickException(
            f"{result.failed} message(s) failed; see `ipwatch notices` and the digest"
        )


COMMANDS: list[click.Command] = [digest, notify]
