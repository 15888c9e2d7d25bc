"""Read a USDA FoodData Central CSV download (SR Legacy or Foundation Foods)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from tqdm import tqdm

from foods.importers.records import (
    NUTRIENT_NUMBERS,
    Dataset,
    FoodRecord,
    ImportDataError,
    PortionRecord,
    parse_amount,
    portion_name,
)

FOOD_DATA_TYPES = frozenset({"sr_legacy_food", "foundation_food"})
# Foundation Foods often give energy only by Atwater factors (specific, then general).
ENERGY_FALLBACKS = ("958", "957")
UNDETERMINED_UNITS = frozenset({"", "undetermined", "quantity not specified"})


def _rows(
    directory: Path, filename: str, columns: set[str], progress: bool
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) for every row of a CSV file that has the columns."""
    path = directory / filename
    if not path.is_file():
        raise ImportDataError(filename, 0, f"file not found in {directory}")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = columns - set(reader.fieldnames or ())
        if missing:
            raise ImportDataError(filename, 1, f"missing columns {', '.join(sorted(missing))}")
        for row in tqdm(reader, desc=filename, unit=" rows", disable=not progress, leave=False):
            yield reader.line_num, row


def _nutrient_number(text: str) -> str:
    return text.strip().removesuffix(".0")


def read_fdc(directory: Path, *, progress: bool = False) -> Dataset:
    """Read foods, nutrients per 100 g, portions and categories from FDC CSV files."""
    directory = Path(directory)

    categories: dict[str, tuple[str, str]] = {}  # category id -> (group code, name)
    for _line, row in _rows(
        directory, "food_category.csv", {"id", "code", "description"}, progress
    ):
        code = row["code"].strip() or row["id"].strip()
        categories[row["id"].strip()] = (code[:4], row["description"].strip())

    foods: dict[str, FoodRecord] = {}
    columns = {"fdc_id", "data_type", "description", "food_category_id"}
    for line, row in _rows(directory, "food.csv", columns, progress):
        if row["data_type"].strip() not in FOOD_DATA_TYPES:
            continue
        fdc_id, name = row["fdc_id"].strip(), " ".join(row["description"].split())
        category = categories.get(row["food_category_id"].strip())
        if not fdc_id.isdigit():
            raise ImportDataError("food.csv", line, f"bad fdc_id {fdc_id!r}")
        if category is None:
            raise ImportDataError(
                "food.csv", line, f"unknown food_category_id {row['food_category_id']!r}"
            )
        if not name:
            raise ImportDataError("food.csv", line, f"food {fdc_id} has no description")
        if fdc_id in foods:
            raise ImportDataError("food.csv", line, f"fdc_id {fdc_id} appears twice")
        foods[fdc_id] = FoodRecord(source_ref=fdc_id, name=name[:200], group_code=category[0])

    nutrient_numbers: dict[str, str] = {}  # nutrient id -> nutrient number
    columns = {"id", "nutrient_nbr"}
    for _line, row in _rows(directory, "nutrient.csv", columns, progress):
        number = _nutrient_number(row["nutrient_nbr"])
        if number in NUTRIENT_NUMBERS or number in ENERGY_FALLBACKS:
            nutrient_numbers[row["id"].strip()] = number

    energy_fallbacks: dict[str, dict[str, float]] = {}
    columns = {"fdc_id", "nutrient_id", "amount"}
    for line, row in _rows(directory, "food_nutrient.csv", columns, progress):
        number = nutrient_numbers.get(row["nutrient_id"].strip())
        record = foods.get(row["fdc_id"].strip())
        if number is None or record is None or not row["amount"].strip():
            continue
        value = parse_amount(
            row["amount"], filename="food_nutrient.csv", line=line, what=f"nutrient {number}"
        )
        if number in ENERGY_FALLBACKS:
            energy_fallbacks.setdefault(record.source_ref, {})[number] = value
        else:
            record.nutrients[NUTRIENT_NUMBERS[number]] = value
    for fdc_id, values in energy_fallbacks.items():
        nutrients = foods[fdc_id].nutrients
        if "kcal_per_100g" not in nutrients:
            nutrients["kcal_per_100g"] = next(values[n] for n in ENERGY_FALLBACKS if n in values)

    units = {
        row["id"].strip(): row["name"].strip()
        for _line, row in _rows(directory, "measure_unit.csv", {"id", "name"}, progress)
    }

    portions: list[PortionRecord] = []
    columns = {"fdc_id", "seq_num", "amount", "measure_unit_id", "modifier", "gram_weight"}
    next_seq: dict[str, int] = {}
    for line, row in _rows(directory, "food_portion.csv", columns, progress):
        fdc_id = row["fdc_id"].strip()
        if fdc_id not in foods:
            continue
        amount = parse_amount(
            row["amount"].strip() or "1", filename="food_portion.csv", line=line, what="amount"
        )
        grams = parse_amount(
            row["gram_weight"], filename="food_portion.csv", line=line, what="gram_weight"
        )
        if grams <= 0:
            raise ImportDataError("food_portion.csv", line, "gram_weight must be above zero")
        seq_text = row["seq_num"].strip()
        seq = int(seq_text) if seq_text.isdigit() else next_seq.get(fdc_id, 1)
        next_seq[fdc_id] = seq + 1
        unit = units.get(row["measure_unit_id"].strip(), "")
        unit = "" if unit.lower() in UNDETERMINED_UNITS else unit
        description = (row.get("portion_description") or "").strip()
        if description.lower() in UNDETERMINED_UNITS:
            description = ""
        measure = ", ".join(part for part in (unit, row["modifier"].strip()) if part)
        name = description[:120] or portion_name(amount, measure or "serving")
        portions.append(PortionRecord(source_ref=fdc_id, seq=seq, name=name, grams=grams))

    groups = dict(categories.values())
    return Dataset(source_kind="fdc", groups=groups, foods=list(foods.values()), portions=portions)
