"""The registry of Huizhou exporters: CSV rows into companies with typed names."""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from email_validator import EmailNotValidError, validate_email

from core.config import Matching
from matcher import places
from matcher.company_table import CompanyTable, group_head
from matcher.normalize import canonical, forget_words, has_legal_form
from matcher.types import Company, CompanyName

REQUIRED = ("id", "name_zh", "name_en")
_ID = re.compile(r"^[A-Za-z0-9_-]+$")
_COMMENT = re.compile(r"\s*\(([^()]*)\)\s*$")
_RENAMED = re.compile(r"Renamed from ([^()]+?)(?: in | \(|\.|$)")
# A trailing ", Korea", ", HK:0285", ", 75%" in a parent-group note is a fact, not a name.
_TRAILER = re.compile(r",\s*([A-Z]{2}:\s*\d+|\d+(?:\.\d+)?%|[A-Za-z ]+|[\u4e00-\u9fff]+)\s*$")


class RegistryError(Exception):
    """The registry file is missing or unreadable as a whole (bad rows are listed, not raised)."""


@dataclass(frozen=True)
class Registry:
    """All loaded companies, plus one message per row that could not be loaded."""

    companies: Sequence[Company]  # kept packed as a CompanyTable (see company_table.py)
    errors: tuple[str, ...] = ()
    group_aliases: tuple[tuple[str, str], ...] = ()  # (group, name) from config.yaml
    foreign_groups: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not isinstance(self.companies, CompanyTable):
            object.__setattr__(self, "companies", CompanyTable(self.companies))

    @property
    def table(self) -> CompanyTable:
        """The companies as packed (row and id look-ups)."""
        assert isinstance(self.companies, CompanyTable)
        return self.companies

    def company(self, company_id: str) -> Company | None:
        """The company with this id, or None."""
        return self.table.by_id.get(company_id)


def group_of(company: Company) -> str:
    """The group a company belongs to (its parent group's short name, else its own id)."""
    return group_head(company.parent_group)


def _member_names(parent_group: str) -> list[str]:
    """Affiliate names written inside the parent-group parentheses."""
    inner = parent_group.partition("(")[2].rpartition(")")[0]
    names = []
    for part in re.split(r"\s*[/;]\s*", inner):
        part = part.strip().rstrip("?")
        trailer = _TRAILER.search(part)
        while trailer and not has_legal_form(trailer.group(1)):
            part = part[: trailer.start()].strip()
            trailer = _TRAILER.search(part)
        if sum(ch.isalpha() for ch in part) >= 3 and canonical(part) not in places.EN_OTHER:
            names.append(part)
    return names


def _alias_names(aliases: str, former: set[str]) -> list[CompanyName]:
    names = []
    for alias in (a.strip() for a in aliases.split(";")):
        comment = _COMMENT.search(alias)
        if comment and not has_legal_form(comment.group(1)) and comment.group(1):
            text = alias[: comment.start()].strip()
            note = comment.group(1).lower()
            if "brand" in note:
                # A licensed brand is someone else's name on the company's goods: weak evidence.
                names.append(CompanyName(text, "licensed" if "licen" in note else "brand"))
                continue
        if not alias:
            continue
        if canonical(alias) in former:
            kind = "former"
        else:
            kind = "variant" if has_legal_form(alias) else "brand"
        names.append(CompanyName(alias, kind))  # type: ignore[arg-type]
    return names


def _company(row: dict[str, str], extra: list[str]) -> Company:
    name_zh, name_en = row.get("name_zh", "").strip(), row.get("name_en", "").strip()
    notes = row.get("notes", "") or ""
    former = {canonical(n) for m in _RENAMED.finditer(notes) for n in m.group(1).split("/")}
    names = [CompanyName(name_zh, "legal_zh")] if name_zh else []
    names += [CompanyName(name_en, "legal_en")] if name_en else []
    names += _alias_names(row.get("aliases", "") or "", former)
    names += [CompanyName(n, "config") for n in extra]
    parent = (row.get("parent_group", "") or "").strip()
    names += [CompanyName(n, "group") for n in _member_names(parent)]
    if group_head(parent):
        names.append(CompanyName(group_head(parent), "brand"))
    return Company(
        id=row["id"].strip(),
        name_zh=name_zh,
        name_en=name_en,
        names=tuple(dict.fromkeys(names)),
        district=(row.get("district") or "").strip(),
        industry=(row.get("industry") or "").strip(),
        products=(row.get("products") or "").strip(),
        parent_group=parent,
        contact_email=(row.get("contact_email") or "").strip(),
        address=(row.get("address") or "").strip(),
    )


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def contact_problem(value: str) -> str:
    """'' when every address in the field is valid, else what is wrong (a short prefix)."""
    for address in re.split(r"[;,\s]+", value.strip()):
        if not address:
            continue
        try:
            validate_email(address, check_deliverability=False)
        except EmailNotValidError as exc:
            shown = address if len(address) <= 40 else address[:39] + "…"
            return f"{shown!r} is not a valid address: {exc}"
    return ""


