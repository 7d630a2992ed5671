"""The words every floor shares, each spelled once: source kinds, forums, event kinds, party roles,
match levels, review and outbox states, subject placeholders and the crawler's identity."""

from __future__ import annotations

from typing import Literal, get_args

# How a source is fetched and parsed; each kind has one spider and one parser module.
SourceKind = Literal["pacer_rss", "fr_itc", "edis", "courtlistener", "feed", "upc"]
SOURCE_KINDS: tuple[SourceKind, ...] = (
    "pacer_rss",
    "fr_itc",
    "edis",
    "courtlistener",
    "feed",
    "upc",
)

# The options each source kind reads from config.yaml; "int" are positive whole numbers,
# "list" one or more strings.
SOURCE_OPTIONS: dict[str, dict[str, str]] = {
    "pacer_rss": {},
    "fr_itc": {"max_pages": "int"},
    "edis": {"investigations": "list", "phase": "str"},
    "courtlistener": {
        "courts": "list", "since_days": "int", "max_pages": "int", "per_minute": "int",
        "per_day": "int",
    },
    "feed": {},
    "upc": {"max_pages": "int"},
}  # fmt: skip

# Where a dispute is heard, with the Chinese name the bureau's readers see.
FORUMS_ZH: dict[str, str] = {
    "usdc": "美国联邦地区法院",
    "usbc": "美国联邦破产法院",
    "itc": "美国国际贸易委员会（337调查）",
    "upc": "欧洲统一专利法院（UPC）",
    "news": "新闻报道",
}

# A party's side of the caption: complainants count as plaintiffs, respondents as defendants.
Role = Literal["plaintiff", "defendant", "other"]
ROLES: tuple[Role, ...] = get_args(Role)

# How strongly a party is tied to the registry (see DESIGN.md, "Levels of a match").
Level = Literal["entity", "group", "review", "local", "product", "none"]
LEVELS: tuple[Level, ...] = get_args(Level)
# Levels an analyst can list and act on (every level but "none").
ACTIONABLE_LEVELS: tuple[Level, ...] = LEVELS[:-1]

# A match's review status and an outbox message's delivery state.
REVIEW_STATES = ("pending", "confirmed", "dismissed", "auto")
OUTBOX_STATES = ("pending", "sending", "sent", "held", "failed")

# Event kinds read from docket and notice titles, with their Chinese names; the English title is
# always shown beside them.
EVENT_KINDS_ZH: dict[str, str] = {
    "receipt_of_complaint": "收到337调查申请（立案前）",
    "institution": "337调查立案",
    "temporary_relief": "申请临时救济",
    "final_determination": "终裁",
    "exclusion_order": "排除令",
    "termination": "调查终止",
    "complaint": "起诉",
    "answer": "已提交答辩",
    "summons": "签发传票",
    "waiver_requested": "请求放弃正式送达",
    "waiver_executed": "放弃正式送达已签署",
    "service_executed": "送达回证已提交",
    "tro": "法院就临时限制令（TRO）作出命令",
    "tro_motion": "申请临时限制令（TRO）",
    "preliminary_injunction": "初步禁令",
    "default_motion": "申请缺席判决",
    "default": "已登记缺席",
    "default_judgment": "法院就缺席登记或缺席判决作出判决或命令",
    "answer_extension_motion": "申请延长答辩期",
    "answer_extension": "法院就延长答辩期作出命令",
    "motion_to_dismiss": "提出驳回起诉动议",
    "dismissal": "撤诉或驳回（案件或部分当事人）",
    "transfer": "案件移送",
}

# Placeholders allowed in config.yaml's `alerts.subject`.
SUBJECT_FIELDS: tuple[str, ...] = ("forum", "case_no", "company", "case_name")

# The crawler's honest identity, with a contact, unless config.yaml sets another.
USER_AGENT = "ipwatch/0.1 (Huizhou AMR overseas IP early warning; contact ipwatch@hzamr.gov.cn)"

# Marks an event whose docket entries carry no date of their own (CourtListener without
# entry_date_filed): it is dated by the case's filing date, a lower bound, so no deadline
# counted from it may be firm.
UNDATED_ENTRIES = "[Entry date not given: dated by the case filing date]"
