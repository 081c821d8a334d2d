"""`{{ run.local_date | long_date }}`: the day in words in the customer's locale, in any template,
checked by validate like every other filter and rehearsed for the next runs."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gitcron.config.customer import CustomerFile, CustomerName
from gitcron.config.sandbox import TemplateError, render_template
from support import Run, variant

TO = "to: [buyer@example.com]"
RUN = {"local_date": "2026-12-07", "local": "2026-12-07T23:30:00-05:00"}


def customer(locale: str | None) -> CustomerName:
    return CustomerName("acme", CustomerFile(name="Acme", locale=locale))


@pytest.mark.parametrize(
    ("locale", "written"),
    [
        (None, "Products for 7 December 2026"),
        ("en-US", "Products for December 7, 2026"),
        ("de-DE", "Products for 7. Dezember 2026"),
        ("ja-JP", "Products for 2026年12月7日"),
    ],
)
def test_the_day_is_written_in_the_customers_locale(locale: str | None, written: str) -> None:
    context = {"run": RUN, "customer": customer(locale)}
    assert render_template("Products for {{ run.local_date | long_date }}", context) == written


def test_run_local_gives_the_day_in_the_schedules_zone() -> None:
    context = {"run": RUN, "customer": customer("en-GB")}
    assert render_template("{{ run.local | long_date }}", context) == "7 December 2026"


def test_without_a_customer_it_is_british_english() -> None:
    assert render_template("{{ run.local_date | long_date }}", {"run": RUN}) == "7 December 2026"


def test_a_value_that_is_no_day_fails_with_the_names_to_use() -> None:
    with pytest.raises(TemplateError) as caught:
        render_template("{{ run.timezone | long_date }}", {"run": {"timezone": "Europe/London"}})
    assert "long_date writes a day, such as run.local_date or run.local" in caught.value.message


def test_validate_knows_the_filter(check: Callable[..., Run]) -> None:
    run = check(variant(TO, TO + ', subject: "Products for {{ run.local_date | long_date }}"'))
    assert run.code == 0, run.both


def test_a_misspelt_filter_is_found_with_the_right_name(check: Callable[..., Run]) -> None:
    [problem] = check(variant(TO, TO + ', subject: "{{ run.local_date | long_dat }}"')).headlines()
    assert "long_dat" in problem.rest
    assert problem.fix == "did you mean 'long_date'?"


def test_a_filter_on_a_value_that_is_no_day_fails_validate(check: Callable[..., Run]) -> None:
    [problem] = check(variant(TO, TO + ', subject: "{{ run.timezone | long_date }}"')).headlines()
    assert problem.rest.startswith("delivery 1, email.subject: this template fails for")
    assert "long_date writes a day, such as run.local_date or run.local" in problem.rest
