"""Court-local trigger dates, the case's real stage, past deadlines and the holiday advisory."""

from __future__ import annotations

import json
import re
from datetime import date
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser
from alerts_data import CASE_ID, add_event, insert_tcl_case
from sqlite_utils import Database

from alerts.deadlines import china_zh
from alerts.events import classify
from alerts.facts import load_case
from alerts.render import render
from core.store import dumps

D = date
TXED = Path(__file__).parent / "examples" / "pacer_rss" / "txed_2022-12-06_patent_excerpt.xml"
SAMPLES = Path(__file__).parent.parent / "data" / "samples" / "pacer_2022-12-06"
AGIS = "2:22-cv-00263"


def _txed_item(pub_date: str | None = None) -> dict[str, str]:
    """The recorded E.D. Tex. "Amended Complaint" item (AGIS v. Samsung), optionally re-dated."""
    xml = TXED.read_text(encoding="utf-8")
    if pub_date:
        xml = xml.replace("Tue, 06 Dec 2022 00:01:41 GMT", pub_date, 1)
    entry = next(e for e in feedparser.parse(xml).entries if e.title.startswith(AGIS))
    return {
        "title": re.match(r"\[(.*?)\]", entry.description).group(1),  # type: ignore[union-attr]
        "published": parsedate_to_datetime(entry.published).isoformat(),
        "link": entry.link,
    }


def _insert_case(db: Database, case_id: str, court: str, name: str, items: list[dict]) -> None:  # type: ignore[type-arg]
    db["cases"].insert(
        {"id": case_id, "forum": "usdc", "court": court, "docket_number": case_id.split(":")[-1],
         "case_name": name, "kind": "ordinary", "plaintiffs": dumps([]),
         "first_seen": items[0]["published"], "link": "", "source": f"pacer_{court}"},
        pk="id",
    )  # fmt: skip
    for n, item in enumerate(items):
        db["events"].insert(
            {"id": f"{case_id}#{n}", "source": f"pacer_{court}", "forum": "usdc", "court": court,
             "docket_number": case_id.split(":")[-1], "case_id": case_id, "case_name": name,
             "event_types": json.dumps([item["title"]]), "published": item["published"],
             "link": item.get("link", ""), "doc_url": "", "body": "", "parties": "[]",
             "retrieved_at": item["published"]},
            pk="id",
        )  # fmt: skip


def test_ed_tex_item_at_2352_gmt_is_dated_in_texas(db: Database) -> None:
    # The recorded item, re-dated to 23:52 GMT on Monday 5 December: 17:52 in Texas, already
    # Tuesday 6 December in Beijing. The court's date is the trigger.
    item = _txed_item("Mon, 05 Dec 2022 23:52:09 GMT")
    assert (item["title"], item["published"]) == ("Amended Complaint", "2022-12-05T23:52:09+00:00")
    _insert_case(db, f"usdc:txed:{AGIS}", "txed", "AGIS v. Samsung (sole defendant)", [item])
    case = load_case(db, f"usdc:txed:{AGIS}", "Asia/Shanghai", today=D(2022, 12, 7))
    assert (case.events[0].day, case.events[0].day_bj) == (D(2022, 12, 5), D(2022, 12, 6))
    assert case.zone == "America/Chicago" and not case.stage.under_way
    answer = next(d for d in case.deadlines if d.key == "usdc_answer")
    # 6 Dec = day 1 … Mon 26 Dec = day 21, the observed Christmas holiday → Tue 27 Dec.
    assert (answer.unadjusted, answer.due, answer.certainty) == (
        D(2022, 12, 26),
        D(2022, 12, 27),
        "earliest",
    )
    assert "按最早可能的送达日 2022-12-05" in answer.basis_zh
    assert "2022-12-26 是圣诞节（美国联邦法定假日的补休日）" in answer.why_zh


def test_recorded_item_after_midnight_gmt_is_the_previous_day_in_texas(db: Database) -> None:
    item = _txed_item()  # published 00:01:41 GMT on 6 December: 18:01 on 5 December in Texas
    _insert_case(db, f"usdc:txed:{AGIS}", "txed", "AGIS v. Samsung", [item])
    case = load_case(db, f"usdc:txed:{AGIS}", today=D(2022, 12, 7))
    assert (case.events[0].day, case.events[0].day_bj) == (D(2022, 12, 5), D(2022, 12, 6))


def test_date_only_sources_keep_their_day() -> None:
    from core.courts import court_date

    # Only a value with no time is a bare date (CourtListener's date_filed): the day itself.
    assert court_date("2025-05-30", "America/Chicago") == D(2025, 5, 30)
    # The Federal Register's day is stored as midnight in Washington: the same day there.
    assert court_date("2016-04-15T00:00:00-04:00", "America/New_York") == D(2016, 4, 15)
    assert court_date("2022-12-05T23:52:42+00:00", "America/Chicago") == D(2022, 12, 5)
    assert court_date("2022-12-06T00:01:41+00:00", "America/Los_Angeles") == D(2022, 12, 5)
    # Exactly 00:00:00 UTC is a moment like any other: 19:00 CDT / 17:00 PDT the day before.
    assert court_date("2025-05-30T00:00:00+00:00", "America/Chicago") == D(2025, 5, 29)
    assert court_date("2024-03-13T00:00:00Z", "America/Los_Angeles") == D(2024, 3, 12)


