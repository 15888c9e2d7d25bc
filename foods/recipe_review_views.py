"""Paste an ingredient list, and the review every way in ends at (one draft at a time)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from foods.recipe_review_forms import PasteForm, RecipeReview, analysed
from foods.recipe_services import RecipeError, recipe_save
from foods.recipes import drafts

# Drafts of this session saved or discarded since none were waiting: "Recipe 2 of 5".
REVIEWED_KEY = "recipe_drafts_reviewed"


@login_required
@require_http_methods(["GET", "POST"])
def paste(request: HttpRequest) -> HttpResponse:
    """Take a name, servings, slots and an ingredient list; review it next."""
    form = PasteForm(request.POST or None)
    if form.is_valid():
        try:
            if not drafts.pending(request.session):
                request.session.pop(REVIEWED_KEY, None)
            (key,) = drafts.store(request.session, [form.draft()])
        except drafts.DraftError as error:
            form.add_error("ingredients", str(error))
        else:
            return redirect("recipes:review", key=key)
    return render(request, "foods/recipes/paste.html", {"form": form})


def _draft_or_404(request: HttpRequest, key: str) -> drafts.RecipeDraft:
    draft = drafts.load(request.session, key)
    if draft is None:
        raise Http404("No recipe waits for review under that address.")
    return draft


def _position(request: HttpRequest, key: str) -> tuple[int, int]:
    """Return this draft's place among the drafts of one import, and how many there are."""
    pending = drafts.pending(request.session)
    done = request.session.get(REVIEWED_KEY, 0)
    return done + pending.index(key) + 1, done + len(pending)


def _next_url(request: HttpRequest, key: str) -> str | None:
    """Drop a reviewed draft; return the next one's review, or None when none is left.

    The next is the one stored after this (an import's next recipe), else the oldest.
    """
    pending = drafts.pending(request.session)
    later = pending[pending.index(key) + 1 :] if key in pending else []
    drafts.discard(request.session, key)
    pending = drafts.pending(request.session)
    if not pending:
        request.session.pop(REVIEWED_KEY, None)
        return None
    request.session[REVIEWED_KEY] = request.session.get(REVIEWED_KEY, 0) + 1
    return reverse("recipes:review", kwargs={"key": (later or pending)[0]})


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, key: str) -> HttpResponse:
    """Show what each line became; save the recipe, recalculate grams, or drop the draft."""
    draft = _draft_or_404(request, key)
    action = request.POST.get("action", "save")
    if request.method == "POST" and action == "discard":
        messages.info(request, f"Dropped {draft.name or 'the recipe'}; nothing was saved.")
        return redirect(_next_url(request, key) or "recipes:paste")
    data = request.POST if request.method == "POST" else None
    form = RecipeReview(draft, analysed(draft.lines), data)
    if data is not None and action == "save" and not form.searched:
        if not form.is_valid():
            messages.error(request, "Nothing was saved: some values need attention (marked).")
        else:
            try:
                meal = recipe_save(owner=request.user, data=form.recipe_data())
            except RecipeError as error:
                messages.error(request, f"Nothing was saved: {error}")
            else:
                messages.success(request, f"Saved {meal.name}.")
                done = _next_url(request, key)
                return redirect(done or reverse("recipes:detail", args=[meal.pk]))
    number, total = _position(request, key)
    context = {"review": form, "draft": draft, "key": key, "number": number, "total": total}
    return render(request, "foods/recipes/review.html", context)
