"""Load test: gunicorn (4 workers) on PostgreSQL with the full catalog, 50 users for 60 s.

Run with `make load`. The users are logged in already (a session each, made during set-up),
so the figures are of an evening's use, not of PBKDF2 at log-in. One user in five is an API
client (a bearer token each): week, shopping list, servings. Prints requests per second,
median and p95 latency per page and the error count; the last line is one summary.
Only talks to 127.0.0.1; stops by itself.
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/mealplan_load"
PASSWORD = "Load-test-magnesium-1"


def manage(*args: str, env: dict) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database when it does not exist."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


SETUP_USERS = """
import datetime, random
from django.contrib.auth.hashers import make_password
from accounts.models import Profile, User
from foods.models import Food
count = {count}
hashed = make_password({password!r})
existing = set(User.objects.filter(username__startswith="load").values_list("username", flat=True))
users = [User(username=f"load{{i}}", email=f"load{{i}}@example.com", password=hashed)
         for i in range(count) if f"load{{i}}" not in existing]
User.objects.bulk_create(users)
diets = ["omnivore", "omnivore", "vegetarian", "vegan", "pescatarian"]
random.seed(1)
for user in User.objects.filter(username__startswith="load", profile__isnull=True):
    Profile.objects.create(user=user, birth_date=datetime.date(random.randint(1950, 2004), 5, 1),
                           sex=random.choice(["female", "male"]), diet=random.choice(diets))
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
keys = []
for user in User.objects.filter(username__startswith="load").order_by("pk")[:count]:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    keys.append(session.session_key)
# API users (issue 14): a bearer token each for the last accounts (the session users take the
# first ones), made here as a user would on the profile page; the key is only in this output.
import hashlib, secrets
from accounts.models import ApiToken
tokens = []
api_users = list(User.objects.filter(username__startswith="load").order_by("pk")[:count])
api_users = api_users[-{api_accounts}:]
ApiToken.objects.filter(user__in=api_users, name="load test").delete()
for user in api_users:
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name="load test", prefix=key[:8],
                            key_hash=hashlib.sha256(key.encode()).hexdigest())
    tokens.append(key)
ids = list(Food.objects.filter(is_active=True).order_by("?").values_list("pk", flat=True)[:300])
print("SESSIONS=" + ",".join(keys))
print("TOKENS=" + ",".join(tokens))
print("FOOD_IDS=" + ",".join(map(str, ids)))
"""


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server at {url} did not answer in {seconds} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--accounts", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8799)
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    if not url.startswith("postgres"):
        raise SystemExit("the load test runs on PostgreSQL: set DATABASE_URL=postgres://...")
    ensure_database(url)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "load-test-" + "x" * 50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",  # plain HTTP on loopback only
        "AXES_FAILURE_LIMIT": "1000",
    }
    print("setting up: migrate, catalog, users ...", flush=True)
    manage("migrate", "--noinput", "-v", "0", env=env)
    manage("load_catalog", env=env)
    manage("collectstatic", "--noinput", "-v", "0", env=env)
    setup = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c",
         SETUP_USERS.format(count=args.accounts, password=PASSWORD,
                             api_accounts=min(args.accounts // 4, 50))],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    lines = dict(line.split("=", 1) for line in setup.stdout.strip().splitlines()[-3:])

    host = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "mealplan.wsgi", "--workers", str(args.workers),
         "--bind", f"127.0.0.1:{args.port}", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    try:
        wait_for(host + "/healthz/")
        with tempfile.TemporaryDirectory() as tmp:
            prefix = os.path.join(tmp, "load")
            load_env = {
                **env,
                "LOAD_SESSIONS": lines["SESSIONS"],
                "LOAD_TOKENS": lines["TOKENS"],
                "LOAD_FOOD_IDS": lines["FOOD_IDS"],
            }
            subprocess.run(
                [PYTHON, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
                 "--headless", "-u", str(args.users), "-r", str(max(1, args.users // 5)),
                 "-t", f"{args.seconds}s", "--host", host, "--csv", prefix,
                 "--only-summary", "--loglevel", "ERROR", "--stop-timeout", "10"],
                cwd=ROOT, env=load_env, timeout=args.seconds + 120, check=False,
            )  # fmt: skip
            report(prefix + "_stats.csv", args)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def report(path: str, args) -> None:
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    pages = [row for row in rows if row["Name"] != "Aggregated"]
    total = next(row for row in rows if row["Name"] == "Aggregated")
    print(
        f"\n{'page':<16}{'method':>7}{'requests':>10}{'errors':>8}{'rps':>8}{'median':>8}{'p95':>7}"
    )
    for row in sorted(pages, key=lambda r: r["Name"]):
        print(
            f"{row['Name']:<16}{row['Type']:>7}{row['Request Count']:>10}{row['Failure Count']:>8}"
            f"{float(row['Requests/s']):>8.1f}{row['50%']:>8}{row['95%']:>7}"
        )
    by_name = {row["Name"]: row for row in pages}
    ours = [
        int(row["95%"]) for row in pages
        if row["Name"] not in {"suggest", "api suggest", "hello"}
    ]  # fmt: skip
    print(
        f"load: users={args.users} seconds={args.seconds} requests={total['Request Count']} "
        f"errors={total['Failure Count']} p95_ms={max(ours) if ours else 0} "
        f"suggest_p95_ms={by_name.get('suggest', {}).get('95%', 0)} "
        f"hello_p95_ms={by_name.get('hello', {}).get('95%', 0)}"
    )


if __name__ == "__main__":
    main()
