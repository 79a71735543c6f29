"""The message house: typed blocks so the API and the alignment check can address each line."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class PillarBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Pillar"), max_length=255)
    talking_points = blocks.ListBlock(
        blocks.CharBlock(label=_("Talking point"), max_length=500), label=_("Talking points"), min_num=1
    )

    class Meta:
        icon = "list-ul"
        label = _("Pillar")


class QuestionAnswerBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=500)
    answer = blocks.TextBlock(label=_("Answer"))

    class Meta:
        icon = "help"
        label = _("Q&A line")


class FactBlock(blocks.StructBlock):
    statement = blocks.TextBlock(label=_("Fact"))
    source_title = blocks.CharBlock(label=_("Source"), max_length=255)
    source_url = blocks.URLBlock(label=_("Source link"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Fact with source")


class LineToAvoidBlock(blocks.CharBlock):
    class Meta:
        icon = "warning"
        label = _("Line to avoid")


class MessageHouseBlock(blocks.StreamBlock):
    pillar = PillarBlock()
    qa = QuestionAnswerBlock()
    fact = FactBlock()
    avoid = LineToAvoidBlock(max_length=500)

    class Meta:
        block_counts = {"pillar": {"min_num": 1}}
