from django.db import models
from django.utils.translation import gettext_lazy as _


class InstitutionKind(models.TextChoices):
    CENTRE = "centre", _("Communication centre")
    MINISTRY = "ministry", _("Ministry")
    AUTHORITY = "authority", _("Public authority")
    OTHER = "other", _("Other institution")


class ApiScope(models.TextChoices):
    READ = "read", _("Read approved messages")
    ACKNOWLEDGE = "acknowledge", _("Acknowledge messages")


class DeliveryChannel(models.TextChoices):
    API = "api", _("API read")
    FEED = "feed", _("Change feed")
    WEBHOOK = "webhook", _("Webhook")
    SEARCH = "search", _("Search")


class AcknowledgementKind(models.TextChoices):
    MESSAGE = "message", _("Message version")
    WITHDRAWAL = "withdrawal", _("Withdrawal")
