"""An institution's own people: its contacts (who is told of changes by e-mail) and its users (who sign in to the
institution space), with the follow-up they record on campaign activities and the e-mails owed to contacts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.enums import ActivityStatus
from institution_space.enums import ContactRole, MemberRole, NotificationStatus


class InstitutionContact(models.Model):
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.CASCADE, related_name="contacts", verbose_name=_("institution")
    )
    role = models.CharField(_("role"), max_length=20, choices=ContactRole.choices)
    name = models.CharField(_("name"), max_length=255)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language of e-mails"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    notify = models.BooleanField(
        _("e-mail changes"),
        default=True,
        help_text=_("Told by e-mail when a message addressed to the institution is released, updated or withdrawn."),
    )

    class Meta:
        ordering = ["institution_id", "role", "name"]
        verbose_name = _("institution contact")
        verbose_name_plural = _("institution contacts")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()}, {self.institution})"


class InstitutionMember(models.Model):
    """A user of one institution. Everything they see in the institution space is scoped to it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="institution_member", verbose_name=_("user")
    )
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.CASCADE, related_name="members", verbose_name=_("institution")
    )
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices, default=MemberRole.OFFICER)
    seen_position = models.PositiveBigIntegerField(
        _("changes seen up to"), default=0, editable=False, help_text=_("Change feed position last marked as seen.")
    )

    class Meta:
        ordering = ["institution_id", "user_id"]
        verbose_name = _("institution user")
        verbose_name_plural = _("institution users")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.institution})"

    @property
    def may_manage_integrations(self) -> bool:
        return self.role == MemberRole.DIRECTOR


class ActivityUpdate(models.Model):
    """What an institution reported on an activity it owns: a status change, a note, or both."""

    activity = models.ForeignKey(
        "campaigns.CampaignActivity", on_delete=models.CASCADE, related_name="updates", verbose_name=_("activity")
    )
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.CASCADE, related_name="+", verbose_name=_("institution")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    status_before = models.CharField(_("status before"), max_length=20, choices=ActivityStatus.choices)
    status_after = models.CharField(_("status after"), max_length=20, choices=ActivityStatus.choices)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("activity update")
        verbose_name_plural = _("activity updates")

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.status_before} → {self.status_after}"


class ContactNotification(models.Model):
    """One e-mail owed to one contact for one outbox event; the row makes sending it idempotent."""

    event = models.ForeignKey(
        "messaging.MessageEvent", on_delete=models.CASCADE, related_name="+", verbose_name=_("event")
    )
    contact = models.ForeignKey(
        InstitutionContact, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("contact")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("contact notification")
        verbose_name_plural = _("contact notifications")
        constraints = [models.UniqueConstraint(fields=["event", "contact"], name="unique_contact_notification")]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.contact_id} ({self.status})"
