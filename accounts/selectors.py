from __future__ import annotations

from accounts.models import Household, Member, Profile, User


def profile_for(user: User) -> Profile:
    """Return the user's profile, creating an empty one the first time."""
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def household_for(user: User) -> Household | None:
    """Return the household the user belongs to (as owner or member), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    member = Member.objects.select_related("household").filter(user=user).first()
    return member.household if member else None


def member_for(user: User) -> Member | None:
    """Return the user's own Member row, or None when they belong to no household."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Member.objects.select_related("household").filter(user=user).first()


def household_members(household: Household) -> list[Member]:
    """Return the household's members, the owner first, then by name (case-insensitive).

    Users' profiles and every member's eating pattern are loaded with them, so that the
    targets and `eats` read no more rows."""
    members = list(
        Member.objects.filter(household=household)
        .select_related("user__profile", "household")
        .prefetch_related("eating")
    )
    return sorted(
        members,
        key=lambda m: (m.user_id != household.owner_id, m.display_name.casefold(), m.pk),
    )
