"""config.yaml validation: every error names its key path, and the CLI exits 1 before fetching."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from core.config import ConfigError, load_config
from ipwatch.cli import cli

REPO = Path(__file__).parent.parent


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _base() -> dict:
    return yaml.safe_load((REPO / "config.yaml").read_text(encoding="utf-8"))


def test_shipped_config_is_valid() -> None:
    cfg = load_config(REPO / "config.yaml")
    # Issue #14: every district court with a feed is listed; the IP-heavy ones are enabled.
    courts = [s.court for s in cfg.sources if s.kind == "pacer_rss" and s.enabled]
    assert courts == ["txed", "txwd", "ded", "cacd", "cand", "ilnd", "nysd", "flsd", "njd"]
    assert cfg.source("pacer_txwd").url == "https://ecf.txwd.uscourts.gov/cgi-bin/rss_outside.pl"
    assert cfg.smtp is None  # no SMTP: messages become .eml files
    assert cfg.path(cfg.database) == REPO / "data" / "ipwatch.db"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda c: c["crawl"].update(timeout="abc"),
            "config.yaml: crawl.timeout: Input should be a valid integer",
        ),
        (lambda c: c.update(colour="red"), "config.yaml: colour: unknown key"),
        (lambda c: c["bureau"].pop("email"), "config.yaml: bureau.email: Field required"),
        (
            lambda c: c["sources"][0].update(kind="ftp"),
            "config.yaml: sources.0.kind: Input should be",
        ),
        (
            lambda c: c.update(smtp={"host": "mail", "port": "x", "sender": "a@b"}),
            "config.yaml: smtp.port:",
        ),
        (
            lambda c: c["matching"]["thresholds"].update(entity=1.5),
            "matching.thresholds.entity: Input should be less",
        ),
        (lambda c: c["sources"].append(dict(c["sources"][0])), "duplicate source id 'pacer_txed'"),
    ],
    ids=[
        "wrong-type",
        "unknown-key",
        "missing-required",
        "bad-enum",
        "smtp-port",
        "out-of-range",
        "duplicate",
    ],
)
def test_bad_config_names_the_key(tmp_path: Path, change, expected: str) -> None:
    data = _base()
    change(data)
    with pytest.raises(ConfigError) as err:
        load_config(_write(tmp_path, data))
    assert expected in str(err.value)


def test_cli_stops_with_error_and_exit_1_before_fetching(tmp_path: Path) -> None:
    data = _base()
    data["smtp"] = {"host": "mail", "port": "abc", "sender": "x@example.org"}
    path = _write(tmp_path, data)
    result = CliRunner().invoke(cli, ["run", "--config", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith(
        "Error: config.yaml: smtp.port: Input should be a valid integer"
    )
    assert not (tmp_path / "data").exists()  # nothing was created, nothing fetched


def test_missing_config_file_has_a_fix_it_hint(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check-config", "--config", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1
    assert "file not found (pass --config or set IPWATCH_CONFIG)" in result.output


def test_yaml_syntax_error(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("sources: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="config.yaml: line 2: not valid YAML"):
        load_config(path)


def _courtlistener(c: dict) -> dict:
    return next(s for s in c["sources"] if s["id"] == "courtlistener")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda c: _courtlistener(c)["options"].update(since_days="2w"),
            "sources.11: options.since_days: must be a positive whole number, got '2w'",
        ),
        (
            lambda c: _courtlistener(c)["options"].update(colour=1),
            "sources.11: options.colour: unknown option for kind courtlistener (known: courts,",
        ),
        (
            lambda c: c["sources"][9].update(options={"investigations": 1420}),
            "sources.9: options.investigations: must be a string or a list of strings, got 1420",
        ),
        (lambda c: c.update(timezone="Asia/Shangai"), "timezone: unknown time zone 'Asia/Shangai'"),
        (
            lambda c: c["schedule"].update(timezone="Mars/Base"),
            "schedule.timezone: unknown time zone 'Mars/Base'",
        ),
        (
            lambda c: c["schedule"].update(misfire_grace_seconds=0),
            "schedule.misfire_grace_seconds: Input should be greater than 0",
        ),
        (
            lambda c: c["alerts"].update(subject="{forum} {docket}"),
            "alerts.subject: unknown placeholder {docket} (allowed: {forum}, {case_no},",
        ),
    ],
    ids=[
        "option-type",
        "option-unknown",
        "option-list",
        "timezone",
        "schedule-tz",
        "grace",
        "subject",
    ],
)
def test_values_checked_at_load_not_at_run(tmp_path: Path, change, expected: str) -> None:
    """Typos that used to pass check-config and fail later, at night, now stop at load."""
    data = _base()
    change(data)
    with pytest.raises(ConfigError) as err:
        load_config(_write(tmp_path, data))
    assert expected in str(err.value)


def test_unknown_source_id_is_a_clear_error_before_anything_runs(tmp_path: Path) -> None:
    data = _base()
    data.update(database=str(tmp_path / "ipwatch.db"), log_file=str(tmp_path / "ipwatch.log"))
    result = CliRunner().invoke(cli, ["run", "nosuch", "--config", str(_write(tmp_path, data))])
    assert result.exit_code == 1
    assert result.output.startswith("Error: no source 'nosuch' in config.yaml (known: pacer_txed,")
    assert not (tmp_path / "ipwatch.db").exists()  # no run was recorded, nothing fetched
