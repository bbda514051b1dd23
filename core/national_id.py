"""Norwegian national identity numbers: fødselsnummer, D-number and synthetic test numbers.

python-stdnum checks the two check digits and knows D-numbers (day + 40) and H-numbers (month + 40).
Synthetic test numbers (Skatteetaten's test population, "Test-Norge") add 80 to the month; stdnum
does not know them, so the month is normalised before the birth date is read. The check digits are
always computed on the number as given.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from stdnum.no import fodselsnummer

SYNTHETIC_MONTH_OFFSET = 80


@dataclass(frozen=True)
class NationalId:
    number: str
    birth_date: dt.date
    is_d_number: bool
    is_synthetic: bool

    def age_on(self, day: dt.date) -> int:
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))


SYNTHETIC_ONLY_MESSAGE = (
    "Simulatoren tar bare imot syntetiske testnumre, der måneden i fødselsdatoen er lagt til 80 (for eksempel "
    "17 85 80 for 17. mai 1980). Bruk en testperson fra listen eller et syntetisk nummer, aldri et ekte."
)


def parse_national_id(raw: str, *, today: dt.date | None = None, synthetic_only: bool = False) -> NationalId:
    """Parse and validate; raises ``ValidationError`` with a Norwegian message the citizen can act on.

    ``synthetic_only`` refuses a real-format number (a fødselsnummer, D-number or H-number without the 80
    added to the month) once it is otherwise valid, so a real person's number is never taken in.
    """
    number = "".join(raw.split())
    if not re.fullmatch(r"[0-9]{11}", number):  # ASCII digits: «１７…» would otherwise pass isdecimal()
        raise ValidationError("Fødselsnummeret må bestå av 11 siffer.", code="length")
    if number[9] != fodselsnummer.calc_check_digit1(number) or number[10] != fodselsnummer.calc_check_digit2(number):
        raise ValidationError(
            "Fødselsnummeret er ikke gyldig: kontrollsifrene stemmer ikke. Sjekk at du har skrevet riktig.",
            code="checksum",
        )
    month = int(number[2:4])
    synthetic = month > SYNTHETIC_MONTH_OFFSET
    dated = number[:2] + f"{month - SYNTHETIC_MONTH_OFFSET:02d}" + number[4:] if synthetic else number
    try:
        birth_date = fodselsnummer.get_birth_date(dated)
    except fodselsnummer.ValidationError:
        raise ValidationError("Fødselsnummeret inneholder ikke en gyldig fødselsdato.", code="date") from None
    if birth_date > (today or timezone.localdate()):
        raise ValidationError("Fødselsnummeret har en fødselsdato fram i tid.", code="future")
    if synthetic_only and not synthetic:
        raise ValidationError(SYNTHETIC_ONLY_MESSAGE, code="real")
    return NationalId(number=number, birth_date=birth_date, is_d_number=int(number[0]) >= 4, is_synthetic=synthetic)


def validate_national_id(value: str) -> None:
    """A model/form field validator."""
    parse_national_id(value)


def make_synthetic_national_id(birth_date: dt.date, individual: int) -> str:
    """A valid synthetic test number (month + 80) for demo data and tests: never a real person's number."""
    if birth_date.year >= 2000:
        if not 500 <= individual <= 999:
            raise ValueError("Born 2000 or later: the individual number is 500–999.")
    elif not 0 <= individual <= 499:
        raise ValueError("Born 1900–1999: use an individual number 000–499.")
    month = birth_date.month + SYNTHETIC_MONTH_OFFSET
    base = f"{birth_date.day:02d}{month:02d}{birth_date.year % 100:02d}{individual:03d}"
    first = fodselsnummer.calc_check_digit1(base)
    second = fodselsnummer.calc_check_digit2(base + first)
    if len(first) != 1 or len(second) != 1:  # a check digit of 10: no number exists with this base
        raise ValueError("No valid check digit for this individual number; try another.")
    return base + first + second
