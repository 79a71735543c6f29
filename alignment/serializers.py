from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from alignment.matching import split_sentences
from alignment.services import MAX_DRAFT_LENGTH

LANGUAGE_CHOICES = [("ar", _("Arabic")), ("en", _("English"))]


class AlignmentInputSerializer(serializers.Serializer):
    text = serializers.CharField(
        max_length=MAX_DRAFT_LENGTH,
        help_text=_("The draft to check, up to 20,000 characters."),
        error_messages={
            "blank": _("The draft is empty: send the text to check."),
            "required": _("Send the draft to check in `text`."),
            "max_length": _("The draft is too long: at most 20,000 characters can be checked at once."),
        },
    )
    locale = serializers.ChoiceField(
        choices=LANGUAGE_CHOICES,
        help_text=_("The language of the draft."),
        error_messages={"invalid_choice": _("`locale` must be `ar` or `en`.")},
    )
    message = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text=_("Optional message id: report which of its pillars and talking points the draft covers."),
        error_messages={"invalid": _("`message` must be a message id (a UUID).")},
    )

    def validate_text(self, value: str) -> str:
        if not split_sentences(value):
            raise serializers.ValidationError(_("The draft has no words to check."))
        return value


class LineMatchSerializer(serializers.Serializer):
    message = serializers.CharField(source="line.message_id", help_text=_("The message id (translation key)."))
    block_type = serializers.CharField(source="line.block_type")
    block_index = serializers.IntegerField(source="line.block_index")
    item_index = serializers.IntegerField(source="line.item_index", allow_null=True)
    field = serializers.CharField(source="line.field")
    line = serializers.CharField(source="line.text")
    version = serializers.IntegerField(source="line.version")
    locale = serializers.CharField(source="line.language", help_text=_("The language row the line comes from."))
    score = serializers.FloatField(help_text=_("Similarity between 0 and 1."))


class SentenceSerializer(serializers.Serializer):
    index = serializers.IntegerField(source="sentence.index")
    text = serializers.CharField(source="sentence.text")
    start = serializers.IntegerField(source="sentence.start")
    end = serializers.IntegerField(source="sentence.end")
    matches = LineMatchSerializer(many=True)


class PointCoverageSerializer(serializers.Serializer):
    pillar_index = serializers.IntegerField()
    item_index = serializers.IntegerField(allow_null=True, help_text=_("Null for the pillar's title."))
    text = serializers.CharField()
    covered = serializers.BooleanField()
    score = serializers.FloatField()
    sentence = serializers.IntegerField(allow_null=True, help_text=_("The draft sentence that covers it."))


class PillarCoverageSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    title = serializers.CharField()
    covered = serializers.BooleanField()
    talking_points = PointCoverageSerializer(many=True)


class CoverageSerializer(serializers.Serializer):
    message = serializers.CharField(source="message_id")
    title = serializers.CharField()
    version = serializers.IntegerField()
    covered_count = serializers.IntegerField()
    total_count = serializers.IntegerField()
    pillars = PillarCoverageSerializer(many=True)
    missing = PointCoverageSerializer(many=True)


class AvoidedLineSerializer(serializers.Serializer):
    message = serializers.CharField(source="message_id")
    index = serializers.IntegerField()
    line = serializers.CharField()
    locale = serializers.CharField(source="language")
    sentence = serializers.IntegerField()


class NumberMismatchSerializer(serializers.Serializer):
    sentence = serializers.IntegerField()
    draft_numbers = serializers.ListField(child=serializers.CharField())
    fact_numbers = serializers.ListField(child=serializers.CharField())
    fact = LineMatchSerializer()


class AlignmentReportSerializer(serializers.Serializer):
    locale = serializers.CharField(source="language")
    sentences = SentenceSerializer(many=True)
    coverage = CoverageSerializer(allow_null=True)
    lines_to_avoid = AvoidedLineSerializer(many=True)
    number_mismatches = NumberMismatchSerializer(many=True)
