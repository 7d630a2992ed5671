"""Every source kind has at least one real payload under tests/examples/ with its expected file."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawlers.run import SPIDERS

EXAMPLES = Path(__file__).parent / "examples"
# The news-feed kind is called "feed" (one per config entry); its examples sit under "feeds".
FOLDERS = {"feed": "feeds"}
PAYLOAD_SUFFIXES = {".xml", ".json", ".html", ".txt"}


def payloads_with_expected(folder: Path) -> list[str]:
    """Payload files in a folder (recursively) that have a '<stem>.expected.json' beside them."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.suffix not in PAYLOAD_SUFFIXES or ".expected" in path.name:
            continue
        if (path.parent / f"{path.stem}.expected.json").exists():
            found.append(str(path.relative_to(folder)))
    return found


@pytest.mark.parametrize("kind", sorted(SPIDERS))
def test_source_kind_has_an_example_with_expected_output(kind: str) -> None:
    """tests/examples/<kind>/ holds a recorded payload and the reviewed parse of it."""
    folder = EXAMPLES / FOLDERS.get(kind, kind)
    assert folder.is_dir(), f"source kind {kind!r}: no examples folder {folder}"
    assert payloads_with_expected(folder), (
        f"source kind {kind!r}: no payload with a '<name>.expected.json' in {folder}"
    )


def test_the_check_notices_a_missing_expected_file(tmp_path: Path) -> None:
    """A folder with a payload but no expected file does not count as covered."""
    (tmp_path / "feed.xml").write_text("<rss/>", encoding="utf-8")
    assert payloads_with_expected(tmp_path) == []
    (tmp_path / "feed.expected.json").write_text("[]", encoding="utf-8")
    assert payloads_with_expected(tmp_path) == ["feed.xml"]
