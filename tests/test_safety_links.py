"""Finding 3 of issue 11: only http(s) links are live in the notice, the email and the digest.

Case data with `javascript:` and `data:` links (a feed's <link>, a docket's document URL) is
stored by an older version or typed in by hand; every template shows it as plain text.
"""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

from alerts_data import CASE_ID, NOW, insert_tcl_case, with_rules
from sqlite_utils import Database

from alerts.digest import write_digest
from alerts.outbox import deliver, queue_warnings
from alerts.render import environment
from core.config import Config

JS = "javascript:alert(document.cookie)"
DATA = "data:text/html,<script>alert(1)</script>"


def _outputs(db: Database, cfg: Config) -> dict[str, str]:
    """The notice (HTML, text), the email (HTML, text, .eml) and the digest (HTML, text)."""
    acfg = with_rules(cfg)
    queue_warnings(db, acfg, now=NOW)
    notice = db["notices"].get(f"{CASE_ID}|HZ001")
    eml = Path(deliver(db, acfg, now=NOW).written_files[0]).read_bytes()
    msg = email.message_from_bytes(eml, policy=email.policy.default)
    digest = write_digest(db, acfg, now=NOW)
    return {
        "notice.html": Path(notice["html_path"]).read_text("utf-8"),
        "notice.txt": Path(notice["text_path"]).read_text("utf-8"),
        "email.html": msg.get_body(("html",)).get_content(),  # type: ignore[union-attr]
        "email.txt": msg.get_body(("plain",)).get_content(),  # type: ignore[union-attr]
        "attachments": "".join(
            str(part.get_content())
            for part in msg.iter_attachments()  # type: ignore[attr-defined]
        ),
        "digest.html": digest.html_path.read_text("utf-8"),
        "digest.txt": digest.text_path.read_text("utf-8"),
    }


def test_javascript_and_data_links_render_as_text(db: Database, cfg: Config) -> None:
    """No href holds a javascript: or data: URL anywhere; the URL is still shown, inert."""
    insert_tcl_case(db)
    db.execute("update cases set link = ?", (JS,))
    db.execute("update events set link = ?, doc_url = ?", (JS, DATA))
    db.conn.commit()
    out = _outputs(db, cfg)
    for name in ("notice.html", "email.html", "attachments", "digest.html"):
        html = out[name].lower()
        assert 'href="javascript' not in html and 'href="data' not in html, name
        assert "<script>" not in html, name
    # The warning email's body carries no event link; the notice attached to it does.
    for name in ("notice.html", "attachments", "digest.html"):
        assert f'<span class="not-a-link">{JS}</span>' in out[name], name
    assert '<span class="not-a-link">data:text/html,&lt;script&gt;' in out["notice.html"]
    assert f"案件页面：{JS}" in out["notice.txt"]  # plain text: shown, never a link


def test_web_links_stay_live(db: Database, cfg: Config) -> None:
    """The real PACER link of the TCL case stays a working link in every HTML output."""
    insert_tcl_case(db)
    link = db.execute("select link from events").fetchone()[0]
    assert link.startswith("https://ecf.txwd.uscourts.gov/")
    out = _outputs(db, cfg)
    for name in ("notice.html", "attachments", "digest.html"):
        assert f'<a href="{link}">' in out[name].replace("&amp;", "&"), name


def test_one_filter_for_every_template() -> None:
    """The `link` filter makes anchors only for http(s); in text templates it returns text."""
    env = environment()
    html = env.overlay(autoescape=True).from_string("{{ u | link(40) }}")
    text = env.overlay(autoescape=False).from_string("{{ u | link(40) }}")  # as for .txt
    assert text.render(u="javascript:alert(1)\r\nBcc: x") == "javascript:alert(1) Bcc: x"
    assert html.render(u="https://example.org/a") == (
        '<a href="https://example.org/a">https://example.org/a</a>'
    )
    assert html.render(u="JavaScript:alert(1)") == (
        '<span class="not-a-link">JavaScript:alert(1)</span>'
    )
    assert html.render(u='https://x.org/"onmouseover=1') == (
        '<a href="https://x.org/&#34;onmouseover=1">https://x.org/&#34;onmouseover=1</a>'
    )
    assert env.tests["web_url"]("https://example.org/") and not env.tests["web_url"](JS)
