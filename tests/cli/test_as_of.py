"""``--as-of`` means one thing everywhere: what had been recorded by then. The day on
which a list judges due and overdue is ``--on`` (default: the ``--as-of`` day, else
today). An empty answer as of a moment says on stderr how many steps came later."""

from __future__ import annotations

import orjson

from tests.cli.conftest import Complaints


def two_cases_with_a_cut_between(complaints: Complaints) -> str:
    """Case A (received 2024-05-01, recommendation R1) recorded before the cut; after
    it, A's response, a second recommendation and case B. Returns the cut."""
    complaints.ok("receive", "--ref", "A-1", "--on", "2024-05-01", "--procedure", "statutory")
    complaints.ok("recommend", "A-1", "--on", "2024-05-03", "--text", "Call back", "--stage", "1")
    cut = str(complaints.history("A-1")[-1]["recorded_at"])
    complaints.ok("respond", "A-1", "--on", "2024-05-10", "--outcome", "upheld")
    complaints.ok("recommend", "A-1", "--on", "2024-05-10", "--text", "Train", "--stage", "1")
    complaints.ok("receive", "--ref", "B-1", "--on", "2024-05-02", "--procedure", "statutory")
    return cut


def refs(rows: list[dict[str, object]]) -> list[object]:
    return [row["ref"] for row in rows]


def test_list_as_of_shows_the_cases_as_recorded_by_then(complaints: Complaints) -> None:
    cut = two_cases_with_a_cut_between(complaints)
    now = complaints.json("list")
    assert refs(now) == ["A-1", "B-1"]
    assert now[0]["status"] == "stage1-responded"
    then = complaints.json("list", "--as-of", cut, "--on", "2024-05-03")
    assert refs(then) == ["A-1"]
    assert then[0]["status"] == "open"


def test_list_judges_overdue_on_the_on_day(complaints: Complaints) -> None:
    complaints.ok("receive", "--ref", "A-1", "--on", "2024-05-01", "--procedure", "statutory")
    assert complaints.json("list", "--overdue", "--on", "2024-05-02") == []
    assert refs(complaints.json("list", "--overdue", "--on", "2024-07-01")) == ["A-1"]
    assert refs(complaints.json("list", "--overdue")) == ["A-1"]  # judged today


def test_only_as_of_judges_on_the_as_of_day(complaints: Complaints) -> None:
    cut = two_cases_with_a_cut_between(complaints)
    # Recorded in the present, so as of now every case is there, judged today: overdue.
    then = complaints.json("list", "--as-of", cut)
    assert [(r["ref"], r["status"]) for r in then] == [("A-1", "overdue")]


def test_report_open_as_of_and_on(complaints: Complaints) -> None:
    cut = two_cases_with_a_cut_between(complaints)
    assert refs(complaints.json("report", "open", "--on", "2024-05-13")) == ["B-1"]
    then = complaints.json("report", "open", "--as-of", cut, "--on", "2024-05-13")
    assert [(r["ref"], r["status"]) for r in then] == [("A-1", "due-soon")]


def test_report_recommendations_as_of(complaints: Complaints) -> None:
    cut = two_cases_with_a_cut_between(complaints)
    assert [r["id"] for r in complaints.json("report", "recommendations")] == ["R1", "R2"]
    then = complaints.json("report", "recommendations", "--as-of", cut, "--on", "2024-05-13")
    assert [r["id"] for r in then] == ["R1"]


def test_history_as_of_before_anything_says_how_many_steps_came_later(
    complaints: Complaints,
) -> None:
    two_cases_with_a_cut_between(complaints)
    result = complaints("history", "A-1", "--as-of", "2024-05-01", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert orjson.loads(result.stdout) == []
    assert result.stderr.strip() == (
        "nothing recorded by 2024-05-01T23:59:59; 5 steps were recorded later"
    )


def test_history_as_of_with_steps_prints_no_note(complaints: Complaints) -> None:
    cut = two_cases_with_a_cut_between(complaints)
    result = complaints("history", "A-1", "--as-of", cut, "--format", "json")
    assert result.exit_code == 0 and result.stderr == ""
    assert len(orjson.loads(result.stdout)) == 3


def test_empty_lists_as_of_say_how_many_events_came_later(complaints: Complaints) -> None:
    two_cases_with_a_cut_between(complaints)
    events = int(complaints.ok("projections", "status").split(" of ")[1].split(",")[0])
    assert events >= 7  # the cases' steps, and the personal details beside them
    for command in (["list"], ["report", "open"], ["report", "recommendations"]):
        result = complaints(*command, "--as-of", "2024-05-01", "--format", "json")
        assert result.exit_code == 0, (command, result.stderr)
        assert orjson.loads(result.stdout) == []
        assert result.stderr.strip() == (
            f"nothing recorded by 2024-05-01T23:59:59; {events} events were recorded later"
        ), command


def test_an_empty_filtered_list_as_of_says_events_came_later(complaints: Complaints) -> None:
    cut = two_cases_with_a_cut_between(complaints)
    result = complaints("list", "--as-of", cut, "--team", "Nobody")
    assert result.exit_code == 0
    assert result.stdout.strip() == "no cases"
    assert "none found in what was recorded by " in result.stderr
    assert result.stderr.strip().endswith(" events were recorded later")


def test_show_as_of_before_the_case_says_how_many_steps_came_later(
    complaints: Complaints,
) -> None:
    two_cases_with_a_cut_between(complaints)
    result = complaints.refused("show", "A-1", "--as-of", "2024-05-01")
    assert result.stderr.strip() == (
        "Error: A-1: nothing recorded by 2024-05-01T23:59:59; 5 steps were recorded later"
        " [unknown-case]"
    )


def test_as_of_a_bad_moment_is_bad_data(complaints: Complaints) -> None:
    for command in (["list"], ["report", "open"], ["report", "recommendations"]):
        result = complaints.refused(*command, "--as-of", "2024-13-01")
        assert "[bad-data]" in result.stderr
