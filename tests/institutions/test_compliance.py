"""Compliance figures from a known ledger: every figure, version changes and withdrawals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from institutions.compliance import _compiled_figures, compliance_by_institution, institution_figures
from institutions.enums import AcknowledgementKind
from institutions.ledger import Acknowledgement
from institutions.models import Institution
from institutions.services import acknowledgement_record, deliveries_record
from messaging.models import Message
from tests.factories import InstitutionFactory, MessageFactory, release
from tests.messaging.api_helpers import client_for, issue_key

pytestmark = pytest.mark.django_db


@dataclass
class Ledger:
    moi: Institution
    gcc: Institution
    part: Institution
    messages: dict[str, Message]


def deliver(institution: Institution, message: Message, channel: str = "api") -> None:
    deliveries_record(institution_id=institution.pk, rows=[Message.objects.get(pk=message.pk)], channel=channel)


def acknowledge(
    institution: Institution, message: Message, version: int, *, after_publish: timedelta | None = None, **kwargs
) -> Acknowledgement:
    """Acknowledged now, or `after_publish` after the message row's publication (the clock is set then)."""
    message = Message.objects.get(pk=message.pk)
    at = message.last_published_at + after_publish if after_publish is not None else timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=at):
        ack, _ = acknowledgement_record(
            institution_id=institution.pk,
            translation_key=message.translation_key,
            message=message,
            version=version,
            acknowledged_by="Newsroom",
            **kwargs,
        )
    return ack


def republish(message: Message) -> Message:
    message = Message.objects.get(pk=message.pk)
    message.change_note = f"change to v{message.version + 1}"
    message.save_revision()
    release(message)
    return Message.objects.get(pk=message.pk)


def withdraw(message: Message) -> None:
    Message.objects.get(pk=message.pk).unpublish()


def build_ledger() -> Ledger:
    """Three institutions, six messages; the expected figures are spelled out in the tests below.

    - current: to everyone, v1; moi received and acknowledged it (2 h), gcc received it only.
    - changed: to everyone; moi received and acknowledged v1, then it became v2; gcc received and acknowledged v2 (1 h).
    - private: to moi only, v1, received and acknowledged (4 h).
    - withdrawn: to everyone; moi and gcc received it, then it was withdrawn; moi acknowledged the withdrawal.
    - draft: never published.
    - unseen: to gcc only, withdrawn before gcc ever received it.
    """
    moi, gcc, part = (InstitutionFactory(slug=slug, name_en=slug.upper()) for slug in ("moi", "gcc", "part"))
    current = MessageFactory.create_published(owner=moi, title="current")
    deliver(moi, current)
    deliver(moi, current, channel="webhook")
    acknowledge(moi, current, 1, after_publish=timedelta(hours=2))
    deliver(gcc, current)

    changed = MessageFactory.create_published(owner=moi, title="changed")
    deliver(moi, changed)
    acknowledge(moi, changed, 1)
    changed = republish(changed)
    deliver(gcc, changed, channel="feed")
    acknowledge(gcc, changed, 2, after_publish=timedelta(hours=1))

    private = MessageFactory.create_published(owner=moi, title="private", audience_of=[moi])
    deliver(moi, private)
    acknowledge(moi, private, 1, after_publish=timedelta(hours=4))

    withdrawn = MessageFactory.create_published(owner=moi, title="withdrawn")
    deliver(moi, withdrawn)
    deliver(gcc, withdrawn)
    withdraw(withdrawn)
    acknowledge(moi, withdrawn, 1, kind=AcknowledgementKind.WITHDRAWAL)

    draft = MessageFactory(owner=moi, title="draft")
    unseen = MessageFactory.create_published(owner=moi, title="unseen", audience_of=[gcc])
    withdraw(unseen)
    return Ledger(moi, gcc, part, {m.title: m for m in (current, changed, private, withdrawn, draft, unseen)})


@pytest.fixture
def ledger() -> Ledger:
    return build_ledger()


EXPECTED = {
    "moi": {
        "live_messages": 3,
        "delivered_current": 2,
        "acknowledged_current": 2,
        "acknowledged_older_only": 1,
        "unacknowledged": 0,
        "median_seconds_to_acknowledge": 3 * 3600,
        "withdrawals_unacknowledged": 0,
    },
    "gcc": {
        "live_messages": 2,
        "delivered_current": 2,
        "acknowledged_current": 1,
        "acknowledged_older_only": 0,
        "unacknowledged": 1,
        "median_seconds_to_acknowledge": 3600,
        "withdrawals_unacknowledged": 1,
    },
    "part": {
        "live_messages": 2,
        "delivered_current": 0,
        "acknowledged_current": 0,
        "acknowledged_older_only": 0,
        "unacknowledged": 2,
        "median_seconds_to_acknowledge": None,
        "withdrawals_unacknowledged": 0,
    },
}


def test_compliance_by_institution_computes_every_figure(ledger):
    rows = compliance_by_institution(institutions=[ledger.moi, ledger.gcc, ledger.part])
    assert {row.institution.slug: row.figures() for row in rows} == EXPECTED


def test_compliance_acknowledging_the_new_version_moves_it_out_of_older_only(ledger):
    acknowledge(ledger.moi, ledger.messages["changed"], 2)
    figures = institution_figures(institution=ledger.moi)
    assert (figures["acknowledged_current"], figures["acknowledged_older_only"]) == (3, 0)


