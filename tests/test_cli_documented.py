"""Every command the CLI offers is documented in the README (a habit from sqlite-utils)."""

import argparse
from pathlib import Path

from muba_desk.cli import _parser

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def commands(parser: argparse.ArgumentParser, prefix: str = "muba-desk") -> list[str]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append(f"{prefix} {name}")
                found += commands(sub, f"{prefix} {name}")
    return found


def test_every_cli_command_appears_in_the_readme():
    listed = commands(_parser())
    assert "muba-desk demo" in listed and "muba-desk bundle export" in listed
    missing = [command for command in listed if f"`{command}" not in README]
    assert missing == []


def test_the_readme_opens_with_the_two_commands():
    head = README.split("```")[1]
    assert "make run" in head and "make test" in head


def test_every_command_of_the_readme_path_parses_with_the_real_options():
    import shlex

    path = README.split("## The path:")[1].split("```")[1]
    lines = [line for line in path.splitlines() if line.startswith("muba-desk ")]
    assert len(lines) == 7  # init, add-laptop, setup, export, import, return, import
    parser = _parser()
    for line in lines:
        args = parser.parse_args(shlex.split(line)[1:])  # exits (fails) on an unknown option
        assert callable(args.handler), line
