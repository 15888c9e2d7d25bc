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


def _eating_rows(member: Member) -> list[dict]:
    return [
        {"slot": row.slot, "weekday": row.weekday, "eats": row.eats}
        for row in sorted(
            member.eating.all(), key=lambda r: (r.slot, r.weekday is not None, r.weekday or 0)
        )
    ]


def household_export(user: User) -> dict | None:
    """The household part of a user's "My data": for the owner, the household with every
    dependent's details (their data belongs to the owner), the other members by name and the
    invitations; for another member, the household's name and their own eating pattern."""
    me = member_for(user)
    if me is None:
        return None
    household = me.household
    if household.owner_id != user.pk:
        return {
            "name": household.name,
            "role": "member",
            "joined_at": me.created_at,
            "eating_pattern": _eating_rows(me),
        }
    members = []
    for member in household_members(household):
        row: dict = {"name": member.display_name, "eating_pattern": _eating_rows(member)}
        if member.is_dependent:
            row.update(
                kind="dependent",
                birth_date=member.birth_date,
                sex=member.sex,
                life_stage=member.life_stage,
                diet=member.dependent_diet,
                avoid_allergens=member.dependent_allergens,
                weight_kg=member.weight_kg,
                height_cm=member.height_cm,
                activity=member.activity,
                kcal_min=member.kcal_min,
                kcal_max=member.kcal_max,
                magnesium_target_mg=member.magnesium_target_mg,
                created_at=member.created_at,
            )
        else:
            row["kind"] = "owner" if member.user_id == user.pk else "member"
        members.append(row)
    invitations = [
        {
            "invitee": invitation.invitee.username if invitation.invitee else None,
            "created_at": invitation.created_at,
            "expires_at": invitation.expires_at,
            "used_at": invitation.used_at,
            "declined_at": invitation.declined_at,
        }
        for invitation in household.invitations.select_related("invitee").order_by("created_at")
    ]
    return {
        "name": household.name,
        "role": "owner",
        "created_at": household.created_at,
        "members": members,
        "invitations": invitations,
    }
