from django.urls import path

from foods import views

app_name = "foods"

urlpatterns = [
    path("", views.food_list, name="food_list"),
]
