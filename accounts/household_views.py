"""Household pages: thin views over accounts.household_services and household_forms.

Every page about a household answers 404 to anyone outside it (a member id of another
household is 404 too); what only the owner may do answers 403 to the other members.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts import household_services as services
from accounts.household_forms import (
    DependentForm,
    EatingPatternForm,
    HeirForm,
    HouseholdCreateForm,
    InviteForm,
)
from accounts.models import WEEKDAY_NAMES, Invitation, Member
from accounts.selectors import household_members, member_for

NOTHING_SAVED = "Please correct the errors below; nothing was saved."
TOKEN_MAX_LENGTH = 100


def _membership(request: HttpRequest) -> Member:
    """The user's own Member row; 404 when they belong to no household."""
    member = member_for(request.user)
    if member is None:
        raise Http404("You do not belong to a household.")
    return member


def _owner_membership(request: HttpRequest) -> Member:
    member = _membership(request)
    if member.household.owner_id != request.user.pk:
        raise PermissionDenied("Only the household's owner can do this.")
    return member


def _member_of(household, member_id: int) -> Member:
    return get_object_or_404(
        Member.objects.select_related("user__profile", "household"),
        pk=member_id,
        household=household,
    )


@login_required
@require_http_methods(["GET"])
def household(request: HttpRequest) -> HttpResponse:
    """The user's household (members, targets, windows), or a form to create one."""
    me = member_for(request.user)
    if me is None:
        return render(request, "accounts/household/none.html", {"form": HouseholdCreateForm()})
    home = me.household
    is_owner = home.owner_id == request.user.pk
    invitations = []
    if is_owner:
        invitations = [
            invitation
            for invitation in home.invitations.select_related("invitee").order_by("-created_at")
            if invitation.is_open
        ]
    return render(
        request,
        "accounts/household/home.html",
        {
            "household": home,
            "me": me,
            "is_owner": is_owner,
            "members": household_members(home),
            "invitations": invitations,
        },
    )


