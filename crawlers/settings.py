"""Polite scrapy settings; only values from config.yaml are layered on top, as overrides."""

from __future__ import annotations

from typing import Any

from scrapy.settings import Settings, default_settings

from core import vocabulary
from core.config import Config

BOT_NAME = "ipwatch"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

# Courts publish for the public; we read them the way their robots.txt and load allow.
ROBOTSTXT_OBEY = True
USER_AGENT = vocabulary.USER_AGENT
DOWNLOAD_DELAY = 1.0
CONCURRENT_REQUESTS_PER_DOMAIN = 1
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
RETRY_ENABLED = True
RETRY_TIMES = 3
# Scrapy's default list without 429: "too many requests" is answered by waiting for the next
# scheduled run, not by asking again at once (which would also spend CourtListener's budget).
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408]
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20_000_000
# Warn well before the hard limit, so a growing feed shows up in the logs first.
DOWNLOAD_WARNSIZE = 10_000_000
# Each feed is one request per run: a cache would only hide a court's newest entries.
HTTPCACHE_ENABLED = False
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Scrapy's remote-control extension would open a local HTTP server that runs Python code sent to
# it; a crawler of public court feeds has no use for it.
REMOTE_CONTROL_ENABLED = False
# Components a crawl never uses are left out of the base lists, so they are not even imported:
# scrapy imports every component named in EXTENSIONS (disabled ones too), and these cost each
# crawl process a quarter of a second (aiohttp, tldextract, feed exporters) on every poll.
_UNUSED = {
    "scrapy.extensions.remote_control.RemoteControl",  # see REMOTE_CONTROL_ENABLED
    "scrapy.extensions.telnet.TelnetConsole",  # see TELNETCONSOLE_ENABLED
    "scrapy.extensions.feedexport.FeedExporter",  # events go to the database, not to feeds
    "scrapy.extensions.spiderstate.SpiderState",  # no JOBDIR: nothing is resumed
    "scrapy.extensions.memdebug.MemoryDebugger",  # MEMDEBUG_ENABLED is off
    "scrapy.downloadermiddlewares.cookies.CookiesMiddleware",  # see COOKIES_ENABLED
    "scrapy.downloadermiddlewares.httpcache.HttpCacheMiddleware",  # see HTTPCACHE_ENABLED
}
EXTENSIONS_BASE = {k: v for k, v in default_settings.EXTENSIONS_BASE.items() if k not in _UNUSED}
# Scrapy reads each callback's source (inspect + ast) to warn about generators that return a
# value: a check for spider authors, paid again by every crawl process.
WARN_ON_GENERATOR_RETURN_VALUE = False
DOWNLOADER_MIDDLEWARES_BASE = {
    k: v for k, v in default_settings.DOWNLOADER_MIDDLEWARES_BASE.items() if k not in _UNUSED
}
LOG_LEVEL = "WARNING"
# scrapy accepts any certificate by default; a crawler that sends API tokens must know it talks
# to the court's own server, so certificate and host name are checked against the system CAs.
DOWNLOAD_VERIFY_CERTIFICATES = True
# A proxy named in the environment (https_proxy, http_proxy) would see every request, and with
# plain http every token: ipwatch connects directly (docs/security.md, "Proxies").
HTTPPROXY_ENABLED = False

# Before robots.txt and everything else: a request off its source's hosts is never sent.
DOWNLOADER_MIDDLEWARES = {"crawlers.allow.AllowlistMiddleware": 40}

ITEM_PIPELINES = {
    "crawlers.pipelines.ValidatePipeline": 100,
    "crawlers.pipelines.StorePipeline": 300,
}

# Our own keys: where the pipeline writes (the resolved config.yaml `database`).
IPWATCH_DATABASE = "data/ipwatch.db"


def overrides(cfg: Config) -> dict[str, Any]:
    """The scrapy settings that come from config.yaml's `crawl` section and database path."""
    crawl = cfg.crawl
    return {
        "ROBOTSTXT_OBEY": crawl.obey_robots,
        "USER_AGENT": crawl.user_agent,
        "DOWNLOAD_DELAY": crawl.download_delay,
        # AutoThrottle never goes below DOWNLOAD_DELAY; starting at it keeps a local mirror fast.
        "AUTOTHROTTLE_START_DELAY": max(crawl.download_delay, 0.0),
        "RETRY_TIMES": crawl.retries,
        "DOWNLOAD_TIMEOUT": crawl.timeout,
        "DOWNLOAD_MAXSIZE": crawl.max_response_bytes,
        "DOWNLOAD_WARNSIZE": min(DOWNLOAD_WARNSIZE, crawl.max_response_bytes),
        "IPWATCH_DATABASE": str(cfg.path(cfg.database)),
    }


def build_settings(cfg: Config, log_level: str = LOG_LEVEL) -> Settings:
    """This module's defaults with the config.yaml overrides applied at 'cmdline' priority."""
    settings = Settings()
    settings.setmodule(__name__, priority="project")
    settings.setdict({**overrides(cfg), "LOG_LEVEL": log_level}, priority="cmdline")
    # The crawl hands scrapy its spider classes, so scrapy need not import every spider module
    # to find them by name (SPIDER_MODULES stays for `scrapy list` with scrapy.cfg).
    settings.set("SPIDER_MODULES", [], priority="cmdline")
    return settings
