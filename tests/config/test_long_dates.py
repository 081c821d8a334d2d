"""A day as a person writes it in a subject line, in each customer locale."""

from __future__ import annotations

from datetime import date

import pytest

from gitcron.config.customer import LOCALES, CustomerFile
from gitcron.config.long_dates import day_of, long_day

DAY = date(2026, 12, 7)


@pytest.mark.parametrize(
    ("locale", "written"),
    [
        (None, "7 December 2026"),
        ("en-GB", "7 December 2026"),
        ("en-US", "December 7, 2026"),
        ("de-DE", "7. Dezember 2026"),
        ("de-CH", "7. Dezember 2026"),
        ("fr-FR", "7 décembre 2026"),
        ("nl-NL", "7 december 2026"),
        ("es-ES", "7 de diciembre de 2026"),
        ("pt-BR", "7 de dezembro de 2026"),
        ("fi-FI", "7. joulukuuta 2026"),
        ("pl-PL", "7 grudnia 2026"),
        ("ja-JP", "2026年12月7日"),
        ("zh-CN", "2026年12月7日"),
    ],
)
def test_the_month_in_words_in_the_customers_order(locale: str | None, written: str) -> None:
    customer = CustomerFile.model_validate({"name": "Acme", "locale": locale})
    assert long_day(DAY, customer) == written


def test_every_locale_a_customer_file_may_name_has_its_words() -> None:
    for locale in LOCALES:
        customer = CustomerFile.model_validate({"name": "Acme", "locale": locale})
        text = long_day(date(2027, 1, 1), customer)
        assert "2027" in text
        assert "1" in text.replace("2027", "")


def test_the_first_of_the_month_in_french() -> None:
    customer = CustomerFile(name="Acme", locale="fr-FR")
    assert long_day(date(2027, 1, 1), customer) == "1 janvier 2027"  # CLDR's long form


def test_austrian_german_names_january_as_austrians_do() -> None:
    customer = CustomerFile(name="Acme", locale="de-AT")
    assert long_day(date(2027, 1, 1), customer) == "1. Jänner 2027"


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2026-12-07", date(2026, 12, 7)),
        ("2026-12-07T23:30:00-05:00", date(2026, 12, 7)),  # run.local: the day as written
        (date(2026, 12, 7), date(2026, 12, 7)),
    ],
)
def test_the_day_a_template_value_names(value: object, day: date) -> None:
    assert day_of(value) == day


def test_a_value_that_is_not_a_day_is_refused_with_the_names_to_use() -> None:
    with pytest.raises(ValueError, match=r"such as run\.local_date"):
        day_of("next monday")


def test_without_a_customer_file() -> None:
    assert long_day(DAY, None) == "7 December 2026"
