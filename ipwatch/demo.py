"""Serve the bundled feed snapshot from 127.0.0.1 so the demo crawls it over real HTTP."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from core.config import Config

SAMPLES = "data/samples/pacer_2022-12-06"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Keep the demo's terminal for the run summary."""


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve a folder on an ephemeral 127.0.0.1 port; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def sample_overrides(cfg: Config, base_url: str, folder: Path) -> dict[str, str]:
    """Point each PACER source whose court has a recorded feed at the local copy."""
    overrides = {}
    for source in cfg.sources:
        name = f"ecf.{source.court}.rss.xml"
        if source.kind == "pacer_rss" and source.enabled and (folder / name).exists():
            overrides[source.id] = f"{base_url}/{name}"
    return overrides
