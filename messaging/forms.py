from __future__ import annotations

import uuid
from typing import Any

from django import forms
from wagtail.admin.forms.models import WagtailAdminModelForm


class MessageForm(WagtailAdminModelForm):
    """The editor's form, with a token that names this one new message whatever autosave and Save send."""

    creation_token_value = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and not self.is_bound:
            self.initial["creation_token_value"] = uuid.uuid4()