def test_compliance_older_only_counts_a_message_once_whatever_the_number_of_old_versions(ledger):
    changed = ledger.messages["changed"]
    acknowledge(ledger.moi, changed, 2)
    republish(changed)
    figures = institution_figures(institution=ledger.moi)
    assert (figures["acknowledged_current"], figures["acknowledged_older_only"]) == (2, 1)
    assert figures["delivered_current"] == 2


def test_compliance_withdrawal_acknowledged_is_no_longer_pending(ledger):
    acknowledge(ledger.gcc, ledger.messages["withdrawn"], 1, kind=AcknowledgementKind.WITHDRAWAL)
    assert institution_figures(institution=ledger.gcc)["withdrawals_unacknowledged"] == 0


def test_compliance_withdrawal_of_a_republished_message_is_not_pending(ledger):
    republish(ledger.messages["withdrawn"])
    figures = institution_figures(institution=ledger.gcc)
    assert figures["withdrawals_unacknowledged"] == 0
    assert figures["live_messages"] == 3


def test_compliance_withdrawal_acknowledged_at_an_old_version_does_not_cover_a_new_withdrawal(ledger):
    withdrawn = republish(ledger.messages["withdrawn"])
    deliver(ledger.moi, withdrawn)
    withdraw(withdrawn)
    assert institution_figures(institution=ledger.moi)["withdrawals_unacknowledged"] == 1


def test_compliance_takes_a_fixed_number_of_queries_whatever_the_number_of_institutions(ledger):
    with CaptureQueriesContext(connection) as few:
        compliance_by_institution(institutions=[ledger.moi])
    more = [InstitutionFactory() for _ in range(5)]
    with CaptureQueriesContext(connection) as many:
        compliance_by_institution(institutions=[ledger.moi, ledger.gcc, ledger.part, *more])
    assert len(many) == len(few)


def test_me_returns_the_institutions_own_figures(ledger):
    body = client_for(issue_key(ledger.gcc)).get("/api/v1/me/").json()
    assert body["compliance"] == EXPECTED["gcc"]


def test_live_messages_figure_is_the_visibility_selector_counted(ledger):
    """The report counts every institution at once; each figure equals the selector's answer for it."""
    from messaging.models import SOURCE_LANGUAGE
    from messaging.selectors import visible_messages_for

    for row in compliance_by_institution(institutions=[ledger.moi, ledger.gcc, ledger.part]):
        visible = visible_messages_for(row.institution).in_language(SOURCE_LANGUAGE)
        assert row.live_messages == visible.count()


def test_an_inactive_institution_is_not_counted_as_reached(ledger):
    """An inactive institution cannot call the API and gets no webhooks: the reach figures leave it out, for
    messages to everyone and to chosen institutions alike."""
    from institutions.reach import message_reach, messages_with_reach

    restricted = MessageFactory.create_published(title="to two", audience_of=[ledger.moi, ledger.part])
    everyone = MessageFactory.create_published(title="to all")
    before = dict(messages_with_reach().values_list("title", "addressed_count"))
    Institution.objects.filter(pk=ledger.part.pk).update(is_active=False)
    after = dict(messages_with_reach().values_list("title", "addressed_count"))
    assert (before["to two"], after["to two"]) == (2, 1)
    assert after["to all"] == before["to all"] - 1 == Institution.objects.filter(is_active=True).count()
    for message in (restricted, everyone):
        addressed = set(message_reach(message=message).filter(is_addressed=True).values_list("slug", flat=True))
        assert ledger.part.slug not in addressed and ledger.moi.slug in addressed


def test_one_institution_gets_the_figures_the_report_gives_it(ledger):
    """The figures of one institution (`/api/v1/me/`) match each ledger row to its message by a lookup, the report
    by a semi-join: the same condition in two forms, so the same figures, older versions and withdrawals included."""
    changed = ledger.messages["changed"]
    acknowledge(ledger.moi, changed, 2)
    deliver(ledger.part, republish(changed))
    acknowledge(ledger.part, changed, 2)
    institutions = [ledger.moi, ledger.gcc, ledger.part]
    report = {row.institution.slug: row.figures() for row in compliance_by_institution(institutions=institutions)}
    assert {institution.slug: institution_figures(institution=institution) for institution in institutions} == report
    assert _compiled_figures() is not None  # one institution's queries ran compiled, with each one's values
    assert report["moi"]["acknowledged_older_only"] == 1 and report["part"]["delivered_current"] == 1


def test_addressed_counts_are_the_rule_asked_for_each_institution(ledger):
    """`addressed_counts` counts the rule's two branches for all institutions at once; each count is
    `addressed_to(I).count()`, also for a message to everyone that still names institutions, and a draft."""
    named_too = MessageFactory.create_published(title="to all, naming gcc", audience_of=[ledger.gcc])
    Message.objects.filter(translation_key=named_too.translation_key).update(audience_all=True)
    MessageFactory(title="draft to part", audience_of=[ledger.part])
    ids = [ledger.moi.pk, ledger.gcc.pk, ledger.part.pk]
    for messages in (Message.objects.all(), Message.objects.live_now().in_language("ar")):
        assert messages.addressed_counts(ids) == {pk: messages.addressed_to(pk).count() for pk in ids}
    live = Message.objects.live_now().in_language("ar")
    assert live.addressed_counts(ids) == {ledger.moi.pk: 4, ledger.gcc.pk: 3, ledger.part.pk: 3}
