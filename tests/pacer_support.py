"""A local imitation of PACER: the login service and DktRpt.pl serving recorded docket reports.

The login answers like PACER's authentication API (JSON with loginResult and nextGenCSO); the
docket report needs the session cookie and serves tests/examples/pacer_dockets pages by PACER
case id. Every request is recorded so tests can assert what was (and was not) asked for.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

DOCKETS = Path(__file__).parent / "examples" / "pacer_dockets"
USER, PASSWORD, TOKEN = "hz-ipwatch", "s3cret-pw", "NEXTGEN-TOKEN-1"
# What PACER's login page looks like to a report request without a session (no receipt, no
# logout link): juriscraper treats it as "not logged in".
LOGIN_PAGE = "<html><body><form id='loginForm'>PACER Login</form></body></html>"


@dataclass
class FakePacer:
    """The imitation's state: pages by case id and every request it received."""

    pages: dict[str, str]
    logins: list[dict[str, str]] = field(default_factory=list)
    reports: list[dict[str, str]] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    mfa: bool = False

    def login(self, request: Request) -> Response:
        body = json.loads(request.get_data() or b"{}")
        self.logins.append(body)
        if self.mfa:
            result = {"loginResult": "1", "errorDescription": "A one-time passcode is required."}
        elif body.get("loginId") == USER and body.get("password") == PASSWORD:
            result = {"loginResult": "0", "nextGenCSO": TOKEN}
        else:
            result = {"loginResult": "1", "errorDescription": "Login Failed. Invalid credentials."}
        return Response(json.dumps(result), content_type="application/json")

    def report(self, request: Request) -> Response:
        form = {k: v for k, v in request.form.items()}
        form["_cookie"] = request.cookies.get("NextGenCSO", "")
        form["_path"] = request.path
        self.reports.append(form)
        if form["_cookie"] != TOKEN:
            return Response(LOGIN_PAGE, content_type="text/html")
        page = self.pages.get(form.get("all_case_ids", ""))
        if page is None:
            return Response("<html><body>Case not found.</body></html>", status=404)
        return Response(page, content_type="text/html; charset=utf-8")

    def anything(self, request: Request) -> Response:
        self.other.append(request.full_path)
        return Response("not here", status=404)


def serve_pacer(httpserver: HTTPServer, pages: dict[str, str]) -> FakePacer:
    """Register the imitation on a pytest-httpserver; returns its recorder."""
    fake = FakePacer(pages)
    httpserver.expect_request("/services/cso-auth", method="POST").respond_with_handler(fake.login)
    httpserver.expect_request("/ecf/txwd/cgi-bin/DktRpt.pl", method="POST").respond_with_handler(
        fake.report
    )
    return fake


def pacer_config(base: str, budget: float = 20.0, **extra: object) -> dict[str, object]:
    """The `pacer:` section pointing at the imitation on 127.0.0.1."""
    return {
        "username": USER,
        "password_env": "IPWATCH_TEST_PACER_PASSWORD",
        "monthly_budget_usd": budget,
        "login_url": f"{base}/services/cso-auth",
        "ecf_url": f"{base}/ecf/{{court}}",
        **extra,
    }
