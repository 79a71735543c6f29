"""The institution's API keys and webhook endpoints, for its media director. Keys and secrets are shown once, on
the response that creates them, through the same services as the centre's admin."""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.log_actions import log

from institution_space.access import member_required
from institution_space.forms import ApiKeyForm, EndpointForm
from institution_space.models import InstitutionMember
from institution_space.selectors import api_keys_of, endpoints_of
from institutions.models import InstitutionAPIKey
from institutions.services import api_key_issue, api_key_revoke, api_key_rotate
from webhooks.models import WebhookEndpoint
from webhooks.services import endpoint_create, endpoint_revoke, endpoint_secret_rotate


def _page(
    request: HttpRequest, member: InstitutionMember, template: str, status: int = 200, **extra: Any
) -> HttpResponse:
    return TemplateResponse(request, f"institution_space/{template}", {"member": member, **extra}, status=status)


def _keys_page(
    request: HttpRequest, member: InstitutionMember, form: ApiKeyForm, status: int = 200, **extra: Any
) -> HttpResponse:
    keys = api_keys_of(institution=member.institution)
    return _page(request, member, "keys.html", status, keys=keys, form=form, **extra)


@member_required(director=True)
def key_list(request: HttpRequest, member: InstitutionMember) -> HttpResponse:
    if request.method != "POST":
        return _keys_page(request, member, ApiKeyForm())
    form = ApiKeyForm(request.POST)
    if not form.is_valid():
        return _keys_page(request, member, form, status=400)
    key, raw = api_key_issue(
        institution=member.institution,
        name=form.cleaned_data["name"],
        scopes=form.cleaned_data["scopes"],
        expiry_date=form.expiry_date(),
        user=member.user,
    )
    return _keys_page(request, member, ApiKeyForm(), shown_key=key, raw_key=raw)


@require_POST
@member_required(director=True)
def key_rotate(request: HttpRequest, member: InstitutionMember, key_id: str) -> HttpResponse:
    key = get_object_or_404(InstitutionAPIKey, pk=key_id, institution=member.institution, revoked=False)
    new_key, raw = api_key_rotate(key=key, user=member.user)
    return _keys_page(request, member, ApiKeyForm(), shown_key=new_key, raw_key=raw, rotated=key)


@require_POST
@member_required(director=True)
def key_revoke(request: HttpRequest, member: InstitutionMember, key_id: str) -> HttpResponse:
    key = get_object_or_404(InstitutionAPIKey, pk=key_id, institution=member.institution)
    if api_key_revoke(key=key, user=member.user):
        flash.success(request, _("Key %(prefix)s… revoked.") % {"prefix": key.prefix})
    return redirect("institution_space:keys")


def _endpoints_page(
    request: HttpRequest, member: InstitutionMember, form: EndpointForm, status: int = 200, **extra: Any
) -> HttpResponse:
    endpoints = endpoints_of(institution=member.institution)
    return _page(request, member, "webhooks.html", status, endpoints=endpoints, form=form, **extra)


@member_required(director=True)
def endpoint_list(request: HttpRequest, member: InstitutionMember) -> HttpResponse:
    if request.method != "POST":
        return _endpoints_page(request, member, EndpointForm())
    form = EndpointForm(request.POST)
    if not form.is_valid():
        return _endpoints_page(request, member, form, status=400)
    try:
        endpoint = endpoint_create(
            institution=member.institution,
            url=form.cleaned_data["url"],
            event_types=form.cleaned_data["event_types"],
            description=form.cleaned_data["description"],
        )
    except ValidationError as error:
        form.add_error("url" if "url" in error.message_dict else None, error.messages)
        return _endpoints_page(request, member, form, status=400)
    log(instance=endpoint, action="wagtail.create", user=member.user)
    return _endpoints_page(request, member, EndpointForm(), shown_endpoint=endpoint, secret=endpoint.secret)


@require_POST
@member_required(director=True)
def endpoint_rotate(request: HttpRequest, member: InstitutionMember, endpoint_id: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id, institution=member.institution)
    endpoint, secret = endpoint_secret_rotate(endpoint_id=endpoint.pk)
    log(instance=endpoint, action="tawasul.webhook.rotate", user=member.user)
    return _endpoints_page(request, member, EndpointForm(), shown_endpoint=endpoint, secret=secret)


@require_POST
@member_required(director=True)
def endpoint_revoke_view(request: HttpRequest, member: InstitutionMember, endpoint_id: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id, institution=member.institution)
    endpoint_revoke(endpoint_id=endpoint.pk, reason=str(_("Revoked by the institution")))
    log(instance=endpoint, action="tawasul.webhook.revoke", user=member.user)
    flash.success(request, _("Endpoint %(url)s revoked: nothing more is sent to it.") % {"url": endpoint.url})
    return redirect("institution_space:webhooks")
