"""The notice printed by headless Chromium with default settings: A4 pages, level visible.

Needs Debian's `chromium` (skipped with the reason where it is absent; `.ci/run` installs it) and
pypdf from the test extra, which reads the page size (MediaBox) and the text of the PDF.
"""

from __future__ import annotations

import email
import email.policy
import re
import shutil
import stat
from pathlib import Path

import pytest
from alerts_data import CASE_ID, NOW, insert_tcl_case
from sqlite_utils import Database

from alerts.digest import write_digest
from alerts.outbox import queue_warnings
from alerts.pdf import chromium_command
from alerts.signoff import approve, submit
from core.config import Config
from core.notices import get_notice

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NOTICE = f"{CASE_ID}|HZ001"
A4 = (595.28, 841.89)  # 210 × 297 mm in PDF points


def _cfg(acfg: Config, chromium: str) -> Config:
    alerts = acfg.alerts.model_copy(update={"auto_signoff": [], "chromium": chromium})
    return acfg.model_copy(update={"alerts": alerts})


def _sign(db: Database, cfg: Config) -> str:
    insert_tcl_case(db)
    queue_warnings(db, cfg, now=NOW)
    submit(db, NOTICE, "analyst-li", NOW)
    return approve(db, cfg, NOTICE, "approver-zhang", NOW)


def test_print_command_uses_a_fresh_profile_and_no_header() -> None:
    cmd = chromium_command("/usr/bin/chromium", Path("n.html"), Path("n.pdf"), Path("/tmp/p"))
    assert cmd[:2] == ["/usr/bin/chromium", "--headless"]
    assert "--user-data-dir=/tmp/p" in cmd and "--print-to-pdf=n.pdf" in cmd
    assert "--no-pdf-header-footer" in cmd and cmd[-1].startswith("file:///")
    # Default print settings: nothing asks Chromium to print background colours.
    assert not [c for c in cmd if "background" in c and "networking" not in c]


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt install chromium)")
def test_signed_notice_prints_to_a4_pdf_showing_its_level(db: Database, acfg: Config) -> None:
    from pypdf import PdfReader

    cfg = _cfg(acfg, str(CHROMIUM))
    assert _sign(db, cfg) == "〔2022〕第1号"
    row = get_notice(db, NOTICE)
    assert row is not None and row.pdf_note == "" and row.pdf_path.endswith(".pdf")
    pdf = Path(row.pdf_path)
    assert stat.S_IMODE(pdf.stat().st_mode) == 0o600
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 1
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4[0]) < 1 and abs(height - A4[1]) < 1, (width, height)
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    assert "预警等级：二级(橙)" in text
    assert "〔2022〕第1号" in text and "十、说明" in text
    # The same bytes go to the company as a PDF attachment beside the HTML copy.
    [row_out] = list(db.query("select message from outbox"))
    msg = email.message_from_string(row_out["message"], policy=email.policy.default)
    names = [(a.get_content_type(), a.get_filename()) for a in msg.iter_attachments()]
    assert names == [
        ("text/html", "海外知识产权风险预警提示〔2022〕第1号.html"),
        ("application/pdf", "海外知识产权风险预警提示〔2022〕第1号.pdf"),
    ]
    attached = [a for a in msg.iter_attachments() if a.get_content_type() == "application/pdf"]
    assert attached[0].get_content() == pdf.read_bytes()


def test_without_chromium_the_email_goes_without_pdf_and_the_digest_says_why(
    db: Database, acfg: Config, frozen: None
) -> None:
    cfg = _cfg(acfg, "/nonexistent/chromium")
    assert _sign(db, cfg) == "〔2022〕第1号"
    row = get_notice(db, NOTICE)
    note = "未附PDF：找不到 Chromium（alerts.chromium: /nonexistent/chromium）"
    assert row is not None and (row.pdf_path, row.pdf_note) == ("", note)
    [row_out] = list(db.query("select message from outbox"))
    msg = email.message_from_string(row_out["message"], policy=email.policy.default)
    assert [a.get_content_type() for a in msg.iter_attachments()] == ["text/html"]
    text = write_digest(db, cfg, email=False).text_path.read_text(encoding="utf-8")
    assert f"  - 〔2022〕第1号：{note}\n" in text
