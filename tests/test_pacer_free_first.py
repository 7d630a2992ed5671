"""Free first: a queued case whose parties CourtListener (RECAP) has is never bought."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from ops_support import write_config
from pacer_support import DOCKETS, PASSWORD, pacer_config, serve_pacer
from pytest_httpserver import HTTPServer
from sqlite_utils import Database
from werkzeug import Request, Response

from core.config import Config, ConfigError, Pacer, load_config
from core.party_lists import PartyListRequest, fetched, want
from crawlers.courtlistener_parties import CourtListenerParties
from crawlers.dockets import fetch_party_lists
from crawlers.pacer_session import PacerClient, PacerError

REQUEST = PartyListRequest(
    "usdc:txwd:6:22-cv-01247", "txwd", "6:22-cv-01247", "1198170",
    "Gibson Brands, Inc. v. Society6, LLC et al", "report form: AO 120",
)  # fmt: skip


def test_courtlistener_parties_are_used_and_nothing_is_bought(
    cfg: Config, db: Database, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = f"http://127.0.0.1:{httpserver.port}"
    fake = serve_pacer(httpserver, {})
    seen: list[tuple[str, str]] = []
    # The recorded parties page, with CourtListener's origin replaced by this server's own.
    page = (DOCKETS / "courtlistener_parties_list.v4.json").read_text(encoding="utf-8")
    page = page.replace("https://www.courtlistener.com", base)

    def api(request: Request) -> Response:
        seen.append((request.full_path, request.headers.get("Authorization", "")))
        if request.path.endswith("/dockets/"):
            body = {"results": [{"id": 123}]} if request.args.get("pacer_case_id") else {}
        elif "cursor" in request.args:
            body = {"next": None, "previous": None, "results": []}
        else:
            body = json.loads(page)
        return Response(json.dumps(body), content_type="application/json")

    httpserver.expect_request("/api/rest/v4/dockets/").respond_with_handler(api)
    httpserver.expect_request("/api/rest/v4/parties/").respond_with_handler(api)
    settings = Pacer(**pacer_config(base), courtlistener_url=base)  # type: ignore[arg-type]
    cfg = cfg.model_copy(update={"pacer": settings})
    monkeypatch.setenv("IPWATCH_COURTLISTENER_TOKEN", "cl-token")
    monkeypatch.setenv("IPWATCH_TEST_PACER_PASSWORD", PASSWORD)
    want(db, REQUEST)

    result = fetch_party_lists(db, cfg)

    assert (result.free, result.bought) == (1, 0)
    assert fake.logins == [] and fake.reports == []
    assert [path for path, _ in seen] == [
        "/api/rest/v4/dockets/?court=txwd&pacer_case_id=1198170",
        "/api/rest/v4/parties/?docket=123",
        "/api/rest/v4/parties/?docket=123&cursor=cD0xMjA5NjAyMg%3D%3D&docket=4214664",
    ]
    assert {auth for _, auth in seen} == {"Token cl-token"}
    [row] = fetched(db)
    assert row["source"] == "courtlistener"
    assert [(p.name, p.docket_role) for p in row["parties"]] == [("Samuel Jackson", "Plaintiff")]
    assert list(db.query("select count(*) as n from pacer_purchases")) == [{"n": 0}]


def test_login_never_follows_a_redirect_with_the_password(httpserver: HTTPServer) -> None:
    base = f"http://127.0.0.1:{httpserver.port}"
    stolen: list[bytes] = []
    httpserver.expect_request("/services/cso-auth").respond_with_response(
        Response(status=307, headers={"Location": f"{base}/elsewhere"})
    )
    httpserver.expect_request("/elsewhere").respond_with_handler(
        lambda r: stolen.append(r.get_data()) or Response("{}")
    )
    settings = Pacer(**pacer_config(base))  # type: ignore[arg-type]
    client = PacerClient(settings, PASSWORD, "ipwatch-test", 5)

    async def login() -> None:
        async with client:
            await client.login()

    with pytest.raises(PacerError, match="PACER login failed: Unable connect to PACER site: '307"):
        asyncio.run(login())
    assert stolen == []


@pytest.mark.parametrize("key", ["login_url", "ecf_url"])
def test_pacer_credentials_only_go_to_uscourts_gov(tmp_path: Path, key: str) -> None:
    path = write_config(tmp_path, pacer={key: "https://pacer.example.com/services/cso-auth"})
    with pytest.raises(ConfigError, match=f"pacer.{key}: must be an https URL on uscourts.gov"):
        load_config(path)


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bytes]]:
    """A "proxy" on 127.0.0.1 named in every proxy variable; it records what reaches it."""
    got: list[bytes] = []
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                got.append(conn.recv(4096))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.setenv(name, url)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    yield got
    stop.set()
    thread.join()
    listener.close()


def test_environment_proxy_is_ignored_by_courtlistener_and_pacer(
    cfg: Config,
    db: Database,
    httpserver: HTTPServer,
    proxy: list[bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """https_proxy/http_proxy in the environment: the token and password go direct, not to it."""
    base = f"http://127.0.0.1:{httpserver.port}"
    fake = serve_pacer(
        httpserver, {"1198170": (DOCKETS / "txwd_1198170_edited.html").read_text("utf-8")}
    )
    httpserver.expect_request("/api/rest/v4/dockets/").respond_with_json({"results": []})
    settings = Pacer(**pacer_config(base), courtlistener_url=base)  # type: ignore[arg-type]
    monkeypatch.setenv("IPWATCH_COURTLISTENER_TOKEN", "cl-token")
    monkeypatch.setenv("IPWATCH_TEST_PACER_PASSWORD", PASSWORD)
    want(db, REQUEST)

    result = fetch_party_lists(db, cfg.model_copy(update={"pacer": settings}))

    assert proxy == []  # before: every request, token and password included, went to the proxy
    assert (result.free, result.bought, result.error) == (0, 1, "")
    assert len(fake.logins) == 1 and len(fake.reports) == 1
    asked = [(r.path, r.headers.get("Authorization")) for r, _ in httpserver.log][:1]
    assert asked == [("/api/rest/v4/dockets/", "Token cl-token")]


def test_token_never_goes_to_another_scheme_of_the_api_host(
    cfg: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A `next` link to http:// on CourtListener's own host and port is not asked (no token)."""
    monkeypatch.setenv("IPWATCH_COURTLISTENER_TOKEN", "cl-token")
    settings = cfg.pacer.model_copy(update={"courtlistener_url": "https://www.courtlistener.com"})
    parties = CourtListenerParties(cfg.model_copy(update={"pacer": settings}))
    sent: list[str] = []
    transport = httpx.MockTransport(lambda r: sent.append(str(r.url)) or httpx.Response(200))
    with httpx.Client(transport=transport) as client:
        plain = "http://www.courtlistener.com:443/api/rest/v4/parties/?docket=7&cursor=2"
        assert parties._get(client, plain) is None  # before: same netloc, so the token went
        assert parties._get(client, "http://www.courtlistener.com/api/rest/v4/parties/") is None
        ok = parties._get(client, "https://www.courtlistener.com:443/api/rest/v4/parties/?docket=7")
    assert ok is not None
    assert sent == ["https://www.courtlistener.com/api/rest/v4/parties/?docket=7"]


def test_docket_report_obeys_crawl_timeout(httpserver: HTTPServer) -> None:
    """A DktRpt.pl that does not answer: PacerError after crawl.timeout, not juriscraper's 300 s."""
    base = f"http://127.0.0.1:{httpserver.port}"
    fake = serve_pacer(httpserver, {})

    def stall(request: Request) -> Response:
        time.sleep(4)
        return Response("late")

    httpserver.handlers.clear()
    httpserver.expect_request("/services/cso-auth", method="POST").respond_with_handler(fake.login)
    httpserver.expect_request("/ecf/txwd/cgi-bin/DktRpt.pl").respond_with_handler(stall)
    client = PacerClient(Pacer(**pacer_config(base)), PASSWORD, "ipwatch-test", 1)  # type: ignore[arg-type]

    async def report() -> str:
        async with client:
            await client.login()
            return await client.parties_report("txwd", "1198170")

    started = time.monotonic()
    with pytest.raises(PacerError, match="docket report of txwd case 1198170: ReadTimeout"):
        asyncio.run(report())
    assert time.monotonic() - started < 3.5
