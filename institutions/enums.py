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
