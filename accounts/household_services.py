"""Writes for households: create, invite, accept or decline, dependents, eating patterns,
leave, remove, hand over, delete. Each is atomic and raises HouseholdError(message) on a
rule it refuses, having saved nothing."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone

from accounts.models import (
    INVITATION_DAYS,
    EatingPattern,
    Household,
    Invitation,
    MealSlot,
    Member,
    User,
)

# Sent after a household changed owner (hand over), with household, old_owner, new_owner:
# mealplan connects to it to move the household's weeks to the new owner (accounts does not
# import mealplan).
household_handed_over = Signal()

ALREADY_IN_A_HOUSEHOLD = "You already belong to a household; leave it before you join another."
ADULT_AGE = 18


class HouseholdError(Exception):
    """A household rule refused the change; the message is for the user, the status for the
    page that says so (404 for what the user must not learn exists, 410 for a spent link)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


INVALID_LINK = "This invitation link is not valid."
FOR_ANOTHER_ACCOUNT = "This invitation is for another account."


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def household_create(*, owner: User, name: str) -> Household:
    """Create a household with `owner` as its owner and first member."""
    name = (name or "").strip()
    if not name:
        raise HouseholdError("Give the household a name.")
    if Member.objects.select_for_update().filter(user=owner).exists():
        raise HouseholdError(ALREADY_IN_A_HOUSEHOLD)
    household = Household.objects.create(name=name[:80], owner=owner)
    try:
        with transaction.atomic():
            Member.objects.create(household=household, user=owner)
    except IntegrityError as error:  # a second request won the race
        raise HouseholdError(ALREADY_IN_A_HOUSEHOLD) from error
    return household


@transaction.atomic
def invitation_create(*, household: Household, by: User, invitee: User) -> tuple[Invitation, str]:
    """Invite a registered user; return the invitation and its raw token (shown once)."""
    if by.pk != household.owner_id:
        raise HouseholdError("Only the household's owner can invite.")
    if invitee.pk == by.pk:
        raise HouseholdError("You cannot invite yourself.")
    membership = Member.objects.filter(user=invitee).first()
    if membership is not None:
        if membership.household_id == household.pk:
            raise HouseholdError("This person is already a member of your household.")
        raise HouseholdError("This person already belongs to another household.")
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        household=household,
        token_hash=token_hash(token),
        created_by=by,
        invitee=invitee,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    return invitation, token


def invitation_problem(invitation: Invitation, user: User) -> HouseholdError | None:
    """Why `user` cannot answer this invitation, or None."""
    if invitation.invitee_id is not None and invitation.invitee_id != user.pk:
        return HouseholdError(FOR_ANOTHER_ACCOUNT, 404)
    if invitation.used_at is not None:
        return HouseholdError("This invitation has already been used.", 410)
    if invitation.declined_at is not None:
        return HouseholdError("This invitation was declined.", 410)
    if invitation.is_expired:
        return HouseholdError("This invitation has expired; ask for a new one.", 410)
    if invitation.created_by_id == user.pk:
        return HouseholdError("You cannot accept your own invitation.", 400)
    return None


def _open_invitation(token: str, user: User) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("household")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None:
        raise HouseholdError(INVALID_LINK, 404)
    problem = invitation_problem(invitation, user)
    if problem:
        raise problem
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Member:
    invitation = _open_invitation(token, user)
    if Member.objects.select_for_update().filter(user=user).exists():
        raise HouseholdError(ALREADY_IN_A_HOUSEHOLD, 409)
    try:
        with transaction.atomic():
            member = Member.objects.create(household=invitation.household, user=user)
    except IntegrityError as error:
        raise HouseholdError(ALREADY_IN_A_HOUSEHOLD, 409) from error
    invitation.used_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["used_at", "accepted_by"])
    return member


@transaction.atomic
def invitation_decline(*, token: str, user: User) -> Invitation:
    invitation = _open_invitation(token, user)
    invitation.declined_at = timezone.now()
    invitation.save(update_fields=["declined_at"])
    return invitation


