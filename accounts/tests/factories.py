import factory

from accounts.models import Profile, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("Magnesium-420-mg!")


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    birth_date = factory.Faker("date_of_birth", minimum_age=31, maximum_age=50)
    sex = "male"
    diet = "omnivore"


def household_with_owner(owner=None, name: str = "Home"):
    """A household whose owner (a user with an adult profile) is its first member."""
    from accounts.models import Household, Member

    owner = owner or ProfileFactory().user
    household = Household.objects.create(name=name, owner=owner)
    Member.objects.create(household=household, user=owner)
    return household


def dependent(household, name: str = "Mia", age: int = 7, **fields):
    """A dependent of `age` whole years (born a little over `age` years ago)."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import Member

    today = timezone.localdate()
    born = today.replace(year=today.year - age, day=min(today.day, 28)) - timedelta(days=1)
    fields.setdefault("sex", "female")
    return Member.objects.create(household=household, name=name, birth_date=born, **fields)
