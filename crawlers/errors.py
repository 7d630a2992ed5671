"""Turn scrapy download failures into one clear line for the `sources` health table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from parsel import Selector
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import DNSLookupError, TCPTimedOutError
from twisted.internet.error import TimeoutError as TwistedTimeoutError
from twisted.python.failure import Failure


def page_title(response: Response) -> str:
    """The <title> of an HTML error page, or '' when the body has none."""
    try:
        text = response.text
    except AttributeError:
        text = response.body[:4096].decode("utf-8", "replace")
    # type="html": parsel would read a JSON error body (an API's 401) as JSON and refuse css.
    title = Selector(text=text[:20_000], type="html").css("title::text").get() or ""
    return " ".join(title.split())


MAX_RETRY_AFTER = 7 * 86400  # a larger Retry-After is a server's mistake: shown as a week


def retry_after(response: Response, now: datetime | None = None) -> float | None:
    """Seconds a 429/503 answer asks us to wait (Retry-After: seconds or an HTTP date)."""
    value = (response.headers.get(b"Retry-After") or b"").decode("latin-1").strip()
    if not value:
        return None
    if value.isdigit():
        return float(min(int(value), MAX_RETRY_AFTER))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return max(0.0, min(seconds, MAX_RETRY_AFTER))


def throttled(failure: Failure, now: datetime | None = None) -> str:
    """The throttle message of an HTTP 429 failure ('' for any other failure)."""
    exc = failure.value
    if not isinstance(exc, HttpError) or exc.response.status != 429:
        return ""
    url = exc.response.url
    moment = now or datetime.now(UTC)
    wait = retry_after(exc.response, moment)
    if wait is None:
        return f"HTTP 429 from {url}: throttled (no Retry-After); trying again next run"
    until = (moment + timedelta(seconds=wait)).strftime("%Y-%m-%d %H:%M UTC")
    return f"HTTP 429 from {url}: throttled for {wait:.0f} s (Retry-After), until {until}"


def tls_problem(exc: BaseException) -> str:
    """Why the server's TLS certificate was refused, or '' when the failure was something else."""
    # scrapy wraps Twisted's ResponseNeverReceived, whose `reasons` hold the TLS errors; they are
    # matched by name so the crawler need not import pyOpenSSL or service_identity itself.
    reasons = getattr(exc.__cause__, "reasons", None) or []
    for reason in reasons:
        value = getattr(reason, "value", reason)
        kind = f"{type(value).__module__}.{type(value).__name__}"
        if kind.startswith("service_identity."):
            return "the certificate is not for this host name"
        if kind == "OpenSSL.SSL.Error":
            text = str(value)
            if "certificate verify failed" in text:
                return "the certificate is not signed by a trusted authority (or has expired)"
            return f"TLS handshake failed ({text[:120]})"
    return ""


def describe_failure(failure: Failure, timeout: int) -> str:
    """A one-line cause for a failed download, naming the URL and what to check."""
    exc = failure.value
    request = getattr(failure, "request", None)
    url = request.url if request is not None else "?"
    host = urlsplit(url).hostname or url
    if isinstance(exc, HttpError):
        response = exc.response
        title = page_title(response)
        detail = f" ({title})" if title else ""
        return f"HTTP {response.status} from {url}{detail}"
    if isinstance(exc, DownloadCancelledError):
        # scrapy cancels a body past DOWNLOAD_MAXSIZE (config crawl.max_response_bytes).
        return f"response too large, download cancelled (crawl.max_response_bytes): {exc}"
    if isinstance(exc, DownloadTimeoutError | TwistedTimeoutError | TCPTimedOutError):
        return f"timed out after {timeout} s (crawl.timeout) fetching {url}"
    if isinstance(exc, CannotResolveHostError | DNSLookupError):
        return f"DNS lookup failed for host {host}"
    if isinstance(exc, DownloadConnectionRefusedError | ConnectionRefusedError):
        return f"connection refused by {host} ({url})"
    if isinstance(exc, ResponseDataLossError):
        return f"connection closed before the whole response arrived from {url}"
    if isinstance(exc, IgnoreRequest):
        return f"request not sent ({exc or 'forbidden by robots.txt'}): {url}"
    if isinstance(exc, DownloadFailedError) and (tls := tls_problem(exc)):
        # The handshake failed before any request (so before any token) was sent.
        return f"TLS certificate of {host} refused, nothing sent: {tls}: {url}"
    if isinstance(exc, DownloadFailedError):
        return f"download failed from {url}: {exc}"
    return f"{type(exc).__name__} fetching {url}: {exc}"
