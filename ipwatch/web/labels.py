"""The console's one Chinese vocabulary: stored English codes (roles, levels, states, actions,
fields) as the analysts read them, through the `zh` and `detail_lines` Jinja filters, and
command-line wording in messages shared with the CLI turned into console wording."""

from __future__ import annotations

import json
import re

from alerts.render import LEVELS_ZH as NOTICE_LEVELS_ZH
from core.notices import KINDS_ZH
from core.notices import STATUS_ZH as NOTICE_STATUS_ZH
from core.registry_store import NAME_KIND_LABELS
from matcher.review_desk import LEVELS_ZH

VOCABULARY: dict[str, dict[str, str]] = {
    "role": {"plaintiff": "原告", "defendant": "被告", "complainant": "申请人",
             "respondent": "被申请人", "other": "其他当事人"},
    "level": {**LEVELS_ZH, "none": "无关联"},
    "match_status": {"pending": "待复核", "confirmed": "已确认", "dismissed": "已排除",
                     "auto": "自动确认", "enforcing": "企业维权（原告）"},
    "outbox_kind": {"warning": "预警提示", "update": "案件进展", "digest": "日报",
                    "correction": "更正", "withdrawal": "撤回", "notice": "预警提示"},
    "outbox_state": {"pending": "待发送", "sending": "发送中", "sent": "已发送",
                     "failed": "发送失败", "held": "暂缓（待处理）"},
    "history_action": {"added": "新增企业", "changed": "修改", "removed": "移出名录",
                       "name_added": "添加名称", "name_removed": "撤销名称"},
    "name_kind": NAME_KIND_LABELS,
    "notice_field": {"risk_text": "风险研判", "advice_text": "应对建议", "level": "预警等级",
                     "note": "更正说明"},
    "notice_level": NOTICE_LEVELS_ZH,
    "notice_kind": KINDS_ZH,
    "notice_status": NOTICE_STATUS_ZH,
    "audit_action": {
        "review.confirm": "确认匹配", "review.dismiss": "排除匹配", "review.undo": "撤销复核决定",
        "match.enforcing": "标记为企业维权", "registry.add_name": "添加名称",
        "registry.remove_name": "撤销名称", "registry.link": "关联未登记企业",
        "registry.import": "导入名录", "registry.csv": "名录文件更新名称",
        "notice.draft": "起草预警提示", "notice.edit": "修改预警提示",
        "notice.submit": "提交签发", "notice.return": "退回预警提示",
        "notice.approve": "签发预警提示", "notice.discard": "废弃草稿",
        "notice.release": "放行暂缓邮件", "notice.requeue": "重新排队发送",
        "notice.correction": "发布更正", "notice.withdrawal": "撤回预警提示",
        "outbox.sending": "开始发送", "outbox.sent": "已发送",
        "settings.save": "保存匹配设置", "settings.revert": "恢复匹配设置",
        "users.add": "新建或重置账户", "users.disable": "停用账户", "users.enable": "启用账户",
    },
    # Keys inside audit details.
    "detail_key": {"match": "匹配", "matches": "匹配", "role": "角色", "refers_to": "原预警提示",
                   "file": "文件", "added": "新增", "removed": "删除", "changed": "修改",
                   "bad_rows": "错误行", "before": "修改前", "after": "修改后",
                   "number": "编号", "batch": "批次", "level": "预警等级", "kind": "名称类型",
                   "name": "名称", "company": "企业", "outbox": "邮件", "names": "加入名录的名称",
                   "parties": "当事人", "effects": "后果", "undo": "撤销批次",
                   "reason": "原因", "version": "版本"},
}  # fmt: skip

# Command-line hints inside messages the console shares with the CLI, as console wording.
CONSOLE_WORDING = [
    (re.compile(r"请说明理由 --reason is required(: it is kept with the name)?"),
     "请填写原因（与名称一并保存，必填）"),
    (re.compile(r"\s*\(--force to override\)"), "（控制台不能强行添加；确有必要请联系管理员）"),
    (re.compile(r"（ipwatch notices submit）"), "（在“预警提示”页提交）"),
    (re.compile(r"（ipwatch notices approve）"), "（在“预警提示”页签发）"),
]  # fmt: skip


def zh(value: object, domain: str) -> str:
    """A stored code in Chinese (the code itself when the vocabulary has no word for it)."""
    text = "" if value is None else str(value)
    return VOCABULARY[domain].get(text, text)


def detail_lines(detail: str | None, limit: int = 300) -> list[str]:
    """An audit entry's JSON detail as `键：值` lines, each value at most `limit` characters."""
    try:
        data = json.loads(detail or "{}")
    except json.JSONDecodeError:
        return [detail[:limit]] if detail else []
    if not isinstance(data, dict):
        return [str(data)[:limit]]
    lines = []
    for key, value in data.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        lines.append(f"{zh(key, 'detail_key')}：{shown[:limit]}")
    return lines


def console_wording(message: str) -> str:
    """A message shared with the CLI, with its command-line hints in console words."""
    for pattern, words in CONSOLE_WORDING:
        message = pattern.sub(words, message)
    return message
