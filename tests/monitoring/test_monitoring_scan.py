"""Reading sources from a local site: politeness, limits, the address guard, and bad sources kept apart."""

from __future__ import annotations

import itertools

import pytest

from monitoring.enums import SourceErrorKind, SourceKind
from monitoring.models import Source, SourceError, Statement
from monitoring.services import source_scan
from monitoring.tasks import sources_scan_due
from tests.monitoring.conftest import KEY_MESSAGE_EN, TALKING_POINT_EN, article, rss
from tests.monitoring.site import Route

NEWS = "The minister visited the new service centre in the capital on Sunday and met the staff there."
DATE = "Sun, 06 Dec 2026 08:00:00 GMT"


def feed_source(site, institution, path="/feed.xml") -> Source:  # type: ignore[no-untyped-def]
    return Source.objects.create(institution=institution, kind=SourceKind.FEED, url=site.url(path))


def page_source(site, institution, path="/page") -> Source:  # type: ignore[no-untyped-def]
    return Source.objects.create(institution=institution, kind=SourceKind.PAGE, url=site.url(path))


def long_story(*sentences: str) -> str:
    closing = "Officials answered questions from the press about the timetable of the work and the budget for staff."
    return " ".join([NEWS, *sentences, closing, "The centre will open every day of the week."])


def test_scan_feed_keeps_each_entry_once_and_sends_conditional_requests(site, ministry):
    site.routes["/feed.xml"] = Route(
        body=rss((site.url("/news/1"), "Centre opens", long_story(f"{KEY_MESSAGE_EN}."), DATE)),
        content_type="application/rss+xml",
        etag='"v1"',
    )
    source = feed_source(site, ministry)

    first = source_scan(source_id=source.pk)
    second = source_scan(source_id=source.pk)

    assert len(first.new_statements) == 1 and not first.errors
    assert second.not_modified and second.new_statements == []
    assert site.hits("/feed.xml")[-1][2].get("if-none-match") == '"v1"'
    statement = Statement.objects.get()
    assert statement.url == site.url("/news/1") and statement.language == "en"
    assert statement.published_at.isoformat().startswith("2026-12-06T08:00")


def test_scan_same_text_again_is_not_a_new_statement_but_a_changed_page_replaces_the_old_one(site, ministry):
    site.routes["/page"] = Route(body=article("Services", long_story()))
    source = page_source(site, ministry)
    source_scan(source_id=source.pk)
    source_scan(source_id=source.pk)  # no validators: fetched again, same text
    assert Statement.objects.count() == 1

    site.routes["/page"] = Route(body=article("Services", long_story(f"{TALKING_POINT_EN}.")))
    outcome = source_scan(source_id=source.pk)

    assert len(outcome.new_statements) == 1
    old, new = Statement.objects.order_by("pk")
    assert old.replaced_at is not None and new.replaced_at is None


def test_scan_feed_teaser_reads_the_article_page_once(site, ministry):
    site.routes["/feed.xml"] = Route(
        body=rss((site.url("/news/2"), "Short", "A short teaser.", DATE)), content_type="application/rss+xml"
    )
    site.routes["/news/2"] = Route(body=article("Full story", long_story(f"{KEY_MESSAGE_EN}.")))
    source = feed_source(site, ministry)

    source_scan(source_id=source.pk)
    source_scan(source_id=source.pk)

    assert len(site.hits("/news/2")) == 1
    assert KEY_MESSAGE_EN in Statement.objects.get().text


def test_scan_honours_robots_txt(site, ministry):
    site.routes["/robots.txt"] = Route(body=b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    site.routes["/private/page"] = Route(body=article("Hidden", long_story()))
    source = page_source(site, ministry, "/private/page")

    outcome = source_scan(source_id=source.pk)

    assert outcome.errors == [SourceErrorKind.ROBOTS]
    assert site.hits("/private/page") == []
    assert Statement.objects.count() == 0


def test_scan_waits_between_requests_to_the_same_host(site, ministry, settings):
    settings.TAWASUL_MONITORING_HOST_INTERVAL = 0.4  # held as one whole second, as Redis keeps it
    site.routes["/feed.xml"] = Route(
        body=rss((site.url("/news/3"), "Teaser", "Short.", DATE), (site.url("/news/4"), "Teaser", "Short.", DATE)),
        content_type="application/rss+xml",
    )
    site.routes["/news/3"] = Route(body=article("Three", long_story()))
    site.routes["/news/4"] = Route(body=article("Four", long_story("Another sentence about the visit.")))

    source_scan(source_id=feed_source(site, ministry).pk)

    times = [at for at, _path, _headers in site.requests]
    assert len(times) == 4  # robots.txt, the feed, two articles
    assert all(later - earlier >= 0.95 for earlier, later in itertools.pairwise(times))


@pytest.mark.parametrize(
    ("route", "kind"),
    [
        (Route(body=b"<rss><channel><item><title>broken", content_type="application/rss+xml"), "malformed"),
        (Route(body=b"x" * 300_000), "too_large"),
        (Route(body=b"x" * 10, declared_length=10_000_000), "too_large"),
        (Route(body=article("Slow", long_story() * 160), delay_per_chunk=0.2), "timeout"),
        (Route(status=500, body=b"down"), "http_status"),
    ],
    ids=["malformed-feed", "huge-page", "huge-declared-length", "slow-server", "server-error"],
)
def test_scan_bad_source_is_recorded_and_the_next_source_is_still_read(site, ministry, route, kind):
    site.routes["/bad"] = route
    site.routes["/good"] = Route(body=article("Good", long_story()))
    bad = feed_source(site, ministry, "/bad")
    good = page_source(site, ministry, "/good")

    assert sources_scan_due.delay().get() == 2

    error = SourceError.objects.get(source=bad)
    assert error.kind == kind
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.error_count == 1 and bad.last_error
    assert good.error_count == 0 and good.last_success_at is not None
    assert Statement.objects.filter(source=good).count() == 1


def test_scan_refuses_a_redirect_to_a_private_address(site, ministry, settings, monkeypatch):
    """127.0.0.1 stands in for a public site: only it passes the guard, as a public address would."""
    import ipaddress

    from webhooks import destinations

    settings.TAWASUL_WEBHOOKS_ALLOW_PRIVATE_URLS = False
    monkeypatch.setattr(destinations, "address_is_public", lambda address: address == ipaddress.ip_address("127.0.0.1"))
    site.routes["/moved"] = Route(status=302, location="http://169.254.169.254/latest/meta-data/")
    source = page_source(site, ministry, "/moved")

    outcome = source_scan(source_id=source.pk)

    assert outcome.errors == [SourceErrorKind.REFUSED]
    error = SourceError.objects.get()
    assert error.url.startswith("http://169.254.169.254/")
    assert "محلي للارتباط" in error.detail  # link-local, in the language the scan ran in


def test_scan_refuses_a_source_on_a_private_address(site, ministry, settings):
    settings.TAWASUL_WEBHOOKS_ALLOW_PRIVATE_URLS = False
    site.routes["/page"] = Route(body=article("Local", long_story()))
    source = page_source(site, ministry)

    assert source_scan(source_id=source.pk).errors == [SourceErrorKind.REFUSED]
    assert site.requests == []


def test_sources_scan_due_skips_sources_read_within_the_interval(site, ministry):
    site.routes["/good"] = Route(body=article("Good", long_story()))
    page_source(site, ministry, "/good")

    assert sources_scan_due.delay().get() == 1
    assert sources_scan_due.delay().get() == 0