@login_required
@require_POST
def household_create(request: HttpRequest) -> HttpResponse:
    form = HouseholdCreateForm(request.POST)
    if form.is_valid():
        try:
            services.household_create(owner=request.user, name=form.cleaned_data["name"])
        except services.HouseholdError as error:
            messages.error(request, error.message)
            return redirect("accounts:household")
        messages.success(request, "Household created. Add a dependent or invite someone.")
        return redirect("accounts:household")
    if member_for(request.user) is not None:
        messages.error(request, services.ALREADY_IN_A_HOUSEHOLD)
        return redirect("accounts:household")
    messages.error(request, NOTHING_SAVED)
    return render(request, "accounts/household/none.html", {"form": form}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def household_invite(request: HttpRequest) -> HttpResponse:
    """The owner names a registered user; the answer shows the link, once."""
    me = _owner_membership(request)
    form = InviteForm(request.POST or None, household=me.household, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                invitation, token = services.invitation_create(
                    household=me.household, by=request.user, invitee=form.cleaned_data["who"]
                )
            except services.HouseholdError as error:
                form.add_error("who", error.message)
            else:
                link = request.build_absolute_uri(reverse("accounts:household_join", args=[token]))
                return render(
                    request,
                    "accounts/household/invite_link.html",
                    {"household": me.household, "invitation": invitation, "link": link},
                )
        messages.error(request, "Nobody was invited; see below.")
    return render(
        request, "accounts/household/invite.html", {"household": me.household, "form": form}
    )


def _invitation_for_token(token: str) -> Invitation | None:
    if len(token) > TOKEN_MAX_LENGTH:
        return None
    return (
        Invitation.objects.select_related("household__owner", "created_by", "invitee")
        .filter(token_hash=services.token_hash(token))
        .first()
    )


def _invalid_invitation(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(
        request, "accounts/household/join_invalid.html", {"message": message}, status=status
    )


@login_required
@require_http_methods(["GET"])
def household_join(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation link: who invites you where, and Accept / Decline."""
    invitation = _invitation_for_token(token)
    if invitation is None:
        return _invalid_invitation(request, services.INVALID_LINK, 404)
    problem = services.invitation_problem(invitation, request.user)
    if problem:
        return _invalid_invitation(request, problem.message, problem.status)
    already = member_for(request.user)
    return render(
        request,
        "accounts/household/join.html",
        {"invitation": invitation, "token": token, "already": already},
    )


def _answer(request: HttpRequest, token: str, accept: bool) -> HttpResponse:
    if len(token) > TOKEN_MAX_LENGTH:
        return _invalid_invitation(request, services.INVALID_LINK, 404)
    try:
        if accept:
            member = services.invitation_accept(token=token, user=request.user)
        else:
            services.invitation_decline(token=token, user=request.user)
    except services.HouseholdError as error:
        return _invalid_invitation(request, error.message, error.status)
    if accept:
        messages.success(request, f"Welcome to {member.household.name}.")
        return redirect("accounts:household")
    messages.info(request, "Invitation declined.")
    return redirect("accounts:household")


@login_required
@require_POST
def household_accept(request: HttpRequest, token: str) -> HttpResponse:
    return _answer(request, token, accept=True)


@login_required
@require_POST
def household_decline(request: HttpRequest, token: str) -> HttpResponse:
    return _answer(request, token, accept=False)


def _dependent_page(request: HttpRequest, form: DependentForm, member: Member | None):
    return render(
        request,
        "accounts/household/dependent_form.html",
        {"form": form, "member": member, "household": form.instance.household},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def household_dependent_add(request: HttpRequest) -> HttpResponse:
    me = _owner_membership(request)
    form = DependentForm(request.POST or None, household=me.household)
    if request.method == "POST":
        if form.is_valid():
            member = services.dependent_save(member=form.save(commit=False))
            messages.success(request, f"{member.display_name} added.")
            return redirect("accounts:household")
        messages.error(request, NOTHING_SAVED)
    return _dependent_page(request, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def household_dependent_edit(request: HttpRequest, member_id: int) -> HttpResponse:
    me = _membership(request)
    member = _member_of(me.household, member_id)
    if me.household.owner_id != request.user.pk:
        raise PermissionDenied("Only the household's owner can edit a dependent.")
    if not member.is_dependent:
        raise Http404("Only a dependent's details are edited here.")
    form = DependentForm(request.POST or None, instance=member, household=me.household)
    if request.method == "POST":
        if form.is_valid():
            services.dependent_save(member=form.save(commit=False))
            messages.success(request, f"{member.display_name} saved.")
            return redirect("accounts:household")
        messages.error(request, NOTHING_SAVED)
        member.refresh_from_db()
    return _dependent_page(request, form, member)


def _confirm(request, *, title: str, text: str, button: str, status: int = 200, form=None):
    return render(
        request,
        "accounts/household/confirm.html",
        {"title": title, "text": text, "button": button, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def household_member_remove(request: HttpRequest, member_id: int) -> HttpResponse:
    me = _membership(request)
    member = _member_of(me.household, member_id)
    if me.household.owner_id != request.user.pk:
        raise PermissionDenied("Only the household's owner can remove members.")
    name = member.display_name
    if request.method == "POST":
        try:
            services.member_remove(household=me.household, member=member, by=request.user)
        except services.HouseholdError as error:
            messages.error(request, error.message)
            return redirect("accounts:household")
        messages.success(request, f"{name} removed from the household.")
        return redirect("accounts:household")
    what = (
        "Their details and eating pattern are deleted."
        if member.is_dependent
        else "They keep their account and their own weeks."
    )
    return _confirm(
        request,
        title=f"Remove {name}?",
        text=f"{name} leaves {me.household.name}. {what}",
        button="Remove",
    )


@login_required
@require_http_methods(["GET", "POST"])
def household_eating(request: HttpRequest, member_id: int) -> HttpResponse:
    """Which slots a member eats at home: the owner sets anyone's, a user member their own."""
    me = _membership(request)
    member = _member_of(me.household, member_id)
    if me.household.owner_id != request.user.pk and member.pk != me.pk:
        raise PermissionDenied("Only the owner, or the member themself, can change this.")
    form = EatingPatternForm(request.POST or None, grid=services.eating_grid(member))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.eating_pattern_set(member=member, grid=form.grid())
            except services.HouseholdError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"{member.display_name}'s meals at home saved.")
                return redirect("accounts:household")
        messages.error(request, NOTHING_SAVED)
        status = 400
    return render(
        request,
        "accounts/household/eating.html",
        {"member": member, "form": form, "weekdays": WEEKDAY_NAMES, "household": me.household},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def household_leave(request: HttpRequest) -> HttpResponse:
    me = _membership(request)
    if request.method == "POST":
        try:
            services.household_leave(user=request.user)
        except services.HouseholdError as error:
            messages.error(request, error.message)
            return redirect("accounts:household")
        messages.success(request, f"You left {me.household.name}.")
        return redirect("accounts:household")
    if me.household.owner_id == request.user.pk:
        messages.error(request, "You own this household: hand it over or delete it instead.")
        return redirect("accounts:household")
    return _confirm(
        request,
        title=f"Leave {me.household.name}?",
        text="You keep your account and your own weeks; the household plans without you.",
        button="Leave the household",
    )


@login_required
@require_http_methods(["GET", "POST"])
def household_hand_over(request: HttpRequest) -> HttpResponse:
    me = _owner_membership(request)
    heirs = services.adult_heirs(me.household)
    form = HeirForm(request.POST or None, heirs=heirs)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            heir = form.cleaned_data["heir"]
            try:
                services.household_hand_over(household=me.household, by=request.user, heir=heir)
            except services.HouseholdError as error:
                form.add_error("heir", error.message)
            else:
                messages.success(request, f"{heir.display_name} now owns the household.")
                return redirect("accounts:household")
        messages.error(request, "The household was not handed over; see below.")
        status = 400
    return render(
        request,
        "accounts/household/hand_over.html",
        {"household": me.household, "form": form, "heirs": heirs},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def household_delete(request: HttpRequest) -> HttpResponse:
    me = _owner_membership(request)
    if request.method == "POST":
        name = me.household.name
        services.household_delete(household=me.household, by=request.user)
        messages.success(request, f"{name} and its dependents were deleted.")
        return redirect("accounts:household")
    return _confirm(
        request,
        title=f"Delete {me.household.name}?",
        text="This deletes the household, its dependents and their details. Members with an "
        "account keep their accounts and their own weeks.",
        button="Delete the household",
    )
