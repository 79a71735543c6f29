from django.db import models
from django.utils.translation import gettext_lazy as _

# Not an outbox kind: how the feed and webhooks name an event for an institution that lost access to the message.
ACCESS_REMOVED = "message.access_removed"


class EventKind(models.TextChoices):
    PUBLISHED = "message.published", _("Published")
    UPDATED = "message.updated", _("Updated")
    WITHDRAWN = "message.withdrawn", _("Withdrawn")
    EXPIRED = "message.expired", _("Expired")
    SUPERSEDED = "message.superseded", _("Superseded")
    EMBARGO_LIFTED = "message.embargo_lifted", _("Embargo lifted")
    AUDIENCE_CHANGED = "message.audience_changed", _("Audience changed")


class TranslationStatus(models.TextChoices):
    SOURCE = "source", _("Source")
    CURRENT = "current", _("Current")
    OUTDATED = "outdated", _("Outdated")
