"""Scanning a source, keeping what it publishes once, and checking each new statement against the approved lines.

A source that fails in any way (refused address, robots.txt, error status, too slow, too large, malformed) gets a
`SourceError` row and its consecutive-error count goes up; nothing is raised to the caller, so one bad source never
stops the others.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from alignment.services import MAX_DRAFT_LENGTH, alignment_check
from messaging.selectors import visible_messages_for
from monitoring.enums import STATEMENT_FLAGGED, FindingKind, SourceErrorKind, SourceKind
from monitoring.extraction import MIN_ARTICLE_CHARS, Extracted, feed_entries, page_extract
from monitoring.fetching import Fetched, FetchError, page_fetch
from monitoring.lines import InstitutionLines, institution_lines
from monitoring.matching import LineUse, statement_line_uses
from monitoring.models import Finding, Source, SourceError, Statement
from webhooks.fanout import institution_event_fanout

logger = logging.getLogger("tawasul")


@dataclass
class ScanOutcome:
    source_id: int
    not_modified: bool = False
    new_statements: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def source_interval() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "TAWASUL_MONITORING_SOURCE_INTERVAL", 900)))


def sources_due_claim(*, now: datetime | None = None) -> list[int]:
    """Active sources not fetched for an interval; each is claimed (its fetch time moved to now) so a second
    tick does not send it twice."""
    now = now or timezone.now()
    due = Source.objects.filter(is_active=True, institution__is_active=True).filter(
        Q(last_fetched_at__isnull=True) | Q(last_fetched_at__lte=now - source_interval())
    )
    claimed: list[int] = []
    for pk, fetched_at in due.order_by(F("last_fetched_at").asc(nulls_first=True)).values_list("pk", "last_fetched_at"):
        if Source.objects.filter(pk=pk, last_fetched_at=fetched_at).update(last_fetched_at=now):
            claimed.append(pk)
    return claimed


def source_scan(*, source_id: int) -> ScanOutcome:
    outcome = ScanOutcome(source_id=source_id)
    source = Source.objects.select_related("institution").filter(pk=source_id, is_active=True).first()
    if source is None:
        return outcome
    Source.objects.filter(pk=source.pk).update(last_fetched_at=timezone.now())
    try:
        fetched = page_fetch(url=source.url, etag=source.etag, last_modified=source.last_modified)
        if fetched.not_modified:
            outcome.not_modified = True
        else:
            for item in _items(source, fetched, outcome):
                statement_id = statement_record(source=source, item=item)
                if statement_id is not None:
                    outcome.new_statements.append(statement_id)
        _success_record(source, fetched)
    except FetchError as error:
        _error_record(source, error.kind, error.url, error.detail, outcome)
    except Exception as error:  # a flaw in one source's content must not stop the task or the other sources
        logger.exception("Monitoring source %s failed", source.pk)
        _error_record(source, SourceErrorKind.INTERNAL, source.url, f"{type(error).__name__}: {error}", outcome)
    for statement_id in outcome.new_statements:
        try:
            statement_check(statement_id=statement_id)
        except Exception:
            logger.exception("Checking statement %s failed; it stays unchecked", statement_id)
    return outcome


def _items(source: Source, fetched: Fetched, outcome: ScanOutcome) -> list[Extracted]:
    if source.kind == SourceKind.PAGE:
        return [page_extract(content=fetched.content, url=source.url)]
    items: list[Extracted] = []
    for entry in feed_entries(content=fetched.content, url=fetched.url):
        item = page_extract(content=entry.html, url=entry.url, title=entry.title, published_at=entry.published_at)
        if len(item.text) < MIN_ARTICLE_CHARS:
            if Statement.objects.filter(institution_id=source.institution_id, url=entry.url).exists():
                continue  # the article behind this teaser was read before
            try:
                page = page_fetch(url=entry.url)
            except FetchError as error:  # this entry is skipped, the others are read
                _error_record(source, error.kind, error.url, error.detail, outcome, count=False)
                continue
            item = page_extract(content=page.content, url=entry.url, title=entry.title, published_at=entry.published_at)
        items.append(item)
    return items


def _success_record(source: Source, fetched: Fetched) -> None:
    fields: dict[str, Any] = {"last_success_at": timezone.now(), "error_count": 0, "last_error": ""}
    if not fetched.not_modified:
        fields.update(etag=fetched.etag, last_modified=fetched.last_modified)
    Source.objects.filter(pk=source.pk).update(**fields)


def _error_record(
    source: Source, kind: str, url: str, detail: str, outcome: ScanOutcome, *, count: bool = True
) -> None:
    SourceError.objects.create(source=source, kind=kind, url=url[:500], detail=detail[:500])
    outcome.errors.append(kind)
    if count:
        Source.objects.filter(pk=source.pk).update(error_count=F("error_count") + 1, last_error=detail[:500])


def statement_record(*, source: Source, item: Extracted) -> int | None:
    """Keep a statement once per institution, URL and text; returns its id only when it is new. A new text at
    a known URL marks the earlier statements at that URL as replaced (no longer published)."""
    if not item.text.strip():
        return None
    now = timezone.now()
    try:
        with transaction.atomic():
            statement, created = Statement.objects.get_or_create(
                institution_id=source.institution_id,
                url=item.url[:500],
                content_hash=item.content_hash,
                defaults={
                    "source": source,
                    "title": item.title,
                    "text": item.text,
                    "language": item.language,
                    "published_at": item.published_at or now,
                },
            )
            if created:
                Statement.objects.filter(
                    institution_id=source.institution_id, url=statement.url, replaced_at__isnull=True
                ).exclude(pk=statement.pk).update(replaced_at=now)
    except IntegrityError:  # the same text recorded at the same moment by another run
        return None
    return statement.pk if created else None


def statement_check(*, statement_id: int) -> list[Finding]:
    """Check a statement against the lines its institution may use now and those it may no longer use; a
    statement using a retired line is flagged to the centre (admin) and to the institution (webhook)."""
    statement = Statement.objects.select_related("institution").get(pk=statement_id)
    lines = institution_lines(institution=statement.institution)
    uses = statement_line_uses(
        text=statement.text, language=statement.language, current=lines.current, retired=lines.retired
    )
    findings = [_use_finding(statement, use, lines) for use in uses]
    findings += _engine_findings(statement, lines)
    with transaction.atomic():
        Finding.objects.filter(statement=statement).delete()
        Finding.objects.bulk_create(findings)
        statement.checked_at = timezone.now()
        flagged = any(finding.kind == FindingKind.RETIRED_LINE for finding in findings)
        newly_flagged = flagged and statement.flagged_at is None
        if newly_flagged:
            statement.flagged_at = statement.checked_at
        statement.save(update_fields=["checked_at", "flagged_at"])
        if newly_flagged:
            transaction.on_commit(lambda: statement_flag_notify(statement_id=statement.pk))
    return findings


def _use_finding(statement: Statement, use: LineUse, lines: InstitutionLines) -> Finding:
    key = use.line.message_id
    return Finding(
        statement=statement,
        kind=FindingKind.RETIRED_LINE if use.retired else FindingKind.CARRIES,
        translation_key=UUID(key),
        topic_id=lines.topics.get(key),
        version=use.line.version,
        block_type=use.line.block_type,
        line=use.line.text,
        sentence=use.sentence,
        score=use.score,
        reason=lines.reasons.get(key, "") if use.retired else "",
    )


def _engine_findings(statement: Statement, lines: InstitutionLines) -> list[Finding]:
    """Lines to avoid and figures that differ from a fact, exactly as the alignment check reports them."""
    report = alignment_check(
        text=statement.text[:MAX_DRAFT_LENGTH],
        language=statement.language,
        messages=visible_messages_for(statement.institution),
    )
    sentences = {each.sentence.index: each.sentence.text for each in report.sentences}
    findings = [
        Finding(
            statement=statement,
            kind=FindingKind.LINE_TO_AVOID,
            translation_key=UUID(hit.message_id),
            topic_id=lines.topics.get(hit.message_id),
            version=lines.current_versions.get(hit.message_id, 0),
            block_type="avoid",
            line=hit.line,
            sentence=sentences.get(hit.sentence, ""),
        )
        for hit in report.lines_to_avoid
    ]
    findings += [
        Finding(
            statement=statement,
            kind=FindingKind.FIGURE_MISMATCH,
            translation_key=UUID(mismatch.fact.line.message_id),
            topic_id=lines.topics.get(mismatch.fact.line.message_id),
            version=mismatch.fact.line.version,
            block_type="fact",
            line=mismatch.fact.line.text,
            sentence=sentences.get(mismatch.sentence, ""),
            score=mismatch.fact.score,
        )
        for mismatch in report.number_mismatches
    ]
    return findings


def statement_flag_notify(*, statement_id: int) -> list[int]:
    """The `statement.flagged` webhook to the institution's endpoints, once per statement."""
    statement = Statement.objects.get(pk=statement_id)
    retired = statement.findings.filter(kind=FindingKind.RETIRED_LINE).order_by("-score")
    payload = {
        "type": STATEMENT_FLAGGED,
        "timestamp": (statement.flagged_at or timezone.now()).isoformat(),
        "data": {
            "statement_id": statement.pk,
            "url": statement.url,
            "title": statement.title,
            "language": statement.language,
            "published_at": statement.published_at.isoformat(),
            "lines": [
                {
                    "message_id": str(finding.translation_key),
                    "version": finding.version,
                    "reason": finding.reason,
                    "line": finding.line,
                    "sentence": finding.sentence,
                    "score": finding.score,
                }
                for finding in retired
            ],
        },
    }
    return institution_event_fanout(
        institution_id=statement.institution_id,
        event_type=STATEMENT_FLAGGED,
        webhook_id=f"stm_{statement.pk}",
        payload=payload,
    )
