import factory
from django.contrib.auth.hashers import make_password

from accounts.models import Profile, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.LazyFunction(lambda: make_password("Magnesium-420-mg!"))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        raw = kwargs.pop("password", None)
        if raw and not raw.startswith(("pbkdf2_", "argon2", "bcrypt")):
            kwargs["password"] = make_password(raw)
        elif raw:
            kwargs["password"] = raw
        return super()._create(model_class, *args, **kwargs)


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    birth_date = factory.Faker("date_of_birth", minimum_age=31, maximum_age=50)
    sex = "male"
    diet = "omnivore"
