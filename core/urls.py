"""URL rules shared by the config loader, the crawler and the templates: web links, loopback."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

LOOPBACK_NAMES = ("localhost",)


def is_web_url(value: str) -> bool:
    """True for an http(s) URL with a host: the only kind of link kept, fetched or rendered."""
    parts = urlsplit((value or "").strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def is_loopback(host: str) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1: the only hosts plain http may reach."""
    name = (host or "").strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def source_url_problem(url: str) -> str | None:
    """Why a configured source URL is unusable (not https, http off loopback), or None."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http") or not parts.hostname:
        return f"must be an https:// URL, got {scheme + ':' if scheme else 'no scheme'} URL"
    if scheme == "http" and not is_loopback(parts.hostname):
        return "plain http is allowed only for loopback hosts (127.0.0.1, localhost, ::1)"
    return None
