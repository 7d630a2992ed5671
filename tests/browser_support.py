"""Real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright) against a real
uvicorn server on 127.0.0.1. Never downloads a browser."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn
from ops_support import free_port

from core.config import Config
from ipwatch.web.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
NO_CHROMIUM = f"{CHROMIUM} is not installed (apt-get install chromium); browser tests need it"


@contextmanager
def console(cfg: Config) -> Iterator[str]:
    """Serve the console with uvicorn on a free 127.0.0.1 port; yield its base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(cfg), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start within 30 s"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium browser (the system's own binary)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, chromium_sandbox=False
        )
        try:
            yield browser
        finally:
            browser.close()


def log_in(page: Any, base: str, name: str, password: str) -> None:
    """Log in through the login form, as a person would."""
    page.goto(f"{base}/login")
    page.fill("#name", name)
    page.fill("#password", password)
    page.click("button:has-text('登录')")
    page.wait_for_url(f"{base}/")


def log_out(page: Any) -> None:
    """Press 退出."""
    page.click("button:has-text('退出')")
    page.wait_for_url("**/login")
