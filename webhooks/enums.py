from django.db import models
from django.utils.translation import gettext_lazy as _

from messaging.enums import EventKind

ACCESS_REMOVED = "message.access_removed"


class WebhookEventType(models.TextChoices):
    """What an endpoint can subscribe to: every outbox kind, the loss of access to a message, and a statement the
    institution published that still uses a withdrawn or superseded line (`monitoring`)."""

    PUBLISHED = EventKind.PUBLISHED.value, EventKind.PUBLISHED.label
    UPDATED = EventKind.UPDATED.value, EventKind.UPDATED.label
    WITHDRAWN = EventKind.WITHDRAWN.value, EventKind.WITHDRAWN.label
    EXPIRED = EventKind.EXPIRED.value, EventKind.EXPIRED.label
    SUPERSEDED = EventKind.SUPERSEDED.value, EventKind.SUPERSEDED.label
    EMBARGO_LIFTED = EventKind.EMBARGO_LIFTED.value, EventKind.EMBARGO_LIFTED.label
    AUDIENCE_CHANGED = EventKind.AUDIENCE_CHANGED.value, EventKind.AUDIENCE_CHANGED.label
    ACCESS_REMOVED = "message.access_removed", _("Access removed")
    STATEMENT_FLAGGED = "statement.flagged", _("Published statement flagged")
    RELEASE_PUBLISHED = "release.published", _("Release published")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
