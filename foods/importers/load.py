"""Write a USDA dataset into the catalog: one transaction, bulk queries, idempotent."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from foods.importers.inference import infer
from foods.importers.records import NUTRIENT_NUMBERS, Dataset
from foods.models import Allergen, Category, Food, FoodKind, Portion

BATCH_SIZE = 500
NUTRIENT_FIELDS = tuple(NUTRIENT_NUMBERS.values())
DIET_FIELDS = ("vegan", "vegetarian", "pescatarian")


@dataclass
class ImportResult:
    categories_created: int = 0
    foods_created: int = 0
    foods_updated: int = 0
    foods_unchanged: int = 0
    portions_created: int = 0
    portions_updated: int = 0

    def summary(self) -> str:
        return (
            f"Foods: {self.foods_created} created, {self.foods_updated} updated, "
            f"{self.foods_unchanged} unchanged. Portions: {self.portions_created} created, "
            f"{self.portions_updated} updated. Categories created: {self.categories_created}."
        )


def _batches(items: list, size: int = BATCH_SIZE):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _categories_ensure(dataset: Dataset, result: ImportResult) -> dict[str, Category]:
    """Return a Category per food group used, matched by group code, then by name."""
    used = {record.group_code for record in dataset.foods}
    by_code = {
        category.usda_group_code: category
        for category in Category.objects.filter(usda_group_code__in=used)
    }
    missing = {code: dataset.groups[code] for code in used - by_code.keys()}
    by_name = {c.name: c for c in Category.objects.filter(name__in=missing.values())}
    to_create, to_update = [], []
    for code, name in missing.items():
        if (category := by_name.get(name)) is not None:
            category.usda_group_code = code
            to_update.append(category)
        else:
            category = Category(name=name, usda_group_code=code)
            to_create.append(category)
        by_code[code] = category
    Category.objects.bulk_update(to_update, ["usda_group_code"])
    Category.objects.bulk_create(to_create)
    result.categories_created = len(to_create)
    return by_code


def _foods_by_ref(dataset: Dataset, only: tuple[str, ...] = ()) -> dict[str, Food]:
    """Return the catalog's foods of the dataset's source, by source id."""
    refs = {record.source_ref for record in dataset.foods}
    foods = Food.objects.filter(source_kind=dataset.source_kind)
    if len(refs) <= BATCH_SIZE:  # a long IN list would outgrow SQLite's parameter limit
        foods = foods.filter(source_ref__in=refs)
    if only:
        foods = foods.only(*only)
    return {food.source_ref: food for food in foods if food.source_ref in refs}


def _foods_upsert(
    dataset: Dataset, categories: dict[str, Category], result: ImportResult, progress: bool
) -> tuple[dict[str, Food], dict[int, frozenset[str]], dict[int, frozenset[str]]]:
    """Create or update the foods; return them by source id, and allergens and traces by id."""
    foods = _foods_by_ref(dataset)
    existing = {ref: foods[ref] for ref in foods.keys() & {r.source_ref for r in dataset.foods}}
    to_create: list[Food] = []
    to_update: list[Food] = []
    now = timezone.now()
    inferred: dict[str, frozenset[str]] = {}
    inferred_traces: dict[str, frozenset[str]] = {}
    for record in dataset.foods:
        inference = infer(record.group_code, record.name)
        values = {
            "name": record.name,
            "category_id": categories[record.group_code].pk,
            **{field: record.nutrients.get(field) for field in NUTRIENT_FIELDS},
        }
        food = existing.get(record.source_ref)
        if food is None or not food.diets_reviewed:
            inferred[record.source_ref] = inference.allergens
            inferred_traces[record.source_ref] = inference.may_contain
            values.update({diet: getattr(inference, diet) for diet in DIET_FIELDS})
        if food is None:
            to_create.append(
                Food(
                    source_kind=dataset.source_kind,
                    source_ref=record.source_ref,
                    kind=FoodKind.WHOLE,
                    **values,
                )
            )
        elif any(getattr(food, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(food, name, value)
            food.updated_at = now  # bulk_update does not apply auto_now
            to_update.append(food)
        else:
            result.foods_unchanged += 1

    bar = tqdm(total=len(to_create) + len(to_update), desc="foods", disable=not progress)
    with bar:
        for batch in _batches(to_create):
            Food.objects.bulk_create(batch)
            bar.update(len(batch))
        fields = ["name", "category", *NUTRIENT_FIELDS, *DIET_FIELDS, "updated_at"]
        for batch in _batches(to_update):
            Food.objects.bulk_update(batch, fields)
            bar.update(len(batch))
    result.foods_created, result.foods_updated = len(to_create), len(to_update)

    foods = _foods_by_ref(dataset, only=("id", "source_ref"))
    allergens = {foods[ref].pk: codes for ref, codes in inferred.items()}
    traces = {foods[ref].pk: codes for ref, codes in inferred_traces.items()}
    return foods, allergens, traces


def food_allergens_set(allergens: dict[int, frozenset[str]], relation=Food.allergens) -> None:
    """Make the allergens (or `may_contain`) of these foods (by id) exactly the given codes."""
    through = relation.through
    allergen_ids = dict(Allergen.objects.values_list("code", "id"))
    wanted = {
        (food_id, allergen_ids[code]) for food_id, codes in allergens.items() for code in codes
    }
    food_ids = list(allergens)
    have: dict[tuple[int, int], int] = {}
    for batch in _batches(food_ids):
        rows = through.objects.filter(food_id__in=batch)
        for pk, food_id, allergen_id in rows.values_list("id", "food_id", "allergen_id"):
            have[(food_id, allergen_id)] = pk
    stale = [pk for pair, pk in have.items() if pair not in wanted]
    for batch in _batches(stale):
        through.objects.filter(id__in=batch).delete()
    through.objects.bulk_create(
        [through(food_id=f, allergen_id=a) for f, a in wanted - have.keys()],
        batch_size=BATCH_SIZE,
    )


def _portions_upsert(dataset: Dataset, foods: dict[str, Food], result: ImportResult) -> None:
    """Create or update portions, matched by food and sequence number.

    The lowest sequence becomes the default, unless the food already has one.
    """
    food_ids = [food.pk for food in foods.values()]
    existing: dict[tuple[int, int], Portion] = {}
    with_default: set[int] = set()
    for batch in _batches(food_ids):
        for portion in Portion.objects.filter(food_id__in=batch):
            existing[(portion.food_id, portion.seq)] = portion
            if portion.is_default:
                with_default.add(portion.food_id)
    first_seq: dict[int, int] = defaultdict(lambda: 1 << 16)
    for record in dataset.portions:
        food_id = foods[record.source_ref].pk
        first_seq[food_id] = min(first_seq[food_id], record.seq)

    to_create, to_update = [], []
    for record in dataset.portions:
        food_id = foods[record.source_ref].pk
        portion = existing.get((food_id, record.seq))
        if portion is None:
            is_default = food_id not in with_default and record.seq == first_seq[food_id]
            to_create.append(
                Portion(
                    food_id=food_id,
                    seq=record.seq,
                    name=record.name,
                    grams=record.grams,
                    is_default=is_default,
                )
            )
        elif (portion.name, portion.grams) != (record.name, record.grams):
            portion.name, portion.grams = record.name, record.grams
            to_update.append(portion)
    Portion.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    Portion.objects.bulk_update(to_update, ["name", "grams"], batch_size=BATCH_SIZE)
    result.portions_created, result.portions_updated = len(to_create), len(to_update)


@transaction.atomic
def foods_import(*, dataset: Dataset, progress: bool = False) -> ImportResult:
    """Create or update the dataset's categories, foods, allergens and portions."""
    result = ImportResult()
    categories = _categories_ensure(dataset, result)
    foods, allergens, traces = _foods_upsert(dataset, categories, result, progress)
    food_allergens_set(allergens)
    food_allergens_set(traces, relation=Food.may_contain)
    _portions_upsert(dataset, foods, result)
    return result
