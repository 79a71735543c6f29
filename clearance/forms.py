from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from clearance.enums import ClearanceDecision


class ClearanceRequestForm(forms.Form):
    """Who, outside the hub, is to clear the message. Shown in the workflow action dialogue."""

    name = forms.CharField(label=_("Name"), max_length=255)
    email = forms.EmailField(label=_("E-mail"))
    institution = forms.CharField(label=_("Institution"), max_length=255, help_text=_("e.g. the minister's office"))
    language = forms.ChoiceField(
        label=_("Language of the e-mail and the page"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE
    )


class ClearanceDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=ClearanceDecision.choices)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=4000, widget=forms.Textarea)

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if (
            cleaned.get("decision") in (ClearanceDecision.CLEARED_WITH_COMMENT, ClearanceDecision.RETURNED)
            and not (cleaned.get("comment") or "").strip()
        ):
            self.add_error("comment", _("Write the comment that goes with this decision."))
        return cleaned
