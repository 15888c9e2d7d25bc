from django.apps import AppConfig


class MealplanConfig(AppConfig):
    name = "mealplan"
    verbose_name = "Weekly plans"

    def ready(self) -> None:
        from mealplan import receivers  # noqa: F401  (connects the household receivers)
