"""The console's test site: the demo cycle's database on the bundled feeds, users, logins.

The demo runs once per test process (≈30 s on the eight recorded court feeds of 2022-12-06);
every test gets its own copy of the folder, so decisions in one test never leak into another.
No match is auto-approved here (`auto_send_levels: []`) and nothing is signed automatically:
the TCL match waits in the queue as an analyst would find it.
"""

from __future__ import annotations

import atexit
import csv
import functools
import re
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from ops_support import REPO, ipwatch, write_config

from core.config import Config, load_config
from core.store import open_db
from core.users import add_user

COURTS = ("txed", "txwd", "ded", "cacd", "cand", "ilnd", "nysd", "flsd")
SAMPLES = REPO / "data" / "samples" / "pacer_2022-12-06"
PASSWORD = "correct-horse-battery"
USERS = {"ana": "analyst", "boss": "approver", "root": "admin"}
TCL_CASE = "usdc:txwd:6:22-cv-00217"
TCL_CONTACT = "legal@tcl.example.org"


def _site_config(folder: Path, smtp_port: int | None = None, **web: Any) -> Path:
    extra: dict[str, Any] = {
        "registry": "exporters.csv",
        "alerts": {"out_dir": "out", "chromium": "", "auto_send_levels": []},
        # A busy machine serves the big recorded feeds slowly; the demo must not fail on that.
        "crawl": {
            "user_agent": "ipwatch-test/0.1 (test@example.org)",
            "download_delay": 0,
            "timeout": 120,
            "retries": 1,
        },
    }
    if web:
        extra["web"] = web
    return write_config(folder, courts=COURTS, smtp_port=smtp_port, **extra)


@functools.lru_cache(maxsize=1)
def _demo() -> Path:
    """Run the demo cycle once into a private temporary folder and return that folder."""
    # Not under pytest's basetemp: other pytest runs on the machine rotate old basetemps away.
    folder = Path(tempfile.mkdtemp(prefix="ipwatch-web-demo-"))
    atexit.register(shutil.rmtree, folder, True)
    _registry_with_contact(folder / "exporters.csv")
    config = _site_config(folder)
    done = ipwatch("demo", "--config", str(config), "--samples", str(SAMPLES), timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    db = open_db(folder / "ipwatch.db")
    for name, role in USERS.items():
        add_user(db, name, role, PASSWORD)
    db.close()
    return folder


def _registry_with_contact(target: Path) -> None:
    """The demo registry, with a legal contact for TCL (HZ001) so its notice is delivered."""
    with open(REPO / "data" / "exporters.csv", encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, rows = list(reader.fieldnames or []), list(reader)
    for row in rows:
        if row["id"] == "HZ001":
            row["contact_email"] = TCL_CONTACT
    with open(target, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def make_site(target: Path, smtp_port: int | None = None, **web: Any) -> Config:
    """A private copy of the demo site in `target` with the three test users; its config."""
    source = _demo()
    target.mkdir(parents=True, exist_ok=True)
    for name in ("ipwatch.db", "exporters.csv"):
        shutil.copy(source / name, target / name)
    shutil.copytree(source / "out", target / "out", dirs_exist_ok=True)
    return load_config(_site_config(target, smtp_port, **web))


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html[:2000]
    return found.group(1)


def login(client: Any, name: str) -> str:
    """Log a TestClient in as a test user; the session's CSRF token."""
    token = csrf_of(client.get("/login").text)
    done = client.post(
        "/login", data={"name": name, "password": PASSWORD, "csrf": token}, follow_redirects=False
    )
    assert (done.status_code, done.headers["location"]) == (303, "/"), done.text[:500]
    return csrf_of(client.get("/").text)


def query(cfg: Config, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows of a read query on the site's database."""
    conn = sqlite3.connect(cfg.path(cfg.database))
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()