@transaction.atomic
def dependent_save(*, member: Member) -> Member:
    """Save a dependent built by DependentForm (its household already set)."""
    if member.user_id is not None:
        raise HouseholdError("Only a dependent's details can be edited here.")
    member.save()
    return member


@transaction.atomic
def member_remove(*, household: Household, member: Member, by: User) -> None:
    """The owner removes a member (a dependent or a user); the owner cannot remove themself."""
    if by.pk != household.owner_id:
        raise HouseholdError("Only the household's owner can remove members.")
    if member.household_id != household.pk:
        raise HouseholdError("This member is not in your household.")
    if member.user_id == household.owner_id:
        raise HouseholdError("You own this household: hand it over or delete it instead.")
    member.delete()


@transaction.atomic
def household_leave(*, user: User) -> None:
    member = Member.objects.select_related("household").filter(user=user).first()
    if member is None:
        raise HouseholdError("You do not belong to a household.")
    if member.household.owner_id == user.pk:
        raise HouseholdError("You own this household: hand it over or delete it instead.")
    member.delete()


def adult_heirs(household: Household) -> list[Member]:
    """The registered members aged 18 or over (by their profile) who could take the household."""
    today = timezone.localdate()
    members = Member.objects.filter(household=household, user__isnull=False).exclude(
        user_id=household.owner_id
    )
    heirs = []
    for member in members.select_related("user__profile"):
        age = member.age(today)
        if age is not None and age >= ADULT_AGE:
            heirs.append(member)
    return sorted(heirs, key=lambda m: m.display_name.casefold())


@transaction.atomic
def household_hand_over(*, household: Household, by: User, heir: Member) -> Household:
    """Make another adult registered member the owner; the old owner stays a member."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    if by.pk != household.owner_id:
        raise HouseholdError("Only the household's owner can hand it over.")
    if heir.pk not in {m.pk for m in adult_heirs(household)}:
        raise HouseholdError("Choose another adult member of this household with an account.")
    old_owner = household.owner
    household.owner = heir.user
    household.save(update_fields=["owner"])
    household_handed_over.send(
        sender=Household, household=household, old_owner=old_owner, new_owner=heir.user
    )
    return household


@transaction.atomic
def household_delete(*, household: Household, by: User) -> None:
    """Delete the household with its dependents; its user members simply leave it."""
    if by.pk != household.owner_id:
        raise HouseholdError("Only the household's owner can delete it.")
    household.delete()


# -- eating patterns ----------------------------------------------------------------------------
EATS, OUT, SAME = "eats", "out", ""


@transaction.atomic
def eating_pattern_set(*, member: Member, grid: Mapping[tuple[str, int | None], str]) -> None:
    """Replace a member's eating pattern from a grid {(slot, weekday or None): value}.

    The default (weekday None) is EATS or OUT; a weekday is SAME (as the default), EATS or OUT.
    Only what differs from "eats every day" is stored: a default row when the default is OUT,
    an exception when a weekday differs from the default."""
    rows = []
    for slot in MealSlot.values:
        default = grid.get((slot, None), EATS)
        if default not in (EATS, OUT):
            raise HouseholdError(f"Choose eats or out for {slot}.")
        if default == OUT:
            rows.append(EatingPattern(member=member, slot=slot, weekday=None, eats=False))
        for weekday in range(7):
            value = grid.get((slot, weekday), SAME)
            if value not in (SAME, EATS, OUT):
                raise HouseholdError(f"Choose same, eats or out for {slot}.")
            if value != SAME and value != default:
                rows.append(
                    EatingPattern(member=member, slot=slot, weekday=weekday, eats=value == EATS)
                )
    EatingPattern.objects.filter(member=member).delete()
    EatingPattern.objects.bulk_create(rows)


def eating_grid(member: Member) -> dict[tuple[str, int | None], str]:
    """The member's pattern as the grid eating_pattern_set takes."""
    grid: dict[tuple[str, int | None], str] = {}
    for slot in MealSlot.values:
        grid[(slot, None)] = EATS
        for weekday in range(7):
            grid[(slot, weekday)] = SAME
    for row in member.eating.all():
        grid[(row.slot, row.weekday)] = EATS if row.eats else OUT
    return grid
