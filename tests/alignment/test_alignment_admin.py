# Arabic letters are the subject of these tests, not look-alikes of Latin ones.
"""The alignment check page in the Wagtail admin."""

import pytest
from django.contrib.auth.models import Permission

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/alignment/"


@pytest.fixture
def admin_only_user(db):
    user = UserFactory(username="viewer")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def test_alignment_admin_page_shows_the_form_in_arabic_right_to_left(client, communicator):
    client.force_login(communicator)

    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'dir="rtl"' in html
    assert "فحص الاتساق" in html
    assert 'name="text"' in html and 'name="language"' in html and 'name="message"' in html


def test_alignment_admin_page_reports_coverage_and_flags(client, communicator, digital_message):
    client.force_login(communicator)

    response = client.post(
        URL,
        {
            "text": "سنطلق منصة الخدمات الحكومية الموحدة للمواطنين. استفاد 300 ألف مواطن من المنصة في عامها الأول.",
            "language": "ar",
            "message": str(digital_message.translation_key),
        },
    )

    assert response.status_code == 200
    report = response.context["report"]
    assert report.coverage.covered_count == 1
    assert report.number_mismatches[0].draft_numbers == ["300"]
    html = response.content.decode()
    assert "تدريب الموظفين على المهارات الرقمية الحديثة" in html
    assert "الخدمات الرقمية" in html


def test_alignment_admin_page_shows_form_errors_for_an_empty_draft(client, communicator):
    client.force_login(communicator)

    response = client.post(URL, {"text": "", "language": "ar"})

    assert response.status_code == 200
    assert response.context["form"].errors["text"]
    assert "report" not in response.context


def test_alignment_admin_page_is_refused_without_the_change_message_permission(client, admin_only_user):
    client.force_login(admin_only_user)

    response = client.get(URL)

    assert response.status_code in (302, 403)
    assert "alignment-check" not in client.get("/admin/").content.decode()


def test_alignment_admin_menu_lists_the_page_for_communicators(client, communicator):
    client.force_login(communicator)

    assert "alignment-check" in client.get("/admin/").content.decode()
