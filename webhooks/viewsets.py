"""Webhooks in the Wagtail admin: endpoints (managed), deliveries and attempts (read-only, with redeliver)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import ListingButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from hub.columns import YesNoColumn
from hub.viewsets import AddItemLabelMixin
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from webhooks.views import (
    MANAGE_PERMISSION,
    EndpointCreateView,
    WebhookEndpointForm,
    delivery_redeliver_view,
    endpoint_rotate,
)


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Rows written by the system: whoever manages webhooks may look, nobody edits."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        if action != "view":
            return False
        return bool(user.has_perm(MANAGE_PERMISSION) or super().user_has_permission(user, "view"))


register_permission_policy(WebhookDelivery, ReadOnlyPolicy(WebhookDelivery), exact_class=True)
register_permission_policy(WebhookAttempt, ReadOnlyPolicy(WebhookAttempt), exact_class=True)


class EndpointIndexView(IndexView):
    def get_list_more_buttons(self, instance: WebhookEndpoint) -> list:
        buttons = super().get_list_more_buttons(instance)
        if self.request.user.has_perm(MANAGE_PERMISSION):
            buttons.append(
                ListingButton(
                    _("Rotate secret"), url=reverse("webhooks_endpoint:rotate", args=(instance.pk,)), icon_name="key"
                )
            )
        buttons.append(
            ListingButton(
                _("Deliveries"),
                url=reverse("webhooks_delivery:index") + f"?endpoint={instance.pk}",
                icon_name="list-ul",
            )
        )
        return buttons


class EndpointViewSet(AddItemLabelMixin, ModelViewSet):
    model = WebhookEndpoint
    url_prefix = "webhooks/endpoints"
    name = "webhooks_endpoint"
    icon = "link-external"
    menu_label = _("Endpoints")
    add_item_label = _("Add an endpoint")
    add_view_class = EndpointCreateView
    index_view_class = EndpointIndexView
    list_display = [
        "url",
        "institution",
        YesNoColumn("is_active", label=_("Active")),
        "failure_count",
        "disabled_reason",
        "created_at",
    ]
    list_filter = ["is_active", "institution"]
    search_fields = ["url", "description"]

    def get_form_class(self, for_update: bool = False) -> type[WebhookEndpointForm]:
        return WebhookEndpointForm

    def get_urlpatterns(self) -> list:
        return [*super().get_urlpatterns(), path("<int:endpoint_id>/rotate/", endpoint_rotate, name="rotate")]


class DeliveryIndexView(IndexView):
    def get_base_queryset(self) -> QuerySet[WebhookDelivery]:
        queryset = super().get_base_queryset().select_related("endpoint", "endpoint__institution")
        endpoint = self.request.GET.get("endpoint", "")
        return queryset.filter(endpoint_id=int(endpoint)) if endpoint.isdigit() else queryset

    def get_list_more_buttons(self, instance: WebhookDelivery) -> list:
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            ListingButton(
                _("Attempts"), url=reverse("webhooks_attempt:index") + f"?delivery={instance.pk}", icon_name="history"
            )
        )
        if self.request.user.has_perm(MANAGE_PERMISSION):
            buttons.append(
                ListingButton(
                    _("Redeliver"),
                    url=reverse("webhooks_delivery:redeliver", args=(instance.pk,)),
                    icon_name="redirect",
                )
            )
        return buttons


class DeliveryViewSet(ModelViewSet):
    model = WebhookDelivery
    url_prefix = "webhooks/deliveries"
    name = "webhooks_delivery"
    icon = "mail"
    menu_label = _("Deliveries")
    index_view_class = DeliveryIndexView
    inspect_view_enabled = True
    form_fields: list[str] = []
    list_display = [
        "webhook_id",
        "endpoint",
        "event_type",
        "status",
        "attempts",
        "last_status_code",
        "last_latency_ms",
        "last_error",
        "next_attempt_at",
        "created_at",
    ]
    list_filter = ["status", "event_type"]
    search_fields = ["webhook_id"]

    def get_urlpatterns(self) -> list:
        return [
            *super().get_urlpatterns(),
            path("<int:delivery_id>/redeliver/", delivery_redeliver_view, name="redeliver"),
        ]


class AttemptIndexView(IndexView):
    def get_base_queryset(self) -> QuerySet[WebhookAttempt]:
        queryset = super().get_base_queryset().select_related("delivery", "delivery__endpoint")
        delivery = self.request.GET.get("delivery", "")
        return queryset.filter(delivery_id=int(delivery)) if delivery.isdigit() else queryset


class AttemptViewSet(ModelViewSet):
    model = WebhookAttempt
    url_prefix = "webhooks/attempts"
    name = "webhooks_attempt"
    icon = "history"
    menu_label = _("Attempts")
    index_view_class = AttemptIndexView
    form_fields: list[str] = []
    list_display = [
        Column("delivery", label=_("Delivery")),
        "number",
        "succeeded",
        "status_code",
        "latency_ms",
        "error",
        "started_at",
        "finished_at",
    ]
    list_filter = ["succeeded"]


class WebhooksViewSetGroup(ViewSetGroup):
    menu_label = _("Webhooks")
    menu_icon = "link-external"
    menu_order = 170
    items = (EndpointViewSet, DeliveryViewSet, AttemptViewSet)
