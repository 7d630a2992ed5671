"""Findings 5 and 7 of issue 11: every bad config or registry file is one clear error, exit 1.

Each case runs the real `ipwatch check-config` and expects `Error: <file>: <line or key>:
<what>` on stderr, exit 1, and no traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.config import Matching
from ipwatch.cli import cli
from matcher.registry import RegistryError, load_registry

REGISTRY = Path(__file__).parent.parent / "data" / "exporters.csv"
BASE = """\
database: ipwatch.db
registry: {registry}
sources:
  - {{id: pacer_txwd, kind: pacer_rss, court: txwd, url: "{url}"}}
crawl:
  timeout: {timeout}
bureau:
  name: 惠州市市场监督管理局（知识产权局）
  email: desk@example.org
  phone: "0752-0000000"
analysts: [{analyst}]
{extra}"""
# A "billion laughs" YAML: nine levels of ten aliases each would expand to 10^9 strings.
LAUGHS = "a0: &a0 [lol]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10)
)


def _config(
    folder: Path,
    url: str = "http://127.0.0.1:1/ecf.txwd.rss.xml",
    timeout: str = "5",
    analyst: str = "analyst@example.org",
    extra: str = "",
    registry: Path = REGISTRY,
) -> str:
    return BASE.format(
        url=url, timeout=timeout, analyst=analyst, extra=extra, registry=registry.as_posix()
    )


def _check(folder: Path, data: bytes | str) -> tuple[int, str]:
    path = folder / "config.yaml"
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    result = CliRunner().invoke(cli, ["check-config", "--config", str(path)])
    assert (
        "Traceback" not in result.output
        and result.exception is None
        or isinstance(result.exception, SystemExit)
    ), result.output
    return result.exit_code, result.stderr


def test_good_config_passes(tmp_path: Path) -> None:
    """The base of every case below is valid: only the one change makes each fail."""
    code, err = _check(tmp_path, _config(tmp_path))
    assert code == 0, err
    assert "配置有效 config OK: 1 sources enabled (pacer_txwd), 43 companies" in err


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("gbk", "Error: config.yaml: line 8: not UTF-8 text (saved as GBK?); save as UTF-8"),
        ("utf-16", "Error: config.yaml: line 1: saved as UTF-16; save the file as UTF-8"),
    ],
)
def test_config_in_another_encoding(tmp_path: Path, encoding: str, expected: str) -> None:
    """A config saved as GBK (the bureau name on line 8) or UTF-16 is named, not a traceback."""
    code, err = _check(tmp_path, _config(tmp_path).encode(encoding))
    assert (code, err.strip()) == (1, expected)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"extra": "database: other.db\n"},
            "Error: config.yaml: line 12: duplicate key 'database' (first on line 1)",
        ),
        ({"timeout": "yes"}, "Error: config.yaml: crawl.timeout: Input should be a valid integer"),
        ({"timeout": "true"}, "Error: config.yaml: crawl.timeout: Input should be a valid integer"),
        (
            {"url": "file:///proc/self/environ"},
            "Error: config.yaml: sources.0.url: must be an https:// URL, got file: URL",
        ),
        (
            {"url": "http://ecf.txwd.uscourts.gov/cgi-bin/rss_outside.pl"},
            "Error: config.yaml: sources.0.url: plain http is allowed only for loopback hosts",
        ),
        (
            {"extra": "schedule:\n  jobs:\n    pacer: {cron: '*/15 25 * * *'}\n"},
            "Error: config.yaml: schedule.jobs.pacer.cron: bad cron rule '*/15 25 * * *'",
        ),
        (
            {"extra": "schedule:\n  jobs:\n    pacer: {cron: '*/15 * * *'}\n"},
            "Error: config.yaml: schedule.jobs.pacer.cron: bad cron rule '*/15 * * *': "
            "expected 5 fields",
        ),
        (
            {"extra": "schedule:\n  jobs:\n    pacer: {cron: '0 * * * *', sources: [pacer_xx]}\n"},
            "Error: config.yaml: (top level): schedule.jobs.pacer.sources: unknown source(s) "
            "pacer_xx (known: pacer_txwd)",
        ),
        (
            {"analyst": '"a@example.org\\r\\nBcc: victim@example.org"'},
            "Error: config.yaml: analysts.0: not a valid email address",
        ),
        (
            {"extra": "cc: [not-an-address]\n"},
            "Error: config.yaml: cc.0: not a valid email address 'not-an-address'",
        ),
    ],
)
def test_config_mistakes_are_named(tmp_path: Path, change: dict[str, str], expected: str) -> None:
    """Each mistake stops check-config with the key or line that is wrong."""
    code, err = _check(tmp_path, _config(tmp_path, **change))
    assert code == 1
    assert err.startswith(expected), err


def test_alias_bomb_is_refused_before_it_expands(tmp_path: Path) -> None:
    """Nested aliases are counted while parsing: a1 and a2 (lines 13-14) hold 20, a3 the 21st."""
    code, err = _check(tmp_path, _config(tmp_path) + LAUGHS)
    assert (code, err.strip()) == (1, "Error: config.yaml: line 15: more than 20 YAML aliases")


def test_a_huge_bad_value_is_quoted_short(tmp_path: Path) -> None:
    """A 200,000-character bad value is quoted as a short prefix, not printed whole."""
    code, err = _check(tmp_path, _config(tmp_path, timeout="x" * 200_000))
    assert code == 1 and len(err) < 300
    assert "crawl.timeout: Input should be a valid integer, got 'xxxxxxxxxx" in err
    assert err.rstrip().endswith("…")


def _registry(tmp_path: Path, data: bytes) -> tuple[int, str]:
    path = tmp_path / "exporters.csv"
    path.write_bytes(data)
    return _check(tmp_path, _config(tmp_path, registry=path))


REGISTRY_CASES = [
    (
        REGISTRY.read_text("utf-8").encode("gbk"),
        "exporters.csv: line 2: not UTF-8 text (saved as GBK?); save as 'CSV UTF-8'",
    ),
    (
        REGISTRY.read_text("utf-8").encode("utf-16"),
        "exporters.csv: line 1: saved as UTF-16; save as 'CSV UTF-8'",
    ),
    (
        REGISTRY.read_text("utf-8").replace(",", ";").encode("utf-8"),
        "exporters.csv: line 1: columns separated by ';'; save with commas",
    ),
    (
        REGISTRY.read_text("utf-8").splitlines()[0].encode("utf-8") + b"\n",
        "exporters.csv: line 2: no companies below the header row",
    ),
    (b"name,city\nx,y\n", "exporters.csv: line 1: no header row with columns id,"),
]


@pytest.mark.parametrize(("data", "expected"), REGISTRY_CASES)
def test_registry_problems_are_named(tmp_path: Path, data: bytes, expected: str) -> None:
    """The plain CSV loader: Excel's GBK, UTF-16, ';' and header-only files, each with a line."""
    path = tmp_path / "exporters.csv"
    path.write_bytes(data)
    with pytest.raises(RegistryError) as caught:
        load_registry(path, Matching())
    assert str(caught.value).startswith(expected.replace("exporters.csv", _shown(tmp_path)))


