"""Importing recipes: web pages (JSON-LD, microdata), Mealie and Tandoor files, their limits.

Sample pages and files are written for these tests (foods/tests/data/recipes/); zips are
built from them here. No test touches the network; an import only ever writes the session.
"""

from __future__ import annotations

import io
import json
import socket
import zipfile
from pathlib import Path

import pytest
import urllib3.util.connection
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from foods.recipe_import_views import PENDING_KEY
from foods.recipes import drafts, importers
from foods.recipes.fetch import FetchedPage
from foods.recipes.importers import (
    RecipeImportError,
    built_line,
    drafts_from_html,
    read_recipe_file,
    servings_from,
    slot_hints,
)

DATA = Path(__file__).parent / "data" / "recipes"


def sample(name: str) -> bytes:
    return (DATA / name).read_bytes()


def zipped(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def tandoor_export(recipes: dict[str, bytes]) -> bytes:
    """Tandoor's Default export: one zip per recipe, each with recipe.json (and an image)."""
    return zipped(
        {
            f"{name}.zip": zipped({"recipe.json": content, "image.jpg": b"\xff\xd8\xff"})
            for name, content in recipes.items()
        }
    )


def mealie_export(recipes: dict[str, bytes]) -> bytes:
    """Mealie's recipe export: recipes/<slug>/<slug>.json, images beside it."""
    members = {}
    for slug, content in recipes.items():
        members[f"recipes/{slug}/{slug}.json"] = content
        members[f"recipes/{slug}/images/original.webp"] = b"RIFF0000WEBP"
    return zipped(members)


MEALIE = json.loads(sample("mealie_recipe.json"))


def mealie(**changes) -> bytes:
    return json.dumps({**MEALIE, **changes}).encode()


# Web pages -------------------------------------------------------------------------------


def test_a_json_ld_recipe_is_read():
    (draft,) = drafts_from_html(sample("jsonld_page.html").decode(), "https://example.org/chili")
    assert draft.name == "Weeknight Black Bean Chili"
    assert draft.servings == 4
    assert draft.lines == [
        "1 tbsp olive oil",
        "1 medium onion, chopped",
        "2 cans (15 oz each) black beans, drained",
        "1 cup cooked brown rice",
        "salt to taste",
    ]
    assert "simmer for 20 minutes" in draft.instructions
    assert draft.slots == ["lunch", "dinner"]
    assert draft.source_url == "https://example.org/chili"
    assert draft.origin == "web page"


def test_a_microdata_recipe_is_read():
    (draft,) = drafts_from_html(sample("microdata_page.html").decode())
    assert draft.name == "Almond Overnight Oats"
    assert draft.servings == 2
    assert draft.lines[2] == "30 g almonds, chopped"
    assert draft.slots == ["breakfast"]


@pytest.mark.parametrize(
    "html", [sample("no_recipe_page.html").decode(), "<p>hello</p>", "not html at all", "   "]
)
def test_a_page_without_a_recipe_says_so(html):
    with pytest.raises(RecipeImportError, match="No recipe found|empty"):
        drafts_from_html(html)


def test_a_recipe_without_ingredients_is_refused():
    page = (
        '<script type="application/ld+json">{"@context": "https://schema.org",'
        ' "@type": "Recipe", "name": "Air", "recipeIngredient": []}</script>'
    )
    with pytest.raises(RecipeImportError, match="no ingredient lines"):
        drafts_from_html(page)


# Shared pieces ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("labels", "slots"),
    [
        (["Breakfast"], ["breakfast"]),
        (["Main course"], ["lunch", "dinner"]),
        (["Snack", "Dinner"], ["dinner", "snack"]),
        (["Dessert"], ["snack"]),
        (["Vegetarian", "Italian"], []),
    ],
)
def test_categories_hint_at_slots(labels, slots):
    assert slot_hints(labels) == slots


@pytest.mark.parametrize(
    ("values", "servings"),
    [((4,), 4), (("6 servings",), 6), ((None, "Serves 2"), 2), (("",), 1), ((0, "lots"), 1)],
)
def test_servings_come_from_a_number_or_a_yield_text(values, servings):
    assert servings_from(*values) == servings


def test_a_line_is_built_from_structured_fields():
    assert built_line(2.0, {"name": "cup"}, {"name": "rice"}, "cooked") == "2 cup rice, cooked"
    assert built_line("0.500", None, {"name": "onion"}, "") == "0.5 onion"
    assert built_line(0, None, None, "salt to taste") == "salt to taste"


