"""The analysts' morning in a real browser: headless Chromium, uvicorn and a local SMTP server.

Log in, dismiss the grouped Samsung row (15 matches) with a reason, confirm the TCL match,
submit its draft, sign it off as the approver, and see the numbered notice and exactly one
email arrive. Skipped only where /usr/bin/chromium is absent.
"""

from __future__ import annotations

import io
import re
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from browser_support import CHROMIUM, NO_CHROMIUM, chromium, console, log_in, log_out
from ops_support import SmtpSink
from web_support import PASSWORD, TCL_CASE, TCL_CONTACT, make_site, query

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)


@pytest.fixture
def sink():  # type: ignore[no-untyped-def]
    """A real SMTP server on 127.0.0.1 keeping what it accepts."""
    server = SmtpSink()
    server.controller.start()
    yield server
    server.controller.stop()


def test_review_confirm_and_sign_off_in_chromium(tmp_path: Path, sink: SmtpSink) -> None:
    site = make_site(tmp_path / "site", smtp_port=sink.port)
    notice_id = f"{TCL_CASE}|HZ001"
    with console(site) as base, chromium() as browser:
        page = browser.new_page()
        page.goto(f"{base}/review")
        assert page.url == f"{base}/login"  # no session: the login page
        log_in(page, base, "ana", PASSWORD)

        page.goto(f"{base}/review")
        samsung = page.locator("tr[data-group^='HZ034|']")
        assert samsung.locator("td.count").inner_text() == "15"
        samsung.locator("input[name=group]").check()
        page.select_option("select[name=reason_code]", label="外国母公司")
        page.fill("input[name=reason_text]", "韩国三星集团，不是惠州三星")
        page.click("button:has-text('排除所选')")
        page.wait_for_load_state()
        assert "已排除 15 条匹配" in page.locator(".flash.ok").first.inner_text()
        assert page.locator("tr[data-group^='HZ034|']").count() == 0
        assert query(site, "select count(*) from matches where company_id = 'HZ034' "
                     "and status = 'pending'") == [(0,)]  # fmt: skip

        page.locator("tr[data-group^='HZ001|'] input[name=group]").check()
        page.click("button:has-text('确认所选')")
        page.wait_for_load_state()
        assert "生成预警提示草稿" in page.locator(".flash.ok").first.inner_text()

        page.goto(f"{base}/notices")
        page.click("a:has-text('（签发时编号）')")
        page.click("button:has-text('提交审核')")
        page.wait_for_load_state()
        assert page.locator("#status").inner_text() == "待签发"
        log_out(page)

        log_in(page, base, "boss", PASSWORD)
        page.goto(f"{base}/notices")
        page.click("a:has-text('（签发时编号）')")
        page.click("button:has-text('签发')")
        page.wait_for_load_state()
        heading = page.locator("h1").inner_text()
        number = re.search(r"〔\d{4}〕第1号", heading)
        assert number, heading
        assert page.locator("#status").inner_text() == "已发送"

        pdf = _print_pdf(browser, page, f"{base}/notices/{notice_id}/print")

    assert len(sink.messages) == 1
    [message] = sink.messages
    assert message["To"] == TCL_CONTACT
    subject = str(make_header(decode_header(message["Subject"])))
    assert "6:22-cv-00217" in subject and "TCL科技集团股份有限公司" in subject
    assert query(site, "select number, status, signed_by from notices") == [
        (number.group(0), "sent", "boss")
    ]
    _assert_a4_with_level(pdf, number.group(0))


def _print_pdf(browser, page, url: str) -> bytes:  # type: ignore[no-untyped-def]
    """Print the notice with Chromium's default print settings (no background graphics)."""
    printer = browser.new_page(storage_state=page.context.storage_state())
    printer.goto(url)
    return bytes(printer.pdf(prefer_css_page_size=True))


def _assert_a4_with_level(pdf: bytes, number: str) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    # pypdf spaces out runs of mixed scripts ("〔 2026 〕第 1 号"); compare without spaces.
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))
    assert "预警等级：三级(黄)" in text and number in text
