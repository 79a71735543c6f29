"""The compliance reports in the admin: who sees them, every figure, charts, CSV/XLSX exports, the dashboard panel,
and recording an acknowledgement on behalf of an institution."""

from __future__ import annotations

import codecs
import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import npgettext
from openpyxl import load_workbook
from wagtail.users.models import UserProfile

from campaigns.models import CampaignActivity
from institutions.enums import AcknowledgementKind
from institutions.ledger import Acknowledgement
from tests.factories import UserFactory, locale
from tests.institutions.test_compliance import build_ledger

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def ledger():
    return build_ledger()


def login(client, username: str, groups: list[str], language: str = "en"):
    user = UserFactory(username=username, groups=groups)
    UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": language})
    client.force_login(user)
    return client


@pytest.fixture
def leader(client):
    return login(client, "leader", ["Approvers"])


def rows_of(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv"
    raw = b"".join(response.streaming_content)
    assert raw.startswith(codecs.BOM_UTF8)  # Excel reads the CSV as UTF-8 (Arabic) only with it
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def english(client, url: str, **params):
    return client.get(url, params)


def test_reports_are_refused_to_communicators(client, ledger):
    client.force_login(UserFactory(username="writer", groups=["Communicators"]))
    for name in ("compliance", "reach_index", "activities"):
        response = client.get(reverse(f"tawasul_reports:{name}"))
        assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    assert "compliance-summary" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_reports_menu_lists_the_three_reports_for_approvers(leader, ledger):
    page = leader.get(reverse("wagtailadmin_home")).content.decode()
    for name in ("compliance", "reach_index", "activities"):
        assert reverse(f"tawasul_reports:{name}") in page


def test_compliance_report_shows_every_figure_with_charts(leader, ledger):
    response = leader.get(reverse("tawasul_reports:compliance"))
    assert response.status_code == 200
    rows = {row.institution.slug: row.figures() for row in response.context["object_list"]}
    assert rows["moi"]["acknowledged_older_only"] == 1 and rows["gcc"]["withdrawals_unacknowledged"] == 1
    page = response.content.decode()
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2
    assert "http" not in page.split('role="img"')[1].split("</svg>")[0].replace("http://www.w3.org/2000/svg", "")


def test_compliance_report_exports_csv_with_every_figure(leader, ledger):
    rows = rows_of(english(leader, reverse("tawasul_reports:compliance"), export="csv"))
    assert rows[0][:4] == [
        "Institution",
        "Live messages addressed",
        "Delivered (current version)",
        "Acknowledged (current version)",
    ]
    assert sorted(rows[1:]) == [
        ["GCC", "2", "2", "1", "0", "1", "50", "1.0", "1", "0", "0", "0"],
        ["MOI", "3", "2", "2", "1", "0", "67", "3.0", "0", "0", "0", "0"],
        ["PART", "2", "0", "0", "0", "2", "0", "", "0", "0", "0", "0"],
    ]


def test_compliance_report_exports_xlsx(leader, ledger):
    response = leader.get(reverse("tawasul_reports:compliance"), {"export": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 4


def test_compliance_report_is_mirrored_in_arabic(client, ledger):
    page = login(client, "qiyada", ["Approvers"], language="ar").get(reverse("tawasul_reports:compliance"))
    chart = page.context["view"].charts[0]
    assert chart.label_anchor == "start" and chart.axis_x == chart.width - 220
    assert all(segment.x + segment.width <= chart.axis_x for bar in chart.bars for segment in bar.segments)
    assert ledger.moi.name_ar in page.content.decode()
    rows = rows_of(client.get(reverse("tawasul_reports:compliance"), {"export": "csv"}))
    assert ledger.moi.name_ar in {row[0] for row in rows}


def test_reach_report_shows_who_received_and_acknowledged_which_version(leader, ledger):
    changed = ledger.messages["changed"]
    rows = rows_of(english(leader, reverse("tawasul_reports:reach", args=(changed.pk,)), export="csv"))
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"MOI", "GCC", "PART"}
    assert (by_name["MOI"][2], by_name["MOI"][4], by_name["MOI"][10]) == (
        "1",
        "1",
        "Acknowledged an older version only",
    )
    assert (by_name["GCC"][2], by_name["GCC"][4], by_name["GCC"][10]) == ("2", "2", "Acknowledged the current version")
    assert (by_name["PART"][2], by_name["PART"][4], by_name["PART"][10]) == ("", "", "Not received")
    page = leader.get(reverse("tawasul_reports:reach", args=(changed.pk,))).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page


def test_reach_report_of_a_withdrawn_message_shows_the_withdrawal_acknowledgement(leader, ledger):
    withdrawn = ledger.messages["withdrawn"]
    rows = rows_of(english(leader, reverse("tawasul_reports:reach", args=(withdrawn.pk,)), export="csv"))
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"MOI", "GCC"}
    assert by_name["MOI"][1] == "No" and by_name["MOI"][9] and not by_name["GCC"][9]


def test_reach_index_lists_published_messages_with_counts(leader, ledger):
    rows = rows_of(english(leader, reverse("tawasul_reports:reach_index"), export="csv"))
    by_title = {row[0]: row[1:] for row in rows[1:]}
    assert "draft" not in by_title
    assert by_title["changed"] == ["2", "Yes", "3", "1", "1"]
    assert by_title["private"] == ["1", "Yes", "1", "1", "1"]
    assert by_title["withdrawn"][1:3] == ["No", "0"]


def test_admin_records_an_acknowledgement_on_behalf_of_an_institution(leader, ledger):
    current = ledger.messages["current"]
    url = reverse("tawasul_reports:reach_acknowledge", args=(current.pk, ledger.gcc.pk))
    assert leader.get(url).status_code == 200
    response = leader.post(
        url, {"kind": "message", "version": "", "acknowledged_by": "Duty officer", "note": "By phone"}
    )
    assert response.status_code == 302
    ack = Acknowledgement.objects.get(institution=ledger.gcc, translation_key=current.translation_key)
    assert (ack.version, ack.user.username, ack.acknowledged_by, ack.note) == (1, "leader", "Duty officer", "By phone")
    rows = rows_of(english(leader, reverse("tawasul_reports:compliance"), export="csv"))
    assert next(row for row in rows if row[0] == "GCC")[3] == "2"


def test_admin_records_a_withdrawal_acknowledgement_and_refuses_a_future_version(leader, ledger):
    withdrawn, current = ledger.messages["withdrawn"], ledger.messages["current"]
    url = reverse("tawasul_reports:reach_acknowledge", args=(withdrawn.pk, ledger.gcc.pk))
    leader.post(url, {"kind": "withdrawal", "acknowledged_by": "Duty officer"})
    assert Acknowledgement.objects.filter(institution=ledger.gcc, kind=AcknowledgementKind.WITHDRAWAL).exists()
    refused = leader.post(
        reverse("tawasul_reports:reach_acknowledge", args=(current.pk, ledger.part.pk)),
        {"kind": "message", "version": "9", "acknowledged_by": "x"},
    )
    assert refused.status_code == 200 and not Acknowledgement.objects.filter(institution=ledger.part).exists()


def test_recording_an_acknowledgement_needs_the_permission(client, ledger):
    user = UserFactory(username="viewer")
    user.user_permissions.add(*_permissions("view_compliance", "access_admin"))
    client.force_login(user)
    url = reverse("tawasul_reports:reach_acknowledge", args=(ledger.messages["current"].pk, ledger.gcc.pk))
    assert client.get(reverse("tawasul_reports:compliance")).status_code == 200
    assert client.get(url).status_code == 302


def _permissions(*codenames: str):
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(codename__in=codenames)


@pytest.fixture
def activities(ledger):
    from wagtail.models import Page

    from campaigns.models import CampaignPage

    root = Page.get_first_root_node()
    campaign = root.add_child(instance=CampaignPage(title="حملة", slug="campaign", summary="ملخص", locale=locale("ar")))
    today = timezone.localdate()
    for title, owner, days, status in [
        ("late", ledger.moi, -3, "in_progress"),
        ("done late", ledger.moi, -3, "done"),
        ("soon", ledger.gcc, 5, "planned"),
        ("stuck", ledger.gcc, 9, "blocked"),
    ]:
        CampaignActivity.objects.create(
            page=campaign, locale=campaign.locale, title=title, owner=owner,
            due_date=today + datetime.timedelta(days=days), status=status,
        )  # fmt: skip
    return campaign


def test_activities_board_counts_by_status_and_flags_overdue(leader, activities):
    response = leader.get(reverse("tawasul_reports:activities"))
    chart = response.context["view"].charts[0]
    assert [(bar.label, bar.total) for bar in chart.bars] == [
        ("Planned", 1), ("In progress", 1), ("Done", 1), ("Blocked", 1), ("Overdue", 1),
    ]  # fmt: skip
    rows = rows_of(english(leader, reverse("tawasul_reports:activities"), export="csv"))
    assert [(row[0], row[2], row[4], row[5]) for row in rows[1:]] == [
        ("late", "MOI", "In progress", "Yes"),
        ("done late", "MOI", "Done", "No"),
        ("soon", "GCC", "Planned", "No"),
        ("stuck", "GCC", "Blocked", "No"),
    ]


def test_activities_board_filters_overdue_and_exports_xlsx(leader, activities):
    response = leader.get(reverse("tawasul_reports:activities"), {"overdue": "true"})
    assert [a.title for a in response.context["object_list"]] == ["late"]
    export = leader.get(reverse("tawasul_reports:activities"), {"export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"] == XLSX


def test_dashboard_panel_summarises_the_three_reports(leader, activities):
    page = english(leader, reverse("wagtailadmin_home")).content.decode()
    assert "Compliance and follow-up" in page
    assert "Withdrawals not acknowledged: 1" in page
    assert "Overdue: 1" in page
    assert "acknowledged on the current version: 3 of the 7" in page


def test_dashboard_panel_counts_in_arabic_plural_forms(client, activities):
    """Counts agree with their number as Arabic wants: 3 to 10 take the plural ("7 رسائل"), 11 and more the
    singular ("15 رسالة"), 2 the dual."""
    arabic = login(client, "leader-ar", ["Approvers"], language="ar")
    page = " ".join(arabic.get(reverse("wagtailadmin_home")).content.decode().split())
    assert "أُقرّ باستلام الإصدار الحالي: 3 من أصل 7 رسائل منشورة موجّهة إلى المؤسسات." in page
    with translation.override("ar"):
        forms = [npgettext("dashboard count", "live message", "live messages", n) for n in (1, 2, 7, 15, 100)]
    assert forms == ["رسالة منشورة", "رسالتان منشورتان", "رسائل منشورة", "رسالة منشورة", "رسالة منشورة"]
