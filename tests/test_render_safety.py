"""Hostile case data renders inert and clipped; the HTML notice and digest render in Chromium."""

from __future__ import annotations

import email
import email.policy
import os
import shutil
import struct
import subprocess
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from alerts_data import CASE_ID, NOW, insert_source_health, insert_tcl_case, with_rules
from sqlite_utils import Database

from alerts.digest import write_digest
from alerts.outbox import deliver, queue_warnings
from alerts.render import one_line
from core.config import Config

HOSTILE = "<script>alert(1)</script>\r\nBcc: victim@example.com\r\nX-Injected: yes\n" + "A" * 10_000
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def hostile(db: Database, cfg: Config) -> Config:
    """The TCL case with a hostile title, party and docket, queued with a subject that quotes it."""
    acfg = with_rules(
        cfg, subject="【海外知识产权风险预警】{forum} {case_no} {company} {case_name}"
    )
    insert_tcl_case(db, case_name=HOSTILE)
    db["cases"].update(CASE_ID, {"docket_number": "6:22-cv-00217\r\nCc: evil@example.com"})
    db.execute("update matches set party = ?", (HOSTILE,))
    db.conn.commit()
    queue_warnings(db, acfg, now=NOW)
    return acfg


def test_subject_and_headers_resist_injection(db: Database, hostile: Config) -> None:
    raw = Path(deliver(db, hostile, now=NOW).written_files[0]).read_bytes()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    # Decoded per RFC 2047 (adjacent encoded words join without a space).
    raw_subject = email.message_from_bytes(raw, policy=email.policy.compat32)["Subject"]
    subject = str(make_header(decode_header(raw_subject)))
    assert "\r" not in subject and "\n" not in subject
    assert len(subject) == 160 and subject.endswith("…")
    assert "6:22-cv-00217 Cc: evil@example.com" in subject  # flattened into the subject text
    assert msg["Bcc"] is None and msg["X-Injected"] is None
    assert msg["Cc"] is None and msg["To"] == "ip-legal@tcl.example.com"


def test_html_escapes_and_clips_the_title(db: Database, hostile: Config) -> None:
    notice_html = Path(db["notices"].get(f"{CASE_ID}|HZ001")["html_path"]).read_text("utf-8")
    msg = email.message_from_string(
        db.execute("select message from outbox").fetchone()[0], policy=email.policy.default
    )
    email_html = msg.get_body(("html",)).get_content()
    digest_html = write_digest(db, hostile, now=NOW).html_path.read_text("utf-8")
    for html in (notice_html, email_html, digest_html):
        assert "<script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "A" * 400 not in html, "a 10,000-character title must be clipped"
        assert "…" in html
    assert len(notice_html) < 40_000


def test_one_line_flattens_control_characters() -> None:
    assert one_line("a\r\nb\tc\x00d\u2028e", 100) == "a b c d e"
    assert one_line("x" * 20, 10) == "xxxxxxxxx…"


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


@pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium is absent (apt-get install chromium)"
)
def test_notice_and_digest_render_in_headless_chromium(
    db: Database, cfg: Config, tmp_path: Path
) -> None:
    acfg = with_rules(cfg)
    insert_tcl_case(db)
    insert_source_health(db)
    queue_warnings(db, acfg, now=NOW)
    pages = {
        "notice": Path(db["notices"].get(f"{CASE_ID}|HZ001")["html_path"]),
        "digest": write_digest(db, acfg, now=NOW).html_path,
    }
    for name, page in pages.items():
        png = tmp_path / f"{name}.png"
        subprocess.run(
            [
                str(CHROMIUM),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--user-data-dir={tmp_path / 'profile'}",
                f"--screenshot={png}",
                "--window-size=1240,1754",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=90,
        )
        assert _png_size(png) == (1240, 1754)
        # A blank page compresses to a few KB; a rendered notice with tables and CJK text is larger.
        assert png.stat().st_size > 20_000, f"{name} screenshot looks blank"
        if os.environ.get(
            "SCREENSHOT_DIR"
        ):  # `make screenshots` keeps them for a person to look at
            Path(os.environ["SCREENSHOT_DIR"]).mkdir(parents=True, exist_ok=True)
            shutil.copy(png, Path(os.environ["SCREENSHOT_DIR"]) / png.name)
