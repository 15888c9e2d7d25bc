from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts import services, throttle
from accounts.forms import DeleteAccountForm, PasswordResetForm, ProfileForm, SignUpForm
from accounts.selectors import profile_for

TOO_MANY_RESETS = (
    "Too many password-reset requests for this address or from here; "
    "please wait an hour and try again."
)
TOO_MANY_SIGNUPS = (
    "Too many sign-up attempts for this email address or from here; "
    "please wait an hour and try again."
)


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link, a few times an hour per client and per email address."""

    form_class = PasswordResetForm

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        # Counted whether or not an account uses the address, so the answer tells nothing.
        if throttle.over_limit(
            throttle.PASSWORD_RESET_LIMIT,
            address=throttle.client_address(self.request),
            email=form.cleaned_data["email"],
        ):
            form.add_error(None, TOO_MANY_RESETS)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Create an account, log in and go on to the profile."""
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and throttle.over_limit(
        throttle.SIGNUP_LIMIT,
        address=throttle.client_address(request),
        email=request.POST.get("email", ""),
    ):
        messages.error(request, TOO_MANY_SIGNUPS)
        # A fresh form: validating this one would say whether the email is registered.
        return render(request, "registration/signup.html", {"form": SignUpForm()}, status=429)
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
        heir = form.heir if form.household is not None else None
        logout(request)
        services.user_delete(user=user, heir=heir)
        messages.success(request, "Your account and all your data have been deleted.")
        return redirect("home")
    if form.is_bound:
        messages.error(request, "Your account was not deleted; see below.")
    return render(request, "accounts/delete_account.html", {"form": form})