def test_a_proof_stamped_midnight_utc_counts_from_the_court_day_before(db: Database) -> None:
    # "Summons Returned Executed" stamped 2024-03-13 00:00:00 UTC = Tue 12 Mar 17:00 in Los
    # Angeles: 13 Mar = day 1 … 31 Mar = day 19, 1 Apr = 20, Tue 2 Apr = day 21 (not Wed 3 Apr).
    _insert_case(db, "usdc:cacd:1:24-cv-00009", "cacd", "A v. Huizhou Bar Co.", [
        {"title": "Complaint", "published": "2024-03-06T00:00:00+00:00"},
        {"title": "Summons Returned Executed", "published": "2024-03-13T00:00:00+00:00"},
    ])  # fmt: skip
    case = load_case(db, "usdc:cacd:1:24-cv-00009", today=D(2024, 3, 20))
    assert [e.day for e in case.events] == [D(2024, 3, 5), D(2024, 3, 12)]
    answer = next(d for d in case.deadlines if d.key == "usdc_answer")
    assert (answer.due, answer.certainty) == (D(2024, 4, 2), "latest")


def test_demo_case_is_under_way_with_no_earliest_date(db: Database) -> None:
    insert_tcl_case(db)
    case = load_case(db, CASE_ID, today=D(2026, 12, 2))
    assert case.stage.under_way
    assert [f.text_zh for f in case.stage.facts] == ["2022-12-05 已提交答辩（Answer to Complaint）"]
    assert case.deadlines == [] and case.expired_deadlines == []
    text = render("_deadlines.txt", case=case)
    assert "案件阶段：案件已在进行中" in text and "最早可能" not in text


def _case(db: Database, *titles_days: tuple[str, str], name: str = "A v. B") -> str:
    items = [{"title": t, "published": p} for t, p in titles_days]
    _insert_case(db, "usdc:txwd:1:24-cv-00001", "txwd", name, items)
    return "usdc:txwd:1:24-cv-00001"


def test_past_deadlines_are_marked_and_shown_apart(db: Database) -> None:
    # Complaint at 10:00 in Texas on Tue 2 Jan 2024: 3 Jan = day 1 … Tue 23 Jan = day 21.
    # Service is unknown, so 23 Jan is only the earliest date: it has passed, never "expired".
    case_id = _case(db, ("Complaint", "2024-01-02T16:00:00+00:00"))
    case = load_case(db, case_id, today=D(2024, 3, 1))
    assert case.expired_deadlines == []
    assert [(d.key, d.due) for d in case.earliest_passed] == [("usdc_answer", D(2024, 1, 23))]
    # The 90-day waiver period: 29 Jan … 31 Mar (Sunday) = day 90 → Mon 1 Apr, still open.
    assert [(d.key, d.due) for d in case.open_deadlines] == [
        ("usdc_answer", D(2024, 1, 23)),
        ("usdc_answer_waiver_abroad", D(2024, 4, 1)),
    ]
    text = render("_deadlines.txt", case=case)
    assert "[已届满]" not in text
    assert (
        "  - 提交答辩状（Answer）：2024-01-23（星期二）（最早可能届满日）\n"
        "    注意：最早可能日期已过"
    ) in text


def test_extension_of_time_marks_the_answer_deadline(db: Database) -> None:
    case_id = _case(
        db,
        ("Complaint", "2024-01-02T16:00:00+00:00"),
        ("Order on Motion for Extension of Time to Answer", "2024-01-20T16:00:00+00:00"),
    )
    case = load_case(db, case_id, today=D(2024, 1, 21))
    answer = next(d for d in case.deadlines if d.key == "usdc_answer")
    assert answer.certainty == "extended"
    assert answer.basis_zh.startswith("案卷显示已申请或获准延长答辩期，以法院命令为准；原期限")
    assert "法院就延长答辩期作出命令" in render("_deadlines.txt", case=case)


def test_tro_clock_starts_at_the_order_not_the_motion(db: Database) -> None:
    motion_only = _case(db, ("Temporary Restraining Order", "2024-03-01T16:00:00+00:00"))
    assert "usdc_tro_expiry" not in {d.key for d in load_case(db, motion_only).deadlines}
    add_event(db, "order-1", "Order on Motion for TRO", "2024-03-05T16:00:00+00:00", "")
    db.execute("update events set case_id = ? where id = 'order-1'", (motion_only,))
    db.conn.commit()
    tro = next(d for d in load_case(db, motion_only).deadlines if d.key == "usdc_tro_expiry")
    # Order on Tue 5 Mar: 6 Mar = day 1 … Tue 19 Mar = day 14.
    assert tro.due == D(2024, 3, 19)
    assert tro.basis_zh == "法院于 2024-03-05 作出临时限制令（TRO），自该命令之日起算"


