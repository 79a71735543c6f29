from django.db import models
from django.utils.translation import gettext_lazy as _


class ClearanceDecision(models.TextChoices):
    CLEARED = "cleared", _("Cleared")
    CLEARED_WITH_COMMENT = "cleared_with_comment", _("Cleared with comment")
    RETURNED = "returned", _("Returned with comment")


class LinkState(models.TextChoices):
    """What a link can still do. Only an open link shows the message and accepts a decision."""

    OPEN = "open", _("Open")
    INVALID = "invalid", _("Invalid")
    EXPIRED = "expired", _("Expired")
    USED = "used", _("Already used")
    REVOKED = "revoked", _("Revoked")
    CLOSED = "closed", _("No longer awaiting clearance")
    CHANGED = "changed", _("Changed since it was sent")
