"""Where each forum sits: the time zone that dates its filings and the state whose holidays count.

This is location data, not a holiday table: the holidays themselves come from `holidays`.
The 94 US district courts are those of PACER's court CM/ECF lookup (January 2023). A court's
CM/ECF runs on the clock of its clerk's main office, so districts that span two zones take the
zone of that office (W.D. Tex.: San Antonio, Central; E.D. Tenn.: Knoxville, Eastern).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

CENTRAL, EASTERN = "America/Chicago", "America/New_York"
MOUNTAIN, PACIFIC = "America/Denver", "America/Los_Angeles"

# court code → (IANA time zone, USPS code of the state or territory, as `holidays` subdivisions)
US_DISTRICTS: dict[str, tuple[str, str]] = {
    "akd": ("America/Anchorage", "AK"),
    "almd": (CENTRAL, "AL"), "alnd": (CENTRAL, "AL"), "alsd": (CENTRAL, "AL"),
    "ared": (CENTRAL, "AR"), "arwd": (CENTRAL, "AR"),
    "azd": ("America/Phoenix", "AZ"),
    "cacd": (PACIFIC, "CA"), "caed": (PACIFIC, "CA"), "cand": (PACIFIC, "CA"),
    "casd": (PACIFIC, "CA"),
    "cod": (MOUNTAIN, "CO"),
    "ctd": (EASTERN, "CT"),
    "dcd": (EASTERN, "DC"),
    "ded": (EASTERN, "DE"),
    "flmd": (EASTERN, "FL"), "flnd": (EASTERN, "FL"), "flsd": (EASTERN, "FL"),
    "gamd": (EASTERN, "GA"), "gand": (EASTERN, "GA"), "gasd": (EASTERN, "GA"),
    "gud": ("Pacific/Guam", "GU"),
    "hid": ("Pacific/Honolulu", "HI"),
    "iand": (CENTRAL, "IA"), "iasd": (CENTRAL, "IA"),
    "idd": ("America/Boise", "ID"),
    "ilcd": (CENTRAL, "IL"), "ilnd": (CENTRAL, "IL"), "ilsd": (CENTRAL, "IL"),
    "innd": ("America/Indiana/Indianapolis", "IN"), "insd": ("America/Indiana/Indianapolis", "IN"),
    "ksd": (CENTRAL, "KS"),
    "kyed": (EASTERN, "KY"), "kywd": ("America/Kentucky/Louisville", "KY"),
    "laed": (CENTRAL, "LA"), "lamd": (CENTRAL, "LA"), "lawd": (CENTRAL, "LA"),
    "mad": (EASTERN, "MA"),
    "mdd": (EASTERN, "MD"),
    "med": (EASTERN, "ME"),
    "mied": ("America/Detroit", "MI"), "miwd": ("America/Detroit", "MI"),
    "mnd": (CENTRAL, "MN"),
    "moed": (CENTRAL, "MO"), "mowd": (CENTRAL, "MO"),
    "msnd": (CENTRAL, "MS"), "mssd": (CENTRAL, "MS"),
    "mtd": (MOUNTAIN, "MT"),
    "nced": (EASTERN, "NC"), "ncmd": (EASTERN, "NC"), "ncwd": (EASTERN, "NC"),
    "ndd": (CENTRAL, "ND"),
    "ned": (CENTRAL, "NE"),
    "nhd": (EASTERN, "NH"),
    "njd": (EASTERN, "NJ"),
    "nmd": (MOUNTAIN, "NM"),
    "nmid": ("Pacific/Saipan", "MP"),
    "nvd": (PACIFIC, "NV"),
    "nyed": (EASTERN, "NY"), "nynd": (EASTERN, "NY"), "nysd": (EASTERN, "NY"),
    "nywd": (EASTERN, "NY"),
    "ohnd": (EASTERN, "OH"), "ohsd": (EASTERN, "OH"),
    "oked": (CENTRAL, "OK"), "oknd": (CENTRAL, "OK"), "okwd": (CENTRAL, "OK"),
    "ord": (PACIFIC, "OR"),
    "paed": (EASTERN, "PA"), "pamd": (EASTERN, "PA"), "pawd": (EASTERN, "PA"),
    "prd": ("America/Puerto_Rico", "PR"),
    "rid": (EASTERN, "RI"),
    "scd": (EASTERN, "SC"),
    "sdd": (CENTRAL, "SD"),
    "tned": (EASTERN, "TN"), "tnmd": (CENTRAL, "TN"), "tnwd": (CENTRAL, "TN"),
    "txed": (CENTRAL, "TX"), "txnd": (CENTRAL, "TX"), "txsd": (CENTRAL, "TX"),
    "txwd": (CENTRAL, "TX"),
    "utd": (MOUNTAIN, "UT"),
    "vaed": (EASTERN, "VA"), "vawd": (EASTERN, "VA"),
    "vid": ("America/St_Thomas", "VI"),
    "vtd": (EASTERN, "VT"),
    "waed": (PACIFIC, "WA"), "wawd": (PACIFIC, "WA"),
    "wied": (CENTRAL, "WI"), "wiwd": (CENTRAL, "WI"),
    "wvnd": (EASTERN, "WV"), "wvsd": (EASTERN, "WV"),
    "wyd": (MOUNTAIN, "WY"),
}  # fmt: skip

# The Commission sits in Washington, D.C.
ITC_ZONE = EASTERN

# UPC Contracting Member States (ISO codes as `holidays` knows them) with the day the Agreement
# took effect for them, and the zone of each; divisions are named "Düsseldorf (DE) Local Division".
UPC_STATES: dict[str, tuple[str, str]] = {
    "AT": ("2023-06-01", "Europe/Vienna"), "BE": ("2023-06-01", "Europe/Brussels"),
    "BG": ("2023-06-01", "Europe/Sofia"), "DK": ("2023-06-01", "Europe/Copenhagen"),
    "EE": ("2023-06-01", "Europe/Tallinn"), "FI": ("2023-06-01", "Europe/Helsinki"),
    "FR": ("2023-06-01", "Europe/Paris"), "DE": ("2023-06-01", "Europe/Berlin"),
    "IT": ("2023-06-01", "Europe/Rome"), "LV": ("2023-06-01", "Europe/Riga"),
    "LT": ("2023-06-01", "Europe/Vilnius"), "LU": ("2023-06-01", "Europe/Luxembourg"),
    "MT": ("2023-06-01", "Europe/Malta"), "NL": ("2023-06-01", "Europe/Amsterdam"),
    "PT": ("2023-06-01", "Europe/Lisbon"), "SI": ("2023-06-01", "Europe/Ljubljana"),
    "SE": ("2023-06-01", "Europe/Stockholm"), "RO": ("2024-09-01", "Europe/Bucharest"),
}  # fmt: skip
# Where no division is named (the Court of Appeal sits in Luxembourg, the central division's seat
# in Paris): Central European Time, the zone of most divisions.
UPC_DEFAULT_ZONE = "Europe/Berlin"
_UPC_STATE = re.compile(r"\(([A-Z]{2})\)")
# The region (as `holidays` names it) of the German divisions' seats, whose own holidays
# (Epiphany, Corpus Christi, All Saints' …) are not the whole Member State's.
UPC_SEAT_REGIONS: dict[str, str] = {
    "münchen": "BY", "munich": "BY", "düsseldorf": "NW", "dusseldorf": "NW",
    "mannheim": "BW", "hamburg": "HH",
}  # fmt: skip

# Chinese names of the districts the bureau watches most; others show their code.
COURTS_ZH: dict[str, str] = {
    "txed": "德克萨斯州东区",
    "txwd": "德克萨斯州西区",
    "ded": "特拉华州",
    "cacd": "加利福尼亚州中区",
    "cand": "加利福尼亚州北区",
    "ilnd": "伊利诺伊州北区",
    "nysd": "纽约州南区",
    "flsd": "佛罗里达州南区",
}


def upc_state(court: str) -> str | None:
    """The Member State of a UPC division named like "Düsseldorf (DE) Local Division"."""
    found = _UPC_STATE.search(court or "")
    return found.group(1) if found and found.group(1) in UPC_STATES else None


def upc_seat_region(court: str) -> str | None:
    """The region of the seat of a German UPC division ("München (DE) LD" → "BY"), if known."""
    words = (court or "").casefold().replace("(", " ").split()
    return next((UPC_SEAT_REGIONS[w] for w in words if w in UPC_SEAT_REGIONS), None)


def us_state(court: str) -> str | None:
    """The state (USPS code) in which a US district court sits, or None for an unknown court."""
    found = US_DISTRICTS.get((court or "").lower())
    return found[1] if found else None


def court_zone(forum: str, court: str) -> str:
    """The IANA time zone in which the forum dates its filings."""
    if forum == "usdc":
        # An unknown court: the westernmost mainland zone gives the earlier date, the safe side.
        return US_DISTRICTS.get((court or "").lower(), (PACIFIC, ""))[0]
    if forum == "itc":
        return ITC_ZONE
    if forum == "upc":
        state = upc_state(court)
        return UPC_STATES[state][1] if state else UPC_DEFAULT_ZONE
    return "Asia/Shanghai"  # news has no court: the bureau's own day


def zone_zh(forum: str, court: str) -> str:
    """The court's zone for a reader, e.g. "America/Chicago（法院当地时间）"."""
    return f"{court_zone(forum, court)}（法院当地时间）"


def court_date(stamp: str, zone: str) -> date:
    """The date in the court's zone of a stored ISO timestamp (naive ones count as UTC).

    Only a value that carries no time at all ("2024-03-13", CourtListener's date_filed) is a
    bare date, taken as the court's own day. Any moment, midnight UTC included, is converted:
    PACER stamps 00:00:00 GMT for 16:00 the day before in Los Angeles, and reading it as a bare
    date would start the clock a day late.
    """
    text = stamp.strip()
    if len(text) == 10:
        return date.fromisoformat(text)
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(zone)).date()


def in_beijing(stamp: str | None) -> datetime | None:
    """A stored ISO timestamp as a moment in Beijing time (naive ones count as UTC), or None
    when there is none or it is not a timestamp."""
    try:
        moment = datetime.fromisoformat((stamp or "").strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo("Asia/Shanghai"))
