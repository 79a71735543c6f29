from django.db import models
from django.utils.translation import gettext_lazy as _

RELEASE_PUBLISHED = "release.published"


class ReleaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    SCHEDULED = "scheduled", _("Scheduled")
    LIVE = "live", _("Live")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CalendarEntryKind(models.TextChoices):
    RELEASE = "release", _("Release")
    SCHEDULED_MESSAGE = "scheduled_message", _("Scheduled message")
    EMBARGO_END = "embargo_end", _("Embargo ends")
    EXPIRY = "expiry", _("Expiry")
    ACTIVITY = "activity", _("Campaign activity")
