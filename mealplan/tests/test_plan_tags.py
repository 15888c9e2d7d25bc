from decimal import Decimal

import pytest
from django.template import Context, Template

from mealplan.models import SERVINGS_MAX, SERVINGS_MIN, SERVINGS_STEP
from mealplan.templatetags.plan_tags import servings_label


@pytest.mark.parametrize(
    ("servings", "label"),
    [
        (Decimal("0.5"), "½ serving"),
        (Decimal("1"), "1 serving"),
        (Decimal("1.0"), "1 serving"),
        (Decimal("1.5"), "1½ servings"),
        (Decimal("2"), "2 servings"),
        (Decimal("2.5"), "2½ servings"),
        (Decimal("4.0"), "4 servings"),
        (1.5, "1½ servings"),
        (Decimal("1.3"), "1.3 servings"),
    ],
)
def test_servings_label(servings, label):
    assert servings_label(servings) == label


@pytest.mark.parametrize("value", [None, "abc", "NaN", ""])
def test_servings_label_of_nonsense_is_empty(value):
    assert servings_label(value) == ""


def test_servings_field_takes_its_limits_from_the_form():
    html = Template(
        "{% load plan_tags %}{% servings_form 7 servings as form %}{{ form.servings }}"
    ).render(Context({"servings": Decimal("1.5")}))
    assert 'id="servings-7-servings"' in html
    assert f'min="{SERVINGS_MIN}"' in html and f'max="{SERVINGS_MAX}"' in html
    assert f'step="{SERVINGS_STEP}"' in html
    assert 'value="1.5"' in html


def test_whole_servings_show_without_a_decimal():
    html = Template("{% load plan_tags %}{% servings_form 7 servings as form %}{{ form.servings }}")
    assert 'value="2"' in html.render(Context({"servings": Decimal("2.0")}))
