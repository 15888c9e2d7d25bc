"""The load test's users (run by bench/load.py): a logged-in planner going through a busy
evening, and an API client (a phone shortcut, a home display) with a bearer token."""

import itertools
import os
import random
import re
from datetime import date, timedelta

from locust import HttpUser, between, task

SESSIONS = os.environ.get("LOAD_SESSIONS", "").split(",")
NEXT_SESSION = itertools.count()
TOKENS = [key for key in os.environ.get("LOAD_TOKENS", "").split(",") if key]
NEXT_TOKEN = itertools.count()
FOOD_IDS = [int(pk) for pk in os.environ.get("LOAD_FOOD_IDS", "1").split(",")]
SEARCHES = ["spinach", "seeds raw", "almonds", "beans black", "salmon", "oats", "quinoa"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ENTRY = re.compile(r"/plan/entries/(\d+)/swap/")
SWAP_CHOICE = re.compile(r'name="meal" value="(\d+)"')
SHOPPING = re.compile(r'href="(/plan/[^"]*shopping[^"]*)"')


class Planner(HttpUser):
    weight = 4
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        # Each simulated user is a different account, logged in already (set-up made the
        # sessions), so no two users edit the same week.
        session = SESSIONS[next(NEXT_SESSION) % len(SESSIONS)]
        self.client.cookies.set("sessionid", session, domain="127.0.0.1")
        self.week = (date.today() - timedelta(days=date.today().weekday())).isoformat()
        self.week_page()

    def token(self, html: str) -> str:
        match = CSRF.search(html)
        return match.group(1) if match else self.client.cookies.get("csrftoken", "")

    @task(6)
    def week_page(self) -> None:
        self.html = self.client.get(f"/plan/week/{self.week}/", name="my week").text

    @task(2)
    def suggest(self) -> None:
        response = self.client.post(
            f"/plan/week/{self.week}/regenerate/",
            {"csrfmiddlewaretoken": self.token(self.html)},
            name="suggest",
        )
        # The answer redirects to the week: keep its entry ids (the old ones are gone).
        if response.ok:
            self.html = response.text

    @task(2)
    def swap(self) -> None:
        entries = ENTRY.findall(getattr(self, "html", ""))
        if not entries:
            return
        entry = random.choice(entries)
        page = self.client.get(f"/plan/entries/{entry}/swap/", name="swap options")
        choices = SWAP_CHOICE.findall(page.text)
        if page.status_code == 200 and choices:
            response = self.client.post(
                f"/plan/entries/{entry}/swap/",
                {"meal": random.choice(choices), "csrfmiddlewaretoken": self.token(page.text)},
                name="swap",
            )
            if response.ok:
                self.html = response.text

    @task(2)
    def shopping_list(self) -> None:
        match = SHOPPING.search(getattr(self, "html", ""))
        if match:
            self.client.get(match.group(1).replace("&amp;", "&"), name="shopping list")

    @task(3)
    def search_catalog(self) -> None:
        self.client.get("/catalog/", params={"q": random.choice(SEARCHES)}, name="catalog search")

    @task(3)
    def food_page(self) -> None:
        self.client.get(f"/catalog/foods/{random.choice(FOOD_IDS)}/", name="food page")

    @task(2)
    def hello(self) -> None:
        self.client.get("/healthz/", name="hello")


class ApiClient(HttpUser):
    """One in five users: reads the week and the shopping list and changes servings over the
    API, with its own account's token (the last accounts; the planners take the first)."""

    weight = 1 if TOKENS else 0
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        key = TOKENS[next(NEXT_TOKEN) % len(TOKENS)]
        self.client.headers["Authorization"] = f"Bearer {key}"
        monday = date.today() - timedelta(days=date.today().weekday())
        self.week = monday.isoformat()
        self.shopping_range = {"start": self.week, "end": (monday + timedelta(days=6)).isoformat()}
        self.entries: list[int] = []
        self.get_week()
        if not self.entries:  # a fresh account: plan its week once, as a phone shortcut would
            self.client.post(
                f"/api/v1/weeks/{self.week}/suggest/",
                json={"include_past": True},
                name="api suggest",
            )
            self.get_week()

    @task(5)
    def get_week(self) -> None:
        response = self.client.get(f"/api/v1/weeks/{self.week}/", name="api week")
        if response.ok:
            days = response.json()["days"]
            self.entries = [entry["id"] for day in days for entry in day["entries"]]

    @task(3)
    def get_shopping(self) -> None:
        self.client.get("/api/v1/shopping/", params=self.shopping_range, name="api shopping")

    @task(2)
    def patch_servings(self) -> None:
        if not self.entries:
            return
        # An entry gone meanwhile (none here: each account has one client) would be a 404.
        self.client.patch(
            f"/api/v1/entries/{random.choice(self.entries)}/",
            json={"servings": random.choice(["1", "1.5", "2"])},
            name="api servings",
        )
