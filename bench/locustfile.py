"""The load test's user: a logged-in planner going through a busy evening (run by bench/load.py)."""

import itertools
import os
import random
import re
from datetime import date, timedelta

from locust import HttpUser, between, task

SESSIONS = os.environ.get("LOAD_SESSIONS", "").split(",")
NEXT_SESSION = itertools.count()
FOOD_IDS = [int(pk) for pk in os.environ.get("LOAD_FOOD_IDS", "1").split(",")]
SEARCHES = ["spinach", "seeds raw", "almonds", "beans black", "salmon", "oats", "quinoa"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ENTRY = re.compile(r"/plan/entries/(\d+)/swap/")
SWAP_CHOICE = re.compile(r'name="meal" value="(\d+)"')
SHOPPING = re.compile(r'href="(/plan/[^"]*shopping[^"]*)"')


class Planner(HttpUser):
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
