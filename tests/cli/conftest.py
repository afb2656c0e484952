"""CLI fixtures: run ``complaints`` in-process with click's runner against a real
database, and read the history back to prove refusals wrote nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
import pytest
from click.testing import CliRunner, Result

from cli.main import cli


@dataclass
class Complaints:
    """``complaints`` bound to one database, as a user would type it."""

    db: str
    actor: str = "tester"

    def __call__(self, *args: str, input: str | None = None) -> Result:
        runner = CliRunner()
        return runner.invoke(
            cli,
            ["--db", self.db, "--actor", self.actor, *args],
            input=input,
            obj={},
            catch_exceptions=False,
        )

    def ok(self, *args: str) -> str:
        result = self(*args)
        assert result.exit_code == 0, (args, result.output, result.stderr)
        return result.stdout.strip()

    def json(self, *args: str) -> Any:
        return orjson.loads(self.ok(*args, "--format", "json"))

    def history(self, ref: str) -> list[dict[str, Any]]:
        return list(self.json("history", ref))

    def refused(self, *args: str, code: int = 1) -> Result:
        """Run a command that must be refused: exit 1 (``code``: 2 for a usage mistake
        such as an unknown name), one line on stderr, no stdout."""
        result = self(*args)
        assert result.exit_code == code, (args, result.output)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
        assert result.stdout == ""
        return result


@pytest.fixture
def complaints(db_url: str) -> Complaints:
    return Complaints(db_url)


@pytest.fixture
def unchanged(complaints: Complaints) -> Callable[..., None]:
    """Assert that a refused command leaves a case's history exactly as it was."""

    def check(ref: str, *args: str, rule: str | None = None, code: int = 1) -> None:
        before = complaints.history(ref)
        result = complaints.refused(*args, code=code)
        if rule is not None:
            assert f"[{rule}]" in result.stderr, result.stderr
        assert complaints.history(ref) == before

    return check
