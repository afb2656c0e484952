"""Learning and service improvement, the Code's self-assessment and ``report code``,
through the command line, on both engines (ADR 0030)."""

from __future__ import annotations

import csv
import io

import orjson
import pytest

from tests.cli.conftest import Complaints

YEAR = "2025/26"


def statement(complaints: Complaints, *extra: str) -> str:
    return complaints.ok(
        "learning",
        "record",
        "--on",
        "2025-05-01",
        "--team",
        "Front Door",
        "--due",
        "2025-07-31",
        "--went-wrong",
        "calls to Mrs Okafor were not returned",
        "--learnt",
        "messages sat in a shared inbox",
        "--action",
        "a named duty officer each day",
        *extra,
    )


@pytest.fixture
def case(complaints: Complaints) -> str:
    ref = complaints.ok("receive", "--on", "2025-04-07", "--procedure", "corporate")
    complaints.ok("acknowledge", ref, "--on", "2025-04-08")
    complaints.ok("respond", ref, "--on", "2025-04-22", "--outcome", "upheld")
    return ref


def test_a_learning_statement_is_recorded_done_and_approved(
    complaints: Complaints, case: str
) -> None:
    ref = statement(complaints, "--case", case)
    assert ref == "LRN-2025-0001"
    assert complaints.json("learning", "list")[0]["status"] == "overdue"
    complaints.ok("learning", "done", ref, "--on", "2025-07-15", "--evidence", "rota published")
    complaints.ok(
        "learning",
        "approve",
        ref,
        "--on",
        "2025-07-20",
        "--wording",
        "You told us calls were not returned; a duty officer now calls back",
    )
    listed = complaints.json("learning", "list", "--status", "done")
    assert [(r["ref"], r["case"], r["team"], r["done_on"]) for r in listed] == [
        (ref, case, "Front Door", "2025-07-15")
    ]
    shown = complaints.json("learning", "show", ref)
    assert shown["words"]["went_wrong"] == "calls to Mrs Okafor were not returned"
    assert shown["words"]["evidence"] == "rota published"
    assert [s["type"] for s in shown["history"]] == ["Recorded", "ActionDone", "WordingApproved"]
    assert [e["purpose"] for e in complaints.json("access-log")] == ["learning show"]


def test_the_read_model_and_history_hold_no_words(complaints: Complaints, case: str) -> None:
    ref = statement(complaints, "--case", case)
    listed = complaints.ok("learning", "list", "--format", "json")
    assert "Okafor" not in listed and "shared inbox" not in listed
    sealed = complaints.json("learning", "show", ref, "--no-personal")
    assert sealed["words"]["went_wrong"].startswith("[sealed note text:1:went_wrong")
    assert "Okafor" not in orjson.dumps(sealed).decode()
    assert complaints.json("access-log") == []


def test_learning_wording_that_names_a_person_is_refused(complaints: Complaints, case: str) -> None:
    ref = statement(complaints, "--case", case)
    before = complaints.json("learning", "show", ref, "--no-personal")["history"]
    for wording in ("We listened to Mrs Okafor", "Dr. Patel asked us to call back"):
        result = complaints.refused("learning", "approve", ref, "--wording", wording)
        assert "[public-wording-names-a-person]" in result.stderr
    assert complaints.json("learning", "show", ref, "--no-personal")["history"] == before


def test_learning_wording_naming_the_recorded_complainant_is_refused(
    complaints: Complaints,
) -> None:
    case = complaints.ok(
        "receive",
        "--on",
        "2025-04-07",
        "--procedure",
        "corporate",
        "--complainant",
        "Grace Okafor",
    )
    ref = statement(complaints, "--case", case)
    result = complaints.refused(
        "learning", "approve", ref, "--wording", "we rang grace back within a day"
    )
    assert "[public-wording-names-a-person]" in result.stderr and "'Grace'" in result.stderr
    complaints.ok("learning", "approve", ref, "--wording", "we now ring back within a day")