def test_motion_for_default_is_not_a_default(db: Database) -> None:
    case_id = _case(
        db,
        ("Default Judgment", "2024-03-01T16:00:00+00:00"),
        ("Clerks Entry of Default (CV-37) - optional html form", "2024-03-02T16:00:00+00:00"),
    )
    facts = [f.text_zh for f in load_case(db, case_id).stage.facts]
    assert facts == [
        "2024-03-01 申请缺席判决（Default Judgment）",
        "2024-03-02 已登记缺席（Clerks Entry of Default (CV-37) - optional html form）",
    ]


def test_chinese_holiday_advisory() -> None:
    # Tue 1 Oct 2024 is 国庆节; so is the 5-working-day run-up of Thu 10 Oct (1–7 Oct off).
    assert "国庆节" in china_zh(D(2024, 10, 1)) and "提前安排律师" in china_zh(D(2024, 10, 1))
    assert "国庆节" in china_zh(D(2024, 10, 10))
    # Tue 15 Oct: 9–15 Oct are the 6 working days (12 Oct a make-up working Saturday).
    assert china_zh(D(2024, 10, 15)) == ""
    # Spring Festival 2025 (28 Jan – 4 Feb off): a deadline on Wed 5 Feb.
    assert "春节" in china_zh(D(2025, 2, 5))
    assert china_zh(D(2024, 11, 20)) == ""


def test_answer_extensions_in_one_day_of_the_bundled_feeds() -> None:
    titles: dict[str, int] = {}
    # Each PACER RSS item's description opens with its docket event type in brackets.
    for feed in sorted(SAMPLES.glob("*.xml")):
        for title in re.findall(r"<description>\[(.*?)\]", feed.read_text(encoding="utf-8")):
            if {"answer_extension", "answer_extension_motion"} & set(classify([title])):
                titles[title] = titles.get(title, 0) + 1
    assert titles["Extension of Time to File Answer"] == 44
    assert titles["Order on Motion for Extension of Time to Answer"] == 43  # 44 + 43 = 87
    assert titles["Extension of Time to File Response/Reply/Answer"] == 30
    assert titles["Order on Motion for Extension of Time to File Response/Reply/Answer"] == 19


def test_another_sellers_answer_never_closes_a_schedule_a_deadline(db: Database) -> None:
    # One defendant row (our company) in a Schedule A suit, N.D. Ill.; the "Answer to Complaint"
    # on the docket names nobody. Complaint Fri 1 Mar 2024, 09:00 in Chicago (service unknown):
    # 2 Mar = day 1 … Fri 22 Mar = day 21 (the earliest possible due date).
    name = "Brand Inc. v. The Partnerships and Unincorporated Associations Identified on Schedule A"
    _insert_case(db, "usdc:ilnd:1:24-cv-01000", "ilnd", name, [
        {"title": "Complaint", "published": "2024-03-01T15:00:00+00:00"},
        {"title": "Answer to Complaint", "published": "2024-03-20T16:00:00+00:00"},
    ])  # fmt: skip
    db.execute("update cases set kind = 'schedule_a' where id = 'usdc:ilnd:1:24-cv-01000'")
    db["parties"].insert(
        {"id": "p1", "case_id": "usdc:ilnd:1:24-cv-01000", "role": "defendant",
         "name": "Huizhou Foo Technology Co., Ltd.", "location": "", "source": "x"}, pk="id"
    )  # fmt: skip
    case = load_case(db, "usdc:ilnd:1:24-cv-01000", today=D(2024, 3, 21))
    answer = next(d for d in case.deadlines if d.key == "usdc_answer")
    assert (answer.due, answer.certainty) == (D(2024, 3, 22), "earliest")
    assert "可能已由其他被告完成/送达（无法确定当事人）" in answer.basis_zh
    # The same docket in an ordinary case with our company as sole defendant: the answer is ours.
    db.execute("update cases set kind = 'ordinary', case_name = 'Brand Inc. v. Huizhou Foo'")
    case = load_case(db, "usdc:ilnd:1:24-cv-01000", today=D(2024, 3, 21))
    assert next(d for d in case.deadlines if d.key == "usdc_answer").certainty == "done"
    # The kind alone decides too: a Schedule A case whose caption we only hold in short.
    db.execute("update cases set kind = 'schedule_a'")
    case = load_case(db, "usdc:ilnd:1:24-cv-01000", today=D(2024, 3, 21))
    assert next(d for d in case.deadlines if d.key == "usdc_answer").certainty == "earliest"
