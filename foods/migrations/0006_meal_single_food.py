from django.db import migrations, models


def flag_snack_foods(apps, schema_editor):
    """Flag the one-food snacks the week's picker made before the flag existed.

    They are the user's, one serving, snack only, with one line named as the picker names
    them: "<food>, <amount>", the amount being the line's text.
    """
    Meal = apps.get_model("foods", "Meal")
    candidates = (
        Meal.objects.filter(
            owner__isnull=False,
            copied_from__isnull=True,
            servings=1,
            fits_snack=True,
            fits_breakfast=False,
            fits_lunch=False,
            fits_dinner=False,
            instructions="",
        )
        .annotate(lines=models.Count("ingredients"))
        .filter(lines=1)
    )
    flagged = []
    for meal in candidates.prefetch_related("ingredients__food"):
        (line,) = meal.ingredients.all()
        if line.text and meal.name == f"{line.food.name[: 195 - len(line.text)]}, {line.text}":
            flagged.append(meal.pk)
    Meal.objects.filter(pk__in=flagged).update(single_food=True)


class Migration(migrations.Migration):
    dependencies = [
        ("foods", "0005_user_recipes"),
    ]

    operations = [
        migrations.AddField(
            model_name="meal",
            name="single_food",
            field=models.BooleanField(
                db_default=False,
                default=False,
                help_text="One food added as a snack from the week.",
            ),
        ),
        migrations.RunPython(flag_snack_foods, migrations.RunPython.noop),
    ]
