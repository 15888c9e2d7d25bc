"""Load the curated catalog (foods/data/curated_catalog.json) on top of USDA SR28."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from foods.importers.curated import CATALOG_PATH, CatalogError, catalog_load, catalog_read
from foods.importers.records import ImportDataError


class Command(BaseCommand):
    help = (
        "Add the curated layer: imports SR28 when the catalog has none (or only the foods "
        "the meals need), then applies reviewed allergens and diets, products and meals. "
        "Idempotent, in one transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--only-needed",
            action="store_true",
            help="Import only the SR28 foods the curated catalog uses (fast; for tests).",
        )
        parser.add_argument("--file", type=Path, default=CATALOG_PATH, help="Catalog JSON file.")
        parser.add_argument("--sr28-dir", type=Path, help="Directory of SR28 ASCII files.")
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, only_needed, file, sr28_dir, no_progress, **options) -> None:
        try:
            result = catalog_load(
                data=catalog_read(file),
                only_needed=only_needed,
                sr28_dir=sr28_dir,
                progress=not no_progress and sys.stderr.isatty(),
            )
        except (CatalogError, ImportDataError) as error:
            raise CommandError(f"Nothing loaded. {error}") from error
        for line in result.lines():
            self.stdout.write(line)
