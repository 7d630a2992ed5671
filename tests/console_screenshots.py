"""Screenshots of every console page for docs/analyst.md (`make screenshots`).

    python tests/console_screenshots.py docs/img/console

Builds the test site (the demo cycle on the bundled feeds), walks through the pages in headless
Chromium (/usr/bin/chromium) as an analyst and an approver, and writes one PNG per page.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from browser_support import CHROMIUM, chromium, console, log_in, log_out  # noqa: E402
from web_support import PASSWORD, TCL_CASE, make_site  # noqa: E402

ANALYST_PAGES = [
    ("01-today", "/"),
    ("02-review", "/review"),
    ("04-cases", "/cases"),
    ("05-case", f"/cases/{TCL_CASE}"),
    ("08-registry", "/registry"),
    ("09-company", "/registry/HZ001"),
    ("10-settings", "/settings"),
    ("12-sources", "/sources"),
    ("13-digests", "/digests"),
    ("14-deliveries", "/deliveries"),
]


def main(target: Path) -> None:
    """Write the screenshots into `target`."""
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is missing: apt-get install chromium")
    target.mkdir(parents=True, exist_ok=True)
    site = make_site(Path(tempfile.mkdtemp(prefix="ipwatch-shots-")) / "site")
    with console(site) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")

        def shot(name: str, path: str | None = None) -> None:
            if path:
                page.goto(f"{base}{path}")
            page.screenshot(path=str(target / f"{name}.png"), full_page=True)

        page.goto(f"{base}/login")
        shot("00-login")
        log_in(page, base, "ana", PASSWORD)
        for name, path in ANALYST_PAGES:
            shot(name, path)
        page.goto(f"{base}/settings")
        page.click("button:has-text('预览效果')")
        page.wait_for_load_state()
        shot("11-settings-preview")
        page.goto(f"{base}/review")
        page.locator("tr[data-group^='HZ001|'] input[name=group]").check()
        page.click("button:has-text('确认所选')")
        page.wait_for_load_state()
        shot("03-review-confirmed")
        page.goto(f"{base}/notices")
        page.click("a:has-text('（签发时编号）')")
        page.wait_for_load_state()
        shot("06-notice-draft")
        page.click("button:has-text('提交审核')")
        log_out(page)
        log_in(page, base, "boss", PASSWORD)
        page.goto(f"{base}/notices")
        page.click("a:has-text('（签发时编号）')")
        page.click("button:has-text('签发')")
        page.wait_for_load_state()
        shot("07-notice-signed")
        shot("15-audit", "/audit")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/img/console"))