# Mealie ----------------------------------------------------------------------------------


def test_a_mealie_recipe_json_is_read():
    result = read_recipe_file(sample("mealie_recipe.json"), "curry.json")
    assert result.broken == []
    (draft,) = result.drafts
    assert draft.name == "Spinach and Chickpea Curry"
    assert draft.servings == 4
    assert draft.lines == [
        "1 tbsp olive oil",  # the original text wins
        "2 cup chickpeas, cooked",  # else amount unit food, note
        "200 gram spinach",
        "0.5 onion, finely chopped",
        "salt to taste",  # an unparsed line kept in the note
    ]
    assert draft.instructions.startswith("Fry the onion")
    assert "Finish\nAdd chickpeas" in draft.instructions
    assert draft.slots == ["dinner"]
    assert draft.source_url == "https://recipes.example.org/spinach-chickpea-curry"
    assert draft.origin == "Mealie file"


def test_an_older_mealie_recipe_with_text_ingredients_is_read():
    raw = mealie(recipeIngredient=["2 cups rice", "1 onion"], recipeServings=None)
    (draft,) = read_recipe_file(raw, "old.json").drafts
    assert draft.lines == ["2 cups rice", "1 onion"]
    assert draft.servings == 4  # from recipeYield "4 servings"


def test_a_mealie_export_zip_is_read():
    raw = mealie_export(
        {
            "spinach-and-chickpea-curry": sample("mealie_recipe.json"),
            "rice": mealie(name="Plain Rice", recipeIngredient=["1 cup rice"]),
        }
    )
    result = read_recipe_file(raw, "mealie_export.zip")
    assert result.broken == []
    assert sorted(draft.name for draft in result.drafts) == [
        "Plain Rice",
        "Spinach and Chickpea Curry",
    ]


# Tandoor ---------------------------------------------------------------------------------


def test_a_tandoor_export_zip_is_read():
    raw = tandoor_export(
        {
            "Red_Lentil_Soup": sample("tandoor/lentil_soup.json"),
            "Banana_Bread": sample("tandoor/banana_bread.json"),
        }
    )
    result = read_recipe_file(raw, "export.zip")
    assert result.broken == []
    soup, bread = result.drafts
    assert soup.name == "Red Lentil Soup"
    assert soup.servings == 6
    # The header "For the soup" is left out; no_amount leaves the 0 out.
    assert soup.lines == ["250 g red lentils, rinsed", "1.5 l vegetable stock", "salt, to taste"]
    assert soup.slots == ["lunch", "dinner"]
    assert "To serve\nSeason and serve." in soup.instructions
    assert soup.source_url == "https://recipes.example.org/red-lentil-soup"
    assert soup.origin == "Tandoor file"
    assert bread.lines == [
        "3 bananas, very ripe",
        "1.75 cup whole wheat flour",
        "60 g walnuts, chopped",
    ]
    assert bread.slots == ["breakfast", "snack"]


# Broken and hostile files ----------------------------------------------------------------


def test_a_broken_recipe_among_good_ones_is_named_with_its_reason():
    lentils = json.loads(sample("tandoor/lentil_soup.json"))
    no_steps = json.dumps({**lentils, "name": "Mystery Stew", "steps": "stir"}).encode()
    raw = tandoor_export(
        {
            "Red_Lentil_Soup": sample("tandoor/lentil_soup.json"),
            "Mystery_Stew": no_steps,
            "Garbled": b'{"name": "Garbled", "steps": [',
        }
    )
    result = read_recipe_file(raw, "export.zip")
    assert [draft.name for draft in result.drafts] == ["Red Lentil Soup"]
    reasons = {broken.where: broken.reason for broken in result.broken}
    assert reasons["export.zip: Mystery_Stew.zip (Mystery Stew)"].startswith(
        "it has no list of steps"
    )
    assert "not valid JSON" in reasons["export.zip: Garbled.zip"]


