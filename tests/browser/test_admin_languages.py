"""The admin as its people see it, in Arabic and in English: the communicator's, reviewer's, approver's and
translator's screens, each at 1280 px and 390 px.

In the Arabic admin no visible Latin-script word may remain outside a short allow-list (product names, formats,
addresses and code); in the English admin no Arabic-script chrome. Content is not chrome: a text that is exactly
stored data (a message's title, an institution's or a person's name), or the start of one cut off with "…", is
left out. Every screen must fit its width (no horizontal page overflow, no table cut off, every table fitting at
1280 px) and log no console error. Screenshots go to test-artifacts/browser/.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.fields import StreamField
from wagtail.models import ModelLogEntry, Page, TaskState
from wagtail.users.models import UserProfile

from hub.demo.loader import DEMO_PASSWORD, demo_load
from institutions.models import Institution
from messaging.blocks import MessageHouseBlock
from messaging.models import Message, Topic
from messaging.services.messages import message_draft_save, message_submit, message_withdraw
from tests.factories import MessageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHECKS = (Path(__file__).with_name("admin_checks.js")).read_text()
WIDTHS = (1280, 390)
# Names of products and formats, and abbreviations an Arabic admin writes in Latin letters.
LATIN_ALLOWED = {"Tawasul", "Wagtail", "API", "URL", "CSV", "XLSX", "PDF", "PO", "RSS", "Atom", "JSON", "HTML", "SMTP"}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
ARABIC_LETTER = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
ADDRESS_OR_CODE = re.compile(r"\S+://\S+|\S+@\S+\.\S+|\b[\w-]+\.(?:py|js|json|csv|xlsx)\b|\b[a-f0-9]{8,}\b")
SENT_BACK_COMMENT = "الأرقام تحتاج إلى تدقيق"
WITHDRAWAL_REASON = "حلّت محلها رسالة أحدث"


def _data_strings() -> set[str]:
    """Every stored text of the project's content: titles, names, lines, people's names."""
    strings: set[str] = set()
    labels = {
        "messaging",
        "campaigns",
        "institutions",
        "monitoring",
        "institution_space",
        "webhooks",
        "wagtailcore",
        "wagtail_localize",
    }
    for model in apps.get_models():
        if model._meta.app_label not in labels or (model._meta.app_label == "wagtailcore" and model is not Page):
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | StreamField | models.JSONField)
        ]
        for row in model.objects.values_list(*fields):
            for value in row:
                strings.update(_strings_in(value))
    # Comments people wrote on workflow steps, and reasons in the audit log (a withdrawal's).
    for comment in TaskState.objects.exclude(comment="").values_list("comment", flat=True):
        strings.update(_strings_in(comment))
    for data in ModelLogEntry.objects.values_list("data", flat=True):
        strings.update(_strings_in(data))
    for user in get_user_model().objects.all():
        strings.update({user.get_full_name(), user.first_name, user.last_name, user.get_username()})
    return {s for s in strings if s}


def _strings_in(value: Any) -> set[str]:
    """Every text in a stored value, StreamField and JSON contents included."""
    if isinstance(value, str):
        if value[:1] in "[{":
            try:
                return _strings_in(json.loads(value))
            except ValueError:
                pass
        text = " ".join(value.split())
        return {text} if text else set()
    if isinstance(value, dict):
        return set().union(*(_strings_in(v) for v in value.values())) if value else set()
    if isinstance(value, list | tuple) or hasattr(value, "raw_data"):
        items = list(value.raw_data) if hasattr(value, "raw_data") else value
        return set().union(*(_strings_in(v) for v in items)) if items else set()
    return set()


def _without_data(text: str, data: list[str]) -> str:
    """The text less any stored data in it: whole, as the start of a datum cut off with "…", or inside chrome
    ("Editing message <title>")."""
    if text in data:
        return ""
    if text.endswith("…") and len(text) > 4 and any(s.startswith(text[:-1].strip()) for s in data):
        return ""
    for datum in data:  # longest first
        if len(datum) > 3 and datum in text:
            text = text.replace(datum, " ")
    return text


def _chrome_problems(texts: list[str], language: str, data: set[str]) -> list[str]:
    problems = []
    ordered = sorted(data, key=len, reverse=True)
    for seen in texts:
        text = _without_data(seen, ordered)
        if language == "ar":
            words = [w for w in LATIN_WORD.findall(ADDRESS_OR_CODE.sub(" ", text)) if w not in LATIN_ALLOWED]
            if words:
                problems.append(f"Latin {words} in {seen[:100]!r}")
        elif ARABIC_LETTER.search(text):
            problems.append(f"Arabic in {seen[:100]!r}")
    return problems


@pytest.fixture
def admin_world() -> dict[str, Any]:
    """The demo, plus what each dashboard panel shows: a draft of the communicator's, one sent back to them with a
    comment, one waiting for review with a due date, and a withdrawn message."""
    demo_load()
    users = {u.username: u for u in get_user_model().objects.all()}
    topic = Topic.objects.filter(locale__language_code="ar").first()
    owner = Institution.objects.get(slug="gcc")
    draft = MessageFactory(title="مسودة بيان التوعية الرقمية", topic=topic, owner=owner)
    message_draft_save(message=draft, user=users["communicator"])
    sent_back = MessageFactory(title="رسالة أعيدت للتعديل", topic=topic, owner=owner)
    message_draft_save(message=sent_back, user=users["communicator"])
    message_submit(message=sent_back, user=users["communicator"])
    task_state = Message.objects.get(pk=sent_back.pk).current_workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, users["reviewer"], "reject", comment=SENT_BACK_COMMENT)
    in_review = Message.objects.filter(locale__language_code="ar", live=False).exclude(pk__in=[draft.pk, sent_back.pk])
    in_review = next(m for m in in_review if m.workflow_in_progress)
    Message.objects.filter(pk=in_review.pk).update(due_date=timezone.localdate() + datetime.timedelta(days=3))
    withdrawn = Message.objects.filter(locale__language_code="ar", live=True).order_by("pk").last()
    message_withdraw(message=withdrawn, user=users["approver"], reason=WITHDRAWAL_REASON)
    english = Message.objects.filter(locale__language_code="en", live=True).order_by("pk").first()
    source = Message.objects.get(translation_key=english.translation_key, locale__language_code="ar")
    return {
        "draft": draft,
        "sent_back": sent_back,
        "in_review": in_review,
        "withdrawn": withdrawn,
        "english": english,
        "source": source,
    }


def _walks(world: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    message_edit = "wagtailsnippets_messaging_message:edit"
    return {
        "communicator": [
            ("dashboard", reverse("wagtailadmin_home")),
            ("messages", reverse("wagtailsnippets_messaging_message:list")),
            ("new-message", reverse("wagtailsnippets_messaging_message:add") + "?locale=ar"),
            ("sent-back", reverse(message_edit, args=(world["sent_back"].pk,))),
            ("in-review", reverse(message_edit, args=(world["in_review"].pk,))),
            ("account", reverse("wagtailadmin_account")),
        ],
        "reviewer": [
            ("dashboard", reverse("wagtailadmin_home")),
            ("review", reverse(message_edit, args=(world["in_review"].pk,))),
            ("history", reverse("wagtailsnippets_messaging_message:history", args=(world["in_review"].pk,))),
        ],
        "approver": [
            ("dashboard", reverse("wagtailadmin_home")),
            ("compliance", reverse("tawasul_reports:compliance")),
            ("reach-index", reverse("tawasul_reports:reach_index")),
            ("reach", reverse("tawasul_reports:reach", args=(world["source"].pk,))),
            ("activities", reverse("tawasul_reports:activities")),
            ("pull-through", reverse("tawasul_reports:pull_through")),
            ("institutions", reverse("wagtailsnippets_institutions_institution:list")),
            ("withdrawn", reverse(message_edit, args=(world["withdrawn"].pk,))),
        ],
        "translator": [
            ("dashboard", reverse("wagtailadmin_home")),
            ("translation-editor", reverse(message_edit, args=(world["english"].pk,))),
            (
                "request-translation",
                reverse(
                    "wagtail_localize:submit_snippet_translation", args=("messaging", "message", world["draft"].pk)
                ),
            ),
        ],
    }


def _log_in(context: Any, username: str) -> Any:
    page = context.new_page()
    page.goto(reverse("wagtailadmin_login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    assert "/login/" not in page.url, f"{username} could not log in"
    return page


def _walk(language: str, world: dict[str, Any], browser: Any, live_server: Any, artifacts: Path) -> list[str]:
    for user in get_user_model().objects.filter(username__in=["communicator", "reviewer", "approver", "translator"]):
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = language
        profile.save()
    data = _data_strings()
    problems: list[str] = []
    for username, screens in _walks(world).items():
        for width in WIDTHS:
            context = browser.new_context(
                base_url=live_server.url, locale=language, viewport={"width": width, "height": 900}
            )
            context.set_default_timeout(30_000)
            page = _log_in(context, username)
            errors: list[str] = []
            page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
            for name, url in screens:
                errors.clear()
                response = page.goto(url)
                page.wait_for_load_state("networkidle")
                where = f"{language} {username} {name} {width}px"
                page.screenshot(path=str(artifacts / f"admin-{language}-{username}-{name}-{width}.png"), full_page=True)
                if response is None or response.status != 200:
                    problems.append(f"{where}: status {response and response.status}")
                    continue
                seen = page.evaluate(CHECKS, width >= 1280)
                problems += [f"{where}: overflow: {o}" for o in seen["overflow"]]
                problems += [f"{where}: console: {e[:200]}" for e in errors]
                if width == WIDTHS[0]:
                    problems += [f"{where}: {p}" for p in _chrome_problems(seen["texts"], language, data)]
            context.close()
    return problems


def test_arabic_admin_has_no_latin_chrome_no_overflow_and_no_console_errors(
    admin_world, browser, live_server, artifacts
):
    problems = _walk("ar", admin_world, browser, live_server, artifacts)
    assert not problems, "\n".join(problems)


def test_english_admin_has_no_arabic_chrome_no_overflow_and_no_console_errors(
    admin_world, browser, live_server, artifacts
):
    problems = _walk("en", admin_world, browser, live_server, artifacts)
    assert not problems, "\n".join(problems)


def test_admin_inputs_take_the_direction_of_what_they_hold(admin_world, browser, live_server, artifacts):
    """An address reads left to right in the Arabic admin; free text follows what is typed in it (an Arabic title in
    the English admin reads right to left, its full stop at its end) and an empty field the page; a blank new
    message shows no error before anything is typed; the translation editor shows the Arabic source upright."""
    for language in ("ar", "en"):
        for user in get_user_model().objects.filter(username__in=["communicator", "translator"]):
            profile = UserProfile.get_for_user(user)
            profile.preferred_language = language
            profile.save()
        viewport = {"width": 1280, "height": 900}
        context = browser.new_context(base_url=live_server.url, locale=language, viewport=viewport)
        page = _log_in(context, "communicator")
        page.goto(reverse("wagtailsnippets_messaging_message:add") + "?locale=ar")
        page.wait_for_selector("#id_title", state="visible")
        title = page.locator("#id_title")
        page_direction = "rtl" if language == "ar" else "ltr"
        assert title.evaluate("el => getComputedStyle(el).direction") == page_direction  # empty: the page's
        title.fill("رسالة اختبار الاتجاه.")
        assert title.get_attribute("dir") == "rtl"  # an Arabic line reads right to left, in the English admin too
        page.fill("#id_key_message", "Tawasul reaches every institution.")
        assert page.get_attribute("#id_key_message", "dir") == "ltr"
        assert page.locator(".help-critical:visible, .error-message:visible, .w-field__errors:visible").count() == 0
        page.click("button.c-sf-add-button")
        with translation.override(language):
            fact_label = str(MessageHouseBlock().child_blocks["fact"].label)
        page.get_by_role("option", name=fact_label).click()
        source_url = page.locator("input[name$='-value-source_url']").first
        source_url.wait_for(state="visible")
        assert source_url.get_attribute("dir") == "ltr"
        source_url.fill("https://www.rop.gov.om")
        assert source_url.evaluate("el => getComputedStyle(el).direction") == "ltr"
        page.screenshot(path=str(artifacts / f"admin-{language}-directions.png"), full_page=True)

        context.close()
        context = browser.new_context(base_url=live_server.url, locale=language, viewport=viewport)
        translator = _log_in(context, "translator")
        translator.goto(reverse("wagtailsnippets_messaging_message:edit", args=(admin_world["english"].pk,)))
        source = translator.locator(".js-translation-editor p", has_text=admin_world["source"].key_message).first
        source.wait_for(state="visible")
        assert source.evaluate("el => getComputedStyle(el).fontStyle") == "normal"
        assert source.evaluate("el => getComputedStyle(el).direction") == "rtl"
        context.close()
