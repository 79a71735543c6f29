from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactRole(models.TextChoices):
    SPOKESPERSON = "spokesperson", _("Spokesperson")
    MEDIA_DIRECTOR = "media_director", _("Media director")
    OTHER = "other", _("Other contact")


class MemberRole(models.TextChoices):
    """An officer follows the messages and activities; a director also manages API keys and webhook endpoints."""

    OFFICER = "officer", _("Media officer")
    DIRECTOR = "director", _("Media director")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
