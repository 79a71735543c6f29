"""Admin views for webhooks: create (the secret is shown once), rotate the secret, redeliver a delivery."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views.generic import CreateView
from wagtail.log_actions import log

from webhooks.delivery import delivery_redeliver
from webhooks.enums import WebhookEventType
from webhooks.models import WebhookDelivery, WebhookEndpoint
from webhooks.services import endpoint_secret_rotate
from webhooks.signing import secret_generate

MANAGE_PERMISSION = "webhooks.change_webhookendpoint"
ENDPOINTS_INDEX = "webhooks_endpoint:index"
DELIVERIES_INDEX = "webhooks_delivery:index"


class WebhookEndpointForm(WagtailAdminModelForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    event_types = forms.MultipleChoiceField(
        label=_("Event types"),
        choices=WebhookEventType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave empty to receive every event type."),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["institution", "url", "description", "event_types", "is_active"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("is_active") and self.instance.pk and not self.instance.is_active:
            # Re-enabling by hand clears what disabled it.
            self.instance.failure_count = 0
            self.instance.disabled_reason = ""
        return cleaned


class EndpointCreateView(CreateView):
    """Creates the endpoint with a fresh secret and shows that secret on the response, once."""

    def save_instance(self) -> WebhookEndpoint:
        self.form.instance.secret = secret_generate()
        return super().save_instance()

    def save_action(self) -> HttpResponse:
        return _secret_response(self.request, self.object, created=True)


def _secret_response(request: HttpRequest, endpoint: WebhookEndpoint, *, created: bool) -> HttpResponse:
    return TemplateResponse(
        request,
        "webhooks/admin/secret.html",
        {"endpoint": endpoint, "secret": endpoint.secret, "created": created, "index_url": reverse(ENDPOINTS_INDEX)},
    )


def _check(request: HttpRequest) -> None:
    if not request.user.has_perm(MANAGE_PERMISSION):
        raise PermissionDenied


def endpoint_rotate(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    _check(request)
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id)
    if request.method == "POST":
        endpoint, _secret = endpoint_secret_rotate(endpoint_id=endpoint.pk)
        log(instance=endpoint, action="tawasul.webhook.rotate", user=request.user)
        return _secret_response(request, endpoint, created=False)
    return TemplateResponse(
        request,
        "webhooks/admin/confirm.html",
        {
            "title": _("Rotate the signing secret"),
            "subject": endpoint,
            "explanation": _(
                "A new secret is issued and shown once. For the grace period, deliveries carry signatures "
                "with both the old and the new secret, so the receiver can switch over without losing any."
            ),
            "submit": _("Rotate secret"),
            "cancel_url": reverse(ENDPOINTS_INDEX),
        },
    )


def delivery_redeliver_view(request: HttpRequest, delivery_id: int) -> HttpResponse:
    _check(request)
    delivery = get_object_or_404(WebhookDelivery.objects.select_related("endpoint"), pk=delivery_id)
    if request.method == "POST":
        delivery_redeliver(delivery_id=delivery.pk)
        if delivery.endpoint.is_active:
            messages.success(request, _("Delivery %(id)s will be sent again now.") % {"id": delivery.webhook_id})
        else:
            messages.warning(
                request,
                _("Delivery %(id)s is queued, but its endpoint is disabled: it is sent once the endpoint is active.")
                % {"id": delivery.webhook_id},
            )
        return redirect(reverse(DELIVERIES_INDEX))
    return TemplateResponse(
        request,
        "webhooks/admin/confirm.html",
        {
            "title": _("Redeliver"),
            "subject": delivery,
            "explanation": _("The same payload is sent again with the same webhook id, signed afresh."),
            "submit": _("Redeliver"),
            "cancel_url": reverse(DELIVERIES_INDEX),
        },
    )
