"""Shared fixtures: a validated test config, a fresh database, a blank spaCy pipeline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from core.config import Config, load_config
from core.store import open_db

TESTS = Path(__file__).parent
EXAMPLES = TESTS / "examples"
REPO = TESTS.parent


@pytest.fixture
def cfg(tmp_path: Path) -> Config:
    """The test config with database and output folders moved into tmp_path."""
    base = load_config(TESTS / "config.test.yaml")
    alerts = base.alerts.model_copy(update={"out_dir": str(tmp_path / "out")})
    return base.model_copy(update={"database": str(tmp_path / "ipwatch.db"), "alerts": alerts})


@pytest.fixture
def db(cfg: Config) -> Iterator[Database]:
    """A migrated database at the config's path."""
    database = open_db(cfg.path(cfg.database))
    yield database
    database.close()


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    """A blank multilingual spaCy pipeline (no model download)."""
    import spacy

    return spacy.blank("xx")


@pytest.fixture
def server():  # type: ignore[no-untyped-def]
    """An authenticating SMTP server on 127.0.0.1 that records what it accepts."""
    from smtp_support import Recorder, start

    handler = Recorder()
    controller, port = start(handler)
    yield handler, port
    controller.stop()


@pytest.fixture
def frozen() -> Iterator[None]:
    """The clock at 2022-12-07 09:30 Asia/Shanghai, the morning after the feed was captured."""
    import time_machine
    from alerts_data import NOW

    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def acfg(cfg: Config) -> Config:
    """The test config with config.yaml's notice level rules."""
    from alerts_data import with_rules

    return with_rules(cfg)


@pytest.fixture
def scfg(acfg: Config) -> Config:
    """The shipped default: no automatic sign-off, and no PDF copy (tested in test_notice_pdf)."""
    alerts = acfg.alerts.model_copy(update={"auto_signoff": [], "chromium": ""})
    return acfg.model_copy(update={"alerts": alerts})


@pytest.fixture
def site(tmp_path: Path) -> Config:
    """A private copy of the demo site for console tests that change data."""
    from web_support import make_site

    return make_site(tmp_path / "site")


@pytest.fixture
def client(site: Config):  # type: ignore[no-untyped-def]
    """A client of the console (not logged in) on the private site."""
    from starlette.testclient import TestClient

    from ipwatch.web.app import create_app

    return TestClient(create_app(site), base_url="http://127.0.0.1")
