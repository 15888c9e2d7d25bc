import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from foods.importers.load import foods_import
from foods.importers.records import Dataset, FoodRecord
from foods.models import Category, Food, Portion
from foods.tests.factories import FoodFactory

DATA = Path(__file__).parent / "data"
SR28 = DATA / "sr28"
FDC = DATA / "fdc"

pytestmark = pytest.mark.django_db


def import_usda(*args: str) -> str:
    out = StringIO()
    call_command("import_usda", "--no-progress", *args, stdout=out)
    return out.getvalue()


def food(ref: str, kind: str = "sr28") -> Food:
    return Food.objects.get(source_kind=kind, source_ref=ref)


def test_sample_imports_every_food_portion_and_group():
    output = import_usda("--sr28-dir", str(SR28))

    assert Food.objects.filter(source_kind="sr28").count() == 15
    assert Portion.objects.count() == 40
    assert "15 created" in output
    assert set(Category.objects.values_list("usda_group_code", flat=True)) == {
        "0100", "0900", "1100", "1200", "1300", "1400", "1500", "1600", "2000",
    }  # fmt: skip


def test_nutrients_per_100g_from_sr28():
    import_usda("--sr28-dir", str(SR28))

    spinach = food("11457")
    assert spinach.name == "Spinach, raw"
    assert spinach.category.name == "Vegetables and Vegetable Products"
    assert spinach.magnesium_mg_per_100g == 79
    assert spinach.kcal_per_100g == 23
    assert spinach.protein_g_per_100g == pytest.approx(2.86)
    assert spinach.fiber_g_per_100g == pytest.approx(2.2)
    assert spinach.sodium_mg_per_100g == 79
    assert spinach.potassium_mg_per_100g == 558
    assert spinach.calcium_mg_per_100g == 99
    assert spinach.source_label == "USDA SR28 #11457"


def test_a_nutrient_missing_from_the_data_is_unknown_not_zero():
    import_usda("--sr28-dir", str(SR28))

    smoothie = food("14086")
    assert smoothie.magnesium_mg_per_100g is None
    assert smoothie.kcal_per_100g is not None


def test_portions_name_amount_and_measure_and_default_is_the_first():
    import_usda("--sr28-dir", str(SR28))

    portions = list(food("11457").portions.values_list("seq", "name", "grams", "is_default"))
    assert portions == [
        (1, "1 cup", 30, True),
        (2, "1 bunch", 340, False),
        (3, "1 leaf", 10, False),
        (4, "1 package (10 oz)", 284, False),
    ]


def test_allergens_and_diets_inferred_from_group_and_name():
    import_usda("--sr28-dir", str(SR28))

    def summary(ref):
        f = food(ref)
        codes = set(f.allergens.values_list("code", flat=True))
        return codes, (f.vegan, f.vegetarian, f.pescatarian), f.diets_reviewed

    assert summary("15149") == ({"shellfish"}, (False, False, True), False)
    assert summary("15076") == ({"fish"}, (False, False, True), False)
    assert summary("01077") == ({"milk"}, (False, True, True), False)
    assert summary("01123") == ({"egg"}, (False, True, True), False)
    assert summary("12061") == ({"tree_nuts"}, (True, True, True), False)
    assert summary("16087") == ({"peanuts"}, (True, True, True), False)
    assert summary("16426") == ({"soy"}, (True, True, True), False)
    assert summary("20013") == ({"wheat"}, (True, True, True), False)
    assert summary("23567") == (set(), (False, False, False), False)
    assert summary("16009") == (set(), (False, False, False), False)  # beans with pork
    assert summary("14086") == (set(), (False, False, False), False)  # beverages: unknown


def test_second_run_updates_and_never_duplicates():
    import_usda("--sr28-dir", str(SR28))
    spinach = food("11457")
    spinach.magnesium_mg_per_100g = 1
    spinach.save()

    output = import_usda("--sr28-dir", str(SR28))

    assert Food.objects.count() == 15
    assert Portion.objects.count() == 40
    assert food("11457").magnesium_mg_per_100g == 79
    assert "0 created, 1 updated, 14 unchanged" in output
    assert food("12061").allergens.count() == 1


