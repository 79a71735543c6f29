"""Endpoint writes. The clear secret is returned to the caller once, to show; it is never displayed again."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from webhooks.models import WebhookEndpoint
from webhooks.signing import secret_generate


def endpoint_create(
    *, institution: Any, url: str, event_types: list[str] | None = None, **fields: Any
) -> WebhookEndpoint:
    endpoint = WebhookEndpoint(institution=institution, url=url, event_types=event_types or [], **fields)
    endpoint.secret = secret_generate()
    endpoint.full_clean()
    endpoint.save()
    return endpoint


def endpoint_secret_rotate(*, endpoint_id: int, grace: timedelta | None = None) -> tuple[WebhookEndpoint, str]:
    """Issue a new secret. Until the grace period ends every delivery is signed with both the new and the old
    secret, so the institution can switch its receiver over without losing a delivery."""
    if grace is None:
        grace = timedelta(hours=getattr(settings, "TAWASUL_WEBHOOKS_ROTATION_GRACE_HOURS", 24))
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint_id)
        endpoint.previous_secret = endpoint.secret
        endpoint.previous_secret_expires_at = timezone.now() + grace
        endpoint.secret = secret_generate()
        endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at", "updated_at"])
    return endpoint, endpoint.secret


def endpoint_revoke(*, endpoint_id: int, reason: str) -> WebhookEndpoint:
    """Stop deliveries to an endpoint for good (until someone re-enables it in the admin)."""
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint_id)
        endpoint.is_active = False
        endpoint.disabled_reason = reason[:255]
        endpoint.save(update_fields=["is_active", "disabled_reason", "updated_at"])
    return endpoint
