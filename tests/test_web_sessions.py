"""Login throttling under parallel requests, and server-side session generations: logout, a
password reset and `ipwatch users disable` end sessions whose cookies are still validly signed."""

from __future__ import annotations

import threading
from pathlib import Path
from unittest import mock

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient
from web_support import PASSWORD, csrf_of, login, make_site, query

from core import users
from core.config import Config
from ipwatch.cli import cli
from ipwatch.web.app import create_app


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Config:
    """One site for this module's tests (each uses its own account state or restores it)."""
    return make_site(tmp_path_factory.mktemp("sessions"))


def _client(cfg: Config) -> TestClient:
    return TestClient(create_app(cfg), base_url="http://127.0.0.1")


def _cli(cfg: Config, *args: str, stdin: str = "") -> str:
    config = str(cfg.path("config.yaml"))
    done = CliRunner().invoke(cli, [*args, "--config", config], input=stdin)
    assert done.exit_code == 0, done.output
    return done.output


def test_parallel_wrong_passwords_are_checked_at_most_five_times(tmp_path: Path) -> None:
    site = make_site(tmp_path / "race")  # its own: the pause covers the client's address too
    app = create_app(site)
    clients = [TestClient(app, base_url="http://127.0.0.1") for _ in range(40)]
    tokens = [csrf_of(c.get("/login").text) for c in clients]
    checked: list[str] = []
    real = users._hasher

    class Counting:
        """The real hasher, counting the passwords it verifies."""

        def verify(self, stored: str, password: str) -> bool:
            checked.append(password)
            return real.verify(stored, password)

    start, codes = threading.Barrier(len(clients)), [0] * len(clients)

    def guess(i: int) -> None:
        start.wait()
        data = {"name": "boss", "password": f"guess-{i}", "csrf": tokens[i]}
        codes[i] = clients[i].post("/login", data=data).status_code

    with mock.patch.object(users, "_hasher", Counting()):
        threads = [threading.Thread(target=guess, args=(i,)) for i in range(len(clients))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(checked) == 5
    assert sorted(codes) == [200] * 5 + [429] * 35
    sql = "select count(*), sum(ok) from login_attempts where name = 'boss'"
    assert query(site, sql) == [(5, 0)]
    # The right password is not even checked now: the name is paused for the window.
    late = _client(site)
    done = late.post(
        "/login",
        data={"name": "boss", "password": PASSWORD, "csrf": csrf_of(late.get("/login").text)},
    )
    assert done.status_code == 429 and "登录失败次数过多，请 15 分钟后再试。" in done.text


def test_one_address_is_paused_across_names(tmp_path: Path) -> None:
    cfg = make_site(tmp_path / "addr")
    client = _client(cfg)
    token = csrf_of(client.get("/login").text)
    for name in ("a1", "a2", "a3", "a4", "a5"):
        bad = client.post("/login", data={"name": name, "password": "wrong", "csrf": token})
        assert bad.status_code == 200 and "用户名或密码错误。" in bad.text
    ok_name = client.post("/login", data={"name": "ana", "password": PASSWORD, "csrf": token})
    assert ok_name.status_code == 429


def _still_in(client: TestClient) -> bool:
    done = client.get("/review", follow_redirects=False)
    assert done.status_code in (200, 303)
    return done.status_code == 200


def test_an_old_cookie_after_logout_is_refused(site: Config) -> None:
    client = _client(site)
    token = login(client, "ana")
    saved = dict(client.cookies)
    other = _client(site)
    login(other, "ana")  # a second session of the same account ends with the logout too
    assert client.post("/logout", data={"csrf": token}, follow_redirects=False).status_code == 303
    replay = _client(site)
    replay.cookies.update(saved)
    done = replay.get("/review", follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, "/login")
    assert not _still_in(other)
    fresh = _client(site)
    login(fresh, "ana")
    assert _still_in(fresh)


def test_a_password_reset_ends_sessions(site: Config) -> None:
    client = _client(site)
    login(client, "root")
    assert _still_in(client)
    _cli(site, "users", "add", "root", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n")
    done = client.get("/", follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, "/login")
    login(_client(site), "root")  # the new password works


def test_disable_ends_sessions_and_refuses_login_until_enabled(site: Config) -> None:
    client = _client(site)
    login(client, "boss")
    assert _still_in(client)
    out = _cli(site, "users", "disable", "boss", "--reason", "离职")
    assert "已停用 disabled (its sessions ended): boss (审核签发人)" in out
    assert not _still_in(client)
    retry = _client(site)
    token = csrf_of(retry.get("/login").text)
    refused = retry.post("/login", data={"name": "boss", "password": PASSWORD, "csrf": token})
    assert refused.status_code == 200 and "用户名或密码错误。" in refused.text
    # A password reset does not quietly enable the account again.
    _cli(
        site,
        "users",
        "add",
        "boss",
        "--role",
        "approver",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert query(site, "select disabled from users where name = 'boss'") == [(1,)]
    listed = _cli(site, "users", "list", "--json")
    assert '"disabled": true' in listed
    assert "已启用 enabled: boss" in _cli(site, "users", "enable", "boss")
    login(_client(site), "boss")
    audit = "select actor, action, target, reason from audit_log where action like 'users.%'"
    assert [r for r in query(site, audit) if r[2] == "boss"] == [
        ("cli", "users.disable", "boss", "离职"),
        ("cli", "users.add", "boss", ""),
        ("cli", "users.enable", "boss", ""),
    ]


def test_disable_an_unknown_account(site: Config) -> None:
    config = str(site.path("config.yaml"))
    done = CliRunner().invoke(cli, ["users", "disable", "nobody", "--config", config])
    assert done.exit_code == 1 and done.output == "Error: user name 'nobody': no such account\n"
