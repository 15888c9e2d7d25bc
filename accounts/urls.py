from django.urls import path

from accounts import household_views, token_views, views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("profile/", views.profile, name="profile"),
    path("delete/", views.delete_account, name="delete_account"),
    # API tokens (issue 14)
    path("profile/tokens/", token_views.tokens, name="tokens"),
    path("profile/tokens/new/", token_views.token_add, name="token_add"),
    path("profile/tokens/<int:token_id>/revoke/", token_views.token_delete, name="token_revoke"),
    # Households (issue 12)
    path("household/", household_views.household, name="household"),
    path("household/create/", household_views.household_create, name="household_create"),
    path("household/invite/", household_views.household_invite, name="household_invite"),
    path("household/join/<str:token>/", household_views.household_join, name="household_join"),
    path(
        "household/join/<str:token>/accept/",
        household_views.household_accept,
        name="household_accept",
    ),
    path(
        "household/join/<str:token>/decline/",
        household_views.household_decline,
        name="household_decline",
    ),
    path(
        "household/dependents/new/",
        household_views.household_dependent_add,
        name="household_dependent_add",
    ),
    path(
        "household/members/<int:member_id>/edit/",
        household_views.household_dependent_edit,
        name="household_dependent_edit",
    ),
    path(
        "household/members/<int:member_id>/eating/",
        household_views.household_eating,
        name="household_eating",
    ),
    path(
        "household/members/<int:member_id>/remove/",
        household_views.household_member_remove,
        name="household_member_remove",
    ),
    path("household/leave/", household_views.household_leave, name="household_leave"),
    path("household/hand-over/", household_views.household_hand_over, name="household_hand_over"),
    path("household/delete/", household_views.household_delete, name="household_delete"),
]
