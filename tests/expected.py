"""Reviewed expected files: test output is compared with them; UPDATE_EXPECTED=1 rewrites them.

A missing expected file fails the test, so a new one is only ever written on purpose and then
reviewed before it is committed.
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

import pytest


def updating() -> bool:
    """True when the run was asked to rewrite the expected files (UPDATE_EXPECTED=1)."""
    return os.environ.get("UPDATE_EXPECTED") == "1"


def _plain(value: Any) -> Any:
    """Dataclass instances (parsed events) as plain dicts, for JSON."""
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _require(path: Path) -> None:
    __tracebackhide__ = True
    if not path.exists():
        pytest.fail(f"expected file {path} is missing: run with UPDATE_EXPECTED=1 and review it")


def _compare(actual: Any, expected: Any, path: Path, show: Callable[[Any], str] = str) -> None:
    """Fail with a line diff (expected file -> actual output) unless the two are equal."""
    __tracebackhide__ = True
    if actual == expected:
        return
    diff = difflib.unified_diff(
        show(expected).splitlines(keepends=True),
        show(actual).splitlines(keepends=True),
        str(path),
        "actual output",
    )
    pytest.fail(f"output differs from {path}:\n" + "".join(diff))


def _json_text(data: Any) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def check_expected(actual: Any, path: Path, *, indent: int = 2, sort_keys: bool = False) -> None:
    """Compare JSON data (dataclasses become dicts) with the reviewed file at path.

    UPDATE_EXPECTED=1 first rewrites the file with the given layout; a missing file fails.
    """
    __tracebackhide__ = True
    data = json.loads(json.dumps(actual, ensure_ascii=False, default=_plain))
    if updating():
        text = json.dumps(data, indent=indent, ensure_ascii=False, sort_keys=sort_keys)
        path.write_text(text + "\n", encoding="utf-8")
    _require(path)
    _compare(data, json.loads(path.read_text(encoding="utf-8")), path, _json_text)


def check_expected_text(actual: str, path: Path) -> None:
    """Compare text with the reviewed file at path; UPDATE_EXPECTED=1 writes it, missing fails."""
    __tracebackhide__ = True
    if updating():
        path.write_text(actual, encoding="utf-8")
        return
    _require(path)
    _compare(actual, path.read_text(encoding="utf-8"), path)
