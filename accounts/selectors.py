from __future__ import annotations

from accounts.models import Profile, User


def profile_for(user: User) -> Profile:
    """Return the user's profile, creating an empty one the first time."""
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile
