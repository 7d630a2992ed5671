"""CourtListener REST v4 RECAP search (type=r): dockets with parties and nature of suit."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from core.vocabulary import UNDATED_ENTRIES
from crawlers.items import DocketEvent
from crawlers.parsers import ParseError, clean_text, keep_good, load_json, not_html, stable_id

SOURCE = "courtlistener"
SITE = "https://www.courtlistener.com"
# Nature-of-suit codes for IP: 820 copyright, 830 patent, 835 patent (ANDA), 840 trademark.
IP_SUITS = ("820", "830", "835", "840")
_REQUIRED = ("docket_id", "caseName", "docketNumber", "court_id", "dateFiled")
_ET_AL = re.compile(r",?\s+et\s+al\.?$", re.I)


def search_url(
    base: str,
    nature_of_suit: Sequence[str] = IP_SUITS,
    courts: Sequence[str] = (),
    filed_after: date | None = None,
) -> str:
    """The v4 RECAP search URL for IP suits in `courts` (all when empty), newest filings first."""
    params = {"type": "r", "order_by": "dateFiled desc"}
    if nature_of_suit:
        params["nature_of_suit"] = " OR ".join(nature_of_suit)
    if courts:
        params["court"] = " ".join(courts)  # the API takes court ids space-separated
    if filed_after is not None:
        params["filed_after"] = filed_after.strftime("%m/%d/%Y")
    return f"{base.rstrip('/')}/api/rest/v4/search/?{urlencode(params)}"


def caption_sides(case_name: str) -> tuple[str, str]:
    """('A', 'B') from the caption 'A v. B et al' ('' when there is no ' v. ')."""
    left, sep, right = case_name.partition(" v. ")
    if not sep:
        return "", ""
    return _ET_AL.sub("", left.strip()), _ET_AL.sub("", right.strip())


def _parties(hit: dict) -> tuple[tuple[str, str, str], ...]:
    plaintiff, defendant = caption_sides(hit["caseName"])
    parties = [
        (role, name, "")
        for role, name in (("plaintiff", plaintiff), ("defendant", defendant))
        if name
    ]
    known = {name.casefold() for _, name, _ in parties}
    # Search hits list names without roles; only the caption says who sued whom.
    for name in hit.get("party") or ():
        if isinstance(name, str) and name.strip() and name.strip().casefold() not in known:
            known.add(name.strip().casefold())
            parties.append(("other", name.strip(), ""))
    return tuple(parties)


def _entry_day(doc: dict) -> date | None:  # type: ignore[type-arg]
    """The entry's own filing day, None when the payload gives none (or an unreadable one)."""
    try:
        return date.fromisoformat(str(doc.get("entry_date_filed") or "")[:10])
    except ValueError:
        return None


def _by_day(docs: list) -> dict[date | None, list[str]]:  # type: ignore[type-arg]
    """Entry titles grouped by their own day; None gathers entries without a date."""
    days: dict[date | None, list[str]] = {}
    for d in docs:
        if isinstance(d, dict):
            title = clean_text(d.get("short_description") or d.get("description") or "")
            days.setdefault(_entry_day(d), []).append(title)
    return days


def _docket_id(hit: object) -> str:
    return str(hit.get("docket_id") or "?") if isinstance(hit, dict) else "?"


def _events(hit: object, index: int, retrieved_at: str) -> list[DocketEvent]:
    if not isinstance(hit, dict):
        raise ParseError(SOURCE, f"results[{index}]", "is not an object")
    for key in _REQUIRED:
        if hit.get(key) in (None, ""):
            raise ParseError(SOURCE, f"results[{index}].{key}", "missing or empty")
    try:
        filed = date.fromisoformat(str(hit["dateFiled"])[:10])
    except ValueError as exc:
        raise ParseError(SOURCE, f"results[{index}].dateFiled", repr(hit["dateFiled"])) from exc
    nature = hit.get("suitNature") or ""
    body = f"Nature of suit: {nature}. Cause: {hit.get('cause') or ''}".strip()
    days = _by_day(hit.get("recap_documents") or []) or {filed: []}
    out = []
    # One event per entry day, so a later "Summons Returned Executed" or TRO starts its clock on
    # its own day; the filing day keeps the docket's id, so earlier crawls stay idempotent.
    for day, titles in sorted(days.items(), key=lambda kv: (kv[0] is None, kv[0] or filed)):
        tail = "" if day == filed else f":{day or 'undated'}"
        key = f"docket:{hit['docket_id']}{tail}"
        out.append(
            DocketEvent(
                id=stable_id(SOURCE, key),
                source=SOURCE,
                forum="usdc",
                court=str(hit["court_id"]),
                docket_number=str(hit["docketNumber"]),
                case_name=clean_text(hit["caseName"]),
                event_types=tuple(dict.fromkeys(t for t in titles if t)),
                # a bare date: CourtListener gives no time; undated entries take the filing day
                published=(day or filed).isoformat(),
                link=SITE + hit["docket_absolute_url"] if hit.get("docket_absolute_url") else "",
                body=body if day else f"{body} {UNDATED_ENTRIES}",
                parties=_parties(hit),
                retrieved_at=retrieved_at,
                source_case_id=str(hit["docket_id"]),
            )
        )
    return out


def parse_search(
    payload: bytes, retrieved_at: str = "", skipped: list[str] | None = None
) -> tuple[list[DocketEvent], str | None]:
    """Events of one search page and the cursor URL of the next page (None on the last).

    A hit that cannot be read (no dateFiled, …) is named in `skipped` (when given) and left out.
    """
    not_html(payload, SOURCE, "search", "JSON")
    data: Any = load_json(payload, SOURCE, "search")
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        detail = data.get("detail") if isinstance(data, dict) else None
        raise ParseError(
            SOURCE, "results", f"not a search envelope ({detail or 'no results list'})"
        )
    events = keep_good(
        list(enumerate(data["results"])),
        lambda pair: _events(pair[1], pair[0], retrieved_at),
        lambda pair: f"hit {pair[0]} (docket {_docket_id(pair[1])})",
        skipped,
    )
    return events, data.get("next") or None


@dataclass(frozen=True)
class RequestBudget:
    """CourtListener's throttle as a pure rule: how many requests the caller may make now.

    The caller stores the epoch seconds of its earlier requests and passes them in, so the rule
    survives restarts and is tested with plain numbers instead of a clock.
    """

    per_minute: int = 5
    per_day: int = 125

    def allowed(self, now: float, earlier: Sequence[float]) -> int:
        """Requests that may be made at `now` without breaking either limit."""
        last_minute = sum(1 for t in earlier if now - 60 < t <= now)
        last_day = sum(1 for t in earlier if now - 86400 < t <= now)
        return max(0, min(self.per_minute - last_minute, self.per_day - last_day))

    def wait_seconds(self, now: float, earlier: Sequence[float]) -> float:
        """Seconds until at least one more request is allowed (0 when one is allowed now)."""
        if self.allowed(now, earlier):
            return 0.0
        recent = sorted(t for t in earlier if now - 86400 < t <= now)
        waits = []
        if len([t for t in recent if t > now - 60]) >= self.per_minute:
            waits.append(recent[-self.per_minute] + 60 - now)
        if len(recent) >= self.per_day:
            waits.append(recent[-self.per_day] + 86400 - now)
        return max(waits)