@pytest.mark.parametrize(
    ("args", "code", "rule"),
    [
        (("--theme", "communication", "--due", "2025-04-30"), 1, "learning-due-before-statement"),
        (("--theme", "no-such-theme"), 2, None),
        ((), 1, "learning-statement"),  # neither a case nor a theme
        (("--case", "CSC-2025-0999"), 1, "unknown-case"),
    ],
)
def test_bad_learning_statements_are_refused_and_write_nothing(
    complaints: Complaints, args: tuple[str, ...], code: int, rule: str | None
) -> None:
    complaints.ok("receive", "--on", "2025-04-07", "--procedure", "corporate")
    base = [
        "learning",
        "record",
        "--on",
        "2025-05-01",
        "--team",
        "Front Door",
        "--went-wrong",
        "a",
        "--learnt",
        "b",
        "--action",
        "c",
    ]
    if "--due" not in args:
        base += ["--due", "2025-07-31"]
    result = complaints.refused(*base, *args, code=code)
    if rule:
        assert f"[{rule}]" in result.stderr
    assert complaints.json("learning", "list") == []


def test_an_action_is_done_once(complaints: Complaints) -> None:
    ref = statement(complaints, "--theme", "communication")
    complaints.ok("learning", "done", ref, "--on", "2025-06-01", "--evidence", "done")
    result = complaints.refused("learning", "done", ref, "--on", "2025-06-02", "--evidence", "x")
    assert "[learning-already-done]" in result.stderr


@pytest.mark.parametrize(
    ("args", "code", "rule"),
    [
        (("--section", "10", "--compliance", "yes"), 1, "code-section"),
        (("--section", "0", "--compliance", "yes"), 1, "code-section"),
        (("--section", "3", "--compliance", "maybe"), 2, None),
        (("--section", "three", "--compliance", "yes"), 2, None),
    ],
)
def test_bad_self_assessment_answers_are_refused_and_write_nothing(
    complaints: Complaints, args: tuple[str, ...], code: int, rule: str | None
) -> None:
    result = complaints.refused(
        "self-assessment",
        "record",
        "--year",
        YEAR,
        *args,
        "--evidence",
        "e",
        "--explanation",
        "x",
        code=code,
    )
    if rule:
        assert f"[{rule}]" in result.stderr
    shown = complaints.json("self-assessment", "show", "--year", YEAR)
    assert all(s["compliance"] is None for s in shown["sections"])


def answer(complaints: Complaints, year: str, section: str, compliance: str, on: str) -> None:
    complaints.ok(
        "self-assessment",
        "record",
        "--year",
        year,
        "--section",
        section,
        "--on",
        on,
        "--compliance",
        compliance,
        "--evidence",
        f"evidence {compliance}",
        "--explanation",
        f"because {compliance}",
    )


def test_a_later_answer_supersedes_the_earlier(complaints: Complaints) -> None:
    answer(complaints, YEAR, "6", "no", "2025-06-01")
    answer(complaints, YEAR, "6", "partly", "2025-09-01")
    shown = complaints.json("self-assessment", "show", "--year", YEAR)
    assert shown["sections"][5]["compliance"] == "partly"
    assert shown["sections"][5]["title"] == "Complaint stages"
    assert len(shown["sections"]) == 9


@pytest.fixture
def code_year(complaints: Complaints, case: str) -> Complaints:
    """A year under the corporate procedure: a case answered, one not accepted, a
    learning statement approved, the self-assessment of this year and last year."""
    out = complaints.ok("receive", "--on", "2025-05-02")
    complaints.ok(
        "triage",
        out,
        "--on",
        "2025-05-02",
        "--decision",
        "not-a-complaint",
        "--reason",
        "a request for a service",
    )
    ref = statement(complaints, "--case", case)
    complaints.ok("learning", "done", ref, "--on", "2025-07-15", "--evidence", "rota")
    complaints.ok(
        "learning",
        "approve",
        ref,
        "--on",
        "2025-07-20",
        "--wording",
        "You told us calls went unanswered; we now call back",
    )
    answer(complaints, "2024/25", "6", "no", "2025-03-01")
    answer(complaints, YEAR, "6", "partly", "2025-09-01")
    answer(complaints, YEAR, "9", "yes", "2025-09-01")
    complaints.ok(
        "governing-response",
        "record",
        "--year",
        YEAR,
        "--on",
        "2025-10-01",
        "--text",
        "The committee accepts the report.",
    )
    return complaints


def test_report_code_shows_self_assessment_beside_last_year(code_year: Complaints) -> None:
    document = code_year.json("report", "code", "--year", YEAR)
    stages = document["self_assessment"]["sections"]
    assert stages[5]["compliance"] == "partly"
    assert stages[5]["previous"]["compliance"] == "no"
    assert stages[8]["compliance"] == "yes" and stages[8]["previous"] is None
    assert document["self_assessment"]["previous_year"] == "2024/25"
    markdown = code_year.ok("report", "code", "--year", YEAR)
    assert "| 6. Complaint stages | partly | evidence partly | because partly | no |" in markdown


