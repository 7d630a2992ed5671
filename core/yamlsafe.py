"""Read an operator's YAML file strictly: one error naming file and line, never a traceback.

PyYAML's safe loader is lenient where a config file should not be: a key given twice keeps
the last value silently, `yes`/`no`/`on`/`off` become booleans (so `timeout: yes` is 1), a
handful of nested aliases expand to gigabytes, and a file saved as GBK or UTF-16 ends in a
UnicodeDecodeError. This loader refuses each of those with `<file>: line N: <what>`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node

MAX_BYTES = 1_000_000  # a config file is a few KB; anything near this is a mistake or an attack
MAX_ALIASES = 20  # config.yaml needs none; a few anchors for shared lists are fine
MAX_SHOWN = 40  # characters of a bad value quoted in an error message
# YAML 1.2 booleans only: `yes`, `no`, `on`, `off` stay text, and a typed field refuses them.
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


class YamlError(Exception):
    """The file is not strict, readable YAML; the message names the file and the line."""


def shown(value: object) -> str:
    """A short, one-line rendering of a bad value for an error message."""
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


class StrictLoader(yaml.SafeLoader):
    """SafeLoader without duplicate keys, YAML 1.1 booleans or unbounded aliases."""

    aliases_seen = 0

    def compose_node(self, parent: Node | None, index: object) -> Node | None:  # type: ignore[override]
        """Count aliases (*name) as they are met, before anything is expanded."""
        if self.check_event(yaml.AliasEvent):
            self.aliases_seen += 1
            if self.aliases_seen > MAX_ALIASES:
                mark = self.peek_event().start_mark
                raise YamlError(f"line {mark.line + 1}: more than {MAX_ALIASES} YAML aliases")
        return super().compose_node(parent, index)  # type: ignore[arg-type]

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        """A mapping; a key that appears twice is an error naming both lines."""
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
            line = key_node.start_mark.line + 1
            if isinstance(key, str | int | float | bool) and key in seen:
                raise YamlError(
                    f"line {line}: duplicate key {shown(key)} (first on line {seen[key]})"
                )
            if isinstance(key, str | int | float | bool):
                seen[key] = line
        return super().construct_mapping(node, deep=deep)


# Replace the YAML 1.1 bool resolver (yes/no/on/off) with the YAML 1.2 one.
StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
StrictLoader.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOL, list("tTfF"))


def decode(data: bytes) -> str:
    """UTF-8 text (a BOM is allowed); UTF-16 and other encodings named with their line."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise YamlError("line 1: saved as UTF-16; save the file as UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlError(f"line {line}: not UTF-8 text (saved as GBK?); save as UTF-8") from None


def load_yaml(path: Path) -> Any:
    """The parsed file; YamlError (never a traceback) for size, encoding and YAML problems.

    FileNotFoundError passes through for the caller to explain.
    """
    with path.open("rb") as fh:
        data = fh.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise YamlError(f"larger than {MAX_BYTES // 1000} KB; is this the right file?")
    text = decode(data)
    loader = StrictLoader(text)
    try:
        return loader.get_single_data()
    except ConstructorError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}: " if mark else ""
        raise YamlError(f"{where}{exc.problem}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}: " if mark else ""
        raise YamlError(f"{where}not valid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise YamlError(f"not valid YAML: {str(exc)[:200]}") from None
    finally:
        loader.dispose()
