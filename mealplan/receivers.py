"""Keep household weeks whole when the household changes hands or loses a member; forget the
gap suggestion's cached candidates when a food or portion changes."""

from __future__ import annotations

from django.db.models import Sum
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from accounts.household_services import household_handed_over
from accounts.models import Member
from foods.models import Food, Portion
from mealplan.models import EntryPortion, IntakeItem, PlanEntry, WeekPlan


@receiver(household_handed_over)
def household_weeks_follow_the_owner(sender, *, household, new_owner, **kwargs) -> None:
    """Give the household's weeks to its new owner (a household week's user is its owner),
    so they outlive the old owner's account."""
    WeekPlan.objects.filter(household=household).update(user=new_owner)


@receiver(pre_delete, sender=Member)
def _note_member_entries(sender, instance: Member, **kwargs) -> None:
    instance._portion_entry_ids = list(
        EntryPortion.objects.filter(member=instance).values_list("entry_id", flat=True)
    )


@receiver(post_delete, sender=Member)
def entries_lose_a_members_portions(sender, instance: Member, **kwargs) -> None:
    """Keep each entry's servings the sum of the portions left; an entry nobody eats goes."""
    # The shopping list reads an entry's servings: a member's cascaded portions must not
    # leave their servings behind in it.
    for entry_id in getattr(instance, "_portion_entry_ids", []):
        total = EntryPortion.objects.filter(entry_id=entry_id).aggregate(total=Sum("servings"))
        entries = PlanEntry.objects.filter(pk=entry_id)
        if total["total"]:
            entries.update(servings=total["total"])
        else:
            entries.delete()


@receiver([post_save, post_delete], sender=Food)
@receiver([post_save, post_delete], sender=Portion)
def _gap_candidates_changed(sender, **kwargs) -> None:
    """A food or portion changed: the gap suggestion's cached candidates are rebuilt."""
    from mealplan.intake_gap import gap_cache_clear

    gap_cache_clear()


@receiver(pre_delete, sender=PlanEntry)
def logged_entry_becomes_an_extra(sender, instance: PlanEntry, **kwargs) -> None:
    """Keep what was eaten when its planned entry goes (a recipe or a week deleted): the log
    row becomes an extra with its snapshot, so Today still shows what it counts."""
    IntakeItem.objects.filter(entry=instance, source=IntakeItem.Source.PLANNED).update(
        source=IntakeItem.Source.EXTRA, entry=None
    )
