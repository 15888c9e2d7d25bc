"""Measure ingredient-line reading against hand-labelled lines, over the full SR28 catalog.

Run from the repo root: python bench/recipes.py [--no-pantry] [--holdout | --fresh]

The lines (bench/recipe_lines.tsv) are written as home cooks write them, each labelled with
the USDA SR28 food a cook means (NDB numbers; several where several are right) and the grams
USDA's portion weights give. Without DATABASE_URL a scratch SQLite file in the temp dir is
used (the same one bench/catalog.py uses), filled with `load_catalog` the first time.

Prints every miss, then: % of lines whose top match is right, % right within the top 3,
% with grams within 10 % (25 % for vague amounts such as "1 medium" or "a handful"; a line
not to be counted is right when it is not counted, a line USDA has no weight for is right
when no grams are given), and the median time per line. The last line reads
`recipes: lines=<n> top1=<p>% top3=<q>% grams_ok=<r>% median_ms=<t>`. `--holdout` reads
bench/recipe_lines_holdout.tsv instead: lines written after the matcher was tuned on the
first file (their first run's figures are in that file; a few general fixes followed from its
misses); `--fresh` reads bench/recipe_lines_fresh.tsv, written after the tuning on both:
its first run (in that file) is what the matcher did on lines it had never seen; general
fixes followed from its misses too, so later runs of either set read higher than that.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LINES = Path(__file__).with_name("recipe_lines.tsv")
# Written after the matcher was tuned on LINES; its misses then informed a few general fixes.
HOLDOUT = Path(__file__).with_name("recipe_lines_holdout.tsv")
# Written after the tuning on the other two; its first run is in the file.
FRESH = Path(__file__).with_name("recipe_lines_fresh.tsv")
TOLERANCE = 0.10
VAGUE_TOLERANCE = 0.25


@dataclass(frozen=True)
class Labelled:
    text: str
    ndbs: tuple[str, ...]
    grams: float | None  # None: not counted ("-") or no USDA weight ("none")
    counted: bool
    vague: bool


def read_lines(path: Path) -> list[Labelled]:
    """Return the labelled lines of the TSV file (comments and blank lines skipped)."""
    labelled = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        text, ndbs, grams, *_ = raw.split("\t")
        counted = grams != "-"
        vague = grams.startswith("~")
        expression = grams.lstrip("~")
        value = None
        if counted and expression != "none":
            # Arithmetic over USDA's figures, written by hand in the file ("1.5*202").
            value = float(eval(expression, {"__builtins__": {}}))  # noqa: S307
        labelled.append(
            Labelled(text, tuple(ndb.strip() for ndb in ndbs.split(",")), value, counted, vague)
        )
    return labelled


def configure() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        url = f"sqlite:///{Path(tempfile.gettempdir()) / 'mealplan-catalog-bench.sqlite3'}"
        os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mealplan.settings")
    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    return url.split("@")[-1]


def load_catalog() -> None:
    """Import SR28 and the curated layer when the database does not hold them yet."""
    from django.core.management import call_command

    from foods.models import Food

    call_command("migrate", verbosity=0, interactive=False)
    if Food.objects.filter(source_kind="sr28").count() < 8000:
        print("Loading the catalog (USDA SR28 and the curated layer, once)…", flush=True)
        call_command("load_catalog", no_progress=True, stdout=io.StringIO())


def grams_right(label: Labelled, line) -> bool:
    if not label.counted:
        return not line.counted
    if label.grams is None:
        return line.counted and line.grams is None
    if line.grams is None:
        return False
    tolerance = VAGUE_TOLERANCE if label.vague else TOLERANCE
    return abs(line.grams - label.grams) <= tolerance * label.grams


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--no-pantry",
        action="store_true",
        help="without matching.PANTRY (the plain words' usual foods): the word scoring alone",
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--holdout", action="store_true", help=f"the held-out lines ({HOLDOUT.name})"
    )
    which.add_argument(
        "--fresh", action="store_true", help=f"the lines written last ({FRESH.name})"
    )
    args = parser.parse_args()
    where = configure()
    load_catalog()

    from foods.models import Food
    from foods.recipes import matching
    from foods.recipes.lines import analyse_line

    if args.no_pantry:
        matching.PANTRY.clear()

    ndb_of = dict(Food.objects.active().exclude(source_ref="").values_list("pk", "source_ref"))
    labelled = read_lines(HOLDOUT if args.holdout else FRESH if args.fresh else LINES)
    analyse_line("1 cup warm-up")  # the parser's model and the food index load once
    top1 = top3 = grams_ok = 0
    timings = []
    print(f"{len(labelled)} labelled lines, {len(ndb_of):,} foods ({where})")
    for label in labelled:
        start = time.perf_counter()
        line = analyse_line(label.text)
        timings.append((time.perf_counter() - start) * 1000)
        ndbs = [ndb_of.get(match.food_id, "?") for match in line.matches]
        first = bool(ndbs) and ndbs[0] in label.ndbs
        within3 = any(ndb in label.ndbs for ndb in ndbs[:3])
        grams = grams_right(label, line)
        top1 += first
        top3 += within3
        grams_ok += grams
        if not (first and grams):
            wanted = f"{label.grams:.1f} g" if label.grams is not None else "no grams"
            if not label.counted:
                wanted = "not counted"
            got = f"{line.grams:.1f} g" if line.grams is not None else "no grams"
            if not line.counted:
                got = "not counted"
            top = line.matches[0].name if line.matches else "nothing"
            marks = ("" if first else " FOOD") + ("" if grams else " GRAMS")
            print(f"MISS{marks}: {label.text!r}")
            print(
                f"    got {ndbs[:1]} {top!r}, {got} ({line.problem or 'ok'}); "
                f"want {label.ndbs}, {wanted}"
            )
    count = len(labelled)

    def share(hits: int) -> str:
        return f"{100 * hits / count:.1f}"

    print(
        f"recipes: lines={count} top1={share(top1)}% top3={share(top3)}% "
        f"grams_ok={share(grams_ok)}% median_ms={statistics.median(timings):.1f}"
    )


if __name__ == "__main__":
    main()
