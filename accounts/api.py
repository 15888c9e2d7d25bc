"""The profile's targets in the REST API (/api/v1/profile/): read only."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.selectors import profile_for


class TargetsSerializer(serializers.Serializer):
    magnesium_target_mg = serializers.IntegerField()
    magnesium_target_basis = serializers.CharField()
    kcal_min = serializers.IntegerField()
    kcal_max = serializers.IntegerField()
    kcal_basis = serializers.CharField()
    carbohydrate_max_g = serializers.IntegerField(allow_null=True, help_text="null: no cap.")
    sodium_max_mg = serializers.IntegerField(allow_null=True, help_text="null: no cap.")
    supplement_upper_limit_mg = serializers.IntegerField(
        help_text="Upper limit for magnesium from supplements and fortified products a day."
    )
    diet = serializers.CharField()
    avoid_allergens = serializers.ListField(child=serializers.CharField())
    plan_from = serializers.CharField()
    time_zone = serializers.CharField()
    profile_complete = serializers.BooleanField(
        help_text="False until birth date and sex are given (the target is then a default)."
    )


def profile_targets(profile) -> dict:
    window = profile.calorie_window
    return {
        "magnesium_target_mg": profile.magnesium_target_mg,
        "magnesium_target_basis": profile.magnesium_target_basis,
        "kcal_min": window.kcal_min,
        "kcal_max": window.kcal_max,
        "kcal_basis": window.basis,
        "carbohydrate_max_g": profile.carbohydrate_max_g,
        "sodium_max_mg": profile.sodium_max_mg,
        "supplement_upper_limit_mg": profile.supplement_upper_limit_mg,
        "diet": profile.diet,
        "avoid_allergens": list(profile.avoid_allergens or []),
        "plan_from": profile.plan_from,
        "time_zone": profile.time_zone,
        "profile_complete": profile.is_complete,
    }


class ProfileTargetsView(APIView):
    """Your daily targets, as the profile page shows them."""

    @extend_schema(responses=TargetsSerializer, tags=["profile"])
    def get(self, request):
        return Response(TargetsSerializer(profile_targets(profile_for(request.user))).data)
