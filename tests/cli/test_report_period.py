"""`complaints report period` on both engines: any period's figures, and a period
that is no period refused in one line."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Complaints


def test_report_period_through_the_command_line(complaints: Complaints) -> None:
    complaints.ok("receive", "--on", "2025-05-06", "--procedure", "statutory")
    document = complaints.json("report", "period", "--from", "2025-04-01", "--to", "30/06/2025")
    assert document["stage1"]["received"] == 1
    refused = complaints("report", "period", "--from", "2025-07-01", "--to", "2025-06-30")
    assert refused.exit_code == 1 and refused.stderr.startswith("Error: the period ends")


def test_a_publishable_report_has_a_summary_the_councils_words_and_pounds(
    complaints: Complaints, tmp_path: Path
) -> None:
    for day in ("2025-05-06", "2025-05-07", "2025-05-08"):
        ref = complaints.ok(
            "receive", "--on", day, "--procedure", "statutory", "--reason", "poor-communication"
        )
        complaints.ok("respond", ref, "--on", "2025-05-12", "--outcome", "upheld")
    complaints.ok("compensate", ref, "--on", "2025-05-20", "--amount", "6425", "--stage", "1")
    narrative = tmp_path / "commentary.md"
    narrative.write_text("We listened to children and changed how we reply.\n")
    for output in ("md", "html"):
        text = complaints.ok(
            "report", "annual", "--year", "2025/26", "--format", output,
            "--narrative", str(narrative),
        )  # fmt: skip
        assert "the council received 3 Stage 1 complaints" in text
        assert "The most common reasons were poor communication." in text
        assert "We listened to children and changed how we reply." in text
        assert "£6,425" in text and "6425.00" not in text
        assert "+200%" not in text  # no percentage change on a base under 5
    public = complaints.ok("report", "annual", "--year", "2025/26", "--public")
    assert "counts below 5 are shown as <5" in public
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"\xff\xfe")
    refused = complaints("report", "annual", "--year", "2025/26", "--narrative", str(bad))
    assert refused.exit_code == 1 and refused.stderr.startswith("Error: --narrative:")
