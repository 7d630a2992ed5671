"""Every command is documented: it has help with an example, and the README names it."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ipwatch.cli import cli

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(cli.commands)


def test_readme_starts_with_the_two_commands() -> None:
    first_section = README.split("\n## ")[1]
    assert "make demo" in first_section and "make test" in first_section


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help_with_example(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    command = cli.commands[name]
    assert command.help and len(command.help.strip()) > 20
    if not isinstance(command, click.Group):
        assert "Example:" in result.output, f"`ipwatch {name} --help` has no Example: block"


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_in_readme(name: str) -> None:
    assert f"`ipwatch {name}" in README, f"README.md does not mention `ipwatch {name}`"
