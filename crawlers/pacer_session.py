"""A PACER login and parties-only docket reports through juriscraper, on PACER's hosts only."""

from __future__ import annotations

import re
import ssl
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from lxml import etree

from core.config import Pacer

MFA_WORDS = re.compile(r"one[- ]time|passcode|\botp\b|multi[- ]factor|\bmfa\b|two[- ]factor", re.I)


class PacerError(Exception):
    """PACER refused us or answered something we cannot trust; nothing more is bought."""


def _juriscraper() -> tuple[Any, Any, Any]:
    try:
        from juriscraper.lib.exceptions import PacerLoginException
        from juriscraper.pacer import DocketReport, PacerSession
    except ImportError as exc:
        raise PacerError("PACER reports need juriscraper: pip install 'ipwatch[pacer]'") from exc
    return PacerSession, DocketReport, PacerLoginException


def ecf_base(settings: Pacer, court: str) -> str:
    """The court's CM/ECF origin from config (https://ecf.<court>.uscourts.gov by default)."""
    return settings.ecf_url.replace("{court}", court).rstrip("/")


class PacerClient:
    """One logged-in PACER session per run; one request at a time; TLS verified."""

    def __init__(self, settings: Pacer, password: str, user_agent: str, timeout: int) -> None:
        session_cls, self._report_cls, self._login_error = _juriscraper()
        self.settings = settings
        login_url = settings.login_url

        class _Session(session_cls):  # type: ignore[misc, valid-type]
            async def login(self, url: str | None = None) -> None:
                # Always the configured PACER login host, also on juriscraper's re-logins.
                await super().login(login_url)

            # juriscraper sets 300 s on every get and post (DocketReport.query among them);
            # crawl.timeout bounds each PACER request as it bounds every other fetch.
            async def get(self, url: Any, **kwargs: Any) -> Any:
                kwargs["timeout"] = timeout
                return await super().get(url, **kwargs)

            async def post(self, url: Any, *args: Any, **kwargs: Any) -> Any:
                kwargs["timeout"] = timeout
                return await super().post(url, *args, **kwargs)

        self.session = _Session(
            username=settings.username,
            password=password,
            client_code=settings.client_code or None,
            user_agent=user_agent,
            verify=ssl.create_default_context(),  # the system's CA store, as every fetch uses
            timeout=timeout,
            # Proxies named in the environment are ignored: the session carries the password.
            trust_env=False,
            # A redirect could carry the login body (307/308) to another host: never follow.
            follow_redirects=False,
        )

    async def __aenter__(self) -> PacerClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.session.aclose()

    async def login(self) -> None:
        """Log in; PacerError names why not (wrong password, MFA, a changed login service)."""
        try:
            await self.session.login()
        except self._login_error as exc:
            text = str(exc)
            if MFA_WORDS.search(text):
                raise PacerError(
                    f"PACER asks for a one-time passcode (MFA): {text}. Use a separate "
                    "account without MFA for ipwatch (see docs/operator.md)"
                ) from None
            raise PacerError(f"PACER login failed: {text}") from None
        except ValueError as exc:  # the login service answered something that is not JSON
            raise PacerError(f"PACER login answered an unexpected page ({exc})") from None
        except httpx.HTTPError as exc:
            raise PacerError(f"PACER login service unreachable: {exc}") from None

    def _scope_cookies(self, court: str) -> None:
        """Keep the session cookie for this court's CM/ECF host only."""
        cookies = self.session.cookies
        token = cookies.get("NextGenCSO") or cookies.get("PacerSession")
        if not token:
            raise PacerError("PACER login gave no session cookie (has the login service changed?)")
        host = urlsplit(ecf_base(self.settings, court)).hostname or ""
        cookies.clear()
        for name in ("NextGenCSO", "PacerSession"):
            cookies.set(name, token, domain=host, path="/")
        if self.settings.client_code:
            cookies.set("PacerClientCode", self.settings.client_code, domain=host, path="/")

    async def parties_report(self, court: str, pacer_case_id: str) -> str:
        """The HTML of a docket report with parties and counsel but no docket entries."""
        base = ecf_base(self.settings, court)
        self._scope_cookies(court)

        class _Report(self._report_cls):  # type: ignore[misc, name-defined]
            @property
            def url(self) -> str:
                return f"{base}/cgi-bin/DktRpt.pl"

        report = _Report(court, self.session)
        # Entries filed "tomorrow" cannot exist: the report is the header and the parties,
        # a page or two, instead of the whole docket.
        tomorrow = date.today() + timedelta(days=1)
        try:
            await report.query(
                pacer_case_id,
                date_start=tomorrow,
                date_end=tomorrow,
                show_parties_and_counsel=True,
                show_terminated_parties=True,
            )
        except self._login_error as exc:
            raise PacerError(f"PACER session lost: {exc}") from None
        except httpx.HTTPError as exc:
            raise PacerError(
                f"docket report of {court} case {pacer_case_id}: {type(exc).__name__}: {exc}"
            ) from None
        except (etree.LxmlError, ValueError, IndexError, AttributeError) as exc:
            # juriscraper parses inside query(): an empty or odd page fails there, not in ours.
            text = str(exc) or type(exc).__name__
            raise PacerError(
                f"docket report of {court} case {pacer_case_id}: unreadable page ({text})"
            ) from None
        return str(report.response.text)