def _decode_error(path: Path, name: str) -> RegistryError:
    """The first byte that is not UTF-8, named by its line (the file is read again for it)."""
    data = path.read_bytes()
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
    else:  # pragma: no cover - decoding failed while streaming, so it fails here too
        line = 1
    return RegistryError(
        f"{name}: line {line}: not UTF-8 text (saved as GBK?); save as 'CSV UTF-8'"
    )


def _rows(path: Path, name: str) -> Iterator[tuple[int, dict[str, str]]]:
    """The CSV rows with their line numbers, read as they come (a million rows are never all
    held at once); the header is checked before the first row."""
    try:
        with open(path, "rb") as fh:
            if fh.read(2) in (b"\xff\xfe", b"\xfe\xff"):
                raise RegistryError(f"{name}: line 1: saved as UTF-16; save as 'CSV UTF-8'")
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            _check_header(reader.fieldnames, name)
            line = 1
            for line, row in enumerate(reader, start=2):  # noqa: B007 - read after the loop
                yield line, row
            if line == 1:
                raise RegistryError(f"{name}: line 2: no companies below the header row")
    except FileNotFoundError:
        raise RegistryError(f"{name}: registry file not found (config.yaml `registry:`)") from None
    except UnicodeDecodeError:
        raise _decode_error(path, name) from None
    except (OSError, csv.Error) as exc:
        raise RegistryError(f"{name}: cannot read the registry: {exc}") from None


def _check_header(header: Sequence[str] | None, name: str) -> None:
    missing = [c for c in REQUIRED if c not in (header or ())]
    if header and missing and len(header) == 1:
        sep = next((s for s in ";\t|" if s in header[0]), "")
        if sep:
            shown = "tab" if sep == "\t" else repr(sep)
            raise RegistryError(f"{name}: line 1: columns separated by {shown}; save with commas")
    if not header or missing:
        raise RegistryError(
            f"{name}: line 1: no header row with columns {', '.join(missing or REQUIRED)}"
        )


def load_registry(path: Path, matching: Matching) -> Registry:
    """Load the exporters CSV; bad rows are reported by line number and good rows still load."""
    name = _display(Path(path))
    errors: list[str] = []
    return _with_config(
        _companies(_rows(Path(path), name), name, errors, matching), errors, matching
    )


def _companies(
    rows: Iterable[tuple[int, dict[str, str]]], name: str, errors: list[str], matching: Matching
) -> Iterator[Company]:
    """The good rows as companies; each bad one becomes a line in `errors` instead."""
    seen: set[str] = set()
    for line, row in rows:
        cid = (row.get("id") or "").strip()
        if None in row:
            errors.append(f"{name} line {line}: more fields than columns")
        elif not cid:
            errors.append(f"{name} line {line}: missing id")
        elif not _ID.match(cid):
            errors.append(f"{name} line {line}: bad id {cid!r}")
        elif cid in seen:
            errors.append(f"{name} line {line}: duplicate id {cid}")
        elif not (row.get("name_zh") or "").strip() and not (row.get("name_en") or "").strip():
            errors.append(f"{name} line {line}: {cid} has neither name_zh nor name_en")
        else:
            problem = contact_problem(row.get("contact_email") or "")
            if problem:
                # Still matched, but no email goes to a garbled address list.
                errors.append(f"{name} line {line}: {cid} contact_email {problem}")
                row = {**row, "contact_email": ""}
            seen.add(cid)
            yield _company(row, list(matching.aliases.get(cid, [])))


def _with_config(companies: Iterable[Company], errors: list[str], matching: Matching) -> Registry:
    """The registry of these companies (packed as they come) with config.yaml's aliases."""
    groups: dict[str, str] = {}
    foreign: set[str] = set()
    parents: dict[str, bool] = {}  # parent-group text → names a foreign country

    def grouped(companies: Iterable[Company]) -> Iterator[Company]:
        for c in companies:
            head = group_of(c)
            if head:
                groups[head.lower()] = head
            abroad = parents.get(c.parent_group)
            if abroad is None:
                words = set(canonical(c.parent_group).split())
                abroad = parents[c.parent_group] = bool(words & places.FOREIGN_COUNTRIES)
            if abroad:
                foreign.add(head)
            yield c

    table = CompanyTable(grouped(companies))
    forget_words()
    group_aliases = []
    for key, names in matching.aliases.items():
        if table.row_of(key) is not None:
            continue
        if key.lower() in groups:
            group_aliases += [(groups[key.lower()], n) for n in names]
        else:
            errors.append(
                f"config.yaml matching.aliases: {key!r} is neither a registry id nor a group"
            )
    for key in matching.exclusions:
        if table.row_of(key) is None and key.lower() not in groups:
            errors.append(f"config.yaml matching.exclusions: {key!r} is not a registry id")
    return Registry(table, tuple(errors), tuple(group_aliases), frozenset(foreign))
