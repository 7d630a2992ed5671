"""Where each source may send requests: its own hosts over https (http only on loopback).

Every request of every spider passes `AllowlistMiddleware` before anything else sees it: the
first page, pages and texts named by a payload (`next`, `raw_text_url`) and every redirect
(scrapy schedules a redirect as a new request, so it comes through here again). A refused
request is never sent; the spider counts it as a named source error and the source ends
`failed`. An `Authorization` header travels only to the origin (scheme, host, port) of the
source's configured URL: a request elsewhere that still carries one is refused too.

scrapy's own OffsiteMiddleware reads the same `allowed_domains`, but it lets `dont_filter`
requests through (every request of ours is one), so the check that counts is here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

from core.urls import is_loopback

# Hosts a source kind may reach besides its configured URL's host, from each API's own
# documentation: the Federal Register serves raw_text_url from www.federalregister.gov,
# CourtListener pages with `next` on www.courtlistener.com. A domain also allows its subdomains.
API_HOSTS: dict[str, tuple[str, ...]] = {
    "fr_itc": ("www.federalregister.gov",),
    "courtlistener": ("www.courtlistener.com",),
    "edis": ("edis.usitc.gov",),
}
MAX_SHOWN = 120  # characters of a refused URL quoted in an error: enough to recognise it


class RefusedRequest(IgnoreRequest):
    """A request outside its source's hosts or schemes; the message says which rule it broke."""


def allowed_domains(kind: str, url: str) -> list[str]:
    """The hosts a source of this kind configured at `url` may reach."""
    host = (urlsplit(url).hostname or "").lower()
    return list(dict.fromkeys([h for h in (host, *API_HOSTS.get(kind, ())) if h]))


def shown(url: str) -> str:
    """A URL short enough to quote in an error message."""
    return url if len(url) <= MAX_SHOWN else url[: MAX_SHOWN - 1] + "…"


def url_problem(url: str, domains: Iterable[str]) -> str | None:
    """Why `url` may not be fetched for a source allowed `domains`, or None when it may.

    A domain allows its subdomains too (as scrapy's `allowed_domains` does); ports are not part
    of the host, so a local test server on any port of 127.0.0.1 is the same host.
    """
    domains = list(domains)
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in ("https", "http"):
        return f"scheme {scheme or '(none)'!r} is not allowed (https only): {shown(url)}"
    if not host:
        return f"no host in URL {shown(url)}"
    if scheme == "http" and not is_loopback(host):
        return f"plain http is allowed only on loopback hosts: {shown(url)}"
    if not any(host == d or host.endswith(f".{d}") for d in domains):
        allowed = ", ".join(domains) or "none"
        return f"host {host} is not one of the source's hosts ({allowed}): {shown(url)}"
    return None


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the scheme's default port filled in."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or {"https": 443, "http": 80}.get(scheme)
    return scheme, (parts.hostname or "").lower(), port


def request_problem(spider: Spider, request: Request) -> str | None:
    """Why this request may not go out for its source (None when it may)."""
    sources: dict[str, Any] = getattr(spider, "sources", {}) or {}
    source = sources.get(str(request.meta.get("source_id", "")))
    if source is None:
        # robots.txt and other requests scrapy makes itself: any host of any source of the spider,
        # and a redirect of one stays on the host it was asked of, so one source's robots.txt
        # never comes from (or shows a request to) another source's host.
        domains = [d for s in sources.values() for d in allowed_domains(s.kind, s.url)]
        if not sources:
            return None
        first = (request.meta.get("redirect_urls") or [request.url])[0]
        if origin(first)[1] != origin(request.url)[1]:
            return f"redirect of {shown(first)} off its host: {shown(request.url)}"
        return url_problem(request.url, domains)
    problem = url_problem(request.url, allowed_domains(source.kind, source.url))
    if problem:
        return problem
    if "Authorization" in request.headers and origin(request.url) != origin(source.url):
        return f"API token withheld: {shown(request.url)} is not the configured API's origin"
    return None


class AllowlistMiddleware:
    """Downloader middleware: refuse any request outside its source's hosts and schemes."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AllowlistMiddleware:
        """The middleware of one crawler (its spider names the sources)."""
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        """Let the request through, or raise RefusedRequest naming the broken rule."""
        spider = self.crawler.spider
        problem = request_problem(spider, request) if spider is not None else None
        if problem:
            raise RefusedRequest(problem)