def test_report_code_gives_the_figures_and_the_words_approved(code_year: Complaints) -> None:
    document = code_year.json("report", "code", "--year", YEAR)
    assert document["stage1"]["received"] == 1 and document["stage1"]["responded"] == 1
    assert document["stage1"]["acknowledged_on_time"] == 1
    assert document["stage1"]["outcomes"]["upheld"] == 1
    assert document["not_accepted"] == {
        "total": 1,
        "by_reason": {"not_a_complaint": 1, "out_of_time": 0, "excluded": 0},
    }
    assert document["learning"]["recorded"] == 1 and document["learning"]["done"] == 1
    assert [w["wording"] for w in document["you_said_we_did"]] == [
        "You told us calls went unanswered; we now call back"
    ]
    text = orjson.dumps(document).decode()
    assert "Okafor" not in text and "shared inbox" not in text and "rota" not in text
    assert document["governing_response"]["text"] == "The committee accepts the report."
    logged = [e["purpose"] for e in code_year.json("access-log")]
    assert logged == ["report code (approved wordings)"]


def test_report_code_in_every_format(code_year: Complaints) -> None:
    markdown = code_year.ok("report", "code", "--year", YEAR, "--format", "md")
    html = code_year.ok("report", "code", "--year", YEAR, "--format", "html")
    rows = list(
        csv.reader(io.StringIO(code_year.ok("report", "code", "--year", YEAR, "--format", "csv")))
    )
    for title in (
        "You said, we did",
        "Complaints not accepted into the procedure, and why",
        "The Ombudsman's annual letter",
    ):
        assert title in markdown
        assert title.replace("'", "&#x27;") in html
        assert [title] in rows
    assert "we now call back" in markdown and "we now call back" in html
    assert html.startswith("<!doctype html>")


def test_report_code_public_version_suppresses_small_counts(code_year: Complaints) -> None:
    document = code_year.json("report", "code", "--year", YEAR, "--public")
    assert document["suppressed_below"] == 5
    assert document["stage1"]["received"] == "<5"
    assert document["stage1"]["on_time_percent"] is None
    assert document["not_accepted"]["total"] == "<5"
    assert document["self_assessment"]["sections"][5]["compliance"] == "partly"


def test_the_annual_report_says_you_said_we_did(code_year: Complaints) -> None:
    for output_format in ("md", "csv", "html"):
        shown = code_year.ok(
            "report",
            "annual",
            "--year",
            YEAR,
            "--procedure",
            "corporate",
            "--format",
            output_format,
        )
        assert "You said, we did" in shown and "we now call back" in shown
    document = code_year.json("report", "annual", "--year", YEAR, "--procedure", "corporate")
    assert document["you_said_we_did"][0]["team"] == "Front Door"


def test_erasing_the_case_erases_its_learning_words(code_year: Complaints) -> None:
    ref = code_year.json("learning", "list")[0]["ref"]
    case = code_year.json("learning", "list")[0]["case"]
    code_year.ok("erase", case, "--subject", "case", "--basis", "retention", "--yes")
    words = code_year.json("learning", "show", ref)["words"]
    assert words["went_wrong"].startswith("erased on ")
    assert code_year.json("report", "code", "--year", YEAR)["you_said_we_did"] == []


def test_a_theme_statement_is_erased_on_its_own(complaints: Complaints, case: str) -> None:
    theme = statement(complaints, "--theme", "communication")
    linked = statement(complaints, "--case", case)
    complaints.ok("learning", "erase", theme, "--basis", "retention schedule", "--yes")
    words = complaints.json("learning", "show", theme)["words"]
    assert all(text.startswith("erased on ") for text in words.values())
    again = complaints.refused("learning", "erase", theme, "--basis", "again", "--yes")
    assert "[already-erased]" in again.stderr
    refused = complaints.refused("learning", "erase", linked, "--basis", "x", "--yes")
    assert "[learning-statement]" in refused.stderr and case in refused.stderr
    assert complaints.json("learning", "show", linked)["words"]["learnt"] == (
        "messages sat in a shared inbox"
    )