@pytest.mark.parametrize(
    ("raw", "name", "message"),
    [
        (b"", "empty.json", "is empty"),
        (b"%PDF-1.4", "recipe.pdf.json", "neither a JSON file nor a zip"),
        (b'{"name": "x", ', "bad.json", "not valid JSON"),
        (b"[]", "list.json", "empty list"),
        (b"PK\x03\x04garbage", "broken.zip", "not a readable zip"),
        (zipped({"notes.txt": b"hello"}), "other.zip", "holds no recipes"),
        (zipped({"database.json": b"{}"}), "backup.zip", "whole Mealie site backup"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(raw, name, message):
    with pytest.raises(RecipeImportError, match=message):
        read_recipe_file(raw, name)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ({"title": "No ingredients key"}, "neither a Mealie recipe"),
        ({"name": "Odd", "recipeIngredient": "2 cups rice"}, "recipeIngredient is not a list"),
        ({"name": "Empty", "recipeIngredient": []}, "no ingredient lines"),
        ({"name": "", "recipeIngredient": ["1 egg"]}, "has no name"),
        ({"name": "Odd", "recipeIngredient": [42]}, "neither text nor an object"),
        (["not", "a", "recipe"], "not a recipe object"),
    ],
)
def test_a_json_of_the_wrong_shape_is_named_with_its_reason(content, reason):
    result = read_recipe_file(json.dumps(content).encode(), "recipe.json")
    assert result.drafts == []
    assert reason in result.broken[0].reason
    assert result.broken[0].where.startswith("recipe.json")


def test_a_file_over_10_mb_is_refused():
    with pytest.raises(RecipeImportError, match="larger than 10 MB"):
        read_recipe_file(b"{" + b" " * (10 * 2**20), "huge.json")


def test_a_zip_bomb_is_refused_before_it_is_inflated():
    bomb = zipped({"recipes/a/a.json": b"\0" * (30 * 2**20)})
    assert len(bomb) < 100_000
    with pytest.raises(RecipeImportError, match="more than 20 MB"):
        read_recipe_file(bomb, "bomb.zip")


def test_a_highly_compressed_member_is_refused():
    bomb = zipped({"recipes/a/a.json": b" " * (5 * 2**20)})
    with pytest.raises(RecipeImportError, match="zip bomb"):
        read_recipe_file(bomb, "bomb.zip")


def test_nested_zips_share_the_size_budget(monkeypatch):
    monkeypatch.setattr(importers, "MAX_RATIO", 10**9)
    inner = zipped({"recipe.json": b" " * (8 * 2**20)})
    raw = zipped({f"{n}.zip": inner for n in range(3)}, compression=zipfile.ZIP_STORED)
    with pytest.raises(RecipeImportError, match="more than 20 MB"):
        read_recipe_file(raw, "export.zip")


def test_zips_inside_inner_zips_are_not_opened():
    deeper = zipped({"recipe.json": sample("tandoor/banana_bread.json")})
    raw = zipped({"outer.zip": zipped({"deeper.zip": deeper})})
    result = read_recipe_file(raw, "export.zip")
    assert result.drafts == []
    assert result.broken[0].reason == "it has no recipe.json"


def test_too_many_members_are_refused(monkeypatch):
    monkeypatch.setattr(importers, "MAX_MEMBERS", 5)
    raw = zipped({f"recipes/r{n}/r{n}.json": b"{}" for n in range(6)})
    with pytest.raises(RecipeImportError, match="more than 5 files"):
        read_recipe_file(raw, "many.zip")


def test_more_recipes_than_one_import_holds_are_refused():
    raw = mealie_export({f"r{n}": mealie(name=f"R {n}") for n in range(drafts.MAX_DRAFTS + 1)})
    with pytest.raises(RecipeImportError, match="at most 50 at a time"):
        read_recipe_file(raw, "many.zip")


# Pages -----------------------------------------------------------------------------------


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"foods", "mealplan", "accounts"}
    }


def stored(client) -> list[drafts.RecipeDraft]:
    session = client.session
    return [drafts.load(session, key) for key in drafts.pending(session)]


def assert_sent_to_review(response, client) -> list[drafts.RecipeDraft]:
    keys = drafts.pending(client.session)
    assert response.status_code == 302
    assert response.url == reverse("recipes:review", kwargs={"key": keys[0]})
    return stored(client)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    ["recipes:import", "recipes:import_url", "recipes:import_file", "recipes:import_confirm"],
)
def test_import_pages_need_a_login(client, name):
    response = client.post(reverse(name)) if name != "recipes:import" else client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_the_import_page_offers_three_ways_in(user_client):
    response = user_client.get(reverse("recipes:import"))
    assert response.status_code == 200
    page = response.content.decode()
    for name in ("recipes:import_url", "recipes:import_html", "recipes:import_file"):
        assert f'action="{reverse(name)}"' in page
    assert page.count("<h1") == 1


