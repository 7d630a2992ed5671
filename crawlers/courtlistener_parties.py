"""Free first: a docket's parties from CourtListener's RECAP archive, when someone bought it."""

from __future__ import annotations

import os
import ssl
import time
from urllib.parse import urlencode

import httpx

from core.config import Config
from core.party_lists import DocketParty, PartyListRequest
from crawlers.allow import origin, shown
from crawlers.parsers import ParseError
from crawlers.parsers.courtlistener import RequestBudget
from crawlers.parsers.pacer_docket import parse_cl_parties
from crawlers.spiders.support import RequestLog

MAX_PAGES = 5


class CourtListenerError(Exception):
    """CourtListener could not be asked or answered nonsense; the case waits for the next run."""


class CourtListenerParties:
    """Looks a case up on CourtListener within the account's shared request budget."""

    def __init__(self, cfg: Config) -> None:
        self.base = cfg.pacer.courtlistener_url.rstrip("/")
        self.env = cfg.pacer.courtlistener_token_env
        self.token = os.environ.get(self.env, "").strip()
        self.log = RequestLog(str(cfg.path(cfg.database)), f"courtlistener:{self.env}")
        self.headers = {"User-Agent": cfg.crawl.user_agent}
        self.timeout = cfg.crawl.timeout

    @property
    def enabled(self) -> bool:
        """True when the operator has set a CourtListener token."""
        return bool(self.token)

    def _get(self, client: httpx.Client, url: str) -> httpx.Response | None:
        # The token goes only to CourtListener's own origin: scheme, host and port, so a `next`
        # link to http:// on the same host never carries it in clear (crawlers/allow.py).
        if origin(url) != origin(self.base):
            return None
        now = time.time()
        if RequestBudget().wait_seconds(now, self.log.times(now)):
            return None  # the API budget is spent: PACER may still be tried, or the next run
        self.log.add(now)
        return client.get(url, headers={**self.headers, "Authorization": f"Token {self.token}"})

    def parties(self, request: PartyListRequest) -> list[DocketParty]:
        """The docket's parties if RECAP holds them, else [] (no docket, no parties, no access).

        CourtListenerError names a failure to ask: network, TLS, an answer not the API's JSON.
        """
        if not self.enabled:
            return []
        try:
            return self._parties(request)
        except httpx.HTTPError as exc:
            where = shown(str(exc.request.url)) if _has_request(exc) else self.base
            raise CourtListenerError(f"{type(exc).__name__} from {where}: {exc}") from None
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            # A 200 HTML page (a proxy's or gateway's) or JSON of another shape.
            found = f"{type(exc).__name__}: {exc}"
            raise CourtListenerError(f"not the dockets API's JSON ({found})") from None

    def _parties(self, request: PartyListRequest) -> list[DocketParty]:
        query = {"court": request.court, "docket_number": request.docket_number}
        if request.pacer_case_id:
            query = {"court": request.court, "pacer_case_id": request.pacer_case_id}
        # trust_env=False: an https_proxy from the environment never sees the token (security.md).
        # The system's CA store, as scrapy uses (trust_env=False would otherwise mean certifi's).
        with httpx.Client(
            timeout=self.timeout,
            verify=ssl.create_default_context(),
            follow_redirects=False,
            trust_env=False,
        ) as client:
            found = self._get(client, f"{self.base}/api/rest/v4/dockets/?{urlencode(query)}")
            if found is None or found.status_code != 200:
                return []
            results = found.json().get("results") or []
            if not results:
                return []
            url: str | None = f"{self.base}/api/rest/v4/parties/?docket={results[0]['id']}"
            out: list[DocketParty] = []
            for _ in range(MAX_PAGES):
                if not url:
                    break
                page = self._get(client, url)
                if page is None or page.status_code != 200:
                    return []  # 403: the parties endpoint is for select users only
                try:
                    more, url = parse_cl_parties(page.content)
                except ParseError:
                    return []  # a partial list would hide defendants: PACER decides instead
                out += more
            return out


def _has_request(exc: httpx.HTTPError) -> bool:
    try:
        return exc.request is not None
    except RuntimeError:  # httpx raises when an error was made without its request
        return False
