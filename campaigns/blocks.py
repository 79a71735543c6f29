from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

from messaging.sanitise import SanitisedRichTextBlock


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Link text"), max_length=255, help_text=_("In the page's language."))

    class Meta:
        icon = "doc-full"
        template = "campaigns/blocks/document.html"


class CampaignBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=255, form_classname="title")
    paragraph = SanitisedRichTextBlock(label=_("Paragraph"), features=["bold", "italic", "link", "ol", "ul"])
    image = ImageBlock(label=_("Image"))
    quote = blocks.BlockQuoteBlock(label=_("Quote"))
    document = DocumentBlock(label=_("Document"))
