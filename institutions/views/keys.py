"""Issuing and revoking institution API keys in the admin. The clear key is shown once, on issue."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from institutions.enums import ApiScope
from institutions.models import Institution, InstitutionAPIKey
from institutions.services import api_key_issue, api_key_revoke

MANAGE_PERMISSION = "institutions.change_institution"


class IssueKeyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50, help_text=_("Who or what will use the key."))
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), choices=ApiScope.choices, widget=forms.CheckboxSelectMultiple, initial=[ApiScope.READ]
    )
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean_expires_on(self) -> Any:
        value = self.cleaned_data.get("expires_on")
        if value and value <= timezone.localdate():
            raise forms.ValidationError(_("The expiry date must be in the future."))
        return value

    def expiry_date(self) -> datetime | None:
        """The end of the chosen day, or no expiry."""
        expires_on = self.cleaned_data.get("expires_on")
        return timezone.make_aware(datetime.combine(expires_on, time.max)) if expires_on else None


def _check(request: HttpRequest) -> None:
    if not request.user.has_perm(MANAGE_PERMISSION):
        raise PermissionDenied


def issue_key(request: HttpRequest, institution_id: int) -> HttpResponse:
    _check(request)
    institution = get_object_or_404(Institution, pk=institution_id)
    form = IssueKeyForm(request.POST or None)
    context: dict[str, Any] = {"institution": institution, "form": form}
    if request.method == "POST" and form.is_valid():
        key_obj, raw = api_key_issue(
            institution=institution,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            expiry_date=form.expiry_date(),
            user=request.user,
        )
        context.update(raw_key=raw, key=key_obj)
    return TemplateResponse(request, "institutions/admin/issue_key.html", context)


@require_POST
def revoke_key(request: HttpRequest, key_id: str) -> HttpResponse:
    _check(request)
    key = get_object_or_404(InstitutionAPIKey, pk=key_id)
    if api_key_revoke(key=key, user=request.user):
        messages.success(request, _("Key %(prefix)s… revoked.") % {"prefix": key.prefix})
    return redirect(reverse("wagtailsnippets_institutions_institution:edit", args=(key.institution_id,)))