def test_second_run_keeps_curator_reviewed_allergens_and_diets():
    import_usda("--sr28-dir", str(SR28))
    beans = food("16009")
    beans.diets_reviewed = True
    beans.pescatarian = True
    beans.save()
    beans.allergens.set([])
    almonds = food("12061")
    almonds.vegan = False  # not reviewed: the importer restores it
    almonds.save()

    import_usda("--sr28-dir", str(SR28))

    beans = food("16009")
    assert (beans.pescatarian, beans.diets_reviewed) == (True, True)
    assert food("12061").vegan is True


def test_keeps_a_default_portion_chosen_by_a_curator():
    import_usda("--sr28-dir", str(SR28))
    spinach = food("11457")
    spinach.portions.update(is_default=False)
    spinach.portions.filter(seq=3).update(is_default=True)

    import_usda("--sr28-dir", str(SR28))

    assert list(spinach.portions.filter(is_default=True).values_list("seq", flat=True)) == [3]


def test_only_imports_the_given_ndb_numbers():
    import_usda("--sr28-dir", str(SR28), "--only", "11457", "12061")

    assert set(Food.objects.values_list("source_ref", flat=True)) == {"11457", "12061"}
    assert set(Category.objects.values_list("usda_group_code", flat=True)) == {"1100", "1200"}


def test_only_with_an_unknown_number_is_refused():
    with pytest.raises(CommandError, match="99999"):
        import_usda("--sr28-dir", str(SR28), "--only", "11457", "99999")

    assert not Food.objects.exists()


def corrupt(tmp_path: Path, filename: str, line: int, text: str) -> Path:
    """Copy the sample with one line of one file replaced."""
    target = tmp_path / "sr28"
    shutil.copytree(SR28, target)
    path = target / filename
    lines = path.read_bytes().split(b"\r\n")
    lines[line - 1] = text.encode("cp1252")
    path.write_bytes(b"\r\n".join(lines))
    return target


def test_a_bad_line_rolls_back_everything_and_names_the_line(tmp_path):
    spinach = FoodFactory(source_kind="sr28", source_ref="11457", magnesium_mg_per_100g=1)
    bad = corrupt(tmp_path, "NUT_DATA.txt", 37, "~11457~^~304~^lots^7^4.794^~1~^~~^~~^~~^^^^^^^~~^")

    with pytest.raises(CommandError, match=r"NUT_DATA\.txt, line 37: .*'lots' is not a number"):
        import_usda("--sr28-dir", str(bad))

    assert list(Food.objects.all()) == [spinach]
    spinach.refresh_from_db()
    assert spinach.magnesium_mg_per_100g == 1


@pytest.mark.parametrize(
    ("filename", "line", "text", "message"),
    [
        ("NUT_DATA.txt", 5, "~01077~^~304~^-3^^", r"NUT_DATA\.txt, line 5: .*non-negative"),
        ("WEIGHT.txt", 2, "~01077~^2^1^~cup~^0^^", r"WEIGHT\.txt, line 2: gram weight"),
        ("WEIGHT.txt", 3, "~77777~^1^1^~cup~^10^^", r"WEIGHT\.txt, line 3: unknown NDB"),
        ("FOOD_DES.txt", 2, "~01123~^~9999~^~Egg~", r"FOOD_DES\.txt, line 2: unknown food group"),
        ("FOOD_DES.txt", 4, "~11457~", r"FOOD_DES\.txt, line 4: expected 3 fields"),
    ],
)
def test_bad_lines_are_reported_with_their_number(tmp_path, filename, line, text, message):
    bad = corrupt(tmp_path, filename, line, text)

    with pytest.raises(CommandError, match=message):
        import_usda("--sr28-dir", str(bad))

    assert not Food.objects.exists()
    assert not Portion.objects.exists()


def test_a_database_error_rolls_back_everything(tmp_path, monkeypatch):
    from foods.importers import load

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(load, "_portions_upsert", fail)

    with pytest.raises(RuntimeError):
        import_usda("--sr28-dir", str(SR28))

    assert not Food.objects.exists()
    assert not Category.objects.filter(usda_group_code="1100").exists()


