from django.urls import path

from mealplan import views

app_name = "mealplan"

urlpatterns = [
    path("", views.week, name="week"),
]
