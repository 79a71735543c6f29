"""The message house: typed blocks so the API and the alignment check can address each line.

Every line is plain text: markup is stripped when it is validated and again when it is stored.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from messaging.sanitise import PlainCharBlock, PlainTextBlock, SafeURLBlock


class PillarBlock(blocks.StructBlock):
    title = PlainCharBlock(label=_("Pillar"), max_length=255)
    talking_points = blocks.ListBlock(
        PlainCharBlock(label=_("Talking point"), max_length=500), label=_("Talking points"), min_num=1
    )

    class Meta:
        icon = "list-ul"
        label = _("Pillar")


class QuestionAnswerBlock(blocks.StructBlock):
    question = PlainCharBlock(label=_("Question"), max_length=500)
    answer = PlainTextBlock(label=_("Answer"))

    class Meta:
        icon = "help"
        label = _("Q&A line")


class FactBlock(blocks.StructBlock):
    statement = PlainTextBlock(label=_("Fact"))
    source_title = PlainCharBlock(label=_("Source"), max_length=255)
    source_url = SafeURLBlock(label=_("Source link"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Fact with source")


class LineToAvoidBlock(PlainCharBlock):
    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        return blocks.Block.deconstruct(self)

    class Meta:
        icon = "warning"
        label = _("Line to avoid")


class MessageHouseBlock(blocks.StreamBlock):
    pillar = PillarBlock()
    qa = QuestionAnswerBlock()
    fact = FactBlock()
    avoid = LineToAvoidBlock(max_length=500)

    def clean(self, value: Any) -> Any:
        """At least one pillar, checked when the form is saved. Not `block_counts`: the editor checks those as soon
        as it opens, so a blank new message greeted its author with "Pillar: minimum 1" in red."""
        no_pillar = not any(child.block_type == "pillar" for child in value)
        try:
            cleaned = super().clean(value)
        except StreamBlockValidationError as error:
            if no_pillar:
                error.non_block_errors.append(self._no_pillar_error())
            raise
        if no_pillar:
            raise StreamBlockValidationError(non_block_errors=[self._no_pillar_error()])
        return cleaned

    def _no_pillar_error(self) -> ValidationError:
        return ValidationError(
            "{}: {}".format(
                self.child_blocks["pillar"].label,
                gettext("The minimum number of items is %(min_num)d") % {"min_num": 1},
            )
        )


# Images and documents that go with the message. They sit in the message's content, so changing them is an edit
# like any other (a new revision, reviewed and approved), and their text is translated with the message.


class MessageImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = PlainCharBlock(
        label=_("Text alternative"),
        max_length=255,
        help_text=_("What the image shows, for people who cannot see it, in the message's language."),
    )
    caption = PlainCharBlock(label=_("Caption"), max_length=255, required=False)

    class Meta:
        icon = "image"
        label = _("Image")


class MessageDocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = PlainCharBlock(label=_("Link text"), max_length=255, help_text=_("In the message's language."))

    class Meta:
        icon = "doc-full"
        label = _("Document")


class MessageMediaBlock(blocks.StreamBlock):
    image = MessageImageBlock()
    document = MessageDocumentBlock()
