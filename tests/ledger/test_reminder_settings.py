"""The owners and reminder rules of the settings file (ADR 0033): the example is read;
a mistaken entry is refused in one line that names it."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from domain.errors import BadData
from domain.reminders import ReminderRules
from ledger.settings import load_reminder_settings, reminders_from_settings

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "complaints.toml"


def test_the_example_owners_and_rules_are_read() -> None:
    settings = load_reminder_settings(str(EXAMPLE))
    assert settings.rules == ReminderRules()
    owners = settings.owners
    north = owners.of_team("Locality North", date(2025, 4, 1))
    assert north is not None and north.deputy == "locality.north.deputy@exampleshire.gov.uk"
    assert owners.of_team("Locality East", date(2024, 3, 31)) is not None
    assert owners.of_team("Locality East", date(2024, 4, 1)) is None  # merged away
    cared = owners.of_case("Children in Care 1", "Children in Care", date(2025, 4, 1))
    assert cared is not None and cared.manager == "children-in-care@exampleshire.gov.uk"


def test_without_settings_nobody_owns_anything_and_the_rules_are_the_defaults() -> None:
    settings = reminders_from_settings({})
    assert settings.owners.entries == ()
    assert settings.rules.response_before == 3 and settings.rules.escalate_after == 5


def test_a_recommendations_owner_is_its_address_or_its_team_else_the_cases_team() -> None:
    owners = load_reminder_settings(str(EXAMPLE)).owners
    on = date(2025, 4, 1)
    by_address = owners.of_recommendation("someone@exampleshire.gov.uk", "Locality North", None, on)
    assert by_address is not None and by_address.manager == "someone@exampleshire.gov.uk"
    assert by_address.escalation == "head.children-in-need@exampleshire.gov.uk"
    by_team = owners.of_recommendation("Front Door (MASH)", "Locality North", None, on)
    assert by_team is not None and by_team.manager == "front.door@exampleshire.gov.uk"
    fallback = owners.of_recommendation("Nobody's Team", "Locality North", None, on)
    assert fallback is not None and fallback.manager == "locality.north@exampleshire.gov.uk"


@pytest.mark.parametrize(
    ("toml", "said"),
    [
        ('[[owners]]\nmanager = "a@x.gov.uk"\nescalation = "b@x.gov.uk"', "owners, entry 1"),
        (
            '[[owners]]\nteam = "T"\nmanager = "not an address"\nescalation = "b@x.gov.uk"',
            "'T': manager 'not an address' is not an e-mail address",
        ),
        ('[[owners]]\nteam = "T"\nmanager = "a@x.gov.uk"', "'T': escalation is required"),
        (
            '[[owners]]\nteam = "T"\nmanager = "a@x.gov.uk"\nescalation = "b@x.gov.uk"\n'
            'boss = "c@x.gov.uk"',
            "unknown key 'boss'",
        ),
        (
            '[[owners]]\nteam = "T"\nmanager = "a@x.gov.uk"\nescalation = "b@x.gov.uk"\n'
            "valid_from = 2025-04-01\nvalid_until = 2025-03-01",
            "valid_until 2025-03-01 is before valid_from 2025-04-01",
        ),
        (
            '[[owners]]\nteam = "T"\nmanager = "a@x.gov.uk"\nescalation = "b@x.gov.uk"\n'
            '[[owners]]\nteam = "T"\nmanager = "c@x.gov.uk"\nescalation = "b@x.gov.uk"',
            "owners, entry 2: 'T' already has an owner",
        ),
        ("[reminders]\nresponse_before = -1", "reminders.response_before"),
        ("[reminders]\nsoon = 2", "unknown reminders setting 'soon'"),
        ('owners = "everyone"', "owners must be a list of tables"),
    ],
)
def test_a_mistaken_owner_or_rule_is_refused_naming_it(toml: str, said: str) -> None:
    with pytest.raises(BadData) as refused:
        reminders_from_settings(tomllib.loads(toml), "complaints.toml")
    message = refused.value.message
    assert said in message and message.startswith("complaints.toml: ")
    assert "\n" not in message