@pytest.mark.django_db
def test_a_url_import_fetches_reads_and_sends_to_review(user_client, monkeypatch):
    fetched = []

    def fake_fetch(url):
        fetched.append(url)
        return FetchedPage(url=url, html=sample("jsonld_page.html").decode())

    monkeypatch.setattr("foods.recipe_import_forms.fetch_html", fake_fetch)
    before = row_counts()
    response = user_client.post(reverse("recipes:import_url"), {"url-url": "example.org/chili"})
    (draft,) = assert_sent_to_review(response, user_client)
    assert fetched == ["https://example.org/chili"]
    assert draft.name == "Weeknight Black Bean Chili"
    assert draft.source_url == "https://example.org/chili"
    assert row_counts() == before


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"network reached: {args!r}")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(urllib3.util.connection, "create_connection", refuse)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1/recipe", "private or local"),
        ("http://10.0.0.8/recipe", "private or local"),
        ("http://169.254.169.254/latest/meta-data/", "private or local"),
        ("http://[::1]/recipe", "private or local"),
        ("file:///etc/passwd", "Only http"),
        ("ftp://example.org/recipe", "Only http"),
        ("not a web address", "Enter a web address"),
    ],
)
def test_a_url_import_refuses_local_addresses_without_a_connection(
    user_client, no_network, url, message
):
    before = row_counts()
    response = user_client.post(reverse("recipes:import_url"), {"url-url": url})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert drafts.pending(user_client.session) == []
    assert row_counts() == before


@pytest.mark.django_db
def test_pasted_html_is_read(user_client):
    response = user_client.post(
        reverse("recipes:import_html"),
        {"html-html": sample("microdata_page.html").decode(), "html-source_url": ""},
    )
    (draft,) = assert_sent_to_review(response, user_client)
    assert draft.name == "Almond Overnight Oats"


