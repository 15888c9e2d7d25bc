"""The profile page's API tokens: make one (its key shown once), revoke one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.token_services import TokenError, token_create, token_revoke, tokens_for


@login_required
@require_POST
def token_add(request: HttpRequest) -> HttpResponse:
    """Make a named token and show its key once, on this answer only (never stored)."""
    try:
        new = token_create(user=request.user, name=request.POST.get("name", ""))
    except TokenError as error:
        messages.error(request, f"{error} No token was made.")
        return redirect("accounts:tokens")
    context = {"tokens": tokens_for(request.user), "new_token": new}
    return render(request, "accounts/tokens.html", context, status=201)


@login_required
@require_GET
def tokens(request: HttpRequest) -> HttpResponse:
    """List the user's tokens: name, when made and when last used (never the key)."""
    return render(request, "accounts/tokens.html", {"tokens": tokens_for(request.user)})


@login_required
@require_POST
def token_delete(request: HttpRequest, token_id: int) -> HttpResponse:
    if not token_revoke(user=request.user, token_id=token_id):
        raise Http404("No such token.")
    messages.success(request, "Token revoked: apps using it can no longer reach your data.")
    return redirect("accounts:tokens")
