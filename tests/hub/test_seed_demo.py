import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page, Revision

from institutions.models import Institution
from messaging.models import Message, MessageEvent, Topic

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _counts() -> dict[str, int]:
    return {
        "users": get_user_model().objects.count(),
        "institutions": Institution.objects.count(),
        "topics": Topic.objects.count(),
        "messages": Message.objects.count(),
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "events": MessageEvent.objects.count(),
    }


def test_seed_demo_creates_bilingual_demo_content(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "tawasul-demo-2026" in out
    assert Institution.objects.count() == 3
    assert Message.objects.filter(locale__language_code="ar").count() >= 6
    live_sources = Message.objects.filter(locale__language_code="ar", live=True)
    assert all(m.get_translations().filter(live=True).exists() for m in live_sources)
    waiting = Message.objects.filter(locale__language_code="ar", live=False)
    assert waiting.count() == 1 and waiting.get().workflow_in_progress


def test_seed_demo_run_twice_creates_nothing_twice(capsys):
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first
    assert "nothing created" in capsys.readouterr().out
