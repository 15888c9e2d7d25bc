from django.db import migrations

ALLERGENS = [
    ("milk", "Milk"),
    ("egg", "Egg"),
    ("fish", "Fish"),
    ("shellfish", "Shellfish"),
    ("tree_nuts", "Tree nuts"),
    ("peanuts", "Peanuts"),
    ("wheat", "Wheat / gluten"),
    ("soy", "Soy"),
    ("sesame", "Sesame"),
]


def create_allergens(apps, schema_editor):
    Allergen = apps.get_model("foods", "Allergen")
    for code, name in ALLERGENS:
        Allergen.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("foods", "0001_initial")]

    operations = [migrations.RunPython(create_allergens, migrations.RunPython.noop)]
