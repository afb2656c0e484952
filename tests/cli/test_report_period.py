"""`complaints report period` on both engines: any period's figures, and a period
that is no period refused in one line."""

from __future__ import annotations

from tests.cli.conftest import Complaints


def test_report_period_through_the_command_line(complaints: Complaints) -> None:
    complaints.ok("receive", "--on", "2025-05-06", "--procedure", "statutory")
    document = complaints.json("report", "period", "--from", "2025-04-01", "--to", "30/06/2025")
    assert document["stage1"]["received"] == 1
    refused = complaints("report", "period", "--from", "2025-07-01", "--to", "2025-06-30")
    assert refused.exit_code == 1 and refused.stderr.startswith("Error: the period ends")
