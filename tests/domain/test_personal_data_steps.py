"""What a case records about its personal data (ADR 0021): erasures, legal holds,
subject access and the equality monitoring profile, as the Complaint aggregate's rules
allow them. The command-line and ledger tests show the keys destroyed and the exports;
these are the fast ones the mutation check runs.
"""

from __future__ import annotations

from datetime import date

import pytest

from domain import errors
from domain.complaint import Complaint
from tests.domain.test_complaint_rules import (
    POLICY,
    RECEIVED,
    TEAM,
    TODAY,
    received,
    refused,
    replay,
    stage2_investigated,
)

ERASED_ON = date(2026, 11, 2)
DPO = "data-protection-officer"


def erased(complaint: Complaint, subject: str, on: date = ERASED_ON) -> Complaint.Erased:
    complaint.erase(on=on, actor=DPO, policy=POLICY, subject=subject, basis="their request")
    event = complaint.pending_events[-1]
    assert isinstance(event, Complaint.Erased)
    return event


# --------------------------------------------------------------------- erasure
def test_an_erasure_records_its_subject_basis_day_and_who_recorded_it() -> None:
    complaint = received()
    event = erased(complaint, "complainant")
    assert (event.on, event.actor, event.subject, event.basis) == (
        ERASED_ON,
        DPO,
        "complainant",
        "their request",
    )
    assert complaint.erasures == [event]
    assert complaint.erasure_of("complainant") is event
    assert complaint.erasure_of("child") is None
    again = replay(complaint.pending_events)
    assert [e.subject for e in again.erasures] == ["complainant"]


def test_an_erasure_of_all_covers_every_subject_and_refuses_each_after_it() -> None:
    complaint = received()
    everything = erased(complaint, "all")
    for subject in ("complainant", "child", "case", "all"):
        assert complaint.erasure_of(subject) is everything
    with pytest.raises(errors.AlreadyErased) as info:
        complaint.erase(
            on=ERASED_ON, actor=DPO, policy=POLICY, subject="child", basis="their request"
        )
    assert "(subject all)" in info.value.message
    assert f"already erased on {ERASED_ON.isoformat()} by {DPO}" in info.value.message


def test_erasing_a_subject_twice_is_refused() -> None:
    complaint = received()
    erased(complaint, "child")
    with refused(complaint, errors.AlreadyErased):
        erased(complaint, "child")
    erased(complaint, "complainant")
    assert [e.subject for e in complaint.erasures] == ["child", "complainant"]


def test_an_erasure_without_a_basis_is_refused() -> None:
    complaint = received()
    for basis in ("", "   "):
        with refused(complaint, errors.BadData):
            complaint.erase(on=ERASED_ON, actor=DPO, policy=POLICY, subject="child", basis=basis)


def test_an_erasure_of_an_unknown_subject_is_refused() -> None:
    complaint = received()
    for subject in ("neighbour", "person:", "person: "):
        with refused(complaint, errors.UnknownSubject):
            erased(complaint, subject)


def test_a_person_may_be_erased_only_if_appointed_to_the_case() -> None:
    complaint = stage2_investigated()
    with refused(complaint, errors.UnknownSubject):
        erased(complaint, "person:IO-9")
    assert erased(complaint, "person:IO-1").subject == "person:IO-1"
    assert erased(complaint, "person:IP-7").subject == "person:IP-7"


def test_an_erasure_dated_after_today_is_refused_and_today_is_accepted() -> None:
    complaint = received()
    with refused(complaint, errors.DateOutOfOrder):
        erased(complaint, "child", on=date(2026, 11, 24))
    assert erased(complaint, "child", on=TODAY).on == TODAY


# --------------------------------------------------------------------- legal holds
def test_a_legal_hold_stops_erasure_until_it_is_lifted() -> None:
    complaint = received()
    complaint.place_hold(on=date(2026, 10, 1), actor="solicitor", policy=POLICY, reason="claim")
    placed = complaint.pending_events[-1]
    assert isinstance(placed, Complaint.HoldPlaced)
    assert (placed.on, placed.actor, placed.reason) == (date(2026, 10, 1), "solicitor", "claim")
    assert complaint.legal_hold is placed
    with pytest.raises(errors.UnderLegalHold) as info:
        erased(complaint, "child")
    assert "placed on 2026-10-01 by solicitor" in info.value.message
    assert complaint.erasures == []
    complaint.lift_hold(on=date(2026, 10, 1), actor="solicitor", policy=POLICY, reason="settled")
    lifted = complaint.pending_events[-1]
    assert isinstance(lifted, Complaint.HoldLifted)
    assert (lifted.on, lifted.actor, lifted.reason) == (date(2026, 10, 1), "solicitor", "settled")
    assert complaint.legal_hold is None
    assert replay(complaint.pending_events).legal_hold is None
    assert erased(complaint, "child").subject == "child"


def test_a_second_hold_while_one_is_in_force_is_refused() -> None:
    complaint = received()
    complaint.place_hold(on=date(2026, 10, 1), actor="solicitor", policy=POLICY, reason="claim")
    with refused(complaint, errors.UnderLegalHold):
        complaint.place_hold(on=date(2026, 10, 2), actor="s", policy=POLICY, reason="another")
    complaint.lift_hold(on=date(2026, 10, 3), actor="s", policy=POLICY, reason="settled")
    complaint.place_hold(on=date(2026, 10, 4), actor="s", policy=POLICY, reason="new claim")
    assert complaint.legal_hold is complaint.pending_events[-1]


