"""Input validation and the documented shape of API responses (OpenAPI)."""

from __future__ import annotations

from datetime import UTC, datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]


def has_utc_instant(value: datetime) -> bool:
    """Whether the moment can be written in UTC (a naive value read in the site's zone), as the database adapters
    do: 0001-01-01T00:00 east of Greenwich and 9999-12-31T23:59 west of it cannot, and raised OverflowError."""
    try:
        aware = value if timezone.is_aware(value) else timezone.make_aware(value)
        aware.astimezone(UTC)
    except OverflowError:
        return False
    return True


class InstantField(serializers.DateTimeField):
    """DRF's date-time, refusing a moment that has no UTC equivalent with a 400 instead of a 500: DRF's own check
    of a naive value in the site's zone (`valid_datetime`) overflows at the calendar's edges, and the database
    adapters convert to UTC."""

    def to_internal_value(self, value: datetime | str) -> datetime:
        try:
            instant: datetime = super().to_internal_value(value)
        except OverflowError:
            self.fail("overflow")
        if not has_utc_instant(instant):
            self.fail("overflow")
        return instant


class MessageListQuerySerializer(serializers.Serializer):
    locale = serializers.ChoiceField(choices=LANGUAGES, required=False, help_text=_("Only this language."))
    topic = serializers.CharField(required=False, max_length=80, help_text=_("Topic slug."))
    campaign = serializers.UUIDField(required=False, help_text=_("Campaign id."))
    updated_since = InstantField(required=False, help_text=_("ISO 8601 date-time."))


class MessageDetailQuerySerializer(serializers.Serializer):
    locale = serializers.ChoiceField(choices=LANGUAGES, required=False)


class NameSerializer(serializers.Serializer):
    ar = serializers.CharField()
    en = serializers.CharField()


class InstitutionRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = NameSerializer()


class TopicRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class CampaignRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    title = serializers.CharField()


class BlockSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["pillar", "qa", "fact", "avoid"])
    id = serializers.CharField()
    value = serializers.JSONField(
        help_text=_(
            "pillar: {title, talking_points[]}; qa: {question, answer}; "
            "fact: {statement, source_title, source_url}; avoid: the line to avoid (string)."
        )
    )


class RenditionSerializer(serializers.Serializer):
    url = serializers.URLField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class MediaItemSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["image", "document"])
    id = serializers.CharField()
    alt = serializers.CharField(
        required=False, allow_blank=True, help_text=_("image: its text alternative, in this language.")
    )
    caption = serializers.CharField(required=False, allow_blank=True)
    width = serializers.IntegerField(required=False, help_text=_("image: the original's width in pixels."))
    height = serializers.IntegerField(required=False)
    renditions = serializers.DictField(
        child=RenditionSerializer(),
        required=False,
        help_text=_("image: large (at most 1200×1200) and thumbnail (400×300, cropped)."),
    )
    title = serializers.CharField(
        required=False, allow_blank=True, help_text=_("document: the link text, in this language.")
    )
    url = serializers.URLField(required=False, help_text=_("document: its download address."))
    filename = serializers.CharField(required=False)
    content_type = serializers.CharField(required=False)
    size = serializers.IntegerField(required=False, allow_null=True, help_text=_("document: in bytes."))


class TranslationSerializer(serializers.Serializer):
    locale = serializers.ChoiceField(choices=LANGUAGES)
    version = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["source", "current", "outdated"])
    title = serializers.CharField()
    key_message = serializers.CharField()
    body = BlockSerializer(many=True)
    media = MediaItemSerializer(many=True)
    change_note = serializers.CharField(allow_blank=True)
    topic = TopicRefSerializer()
    campaign = CampaignRefSerializer(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()


class ResponsibilitiesSerializer(serializers.Serializer):
    owner = InstitutionRefSerializer()
    clearing_authority = serializers.CharField(allow_blank=True)
    spokesperson = serializers.CharField(allow_blank=True)


class MessageSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    version = serializers.IntegerField()
    owner = InstitutionRefSerializer()
    responsibilities = ResponsibilitiesSerializer()
    audience = serializers.ChoiceField(choices=["all", "restricted"])
    public = serializers.BooleanField()
    reviewed = serializers.BooleanField(
        help_text=_("False while a message released by emergency publishing waits for a second approver's review.")
    )
    translation_pending = serializers.BooleanField(
        help_text=_("True when the Arabic was released before a required translation; the translation follows.")
    )
    go_live_at = serializers.DateTimeField(allow_null=True)
    embargo_until = serializers.DateTimeField(allow_null=True)
    expire_at = serializers.DateTimeField(allow_null=True)
    due_date = serializers.DateField(allow_null=True)
    supersedes = serializers.UUIDField(allow_null=True)
    updated_at = serializers.DateTimeField()
    translations = serializers.DictField(child=TranslationSerializer())


class ChangeQuerySerializer(serializers.Serializer):
    after = serializers.IntegerField(
        required=False, min_value=0, max_value=2**63 - 1, default=0, help_text=_("Last position seen.")
    )  # positions are 64-bit: a larger cursor is a 400, not a database error
    limit = serializers.IntegerField(required=False, min_value=1, max_value=500, default=100)


class ChangeSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    kind = serializers.CharField()
    tombstone = serializers.BooleanField()
    message_id = serializers.UUIDField()
    locale = serializers.CharField()
    version = serializers.IntegerField()
    occurred_at = serializers.DateTimeField()
    message = MessageSerializer(allow_null=True)


class ChangePageSerializer(serializers.Serializer):
    results = ChangeSerializer(many=True)
    next_after = serializers.IntegerField()
    has_more = serializers.BooleanField()


@extend_schema_serializer(examples=[OpenApiExample("Acknowledge", value={"version": 2, "note": "Briefed"})])
class AcknowledgementInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, required=False, help_text=_("Defaults to the current version.")
    )
    kind = serializers.ChoiceField(choices=["message", "withdrawal"], default="message")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    acknowledged_by = serializers.CharField(required=False, allow_blank=True, max_length=255, default="")


class AcknowledgementSerializer(serializers.Serializer):
    message_id = serializers.UUIDField()
    version = serializers.IntegerField()
    kind = serializers.CharField()
    note = serializers.CharField(allow_blank=True)
    acknowledged_by = serializers.CharField(allow_blank=True)
    acknowledged_at = serializers.DateTimeField()
    current_version = serializers.IntegerField(allow_null=True)


class TopicSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    slug = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    locale = serializers.CharField()


class CampaignSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    locale = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    url = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    message_ids = serializers.ListField(child=serializers.UUIDField())


class ErrorSerializer(serializers.Serializer):
    # `{code, message}`, plus `errors` (per field) on validation errors. A comment, not a docstring: the API docs
    # would publish a docstring, in English only, in the Arabic docs too.

    def get_fields(self) -> dict[str, serializers.Field]:
        # `errors` is a property of Serializer itself, so it cannot be declared as a class attribute.
        return {
            "code": serializers.CharField(),
            "message": serializers.CharField(),
            "errors": serializers.JSONField(required=False),
        }
