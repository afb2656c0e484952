"""The register value: names resolved in any case and spacing, aliases to their register
name, validity dates inclusive, and the nearest names offered when one is refused."""

from __future__ import annotations

from datetime import date

import pytest

from domain.complaint import Complaint
from domain.errors import BadData, UnknownServiceArea, UnknownTeam
from domain.procedure import ProcedurePolicy
from domain.registers import SERVICE_AREA, TEAM, Register, RegisterEntry

TEAMS = Register(
    TEAM,
    (
        RegisterEntry("Locality North"),
        RegisterEntry("Locality South"),
        RegisterEntry("Locality East", valid_from=date(2020, 4, 1), valid_until=date(2024, 3, 31)),
        RegisterEntry("Front Door (MASH)", aliases=("Front Door", "MASH")),
    ),
)
DAY = date(2025, 4, 1)


def test_a_name_is_found_in_any_case_and_spacing() -> None:
    assert TEAMS.resolve("  locality   NORTH ", DAY) == "Locality North"


def test_an_alias_resolves_to_its_register_name() -> None:
    assert TEAMS.resolve("mash", DAY) == "Front Door (MASH)"
    assert TEAMS.resolve("Front Door", DAY) == "Front Door (MASH)"


def test_validity_dates_are_inclusive() -> None:
    assert TEAMS.resolve("Locality East", date(2020, 4, 1)) == "Locality East"
    assert TEAMS.resolve("Locality East", date(2024, 3, 31)) == "Locality East"
    for day in (date(2020, 3, 31), date(2024, 4, 1)):
        with pytest.raises(UnknownTeam, match="not in use on"):
            TEAMS.resolve("Locality East", day)


def test_an_unknown_name_is_refused_with_the_nearest_names_in_use_that_day() -> None:
    with pytest.raises(UnknownTeam) as refused:
        TEAMS.resolve("Locality Est", DAY)
    # Best first; Locality East is no longer in use on the day, so it is not offered.
    assert "did you mean 'Locality South' or 'Locality North'?" in str(refused.value)
    assert str(refused.value).endswith("[unknown-team]")


def test_a_misspelt_alias_offers_its_register_name() -> None:
    with pytest.raises(UnknownTeam, match="did you mean 'Front Door \\(MASH\\)'"):
        TEAMS.resolve("Frnt Door", DAY)


def test_a_blank_name_is_bad_data() -> None:
    with pytest.raises(BadData, match="must not be blank"):
        TEAMS.resolve("   ", DAY)


def test_a_service_area_is_refused_with_its_own_rule() -> None:
    areas = Register(SERVICE_AREA, (RegisterEntry("Children in Need"),))
    with pytest.raises(UnknownServiceArea, match="did you mean 'Children in Need'"):
        areas.resolve("Childrn in Need", DAY)


def test_an_alias_out_of_use_names_its_register_name() -> None:
    register = Register(
        TEAM, (RegisterEntry("Locality East", aliases=("LE",), valid_until=date(2024, 3, 31)),)
    )
    with pytest.raises(UnknownTeam, match="team 'LE' \\('Locality East'\\) is not in use"):
        register.resolve("LE", DAY)


def test_a_case_records_its_team_and_service_area_as_the_councils_registers_name_them() -> None:
    """Each name is resolved in its own register, as it stood on the day received."""
    areas = Register(SERVICE_AREA, (RegisterEntry("Children in Need", aliases=("CIN",)),))
    policy = ProcedurePolicy(today=date(2026, 11, 23), teams=TEAMS, service_areas=areas)
    complaint = Complaint.receive(
        ref="R-1", on=DAY, actor="t", policy=policy, team="mash", service_area="cin"
    )
    assert (complaint.team, complaint.service_area) == ("Front Door (MASH)", "Children in Need")
    with pytest.raises(UnknownTeam):
        Complaint.receive(ref="R-2", on=DAY, actor="t", policy=policy, team="Locality East")
    with pytest.raises(UnknownServiceArea):
        Complaint.receive(ref="R-3", on=DAY, actor="t", policy=policy, service_area="mash")
    old = Complaint.receive(
        ref="R-4", on=date(2023, 4, 1), actor="t", policy=policy, team="locality east"
    )
    assert old.team == "Locality East"
