"""District-court feeds from PACER's court list, as config.yaml source entries."""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from core.config import ConfigError, load_config

COURTS_FILE = Path(__file__).resolve().parent.parent / "data" / "pacer_courts.json"
# Courts with many IP suits: enabled when generated; the rest are listed ready to enable.
IP_HEAVY = ("txed", "txwd", "ded", "cacd", "cand", "ilnd", "nysd", "flsd", "njd")
# PACER's list gives EDNY no rss_url: its feed is readyDockets.pl, as juriscraper's
# PacerRssFeed.url says (juriscraper/pacer/rss_feeds.py; the nyed_1.xml fixture is one).
EXTRA_FEEDS = {
    "nyed": (
        "New York Eastern District Court",
        "https://ecf.nyed.uscourts.gov/cgi-bin/readyDockets.pl",
    )
}
_HOST = re.compile(r"^https://ecf\.([a-z0-9]+)\.uscourts\.gov/")


@dataclass(frozen=True)
class CourtFeed:
    """One district court's public RSS feed as PACER's court list gives it."""

    court: str
    name: str
    url: str

    def entry(self, enabled: bool) -> str:
        """The config.yaml line for this feed."""
        flag = "" if enabled else ", enabled: false"
        return (
            f"  - {{id: pacer_{self.court}, kind: pacer_rss, court: {self.court}, "
            f'url: "{self.url}"{flag}}}  # {self.name}'
        )


def district_feeds(path: Path = COURTS_FILE) -> list[CourtFeed]:
    """Every district court with a feed in PACER's list (URLs verbatim), plus EDNY's."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))["data"]
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(f"{path}: cannot read PACER's court list ({exc})") from None
    feeds: dict[str, CourtFeed] = {}
    for court in data:
        url = court.get("rss_url") or ""
        found = _HOST.match(url)
        if court.get("type") == "District" and found:
            feeds[found.group(1)] = CourtFeed(found.group(1), court.get("title", ""), url)
    for court_id, (name, url) in EXTRA_FEEDS.items():
        feeds.setdefault(court_id, CourtFeed(court_id, name, url))
    return sorted(feeds.values(), key=lambda f: f.court)


@dataclass(frozen=True)
class AddCourts:
    """What `sources add-courts` generated: new lines, and courts already configured."""

    lines: list[str]
    skipped: list[str]


def plan(config_path: str | os.PathLike[str], courts: list[str], all_courts: bool) -> AddCourts:
    """The entries to add for COURT… (enabled) or --all (IP-heavy enabled, the rest not)."""
    cfg = load_config(config_path)
    feeds = {f.court: f for f in district_feeds()}
    wanted = sorted(feeds) if all_courts else [c.lower() for c in courts]
    unknown = [c for c in wanted if c not in feeds]
    if unknown:
        raise ConfigError(
            f"no district-court feed in PACER's court list for: {', '.join(unknown)} "
            f"(known: {', '.join(sorted(feeds))})"
        )
    have = {s.court for s in cfg.sources if s.kind == "pacer_rss"} | {s.id for s in cfg.sources}
    lines, skipped = [], []
    for court in wanted:
        if court in have or f"pacer_{court}" in have:
            skipped.append(court)
            continue
        lines.append(feeds[court].entry(enabled=not all_courts or court in IP_HEAVY))
    return AddCourts(lines, skipped)


def write(config_path: str | os.PathLike[str], lines: list[str]) -> None:
    """Append the lines to the end of `sources:`, keeping comments; validate before replacing."""
    path = Path(config_path)
    text = path.read_text(encoding="utf-8").splitlines()
    try:
        start = next(i for i, line in enumerate(text) if re.match(r"^sources:\s*$", line))
    except StopIteration:
        raise ConfigError(f"{path.name}: no block-style `sources:` list to add to") from None
    at, indent = start + 1, None
    for i in range(start + 1, len(text)):
        line = text[i]
        if not line.strip() or line.startswith("#"):
            continue
        if indent is None and line.lstrip().startswith("-"):
            indent = line[: len(line) - len(line.lstrip())]  # "  - …" or PyYAML's "- …"
        if not (line.startswith(" ") or (indent == "" and line.startswith("-"))):
            break
        at = i + 1  # after the list's last line: its order (and every index) stays as it was
    lines = [(indent or "") + line.lstrip() for line in lines]
    new = "\n".join(text[:at] + lines + text[at:]) + "\n"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".config.", suffix=".yaml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(new)
        load_config(tmp)  # the new file must pass check-config before it replaces the old one
        os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
