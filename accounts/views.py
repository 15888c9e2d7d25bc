from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.forms import DeleteAccountForm, ProfileForm, SignUpForm
from accounts.selectors import profile_for


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Create an account, log in and go on to the profile."""
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome! Tell us a little about you to set your target.")
        return redirect("accounts:profile")
    return render(request, "registration/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """Show and edit the user's own profile and the targets it gives."""
    instance = profile_for(request.user)
    form = ProfileForm(request.POST or None, instance=instance)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "Profile saved.")
            return redirect("accounts:profile")
        messages.error(request, "Please correct the errors below; nothing was saved.")
        instance.refresh_from_db()
    return render(request, "accounts/profile.html", {"form": form, "profile": instance})


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    """Delete the user's account and everything in it, once they type their password."""
    # Not `request.POST or None`: an empty POST must be refused, not shown as a fresh form.
    data = request.POST if request.method == "POST" else None
    form = DeleteAccountForm(data, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        user.delete()  # profile, plans and entries go with it (cascade)
        messages.success(request, "Your account and all your data have been deleted.")
        return redirect("home")
    if form.is_bound:
        messages.error(request, "Your account was not deleted; see below.")
    return render(request, "accounts/delete_account.html", {"form": form})
