"""Fødselsnummer, D-number and synthetic test numbers (month + 80): parsing, messages, test-number making."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core.national_id import make_synthetic_national_id, parse_national_id, validate_national_id

TODAY = dt.date(2026, 11, 22)
CHECKSUM = "Fødselsnummeret er ikke gyldig: kontrollsifrene stemmer ikke. Sjekk at du har skrevet riktig."
LENGTH = "Fødselsnummeret må bestå av 11 siffer."


@pytest.mark.parametrize(
    ("number", "birth_date", "is_d_number", "is_synthetic"),
    [
        pytest.param("15108695088", dt.date(1986, 10, 15), False, False, id="fodselsnummer"),
        pytest.param("01129012338", dt.date(1990, 12, 1), False, False, id="fodselsnummer-2"),
        pytest.param("55108695071", dt.date(1986, 10, 15), True, False, id="d-number-day-plus-40"),
        pytest.param("15508695060", dt.date(1986, 10, 15), False, False, id="h-number-month-plus-40"),
        pytest.param("17858010039", dt.date(1980, 5, 17), False, True, id="synthetic-month-plus-80"),
        pytest.param("07830551225", dt.date(2005, 3, 7), False, True, id="synthetic-born-2000s"),
        pytest.param("47838010071", dt.date(1980, 3, 7), True, True, id="synthetic-d-number"),
    ],
)
def test_a_valid_number_is_accepted_with_its_birth_date(number, birth_date, is_d_number, is_synthetic):
    parsed = parse_national_id(number, today=TODAY)

    assert parsed.number == number
    assert parsed.birth_date == birth_date
    assert parsed.is_d_number is is_d_number
    assert parsed.is_synthetic is is_synthetic


@pytest.mark.parametrize(
    "number",
    [
        pytest.param("15108695087", id="second-check-digit"),
        pytest.param("15108695078", id="first-check-digit"),
        pytest.param("15108659088", id="swapped-digits"),
        pytest.param("17858010038", id="synthetic"),
    ],
)
def test_a_wrong_check_digit_says_the_check_digits_do_not_match(number):
    with pytest.raises(ValidationError) as exc:
        parse_national_id(number, today=TODAY)

    assert exc.value.messages == [CHECKSUM]
    assert "kontrollsifrene stemmer ikke" in exc.value.messages[0]
    assert exc.value.code == "checksum"


@pytest.mark.parametrize("number", ["1510869508", "151086950881", "", "1"])
def test_a_number_of_the_wrong_length_is_refused(number):
    with pytest.raises(ValidationError) as exc:
        parse_national_id(number, today=TODAY)

    assert exc.value.messages == [LENGTH]
    assert exc.value.code == "length"


@pytest.mark.parametrize("number", ["1510869508X", "15.10.86950", "15-10869508", "-1510869508", "1510869508½"])
def test_a_number_with_other_characters_than_digits_is_refused(number):
    with pytest.raises(ValidationError) as exc:
        parse_national_id(number, today=TODAY)

    assert exc.value.messages == [LENGTH]


@pytest.mark.parametrize("typed", ["151086 95088", " 15108695088 ", "15 10 86 950 88", "151086\t95088\n"])
def test_spaces_are_tolerated(typed):
    parsed = parse_national_id(typed, today=TODAY)

    assert parsed.number == "15108695088"
    assert parsed.birth_date == dt.date(1986, 10, 15)


def test_a_number_whose_date_does_not_exist_is_refused():
    with pytest.raises(ValidationError) as exc:
        parse_national_id("31028695015", today=TODAY)  # 31 February, with correct check digits

    assert exc.value.messages == ["Fødselsnummeret inneholder ikke en gyldig fødselsdato."]


def test_a_birth_date_in_the_future_is_refused():
    number = make_synthetic_national_id(dt.date(2026, 11, 22), 501)

    with pytest.raises(ValidationError) as exc:
        parse_national_id(number, today=dt.date(2026, 11, 21))

    assert exc.value.messages == ["Fødselsnummeret har en fødselsdato fram i tid."]
    assert parse_national_id(number, today=dt.date(2026, 11, 22)).birth_date == dt.date(2026, 11, 22)


def test_the_field_validator_accepts_a_synthetic_number_and_refuses_a_wrong_one():
    validate_national_id("17858010039")
    with pytest.raises(ValidationError):
        validate_national_id("17858010038")


@pytest.mark.parametrize(
    ("birth_date", "individual"),
    [
        (dt.date(1900, 1, 1), 1),
        (dt.date(1953, 12, 31), 1),
        (dt.date(1999, 6, 15), 0),
        (dt.date(2000, 1, 1), 500),
        (dt.date(2012, 2, 29), 502),
        (dt.date(2026, 11, 22), 501),
    ],
)
def test_a_made_synthetic_number_parses_back_to_the_same_birth_date(birth_date, individual):
    number = make_synthetic_national_id(birth_date, individual)

    parsed = parse_national_id(number, today=TODAY)
    assert len(number) == 11
    assert 81 <= int(number[2:4]) <= 92
    assert number[6:9] == f"{individual:03d}"
    assert parsed.birth_date == birth_date
    assert parsed.is_synthetic
    assert not parsed.is_d_number


@pytest.mark.parametrize(
    ("birth_date", "individual"),
    [(dt.date(2000, 1, 1), 499), (dt.date(2000, 1, 1), 1000), (dt.date(1999, 12, 31), 500), (dt.date(1980, 1, 1), -1)],
)
def test_an_individual_number_outside_the_birth_years_range_is_a_value_error(birth_date, individual):
    with pytest.raises(ValueError, match="individual number"):
        make_synthetic_national_id(birth_date, individual)


def test_an_individual_number_that_gives_no_valid_check_digit_is_a_value_error():
    # 01.01.2000 with individual number 501 gives a check digit of 10, so no number exists. This is a caller's
    # mistake, like an individual number out of range: a ValueError, not a form error for a citizen.
    with pytest.raises(ValueError, match="check digit"):
        make_synthetic_national_id(dt.date(2000, 1, 1), 501)


@pytest.mark.parametrize(
    ("day", "age"),
    [
        (dt.date(2026, 10, 14), 39),
        (dt.date(2026, 10, 15), 40),
        (dt.date(2026, 10, 16), 40),
        (dt.date(2027, 1, 1), 40),
        (dt.date(1986, 10, 15), 0),
        (dt.date(1987, 10, 14), 0),
        (dt.date(1987, 10, 15), 1),
    ],
)
def test_age_on_counts_whole_years_turning_on_the_birthday(day, age):
    assert parse_national_id("15108695088", today=TODAY).age_on(day) == age


@pytest.mark.parametrize(
    ("day", "age"),
    [(dt.date(2026, 2, 28), 13), (dt.date(2026, 3, 1), 14), (dt.date(2028, 2, 28), 15), (dt.date(2028, 2, 29), 16)],
)
def test_age_on_for_a_leap_day_birthday_turns_on_1_march_in_other_years(day, age):
    citizen = parse_national_id(make_synthetic_national_id(dt.date(2012, 2, 29), 502), today=TODAY)

    assert citizen.age_on(day) == age
