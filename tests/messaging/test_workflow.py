"""The approval workflow: two steps, two-person rule, only approvers publish."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import Workflow

from messaging.models import Message
from messaging.services.messages import message_emergency_publish, message_submit
from tests.factories import MessageFactory

pytestmark = pytest.mark.django_db


def _current_task(message: Message):
    message.refresh_from_db()
    state = message.current_workflow_state
    return state.current_task_state, state.current_task_state.task.specific


def test_message_approval_workflow_has_review_then_approval_steps():
    workflow = Workflow.objects.get(name="Message approval")
    assert [task.name for task in workflow.tasks] == ["Editorial review", "Centre approval"]
    assert Message().get_workflow() == workflow


def test_workflow_submitter_cannot_approve_own_revision_even_as_group_member(communicator, reviewer):
    reviewer_who_wrote = reviewer
    message = MessageFactory()
    message.save_revision(user=reviewer_who_wrote)
    message_submit(message=message, user=reviewer_who_wrote)
    task_state, task = _current_task(message)

    actions = [(name, modal) for name, _, modal in task.get_actions(message, reviewer_who_wrote)]
    assert actions == [("reject", True), ("approve", True)]  # may request changes; "Approve" only explains
    with pytest.raises(PermissionDenied):
        task.on_action(task_state, reviewer_who_wrote, "approve")
    task_state.refresh_from_db()
    assert task_state.status == "in_progress"


def test_workflow_second_reviewer_and_approver_approve_and_publish(communicator, reviewer, approver):
    message = MessageFactory()
    message.save_revision(user=communicator)
    message_submit(message=message, user=communicator)

    task_state, task = _current_task(message)
    assert ("approve", False) in [(name, modal) for name, _, modal in task.get_actions(message, reviewer)]
    task.on_action(task_state, reviewer, "approve")

    task_state, task = _current_task(message)
    assert task.name == "Centre approval"
    assert task.get_actions(message, reviewer) == []  # reviewers cannot clear the second step
    task.on_action(task_state, approver, "approve", release_before_translation=True)

    message.refresh_from_db()
    assert message.live and message.translation_to_follow
    assert message.version == 1
    assert message.current_workflow_state is None


def test_workflow_self_approval_refused_in_admin_with_clear_message(client, reviewer, communicator):
    message = MessageFactory()
    message.save_revision(user=reviewer)
    message_submit(message=message, user=reviewer)
    task_state, _ = _current_task(message)
    client.force_login(reviewer)
    url = reverse("wagtailsnippets_messaging_message:workflow_action", args=(message.pk, "approve", task_state.pk))

    modal = client.get(url, headers={"x-requested-with": "XMLHttpRequest"})
    assert modal.status_code == 200
    assert "data-two-person-rule" in modal.json()["html"]
    assert "<form" not in modal.json()["html"]

    refused = client.post(url, {"comment": ""})
    assert refused.status_code == 302  # Wagtail's admin turns PermissionDenied into a redirect with a message
    task_state.refresh_from_db()
    assert task_state.status == "in_progress"
    message.refresh_from_db()
    assert not message.live


def test_communicators_cannot_publish_even_in_an_emergency(communicator):
    message = MessageFactory()
    message.save_revision(user=communicator)
    assert not communicator.has_perm("messaging.publish_message")
    with pytest.raises(PermissionDenied):
        message_emergency_publish(message=message, user=communicator, reason="urgent")
    message.refresh_from_db()
    assert not message.live


def test_communicators_publish_button_is_not_offered_in_admin(client, communicator):
    message = MessageFactory()
    message.save_revision(user=communicator)
    client.force_login(communicator)
    response = client.get(reverse("wagtailsnippets_messaging_message:edit", args=(message.pk,)))
    assert response.status_code == 200
    assert 'name="action-publish"' not in response.content.decode()
    assert 'name="action-submit"' in response.content.decode()


def test_approver_cannot_publish_directly_from_the_editor(client, approver):
    message = MessageFactory()
    message.save_revision(user=approver)
    client.force_login(approver)
    url = reverse("wagtailsnippets_messaging_message:edit", args=(message.pk,))
    page = client.get(url).content.decode()
    assert 'name="action-publish"' not in page
    assert "emergency-publish" in page

    forged = client.post(url, {**_edit_form(message), "action-publish": "action-publish"})
    assert forged.status_code in (200, 302)
    message.refresh_from_db()
    assert not message.live and message.version == 0


def _edit_form(message: Message) -> dict:
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    return nested_form_data(
        {
            "title": message.title,
            "key_message": message.key_message,
            "body": streamfield([("avoid", "سطر")]),
            "media": streamfield([]),
            "change_note": "",
            "topic": message.topic_id,
            "owner": message.owner_id,
            "audience_all": "on",
        }
    )


def test_approving_from_the_editor_after_an_unchanged_save_advances_the_workflow(communicator, reviewer, approver):
    # The admin editor saves a revision before running a workflow action; an unchanged save is not authorship and
    # must not restart the review.
    message = MessageFactory()
    message.save_revision(user=communicator)
    message_submit(message=message, user=communicator)

    Message.objects.get(pk=message.pk).save_revision(user=reviewer)
    task_state, task = _current_task(message)
    assert not task.refusal(task_state, reviewer)
    task.on_action(task_state, reviewer, "approve")
    assert _current_task(message)[1].name == "Centre approval"

    Message.objects.get(pk=message.pk).save_revision(user=approver)
    task_state, task = _current_task(message)
    task.on_action(task_state, approver, "approve", release_before_translation=True)
    message.refresh_from_db()
    assert message.live and message.current_workflow_state is None


def test_reviewer_who_edits_content_becomes_an_author_and_cannot_approve(communicator, reviewer, second_reviewer):
    message = MessageFactory()
    message.save_revision(user=communicator)
    message_submit(message=message, user=communicator)
    edited = Message.objects.get(pk=message.pk)
    edited.key_message = "صياغة معدلة من المراجع"
    edited.save_revision(user=reviewer)

    task_state, task = _current_task(message)
    assert task.refusal(task_state, reviewer)
    with pytest.raises(PermissionDenied):
        task.on_action(task_state, reviewer, "approve")
    assert not task.refusal(task_state, second_reviewer)
