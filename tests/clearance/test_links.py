"""Outside clearance by a signed link: every state of a link, what a decision does to the workflow, and what the
page sends and withholds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry, TaskState, Workflow, WorkflowState

from clearance.enums import ClearanceDecision, LinkState
from clearance.models import ClearanceLink, OutsideClearanceTask
from clearance.services import ClearanceRefused, clearance_decide, clearance_link_revoke
from clearance.tokens import SALT
from tests.clearance.conftest import APPROVED_KEY_MESSAGE, NEW_KEY_MESSAGE

pytestmark = pytest.mark.django_db


def url(token: str, language: str = "ar") -> str:
    with translation.override(language):
        return reverse("clearance:page", kwargs={"token": token})


def assert_private(response) -> None:
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex' in response.content.decode()


def assert_unchanged(at, status: str = TaskState.STATUS_IN_PROGRESS) -> None:
    at.refresh()
    assert at.task_state.status == status
    assert at.current_task_name == "Outside clearance"
    assert at.message.version == 1


def test_setup_puts_outside_clearance_between_the_two_internal_steps(clearance_workflow):
    workflow = Workflow.objects.get(name="Message approval")
    assert [task.name for task in workflow.tasks] == ["Editorial review", "Outside clearance", "Centre approval"]
    assert OutsideClearanceTask.objects.get().validity_hours == 72


def test_open_link_shows_both_languages_side_by_side_the_diff_and_sends_no_referrer(client, at_clearance, send_link):
    _link, token = send_link(at_clearance)
    response = client.get(url(token, "en"))
    assert response.status_code == 200
    assert_private(response)
    page = response.content.decode()
    assert 'lang="en" dir="ltr"' in page
    assert 'data-language="ar"' in page and 'data-language="en"' in page
    assert "Consistent government messages" in page
    diff = response.context["diff"]
    assert ("removed", APPROVED_KEY_MESSAGE) in [(line.change, line.text) for line in diff]
    assert ("added", NEW_KEY_MESSAGE) in [(line.change, line.text) for line in diff]
    assert "Clear with comment" in page and "Return with comment" in page


def test_link_page_is_in_arabic_right_to_left_for_an_arabic_reader(client, at_clearance, send_link):
    _link, token = send_link(at_clearance)
    page = client.get(url(token, "ar")).content.decode()
    assert 'lang="ar" dir="rtl"' in page
    assert "قراركم" in page


def test_clear_advances_to_centre_approval_and_is_audited_with_the_outside_person(client, at_clearance, send_link):
    link, token = send_link(at_clearance)
    response = client.post(url(token), {"decision": "cleared"})
    assert response.status_code == 200
    assert_private(response)

    at_clearance.refresh()
    assert at_clearance.task_state.status == TaskState.STATUS_APPROVED
    assert at_clearance.task_state.finished_by is None  # no account stands behind it
    assert at_clearance.current_task_name == "Centre approval"
    assert at_clearance.message.version == 1  # the approved version stays live until the centre approves
    entry = ModelLogEntry.objects.get(action="tawasul.clearance.clear")
    assert entry.data["link"] == str(link.pk)
    assert entry.data["name"] == "Salma Al-Harthy" and entry.data["institution"] == "Minister's office"
    assert entry.user is None
    approval = ModelLogEntry.objects.filter(action="wagtail.workflow.approve").latest("pk")
    assert approval.user is None and "Salma Al-Harthy" in approval.data["comment"]


def test_outside_clearance_counts_as_neither_internal_approval(at_clearance, send_link, reviewer, approver):
    task = at_clearance.task_state.task.specific
    for user in (reviewer, approver):  # group members send links; they cannot decide for the outside authority
        with pytest.raises(PermissionDenied):
            task.on_action(at_clearance.task_state, user, "approve")
    _link, token = send_link(at_clearance)
    clearance_decide(token=token, decision=ClearanceDecision.CLEARED)

    at_clearance.refresh()
    assert at_clearance.current_task_name == "Centre approval"
    assert at_clearance.message.version == 1  # still waiting for the centre's own approval
    state = at_clearance.message.current_workflow_state.current_task_state
    state.task.specific.on_action(state, approver, "approve")
    at_clearance.refresh()
    assert at_clearance.message.live and at_clearance.message.version == 2
    assert at_clearance.message.key_message == NEW_KEY_MESSAGE


def test_clear_with_comment_needs_a_comment_and_keeps_it(client, at_clearance, send_link):
    link, token = send_link(at_clearance)
    refused = client.post(url(token), {"decision": "cleared_with_comment", "comment": "  "})
    assert refused.status_code == 400
    assert_unchanged(at_clearance)

    client.post(url(token), {"decision": "cleared_with_comment", "comment": "نوافق مع تعديل الفقرة الثانية"})
    link.refresh_from_db()
    assert link.decision == ClearanceDecision.CLEARED_WITH_COMMENT and link.comment == "نوافق مع تعديل الفقرة الثانية"
    assert at_clearance.current_task_name == "Centre approval"


def test_return_with_comment_sends_the_message_back_for_changes(client, at_clearance, send_link):
    _link, token = send_link(at_clearance)
    client.post(url(token), {"decision": "returned", "comment": "الرقم غير دقيق"})
    at_clearance.refresh()
    assert at_clearance.task_state.status == TaskState.STATUS_REJECTED
    assert at_clearance.task_state.workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    entry = ModelLogEntry.objects.get(action="tawasul.clearance.return")
    assert entry.data["comment"] == "الرقم غير دقيق"


def test_used_link_replayed_gets_a_clear_page_and_changes_nothing(client, at_clearance, send_link):
    _link, token = send_link(at_clearance)
    client.post(url(token), {"decision": "cleared"})
    approvals = ModelLogEntry.objects.filter(action="wagtail.workflow.approve").count()

    for replay in (client.post(url(token), {"decision": "returned", "comment": "x"}), client.get(url(token))):
        assert replay.status_code == 410
        assert_private(replay)
        assert replay.context["state"] == LinkState.USED
    assert ModelLogEntry.objects.filter(action="wagtail.workflow.approve").count() == approvals
    assert at_clearance.current_task_name == "Centre approval"
    with pytest.raises(ClearanceRefused) as refused:
        clearance_decide(token=token, decision="cleared")
    assert refused.value.state == LinkState.USED


def test_expired_link_gets_a_clear_page_and_changes_nothing(client, at_clearance, send_link):
    link, token = send_link(at_clearance)
    assert link.expires_at - link.created_at == timedelta(hours=72)
    ClearanceLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    for response in (client.get(url(token)), client.post(url(token), {"decision": "cleared"})):
        assert response.status_code == 410 and response.context["state"] == LinkState.EXPIRED
        assert_private(response)
    assert_unchanged(at_clearance)


def test_revoked_link_gets_a_clear_page_and_changes_nothing(client, at_clearance, send_link, reviewer):
    link, token = send_link(at_clearance)
    assert clearance_link_revoke(link=link, user=reviewer)
    response = client.post(url(token), {"decision": "cleared"})
    assert response.status_code == 410 and response.context["state"] == LinkState.REVOKED
    assert "withdrawn by the centre" in client.get(url(token, "en")).content.decode()
    assert_unchanged(at_clearance)
    assert ModelLogEntry.objects.filter(action="tawasul.clearance.revoke", data__link=str(link.pk)).exists()


def test_revoke_action_in_the_workflow_revokes_every_open_link(at_clearance, send_link, reviewer):
    send_link(at_clearance)
    send_link(at_clearance, name="Deputy")
    at_clearance.task_state.task.specific.on_action(at_clearance.task_state, reviewer, "revoke_clearance_links")
    assert {link.state() for link in ClearanceLink.objects.all()} == {LinkState.REVOKED}


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature altered
        lambda token: "0" * 32 + token[32:],  # link id altered
        lambda token: "not-a-token",
        lambda token: signing.TimestampSigner(salt="another.salt").sign(token.split(":")[0]),
        lambda token: signing.TimestampSigner(salt=SALT).sign("0" * 32),  # genuine signature, no such link
    ],
    ids=["signature", "link-id", "garbage", "other-salt", "unknown-link"],
)
def test_tampered_link_gets_a_clear_page_and_changes_nothing(client, at_clearance, send_link, tamper):
    _link, token = send_link(at_clearance)
    forged = tamper(token)
    for response in (client.get(url(forged)), client.post(url(forged), {"decision": "cleared"})):
        assert response.status_code == 404 and response.context["state"] == LinkState.INVALID
        assert_private(response)
    assert_unchanged(at_clearance)


def test_link_closed_once_the_step_is_no_longer_waiting(client, at_clearance, send_link, communicator):
    _link, token = send_link(at_clearance)
    at_clearance.task_state.workflow_state.cancel(user=communicator)
    response = client.post(url(token), {"decision": "cleared"})
    assert response.status_code == 410 and response.context["state"] == LinkState.CLOSED


def test_link_refused_when_the_message_changed_after_it_was_sent(client, at_clearance, send_link, reviewer):
    _link, token = send_link(at_clearance)
    at_clearance.message.key_message = "صياغة ثالثة"
    at_clearance.message.change_note = "تعديل بعد الإرسال"
    at_clearance.message.save_revision(user=reviewer)
    response = client.post(url(token), {"decision": "cleared"})
    assert response.status_code == 410 and response.context["state"] == LinkState.CHANGED
    assert_unchanged(at_clearance)


def test_second_link_of_a_decided_step_is_closed(client, at_clearance, send_link):
    _first, first_token = send_link(at_clearance)
    _second, second_token = send_link(at_clearance, name="Deputy")
    client.post(url(first_token), {"decision": "cleared"})
    assert client.get(url(second_token)).context["state"] == LinkState.CLOSED


def test_send_from_the_admin_workflow_action_mails_a_link_in_the_chosen_language(
    client, at_clearance, reviewer, django_capture_on_commit_callbacks
):
    client.force_login(reviewer)
    action = reverse(
        "wagtailsnippets_messaging_message:workflow_action",
        args=(at_clearance.message.pk, "send_clearance_link", at_clearance.task_state.pk),
    )
    modal = client.get(action, headers={"x-requested-with": "XMLHttpRequest"})
    assert modal.status_code == 200 and 'name="institution"' in modal.json()["html"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            action,
            {"name": "Salma", "email": "office@minister.example", "institution": "Minister's office", "language": "ar"},
        )
    link = ClearanceLink.objects.get()
    assert link.sent_by == reviewer and link.revision_id == at_clearance.message.latest_revision_id
    (sent,) = [email for email in mail.outbox if email.to == ["office@minister.example"]]
    html = sent.alternatives[0][0]
    assert 'dir="rtl"' in html and "/ar/clearance/" in sent.body
    token = sent.body.split("/ar/clearance/")[1].split("/")[0]
    assert client.get(url(token)).status_code == 200


def test_workflow_editor_offers_the_outside_clearance_task_type(admin_client):
    response = admin_client.get(reverse("wagtailadmin_workflows:select_task_type"))
    assert response.status_code == 200
    add_url = reverse("wagtailadmin_workflows:add_task", args=("clearance", "outsideclearancetask"))
    assert add_url in response.content.decode()
    assert admin_client.get(add_url).status_code == 200
