"""The admin's account settings, dates and e-mail as a new user of `make run` meets them."""

from __future__ import annotations

import datetime
import re
import zoneinfo

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.template import Context, Template
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.admin.templatetags.wagtailadmin_tags import timesince_simple
from wagtail.users.models import UserProfile

from hub.demo.loader import DEMO_PASSWORD, demo_load
from hub.mail import ConsoleLineBackend

pytestmark = pytest.mark.django_db


def test_a_demo_user_switches_the_admin_to_arabic_in_account_settings(client):
    demo_load()
    assert client.login(username="communicator", password=DEMO_PASSWORD)
    page = client.get(reverse("wagtailadmin_account")).content.decode()
    first = re.search(r'name="name_email-first_name"[^>]*value="([^"]*)"', page).group(1)
    last = re.search(r'name="name_email-last_name"[^>]*value="([^"]*)"', page).group(1)
    email = re.search(r'name="name_email-email"[^>]*value="([^"]*)"', page).group(1)
    assert first and last  # the form requires both, so saving any setting needs them

    response = client.post(
        reverse("wagtailadmin_account"),
        {
            "name_email-first_name": first,
            "name_email-last_name": last,
            "name_email-email": email,
            "locale-preferred_language": "ar",
            "locale-current_time_zone": "Asia/Muscat",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "theme-keyboard_shortcuts": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    profile = UserProfile.objects.get(user__username="communicator")
    assert profile.preferred_language == "ar"
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert '<html lang="ar" dir="rtl"' in home


def test_account_time_zones_are_all_known_to_browsers():
    # Browsers refuse the zone database's aliases of the machine's own zone.
    assert not {"localtime", "posixrules", "Factory"} & set(settings.WAGTAIL_USER_TIME_ZONES)
    assert "Asia/Muscat" in settings.WAGTAIL_USER_TIME_ZONES
    assert all(zone in zoneinfo.available_timezones() for zone in settings.WAGTAIL_USER_TIME_ZONES)


def test_dates_are_written_in_the_reader_language_with_the_month_by_name():
    moment = datetime.datetime(2026, 12, 6, 14, 5)
    template = Template('{{ moment|date:"SHORT_DATETIME_FORMAT" }} | {{ moment|date:"SHORT_DATE_FORMAT" }}')
    with translation.override("ar"):
        assert template.render(Context({"moment": moment})) == "6 ديسمبر 2026، 14:05 | 6 ديسمبر 2026"
    with translation.override("en"):
        assert template.render(Context({"moment": moment})) == "6 Dec 2026, 14:05 | 6 Dec 2026"


def test_decimals_are_written_with_a_point_in_arabic_as_in_english():
    """Django's Arabic formats write 1.5 as "1,5"; the site writes Western digits and a decimal point."""
    template = Template("{{ hours }}")
    for language in ("ar", "en"):
        with translation.override(language):
            assert template.render(Context({"hours": 1.5})) == "1.5"


def test_make_run_mail_is_one_console_line_and_a_whole_message_in_a_file(tmp_path, capsys):
    message = EmailMultiAlternatives(
        "تغيّرت رسالة", "النص الكامل مع الرابط http://127.0.0.1:8123/ar/institution/", to=["media@example.test"]
    )
    message.attach_alternative("<p>النص الكامل</p>", "text/html")
    with override_settings(TAWASUL_MAIL_DIR=tmp_path):
        assert ConsoleLineBackend().send_messages([message]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "media@example.test" in lines[0] and "تغيّرت رسالة" in lines[0]
    [saved] = tmp_path.glob("*.eml")
    assert str(saved) in lines[0]
    assert b"text/html" in saved.read_bytes() and len(mail.outbox) == 0


def test_make_run_links_use_the_port_it_serves_on(monkeypatch):
    import importlib

    import hub.settings.embedded as embedded

    monkeypatch.setenv("PORT", "8123")
    monkeypatch.delenv("WAGTAILADMIN_BASE_URL", raising=False)
    monkeypatch.delenv("TAWASUL_PUBLIC_BASE_URL", raising=False)
    reloaded = importlib.reload(embedded)
    try:
        assert reloaded.WAGTAILADMIN_BASE_URL == "http://127.0.0.1:8123"
        assert reloaded.TAWASUL_PUBLIC_BASE_URL == "http://127.0.0.1:8123"
        assert reloaded.EMAIL_BACKEND == "hub.mail.ConsoleLineBackend"
    finally:
        monkeypatch.delenv("PORT")
        importlib.reload(embedded)


def test_relative_times_read_in_arabic():
    """Wagtail's "just now" needs its "0 minutes" to equal Django's; Django's Arabic put 11 and more in the plural
    ("15 دقائق") and wrote "2 دقيقتين"."""
    now = timezone.now()
    with translation.override("ar"):
        spans = [timesince_simple(now - datetime.timedelta(minutes=m, seconds=1)) for m in (0, 1, 2, 5, 15, 120)]
    assert [span.replace("\xa0", " ") for span in spans] == [
        "الآن",
        "قبل دقيقة واحدة",
        "قبل دقيقتين",
        "قبل 5 دقائق",
        "قبل 15 دقيقة",
        "قبل ساعتين",
    ]
