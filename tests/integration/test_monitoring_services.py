"""Monitoring against the real services: the per-host limit held in Redis across concurrent readers, and a scan
with its checks on PostgreSQL."""

from __future__ import annotations

import itertools
import threading
from datetime import UTC, datetime

import pytest
from django.core.cache import caches

from hub.cache import RedisCache
from monitoring.enums import FindingKind, SourceKind
from monitoring.fetching import page_fetch
from monitoring.models import ApprovedLine, Source, Statement
from monitoring.services import source_scan
from tests.factories import InstitutionFactory, MessageFactory
from tests.integration.conftest import unavailable
from tests.monitoring.conftest import KEY_MESSAGE_AR, TALKING_POINT_EN, article, body_ar, english_row
from tests.monitoring.site import Route, site_running

pytestmark = [pytest.mark.integration]


def test_host_limit_spaces_concurrent_readers_through_redis(redis_url, settings):
    if not isinstance(caches["default"], RedisCache):
        unavailable("the Redis cache (REDIS_URL unset when settings were loaded)")
    settings.TAWASUL_MONITORING_HOST_INTERVAL = 1
    caches["default"].clear()
    with site_running() as site:
        site.routes["/robots.txt"] = Route(body=b"User-agent: *\nAllow: /\n", content_type="text/plain")
        for number in range(3):
            site.routes[f"/page/{number}"] = Route(body=article("Page", "Some text."))
        readers = [
            threading.Thread(target=page_fetch, kwargs={"url": site.url(f"/page/{number}")}) for number in range(3)
        ]
        for reader in readers:
            reader.start()
        for reader in readers:
            reader.join(timeout=30)
        times = sorted(at for at, path, _headers in site.requests if path.startswith("/page/"))
    assert len(times) == 3
    assert all(later - earlier >= 0.9 for earlier, later in itertools.pairwise(times))


@pytest.mark.django_db
def test_scan_and_check_on_postgresql(postgres_in_use, settings):
    settings.TAWASUL_MONITORING_HOST_INTERVAL = 0
    ministry = InstitutionFactory(slug="mod")
    digital = MessageFactory.create_published(key_message=KEY_MESSAGE_AR, body=body_ar())
    english_row(digital)
    for row in type(digital).objects.filter(translation_key=digital.translation_key, live=True):
        row.unpublish()
    with site_running() as site:
        site.routes["/page"] = Route(
            body=article("Statement", f"The minister spoke on Sunday. {TALKING_POINT_EN} remains our priority.")
        )
        source = Source.objects.create(institution=ministry, kind=SourceKind.PAGE, url=site.url("/page"))
        first = source_scan(source_id=source.pk)
        again = source_scan(source_id=source.pk)

    assert len(first.new_statements) == 1 and again.new_statements == []
    statement = Statement.objects.get()
    assert statement.flagged_at is not None and statement.published_at <= datetime.now(UTC)
    assert statement.findings.filter(kind=FindingKind.RETIRED_LINE).exists()
    assert ApprovedLine.objects.filter(translation_key=digital.translation_key).exists()
