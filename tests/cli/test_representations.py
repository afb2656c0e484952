"""Compliments, councillor and MP enquiries, initial feedback, advocacy referrals and
the complainant profile: entered, corrected and counted, by CLI on both backends."""

from __future__ import annotations

from typing import Any

from tests.cli.conftest import Complaints


def annual(complaints: Complaints, year: str = "2024", *extra: str) -> dict[str, Any]:
    return dict(complaints.json("report", "annual", "--year", year, *extra))


def test_compliments_counted_by_team_with_last_year_and_quoted_once_approved(
    complaints: Complaints,
) -> None:
    first = complaints.ok(
        "compliment",
        "--on",
        "2024-05-02",
        "--team",
        "Fostering",
        "--channel",
        "email",
        "--role",
        "foster-carer",
        "--text",
        "Thank you Jo Bloggs for everything",
        "--from-name",
        "Ann Smith",
    )
    assert first == "CMP-2024-0001"
    complaints.ok("compliment", "--on", "2024-06-02", "--team", "Fostering")
    complaints.ok("compliment", "--on", "2024-07-02", "--team", "Front Door")
    complaints.ok("compliment", "--on", "2023-07-02", "--team", "Fostering")
    refused = complaints.refused(
        "compliment", "publish", first, "--on", "2024-05-03", "--extract", "Ann was so grateful"
    )
    assert "remove names" in refused.stderr
    complaints.ok(
        "compliment",
        "publish",
        first,
        "--on",
        "2024-05-03",
        "--extract",
        "Thank you for everything",
    )
    report = annual(complaints)
    counted = report["compliments"]
    assert counted["received"] == 3 and counted["received_previous"] == 1
    assert counted["by_team"] == {"Fostering": 2, "Front Door": 1}
    assert counted["by_team_previous"] == {"Fostering": 1}
    assert counted["by_channel"] == {"not recorded": 2, "email": 1}
    assert counted["publishable"] == 1
    assert counted["extracts"] == [
        {"ref": first, "team": "Fostering", "extract": "Thank you for everything"}
    ]
    markdown = complaints.ok("report", "annual", "--year", "2024")
    assert "Thank you for everything" in markdown
    assert "Jo Bloggs" not in markdown and "Ann Smith" not in markdown


def test_a_corrected_compliment_moves_to_its_right_team(complaints: Complaints) -> None:
    ref = complaints.ok("compliment", "--on", "2024-05-02", "--team", "Fostering")
    complaints.ok(
        "compliment",
        "amend",
        ref,
        "--on",
        "2024-05-09",
        "--field",
        "team",
        "--value",
        "Adoption",
        "--reason",
        "wrong team",
    )
    assert annual(complaints)["compliments"]["by_team"] == {"Adoption": 1}
    complaints.refused(
        "compliment", "amend", ref, "--field", "colour", "--value", "x", "--reason", "y", code=2
    )


def test_enquiries_by_team_with_on_time_rate(complaints: Complaints) -> None:
    # Received Wed 1 May 2024: due in 10 working days, Thu 16 May (6 May is a holiday).
    on_time = complaints.ok(
        "enquiry",
        "--on",
        "2024-05-01",
        "--from",
        "councillor",
        "--team",
        "North",
        "--responded-on",
        "2024-05-16",
    )
    late = complaints.ok("enquiry", "--on", "2024-05-01", "--from", "mp", "--team", "North")
    complaints.ok("enquiry", "respond", late, "--on", "2024-05-17")
    complaints.ok("enquiry", "--on", "2023-05-01", "--from", "mp", "--team", "South")
    complaints.ok(
        "enquiry", "amend", on_time, "--field", "team", "--value", "East", "--reason", "wrong team"
    )
    enquiries = annual(complaints)["enquiries"]
    assert (enquiries["councillor"], enquiries["mp"]) == (1, 1)
    assert (enquiries["councillor_previous"], enquiries["mp_previous"]) == (0, 1)
    assert enquiries["by_team"] == {"East": 1, "North": 1}
    assert enquiries["by_team_previous"] == {"South": 1}
    assert (enquiries["responded"], enquiries["on_time"]) == (2, 1)
    assert enquiries["on_time_percent"] == 50.0