# GBK (GB18030) is a registry encoding the importer reads; UTF-16, ';' and header-only are not.
@pytest.mark.parametrize(("data", "expected"), REGISTRY_CASES[1:])
def test_check_config_refuses_a_bad_registry(tmp_path: Path, data: bytes, expected: str) -> None:
    """check-config (the registry importer) exits 1 naming the file, never a traceback."""
    code, err = _registry(tmp_path, data)
    assert code == 1 and "exporters.csv" in err and "Traceback" not in err


def _shown(tmp_path: Path) -> str:
    """How the registry loader names the file (relative to the working folder)."""
    return os.path.relpath(tmp_path / "exporters.csv")


def test_garbled_contact_email_adds_no_recipient(tmp_path: Path) -> None:
    """A contact_email with a line break and a second address is a bad row, not recipients."""
    rows = REGISTRY.read_text("utf-8").splitlines()
    rows[1] = rows[1].rstrip(",") + ',"legal@tcl.example.com\nBcc: spy@example.org"'
    path = tmp_path / "exporters.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    registry = load_registry(path, Matching())
    assert registry.errors == (
        f"{_shown(tmp_path)} line 2: HZ001 contact_email 'Bcc:' is not a valid address: "
        "An email address must have an @-sign.",
    )
    tcl = registry.company("HZ001")
    assert tcl is not None and tcl.contact_email == "", "no address from a garbled field"
    code, err = _check(tmp_path, _config(tmp_path, registry=path))
    assert code == 1 and "Traceback" not in err


def test_an_unset_smtp_password_variable_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Else every message fails with a bare 535 at the first cycle, naming nothing."""
    smtp = (
        "smtp: {host: 127.0.0.1, port: 2525, user: ipwatch, "
        "password_env: IPWATCH_TEST_SMTP_PW, sender: ipwatch@example.org}\n"
    )
    monkeypatch.delenv("IPWATCH_TEST_SMTP_PW", raising=False)
    code, err = _check(tmp_path, _config(tmp_path) + smtp)
    assert code == 1
    assert "smtp.password_env: 环境变量 IPWATCH_TEST_SMTP_PW 为空，SMTP 无法登录" in err
    monkeypatch.setenv("IPWATCH_TEST_SMTP_PW", "secret")
    code, err = _check(tmp_path, _config(tmp_path) + smtp)
    assert code == 0 and "SMTP on" in err
