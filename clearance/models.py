"""Clearance of a message by an outside authority (a minister's office) that has no account: a workflow task whose
decision is taken through a signed, expiring, single-use and revocable link."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Task, TaskState

from clearance.enums import ClearanceDecision, LinkState
from clearance.forms import ClearanceRequestForm

SEND_ACTION = "send_clearance_link"
REVOKE_ACTION = "revoke_clearance_links"
INTERNAL_DECISIONS_REFUSED = _(
    "Only the outside authority clears this step, through the link it was sent; send or revoke links instead."
)


class OutsideClearanceTask(Task):
    """A workflow step decided by a named person outside the hub. Members of the chosen groups send (and revoke)
    signed links; nobody with an account can approve or return the step, so the outside decision never stands in
    for an internal approval, nor an internal approval for it."""

    groups = models.ManyToManyField(
        Group,
        verbose_name=_("groups"),
        related_name="+",
        help_text=_("Members of these groups send the clearance link and may revoke it."),
    )
    validity_hours = models.PositiveIntegerField(
        _("link valid for (hours)"),
        default=72,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 30)],
    )

    internal_approval = False  # `messaging.lifecycle.revision_cleared`: neither of the two internal approvals
    admin_form_fields = [*Task.admin_form_fields, "groups", "validity_hours"]
    admin_form_widgets = {"groups": forms.CheckboxSelectMultiple}

    # What sending and revoking links do (`clearance.services.clearance_link_action`), set by the clearance app in its
    # `ready()`: Wagtail calls `on_action` on the task, and the services sit above the model.
    link_action: ClassVar[Callable[..., None]]

    def user_may_send(self, user: Any) -> bool:
        if user is None or not user.is_authenticated:
            return False
        return bool(user.is_superuser or self.groups.filter(pk__in=user.groups.values("pk")).exists())

    def locked_for_user(self, obj: Any, user: Any) -> bool:
        """The content the outside authority is reading must not move under it."""
        return not (user.is_superuser or self.user_may_send(user))

    def get_actions(self, obj: Any, user: Any) -> list[tuple[str, Any, bool]]:
        if not self.user_may_send(user):
            return []
        return [
            (SEND_ACTION, _("Send for outside clearance"), True),
            (REVOKE_ACTION, _("Revoke outside clearance links"), False),
        ]

    def get_form_for_action(self, action: str) -> Any:
        if action == SEND_ACTION:
            return ClearanceRequestForm
        return super().get_form_for_action(action)

    def get_task_states_user_can_moderate(self, user: Any, **kwargs: Any) -> Any:
        if self.user_may_send(user):
            return self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        return TaskState.objects.none()

    def on_action(self, task_state: TaskState, user: Any, action_name: str, **kwargs: Any) -> Any:
        if not self.user_may_send(user):
            raise PermissionDenied
        if action_name in (SEND_ACTION, REVOKE_ACTION):
            type(self).link_action(task_state=task_state, user=user, action_name=action_name, **kwargs)
            return None
        raise PermissionDenied(INTERNAL_DECISIONS_REFUSED)

    @classmethod
    def get_description(cls) -> str:
        return str(
            _(
                "A named person outside the hub clears or returns the message through a signed link sent by e-mail; "
                "it counts as neither internal approval."
            )
        )

    class Meta:
        verbose_name = _("Outside clearance task")
        verbose_name_plural = _("Outside clearance tasks")


class ClearanceLinkQuerySet(models.QuerySet["ClearanceLink"]):
    def open(self, at: datetime | None = None) -> ClearanceLinkQuerySet:
        return self.filter(used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=at or timezone.now())


class ClearanceLink(models.Model):
    """One link sent to one person for one task state and revision. Its id is what the signed token carries."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task_state = models.ForeignKey(
        TaskState, on_delete=models.CASCADE, related_name="clearance_links", verbose_name=_("task state")
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.CASCADE, related_name="+", verbose_name=_("revision")
    )
    recipient_name = models.CharField(_("name"), max_length=255)
    recipient_email = models.EmailField(_("e-mail"))
    recipient_institution = models.CharField(_("institution"), max_length=255)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("sent by")
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    used_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=24, choices=ClearanceDecision.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=4000)

    objects = ClearanceLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("clearance link")
        verbose_name_plural = _("clearance links")

    def __str__(self) -> str:
        return f"{self.recipient_name} ({self.recipient_institution}) · {self.pk}"

    def state(self, at: datetime | None = None) -> LinkState:
        """Checked in this order, so a used link says "used" even after it would have expired."""
        if self.used_at:
            return LinkState.USED
        if self.revoked_at:
            return LinkState.REVOKED
        if (at or timezone.now()) >= self.expires_at:
            return LinkState.EXPIRED
        task_state = self.task_state
        if task_state.status != TaskState.STATUS_IN_PROGRESS:
            return LinkState.CLOSED
        latest = task_state.workflow_state.content_object.get_latest_revision()
        if latest is None or latest.pk != self.revision_id:
            return LinkState.CHANGED
        return LinkState.OPEN
