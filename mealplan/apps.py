from django.apps import AppConfig


class MealplanConfig(AppConfig):
    name = "mealplan"
    verbose_name = "Weekly plans"
