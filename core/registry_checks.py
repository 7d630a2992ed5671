"""Checks of one registry sheet row: id, names, 统一社会信用代码 and contact emails.

Each problem is said in Chinese and English so the import report can name the line and why.
"""

from __future__ import annotations

import re

from core.registry_file import SheetRow
from core.registry_store import Contact

ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]+$")
_SPLIT_EMAILS = re.compile(r"[;,，；、\s]+")


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


def check_emails(text: str) -> tuple[list[str], str]:
    """The normalised addresses in a cell, or the problem with the first bad one."""
    from email_validator import EmailNotValidError, validate_email

    found = []
    for raw in (a for a in _SPLIT_EMAILS.split(text) if a):
        try:
            found.append(validate_email(raw, check_deliverability=False).normalized)
        except EmailNotValidError as exc:
            return [], f"邮箱无效 bad email {raw!r}: {exc}"
    return found, ""


def row_problems(row: SheetRow) -> tuple[dict[str, str], tuple[Contact, ...], list[str]]:
    """Cleaned values, contacts and every problem of one sheet row."""
    values = dict(row.values)
    problems = []
    if values.pop("__overflow__", ""):
        problems.append("多出的字段 more fields than columns")
    if values.get("id") and not ID_PATTERN.match(values["id"]):
        problems.append(f"编号无效 bad id {values['id']!r} (letters, digits, - and _ only)")
    if not values.get("name_zh") and not values.get("name_en"):
        problems.append("缺少企业名称 neither 企业名称 nor 英文名称")
    if values.get("uscc"):
        from stdnum.cn import uscc

        values["uscc"] = uscc.compact(values["uscc"])
        problem = check_uscc(values["uscc"])
        if problem:
            problems.append(problem)
    emails, problem = check_emails(values.get("contact_email", ""))
    if problem:
        problems.append(problem)
    people = tuple(
        Contact(values.get("contact_name", "") if i == 0 else "", e, values.get("phone", ""))
        for i, e in enumerate(emails)
    )
    if not people and (values.get("contact_name") or values.get("phone")):
        people = (Contact(values.get("contact_name", ""), "", values.get("phone", "")),)
    return values, people, problems
