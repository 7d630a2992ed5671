"""Checks of one registry sheet row: id, names, 统一社会信用代码 and contact emails.

Each problem is said in Chinese and English, with the column it is in, so the import report can
name the line, the cell and why. Ids, codes and emails are NFKC-normalised first: a sheet typed
with a Chinese input method carries full-width letters (ＨＺ００１, zhang1＠test1.cn).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from core.registry_headers import SheetRow
from core.registry_store import Contact

ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]+$")
_SPLIT_EMAILS = re.compile(r"[;,，；、\s]+")
# What a sheet writes in the email column when the company has no address.
NO_EMAIL = frozenset({"无", "/", "-", "—", "——", "暂无", "n/a", "na", "none"})
# email_validator's English reasons, said in Chinese too (the first that matches wins).
_EMAIL_REASONS = (
    ("must have an @-sign", "缺少 @"),
    ("something before the @-sign", "@ 前面为空"),
    ("after the @-sign contains invalid characters", "@ 后面有不允许的字符"),
    ("before the @-sign", "@ 前面有不允许的字符"),
    ("It should have a period", "域名缺少“.”"),
    ("two periods in a row", "连续两个“.”"),
    ("period", "“.”的位置不对"),
    ("display name", "含有姓名等其他文字，只填邮箱地址"),
    ("too long", "太长"),
)


@dataclass(frozen=True)
class CheckedRow:
    """One sheet row after its checks: cleaned values, contacts, problems and notes."""

    values: dict[str, str]
    contacts: tuple[Contact, ...]
    problems: tuple[str, ...]  # the row is left out
    notes: tuple[str, ...] = ()  # the row is read, with something said about it


def nfkc(text: str) -> str:
    """Full-width letters, digits and signs as their plain forms, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def check_uscc(code: str) -> str:
    """The problem with a 统一社会信用代码, in Chinese and English, or '' when it is valid."""
    from stdnum.cn import uscc
    from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError

    try:
        uscc.validate(code)
    except InvalidLength:
        return f"统一社会信用代码应为18位 credit code must have 18 characters, got {len(code)}"
    except InvalidChecksum:
        return f"统一社会信用代码校验位错误 credit code {code}: check character is wrong"
    except ValidationError:
        return f"统一社会信用代码格式错误 credit code {code}: bad format"
    return ""


def _reason(english: str) -> str:
    chinese = next((zh for en, zh in _EMAIL_REASONS if en in english), "格式不正确")
    return f"{chinese} {english}"


def check_emails(text: str) -> tuple[list[str], str]:
    """The normalised addresses in a cell, or the problem with the first bad one."""
    from email_validator import EmailNotValidError, validate_email

    found = []
    for raw in (a for a in _SPLIT_EMAILS.split(nfkc(text)) if a):
        try:
            found.append(validate_email(raw, check_deliverability=False).normalized)
        except EmailNotValidError as exc:
            return [], f"邮箱无效 bad email {raw!r}: {_reason(str(exc))}"
    return found, ""


def check_row(row: SheetRow) -> CheckedRow:
    """Cleaned values, contacts, every problem and every note of one sheet row."""
    values = dict(row.values)
    problems, notes = [], []
    if values.pop("__overflow__", ""):
        problems.append("多出的字段 more fields than columns")
    for name in ("id", "uscc"):
        if values.get(name):
            values[name] = nfkc(values[name])
    if values.get("id") and not ID_PATTERN.match(values["id"]):
        problems.append(
            f"编号无效 bad id {values['id']!r} (letters, digits, - and _ only){row.column('id')}"
        )
    if not values.get("name_zh") and not values.get("name_en"):
        problems.append("缺少企业名称 neither 企业名称 nor 英文名称")
    if values.get("uscc"):
        from stdnum.cn import uscc

        values["uscc"] = uscc.compact(values["uscc"]).upper()
        problem = check_uscc(values["uscc"])
        if problem:
            problems.append(problem + row.column("uscc"))
    email = values.get("contact_email", "")
    if nfkc(email).casefold() in NO_EMAIL:
        notes.append(f"无邮箱 no email ({email!r}){row.column('contact_email')}")
        values["contact_email"] = email = ""
    emails, problem = check_emails(email)
    if problem:
        problems.append(problem + row.column("contact_email"))
    people = tuple(
        Contact(values.get("contact_name", "") if i == 0 else "", e, values.get("phone", ""))
        for i, e in enumerate(emails)
    )
    if not people and (values.get("contact_name") or values.get("phone")):
        people = (Contact(values.get("contact_name", ""), "", values.get("phone", "")),)
    return CheckedRow(values, people, tuple(problems), tuple(notes))
