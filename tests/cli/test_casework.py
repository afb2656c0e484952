"""Providers, joint complaints, costs of the procedure and satisfaction surveys
(issue 16 part 2, ADR 0039), through the command line on both engines: each is a step
with its rule, counted in the annual report by SQL, and the survey's comment never
reaches the read models or the report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import orjson
from sqlalchemy import create_engine, select

from projections import tables
from tests.cli.conftest import Complaints

PROVIDERS = """\
[registers]
providers = [
    { name = "Brightpath Fostering", aliases = ["Brightpath"] },
    "Oakwood Residential",
]
"""


def _stage1(complaints: Complaints, on: str = "2025-04-07") -> str:
    ref = complaints.ok(
        "receive",
        "--on",
        on,
        "--procedure",
        "statutory",
        "--channel",
        "email",
        "--role",
        "parent",
        "--reason",
        "poor-communication",
    )
    return ref


def _settings(tmp_path: Path) -> str:
    path = tmp_path / "council.toml"
    path.write_text(PROVIDERS)
    return str(path)


def test_a_provider_from_the_register_is_recorded_by_its_register_name_and_counted_by_provider(
    complaints: Complaints, tmp_path: Path
) -> None:
    config = _settings(tmp_path)
    first, second = _stage1(complaints), _stage1(complaints, "2025-05-01")
    complaints.ok(
        "--config", config, "provider", first, "--on", "2025-04-08", "--provider", "brightpath"
    )
    complaints.ok(
        "--config",
        config,
        "provider",
        second,
        "--on",
        "2025-05-02",
        "--provider",
        "Oakwood Residential",
    )
    listed = complaints.json("--config", config, "providers")
    assert listed == [
        {"provider": "Brightpath Fostering", "complaints": 1, "in_register": True},
        {"provider": "Oakwood Residential", "complaints": 1, "in_register": True},
    ]
    report = complaints.json("report", "annual", "--year", "2025")
    assert report["providers"] == {
        "about_a_provider": 2,
        "by_provider": {"Brightpath Fostering": 1, "Oakwood Residential": 1},
    }


def test_a_provider_not_in_the_register_is_refused_naming_the_nearest(
    complaints: Complaints, tmp_path: Path, unchanged: Callable[..., None]
) -> None:
    config = _settings(tmp_path)
    ref = _stage1(complaints)
    before = complaints.history(ref)
    result = complaints.refused(
        "--config", config, "provider", ref, "--on", "2025-04-08", "--provider", "Brightpat"
    )
    assert "[unknown-provider]" in result.stderr and "Brightpath Fostering" in result.stderr
    assert complaints.history(ref) == before


def test_a_joint_complaint_records_the_other_body_the_lead_and_the_day_the_response_was_agreed(
    complaints: Complaints, unchanged: Callable[..., None]
) -> None:
    ref = _stage1(complaints)
    unchanged(ref, "joint", "agreed", ref, "--on", "2025-04-20", rule="casework")
    complaints.ok(
        "joint", "record", ref, "--on", "2025-04-09", "--with", "nhs", "--lead", "other-body"
    )
    unchanged(
        ref,
        "joint",
        "record",
        ref,
        "--on",
        "2025-04-10",
        "--with",
        "police",
        "--lead",
        "council",
        rule="casework",
    )
    unchanged(ref, "joint", "agreed", ref, "--on", "2025-04-08")
    complaints.ok("joint", "agreed", ref, "--on", "2025-04-30")
    assert complaints.json("show", ref)["casework"]["joint"] == {
        "with": "nhs",
        "lead": "other-body",
        "on": "2025-04-09",
        "response_agreed_on": "2025-04-30",
    }
    assert "joint with nhs from 2025-04-09" in complaints.ok("show", ref)
    joint = complaints.json("report", "annual", "--year", "2025")["joint_complaints"]
    assert joint == {
        "complaints": 1,
        "by_body": {"nhs": 1},
        "by_lead": {"council": 0, "other_body": 1},
        "responses_agreed": 1,
    }


def test_costs_are_exact_pounds_and_pence_by_kind_and_stage_with_last_years_total_beside(
    complaints: Complaints, unchanged: Callable[..., None]
) -> None:
    last_year = _stage1(complaints, "2024-05-01")
    complaints.ok(
        "cost", last_year, "--on", "2024-06-01", "--kind", "advocacy", "--amount", "100.10"
    )
    ref = _stage1(complaints)
    complaints.ok("respond", ref, "--on", "2025-04-20", "--outcome", "not-upheld")
    complaints.ok("escalate", ref, "--on", "2025-04-25")
    complaints.ok(
        "cost",
        ref,
        "--on",
        "2025-06-01",
        "--kind",
        "independent-investigator",
        "--amount",
        "£1,345.50",
    )
    complaints.ok(
        "cost",
        ref,
        "--on",
        "2025-06-02",
        "--kind",
        "independent-person",
        "--amount",
        "0.10",
        "--stage",
        "2",
    )
    complaints.ok(
        "cost", ref, "--on", "2025-06-03", "--kind", "advocacy", "--amount", "0.20", "--stage", "1"
    )
    unchanged(
        ref,
        "cost",
        ref,
        "--on",
        "2025-06-04",
        "--kind",
        "panel-member",
        "--amount",
        "10",
        "--stage",
        "3",
        rule="wrong-stage",
    )
    unchanged(
        ref,
        "cost",
        ref,
        "--on",
        "2025-06-04",
        "--kind",
        "panel-member",
        "--amount",
        "10.005",
        rule="bad-data",
    )
    unchanged(
        ref, "cost", ref, "--on", "2025-06-04", "--kind", "catering", "--amount", "10", code=2
    )
    spent = complaints.json("report", "annual", "--year", "2025")["expenditure"]
    assert spent["total"] == "1345.80"  # 1345.50 + 0.10 + 0.20 exactly, not 1345.8000001
    assert spent["by_kind"] == {
        "independent_investigator": "1345.50",
        "independent_person": "0.10",
        "panel_member": "0.00",
        "advocacy": "0.20",
    }
    assert spent["by_stage"] == {"1": "0.20", "2": "1345.60", "3": "0.00"}
    assert (spent["cases"], spent["payments"]) == (1, 3)
    assert spent["last_year_total"] == "100.10"
    assert "cost £1345.50 independent-investigator at stage 2" in complaints.ok("show", ref)
    text = complaints.ok("report", "annual", "--year", "2025")
    assert "Expenditure on the procedure" in text and "£1,345.80" in text


def test_a_survey_is_sent_after_a_response_and_its_comment_is_sealed_out_of_the_figures(
    complaints: Complaints, db_url: str, unchanged: Callable[..., None]
) -> None:
    ref, other = _stage1(complaints), _stage1(complaints, "2025-04-08")
    unchanged(ref, "survey", "sent", ref, "--on", "2025-04-10", rule="casework")
    for case in (ref, other):
        complaints.ok("respond", case, "--on", "2025-04-20", "--outcome", "upheld")
        complaints.ok("survey", "sent", case, "--on", "2025-04-21")
    unchanged(ref, "survey", "answered", ref, "--on", "2025-04-30", "--overall", "6", code=2)
    complaints.ok(
        "survey",
        "answered",
        ref,
        "--on",
        "2025-05-03",
        "--overall",
        "4",
        "--kept-informed",
        "2",
        "--comment",
        "Ms Jones was kind",
    )
    unchanged(
        ref, "survey", "answered", ref, "--on", "2025-05-04", "--overall", "5", rule="casework"
    )
    happy = complaints.json("report", "annual", "--year", "2025")["satisfaction"]
    assert happy["scale"] == "1 to 5"
    assert (happy["surveys_sent"], happy["surveys_returned"]) == (2, 1)
    assert happy["response_rate_percent"] == 50.0
    assert happy["by_question"] == {
        "overall": {"answers": 1, "average_score": 4.0, "satisfied_percent": 100.0},
        "kept_informed": {"answers": 1, "average_score": 2.0, "satisfied_percent": 0.0},
    }
    history = orjson.dumps(complaints.history(ref)).decode()
    assert "Ms Jones" not in history and "[sealed note text:" in history
    assert "Ms Jones was kind" in complaints.ok("show", ref)
    engine = create_engine(db_url)
    with engine.connect() as connection:
        for table in tables.READ_MODEL_TABLES:
            for row in connection.execute(select(table)):
                assert "Ms Jones" not in repr(row)
    engine.dispose()
    assert "Ms Jones" not in complaints.ok("report", "annual", "--year", "2025")
    complaints.ok("erase", ref, "--subject", "all", "--basis", "retention", "--yes")
    shown = complaints.ok("show", ref)
    assert "Ms Jones" not in shown and "text:" in shown and "erased on" in shown
    assert complaints.json("report", "annual", "--year", "2025")["satisfaction"] == happy


def test_the_legacy_import_reads_the_provider_and_the_joint_complaint_columns(
    complaints: Complaints, tmp_path: Path
) -> None:
    source = tmp_path / "legacy.csv"
    source.write_text(
        "reference,received_on,stage1_response_on,stage1_outcome,provider,joint_with,"
        "joint_lead,joint_agreed_on\n"
        "L-1,2025-05-01,2025-05-20,upheld,Brightpath,police,council,2025-05-15\n"
        "L-2,2025-05-02,,,,school,,\n"
    )
    config = _settings(tmp_path)
    refused = complaints("--config", config, "import", str(source))
    assert refused.exit_code == 1 and "row 3, column joint_lead" in refused.stderr
    source.write_text(source.read_text().replace("L-2,2025-05-02,,,,school,,", "L-2,2025-05-02"))
    complaints.ok("--config", config, "import", str(source))
    kinds = [e["type"] for e in complaints.history("L-1")]
    assert "ProviderNamed" in kinds and "JointComplaintRecorded" in kinds
    assert complaints.json("show", "L-1")["casework"]["provider"] == "Brightpath Fostering"
    report = complaints.json("report", "annual", "--year", "2025")
    assert report["providers"]["by_provider"] == {"Brightpath Fostering": 1}
    assert report["joint_complaints"]["responses_agreed"] == 1


def test_the_legacy_import_records_the_costs_of_stage_2_on_its_adjudication(
    complaints: Complaints, tmp_path: Path
) -> None:
    source = tmp_path / "legacy.csv"
    source.write_text(
        "reference,received_on,stage1_response_on,stage1_outcome,stage2_requested_on,"
        "stage2_response_on,stage2_outcome,stage2_investigator_cost,"
        "stage2_independent_person_cost\n"
        'L-3,2025-04-01,2025-04-10,not-upheld,2025-04-20,2025-06-02,upheld,"1,200.50",300\n'
    )
    complaints.ok("import", str(source))
    assert complaints.json("show", "L-3")["casework"]["costs"] == [
        {"on": "2025-06-02", "kind": "independent-investigator", "stage": "2", "amount": "1200.50"},
        {"on": "2025-06-02", "kind": "independent-person", "stage": "2", "amount": "300.00"},
    ]
    spent = complaints.json("report", "annual", "--year", "2025")["expenditure"]
    assert (spent["total"], spent["by_stage"]["2"]) == ("1500.50", "1500.50")


def test_the_legacy_import_records_a_survey_and_refuses_a_row_the_survey_rules_refuse(
    complaints: Complaints, tmp_path: Path
) -> None:
    header = (
        "reference,received_on,stage1_response_on,stage1_outcome,survey_sent_on,"
        "survey_answered_on,survey_overall,survey_kept_informed\n"
    )
    source = tmp_path / "legacy.csv"
    source.write_text(
        header
        + "L-4,2025-04-01,2025-04-10,upheld,2025-04-11,2025-04-25,4,2\n"
        + "L-5,2025-04-02,2025-04-14,upheld,2025-04-03,,,\n"  # sent before any response
    )
    refused = complaints("import", str(source))
    assert refused.exit_code == 1 and "row 3, column survey_sent_on" in refused.stderr
    assert "[casework]" in refused.stderr
    assert complaints("show", "L-4").exit_code != 0  # nothing written

    source.write_text(header + "L-6,2025-04-01,2025-04-10,upheld,2025-04-11,2025-04-25,7,\n")
    refused = complaints("import", str(source))
    assert refused.exit_code == 1 and "row 2, column survey_answered_on" in refused.stderr
    assert "1 to 5" in refused.stderr

    source.write_text(header + "L-4,2025-04-01,2025-04-10,upheld,2025-04-11,2025-04-25,4,2\n")
    complaints.ok("import", str(source))
    kinds = [e["type"] for e in complaints.history("L-4")]
    assert kinds[-2:] == ["SurveySent", "SurveyAnswered"]
    satisfaction = complaints.json("report", "annual", "--year", "2025")["satisfaction"]
    assert (satisfaction["surveys_sent"], satisfaction["surveys_returned"]) == (1, 1)
    assert satisfaction["by_question"]["overall"]["average_score"] == 4
    assert satisfaction["by_question"]["kept_informed"]["satisfied_percent"] == 0


def test_the_legacy_import_records_a_reopened_stage_and_refuses_one_reopened_too_early(
    complaints: Complaints, tmp_path: Path
) -> None:
    header = (
        "reference,received_on,stage1_response_on,stage1_outcome,stage1_reopened_on,"
        "stage1_reopen_reason,stage1_reopened_response_on,stage1_reopened_outcome\n"
    )
    good = "L-7,2025-04-01,2025-04-10,not-upheld,2025-04-22,point 2 missed,2025-05-06,upheld\n"
    source = tmp_path / "legacy.csv"
    source.write_text(header + good + "L-8,2025-04-01,2025-04-10,upheld,2025-04-08,x,,\n")
    refused = complaints("import", str(source))
    assert refused.exit_code == 1 and "row 3, column stage1_reopened_on" in refused.stderr
    assert "still open: nothing to re-open [reopen-refused]" in refused.stderr
    assert complaints("show", "L-7").exit_code != 0  # nothing written

    source.write_text(header + good)
    complaints.ok("import", str(source))
    shown = complaints.json("show", "L-7")
    assert shown["reopenings"][0]["set_aside_response_on"] == "2025-04-10"
    assert shown["stages"][0]["responded_on"] == "2025-05-06"
    report = complaints.json("report", "annual", "--year", "2025", "--procedure", "statutory")
    assert report["case_links"]["reopened"]["by_stage"]["1"] == 1
    assert report["stage1"]["outcomes"]["upheld"] == 1
