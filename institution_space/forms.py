from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.enums import ActivityStatus
from institutions.views.keys import IssueKeyForm
from webhooks.views import WebhookEndpointForm


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ActivityUpdateForm(NoteForm):
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices)

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if self.initial.get("status") == cleaned.get("status") and not (cleaned.get("note") or "").strip():
            raise forms.ValidationError(_("Change the status or write a note."))
        return cleaned


class ApiKeyForm(IssueKeyForm):
    """The admin's form for issuing a key, offered to the institution's director."""


class EndpointForm(forms.Form):
    """The admin's endpoint fields, without the institution (it is the member's)."""

    url = WebhookEndpointForm.declared_fields["url"]
    description = forms.CharField(label=_("Description"), max_length=255, required=False)
    event_types = WebhookEndpointForm.declared_fields["event_types"]
