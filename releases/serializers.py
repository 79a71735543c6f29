"""The documented shape of the releases API (OpenAPI)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from releases.enums import ReleaseStatus


class PositionsSerializer(serializers.Serializer):
    first = serializers.IntegerField(allow_null=True)
    last = serializers.IntegerField(allow_null=True)


class ReleaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=[ReleaseStatus.SCHEDULED, ReleaseStatus.LIVE])
    go_live_at = serializers.DateTimeField(allow_null=True, help_text=_("When it goes (or went) live."))
    embargo_until = serializers.DateTimeField(
        allow_null=True, help_text=_("The public sees it only after this time; institutions at go-live.")
    )
    message_count = serializers.IntegerField(help_text=_("Member messages addressed to your institution."))
    page_count = serializers.IntegerField(help_text=_("Member campaign pages."))
    message_ids = serializers.ListField(
        child=serializers.UUIDField(),
        allow_null=True,
        help_text=_("Once live: the member messages you may read (`/api/v1/messages/<id>/`). Null before."),
    )
    campaign_ids = serializers.ListField(child=serializers.UUIDField(), allow_null=True)
    positions = PositionsSerializer(
        allow_null=True, help_text=_("Once live: the change-feed positions its members' events took, one run.")
    )
