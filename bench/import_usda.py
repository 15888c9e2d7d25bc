"""Time a full USDA SR28 import (and the idempotent re-run) into scratch databases.

Run from the repo root: python bench/import_usda.py [--small]
Uses a scratch SQLite file, and also PostgreSQL when DATABASE_URL is set (in a scratch
"test_" database created beside it and dropped afterwards). Prints figures only.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "foods" / "tests" / "data" / "sr28"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_one(small: bool) -> None:
    """Import into the database named by DATABASE_URL (in a child process) and print figures."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mealplan.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from foods.models import Food, Portion

    label = connection.vendor
    postgres = label == "postgresql"
    if postgres:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    else:
        call_command("migrate", verbosity=0)
    args = ["--no-progress", *(["--sr28-dir", str(SAMPLE)] if small else [])]
    try:
        before = peak_rss_mb()
        for run in ("first run", "second run"):
            started = time.perf_counter()
            call_command("import_usda", *args, stdout=open(os.devnull, "w"))  # noqa: SIM115
            elapsed = time.perf_counter() - started
            print(
                f"{label:10} {run:10} {elapsed:6.2f} s  foods {Food.objects.count():5}  "
                f"portions {Portion.objects.count():5}  peak RSS {peak_rss_mb():6.0f} MB "
                f"(+{peak_rss_mb() - before:.0f} MB over Django)",
                flush=True,
            )
    finally:
        if postgres:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="Import the 15-food test sample.")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_one(args.small)
        return

    postgres_url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory() as scratch:
        urls = [f"sqlite:///{scratch}/bench.sqlite3"]
        if postgres_url.startswith("postgres"):
            urls.append(postgres_url)
        print(f"USDA import, {'test sample' if args.small else 'all of SR28'}")
        for url in urls:
            command = [sys.executable, __file__, "--child", *(["--small"] if args.small else [])]
            # One process per database: settings read DATABASE_URL once, and RSS stays apart.
            subprocess.run(command, env={**os.environ, "DATABASE_URL": url}, check=True)


if __name__ == "__main__":
    main()
