"""Benchmark the weekly auto-plan as background tasks: many users' next weeks at once.

Run from the repo root:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mp_batch python bench/batch.py [--users 2000]

N users (default 2,000) with ordinary, varied profiles (adults 19-80 at their NIH magnesium
RDA; half with the default 2,000 kcal window, half with a height and a weight at a BMI of
19-32, mostly sedentary to moderate; diet, allergens, time zone, auto-plan weekday and time)
and 2-3 locked entries each in next week are made with bulk_create (once; a later run reuses
them, and only the first N plan a week). Then, per backend (db: django-tasks-db's
`db_worker`; rq: django-tasks-rq on Redis, django-rq's `rqworker` with our
mealplan.rq_worker.PreloadedWorker, as `manage.py tasks_worker` runs it) and per worker count
(1, then 2 worker processes): the week's jobs are reset, `plan_upcoming_weeks` enqueues
every user's next week at once (one PlanJob, one task each), and the workers, started as
separate processes in burst mode, work the queue off. The auto-plan mail task of each week
runs too (locmem mail backend).

Prints per run: weeks planned per minute (done jobs over the wall clock from the workers'
start to the last one's exit), p95 ms per planning task (the backend's started/finished
times), errors (jobs not done, users left without a job, tasks the backend saw fail),
duplicates (a user's week with two WeekPlans, two entries in a cell, or two auto-plan jobs:
must be 0), locked entries lost (must be 0); then the scaling ratio (2-worker rate /
1-worker rate) and the worker cores a million weeks in six hours need. Last lines:

    batch: backend=db users=N workers=2 weeks_per_min=X p95_ms=T errors=0 duplicates=0 scaling=R
    batch: backend=rq users=N workers=2 weeks_per_min=X p95_ms=T errors=0 duplicates=0 scaling=R

The database: PostgreSQL for the multi-worker runs (DATABASE_URL). Without DATABASE_URL a
throwaway SQLite file is used, where two writer processes queue on SQLite's one write lock
(fine for --users 200 in CI, not for a scaling figure). Redis: REDIS_URL (default
redis://127.0.0.1:6379/13, a database of its own; it is flushed). --backends db or rq runs
one of them only; keep db first (`rq,db` in one process fails: after the RQ run,
django-tasks-db's enqueue says the task "does not point to a Task").
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Sunday 6 January 2030, 12:00 UTC: every user's weekday (Monday to Saturday) and time have
# passed in every zone below, and none of them is in the new week yet.
NOW = datetime(2030, 1, 6, 12, 0, tzinfo=UTC)
WEEK = date(2030, 1, 7)
ZONES = [
    "UTC",
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Australia/Sydney",
]
DIETS = ["omnivore"] * 5 + ["pescatarian", "vegetarian", "vegetarian", "vegan"]
ALLERGENS = [[], [], [], [], ["milk"], ["peanuts"], ["gluten"], ["milk", "eggs"]]
# Ordinary people, not the corners of the form: adults 19-80 (the NIH ODS magnesium RDA of
# their age and sex), most of them sedentary to moderately active; half leave weight and
# height blank (the default window, 2,000 kcal +/- 10 %), half give a height and a weight at
# a body mass index of 19-32 (Mifflin-St Jeor x activity +/- 10 %). The first version drew
# weight and height independently (a 110 kg, 150 cm or 50 kg, 200 cm "very active" user) and
# gave windows up to 3,850 kcal.
ACTIVITIES = ["sedentary"] * 7 + ["light"] * 6 + ["moderate"] * 5 + ["active"] * 2
HEIGHTS_CM = {"female": (152, 178), "male": (163, 193)}
BMI = (19.0, 32.0)
# Users of an older layout (other profiles) are deleted, so every run plans the same people.
PREFIX = "batchv2-"


def setup_django(args) -> dict:
    scratch = Path(tempfile.gettempdir()) / "mp-batch"
    scratch.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{scratch}/batch.sqlite3"),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/13"),
        "DJANGO_SETTINGS_MODULE": "mealplan.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "batch-bench-" + "x" * 50),
        "DJANGO_ALLOWED_HOSTS": "localhost",
        "DJANGO_SITE_URL": "https://mg.example.org",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "TASKS_BACKEND": "db",
    }
    os.environ.update(env)
    import django

    django.setup()
    return env


def prepare_database(n_users: int) -> None:
    import io

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from foods.models import Meal

    if not Meal.objects.curated().exists():
        print("loading the catalog ...", flush=True)
        call_command("load_catalog", "--only-needed", "--no-progress", stdout=io.StringIO())
    make_users(n_users)


def make_users(n_users: int) -> None:
    from django.contrib.auth.hashers import make_password

    from accounts.models import Profile, User
    from foods.models import Meal, Slot
    from mealplan.models import PlanEntry, WeekPlan

    User.objects.filter(username__startswith="batch").exclude(username__startswith=PREFIX).delete()
    have = User.objects.filter(username__startswith=PREFIX).count()
    # Only the first n_users plan a week in this run (a database made for more keeps them).
    last = f"{PREFIX}{n_users:06d}"
    mine = Profile.objects.filter(user__username__startswith=PREFIX)
    mine.filter(user__username__lt=last).update(autoplan_enabled=True)
    mine.filter(user__username__gte=last).update(autoplan_enabled=False)
    if have >= n_users:
        return
    started = time.perf_counter()
    rng = random.Random(have)
    password = make_password(None)  # unusable: nobody logs in as a bench user
    users = User.objects.bulk_create(
        User(username=f"{PREFIX}{i:06d}", email=f"{PREFIX}{i:06d}@example.org", password=password)
        for i in range(have, n_users)
    )
    if not users[0].pk:  # SQLite before RETURNING, or a backend without it
        users = list(User.objects.filter(username__in=[u.username for u in users]))
    profiles = []
    for user in users:
        sex = rng.choice(["female", "male"])
        height = weight = None
        if rng.random() < 0.5:
            height = rng.randint(*HEIGHTS_CM[sex])
            weight = round(rng.uniform(*BMI) * (height / 100) ** 2)
        profiles.append(
            Profile(
                user=user,
                birth_date=date(rng.randint(1946, 2006), rng.randint(1, 12), rng.randint(1, 28)),
                sex=sex,
                diet=rng.choice(DIETS),
                avoid_allergens=rng.choice(ALLERGENS),
                weight_kg=weight,
                height_cm=height,
                activity=rng.choice(ACTIVITIES),
                time_zone=rng.choice(ZONES),
                autoplan_enabled=True,
                autoplan_weekday=rng.randint(0, 5),
                autoplan_time=clock(rng.randint(0, 23), rng.choice([0, 15, 30, 45])),
            )
        )
    Profile.objects.bulk_create(profiles)
    plans = WeekPlan.objects.bulk_create(WeekPlan(user=user, week_start=WEEK) for user in users)
    if not plans[0].pk:
        plans = list(WeekPlan.objects.filter(user__in=users, week_start=WEEK))
    by_slot = {
        slot: list(
            Meal.objects.curated().active().for_diet("vegan").filter(**{f"fits_{slot}": True})
        )
        or list(Meal.objects.curated().active().filter(**{f"fits_{slot}": True}))
        for slot in Slot.values
    }
    entries = []
    for plan in plans:
        cells = rng.sample([(d, s) for d in range(7) for s in Slot.values], rng.randint(2, 3))
        for day, slot in cells:
            entries.append(
                PlanEntry(
                    plan=plan,
                    date=WEEK + timedelta(days=day),
                    slot=slot,
                    meal=rng.choice(by_slot[slot]),
                    locked=True,
                )
            )
    PlanEntry.objects.bulk_create(entries)
    took = time.perf_counter() - started
    print(f"made {len(users)} users, {len(entries)} locked entries in {took:.1f} s", flush=True)


def reset(backend: str, env: dict) -> None:
    """Back to the start: no jobs, no task rows, only the locked entries in the week."""
    from django_tasks_db.models import DBTaskResult

    from mealplan.models import PlanEntry, PlanJob, WeekPlan

    PlanJob.objects.all().delete()
    DBTaskResult.objects.all().delete()
    PlanEntry.objects.filter(plan__week_start=WEEK, locked=False).delete()
    WeekPlan.objects.filter(week_start=WEEK).update(report={}, seed=0)
    if backend == "rq":
        import redis

        redis.Redis.from_url(env["REDIS_URL"]).flushdb()


def enqueue_all(backend: str) -> int:
    """Queue every due week on the backend (override_settings resets the task backends)."""
    from django.test import override_settings

    from mealplan.jobs import plan_upcoming_weeks

    if backend == "rq":
        tasks = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    else:
        tasks = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with override_settings(TASKS=tasks):
        return len(plan_upcoming_weeks(now=NOW))


def worker_command(backend: str) -> list[str]:
    python = [sys.executable, str(ROOT / "manage.py")]
    if backend == "rq":
        return [
            *python,
            "rqworker",
            "default",
            "--burst",
            "--job-class",
            "django_tasks_rq.Job",
            "--worker-class",
            os.environ.get("BATCH_RQ_WORKER_CLASS", "mealplan.rq_worker.PreloadedWorker"),
        ]
    return [
        *python,
        "db_worker",
        "--batch",
        "--no-startup-delay",
        "--no-reload",
        "--interval",
        "0.1",
    ]


def run_workers(backend: str, workers: int, env: dict) -> tuple[float, float]:
    """Run the workers to the end; return the wall-clock and the CPU seconds they took."""
    import resource

    worker_env = {**env, "TASKS_BACKEND": backend}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    procs = [
        subprocess.Popen(
            worker_command(backend),
            cwd=ROOT,
            env=worker_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(workers)
    ]
    codes = [proc.wait() for proc in procs]
    took = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if any(codes):
        print(f"  worker exit codes: {codes}", flush=True)
    return took, cpu


def task_times_ms(backend: str, env: dict) -> list[float]:
    from mealplan.models import PlanJob

    ids = list(PlanJob.objects.exclude(task_result_id="").values_list("task_result_id", flat=True))
    if backend == "db":
        from django_tasks_db.models import DBTaskResult

        rows = DBTaskResult.objects.filter(
            id__in=ids, started_at__isnull=False, finished_at__isnull=False
        ).values_list("started_at", "finished_at")
        return [(end - start).total_seconds() * 1000 for start, end in rows]
    import redis
    from rq.job import Job

    connection = redis.Redis.from_url(env["REDIS_URL"])
    times = []
    for job in Job.fetch_many(ids, connection=connection):
        if job is not None and job.started_at and job.ended_at:
            times.append((job.ended_at - job.started_at).total_seconds() * 1000)
    return times


def failed_tasks(backend: str, env: dict) -> int:
    """Tasks the backend itself saw fail (an exception out of a task, a killed job)."""
    if backend == "db":
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.filter(status="FAILED").count()
    import redis
    from rq import Queue
    from rq.registry import FailedJobRegistry

    connection = redis.Redis.from_url(env["REDIS_URL"])
    return FailedJobRegistry(queue=Queue("default", connection=connection)).count


def check(n_users: int, backend: str, env: dict) -> dict:
    """Count for real: errors are jobs not done, users whose week got no job, and tasks the
    backend saw fail; duplicates are a user's second WeekPlan of the week, a cell's second
    entry and a user's second auto-plan job of the week (each also barred by a constraint)."""
    from django.db.models import Count

    from accounts.models import User
    from mealplan.models import PlanEntry, PlanJob, WeekPlan

    jobs = PlanJob.objects.filter(week_start=WEEK)
    users = User.objects.filter(profile__autoplan_enabled=True, username__startswith=PREFIX)
    missing = users.exclude(plan_jobs__week_start=WEEK).count()
    not_done = jobs.exclude(status=PlanJob.Status.DONE).count()
    errors = not_done + missing + failed_tasks(backend, env)
    duplicates = (
        WeekPlan.objects.filter(week_start=WEEK, household=None)
        .values("user")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
        + PlanEntry.objects.filter(plan__week_start=WEEK)
        .values("plan", "date", "slot")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
        + jobs.filter(kind=PlanJob.Kind.AUTOPLAN)
        .values("user")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    planned = PlanEntry.objects.filter(plan__week_start=WEEK, locked=False).count()
    return {
        "errors": errors,
        "done": jobs.filter(status=PlanJob.Status.DONE).count(),
        "missing": missing,
        "locked": PlanEntry.objects.filter(plan__week_start=WEEK, locked=True).count(),
        "duplicates": duplicates,
        "jobs": jobs.count(),
        "planned_entries": planned,
        "retried": jobs.filter(attempts__gt=1).count(),
    }


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--backends", default="db,rq", help="db, rq or db,rq")
    parser.add_argument("--workers", default="1,2", help="worker counts, e.g. 1,2")
    parser.add_argument(
        "--budget", type=float, default=None, help="the planner's time budget in s (settings')"
    )
    args = parser.parse_args()
    if args.budget is not None:
        os.environ["PLANNER_TIME_BUDGET_S"] = str(args.budget)
    env = setup_django(args)
    from django.db import connection

    print(f"database: {connection.vendor}; users: {args.users}", flush=True)
    if connection.vendor == "sqlite":
        print("  (SQLite: two writer processes queue on one write lock; use PostgreSQL "
              "(DATABASE_URL) for the scaling figure)", flush=True)  # fmt: skip
    prepare_database(args.users)
    from mealplan.models import PlanEntry

    locked = PlanEntry.objects.filter(plan__week_start=WEEK, locked=True).count()
    counts = [int(n) for n in args.workers.split(",")]
    lines = []
    for backend in args.backends.split(","):
        rates = {}
        cpu_total, weeks_total, task_s = 0.0, 0, []
        for workers in counts:
            reset(backend, env)
            queued = enqueue_all(backend)
            took, cpu = run_workers(backend, workers, env)
            result = check(args.users, backend, env)
            times = task_times_ms(backend, env)
            rate = result["done"] / took * 60 if took else 0.0
            rates[workers] = rate
            cpu_total, weeks_total = cpu_total + cpu, weeks_total + result["done"]
            task_s += [t / 1000 for t in times]
            p95 = percentile(times, 95)
            print(
                f"{backend} workers={workers}: queued={queued} jobs={result['jobs']} "
                f"planned={result['done']} in {took:.1f} s, {rate:.1f} weeks/min, per task "
                f"median {percentile(times, 50):.0f} ms p95 {p95:.0f} ms (n={len(times)}), "
                f"errors={result['errors']} (not done {result['jobs'] - result['done']}, "
                f"no job {result['missing']}) retried={result['retried']} "
                f"duplicates={result['duplicates']} entries planned={result['planned_entries']} "
                f"locked lost={locked - result['locked']}; "
                f"worker CPU {cpu / max(result['done'], 1):.2f} s a week "
                f"({60 * max(result['done'], 1) / cpu if cpu else 0:.1f} weeks/min per busy core)",
                flush=True,
            )
            last = (workers, rate, p95, result)
        workers, rate, p95, result = last
        scaling = rates[counts[-1]] / rates[counts[0]] if len(counts) > 1 else 1.0
        print(
            f"{backend}: per worker process {rates[counts[0]] / counts[0]:.1f} weeks/min; "
            f"scaling {counts[0]}->{counts[-1]} workers: {scaling:.2f}",
            flush=True,
        )
        # The night's sizing, two ways. CPU: worker CPU seconds per planned week, startup
        # included. But a solve that ends at its time budget ends by the wall clock: on a
        # loaded machine it got less CPU in that time (and a less polished week), so the CPU
        # figure is a lower bound there; on an idle core the solver (one thread) uses the
        # whole wall time, so the mean task time is the other, the safe, figure.
        per_week = cpu_total / max(weeks_total, 1)
        mean_task = statistics.fmean(task_s) if task_s else float("nan")
        night = 6 * 3600
        print(
            f"{backend}: {per_week:.2f} CPU s a week = {60 / per_week if per_week else 0:.1f} "
            f"weeks/min per core; a million weeks in 6 h need "
            f"{math.ceil(1_000_000 * per_week / night)} worker cores by CPU, "
            f"{math.ceil(1_000_000 * mean_task / night) if task_s else '?'} by the mean task "
            f"time ({mean_task:.2f} s)",
            flush=True,
        )
        lines.append(
            f"batch: backend={backend} users={args.users} workers={workers} "
            f"weeks_per_min={rate:.1f} p95_ms={p95:.0f} errors={result['errors']} "
            f"duplicates={result['duplicates']} scaling={scaling:.2f}"
        )
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