def test_a_hold_without_a_reason_or_after_today_is_refused() -> None:
    complaint = received()
    for reason in ("", " "):
        with refused(complaint, errors.BadData):
            complaint.place_hold(on=date(2026, 10, 1), actor="s", policy=POLICY, reason=reason)
    with refused(complaint, errors.DateOutOfOrder):
        complaint.place_hold(on=date(2026, 11, 24), actor="s", policy=POLICY, reason="claim")
    complaint.place_hold(on=TODAY, actor="s", policy=POLICY, reason="claim")


def test_lifting_a_hold_is_refused_without_one_without_a_reason_or_before_it() -> None:
    complaint = received()
    with refused(complaint, errors.NoLegalHold):
        complaint.lift_hold(on=date(2026, 10, 1), actor="s", policy=POLICY, reason="settled")
    complaint.place_hold(on=date(2026, 10, 1), actor="s", policy=POLICY, reason="claim")
    for reason in ("", " "):
        with refused(complaint, errors.BadData):
            complaint.lift_hold(on=date(2026, 10, 2), actor="s", policy=POLICY, reason=reason)
    with refused(complaint, errors.BadData):
        complaint.lift_hold(on=date(2026, 9, 30), actor="s", policy=POLICY, reason="settled")
    with refused(complaint, errors.DateOutOfOrder):
        complaint.lift_hold(on=date(2026, 11, 24), actor="s", policy=POLICY, reason="settled")
    complaint.lift_hold(on=TODAY, actor="s", policy=POLICY, reason="settled")
    assert complaint.legal_hold is None


# --------------------------------------------------------------------- subject access
def test_subject_access_is_recorded_for_a_known_subject_only() -> None:
    complaint = received()
    complaint.give_subject_access(on=ERASED_ON, actor=DPO, policy=POLICY, subject="complainant")
    event = complaint.pending_events[-1]
    assert isinstance(event, Complaint.SubjectAccessGiven)
    assert (event.on, event.actor, event.subject) == (ERASED_ON, DPO, "complainant")
    with refused(complaint, errors.UnknownSubject):
        complaint.give_subject_access(on=ERASED_ON, actor=DPO, policy=POLICY, subject="aunt")


# --------------------------------------------------------------------- monitoring profile
def test_a_profile_records_what_the_complainant_gave_and_a_later_one_replaces_it() -> None:
    complaint = received()
    complaint.record_profile(
        on=RECEIVED, actor=TEAM, policy=POLICY, age_band="16-17", disability="no"
    )
    event = complaint.pending_events[-1]
    assert isinstance(event, Complaint.ProfileRecorded)
    assert (event.on, event.actor) == (RECEIVED, TEAM)
    assert (event.age_band, event.ethnicity, event.disability) == ("16-17", None, "no")
    expected = {"age_band": "16-17", "ethnicity": None, "disability": "no"}
    assert complaint.profile == expected
    assert replay(complaint.pending_events).profile == expected
    complaint.record_profile(on=TODAY, actor=TEAM, policy=POLICY, ethnicity="Mixed")
    assert complaint.profile == {"age_band": None, "ethnicity": "Mixed", "disability": None}


@pytest.mark.parametrize(
    "given",
    [{"age_band": "12-15"}, {"ethnicity": "White British"}, {"disability": "prefer-not-to-say"}],
)
def test_a_profile_of_any_one_answer_is_recorded(given: dict[str, str]) -> None:
    complaint = received()
    complaint.record_profile(on=RECEIVED, actor=TEAM, policy=POLICY, **given)
    assert {k: v for k, v in complaint.profile.items() if v is not None} == given


def test_a_profile_with_no_answer_is_refused() -> None:
    complaint = received()
    with refused(complaint, errors.BadData):
        complaint.record_profile(on=RECEIVED, actor=TEAM, policy=POLICY)


def test_a_profile_with_an_unknown_age_band_or_disability_answer_is_refused() -> None:
    complaint = received()
    with refused(complaint, errors.UnknownName):
        complaint.record_profile(on=RECEIVED, actor=TEAM, policy=POLICY, age_band="teen")
    with refused(complaint, errors.UnknownName):
        complaint.record_profile(on=RECEIVED, actor=TEAM, policy=POLICY, disability="maybe")


def test_a_profile_with_a_blank_ethnicity_is_refused() -> None:
    complaint = received()
    for blank in ("", "  "):
        with refused(complaint, errors.BadData):
            complaint.record_profile(on=RECEIVED, actor=TEAM, policy=POLICY, ethnicity=blank)


def test_a_profile_dated_before_receipt_or_after_today_is_refused() -> None:
    complaint = received()
    with refused(complaint, errors.DateOutOfOrder):
        complaint.record_profile(on=date(2026, 5, 10), actor=TEAM, policy=POLICY, age_band="16-17")
    with refused(complaint, errors.DateOutOfOrder):
        complaint.record_profile(on=date(2026, 11, 24), actor=TEAM, policy=POLICY, age_band="16-17")
