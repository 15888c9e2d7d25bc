"""Import recipes from a web page, a page's HTML, or a Mealie or Tandoor file.

Every way ends in drafts kept in the session and a redirect to the review of the first one;
nothing here writes to the database. A file with some unreadable recipes stops at a confirm
page that names them and why, and imports the others only when the cook says so.
"""

from __future__ import annotations

from dataclasses import asdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from foods.recipe_import_forms import HtmlImportForm, RecipeFileForm, UrlImportForm
from foods.recipes import drafts
from foods.recipes.drafts import RecipeDraft
from foods.recipes.importers import MAX_HTML_BYTES, MAX_UPLOAD_BYTES, BrokenRecipe, ImportResult

PENDING_KEY = "recipe_import_pending"  # a file's readable recipes, awaiting the cook's yes


def _page(request: HttpRequest, *, status: int = 200, **forms) -> HttpResponse:
    context = {
        "url_form": UrlImportForm(prefix="url"),
        "html_form": HtmlImportForm(prefix="html"),
        "file_form": RecipeFileForm(prefix="file"),
        "max_upload_mb": MAX_UPLOAD_BYTES // 2**20,
        **forms,
    }
    return render(request, "foods/recipes/import.html", context, status=status)


def _to_review(request: HttpRequest, found: list[RecipeDraft]) -> HttpResponseRedirect:
    keys = drafts.store(request.session, found)
    if len(keys) > 1:
        messages.info(request, f"{len(keys)} recipes to review; this is the first.")
    return redirect(reverse("recipes:review", kwargs={"key": keys[0]}))


@login_required
@require_http_methods(["GET", "HEAD"])
def recipe_import(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_POST
def import_url(request: HttpRequest) -> HttpResponse:
    form = UrlImportForm(request.POST, prefix="url")
    if not form.is_valid():
        return _page(request, url_form=form)
    return _to_review(request, form.drafts)


# Exempt here and protected on _import_html: the CSRF check reads the body, and a pasted page
# over Django's DATA_UPLOAD_MAX_MEMORY_SIZE would then end in a bare 400 (the pattern Django's
# docs give for upload handlers). Nothing is read or written before the check.
@csrf_exempt
@login_required
@require_POST
def import_html(request: HttpRequest) -> HttpResponse:
    try:
        request.POST  # noqa: B018 (parse the body here, where its size can be answered)
    except RequestDataTooBig:
        return _page(
            request,
            status=413,
            html_error=(
                f"That HTML is more than {MAX_HTML_BYTES // 2**20} MB, more than a form can send:"
                " paste only the part with the recipe, or import the page by its address."
            ),
        )
    return _import_html(request)


@csrf_protect
def _import_html(request: HttpRequest) -> HttpResponse:
    form = HtmlImportForm(request.POST, request.FILES, prefix="html")
    if not form.is_valid():
        return _page(request, html_form=form)
    return _to_review(request, form.drafts)


@login_required
@require_POST
def import_file(request: HttpRequest) -> HttpResponse:
    form = RecipeFileForm(request.POST, request.FILES, prefix="file")
    if not form.is_valid():
        return _page(request, file_form=form)
    result = form.result
    if not result.broken:
        return _to_review(request, result.drafts)
    request.session[PENDING_KEY] = {
        "drafts": [asdict(draft) for draft in result.drafts],
        "broken": [asdict(broken) for broken in result.broken],
    }
    return redirect("recipes:import_confirm")


def _pending(request: HttpRequest) -> ImportResult | None:
    data = request.session.get(PENDING_KEY)
    if not data:
        return None
    return ImportResult(
        drafts=[RecipeDraft(**draft) for draft in data["drafts"]],
        broken=[BrokenRecipe(**broken) for broken in data["broken"]],
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_confirm(request: HttpRequest) -> HttpResponse:
    pending = _pending(request)
    if pending is None:
        messages.warning(request, "There is no file waiting to be imported.")
        return redirect("recipes:import")
    if request.method == "GET" or request.method == "HEAD":
        return render(request, "foods/recipes/import_confirm.html", {"pending": pending})
    del request.session[PENDING_KEY]
    if request.POST.get("action") != "import":
        messages.info(request, "Nothing was imported.")
        return redirect("recipes:import")
    return _to_review(request, pending.drafts)
