"""The admin's doors into the message lifecycle. Each view is a small subclass of Wagtail's own that calls our
services or actions instead of Wagtail's stock ones (see `messaging.lifecycle`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.actions.edit import EditAction
from wagtail.snippets.views import snippets

from messaging.actions import DeleteMessageAction
from messaging.models import Message
from messaging.models.workflow_names import shown_name
from messaging.permissions import message_permission_policy
from messaging.services.messages import message_emergency_publish, message_emergency_review, message_withdraw

EDIT_URL = "wagtailsnippets_messaging_message:edit"


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        max_length=1000,
        help_text=_("Kept in the audit log and sent to institutions with the withdrawal."),
    )


class WithoutDirectPublish:
    """The editor offers no direct "Publish": a revision goes live through the approval workflow or, for approvers,
    through emergency publishing, which asks for a reason (`EmergencyPublishView`)."""

    request: HttpRequest

    def get_available_actions(self) -> list[str]:
        return [action for action in super().get_available_actions() if action != "publish"]  # type: ignore[misc]


class SubmitForReview:
    """Submitting starts the review from the first step: a resubmission after changes were requested too (Wagtail
    would resume at the step that asked for changes), so every step approves the content it sees. A repeated
    submission of work already in review (autosave racing the Submit button) changes nothing."""

    object: Any
    workflow: Any
    request: HttpRequest

    def submit_action(self) -> Any:
        state = self.object.current_workflow_state
        if state is not None and state.status == state.STATUS_IN_PROGRESS:
            return None
        if state is not None and state.status == state.STATUS_NEEDS_CHANGES:
            state.cancel(user=self.request.user)
        self.workflow.start(self.object, self.request.user)
        return None


class MessageCreateView(SubmitForReview, WithoutDirectPublish, snippets.CreateView):
    def save_instance(self) -> Any:
        token = self.form.cleaned_data.get("creation_token_value")
        if token is None:
            return super().save_instance()
        existing = Message.objects.filter(creation_token=token).first()
        if existing is None:
            self.form.instance.creation_token = token
            try:
                with transaction.atomic():
                    return super().save_instance()
            except IntegrityError:
                existing = Message.objects.filter(creation_token=token).first()
                if existing is None:
                    raise
        return self._save_into(existing)

    def _save_into(self, existing: Message) -> Any:
        """A second submission of the same new-message form (autosave and Save a moment apart) becomes a draft
        revision of the message the first one created, never a second message."""
        form = self.get_form_class()(
            self.request.POST, self.request.FILES, instance=existing, for_user=self.request.user
        )
        if not form.is_valid():
            self.form = form
            return existing
        action = EditAction(form.instance, user=self.request.user, form=form, clean=False)
        action.execute(skip_permission_checks=True)
        self.new_revision = action.revision
        return form.instance


class MessageEditView(SubmitForReview, WithoutDirectPublish, snippets.EditView):
    pass

    def get_success_message(self, instance: Any = None) -> str:
        """After a workflow action taken in the editor, say what became of the message (Wagtail says "updated"
        whatever happened, also when the final approval published it)."""
        if self.action != "workflow-action":
            return super().get_success_message(instance)
        return workflow_outcome_message(Message.objects.get(pk=self.object.pk))


def workflow_outcome_message(message: Message) -> str:
    title = {"title": message.title}
    state = message.current_workflow_state
    if state is not None and state.status == state.STATUS_NEEDS_CHANGES:
        return _("'%(title)s' was sent back for changes.") % title
    if state is not None and state.current_task_state is not None:
        return _("'%(title)s' approved; it is now at %(task)s.") % {
            **title,
            "task": shown_name(state.current_task_state.task.name),
        }
    if message.live and not message.has_unpublished_changes:
        return _("'%(title)s' approved and published.") % title
    return _("'%(title)s' approved; it goes live together with its approved translation.") % title


class MessageUnpublishView(snippets.UnpublishView):
    """Withdrawal: every language together, with a reason (`message_withdraw`)."""

    template_name = "messaging/admin/confirm_withdraw.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["form"] = kwargs.get("form") or ReasonForm()
        context["languages"] = Message.objects.filter(translation_key=self.object.translation_key, live=True)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ReasonForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            message_withdraw(message=self.object, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, _("'%(title)s' was withdrawn in every language.") % {"title": self.object})
        return redirect(self.get_next_url())


class MessageDeleteView(snippets.DeleteView):
    """Deleting a live message withdraws it first, so it asks for the reason too."""

    template_name = "messaging/admin/confirm_delete.html"

    def is_live(self) -> bool:
        return Message.objects.filter(translation_key=self.object.translation_key, live=True).exists()

    def get_form_class(self) -> Any:
        return ReasonForm if self.is_live() else forms.Form

    def delete_action(self) -> None:
        form = self.get_form()
        reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
        DeleteMessageAction(self.object, user=self.request.user, reason=reason).execute(skip_permission_checks=True)


def emergency_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Approvers only: the latest revision of the Arabic source goes live now, with a reason, flagged "not reviewed"
    until another approver reviews it."""
    message = get_object_or_404(Message, pk=pk)
    if not user_may_publish(request.user):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            message_emergency_publish(message=message, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.warning(
                request,
                _(
                    "'%(title)s' is live by emergency publishing and is flagged not reviewed until another "
                    "approver reviews it."
                )
                % {"title": message},
            )
            return redirect(EDIT_URL, message.pk)
    return TemplateResponse(
        request,
        "messaging/admin/emergency_publish.html",
        {"object": message, "form": form, "edit_url": reverse(EDIT_URL, args=(message.pk,))},
    )


def emergency_review(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(Message, pk=pk)
    if request.method != "POST":
        return redirect(EDIT_URL, pk)
    if not user_may_publish(request.user):
        raise PermissionDenied
    try:
        message_emergency_review(message=message, user=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Emergency release reviewed: '%(title)s' is no longer flagged.") % {"title": message}
        )
    return redirect(EDIT_URL, pk)


def user_may_publish(user: Any) -> bool:
    return bool(message_permission_policy().user_has_permission(user, "publish"))
