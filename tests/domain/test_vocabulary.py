"""The one input language (domain/vocabulary.py): dates, date-times, amounts and names
as people write them, read the same way by the command line and the importer."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import errors
from domain.procedure import (
    OMBUDSMAN_DECISIONS,
    STAGE_OUTCOMES,
    TAXONOMY_KINDS,
    Taxonomy,
    check_name,
    name_of,
)
from domain.vocabulary import (
    default_label,
    name_key,
    parse_amount,
    parse_date,
    parse_moment,
    resolve_name,
)

TAXONOMY = Taxonomy()


# --------------------------------------------------------------------------- dates
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-04-08", date(2025, 4, 8)),
        ("08/04/2025", date(2025, 4, 8)),
        ("8/4/2025", date(2025, 4, 8)),
        (" 2025-04-08 ", date(2025, 4, 8)),
        ("2024-02-29", date(2024, 2, 29)),
        ("29/02/2024", date(2024, 2, 29)),
        ("2025-04-08 00:00:00", date(2025, 4, 8)),  # as spreadsheets export a date
        ("08/04/2025 00:00", date(2025, 4, 8)),
    ],
)
def test_a_date_is_read_in_either_form(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2025-02-30", "2025-02-30 is not a date (February 2025 has 28 days)"),
        ("30/02/2025", "30/02/2025 is not a date (February 2025 has 28 days)"),
        ("2023-02-29", "2023-02-29 is not a date (February 2023 has 28 days)"),
        ("31/04/2025", "31/04/2025 is not a date (April 2025 has 30 days)"),
        ("2025-13-01", "2025-13-01 is not a date (there is no month 13)"),
        ("00/04/2025", "00/04/2025 is not a date (days of the month start at 1)"),
    ],
)
def test_an_impossible_date_says_it_is_not_a_date(text: str, why: str) -> None:
    with pytest.raises(errors.BadData) as refused:
        parse_date(text)
    assert str(refused.value) == f"{why} [bad-data]"


@pytest.mark.parametrize(
    "text", ["yesterday", "2025/04/08", "8 April 2025", "08-04-2025", "20250408", "2025-04", ""]
)
def test_a_malformed_date_says_what_is_accepted(text: str) -> None:
    with pytest.raises(errors.BadData) as refused:
        parse_date(text)
    message = str(refused.value)
    assert "YYYY-MM-DD or DD/MM/YYYY" in message
    assert "\n" not in message and message.endswith("[bad-data]")


def test_a_date_with_a_time_that_is_not_a_time_is_malformed() -> None:
    with pytest.raises(errors.BadData, match="YYYY-MM-DD or DD/MM/YYYY"):
        parse_date("2025-04-08 25:99")


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_any_date_round_trips_in_both_forms(day: date) -> None:
    assert parse_date(day.isoformat()) == day
    assert parse_date(day.strftime("%d/%m/%Y")) == day
    assert parse_date(f"{day.day}/{day.month}/{day.year}") == day


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_a_date_before_1990_or_after_2100_is_refused_in_both_forms(day: date) -> None:
    for text in (day.isoformat(), day.strftime("%d/%m/%Y")):
        if 1990 <= day.year <= 2100:
            assert parse_date(text) == day
        else:
            with pytest.raises(errors.BadData, match=r"the ledger holds nothing that (early|late)"):
                parse_date(text)


@given(st.integers(1990, 2100), st.integers(1, 12), st.integers(29, 31))
def test_a_day_past_the_end_of_its_month_is_never_a_date(year: int, month: int, day: int) -> None:
    try:
        expected: date | None = date(year, month, day)
    except ValueError:
        expected = None
    for text in (f"{year}-{month:02d}-{day:02d}", f"{day:02d}/{month:02d}/{year}"):
        if expected is None:
            with pytest.raises(errors.BadData, match=f"^{text} is not a date"):
                parse_date(text)
        else:
            assert parse_date(text) == expected


# ----------------------------------------------------------------------- date-times
def test_a_bare_date_is_the_end_of_that_day_in_either_form() -> None:
    end = datetime.combine(date(2025, 5, 1), time.max)
    assert parse_moment("2025-05-01") == end
    assert parse_moment("01/05/2025") == end


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-05-01T10:30", datetime(2025, 5, 1, 10, 30)),
        ("2025-05-01 10:30:15", datetime(2025, 5, 1, 10, 30, 15)),
        ("01/05/2025 10:30", datetime(2025, 5, 1, 10, 30)),
        (
            "2025-05-01T10:30+01:00",
            datetime(2025, 5, 1, 10, 30, tzinfo=timezone(timedelta(hours=1))),
        ),
        ("2025-05-01T10:30Z", datetime(2025, 5, 1, 10, 30, tzinfo=UTC)),
    ],
)
def test_a_date_time_is_read_with_its_zone_if_written(text: str, expected: datetime) -> None:
    assert parse_moment(text) == expected
    assert parse_moment(text).tzinfo == expected.tzinfo


def test_an_impossible_or_malformed_date_time_is_refused_the_same_way() -> None:
    with pytest.raises(errors.BadData, match=r"^2025-02-30 is not a date"):
        parse_moment("2025-02-30")
    with pytest.raises(errors.BadData, match="optionally followed by a time"):
        parse_moment("next tuesday")


# ------------------------------------------------------------------------- amounts
@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("250", "250.00"),
        ("1345.50", "1345.50"),
        ("1345.5", "1345.50"),
        ("1,345", "1345.00"),
        ("£1,345.50", "1345.50"),
        ("£ 250", "250.00"),
        ("1,234,567.89", "1234567.89"),
        ("0.01", "0.01"),
        (" £75.5 ", "75.50"),
    ],
)
def test_an_amount_is_read_with_or_without_pound_sign_and_commas(text: str, amount: str) -> None:
    parsed = parse_amount(text)
    assert parsed == Decimal(amount)
    assert str(parsed) == amount  # always pounds and pence


@pytest.mark.parametrize(
    "text", ["1,34.5", "12.345", "1,2345", "12,34", "£", "abc", "1e3", "NaN", "1.", ".5", ""]
)
def test_a_malformed_amount_says_what_is_accepted(text: str) -> None:
    with pytest.raises(errors.BadData) as refused:
        parse_amount(text)
    assert "commas only between thousands, at most two decimal places" in str(refused.value)


@pytest.mark.parametrize("text", ["-5", "-£5", "£-5", "0", "0.00", "£0"])
def test_a_negative_or_zero_amount_must_be_more_than_zero(text: str) -> None:
    with pytest.raises(errors.BadData, match="must be more than zero"):
        parse_amount(text)


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999.99"), places=2))
def test_any_amount_round_trips_plain_and_with_pound_sign_and_commas(amount: Decimal) -> None:
    assert parse_amount(f"{amount}") == amount
    assert parse_amount(f"£{amount:,}") == amount


# --------------------------------------------------------------------------- names
@pytest.mark.parametrize(
    "text", ["partly-upheld", "Partly upheld", "PARTLY_UPHELD", " partly  upheld ", "Partly-Upheld"]
)
def test_an_outcome_is_read_by_name_or_label_in_any_case_or_spacing(text: str) -> None:
    assert name_of("outcome", text, STAGE_OUTCOMES) == "partly-upheld"


def test_a_reason_is_read_by_its_label_and_stored_as_its_name() -> None:
    assert TAXONOMY.name_of("reasons", "Poor communication") == "poor-communication"
    assert TAXONOMY.name_of("channels", "Via a councillor or MP") == "via-councillor-mp"
    assert TAXONOMY.name_of("channels", "via councillor mp") == "via-councillor-mp"
    assert name_of("Ombudsman decision", "Upheld, no injustice", OMBUDSMAN_DECISIONS) == (
        "upheld-no-injustice"
    )
    assert name_of(
        "Ombudsman decision", "Referred back for local resolution", OMBUDSMAN_DECISIONS
    ) == ("referred-back")
    assert TAXONOMY.name_of("age_bands", "12 to 15") == "12-15"


@pytest.mark.parametrize("kind", sorted(TAXONOMY_KINDS))
def test_every_taxonomy_name_is_read_back_from_its_name_and_its_label(kind: str) -> None:
    for name in getattr(TAXONOMY, kind):
        assert TAXONOMY.name_of(kind, name) == name
        assert TAXONOMY.name_of(kind, TAXONOMY.label(name)) == name
        assert TAXONOMY.name_of(kind, TAXONOMY.label(name).upper()) == name


def test_an_unknown_name_is_refused_with_the_nearest_names() -> None:
    with pytest.raises(errors.UnknownName) as refused:
        TAXONOMY.name_of("reasons", "Poor comunication")
    assert str(refused.value) == (
        "unknown reason 'Poor comunication'; did you mean poor-communication? [unknown-name]"
    )
    with pytest.raises(errors.UnknownName, match="did you mean partly-upheld"):
        name_of("outcome", "partially upheld", STAGE_OUTCOMES)


def test_a_name_nothing_like_any_is_refused_with_the_whole_list() -> None:
    with pytest.raises(errors.UnknownName, match="expected one of: upheld, partly-upheld"):
        name_of("outcome", "brilliant", STAGE_OUTCOMES)


def test_the_domain_check_names_the_nearest_too() -> None:
    with pytest.raises(errors.UnknownName, match="did you mean not-upheld"):
        check_name("outcome", "not-uphold", STAGE_OUTCOMES)


def test_a_councils_own_names_and_labels_are_read_and_shown() -> None:
    council = Taxonomy().extended(
        {"reasons": ["transport"], "labels": {"transport": "Home to school transport"}}
    )
    assert council.name_of("reasons", "home to school transport") == "transport"
    assert council.name_of("reasons", "Transport") == "transport"
    assert council.label("transport") == "Home to school transport"
    assert council.label("poor-communication") == "Poor communication"
    with pytest.raises(errors.UnknownName):
        Taxonomy().name_of("reasons", "transport")


def test_labels_are_the_names_words_unless_the_taxonomy_says_otherwise() -> None:
    assert default_label("poor-communication") == "Poor communication"
    assert default_label("65-and-over") == "65 and over"
    assert TAXONOMY.label("12-15") == "12 to 15"
    assert TAXONOMY.label("mp") == "MP"
    assert TAXONOMY.label("upheld_no_injustice") == "Upheld, no injustice"  # as reports key it
    assert TAXONOMY.label("partly_upheld") == "Partly upheld"


@given(st.text(min_size=1, max_size=30))
def test_reading_a_name_either_gives_a_listed_name_or_refuses(text: str) -> None:
    try:
        name = resolve_name("outcome", text, STAGE_OUTCOMES)
    except errors.BadData as refusal:
        assert "\n" not in str(refusal)
    else:
        assert name in STAGE_OUTCOMES
        assert name_key(text) == name_key(name)


def test_labels_in_the_settings_must_be_a_table_of_name_and_label() -> None:
    with pytest.raises(errors.BadData, match="expected a table of name = label"):
        Taxonomy().extended({"labels": ["transport"]})
