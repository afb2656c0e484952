"""One input language: the command line, ``batch`` and the importer accept the same
dates, amounts and names, and store the taxonomy's own names (ADR 0017)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import orjson

from tests.cli.conftest import Complaints


def _data(history: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    return next(e["data"] for e in history if e["type"] == kind)


def _on(history: list[dict[str, Any]], kind: str) -> str:
    return str(next(e["on"] for e in history if e["type"] == kind))


def _new_case(complaints: Complaints, *extra: str) -> str:
    return complaints.ok(
        "receive", "--on", "01/04/2025", "--procedure", "statutory", "--channel", "email", *extra
    )


# --------------------------------------------------------------------------- dates
def test_a_date_written_day_first_is_recorded(complaints: Complaints) -> None:
    ref = complaints.ok("receive", "--on", "08/04/2025", "--procedure", "statutory")
    complaints.ok("acknowledge", ref, "--on", "9/4/2025")
    history = complaints.history(ref)
    assert _on(history, "Received") == "2025-04-08"
    assert _on(history, "Acknowledged") == "2025-04-09"


def test_an_impossible_date_says_it_is_not_a_date_and_writes_nothing(
    complaints: Complaints,
) -> None:
    result = complaints.refused("receive", "--on", "2025-02-30", "--procedure", "statutory")
    assert "2025-02-30 is not a date (February 2025 has 28 days) [bad-data]" in result.stderr
    complaints.refused("list")  # nothing written: there is no ledger to read yet
    ref = _new_case(complaints)
    before = complaints.history(ref)
    result = complaints.refused("acknowledge", ref, "--on", "31/04/2025")
    assert "--on: 31/04/2025 is not a date (April 2025 has 30 days) [bad-data]" in result.stderr
    assert complaints.history(ref) == before


def test_a_malformed_date_says_which_forms_are_accepted(complaints: Complaints) -> None:
    ref = _new_case(complaints)
    result = complaints.refused("acknowledge", ref, "--on", "8th April")
    assert "'8th April' is not a date: write YYYY-MM-DD or DD/MM/YYYY" in result.stderr
    assert "[bad-data]" in result.stderr


def test_as_of_takes_a_day_first_date_as_the_end_of_that_day(complaints: Complaints) -> None:
    ref = _new_case(complaints)
    recorded_today = complaints.json("history", ref, "--as-of", "31/12/9999")
    assert [e["type"] for e in recorded_today] == ["Received", "Triaged"]
    assert complaints.json("history", ref, "--as-of", "01/01/2000") == []
    result = complaints.refused("history", ref, "--as-of", "2025-02-30")
    assert "2025-02-30 is not a date" in result.stderr


# --------------------------------------------------------------------------- names
def test_outcome_and_reason_given_by_label_are_stored_as_their_names(
    complaints: Complaints,
) -> None:
    ref = _new_case(complaints, "--reason", "Poor communication", "--role", "Foster carer")
    complaints.ok(
        "respond", ref, "--on", "2025-04-10", "--outcome", "Partly upheld", "--remedy", "APOLOGY"
    )
    history = complaints.history(ref)
    received = _data(history, "Received")
    assert received["reasons"] == ["poor-communication"]
    assert received["role"] == "foster-carer"
    responded = _data(history, "Responded")
    assert responded["outcome"] == "partly-upheld"
    assert responded["remedies"] == ["apology"]


def test_names_in_any_case_and_spacing_mean_the_same_name(complaints: Complaints) -> None:
    for outcome in ("partly-upheld", "PARTLY_UPHELD", "partly upheld"):
        ref = _new_case(complaints, "--reason", "poor_communication,Delays in service")
        complaints.ok("respond", ref, "--on", "2025-04-10", "--outcome", outcome)
        history = complaints.history(ref)
        assert _data(history, "Responded")["outcome"] == "partly-upheld"
        assert _data(history, "Received")["reasons"] == ["poor-communication", "delays-in-service"]


def test_ombudsman_decision_and_triage_decision_by_label(complaints: Complaints) -> None:
    ref = complaints.ok("receive", "--on", "2025-04-01")
    complaints.ok("triage", ref, "--on", "2025-04-02", "--decision", "Not a complaint")
    assert _data(complaints.history(ref), "Triaged")["decision"] == "not-a-complaint"
    ref = _new_case(complaints)
    complaints.ok("respond", ref, "--on", "2025-04-10", "--outcome", "not upheld")
    complaints.ok("ombudsman", "enquiry", ref, "--on", "2025-06-01")
    complaints.ok(
        "ombudsman", "decision", ref, "--on", "2025-07-01", "--decision", "Upheld, no injustice"
    )
    assert _data(complaints.history(ref), "OmbudsmanDecided")["decision"] == "upheld-no-injustice"
    complaints.ok(
        "compensate", ref, "--on", "2025-07-02", "--amount", "£250", "--stage", "Ombudsman",
        "--reason", "time and trouble",
    )  # fmt: skip
    paid = _data(complaints.history(ref), "CompensationAgreed")
    assert (paid["stage"], paid["reason"]) == ("ombudsman", "time-and-trouble")


def test_an_unknown_name_is_refused_with_the_nearest_names_and_nothing_written(
    complaints: Complaints,
) -> None:
    result = complaints.refused(
        "receive", "--on", "2025-04-01", "--procedure", "statutory",
        "--reason", "Poor comunication", code=2,
    )  # fmt: skip
    assert (
        "--reason: unknown reason 'Poor comunication'; did you mean poor-communication? "
        "[unknown-name]" in result.stderr
    )
    complaints.refused("list")  # nothing written: there is no ledger to read yet
    ref = _new_case(complaints)
    before = complaints.history(ref)
    result = complaints.refused("respond", ref, "--on", "2025-04-10", "--outcome", "uphold", code=2)
    assert "did you mean upheld" in result.stderr
    assert complaints.history(ref) == before


def test_a_councils_own_reason_is_read_by_its_label(complaints: Complaints, tmp_path: Path) -> None:
    settings = tmp_path / "council.toml"
    settings.write_text(
        '[taxonomy]\nreasons = ["transport"]\n\n'
        '[taxonomy.labels]\ntransport = "Home to school transport"\n',
        encoding="utf-8",
    )
    ref = complaints.ok(
        "--config", str(settings), "receive", "--on", "2025-04-01", "--procedure", "statutory",
        "--reason", "home to school transport",
    )  # fmt: skip
    assert _data(complaints.history(ref), "Received")["reasons"] == ["transport"]
    markdown = complaints.ok("--config", str(settings), "report", "annual", "--year", "2025")
    assert "| Home to school transport | 1 |" in markdown


# ------------------------------------------------------------------------- amounts
def test_an_amount_with_pound_sign_and_commas_is_stored_in_pounds_and_pence(
    complaints: Complaints,
) -> None:
    ref = _new_case(complaints)
    complaints.ok("respond", ref, "--on", "2025-04-10", "--outcome", "upheld")
    complaints.ok(
        "compensate", ref, "--on", "2025-04-11", "--amount", "£1,345.50", "--reason", "Distress"
    )
    paid = _data(complaints.history(ref), "CompensationAgreed")
    assert paid["amount"] == "1345.50"
    assert paid["reason"] == "distress"
    report = complaints.json("report", "annual", "--year", "2025")
    assert report["compensation"]["total"] == "1345.50"


def test_a_malformed_amount_is_refused_clearly_and_nothing_written(complaints: Complaints) -> None:
    ref = _new_case(complaints)
    complaints.ok("respond", ref, "--on", "2025-04-10", "--outcome", "upheld")
    before = complaints.history(ref)
    for amount, why in (
        ("1,34.5", "commas only between thousands"),
        ("12.345", "at most two decimal places"),
        ("-5", "must be more than zero"),
        ("0", "must be more than zero"),
    ):
        result = complaints.refused("compensate", ref, "--on", "2025-04-11", "--amount", amount)
        assert f"--amount: amount '{amount}'" in result.stderr
        assert why in result.stderr and "[bad-data]" in result.stderr
    assert complaints.history(ref) == before


# ------------------------------------------------------------------- batch, reports
def test_batch_reads_the_same_language(complaints: Complaints, tmp_path: Path) -> None:
    lines = tmp_path / "cases.txt"
    lines.write_text(
        "receive --ref CSC-2025-0101 --on 07/04/2025 --procedure Statutory"
        ' --reason "Poor communication"\n'
        'respond CSC-2025-0101 --on 15/04/2025 --outcome "Partly upheld"\n'
        'compensate CSC-2025-0101 --on 16/04/2025 --amount "£1,345.50"\n',
        encoding="utf-8",
    )
    complaints.ok("batch", str(lines))
    history = complaints.history("CSC-2025-0101")
    assert _on(history, "Received") == "2025-04-07"
    assert _data(history, "Received")["reasons"] == ["poor-communication"]
    assert _data(history, "Responded")["outcome"] == "partly-upheld"
    assert _data(history, "CompensationAgreed")["amount"] == "1345.50"
    lines.write_text("acknowledge CSC-2025-0101 --on 2025-02-30\n", encoding="utf-8")
    result = complaints("batch", str(lines))
    assert result.exit_code == 1
    assert "line 1: --on: 2025-02-30 is not a date" in result.stderr


def test_reports_in_words_print_labels_and_json_keeps_the_names(complaints: Complaints) -> None:
    ref = _new_case(complaints, "--reason", "poor-communication", "--role", "parent")
    complaints.ok("respond", ref, "--on", "2025-04-10", "--outcome", "upheld")
    report = complaints.json("report", "annual", "--year", "2025")
    assert report["stage1"]["by_reason"] == {"poor-communication": 1}
    markdown = complaints.ok("report", "annual", "--year", "2025")
    assert "| Poor communication | 1 |" in markdown
    assert "| Email | 1 |" in markdown and "| Parent | 1 |" in markdown
    assert "poor-communication" not in markdown
    page = complaints.ok("report", "annual", "--year", "2025", "--format", "html")
    assert '<th scope="row">Poor communication</th>' in page


# ----------------------------------------------------------- the importer, the same
VALUES = {
    "received_on": "08/04/2025",
    "procedure": "Statutory",
    "channel": "Online form",
    "role": "Foster carer",
    "reasons": "Poor communication; delays_in_service",
    "stage1_response_on": "2025-04-22",
    "stage1_outcome": "Partly upheld",
    "stage1_remedies": "Apology",
    "compensation_amount": "£1,345.50",
    "compensation_on": "23/04/2025",
    "compensation_reason": "Time and trouble",
}


def test_the_importer_and_the_command_line_accept_the_same_values(
    complaints: Complaints, tmp_path: Path
) -> None:
    source = tmp_path / "legacy.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["reference", *VALUES], lineterminator="\n")
        writer.writeheader()
        writer.writerow({"reference": "LEG-1", **VALUES})
    complaints.ok("import", str(source))

    v = VALUES
    complaints.ok(
        "receive", "--ref", "CLI-1", "--on", v["received_on"], "--procedure", v["procedure"],
        "--channel", v["channel"], "--role", v["role"],
        *(arg for reason in v["reasons"].split(";") for arg in ("--reason", reason.strip())),
    )  # fmt: skip
    complaints.ok(
        "respond", "CLI-1", "--on", v["stage1_response_on"], "--outcome", v["stage1_outcome"],
        "--remedy", v["stage1_remedies"],
    )  # fmt: skip
    complaints.ok(
        "compensate", "CLI-1", "--on", v["compensation_on"], "--amount", v["compensation_amount"],
        "--reason", v["compensation_reason"],
    )  # fmt: skip

    def facts(ref: str) -> list[tuple[str, str, Any]]:
        return [
            (
                e["type"],
                e["on"],
                orjson.loads(orjson.dumps(e["data"]).replace(ref.encode(), b"REF")),
            )
            for e in complaints.history(ref)
        ]

    imported, typed = facts("LEG-1"), facts("CLI-1")
    assert typed == imported
    received = _data(complaints.history("LEG-1"), "Received")
    assert received["channel"] == "online-form"
    assert received["reasons"] == ["poor-communication", "delays-in-service"]
    assert ("CompensationAgreed", "2025-04-23") in [(t, on) for t, on, _ in imported]


def test_the_importer_refuses_what_the_command_line_refuses_and_says_the_same(
    complaints: Complaints, tmp_path: Path
) -> None:
    source = tmp_path / "legacy.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        handle.write("reference,received_on,stage1_response_on,stage1_outcome\n")
        handle.write("LEG-2,2025-02-30,2025-04-22,Partly uphold\n")
    result = complaints("import", str(source))
    assert result.exit_code == 1
    assert complaints.json("list") == []

    not_a_date = "2025-02-30 is not a date (February 2025 has 28 days) [bad-data]"
    unknown = (
        "unknown outcome 'Partly uphold'; did you mean partly-upheld or not-upheld? [unknown-name]"
    )
    assert f"row 2, column received_on: {not_a_date}" in result.stderr
    assert f"row 2, column stage1_outcome: {unknown}" in result.stderr
    assert f"--on: {not_a_date}" in complaints.refused("receive", "--on", "2025-02-30").stderr
    ref = _new_case(complaints)
    typed = complaints.refused(
        "respond", ref, "--on", "2025-04-22", "--outcome", "Partly uphold", code=2
    )
    assert f"--outcome: {unknown}" in typed.stderr