def test_fdc_csv_download():
    output = import_usda("--fdc-dir", str(FDC))

    assert "4 created" in output
    spinach = food("168462", "fdc")
    assert spinach.name == "Spinach, raw"
    assert spinach.magnesium_mg_per_100g == 79
    assert spinach.sugars_g_per_100g == pytest.approx(0.42)
    assert spinach.category.usda_group_code == "1100"
    assert list(spinach.portions.values_list("name", "grams", "is_default")) == [
        ("1 cup", 30, True),
        ("1 bunch", 340, False),
    ]
    salmon = food("175167", "fdc")
    assert salmon.magnesium_mg_per_100g is None
    assert set(salmon.allergens.values_list("code", flat=True)) == {"fish"}
    assert salmon.source_label == "USDA FoodData Central #175167"


def test_fdc_foundation_food_energy_and_measure_units():
    import_usda("--fdc-dir", str(FDC))

    shrimp = food("2346404", "fdc")
    assert shrimp.kcal_per_100g == 72  # Atwater specific factors, as 208 is absent
    assert set(shrimp.allergens.values_list("code", flat=True)) == {"shellfish"}
    assert list(shrimp.portions.values_list("name", flat=True)) == ["1 tablespoon", "3 oz"]
    assert not Food.objects.filter(source_ref="2346405").exists()  # a sample, not a food


def test_fdc_is_idempotent():
    import_usda("--fdc-dir", str(FDC))
    output = import_usda("--fdc-dir", str(FDC))

    assert "0 created, 0 updated, 4 unchanged" in output
    assert Food.objects.count() == 4
    assert Portion.objects.count() == 7


def test_fdc_bad_value_names_the_line(tmp_path):
    target = tmp_path / "fdc"
    shutil.copytree(FDC, target)
    path = target / "food_nutrient.csv"
    lines = path.read_text().splitlines()
    lines[7] = '"7","168462","1087","many","","","","","","",""'
    path.write_text("\n".join(lines) + "\n")

    with pytest.raises(CommandError, match=r"food_nutrient\.csv, line 8: .*'many'"):
        import_usda("--fdc-dir", str(target))

    assert not Food.objects.exists()


@pytest.mark.slow
def test_the_whole_of_sr28():
    output = import_usda()

    assert Food.objects.filter(source_kind="sr28").count() == 8789
    assert Portion.objects.count() == 15438
    assert Food.objects.filter(magnesium_mg_per_100g__isnull=False).count() == 8050
    assert Category.objects.filter(usda_group_code__gt="").count() == 25
    assert food("11457").magnesium_mg_per_100g == 79
    assert food("12061").magnesium_mg_per_100g == 270
    assert Portion.objects.filter(is_default=True).count() == 8492
    assert "8789 created" in output
    kiwi = food("09520")
    assert kiwi.name == "Kiwifruit, ZESPRI SunGold, raw"

    output = import_usda()

    assert "0 created, 0 updated, 8789 unchanged" in output
    assert Food.objects.count() == 8789
    assert Portion.objects.count() == 15438


def test_import_infers_may_contain_and_a_curator_review_keeps_its_own():
    dataset = Dataset(
        source_kind="sr28",
        groups={"0800": "Breakfast Cereals", "1800": "Baked Products"},
        foods=[
            FoodRecord("08120", "Cereals, oats, regular and quick, not fortified, dry", "0800"),
            FoodRecord("18075", "Bread, whole-wheat, commercially prepared", "1800"),
        ],
        portions=[],
    )
    foods_import(dataset=dataset)

    oats, bread = food("08120"), food("18075")
    assert list(oats.may_contain.values_list("code", flat=True)) == ["wheat"]
    assert sorted(bread.may_contain.values_list("code", flat=True)) == ["egg", "milk", "soy"]
    assert not bread.vegan

    oats.may_contain.clear()
    oats.diets_reviewed = True
    oats.save()
    foods_import(dataset=dataset)
    assert not food("08120").may_contain.exists()
