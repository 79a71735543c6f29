from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetKind(models.TextChoices):
    CAMPAIGN = "campaign", _("Campaign")
    TOPIC = "topic", _("Topic")


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("As soon as a message is published")
    DAILY = "daily", _("Once a day, in a digest")
