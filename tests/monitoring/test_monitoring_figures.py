"""Pull-through, time to first use and withdrawn lines still published: computed from findings, shown on the
compliance reports (charts and exports) and in `/api/v1/me/`."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from messaging.models import Message
from monitoring.enums import SourceKind
from monitoring.extraction import Extracted
from monitoring.figures import statement_summaries
from monitoring.models import Source
from monitoring.services import statement_check, statement_record
from tests.factories import MessageFactory, UserFactory
from tests.messaging.api_helpers import client_for, issue_key
from tests.monitoring.conftest import FACT_EN, KEY_MESSAGE_EN, body_ar

OLD_KEY_MESSAGE = "Fees for every permit will be waived until the end of the year"


def publish(institution, text: str, slug: str, at) -> int:  # type: ignore[no-untyped-def]
    source, _ = Source.objects.get_or_create(
        institution=institution, url="https://ministry.example/feed", kind=SourceKind.FEED
    )
    item = Extracted(url=f"https://ministry.example/news/{slug}", title=slug, text=text, published_at=at)
    statement_id = statement_record(source=source, item=item)
    assert statement_id is not None
    statement_check(statement_id=statement_id)
    return statement_id


@pytest.fixture
def scene(digital, ministry):  # type: ignore[no-untyped-def]
    """Ministry: one statement carrying the key message (3 h after release), one on the topic citing only a fact,
    one off the topic, and one still using the key message of a withdrawn message."""
    released = Message.objects.get(pk=digital.pk).first_published_at
    withdrawn = MessageFactory.create_published(
        title="Permit fees", key_message="إعفاء جميع التصاريح من الرسوم حتى نهاية العام", body=body_ar()
    )
    english = MessageFactory.create_published(
        locale=withdrawn.locale.__class__.objects.get(language_code="en"),
        translation_key=withdrawn.translation_key,
        key_message=OLD_KEY_MESSAGE,
        body=body_ar(),
        topic=withdrawn.topic,
        owner=withdrawn.owner,
    )
    for row in (withdrawn, english):
        Message.objects.get(pk=row.pk).unpublish()
    publish(ministry, f"{KEY_MESSAGE_EN}, the minister said on Sunday.", "carries", released + timedelta(hours=3))
    publish(ministry, f"The report says that {FACT_EN}", "fact", released + timedelta(hours=5))
    publish(ministry, "The football team won the national cup after a long final.", "off", released)
    publish(ministry, f"{OLD_KEY_MESSAGE}, the spokesman repeated.", "old", released + timedelta(hours=6))
    return {"digital": digital, "withdrawn": withdrawn, "ministry": ministry}


def test_figures_pull_through_first_use_and_withdrawn_lines(scene):
    summary = statement_summaries(institutions=[scene["ministry"]])[0]
    by_id = {row.message_id: row for row in summary.messages}
    digital = by_id[str(scene["digital"].translation_key)]
    withdrawn = by_id[str(scene["withdrawn"].translation_key)]

    assert (summary.published, summary.carrying_current, summary.flagged_published) == (4, 1, 1)
    assert (digital.on_topic, digital.carrying_current, digital.pull_through_percent) == (2, 1, 50)
    assert digital.first_use_hours == 3.0
    assert digital.withdrawn_lines_published == 0
    assert not withdrawn.is_visible and withdrawn.withdrawn_lines_published == 1


def test_figures_a_replaced_statement_no_longer_counts_as_published(scene):
    ministry = scene["ministry"]
    source = Source.objects.get(institution=ministry)
    statement_record(
        source=source,
        item=Extracted(
            url="https://ministry.example/news/old", title="old", text="The statement was corrected.", published_at=None
        ),
    )

    summary = statement_summaries(institutions=[ministry])[0]

    assert summary.flagged_published == 0 and summary.published == 4


def test_me_returns_the_statement_figures(scene):
    body = client_for(issue_key(scene["ministry"])).get("/api/v1/me/").json()

    statements = body["statements"]
    assert (statements["published"], statements["carrying_current_lines"]) == (4, 1)
    assert statements["withdrawn_lines_published"] == 1
    digital = next(m for m in statements["messages"] if m["message_id"] == str(scene["digital"].translation_key))
    assert digital["pull_through_percent"] == 50 and digital["seconds_to_first_use"] == 3 * 3600
    assert "compliance" in body


@pytest.fixture
def leader(client):  # type: ignore[no-untyped-def]
    user = UserFactory(username="leader", groups=["Approvers"])
    UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": "en"})
    client.force_login(user)
    return client


def csv_rows(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    assert response["Content-Type"] == "text/csv"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_pull_through_report_charts_and_export(leader, scene):
    page = leader.get(reverse("tawasul_reports:pull_through"))
    assert page.status_code == 200
    with translation.override("en"):
        titles = [str(chart.title) for chart in page.context["view"].charts]
    assert titles == ["Pull-through by message", "Withdrawn lines still published"]
    assert page.content.decode().count('<svg xmlns="http://www.w3.org/2000/svg"') == 2

    rows = csv_rows(leader.get(reverse("tawasul_reports:pull_through"), {"export": "csv"}))
    assert rows[0][6] == "Pull-through (%)"
    by_message = {row[1]: row for row in rows[1:]}
    assert by_message["الخدمات الرقمية"][4:9] == ["2", "1", "50", "3.0", "0"]
    assert by_message["Permit fees"][3] == "No" and by_message["Permit fees"][8] == "1"


def test_compliance_report_shows_statement_figures(leader, scene):
    page = leader.get(reverse("tawasul_reports:compliance"))
    assert page.content.decode().count('<svg xmlns="http://www.w3.org/2000/svg"') == 4
    with translation.override("en"):
        assert "Published statements still using withdrawn lines" in [str(c.title) for c in page.context["view"].charts]

    rows = csv_rows(leader.get(reverse("tawasul_reports:compliance"), {"export": "csv"}))
    assert rows[0][-3:] == [
        "Statements published",
        "Statements carrying a current line",
        "Statements using withdrawn lines",
    ]
    ministry = next(row for row in rows if row[0] == "Ministry of Digital Affairs")
    assert ministry[-3:] == ["4", "1", "1"]


def test_admin_home_alerts_the_centre_to_flagged_statements(leader, scene):
    page = leader.get(reverse("wagtailadmin_home")).content.decode()
    assert 'data-figure="flagged-statements"' in page

    listing = leader.get(reverse("monitoring_statement:index"), {"flagged": "true"})
    assert listing.status_code == 200 and "old" in listing.content.decode()


def test_statement_admin_is_read_only_and_refused_to_communicators(client, scene):
    client.force_login(UserFactory(username="writer", groups=["Communicators"]))
    assert client.get(reverse("monitoring_statement:index")).status_code == 302
    assert client.get(reverse("monitoring_source:index")).status_code == 302


def test_approver_registers_a_source_in_the_admin_and_a_bad_address_is_a_form_error(leader, ministry):
    url = reverse("monitoring_source:add")
    created = leader.post(url, {"institution": ministry.pk, "kind": "feed", "url": "https://ministry.example/rss"})
    refused = leader.post(url, {"institution": ministry.pk, "kind": "page", "url": "ftp://ministry.example/page"})

    assert created.status_code == 302
    assert Source.objects.get().url == "https://ministry.example/rss"
    assert refused.status_code == 200 and refused.context["form"].errors["url"]
