"""Print a notice's HTML to an A4 PDF with headless Chromium, or say why no PDF was made."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from core.config import Config

PDF_TIMEOUT = 90  # seconds; a first Chromium start on a cold, busy server can take a while


@dataclass(frozen=True)
class PdfCopy:
    """The printed PDF, or None with the reason it is missing (shown in the log and digest)."""

    path: Path | None
    note: str


def chromium_binary(cfg: Config) -> str | None:
    """The configured Chromium executable when it exists, else None (`alerts.chromium: ""`)."""
    configured = cfg.alerts.chromium.strip()
    if not configured:
        return None
    found = shutil.which(configured)
    return found if found and os.access(found, os.X_OK) else None


def chromium_command(chromium: str, html: Path, pdf: Path, profile: Path) -> list[str]:
    """The headless print command: a fresh profile, no network chatter, no header/footer."""
    return [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-pdf-header-footer",  # headers would print the server's file path on the notice
        f"--user-data-dir={profile}",
        f"--print-to-pdf={pdf}",
        html.resolve().as_uri(),
    ]


def print_pdf(chromium: str, html: Path, pdf: Path, timeout: int = PDF_TIMEOUT) -> None:
    """Print an HTML file to PDF; raise OSError with Chromium's message when it fails."""
    pdf.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ipwatch-chromium-") as profile:
        try:
            done = subprocess.run(
                chromium_command(chromium, html, pdf, Path(profile)),
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise OSError(f"Chromium did not finish printing within {timeout} s") from None
    if done.returncode != 0 or not pdf.exists() or pdf.stat().st_size == 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise OSError(f"Chromium exited with {done.returncode}: {tail[0][:200]}")
    os.chmod(pdf, 0o600)


def pdf_copy(cfg: Config, html: Path) -> PdfCopy:
    """The notice's PDF beside its HTML, or a Chinese note saying why the email goes without."""
    chromium = chromium_binary(cfg)
    if chromium is None:
        if not cfg.alerts.chromium.strip():
            return PdfCopy(None, "未附PDF：配置 alerts.chromium 为空（已关闭PDF副本）")
        return PdfCopy(None, f"未附PDF：找不到 Chromium（alerts.chromium: {cfg.alerts.chromium}）")
    target = html.with_suffix(".pdf")
    try:
        print_pdf(chromium, html, target)
    except OSError as exc:
        return PdfCopy(None, f"未附PDF：Chromium 打印失败（{exc}）")
    return PdfCopy(target, "")
