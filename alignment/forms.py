from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from alignment.serializers import LANGUAGE_CHOICES
from alignment.services import MAX_DRAFT_LENGTH
from messaging.models import Message


class AlignmentCheckForm(forms.Form):
    text = forms.CharField(
        label=_("Draft"),
        max_length=MAX_DRAFT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12, "dir": "auto"}),
        help_text=_("Paste the draft to check, up to 20,000 characters."),
        error_messages={
            "required": _("Paste the draft to check."),
            "max_length": _("The draft is too long: at most 20,000 characters can be checked at once."),
        },
    )
    language = forms.ChoiceField(label=_("Language of the draft"), choices=LANGUAGE_CHOICES, initial="ar")
    message = forms.TypedChoiceField(
        label=_("Message"),
        required=False,
        empty_value=None,
        help_text=_("Optional: also report which of this message's pillars and talking points the draft covers."),
    )

    def __init__(self, *args: Any, messages: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sources = (messages if messages is not None else Message.objects.live_now()).in_language("ar").order_by("title")
        cast(forms.ChoiceField, self.fields["message"]).choices = [
            ("", _("Any live message")),
            *((str(message.translation_key), message.title) for message in sources),
        ]