def test_initial_feedback_resolved_or_converted_into_a_complaint(complaints: Complaints) -> None:
    resolved = complaints.ok(
        "feedback", "--on", "2024-05-01", "--team", "North", "--resolved-on", "2024-05-02"
    )
    converted = complaints.ok(
        "feedback",
        "--on",
        "2024-05-03",
        "--team",
        "South",
        "--kind",
        "enquiry",
        "--summary",
        "Worried about contact",
    )
    case = complaints.ok(
        "feedback",
        "convert",
        converted,
        "--on",
        "2024-05-07",
        "--procedure",
        "statutory",
        "--role",
        "parent",
    )
    assert case == "CSC-2024-0001"
    history = complaints.history(case)
    assert history[0]["data"]["from_feedback"] == converted
    assert history[0]["data"]["team"] == "South"
    complaints.refused("feedback", "convert", converted, "--on", "2024-05-08")
    complaints.refused("feedback", "resolve", resolved, "--on", "2024-05-08")
    counted = annual(complaints)["feedback"]
    assert counted["received"] == 2
    assert counted["resolved"] == 1
    assert counted["became_complaints"] == 1
    assert counted["by_kind"] == {"enquiry": 1, "initial-feedback": 1}
    assert annual(complaints)["stage1"]["received"] == 1


def test_advocacy_referrals_by_age_band_and_theme(complaints: Complaints) -> None:
    case = complaints.ok("receive", "--on", "2024-05-01", "--procedure", "statutory")
    first = complaints.ok(
        "advocacy", "--on", "2024-04-20", "--age-band", "12-15", "--theme", "placement"
    )
    complaints.ok(
        "advocacy",
        "--on",
        "2024-04-22",
        "--age-band",
        "16-17",
        "--theme",
        "placement",
        "--complaint",
        case,
    )
    complaints.ok("advocacy", "--on", "2024-04-25")
    complaints.ok("advocacy", "link", first, "--complaint", case, "--on", "2024-05-02")
    complaints.refused("advocacy", "--on", "2024-04-25", "--age-band", "ancient", code=2)
    counted = annual(complaints)["advocacy"]
    assert counted["referrals"] == 3
    assert counted["by_age_band"] == {"12-15": 1, "16-17": 1, "not recorded": 1}
    assert counted["by_theme"] == {"placement": 2, "not recorded": 1}
    assert counted["led_to_complaint"] == 2


def test_profile_counted_with_not_recorded_and_suppressed_in_public(
    complaints: Complaints,
) -> None:
    refs = [
        complaints.ok("receive", "--on", "2024-05-01", "--procedure", "statutory") for _ in range(4)
    ]
    complaints.ok(
        "profile",
        refs[0],
        "--on",
        "2024-05-02",
        "--age-band",
        "35-44",
        "--ethnicity",
        "White British",
        "--disability",
        "no",
    )
    complaints.ok("profile", refs[1], "--on", "2024-05-02", "--age-band", "35-44")
    complaints.refused("profile", refs[2], "--age-band", "35-44", "--disability", "maybe", code=2)
    complaints.refused("profile", refs[2])
    profile = annual(complaints)["profile"]
    assert profile["by_age_band"] == {"35-44": 2, "not recorded": 2}
    assert profile["by_ethnicity"] == {"not recorded": 3, "White British": 1}
    assert profile["by_disability"] == {"not recorded": 3, "no": 1}
    public = annual(complaints, "2024", "--suppress-below", "3")["profile"]
    assert public["by_age_band"] == {"35-44": "<3", "not recorded": "<3"}
    assert public["by_ethnicity"] == {"not recorded": 3, "White British": "<3"}
