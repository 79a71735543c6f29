from django.db import models
from django.utils.translation import gettext_lazy as _


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
