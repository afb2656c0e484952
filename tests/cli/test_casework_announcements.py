"""Every recording command of issue 16's groups says on stderr what it recorded, with
its effective date, as the other recording commands do (ADR 0043); stdout keeps only
what it prints (a number, a reference)."""

from __future__ import annotations

from tests.cli.conftest import Complaints


def recorded(complaints: Complaints, *args: str) -> tuple[str, str]:
    result = complaints(*args)
    assert result.exit_code == 0, (args, result.output, result.stderr)
    return result.stdout.strip(), result.stderr.strip()


def test_register_and_access_request_commands_announce_what_they_recorded(
    complaints: Complaints,
) -> None:
    case = complaints.ok("receive", "--on", "2025-04-07", "--procedure", "corporate")
    number, said = recorded(
        complaints, "restriction", "decide", case, "--on", "2025-06-02", "--kind",
        "written-contact-only", "--scope", "all contact", "--reason", "abusive calls",
        "--review-on", "2025-12-02",
    )  # fmt: skip
    assert number == "1"
    assert said == f"Recorded {case}: RestrictionDecided on 2025-06-02 (version 2)"
    _, said = recorded(
        complaints, "restriction", "review", case, "1", "--on", "2025-12-01", "--outcome",
        "continued", "--next-review-on", "2026-06-01", "--notes", "calls continue",
    )  # fmt: skip
    assert said == f"Recorded {case}: RestrictionReviewed on 2025-12-01 (version 3)"
    _, said = recorded(
        complaints, "adjustment", "agree", case, "--on", "2025-04-09", "--kind",
        "large-print", "--detail", "18pt letters",
    )  # fmt: skip
    assert said.startswith(f"Recorded {case}: ") and "on 2025-04-09 (version 4)" in said

    ref, said = recorded(
        complaints, "access-request", "receive", "--on", "2025-04-07", "--service-area",
        "Children Looked After",
    )  # fmt: skip
    assert said.splitlines()[-1] == f"Recorded {ref}: Received on 2025-04-07 (version 1)"
    steps = [
        ("Extended on 2025-04-20", "extend", "--on", "2025-04-20", "--reason", "three teams"),
        ("Responded on 2025-06-20", "respond", "--on", "2025-06-20", "--outcome",
         "disclosed-in-part"),
        ("ReviewRequested on 2025-06-25", "review", "--on", "2025-06-25"),
        ("ReviewDecided on 2025-07-10", "review", "--on", "2025-07-10", "--outcome",
         "response-upheld"),
    ]  # fmt: skip
    for version, (step, command, *options) in enumerate(steps, start=2):
        out, said = recorded(complaints, "access-request", command, ref, *options)
        assert out == ""
        assert said == f"Recorded {ref}: {step} (version {version})"


def test_case_commands_of_the_new_groups_announce_what_they_recorded(
    complaints: Complaints,
) -> None:
    first = complaints.ok("receive", "--on", "2024-05-01", "--procedure", "statutory")
    second = complaints.ok("receive", "--on", "2024-05-02", "--procedure", "statutory")
    for args, step in (
        (("link", first, second, "--kind", "same-family", "--on", "2024-05-03"), "CaseLinked"),
        (("joint", "record", first, "--on", "2024-05-03", "--with", "nhs", "--lead", "council"),
         "JointComplaintRecorded"),
        (("respond", first, "--on", "2024-05-10", "--outcome", "not-upheld"), "Responded"),
        (("reopen", first, "--on", "2024-05-20", "--reason", "point 2"), "StageReopened"),
    ):  # fmt: skip
        _, said = recorded(complaints, *args)
        assert said.startswith(f"Recorded {first}: {step} on "), said
