from django.urls import path

from mealplan import intake_views

app_name = "intake"

urlpatterns = [
    path("today/", intake_views.today, name="today"),
    path("today/search/", intake_views.search, name="search"),
    path("today/log/", intake_views.log, name="log"),
    path("today/entries/<int:pk>/eaten/", intake_views.entry_eaten, name="entry_eaten"),
    path("today/entries/<int:pk>/skip/", intake_views.entry_skip, name="entry_skip"),
    path("today/entries/<int:pk>/replace/", intake_views.entry_replace, name="entry_replace"),
    path("today/items/<int:pk>/undo/", intake_views.item_undo, name="item_undo"),
    path("history/", intake_views.history, name="history"),
    path("history/intake.csv", intake_views.history_csv, name="history_csv"),
]