@pytest.mark.django_db
def test_an_uploaded_html_page_is_read(user_client):
    page = SimpleUploadedFile("chili.html", sample("jsonld_page.html"), "text/html")
    response = user_client.post(
        reverse("recipes:import_html"),
        {"html-page": page, "html-source_url": "https://example.org/chili"},
    )
    (draft,) = assert_sent_to_review(response, user_client)
    assert draft.source_url == "https://example.org/chili"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"html-html": sample("no_recipe_page.html").decode()}, "No recipe found on that page"),
        ({"html-html": ""}, "Paste the page"),
        ({"html-page": SimpleUploadedFile("x.pdf", b"%PDF")}, "saved as .html"),
    ],
)
def test_html_without_a_recipe_gets_a_message(user_client, data, message):
    response = user_client.post(reverse("recipes:import_html"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert drafts.pending(user_client.session) == []


@pytest.mark.django_db
def test_a_mealie_file_goes_to_review(user_client):
    before = row_counts()
    upload = SimpleUploadedFile("curry.json", sample("mealie_recipe.json"), "application/json")
    response = user_client.post(reverse("recipes:import_file"), {"file-file": upload})
    (draft,) = assert_sent_to_review(response, user_client)
    assert draft.name == "Spinach and Chickpea Curry"
    assert row_counts() == before


@pytest.mark.django_db
def test_a_tandoor_export_sends_every_recipe_to_review(user_client):
    raw = tandoor_export(
        {
            "Red_Lentil_Soup": sample("tandoor/lentil_soup.json"),
            "Banana_Bread": sample("tandoor/banana_bread.json"),
        }
    )
    upload = SimpleUploadedFile("export.zip", raw, "application/zip")
    response = user_client.post(reverse("recipes:import_file"), {"file-file": upload})
    found = assert_sent_to_review(response, user_client)
    assert [draft.name for draft in found] == ["Red Lentil Soup", "Banana Bread"]


@pytest.mark.django_db
def test_a_file_with_a_broken_recipe_imports_none_until_confirmed(user_client):
    raw = mealie_export(
        {
            "curry": sample("mealie_recipe.json"),
            "broken": mealie(name="Broken Stew", recipeIngredient={"oops": 1}),
        }
    )
    before = row_counts()
    upload = SimpleUploadedFile("mealie.zip", raw, "application/zip")
    response = user_client.post(reverse("recipes:import_file"), {"file-file": upload})
    assert response.status_code == 302
    assert response.url == reverse("recipes:import_confirm")
    assert drafts.pending(user_client.session) == []

    page = user_client.get(response.url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "mealie.zip: recipes/broken/broken.json (Broken Stew)" in text
    assert "RecipeIngredient is not a list" in text
    assert "Spinach and Chickpea Curry" in text
    assert "1 of 2 recipes cannot be imported" in " ".join(text.split())

    response = user_client.post(reverse("recipes:import_confirm"), {"action": "import"})
    (draft,) = assert_sent_to_review(response, user_client)
    assert draft.name == "Spinach and Chickpea Curry"
    assert PENDING_KEY not in user_client.session
    assert row_counts() == before


@pytest.mark.django_db
def test_declining_a_partly_broken_file_imports_nothing(user_client):
    raw = mealie_export({"curry": sample("mealie_recipe.json"), "broken": b"{"})
    upload = SimpleUploadedFile("mealie.zip", raw, "application/zip")
    user_client.post(reverse("recipes:import_file"), {"file-file": upload})
    response = user_client.post(reverse("recipes:import_confirm"), {"action": "cancel"})
    assert response.status_code == 302
    assert response.url == reverse("recipes:import")
    assert drafts.pending(user_client.session) == []
    assert PENDING_KEY not in user_client.session


@pytest.mark.django_db
def test_confirm_without_a_pending_file_goes_back_with_a_message(user_client):
    response = user_client.post(
        reverse("recipes:import_confirm"), {"action": "import"}, follow=True
    )
    assert "no file waiting" in response.content.decode()
    assert drafts.pending(user_client.session) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("bomb.zip", zipped({"recipes/a/a.json": b"\0" * (30 * 2**20)}), "more than 20 MB"),
        ("shape.json", b'{"title": "not a recipe"}', "neither a Mealie recipe"),
        ("all_broken.zip", mealie_export({"a": b"{", "b": b"[1]"}), "No recipe in that file"),
        ("notes.txt", b"2 cups rice", "Upload a Mealie"),
    ],
)
def test_bad_files_get_a_message_and_store_nothing(user_client, name, raw, message):
    before = row_counts()
    response = user_client.post(
        reverse("recipes:import_file"), {"file-file": SimpleUploadedFile(name, raw)}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert drafts.pending(user_client.session) == []
    assert PENDING_KEY not in user_client.session
    assert row_counts() == before


FIFTY_MB = b"PK\x03\x04" + b"\0" * (50 * 2**20)


@pytest.mark.django_db
def test_a_50_mb_upload_is_refused_before_it_is_read(user_client):
    before = row_counts()
    response = user_client.post(
        reverse("recipes:import_file"), {"file-file": SimpleUploadedFile("huge.zip", FIFTY_MB)}
    )
    assert response.status_code == 413
    assert "at most 10.0 MB" in response.content.decode()
    assert drafts.pending(user_client.session) == []
    assert row_counts() == before


@pytest.mark.django_db
def test_the_import_keeps_its_own_10_mb_cap_when_uploads_may_be_larger(user_client, settings):
    settings.UPLOAD_MAX_BYTES = 60 * 2**20
    response = user_client.post(
        reverse("recipes:import_file"), {"file-file": SimpleUploadedFile("huge.zip", FIFTY_MB)}
    )
    assert response.status_code == 200
    assert "larger than 10 MB" in response.content.decode()
    assert drafts.pending(user_client.session) == []


@pytest.mark.django_db
def test_the_import_page_reads_only_the_session_and_user(
    user_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        assert user_client.get(reverse("recipes:import")).status_code == 200


@pytest.fixture
def csrf_client(user):
    """A logged-in client that, like a browser, must send the CSRF token."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get(reverse("recipes:import")).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    return client, token


@pytest.mark.django_db
def test_pasted_html_over_the_form_cap_gets_a_message_on_the_import_page(csrf_client):
    """Under 2 M characters (the textarea's limit) but over Django's 2.5 MB of form text."""
    client, token = csrf_client
    before = row_counts()
    html = "<p>" + "é" * (2**20 + 300_000)
    response = client.post(
        reverse("recipes:import_html"), {"csrfmiddlewaretoken": token, "html-html": html}
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert 'id="from-html"' in page  # the import page, not a bare error page
    assert "more than 2 MB" in page
    assert drafts.pending(client.session) == []
    assert row_counts() == before


@pytest.mark.django_db
def test_the_html_import_still_needs_the_csrf_token(csrf_client):
    client, token = csrf_client
    data = {"html-html": sample("microdata_page.html").decode(), "html-source_url": ""}
    assert client.post(reverse("recipes:import_html"), data).status_code == 403
    response = client.post(reverse("recipes:import_html"), {**data, "csrfmiddlewaretoken": token})
    assert_sent_to_review(response, client)
