"""The Complaint Handling Code through the command line, on both engines: a council's
settings adopt it from 1 April 2026 in one line; cases received before and after follow
their own timescales; Stage 2 by the Stage 1 handler is refused; changing the series of
timescales rebuilds the read models."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import Result

from tests.cli.conftest import Complaints

CODE = '[timescales]\nchanges = [{ from = 2026-04-01, preset = "code-2026" }]\n'


@pytest.fixture
def code(complaints: Complaints, tmp_path: Path) -> Complaints:
    settings = tmp_path / "council.toml"
    settings.write_text(CODE)

    class WithCode(Complaints):
        def __call__(self, *args: str, input: str | None = None) -> Result:
            return super().__call__("--config", str(settings), *args, input=input)

    return WithCode(complaints.db)


def stage(complaints: Complaints, ref: str, number: int = 1) -> dict[str, object]:
    shown = complaints.json("show", ref)
    found: dict[str, object] = shown["stages"][number - 1]
    return found


def test_a_case_under_the_code_counts_its_response_from_the_acknowledgement(
    code: Complaints,
) -> None:
    ref = code.ok("receive", "--on", "2026-04-01", "--procedure", "corporate")
    assert stage(code, ref)["deadline"] == "2026-04-10"  # the acknowledgement first
    code.ok("acknowledge", ref, "--on", "2026-04-13")
    shown = stage(code, ref)
    assert shown["clock_basis"] == "acknowledgement"
    assert shown["clock_from"] == "2026-04-13"
    assert shown["deadline"] == shown["response_due"] == "2026-04-27"
    assert shown["acknowledged_on_time"] is False


def test_cases_received_either_side_of_the_change_follow_their_own_timescales(
    code: Complaints,
) -> None:
    before = code.ok("receive", "--on", "2026-03-31", "--procedure", "corporate")
    after = code.ok("receive", "--on", "2026-04-01", "--procedure", "corporate")
    for ref in (before, after):
        code.ok("acknowledge", ref, "--on", "2026-04-02")
    assert (stage(code, before)["clock_basis"], stage(code, before)["deadline"]) == (
        "receipt",
        "2026-04-23",  # 15 working days from receipt
    )
    assert (stage(code, after)["clock_basis"], stage(code, after)["deadline"]) == (
        "acknowledgement",
        "2026-04-20",  # 10 working days from the acknowledgement
    )


def test_under_the_code_stage2_by_the_stage1_handler_is_refused(code: Complaints) -> None:
    ref = code.ok("receive", "--on", "2026-04-01", "--procedure", "corporate")
    code.ok("handler", ref, "--on", "2026-04-02", "--officer", "OFF-1")
    code.ok("respond", ref, "--on", "2026-04-10", "--outcome", "not-upheld")
    code.ok("escalate", ref, "--on", "2026-04-20")
    before = code.history(ref)
    result = code.refused("handler", ref, "--on", "2026-04-21", "--officer", "OFF-1")
    assert "[stage2-different-handler]" in result.stderr
    assert code.history(ref) == before
    code.ok("handler", ref, "--on", "2026-04-21", "--officer", "OFF-2")
    assert [s["handler"] for s in code.json("show", ref)["stages"]] == ["OFF-1", "OFF-2"]


def test_changing_the_series_of_timescales_rebuilds_the_read_models(
    complaints: Complaints, code: Complaints
) -> None:
    complaints.ok("receive", "--on", "2026-04-01", "--procedure", "corporate")
    plain = complaints.ok("projections", "status")
    adopted = code.ok("projections", "status")
    assert plain.split("version ")[1] != adopted.split("version ")[1]
    assert "lag 0" in adopted  # caught up again from the first event under the new series
