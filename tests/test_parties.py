"""Captions into parties, and party strings into their alternative names."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest

from matcher.parties import AltName, Caption, alternative_names, parse_caption

EXAMPLES = Path(__file__).parent / "examples" / "matcher"

CAPTIONS = [
    (
        "6:22-cv-00217 ARIGNA TECHNOLOGY LIMITED v. TCL Technology Group Corp. et al",
        Caption(("ARIGNA TECHNOLOGY LIMITED",), ("TCL Technology Group Corp.",), "ordinary", True),
    ),
    (
        "Netlist, Inc. v. Samsung Electronics Co, LTD et al",
        Caption(("Netlist, Inc.",), ("Samsung Electronics Co, LTD",), "ordinary", True),
    ),
    (
        "6:20-cv-00957 WSOU Investments LLCv. Oneplus Technology (Shenzhen) Co., Ltd.",
        Caption(
            ("WSOU Investments LLC",),
            ("Oneplus Technology (Shenzhen) Co., Ltd.",),
            "ordinary",
            False,
        ),
    ),
    (
        "Ubisoft Entertainment, S.A. et. al. v. Acme Corp.",
        Caption(("Ubisoft Entertainment, S.A.",), ("Acme Corp.",), "ordinary", True),
    ),
    (
        "In re Certain Smart Televisions, Components Thereof",
        Caption((), (), "in_re", False, "Certain Smart Televisions, Components Thereof"),
    ),
    (
        "Chanel, Inc. v. The Individuals, Business Entities, and Unincorporated Associations "
        "Identified on Schedule &amp;quot;A&amp;quot;",
        Caption(("Chanel, Inc.",), (), "schedule_a", True),
    ),
    (
        "Exxon Mobil Corporation v. The Individuals and Business Entities Identified on Schedule A",
        Caption(("Exxon Mobil Corporation",), (), "schedule_a", True),
    ),
    (
        "Daesung Industrial, Ltd. et al v. Samsung HVAC America, LLC <font color=red>***Case "
        "transferred***</font>",
        Caption(
            ("Daesung Industrial, Ltd.",),
            ("Samsung HVAC America, LLC ***Case transferred***",),
            "ordinary",
            True,
        ),
    ),
    ("Sealed v. Sealed", Caption(("Sealed",), ("Sealed",), "ordinary", False)),
    # "v." only as a word of its own: not inside "Univ.", not a middle initial "V.".
    (
        "Board of Trustees of the Leland Stanford Junior Univ. v. Huizhou TCL Mobile "
        "Communication Co. Ltd.",
        Caption(
            ("Board of Trustees of the Leland Stanford Junior Univ.",),
            ("Huizhou TCL Mobile Communication Co. Ltd.",),
            "ordinary",
            False,
        ),
    ),
    (
        "Steven V. Smith v. EVE Energy Co., Ltd.",
        Caption(("Steven V. Smith",), ("EVE Energy Co., Ltd.",), "ordinary", False),
    ),
    (
        "JOHN V. SMITH V. TCL CORP.",
        Caption(("JOHN V. SMITH",), ("TCL CORP.",), "ordinary", False),
    ),
    ("ACME INC. V. TCL CORP.", Caption(("ACME INC.",), ("TCL CORP.",), "ordinary", False)),
    ("Apple Inc. vs Samsung", Caption(("Apple Inc.",), ("Samsung",), "ordinary", False)),
    ("Steven V. Smith", Caption(("Steven V. Smith",), (), "ordinary", False)),
    # Schedule A in every wording the courts use.
    (
        "Nike, Inc. v. The Partnerships and Unincorporated Associations Identified in Annex A",
        Caption(("Nike, Inc.",), (), "schedule_a", True),
    ),
    (
        "Oakley, Inc. v. The Schedule A Defendants",
        Caption(("Oakley, Inc.",), (), "schedule_a", True),
    ),
    (
        "Roblox Corporation v. The Entities on Exhibit 1",
        Caption(("Roblox Corporation",), (), "schedule_a", True),
    ),
    (
        "Acme v. Annex Systems Inc.",
        Caption(("Acme",), ("Annex Systems Inc.",), "ordinary", False),
    ),
    ("", Caption((), (), "ordinary", False)),
]


@pytest.mark.parametrize(("title", "expected"), CAPTIONS, ids=lambda v: str(v)[:40])
def test_parse_caption(title: str, expected: Caption) -> None:
    assert parse_caption(title) == expected


@pytest.mark.parametrize(
    "feed", ["ilnd_2022-12-06_schedule_a_excerpt.xml", "flsd_2022-12-06_schedule_a_excerpt.xml"]
)
def test_every_schedule_a_caption_of_the_real_feeds_is_recognised(feed: str) -> None:
    parsed = feedparser.parse((EXAMPLES / feed).read_bytes())
    titles = {e.title for e in parsed.entries}
    schedule = {t for t in titles if "unincorporated associations" in t.lower()}
    assert len(schedule) >= 10
    for title in schedule:
        caption = parse_caption(title)
        assert caption.kind == "schedule_a", title
        assert caption.defendants == ()
        assert caption.plaintiffs and "Schedule" not in caption.plaintiffs[0]
    chinese_plaintiff = parse_caption(
        next(t for t in schedule if "Shenzhen Dejiayun" in t or "Yangzhou" in t)
    )
    assert chinese_plaintiff.plaintiffs[0].split()[0] in {"Shenzhen", "Yangzhou"}


ALIASES = [
    (
        "TCL Electronics Holdings Limited, f/k/a TCL Multimedia Holdings Limited",
        [
            ("TCL Electronics Holdings Limited", "primary"),
            ("TCL Multimedia Holdings Limited", "former"),
        ],
    ),
    (
        "TCL Technology Group Corporation (f/k/a TCL Corp.)",
        [("TCL Technology Group Corporation", "primary"), ("TCL Corp.", "former")],
    ),
    (
        "TTE Technology Inc. d/b/a/ TCL USA and TCL North America",
        [("TTE Technology Inc.", "primary"), ("TCL USA", "dba"), ("TCL North America", "dba")],
    ),
    (
        "American Vape Company, LLC a/k/a American Vapor Company, LLC",
        [("American Vape Company, LLC", "primary"), ("American Vapor Company, LLC", "aka")],
    ),
    (
        "Foryou Corporation, formerly Huizhou Foryou Group",
        [("Foryou Corporation", "primary"), ("Huizhou Foryou Group", "former")],
    ),
    (
        # The name's own brackets stay; only those of the sentence around it go.
        "TCL Corp. (d/b/a TCL North America (US))",
        [("TCL Corp.", "primary"), ("TCL North America (US)", "dba")],
    ),
    (
        "Huizhou Desay SV Automotive Co., Ltd. (formerly Huizhou Desay (HK) Co.)",
        [
            ("Huizhou Desay SV Automotive Co., Ltd.", "primary"),
            ("Huizhou Desay (HK) Co.", "former"),
        ],
    ),
    (
        "FORYOU CORPORATION, FORMERLY HUIZHOU FORYOU GROUP",  # as a docket writes it
        [("FORYOU CORPORATION", "primary"), ("HUIZHOU FORYOU GROUP", "former")],
    ),
    ("Roku Inc.", [("Roku Inc.", "primary")]),
    ("  ", []),
    # What a pleading says of the party is not its name.
    ("EVE ENERGY CO., LTD., a Chinese corporation", [("EVE ENERGY CO., LTD.", "primary")]),
    (
        "TCL King Electrical Appliances (Huizhou) Company Limited, a corporation of the "
        "People's Republic of China",
        [("TCL King Electrical Appliances (Huizhou) Company Limited", "primary")],
    ),
    ("TCL Corp. (a Chinese company)", [("TCL Corp.", "primary")]),
    ("TCL Corp. (Guangdong, China)", [("TCL Corp.", "primary")]),
    ("Foryou Corporation, et al.", [("Foryou Corporation", "primary")]),
    (
        "X Co., Ltd., organized under the laws of the PRC",
        [("X Co., Ltd.", "primary")],
    ),
    # Several parties in one string: split after a legal form, never inside "Co., Ltd.".
    ("Roku Inc. and TCL Corp.", [("Roku Inc.", "primary"), ("TCL Corp.", "primary")]),
    (
        "Roku, Inc., TCL科技集团股份有限公司, and Shenzhen Hehong Technology Co., Ltd.",
        [
            ("Roku, Inc.", "primary"),
            ("TCL科技集团股份有限公司", "primary"),
            ("Shenzhen Hehong Technology Co., Ltd.", "primary"),
        ],
    ),
    (
        "Shenzhen Hehong Technology Co., Ltd.; Foryou Corp.",
        [("Shenzhen Hehong Technology Co., Ltd.", "primary"), ("Foryou Corp.", "primary")],
    ),
    (
        "Victory Giant Technology (HuiZhou) Co.,Ltd. and Roku Inc.",
        [("Victory Giant Technology (HuiZhou) Co.,Ltd.", "primary"), ("Roku Inc.", "primary")],
    ),
    (
        "X Co., Ltd., a Chinese corporation, and Y Inc.",
        [("X Co., Ltd.", "primary"), ("Y Inc.", "primary")],
    ),
    # No legal form before "and"/"&", or a name that only starts like a sentence: one name.
    ("Johnson & Johnson", [("Johnson & Johnson", "primary")]),
    ("An Apple a Day Company", [("An Apple a Day Company", "primary")]),
    ("Bank of China Limited", [("Bank of China Limited", "primary")]),
    # Full-width Latin reads as ASCII, so its f/k/a is seen.
    (
        "ＴＣＬ Ｃｏｒｐｏｒａｔｉｏｎ （ｆ／ｋ／ａ ＴＣＬ Ｃｏｒｐ．）",
        [("TCL Corporation", "primary"), ("TCL Corp.", "former")],
    ),
]


@pytest.mark.parametrize(("party", "expected"), ALIASES, ids=lambda v: str(v)[:40])
def test_alternative_names(party: str, expected: list[tuple[str, str]]) -> None:
    assert alternative_names(party) == tuple(AltName(t, r) for t, r in expected)  # type: ignore[arg-type]
