"""Spreadsheet formula injection: exported text cells never start a formula."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.forms import SelectableFieldsExportForm

from foods.models import Food
from foods.resources import FoodResource, spreadsheet_safe
from foods.tests.factories import FoodFactory

HOSTILE_NAMES = ['=HYPERLINK("http://x","y")', "@SUM(A1)", "+1+2", "-2+3", "\tTab", "\rReturn"]


@pytest.mark.parametrize("text", HOSTILE_NAMES)
def test_a_cell_that_would_start_a_formula_gets_a_leading_quote(text):
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("value", ["Spinach, raw", "", "1.5", "a=b", "'quoted", None, 42])
def test_other_cells_are_left_alone(value):
    assert spreadsheet_safe(value) == value


@pytest.fixture
def admin_client(client, django_user_model):
    boss = django_user_model.objects.create_superuser(
        username="boss", email="boss@example.com", password="x"
    )
    client.force_login(boss, backend="django.contrib.auth.backends.ModelBackend")
    return client


def admin_export(client) -> list[dict[str, str]]:
    fields = {
        SelectableFieldsExportForm.create_boolean_field_name(FoodResource, name): "on"
        for name in FoodResource().get_export_order()
    }
    response = client.post(
        reverse("admin:foods_food_export"), {"format": "0", "resource": "0", **fields}
    )
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.mark.django_db
def test_admin_export_escapes_formulae(admin_client):
    for name in HOSTILE_NAMES[:2]:
        FoodFactory(name=name, brand="@brand", magnesium_mg_per_100g=79)

    rows = admin_export(admin_client)

    assert sorted(row["name"] for row in rows) == sorted("'" + name for name in HOSTILE_NAMES[:2])
    assert {row["brand"] for row in rows} == {"'@brand"}
    assert {row["magnesium_mg_per_100g"] for row in rows} == {"79.0"}


@pytest.mark.django_db
def test_admin_export_then_import_keeps_the_names(admin_client):
    food = FoodFactory(name='=HYPERLINK("http://x","y")', source_ref="99001")
    rows = admin_export(admin_client)
    assert rows[0]["name"].startswith("'=")
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)

    response = admin_client.post(
        reverse("admin:foods_food_import"),
        {"format": "0", "import_file": SimpleUploadedFile("foods.csv", text.getvalue().encode())},
    )
    form = response.context["confirm_form"]
    admin_client.post(
        reverse("admin:foods_food_process_import"),
        {name: form[name].value() for name in form.fields},
    )

    assert Food.objects.get(pk=food.pk).name == '=HYPERLINK("http://x","y")'
